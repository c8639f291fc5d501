"""Errors a user meets are one line, never a traceback: a damaged store, command-line
parameters that are not UTF-8 or not IRIs, an output path under a regular file, a full
disk at the last flush, a build of nothing.

The real `kg` as a subprocess (a traceback in the real program fails the test), against
stores built from the seeds in tmp_path; the full disk is a 2 MB tmpfs when the tests run
as root, and ENOSPC raised at the flush call otherwise.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.store import oxigraph
from tests.conftest import ROOT, SEEDS

KG = Path(sys.executable).with_name("kg")
if not KG.exists():
    KG = Path(shutil.which("kg") or "kg")


def kg(*args: str | Path | bytes) -> subprocess.CompletedProcess[str]:
    return subprocess.run([KG, *args], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          errors="replace")


def one_line(res: subprocess.CompletedProcess[str], *expected: str) -> str:
    """The run failed with exactly one `Error: …` line holding every `expected` string."""
    assert "Traceback" not in res.stderr, res.stderr
    assert res.returncode in (1, 2), (res.returncode, res.stdout, res.stderr)
    errors = [line for line in res.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, res.stderr
    for text in expected:
        assert text in errors[0], errors[0]
    return errors[0]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("built") / "kg"
    res = kg("build", SEEDS, "--store", store)
    assert res.returncode == 0, res.stderr
    return store


def _flip(path: Path, start: float, end: float, step: int = 7) -> None:
    data = bytearray(path.read_bytes())
    for i in range(int(len(data) * start), min(len(data), int(len(data) * end) + 1), step):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))


READERS = [("stats",), ("query", "unit-workload"), ("export", "--format", "nq"), ("analyze",),
           ("validate",), ("viz",)]


@pytest.mark.parametrize("damage", ["CURRENT", "tables"])
def test_a_damaged_store_is_one_line_for_every_command(tmp_path: Path, built: Path, damage: str) -> None:
    store = tmp_path / "kg"
    shutil.copytree(built, store)
    if damage == "CURRENT":
        _flip(store / "CURRENT", 0, 1, step=1)
    else:  # the data blocks in the middle of every table file
        for sst in store.glob("*.sst"):
            _flip(sst, 0.25, 0.5)
    for args in READERS:
        extra = ["--out", str(tmp_path / "out.x")] if args[0] in ("export", "viz") else []
        res = kg(*args, "--store", store, *extra)
        if damage == "CURRENT" or args[0] in ("stats", "export"):  # these read every table
            one_line(res, f"the store at {store} is damaged", "Corruption")
        else:  # a query may not meet the damaged blocks; if it does, one line
            assert "Traceback" not in res.stderr, (args, res.stderr)
    res = kg("build", SEEDS / next(p.name for p in SEEDS.glob("*.txt")), "--store", store)
    assert "Traceback" not in res.stderr, res.stderr
    if damage == "CURRENT":
        one_line(res, "is damaged")


def test_command_line_parameters_that_are_not_utf8_or_not_iris(built: Path) -> None:
    q = "SELECT ?x WHERE { ?x ?p ?o } LIMIT 1"
    one_line(kg("sparql", q, "--store", built, "--param", b"x=\xff\xfe"), "not valid UTF-8", "\\xff\\xfe")
    one_line(kg("query", "unit-measures", "--store", built, "--param", b"unit=\xc3("), "not valid UTF-8")
    one_line(kg("sparql", q, "--store", built, "--param", "x=<not an iri>"), "is not an IRI")
    one_line(kg("sparql", q, "--store", built, "--param", "x=<http://a b>"), "is not an IRI")
    one_line(kg("sparql", q, "--store", built, "--param", b"\xff=1"), "not")


def test_an_output_path_under_a_regular_file(tmp_path: Path, built: Path) -> None:
    blocker = tmp_path / "report.txt"
    blocker.write_text("not a folder", encoding="utf-8")
    under = blocker / "sub"
    expected = f"{blocker} is a file, not a folder"
    one_line(kg("extract", SEEDS, "--out", under), expected)
    for fmt in ("ttl", "xml", "csv", "graphml"):
        one_line(kg("export", "--store", built, "--format", fmt, "--out", under / "x"), expected)
    one_line(kg("analyze", "--store", built, "--graphml", under / "x.graphml"), expected)
    one_line(kg("viz", "--store", built, "--out", under / "x.html"), expected)
    one_line(kg("build", SEEDS, "--store", under / "kg"), expected)
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_building_nothing_creates_no_store(tmp_path: Path) -> None:
    store = tmp_path / "kg"
    res = kg("build", "/nofile", "--store", store)
    one_line(res, "nothing to build", "not touched")
    assert "/nofile: no such file or directory" in res.stderr
    assert not store.exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    one_line(kg("build", empty, "--store", store), "nothing to build")
    assert not store.exists()


@pytest.fixture
def full_disk(tmp_path: Path) -> Any:
    """A 2 MB tmpfs (as root), unmounted afterwards; skips when it cannot be mounted."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root; the simulated ENOSPC test covers this")
    where = tmp_path / f"full-{uuid.uuid4().hex[:6]}"
    where.mkdir()
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(where)],
                         capture_output=True, text=True)
    if res.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {res.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=False)


def test_a_full_disk_is_one_line(full_disk: Path) -> None:
    res = kg("build", SEEDS, "--store", full_disk / "kg")
    one_line(res, f"writing the store at {full_disk / 'kg'} failed", "No space left on device")
    res = kg("extract", SEEDS, "--out", full_disk / "records")
    one_line(res, "No space left on device")
    assert not list((full_disk / "records").rglob("*.tmp"))  # no half-written record left


class _FullDiskStore:
    """A pyoxigraph Store whose flush fails as RocksDB does when the disk is full."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def flush(self) -> None:
        # pyoxigraph raises OSError with RocksDB's message alone (no errno)
        raise OSError("IO error: No space left on device: While appending to file")


def test_enospc_at_the_final_flush_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = oxigraph.OxigraphStore._open

    def failing_open(self: oxigraph.OxigraphStore) -> Any:
        return _FullDiskStore(real_open(self))

    monkeypatch.setattr(oxigraph.OxigraphStore, "_open", failing_open)
    res = CliRunner().invoke(main, ["build", str(SEEDS), "--store", str(tmp_path / "kg")])
    assert res.exit_code == 1
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert res.stderr.strip().splitlines()[-1] == (
        f"Error: writing the store at {tmp_path / 'kg'} failed: IO error: No space left on device: "
        "While appending to file")

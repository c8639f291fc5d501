"""`kg build` as a user runs it, under the conditions of real use: killed with SIGKILL at
random moments, and pointed at thousands of real documents.

After a kill the store must open, pass `kg validate`, and hold every document either whole
(exactly the quads a clean build gives it) or not at all; building again completes it.
"""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

from kg.rdf import to_nquads
from kg.store import open_store
from tests.conftest import CORPUS, ROOT, SEEDS

KG = Path(sys.executable).with_name("kg")


def kg(*args: str | Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(KG), *map(str, args)], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


def graphs_of(path: Path) -> dict[str, bytes]:
    """Every named graph of the store, as sorted N-Quads."""
    with open_store(path, read_only=True) as store:
        return {g: to_nquads(sorted(store.quads(g), key=str)) for g in store.graphs()}


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds four times over under other names: enough documents that a build takes a
    few seconds, each its own graph, sharing organizations across graphs."""
    folder = tmp_path_factory.mktemp("plans")
    for copy in range(4):
        for seed in sorted(SEEDS.glob("*.txt")):
            shutil.copy(seed, folder / f"{seed.stem}-{copy}.txt")
    return folder


def _start_build(plans: Path, store: Path) -> tuple[subprocess.Popen[bytes], float]:
    """A `kg build` in the background, once it has opened its store: (process, when)."""
    proc = subprocess.Popen([str(KG), "build", str(plans), "--store", str(store)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    while not store.exists() and proc.poll() is None:
        time.sleep(0.005)
    return proc, time.perf_counter()


@pytest.fixture(scope="module")
def reference(plans: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, bytes], float]:
    """What a clean build stores, and how long it writes after opening the store."""
    store = tmp_path_factory.mktemp("reference") / "kg"
    proc, opened = _start_build(plans, store)
    _, err = proc.communicate(timeout=600)
    writing = time.perf_counter() - opened
    assert proc.returncode == 0, err
    return graphs_of(store), writing


@pytest.mark.slow
def test_kill_9_at_random_moments_leaves_whole_documents_and_a_rebuild_completes(
        plans: Path, reference: tuple[dict[str, bytes], float], tmp_path: Path) -> None:
    expected, seconds = reference  # seconds of writing
    doc_graphs = {g for g in expected if "/graph/doc/" in g}  # documents, not the ontology
    assert len(doc_graphs) == 20
    rng = random.Random(20261201)
    partial_seen = 0
    for trial in range(10):
        store = tmp_path / f"kg-{trial}"
        proc, _ = _start_build(plans, store)
        # anywhere from the store's opening to just past the end of a clean build's writes
        time.sleep(rng.uniform(0, seconds * 1.1))
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
        found = graphs_of(store)
        for graph, quads in found.items():
            assert quads == expected.get(graph), f"trial {trial}: {graph} is not whole"
        if 0 < len(set(found) & doc_graphs) < len(doc_graphs):
            partial_seen += 1
        check = kg("validate", "--store", store)
        assert check.returncode == 0, f"trial {trial}: {check.stdout}{check.stderr}"
        again = kg("build", plans, "--store", store)
        assert again.returncode == 0, again.stderr
        assert graphs_of(store) == expected, f"trial {trial}: the rebuild did not complete the store"
    # the kills must have landed mid-build at least sometimes, or the test proved nothing
    assert partial_seen >= 3, f"only {partial_seen} of 10 kills interrupted a build"


def _unpack_corpora(into: Path) -> list[Path]:
    archives = sorted(CORPUS.glob("*.tar.gz"))
    if not archives:
        pytest.fail(f"no corpus archives under {CORPUS}")
    for archive in archives:
        with tarfile.open(archive) as tar:
            tar.extractall(into, filter="data")
    return archives


@pytest.mark.slow
@pytest.mark.needs_shared
def test_build_over_every_real_document_finishes_without_a_crash(tmp_path: Path) -> None:
    """3,728 real texts (laws with 章/条, action plans, work reports): every file is built or
    named with its reason, nothing crashes, and the summary counts what happened."""
    _unpack_corpora(tmp_path / "corpus")
    # .xlsx too: the Shandong archive's raw data sheet is read as a document (kg/formats)
    texts = [p for p in (tmp_path / "corpus").rglob("*") if p.suffix in (".txt", ".md", ".html", ".xlsx")]
    assert len(texts) >= 3700
    store = tmp_path / "kg"
    run = kg("build", tmp_path / "corpus", "--store", store, "--workers", "2", timeout=1800)
    assert "Traceback" not in run.stderr
    assert "internal error" not in run.stderr, run.stderr[-2000:]
    summary = run.stdout.strip().splitlines()
    read_line = next(line for line in summary if " read, " in line)
    read = int(read_line.split(" read,")[0].split()[-1])
    failed = int(read_line.split(" failed")[0].split()[-1])
    assert failed == 0, run.stderr[-2000:]
    assert run.returncode == 0
    assert read == len(texts)
    stats = kg("stats", "--store", store, "--format", "json")
    counts = __import__("json").loads(stats.stdout)
    assert counts["documents"] == len(texts)
    assert counts["measures"] > 1000 and counts["indicators"] > 1000
    # laws commit to nothing: an empty but valid record with a warning, not an error
    law = next(p for p in texts if p.suffix == ".md")
    record = kg("extract", law)
    assert record.returncode == 0
    (data,) = __import__("json").loads(record.stdout)  # always an array (one record here)
    assert data["measures"] == [] and any(w["kind"] == "empty" for w in data["warnings"])
    # the shapes hold on the documents of each kind (validating all 3,728 takes too long)
    # a document's id is its path in the folder given, without the suffix
    ids = {p.stem: p.relative_to(tmp_path / "corpus").with_suffix("").as_posix() for p in texts}
    for stem in (law.stem, "shandong_047", "gwr2026_北京市"):
        check = kg("validate", "--store", store, "--document", ids[stem])
        assert check.returncode == 0, check.stdout

"""The package as a user gets it: the wheel, installed with its dependencies from PyPI into a
fresh virtual environment, run from a folder outside the repository.

The editable install the other tests use reads loaders/, queries/ and ontology/ straight from
the checkout, so a data file that is not packaged, or a module that finds its data by walking
up from its own file into the repository, passes there and breaks for every user. Here the
build, a canned query, validation and an extraction must give real answers, and every data
file the package opens must be the installed copy under site-packages/kg/_data.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS

pytestmark = pytest.mark.slow

DATA_DIRS = ("loaders", "queries", "ontology")
# what the wheel is built from; the rest of the checkout (tests, seeds, bench, .venv, stale
# build/ output that setuptools would pick up) stays out
SOURCE = ("pyproject.toml", "README.md", "kg", *DATA_DIRS)

# Run inside the installed interpreter: the CLI in-process, with an audit hook noting every
# file opened, so the report says which data files were read and from where.
_TRACE = r"""
import json, os, sys
opened = set()
def hook(event, args):
    if event == "open" and isinstance(args[0], str):
        opened.add(os.path.realpath(args[0]))
sys.addaudithook(hook)
from kg.cli import main
out, store, doc = sys.argv[1], sys.argv[2], sys.argv[3]
codes = []
for args in (["build", sys.argv[4], "--store", store], ["validate", "--store", store],
             ["query", "documents", "--store", store, "--format", "json"],
             ["extract", doc, "--out", os.path.join(os.path.dirname(out), "records")]):
    try:
        main.main(args=args, prog_name="kg", standalone_mode=False)
        codes.append(0)
    except SystemExit as e:
        codes.append(e.code)
import pathlib, kg, kg.rules
# every path a kg module keeps at module level (data folders, lexicon files), where it points
paths = {f"{name}.{attr}": os.path.realpath(value) for name, module in list(sys.modules.items())
         if name == "kg" or name.startswith("kg.")
         for attr, value in vars(module).items() if isinstance(value, pathlib.Path)}
json.dump({"codes": codes, "opened": sorted(opened), "kg": os.path.realpath(kg.__file__), "paths": paths,
           "data": os.path.realpath(str(kg.rules.data_path()))}, open(out, "w"))
"""


def _run(*args: str | Path, cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    # nothing from this test process may leak in: no PYTHONPATH to the checkout, no override
    # folder for the loaders, no virtual environment but the fresh one
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "KG_LOADERS", "VIRTUAL_ENV", "PYTHONHOME")}
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(the fresh environment's bin folder, the wheel, a working folder outside the repo)."""
    root = tmp_path_factory.mktemp("wheel")
    src = root / "src"
    src.mkdir()
    for name in SOURCE:
        if (ROOT / name).is_dir():
            # symlinks kept: kg/_data/* must be resolved by the build, as from a checkout
            shutil.copytree(ROOT / name, src / name, symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(ROOT / name, src / name)
    built = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check", "-q",
                 "-w", root / "dist", src, cwd=root)
    assert built.returncode == 0, built.stderr[-3000:]
    wheel = next((root / "dist").glob("policy_kg-*.whl"))
    venv = root / "venv"
    made = _run(sys.executable, "-m", "venv", venv, cwd=root)
    assert made.returncode == 0, made.stderr
    bin_dir = venv / "bin"
    got = _run(bin_dir / "python", "-m", "pip", "install", "--disable-pip-version-check", "-q", wheel,
               cwd=root, timeout=900)
    assert got.returncode == 0, got.stderr[-3000:]
    work = root / "elsewhere"
    work.mkdir()
    return bin_dir, wheel, work


def test_the_wheel_carries_the_data_files_as_files(installed: tuple[Path, Path, Path]) -> None:
    _, wheel, _ = installed
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        for folder in DATA_DIRS:
            # what pyproject's package-data promises: the lexicons, every query and ontology file
            pattern = "*.toml" if folder == "loaders" else "*"
            want = {f"kg/_data/{folder}/{p.name}" for p in (ROOT / folder).glob(pattern) if p.is_file()}
            assert want <= names, f"not in the wheel: {sorted(want - names)}"
            for name in want:  # the contents, not a link back into a checkout
                assert z.read(name) == (ROOT / folder / name.rsplit("/", 1)[1]).read_bytes(), name
        assert not any(n.startswith(("tests/", "seeds/", "bench/")) for n in names)


def test_installed_kg_builds_queries_and_validates(installed: tuple[Path, Path, Path],
                                                   tmp_path: Path) -> None:
    bin_dir, _, work = installed
    kg = bin_dir / "kg"
    store = tmp_path / "store"
    built = _run(kg, "build", SEEDS, "--store", store, cwd=work)
    assert built.returncode == 0, built.stderr[-3000:]
    seeds = len(list(SEEDS.glob("*.txt")))
    assert f"{seeds} read, 0 skipped, 0 failed" in built.stdout, built.stdout
    stats = json.loads(_run(kg, "stats", "--store", store, "--json", cwd=work).stdout)
    assert stats["documents"] == seeds
    assert stats["measures"] > 50
    answer = _run(kg, "query", "school-construction-units", "--store", store, "--format", "json", cwd=work)
    assert answer.returncode == 0, answer.stderr
    rows = json.loads(answer.stdout)
    assert len(rows) >= 3 and all(r["unit"] for r in rows), rows
    checked = _run(kg, "validate", "--store", store, cwd=work)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert not (work / "kg-store").exists()  # the store went where it was told


def test_installed_kg_reads_its_data_from_the_package(installed: tuple[Path, Path, Path],
                                                      tmp_path: Path) -> None:
    bin_dir, _, work = installed
    report = tmp_path / "report.json"
    docx = ROOT / "tests" / "data" / "formats" / "task_table.docx"
    run = _run(bin_dir / "python", "-c", _TRACE, report, tmp_path / "store", docx, SEEDS, cwd=work)
    assert run.returncode == 0, run.stderr[-3000:]
    got = json.loads(report.read_text(encoding="utf-8"))
    assert got["codes"] == [0, 0, 0, 0], run.stdout[-2000:] + run.stderr[-2000:]
    site = Path(got["kg"]).parent
    assert Path(got["data"]) == site / "_data"
    assert not Path(got["kg"]).is_relative_to(ROOT), got["kg"]
    opened = [Path(p) for p in got["opened"]]
    # from the checkout only the inputs: the seeds and the Word file
    from_repo = [p for p in opened if p.is_relative_to(ROOT) and not p.is_relative_to(SEEDS) and p != docx]
    assert from_repo == []
    data = {str(p.relative_to(site / "_data")) for p in opened if p.is_relative_to(site / "_data")}
    # every lexicon, the shapes, the query asked and its manifest (the ontology itself is
    # parsed by pyoxigraph's Rust code, whose opens no audit hook sees: its folder is below)
    lexicons = {f"loaders/{p.name}" for p in (ROOT / "loaders").glob("*.toml")}
    assert lexicons <= data, f"never read from the package: {sorted(lexicons - data)}"
    assert {"ontology/shapes.ttl", "queries/manifest.toml", "queries/documents.rq"} <= data, sorted(data)
    # no module keeps a path into the checkout (one found by walking up from its own file)
    into_repo = {k: v for k, v in got["paths"].items() if Path(v).is_relative_to(ROOT)}
    assert into_repo == {}
    assert Path(got["paths"]["kg.ontology.ONTOLOGY_DIR"]) == site / "_data" / "ontology"
    records = list((tmp_path / "records").glob("*.json"))
    assert len(records) == 1
    assert json.loads(records[0].read_text(encoding="utf-8"))["measures"], records[0]

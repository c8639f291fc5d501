"""A document's identity: whatever its file is called, a document gets a graph of its own,
never a reserved one, and keeps it from build to build; every file left out is named and
counted; a file name that is not UTF-8 costs nothing but odd characters in its id.

Everything runs the real `kg` on real seed texts copied under hostile names into tmp_path,
against a store on disk.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.ontology import ONTOLOGY_GRAPH
from kg.rdf import graph_iri
from kg.store import open_store
from tests.conftest import ROOT, SEEDS

KG = Path(sys.executable).with_name("kg")
if not KG.exists():  # pytest run from an interpreter outside the venv
    KG = Path(shutil.which("kg") or "kg")
SEED = sorted(SEEDS.glob("*.txt"))


def kg(*args: str | Path | bytes) -> subprocess.CompletedProcess[str]:
    return subprocess.run([KG, *args], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          errors="replace")


def documents(store: Path) -> dict[str, str]:
    """id (the graph IRI's last segment) -> pkg:sourceFile, for every document graph."""
    with open_store(store, read_only=True) as s:
        rows = s.sparql("SELECT ?g ?f WHERE { GRAPH ?g { ?d a pkg:PolicyDocument ; pkg:sourceFile ?f } }")
    return {r["g"]: r["f"] for r in rows}


def test_a_file_named_like_a_reserved_graph_is_just_a_document(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED[0], folder / "ontology.txt")
    shutil.copy(SEED[1], folder / "a.txt")
    store = tmp_path / "kg"
    for _ in range(2):  # the second build reloads the ontology: the document must survive it
        res = kg("build", folder, "--store", store)
        assert res.returncode == 0, res.stderr
    docs = documents(store)
    assert set(docs) == {graph_iri("ontology"), graph_iri("a")}
    assert graph_iri("ontology") != ONTOLOGY_GRAPH
    with open_store(store, read_only=True) as s:
        assert ONTOLOGY_GRAPH in s.graphs() and len(s.document_graphs()) == 2
        ask = s.sparql(f"ASK {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?d a pkg:PolicyDocument }} }}")
        assert ask == [{"result": False}]
    res = kg("validate", "--store", store)
    assert res.returncode == 0, res.stdout + res.stderr


def test_same_stem_in_two_folders_or_with_two_suffixes_are_two_documents(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "2023").mkdir(parents=True)
    shutil.copy(SEED[0], folder / "plan.txt")
    shutil.copy(SEED[1], folder / "2023" / "plan.txt")
    shutil.copy(SEED[2], folder / "plan.md")
    store = tmp_path / "kg"
    res = kg("build", folder, "--store", store)
    assert res.returncode == 0, res.stderr
    assert "3 read, 0 skipped, 0 failed" in res.stdout
    assert documents(store) == {graph_iri("plan"): "plan.txt", graph_iri("2023/plan"): "plan.txt",
                                graph_iri("plan.md"): "plan.md"}
    # a later build of the same folder gives every file the same id: nothing replaced, nothing added
    before = documents(store)
    assert kg("build", folder, "--store", store).returncode == 0
    assert documents(store) == before
    out = tmp_path / "records"
    res = kg("extract", folder, "--out", out)
    assert res.returncode == 0, res.stderr
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*.json"))
    assert written == ["2023/plan.json", "plan.json", "plan.md.json"]
    titles = {json.loads(p.read_text(encoding="utf-8"))["meta"]["title"] for p in out.rglob("*.json")}
    assert len(titles) == 3


def test_seed_ids_are_their_stems(tmp_path: Path) -> None:
    store = tmp_path / "kg"
    assert kg("build", SEEDS, "--store", store).returncode == 0
    assert set(documents(store)) == {graph_iri(p.stem) for p in SEED}
    one = tmp_path / "one"
    assert kg("build", SEED[0], "--store", one).returncode == 0
    assert set(documents(one)) == {graph_iri(SEED[0].stem)}


def test_a_file_whose_id_is_taken_is_skipped_visibly_and_counted(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    shutil.copy(SEED[0], a / "plan.txt")
    shutil.copy(SEED[1], b / "plan.txt")
    shutil.copy(SEED[2], b / "other.txt")
    res = kg("build", a, b, "--store", tmp_path / "kg")
    assert res.returncode == 1
    assert f"{b / 'plan.txt'}: skipped, same document id 'plan' as {a / 'plan.txt'}" in res.stderr
    assert "2 read, 1 skipped, 0 failed" in res.stdout
    res = kg("extract", a, b, "--out", tmp_path / "records")
    assert res.returncode == 1 and "1 file(s) skipped" in res.stderr
    assert sorted(p.name for p in (tmp_path / "records").iterdir()) == ["other.json", "plan.json"]


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse names that are not UTF-8")
def test_file_names_that_are_not_utf8_do_not_stop_the_batch(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    bad = os.fsencode(folder) + b"/\xff\xfe\xb0\xe6.txt"  # GBK 版 after two stray bytes
    shutil.copy(SEED[0], bad)
    shutil.copy(SEED[1], folder / "z-after.txt")
    broken = os.fsencode(folder) + b"/\xc3(.txt"  # not even a document: one line, no traceback
    with open(broken, "wb") as f:
        f.write(b"")
    store = tmp_path / "kg"
    res = kg("build", folder, "--store", store)
    assert "Traceback" not in res.stderr, res.stderr
    assert res.returncode == 1  # the empty file
    assert "2 read, 0 skipped, 1 failed" in res.stdout, res.stdout + res.stderr
    assert [line for line in res.stderr.splitlines() if "empty file" in line] == \
        [f"{folder}/\\xc3(.txt: empty file"]
    docs = documents(store)
    assert graph_iri("z-after") in docs and len(docs) == 2
    assert "\\xff\\xfe\\xb0\\xe6.txt" in docs.values()
    assert kg("validate", "--store", store).returncode == 0
    out = tmp_path / "records"
    res = kg("extract", folder, "--out", out)
    assert "Traceback" not in res.stderr and res.returncode == 1
    assert sorted(p.name for p in out.iterdir()) == ["\\xff\\xfe\\xb0\\xe6.json", "z-after.json"]
    res = kg("extract", bad.decode("utf-8", "surrogateescape"))
    (record,) = json.loads(res.stdout)  # kg extract prints an array, one record here
    assert record["doc"] == "\\xff\\xfe\\xb0\\xe6.txt"

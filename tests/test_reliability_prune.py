"""Documents leave the store: `kg remove` by id, path or folder, and `kg build --prune`
for files renamed, moved or deleted since the last build, so nothing counts twice.

The real `kg` on seed texts copied into tmp_path, against a store on disk.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox

from kg.rdf import graph_iri
from kg.store import open_store
from tests.conftest import ROOT, SEEDS

KG = Path(sys.executable).with_name("kg")
if not KG.exists():
    KG = Path(shutil.which("kg") or "kg")
SEED = sorted(SEEDS.glob("*.txt"))


def kg(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([KG, *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def stats(store: Path) -> dict[str, int]:
    res = kg("stats", "--store", store, "--format", "json")
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


def plans(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    (folder / "2023").mkdir(parents=True)
    for seed in SEED[:3]:
        shutil.copy(seed, folder / seed.name)
    shutil.copy(SEED[3], folder / "2023" / SEED[3].name)
    return folder


def test_prune_after_a_rename_keeps_the_counts(tmp_path: Path) -> None:
    folder, store = plans(tmp_path), tmp_path / "kg"
    assert kg("build", folder, "--store", store).returncode == 0
    before = stats(store)
    renamed = folder / SEED[0].name
    renamed.rename(folder / "renamed.txt")
    (folder / SEED[1].name).unlink()
    res = kg("build", folder, "--store", store, "--prune")
    assert res.returncode == 0, res.stderr
    assert "2 document(s) pruned" in res.stdout
    assert f"pruned: {SEED[0].stem}" in res.stderr and f"pruned: {SEED[1].stem}" in res.stderr
    after = stats(store)
    assert after["documents"] == before["documents"] - 1
    only = tmp_path / "fresh"  # the store now holds what a fresh build of the folder holds
    assert kg("build", folder, "--store", only).returncode == 0
    assert after == stats(only)
    res = kg("validate", "--store", store)
    assert res.returncode == 0, res.stdout


def test_without_prune_a_rename_doubles_and_a_later_prune_fixes_it(tmp_path: Path) -> None:
    folder, store = plans(tmp_path), tmp_path / "kg"
    assert kg("build", folder, "--store", store).returncode == 0
    before = stats(store)
    (folder / SEED[2].name).rename(folder / "copy.txt")
    assert kg("build", folder, "--store", store).returncode == 0
    assert stats(store)["documents"] == before["documents"] + 1
    assert kg("build", folder, "--store", store, "--prune").returncode == 0
    assert stats(store) == before


def test_prune_refuses_when_an_input_is_missing(tmp_path: Path) -> None:
    folder, store = plans(tmp_path), tmp_path / "kg"
    assert kg("build", folder, "--store", store).returncode == 0
    res = kg("build", folder, tmp_path / "typo", "--store", store, "--prune")
    assert res.returncode == 1
    assert f"not pruning: {tmp_path / 'typo'} could not be read" in res.stderr
    assert stats(store)["documents"] == 4


def test_prune_drops_graphs_of_an_older_naming(tmp_path: Path) -> None:
    folder, store = plans(tmp_path), tmp_path / "kg"
    assert kg("build", folder, "--store", store).returncode == 0
    old = "https://w3id.org/policy-kg/id/graph/" + SEED[0].stem  # before id:graph/doc/
    with open_store(store) as s:
        s.put_graph(old, [ox.Quad(ox.NamedNode("https://example.org/x"), ox.NamedNode("https://example.org/p"),
                                  ox.Literal("y"), ox.NamedNode(old))])
    res = kg("build", folder, "--store", store, "--prune")
    assert "1 document(s) pruned" in res.stdout
    with open_store(store, read_only=True) as s:
        assert old not in s.graphs() and len(s.document_graphs()) == 4


def test_remove_by_id_path_and_folder(tmp_path: Path) -> None:
    folder, store = plans(tmp_path), tmp_path / "kg"
    assert kg("build", folder, "--store", store).returncode == 0
    res = kg("remove", SEED[0].stem, "--store", store)
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines() == [f"removed: {SEED[0].stem}"]
    res = kg("remove", f"2023/{SEED[3].name}", "--store", store)  # the path as it was built
    assert res.stdout.splitlines() == [f"removed: 2023/{SEED[3].stem}"]
    res = kg("remove", "no-such-doc", SEED[1].stem, "--store", store)
    assert res.returncode == 1
    assert "no-such-doc: no such document in" in res.stderr and "Traceback" not in res.stderr
    with open_store(store, read_only=True) as s:
        assert s.document_graphs() == [graph_iri(SEED[2].stem)]
    res = kg("remove", folder, "--store", store)  # a folder: whatever is left of it
    assert res.returncode == 0 and res.stdout.splitlines() == [f"removed: {SEED[2].stem}"]
    assert stats(store)["documents"] == 0
    assert kg("validate", "--store", store).returncode == 0

"""What a file's bytes and a folder's permissions cannot do: hide a folder from the batch,
lose the lines of an old-Mac (lone CR) file, or put characters into the store that an
RDF/XML export cannot carry.

The real `kg` on seed texts rewritten into tmp_path, against a store on disk.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.read import read_file
from kg.store import open_store
from tests.conftest import ROOT, SEEDS

KG = Path(sys.executable).with_name("kg")
if not KG.exists():
    KG = Path(shutil.which("kg") or "kg")
SEED = sorted(SEEDS.glob("*.txt"))
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def kg(*args: str | Path, prefix: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*(prefix or []), KG, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def test_an_unreadable_sub_folder_is_one_line_and_counts_as_failed(
        unprivileged: tuple[list[str], Path]) -> None:
    prefix, base = unprivileged
    folder = base / "plans"
    locked = folder / "locked"
    locked.mkdir(parents=True)
    shutil.copy(SEED[0], folder / SEED[0].name)
    shutil.copy(SEED[1], locked / SEED[1].name)
    os.chmod(folder, 0o777)
    locked.chmod(0)
    try:
        store = base / "kg"
        res = kg("build", folder, "--store", store, prefix=prefix)
        assert res.returncode == 1, res.stdout + res.stderr
        assert res.stderr.splitlines().count(f"{locked}: folder not read: permission denied") == 1
        assert "1 read, 0 skipped, 1 failed" in res.stdout
        res = kg("extract", folder, prefix=prefix)
        assert res.returncode == 1 and f"{locked}: folder not read: permission denied" in res.stderr
        (record,) = json.loads(res.stdout)  # kg extract prints an array, one record here
        assert record["doc"] == SEED[0].name
    finally:
        locked.chmod(0o755)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_lone_cr_line_ends_are_lines(tmp_path: Path, encoding: str) -> None:
    text = SEED[1].read_text(encoding="utf-8")
    (tmp_path / "lf.txt").write_bytes(text.encode(encoding))
    (tmp_path / "cr.txt").write_bytes(text.replace("\n", "\r").encode(encoding))
    records = {}
    for name in ("lf", "cr"):
        res = kg("extract", tmp_path / f"{name}.txt")
        assert res.returncode == 0, res.stderr
        (records[name],) = json.loads(res.stdout)  # an array, one record here
    lf, cr = records["lf"], records["cr"]
    assert lf["measures"] and [m["title"] for m in cr["measures"]] == [m["title"] for m in lf["measures"]]
    assert cr["meta"] == lf["meta"]
    # spans still point into the file as it is (one character for one)
    source = read_file(tmp_path / "cr.txt").source
    assert len(source) == len(text)
    for m in cr["measures"]:
        assert source[m["span"]["start"]:m["span"]["end"]] == m["span"]["text"]


def test_plain_controls_keeps_offsets() -> None:
    from kg.read import plain_controls

    assert plain_controls("a\rb\r\nc\x00d\x0ce\ufffff") == "a\nb\r\nc d\ne f"


def _hostile_seed(folder: Path) -> Path:
    text = SEED[0].read_text(encoding="utf-8")
    # NUL, a bell, an escape, a form feed, U+FFFE: in the title line, a unit and body text
    lines = text.split("\n")
    hostile = [lines[0] + "\x00\x07"] + [ln.replace("教育", "教\x1b育", 1) for ln in lines[1:]]
    bad = "\n".join(hostile).replace("。", "。\x0c", 5).replace("，", "\ufffe，", 3)
    target = folder / "ctl\x01name.txt"
    target.write_text(bad, encoding="utf-8")
    return target


def test_control_characters_never_reach_the_store_or_rdf_xml(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _hostile_seed(folder)
    store = tmp_path / "kg"
    res = kg("build", folder, "--store", store)
    assert res.returncode == 0, res.stderr
    with open_store(store, read_only=True) as s:
        literals = [q.object.value for q in s.quads() if isinstance(q.object, ox.Literal)]
        iris = [str(t) for q in s.quads() for t in (q.subject, q.object) if isinstance(t, ox.NamedNode)]
    assert len(literals) > 100
    assert [v for v in literals if NOT_XML.search(v)] == []
    assert [i for i in iris if NOT_XML.search(i)] == []
    out = tmp_path / "kg.rdf"
    res = kg("export", "--store", store, "--format", "xml", "--out", out)
    assert res.returncode == 0, res.stderr
    ET.parse(out)  # well-formed XML
    res = kg("validate", "--store", store)
    assert res.returncode == 0, res.stdout


def test_rdf_xml_export_of_a_store_holding_a_nul_is_still_xml(tmp_path: Path) -> None:
    """A store written by an older version or by hand: the export cleans what it writes."""
    store = tmp_path / "kg"
    g = ox.NamedNode("https://w3id.org/policy-kg/id/graph/doc/x")
    with open_store(store) as s:
        s.put_graph(g.value, [ox.Quad(ox.NamedNode("https://w3id.org/policy-kg/id/doc/x"),
                                      ox.NamedNode("http://purl.org/dc/terms/title"),
                                      ox.Literal("规划\x00\x1f标题", language="zh"), g)])
    out = tmp_path / "kg.rdf"
    res = kg("export", "--store", store, "--format", "xml", "--out", out)
    assert res.returncode == 0, res.stderr
    titles = [e.text for e in ET.parse(out).iter("{http://purl.org/dc/terms/}title")]
    assert titles == ["规划\ufffd\ufffd标题"]

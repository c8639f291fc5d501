"""Exports: every RDF syntax parses back (rdflib and pyoxigraph) to the store's count, hostile
strings survive verbatim, GraphML/CSV carry the network, files appear whole or not at all."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner

from kg import export as exporter
from kg.cli import main
from kg.rdf import measure_iri, org_iri, person_iri
from kg.store import open_store
from tests.test_rdf import HOSTILE, make_doc

RDF_FORMATS = ["ttl", "trig", "nq", "nt", "jsonld", "xml"]
OX_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nq": ox.RdfFormat.N_QUADS,
              "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD, "xml": ox.RdfFormat.RDF_XML}
DCT_TITLE = "http://purl.org/dc/terms/title"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory, seed_docs) -> Path:
    """Seeds, a hand-made document, and one hand-made document per hostile string."""
    path = tmp_path_factory.mktemp("export") / "kg"
    with open_store(path) as store:
        store.load_ontology()
        for doc in seed_docs.values():
            store.put_document(doc)
        store.put_document(make_doc("hand"))
        for i, hostile in enumerate(HOSTILE):
            store.put_document(make_doc(f"hostile-{i}", f"某市{i}区", hostile=hostile))
    return path


def _parse_rdflib(path: Path, fmt: str) -> int:
    if fmt in exporter.DATASET_FORMATS:
        ds = rdflib.Dataset()
        ds.parse(path, format=exporter.RDFLIB_FORMATS[fmt])
        return sum(1 for _ in ds.quads((None, None, None, None)))
    return len(rdflib.Graph().parse(path, format=exporter.RDFLIB_FORMATS[fmt]))


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_rdf_exports_parse_back_to_the_same_count(store_dir: Path, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"out.{fmt}"
    with open_store(store_dir, read_only=True) as store:
        result = exporter.export(store, fmt, target)
        quads = len(store)
        triples = len(list(store.construct_union()))
    expected = quads if fmt in exporter.DATASET_FORMATS else triples
    assert result.statements == expected
    assert _parse_rdflib(target, fmt) == expected
    assert len(list(ox.parse(path=target, format=OX_FORMATS[fmt]))) == expected
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp file left


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_hostile_strings_round_trip_verbatim(store_dir: Path, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"out.{fmt}"
    with open_store(store_dir, read_only=True) as store:
        exporter.export(store, fmt, target)
    if fmt in exporter.DATASET_FORMATS:
        ds = rdflib.Dataset()
        ds.parse(target, format=exporter.RDFLIB_FORMATS[fmt])
        titles = {str(o) for _, p, o, _ in ds.quads((None, rdflib.URIRef(DCT_TITLE), None, None))}
    else:
        g = rdflib.Graph().parse(target, format=exporter.RDFLIB_FORMATS[fmt])
        titles = {str(o) for o in g.objects(None, rdflib.URIRef(DCT_TITLE))}
    for hostile in HOSTILE:
        assert "推动学前教育普及普惠" + hostile in titles, (fmt, hostile)
        assert "教育工作方案" + hostile in titles, (fmt, hostile)
    ox_titles = {t.object.value for t in ox.parse(path=target, format=OX_FORMATS[fmt])
                 if t.predicate.value == DCT_TITLE}
    assert {"推动学前教育普及普惠" + h for h in HOSTILE} <= ox_titles


def test_graphml_is_the_network_and_keeps_hostile_strings(store_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "g.graphml"
    with open_store(store_dir, read_only=True) as store:
        result = exporter.export(store, "graphml", target)
    g = nx.read_graphml(target, force_multigraph=True)
    assert (g.number_of_nodes(), g.number_of_edges()) == (result.nodes, result.edges)
    # the hand-made document's part of the network
    m1 = measure_iri("hand", "1")
    edu = org_iri("重庆市黔江区/区教育委员会")
    fin = org_iri("重庆市黔江区/区财政局")
    group = org_iri("重庆市黔江区/教育工作领导小组")
    assert g.nodes[m1]["kind"] == "measure" and g.nodes[m1]["document"] == "hand"
    assert g.nodes[edu]["kind"] == "organization" and g.nodes[edu]["label"] == "黔江区教育委员会"
    assert g.nodes[group]["kind"] == "group" and g.nodes[group]["type"] == "leading_group"
    assert g.nodes[person_iri("重庆市黔江区", "张三")]["kind"] == "person"
    roles = sorted((d["kind"], d.get("role"), v) for u, v, d in g.out_edges(m1, data=True))
    assert roles == [("responsibility", "lead", edu), ("responsibility", "support", fin)]
    members = sorted((d["role"], u) for u, v, d in g.in_edges(group, data=True) if d["kind"] == "membership")
    assert members == sorted([("leader", person_iri("重庆市黔江区", "张三")),
                              ("deputy", person_iri("重庆市黔江区", "李四")),
                              ("member", edu), ("member", fin)])
    assert ("post", "区政府副区长") in {(d["kind"], d.get("label"))
                                   for _, _, d in g.out_edges(person_iri("重庆市黔江区", "李四"), data=True)}
    labels = {d["label"] for _, d in g.nodes(data=True)}
    for i, hostile in enumerate(HOSTILE):
        assert "推动学前教育普及普惠" + hostile in labels, hostile
        assert "黔江区财政局" + hostile in labels, hostile
        assert g.nodes[person_iri(f"某市{i}区", "张三" + hostile)]["label"] == "张三" + hostile


def test_graphml_replaces_what_xml_cannot_carry() -> None:
    g = nx.MultiDiGraph()
    g.add_node("a\x00b", label="nul\x00 bell\x07 cr\r lf\n")
    data = exporter.graphml_bytes(g)
    back = nx.read_graphml(__import__("io").BytesIO(data))
    assert list(back.nodes(data=True)) == [("a\ufffdb", {"label": "nul\ufffd bell\ufffd cr\r lf\n"})]


def test_csv_export_matches_the_graphml_projection(store_dir: Path, tmp_path: Path) -> None:
    with open_store(store_dir, read_only=True) as store:
        result = exporter.export(store, "csv", tmp_path / "csv")
        graph = exporter.project(store)
    with open(tmp_path / "csv" / "nodes.csv", encoding="utf-8-sig", newline="") as f:
        nodes = list(csv.DictReader(f))
    with open(tmp_path / "csv" / "edges.csv", encoding="utf-8-sig", newline="") as f:
        edges = list(csv.DictReader(f))
    assert (len(nodes), len(edges)) == (result.nodes, result.edges) == (graph.number_of_nodes(),
                                                                        graph.number_of_edges())
    assert {n["id"] for n in nodes} == set(graph.nodes)
    assert {n["label"] for n in nodes} >= {"推动学前教育普及普惠" + h for h in HOSTILE}


def test_exports_are_deterministic(store_dir: Path, tmp_path: Path) -> None:
    with open_store(store_dir, read_only=True) as store:
        for fmt in ("ttl", "nq", "graphml"):
            exporter.export(store, fmt, tmp_path / f"a.{fmt}")
            exporter.export(store, fmt, tmp_path / f"b.{fmt}")
            assert (tmp_path / f"a.{fmt}").read_bytes() == (tmp_path / f"b.{fmt}").read_bytes(), fmt


def test_a_failed_write_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "out.ttl"
    target.write_text("old", encoding="utf-8")

    def half(f) -> None:
        f.write(b"half a file")
        raise OSError("disk full")

    with pytest.raises(OSError):
        exporter.atomic_write(target, half)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]


def test_cli_export_writes_into_exports_by_default(store_dir: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for fmt, name in (("ttl", "policy-kg.ttl"), ("jsonld", "policy-kg.jsonld"), ("xml", "policy-kg.rdf"),
                      ("graphml", "policy-kg.graphml")):
        res = runner.invoke(main, ["export", "--store", str(store_dir), "--format", fmt])
        assert res.exit_code == 0, res.output
        assert res.output.startswith(f"exports/{name}: ")
        assert (tmp_path / "exports" / name).stat().st_size > 1000
    res = runner.invoke(main, ["export", "--store", str(store_dir), "--format", "csv"])
    assert res.exit_code == 0 and (tmp_path / "exports" / "csv" / "edges.csv").exists()
    out = tmp_path / "deep" / "er" / "x.nt"
    res = runner.invoke(main, ["export", "--store", str(store_dir), "--format", "nt", "--out", str(out)])
    assert res.exit_code == 0 and out.exists()
    res = runner.invoke(main, ["export", "--store", str(tmp_path / "none"), "--format", "nt"])
    assert res.exit_code == 1 and "no store at" in res.output

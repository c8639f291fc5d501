"""The embedded Oxigraph store on disk: per-document graphs replaced atomically, idempotent
builds, one writer at a time, read-only readers, SPARQL rows, SHACL validation, the CLI."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.export import to_rdflib
from kg.model import Measure, Span
from kg.ontology import ONTOLOGY_GRAPH, ontology_quads, validate_graph
from kg.rdf import document_quads, graph_iri, measure_iri, to_nquads
from kg.store import StoreError, StoreLocked, open_store
from tests.conftest import ROOT, SEEDS, seed_doc
from tests.test_rdf import make_doc

PY = sys.executable


def _graph_nquads(store, doc_id: str) -> bytes:
    quads = sorted(store.quads(graph_iri(doc_id)), key=str)
    return to_nquads(quads)


def _holder(path: Path, script: str = "") -> subprocess.Popen:
    """Another process that opens the store for writing, says `ready`, and keeps it open
    until its stdin closes."""
    code = ("import sys; from kg.store import open_store\n"
            f"s = open_store({str(path)!r})\n{script}\n"
            "print('ready', flush=True)\nsys.stdin.read()\n")
    proc = subprocess.Popen([PY, "-c", code], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready", proc.stderr.read()
    return proc


def _release(proc: subprocess.Popen) -> None:
    assert proc.stdin is not None
    proc.stdin.close()
    proc.wait(timeout=30)


# -- writing ------------------------------------------------------------------------------

def test_a_seed_goes_in_whole_and_comes_back_as_made(tmp_path: Path) -> None:
    doc = seed_doc("000")
    made = document_quads(doc)
    with open_store(tmp_path / "kg") as store:
        written = store.put_document(doc)
        assert written == len(made) > 1000
        assert sorted(store.quads(graph_iri(doc.doc_id)), key=str) == made  # no literal rewritten
        assert len(store) == len(made)
        counts = store.counts()
    assert counts["documents"] == 1
    assert counts["measures"] == len(doc.measures)
    assert counts["indicators"] == len(doc.indicators)
    assert counts["schools"] == len(doc.schools)
    assert counts["organizations"] == len({q.subject for q in made
                                           if q.object.value == "http://www.w3.org/ns/org#Organization"})


def test_putting_the_same_documents_again_changes_nothing(tmp_path: Path, seed_docs) -> None:
    with open_store(tmp_path / "kg") as store:
        store.load_ontology()
        for doc in seed_docs.values():
            store.put_document(doc)
        first = len(store), store.store.dump(format=ox.RdfFormat.N_QUADS)
        for doc in reversed(list(seed_docs.values())):
            store.put_document(doc)
        store.load_ontology()
        assert (len(store), store.store.dump(format=ox.RdfFormat.N_QUADS)) == first
        assert len(store) == len(ontology_quads()) + sum(len(document_quads(d)) for d in seed_docs.values())
        expected = [ONTOLOGY_GRAPH, *(graph_iri(d.doc_id) for d in seed_docs.values())]
        assert store.graphs() == sorted(expected)


def test_a_replaced_document_loses_its_old_facts_and_others_keep_theirs(tmp_path: Path) -> None:
    old = make_doc("plan", measure_title="旧的任务")
    new = make_doc("plan", measure_title="新的任务", extra_measure=False)
    other = make_doc("other")
    with open_store(tmp_path / "kg") as store:
        store.put_document(old)
        store.put_document(other)
        other_before = _graph_nquads(store, "other")
        assert store.sparql("ASK { ?m dcterms:title \"旧的任务\" }") == [{"result": True}]
        store.put_document(new)
        assert store.sparql("ASK { ?m dcterms:title \"旧的任务\" }") == [{"result": False}]
        assert store.sparql("ASK { ?m dcterms:title \"新的任务\" }") == [{"result": True}]
        gone = measure_iri("plan", "2")
        assert store.sparql("SELECT ?m ?p WHERE { ?m ?p ?o }", {"m": ox.NamedNode(gone)}) == []
        assert _graph_nquads(store, "other") == other_before
        assert len(list(store.quads(graph_iri("plan")))) == len(document_quads(new))
        store.remove_document("plan")
        assert graph_iri("plan") not in store.graphs()
        assert _graph_nquads(store, "other") == other_before


def test_a_failing_update_leaves_the_old_graph(tmp_path: Path) -> None:
    """The property put_graph relies on: one update string is one transaction."""
    with open_store(tmp_path / "kg") as store:
        store.put_document(make_doc("plan"))
        before = _graph_nquads(store, "plan")
        g = graph_iri("plan")
        with pytest.raises(OSError):
            # the LOAD fails (no such host) after the DROP and the INSERT have run
            store.store.update(f"DROP GRAPH <{g}> ; "
                               f"INSERT DATA {{ GRAPH <{g}> {{ <http://a> <http://b> 1 }} }} ; "
                               "LOAD <http://invalid.invalid/x.ttl>")
        assert _graph_nquads(store, "plan") == before


@pytest.mark.slow
def test_kill_9_during_writes_leaves_one_whole_version(tmp_path: Path) -> None:
    """A writer replacing one big graph with two alternating versions is killed at random
    moments; the graph is always exactly one of the two versions."""
    path = tmp_path / "kg"
    script = (
        "import pyoxigraph as ox\n"
        "G = 'https://w3id.org/policy-kg/id/graph/big'\n"
        "def version(tag, n):\n"
        "    return [ox.Quad(ox.NamedNode(f'http://s/{i}'), ox.NamedNode('http://p'),\n"
        "                    ox.Literal(f'{tag}{i}'), ox.NamedNode(G)) for i in range(n)]\n"
        "a, b = version('a', 10000), version('b', 15000)\n"
        "s.put_graph(G, a)\n"
        "print('ready', flush=True)\n"
        "i = 0\n"
        "while True:\n"
        "    s.put_graph(G, b if i % 2 == 0 else a)\n"
        "    i += 1\n"
    )
    for delay in (0.1, 0.35, 0.7):
        code = f"from kg.store import open_store\ns = open_store({str(path)!r})\n{script}"
        proc = subprocess.Popen([PY, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready", proc.stderr.read()
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        with open_store(path) as store:
            values = [q.object.value for q in store.quads("https://w3id.org/policy-kg/id/graph/big")]
        tags = {v[0] for v in values}
        assert (tags, len(values)) in (({"a"}, 10000), ({"b"}, 15000)), (tags, len(values))


# -- one writer, many readers ---------------------------------------------------------------

def test_a_second_writer_gets_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "kg"
    holder = _holder(path)
    try:
        with pytest.raises(StoreLocked) as err:
            open_store(path)
        assert str(err.value) == f"store is locked by another process: {path}"
        res = subprocess.run([str(Path(PY).parent / "kg"), "build", str(SEEDS), "--store", str(path)],
                             cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert res.returncode == 1
        assert res.stderr.strip().splitlines()[-1] == f"Error: store is locked by another process: {path}"
        assert "Traceback" not in res.stderr
    finally:
        _release(holder)
    with open_store(path) as store:  # the lock goes with the process
        assert len(store) == 0


def test_readers_work_beside_a_writer_and_see_what_was_committed(tmp_path: Path) -> None:
    path = tmp_path / "kg"
    with open_store(path) as store:
        store.put_document(make_doc("plan"))
    holder = _holder(path, "from tests.test_rdf import make_doc\ns.put_document(make_doc('second'))")
    try:
        with open_store(path, read_only=True) as reader:
            assert reader.counts()["documents"] == 2
            with pytest.raises(StoreError, match="read-only"):
                reader.put_document(make_doc("third"))
    finally:
        _release(holder)


def test_close_releases_the_lock_in_this_process(tmp_path: Path) -> None:
    path = tmp_path / "kg"
    store = open_store(path)
    with pytest.raises(StoreLocked):
        open_store(path)
    store.close()
    with open_store(path) as again:
        assert len(again) == 0


def test_reading_a_missing_store_says_so(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store at"):
        open_store(tmp_path / "nothing", read_only=True)
    assert not (tmp_path / "nothing").exists()


# -- SPARQL ---------------------------------------------------------------------------------

def test_sparql_rows_are_plain_values_and_bindings_are_not_spliced(tmp_path: Path) -> None:
    with open_store(tmp_path / "kg") as store:
        store.load_ontology()
        store.put_document(make_doc("plan"))
        rows = store.sparql("SELECT ?key ?year ?school ?title WHERE { ?m a pkg:Measure ; pkg:key ?key ; "
                            "pkg:schoolConstruction ?school ; dcterms:title ?title "
                            "OPTIONAL { ?m pkg:deadlineYear ?year } } ORDER BY ?key")
        assert rows == [{"key": "1", "year": 2025, "school": True, "title": "推动学前教育普及普惠"},
                        {"key": "2", "year": None, "school": False, "title": "加强教师队伍建设"}]
        rows = store.sparql("SELECT ?v WHERE { ?i a pkg:Indicator ; pkg:value ?v } ORDER BY ?v")
        assert rows == [{"v": 93.0}, {"v": 2400.0}]
        hostile = '"} ; DROP ALL ; #'
        assert store.sparql("SELECT ?title ?m WHERE { ?m dcterms:title ?title }", {"title": hostile}) == []
        assert store.sparql("SELECT ?title ?m WHERE { ?m dcterms:title ?title }",
                            {"title": "加强教师队伍建设"}) == [{"title": "加强教师队伍建设",
                                                          "m": measure_iri("plan", "2")}]
        assert len(store) > 0  # the DROP in the bound value did nothing
        triples = store.sparql("CONSTRUCT { ?m pkg:key ?k } WHERE { ?m pkg:key ?k }")
        assert sorted(t["object"] for t in triples) == ["1", "2"]
        with pytest.raises(StoreError, match="SPARQL syntax error"):
            store.sparql("SELECT ?x WHERE { ?x ")
        roles = store.sparql("SELECT ?name WHERE { pkg:LeadRole pkg:roleName ?name }")
        assert roles == [{"name": "lead"}]


# -- SHACL ----------------------------------------------------------------------------------

def test_shapes_pass_on_seeds_and_a_full_hand_document(tmp_path: Path, seed_docs) -> None:
    with open_store(tmp_path / "kg") as store:
        store.load_ontology()
        for doc in seed_docs.values():
            store.put_document(doc)
        store.put_document(make_doc("hand"))
        result = validate_graph(to_rdflib(store))
    assert result.violations == []


BROKEN = """
@prefix pkg: <https://w3id.org/policy-kg/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/policy-kg/id/> .
id:measure\\/broken\\/1 a pkg:Measure ; pkg:key "1" ; dcterms:title "no document" ;
    pkg:schoolConstruction false .
id:indicator\\/broken\\/1 a pkg:Indicator ; pkg:inDocument id:doc\\/hand ; pkg:subject "x" ;
    pkg:operator ">=" ; pkg:value "ninety" .
id:membership\\/broken\\/1 a org:Membership ; org:role pkg:GroupMember .
id:source\\/broken\\/9-5\\/selector a oa:TextPositionSelector, oa:TextQuoteSelector ;
    oa:start 9 ; oa:end 5 ; oa:exact "" .
"""


def _broken_quads() -> list[ox.Quad]:
    g = ox.NamedNode(graph_iri("broken"))
    triples = ox.parse(BROKEN, format=ox.RdfFormat.TURTLE)
    return [ox.Quad(t.subject, t.predicate, t.object, g) for t in triples]


def test_validate_fails_on_a_broken_graph_with_a_readable_report(tmp_path: Path) -> None:
    path = tmp_path / "kg"
    with open_store(path) as store:
        store.load_ontology()
        store.put_document(make_doc("hand"))
        store.put_graph(graph_iri("broken"), _broken_quads())
    res = CliRunner().invoke(main, ["validate", "--store", str(path)])
    assert res.exit_code == 1, res.output
    out = res.output
    assert "id:measure/broken/1 pkg:inDocument: a measure belongs to exactly one document" in out
    assert "id:indicator/broken/1 pkg:value: an indicator has one numeric" in out
    assert "id:indicator/broken/1 pkg:unit: an indicator has one unit of measure" in out
    assert "id:membership/broken/1 org:member: a membership has exactly one member" in out
    assert "id:membership/broken/1 org:organization: a membership is in exactly one organization" in out
    assert "id:source/broken/9-5/selector oa:start: a selector has one start offset" in out
    assert "Traceback" not in out
    # one document at a time: the hand-made one is fine
    res = CliRunner().invoke(main, ["validate", "--store", str(path), "--document", "hand"])
    assert res.exit_code == 0, res.output
    assert res.output.startswith("conforms:")


# -- the CLI --------------------------------------------------------------------------------

@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    shutil.copytree(SEEDS, folder)
    return folder


def test_build_stats_sparql_on_the_seeds(tmp_path: Path, corpus: Path, seed_docs) -> None:
    path = tmp_path / "kg"
    runner = CliRunner()
    res = runner.invoke(main, ["build", str(corpus), "--store", str(path)])
    assert res.exit_code == 0, res.output
    expected = sum(len(document_quads(d)) for d in seed_docs.values())
    assert "5 read, 0 skipped, 0 failed" in res.stdout
    assert f"{expected} triples written to {path}" in res.stdout
    res2 = runner.invoke(main, ["build", str(corpus), "--store", str(path)])
    assert res2.exit_code == 0
    assert res2.stdout.splitlines()[1] == res.stdout.splitlines()[1]  # same store totals
    stats = json.loads(runner.invoke(main, ["stats", "--store", str(path), "--format", "json"]).stdout)
    assert stats["documents"] == 5
    assert stats["triples"] == expected + len(ontology_quads())
    assert stats["measures"] == sum(len(d.measures) for d in seed_docs.values())
    assert stats["indicators"] == sum(len(d.indicators) for d in seed_docs.values())
    table = runner.invoke(main, ["stats", "--store", str(path)]).stdout
    assert "measures" in table and str(stats["measures"]) in table
    q = ("SELECT ?id ?title WHERE { ?d a pkg:PolicyDocument ; dcterms:title ?title ; pkg:sourceFile ?id } "
         "ORDER BY ?id")
    res = runner.invoke(main, ["sparql", q, "--store", str(path), "--format", "json"])
    rows = json.loads(res.stdout)
    assert [r["id"] for r in rows] == sorted(p.name for p in SEEDS.glob("*.txt"))
    res = runner.invoke(main, ["sparql", q, "--store", str(path), "--format", "csv"])
    assert res.stdout.splitlines()[0] == "id,title" and len(res.stdout.splitlines()) == 6
    qfile = tmp_path / "q.rq"
    qfile.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?m a pkg:Measure }", encoding="utf-8")
    res = runner.invoke(main, ["sparql", str(qfile), "--store", str(path), "--format", "json"])
    assert json.loads(res.stdout) == [{"n": stats["measures"]}]
    doc = "d=<https://w3id.org/policy-kg/id/doc/000_ae36dece8040c579>"
    res = runner.invoke(main, ["sparql", "SELECT ?d ?t WHERE { ?d dcterms:title ?t }", "--store", str(path),
                               "--format", "json", "--param", doc])
    assert [r["t"] for r in json.loads(res.stdout)] == [seed_doc("000").meta.title]
    res = runner.invoke(main, ["sparql", "SELECT ?x WHERE {", "--store", str(path)])
    assert res.exit_code == 1 and "SPARQL syntax error" in res.output
    res = runner.invoke(main, ["validate", "--store", str(path)])
    assert res.exit_code == 0, res.output


def test_build_reports_unreadable_files_and_builds_the_rest(tmp_path: Path, corpus: Path) -> None:
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    (corpus / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    path = tmp_path / "kg"
    args = ["build", str(corpus), str(tmp_path / "missing.txt"), "--store", str(path)]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 1
    errors = res.stderr.splitlines()
    assert f"{corpus / 'empty.txt'}: empty file" in errors
    assert f"{corpus / 'binary.txt'}: binary file (PNG image)" in errors
    assert f"{tmp_path / 'missing.txt'}: no such file or directory" in errors
    assert "5 read, 0 skipped, 3 failed" in res.stdout
    with open_store(path, read_only=True) as store:
        assert store.counts()["documents"] == 5


def test_a_changed_file_replaces_only_its_graph(tmp_path: Path, corpus: Path) -> None:
    path = tmp_path / "kg"
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(corpus), "--store", str(path)]).exit_code == 0
    with open_store(path, read_only=True) as store:
        before = {g: _graph_nquads(store, g.rsplit("/", 1)[1]) for g in store.document_graphs()}
    changed = next(corpus.glob("001_*.txt"))
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("整改", "改正"), encoding="utf-8")
    assert runner.invoke(main, ["build", str(corpus), "--store", str(path)]).exit_code == 0
    with open_store(path, read_only=True) as store:
        after = {g: _graph_nquads(store, g.rsplit("/", 1)[1]) for g in store.document_graphs()}
        assert store.counts()["documents"] == 5
    diff = sorted(g for g in before if before[g] != after[g])
    assert diff == [graph_iri(changed.stem)]


def test_two_files_with_one_stem_in_two_folders_are_two_documents(tmp_path: Path, corpus: Path) -> None:
    first = next(corpus.glob("000_*.txt"))
    other = corpus / "sub" / first.name
    other.parent.mkdir()
    shutil.copy(first, other)
    res = CliRunner().invoke(main, ["build", str(corpus), "--store", str(tmp_path / "kg")])
    assert res.exit_code == 0, res.output
    assert "6 read, 0 skipped, 0 failed" in res.stdout
    with open_store(tmp_path / "kg", read_only=True) as store:
        assert graph_iri(f"sub/{first.stem}") in store.document_graphs()


def test_build_with_workers_gives_the_same_store(tmp_path: Path, corpus: Path) -> None:
    runner = CliRunner()
    dumps = []
    for workers, name in ((1, "one"), (2, "two")):
        res = runner.invoke(main, ["build", str(corpus), "--store", str(tmp_path / name),
                                   "--workers", str(workers)])
        assert res.exit_code == 0, res.output
        with open_store(tmp_path / name, read_only=True) as store:
            dumps.append(store.store.dump(format=ox.RdfFormat.N_QUADS))
    assert dumps[0] == dumps[1]


def test_hand_document_measures_count_in_the_build_summary(tmp_path: Path) -> None:
    doc = make_doc("plan")
    doc.measures.append(Measure(key="3", title="第三项", text="第三项", span=Span(0, 1, doc.source[0])))
    with open_store(tmp_path / "kg") as store:
        store.put_document(doc)
        counts = store.counts()
    kinds = ("measures", "people", "groups", "indicators", "schools")
    assert [counts[k] for k in kinds] == [3, 2, 1, 2, 1]
    assert counts["organizations"] == 3


def test_build_into_an_unreachable_neo4j_is_one_clear_line(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["build", str(SEEDS), "--backend", "neo4j",
                                    "--neo4j-uri", "bolt://127.0.0.1:9", "--store", str(tmp_path / "kg")])
    assert res.exit_code == 1
    assert res.output.strip().splitlines() == [
        "Error: cannot reach Neo4j at bolt://127.0.0.1:9 (is it running? try: scripts/neo4j-local start)"]
    assert not (tmp_path / "kg").exists()  # the embedded store is not touched

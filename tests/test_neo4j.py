"""The Neo4j backend against a real Neo4j Community server, never a mock.

The server is the one scripts/test starts (scripts/neo4j-local) at bolt://127.0.0.1:$KG_NEO4J_PORT
(a free port scripts/test picks; 7697 when run by hand). The tests clear it, so they first check
it carries this run's marker (tests/neo4j_guard.py) and refuse any other server. If it cannot
be reached, or is refused, the tests skip, or fail when KG_REQUIRE_NEO4J=1 (as in scripts/test).

What Neo4j holds is checked against what the quads imply, computed here from the quads alone:
every node, its labels, every property value, every relationship and the graph it came from.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.cli import main as kg_main
from kg.store.neo4j import (
    ALWAYS_LIST,
    RDF_TYPE,
    RESERVED,
    Neo4jError,
    Neo4jStore,
    Settings,
    Value,
    _explain,
    display_uri,
    literal_value,
    local_name,
    prop_name,
    rel_type,
    to_rows,
)
from tests import neo4j_guard
from tests.conftest import ROOT, SEEDS, seed_doc

PORT = int(os.environ.get("KG_NEO4J_PORT", "7697"))
URI = f"bolt://127.0.0.1:{PORT}"
REQUIRED = os.environ.get("KG_REQUIRE_NEO4J") == "1"
ID = "https://w3id.org/policy-kg/id/"
P = "https://w3id.org/policy-kg/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"

server = pytest.mark.neo4j


# -- what the quads imply ---------------------------------------------------------------------

class Expected:
    """The Neo4j image of a set of named graphs, derived from the quads without the loader."""

    def __init__(self, graphs: dict[str, Iterable[ox.Quad]]) -> None:
        self.labels: dict[str, set[str]] = defaultdict(set)
        self.props: dict[str, dict[str, set[Value]]] = defaultdict(lambda: defaultdict(set))
        self.graphs: dict[str, set[str]] = defaultdict(set)
        self.rels: Counter[tuple[str, str, str, str]] = Counter()
        seen_rels: set[tuple[str, str, str, str]] = set()
        for g, quads in graphs.items():
            per_graph: dict[str, dict[str, set[Value]]] = defaultdict(lambda: defaultdict(set))
            for q in quads:
                s = self.key(q.subject, g)
                self.graphs[s].add(g)
                self.labels[s]  # a subject is a node even with nothing else
                o = q.object
                if q.predicate.value == RDF_TYPE and isinstance(o, ox.NamedNode):
                    if local_name(o.value) != "Resource":
                        self.labels[s].add(local_name(o.value))
                elif isinstance(o, ox.Literal):
                    per_graph[s][prop_name(q.predicate.value)].add(literal_value(o))
                else:
                    t = self.key(o, g)
                    self.graphs[t].add(g)
                    self.labels[t]
                    rel = (rel_type(q.predicate.value), s, t, g)
                    if rel not in seen_rels:  # a quad set: a repeated quad is one statement
                        seen_rels.add(rel)
                        self.rels[rel] += 1
            for node, props in per_graph.items():
                for k, values in props.items():
                    self.props[node][k] |= _one_type(values)

    @staticmethod
    def key(term: Any, graph: str) -> str:
        return f"bnode://{graph}/{term.value}" if isinstance(term, ox.BlankNode) else term.value

    def nodes(self) -> dict[str, tuple[frozenset[str], dict[str, frozenset[Value]], frozenset[str]]]:
        return {n: (frozenset(self.labels[n]), {k: frozenset(_one_type(v)) for k, v in self.props[n].items()},
                    frozenset(self.graphs[n])) for n in self.labels}


def _one_type(values: set[Value]) -> set[Value]:
    return {("s", lex) for _, lex in values} if len({t for t, _ in values}) > 1 else set(values)


def _driver_value(x: Any) -> Value:
    if isinstance(x, bool):
        return ("b", "true" if x else "false")
    if isinstance(x, int):
        return ("i", str(x))
    if isinstance(x, float):
        return ("f", repr(x))
    if isinstance(x, str):
        return ("s", x)
    return ("d", x.iso_format())


def actual(neo: Neo4jStore) -> tuple[dict[str, Any], Counter[tuple[str, str, str, str]]]:
    nodes = {}
    for r in neo.query("MATCH (n:Resource) RETURN n.uri AS uri, labels(n) AS labels, properties(n) AS p"):
        props = {}
        for k, v in r["p"].items():
            if k in RESERVED:
                continue
            if k in ALWAYS_LIST:
                assert isinstance(v, list), f"{k} of {r['uri']} should always be a list"
            props[k] = frozenset(_driver_value(x) for x in (v if isinstance(v, list) else [v]))
        nodes[r["uri"]] = (frozenset(r["labels"]) - {"Resource"}, props, frozenset(r["p"]["kg_graphs"]))
    rels = Counter((r["t"], r["s"], r["o"], r["g"]) for r in neo.query(
        "MATCH (a)-[r]->(b) RETURN type(r) AS t, a.uri AS s, b.uri AS o, r.graph AS g"))
    return nodes, rels


def assert_holds(neo: Neo4jStore, graphs: dict[str, Iterable[ox.Quad]]) -> None:
    want = Expected({g: list(q) for g, q in graphs.items()})
    nodes, rels = actual(neo)
    expected_nodes = want.nodes()
    missing, extra = set(expected_nodes) - set(nodes), set(nodes) - set(expected_nodes)
    assert not missing and not extra, f"missing {sorted(missing)[:5]}, extra {sorted(extra)[:5]}"
    for uri, got in nodes.items():
        assert got == expected_nodes[uri], uri
    assert rels == want.rels
    assert neo.counts() == (len(expected_nodes), sum(want.rels.values()))
    assert sorted(neo.graphs()) == sorted(g for g, q in graphs.items() if list(q))


# -- fixtures ---------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def neo4j_server() -> str:
    try:
        with Neo4jStore(Settings(uri=URI)) as store:
            neo4j_guard.check(store)
    except Neo4jError as e:
        msg = f"{e}; start it with: KG_NEO4J_TEST=1 KG_NEO4J_PORT={PORT} scripts/neo4j-local start"
        if REQUIRED:
            pytest.fail(f"KG_REQUIRE_NEO4J=1 but {msg}")
        pytest.skip(msg)
    except neo4j_guard.NotOurs as e:  # somebody else's server: never clear it
        if REQUIRED:
            pytest.fail(str(e))
        pytest.skip(str(e))
    return URI


@pytest.fixture(scope="session")
def session_neo(neo4j_server: str) -> Iterator[Neo4jStore]:
    with Neo4jStore(Settings(uri=neo4j_server)) as neo:
        yield neo


@pytest.fixture
def neo(session_neo: Neo4jStore) -> Neo4jStore:
    neo4j_guard.clear(session_neo)
    return session_neo


def q(g: str, s: str, p: str, o: ox.NamedNode | ox.Literal | ox.BlankNode) -> ox.Quad:
    subject = ox.BlankNode(s[2:]) if s.startswith("_:") else ox.NamedNode(ID + s)
    return ox.Quad(subject, ox.NamedNode(p), o, ox.NamedNode(ID + "graph/" + g))


def lit(value: str, dtype: str | None = None, lang: str | None = None) -> ox.Literal:
    if dtype:
        return ox.Literal(value, datatype=ox.NamedNode(XSD + dtype))
    return ox.Literal(value, language=lang) if lang else ox.Literal(value)


def gi(name: str) -> str:
    return ID + "graph/" + name


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_kg(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`kg` as a user runs it: a separate process, so a traceback would show on stderr."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-c", "from kg.cli import main; main()", *args],
                          cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=120)


# -- the mapping, without a server ------------------------------------------------------------

def test_mapping_rows() -> None:
    quads = [
        q("d", "m/1", RDF_TYPE, ox.NamedNode(P + "Measure")),
        q("d", "m/1", DCT + "title", lit("标题", lang="zh")),
        q("d", "m/1", P + "deadlineYear", lit("2025", "gYear")),
        q("d", "m/1", P + "value", lit("2.50", "decimal")),
        q("d", "m/1", P + "schoolConstruction", lit("true", "boolean")),
        q("d", "m/1", DCT + "issued", lit("2023-02-01", "date")),
        q("d", "m/1", DCT + "created", lit("2023-02-30", "date")),  # not a date: stays text
        q("d", "m/1", P + "leadUnit", ox.NamedNode(ID + "org/x")),
        q("d", "org/x", SKOS + "altLabel", lit("教委", lang="zh")),
        q("d", "org/x", "http://example.org/uri", lit("clash")),
        q("d", "_:b1", P + "unit", ox.NamedNode(ID + "org/x")),
    ]
    rows = to_rows(quads, gi("d"))
    m = rows.contrib[ID + "m/1"]
    assert m["rdf:type"] == [("s", "Measure")]
    assert m["deadlineYear"] == [("i", "2025")]
    assert m["value"] == [("f", "2.5")]
    assert m["schoolConstruction"] == [("b", "true")]
    assert m["issued"] == [("d", "2023-02-01")]
    assert m["created"] == [("s", "2023-02-30")]
    assert rows.contrib[ID + "org/x"]["uri_"] == [("s", "clash")]  # never overwrites the key
    assert f"bnode://{gi('d')}/b1" in rows.contrib  # blank nodes are scoped to their graph
    assert rows.rels == {"LEAD_UNIT": [(ID + "m/1", ID + "org/x")],
                         "UNIT": [(f"bnode://{gi('d')}/b1", ID + "org/x")]}
    assert (rows.node_count, rows.rel_count) == (3, 2)


def test_mapping_refuses_unsafe_names() -> None:
    for bad in ("http://x/a'b", "http://x/a b", "http://x/a\\b", "http://x/1abc"):
        try:
            iri = ox.NamedNode(bad)
        except ValueError:
            continue  # not even an IRI
        with pytest.raises(Neo4jError) as exc:
            to_rows([q("d", "m/1", RDF_TYPE, iri)], gi("d"))
        assert "\n" not in str(exc.value)
        with pytest.raises(Neo4jError):
            to_rows([q("d", "a", iri.value, ox.NamedNode(ID + "b"))], gi("d"))


def test_password_never_in_messages() -> None:
    s = Settings(uri="bolt://127.0.0.1:1", user="neo4j", password="hunter2-secret")
    assert "hunter2" not in repr(s) and "hunter2" not in str(s)
    assert display_uri("bolt://neo4j:pw@host:7687") == "bolt://host:7687"
    assert "hunter2" not in _explain(RuntimeError("echo hunter2-secret back"), s)
    with pytest.raises(Neo4jError) as exc:
        Neo4jStore(Settings(uri="bolt://neo4j:hunter2-secret@127.0.0.1:1"))
    assert "hunter2" not in str(exc.value) and "not in the URI" in str(exc.value)
    with pytest.raises(Neo4jError, match="bad Neo4j URI"):
        Neo4jStore(Settings(uri="http://127.0.0.1:7474"))


def test_unreachable_server_is_one_line(tmp_path: Path) -> None:
    store = tmp_path / "store"
    ox.Store(str(store)).add(q("d", "m/1", P + "leadUnit", ox.NamedNode(ID + "org/x")))
    port = free_port()
    out = run_kg("push", "--store", str(store), "--neo4j-uri", f"bolt://127.0.0.1:{port}")
    assert out.returncode == 1
    assert out.stderr.strip() == (f"Error: cannot reach Neo4j at bolt://127.0.0.1:{port} "
                                  "(is it running? try: scripts/neo4j-local start)")


# -- against the server -----------------------------------------------------------------------

def _seed_graphs() -> dict[str, list[ox.Quad]]:
    from kg.ontology import ONTOLOGY_GRAPH, ontology_quads
    from kg.rdf import document_quads, graph_iri

    graphs = {ONTOLOGY_GRAPH: list(ontology_quads())}
    for path in sorted(SEEDS.glob("*.txt")):
        doc = seed_doc(path.name[:3])
        graphs[graph_iri(doc.doc_id)] = document_quads(doc)
    return graphs


@server
@pytest.mark.slow
def test_seeds_match_the_quads_and_reload_is_idempotent(neo: Neo4jStore) -> None:
    graphs = _seed_graphs()
    for g, quads in graphs.items():
        rows = neo.put_graph(g, quads)
        assert rows.node_count == len(Expected({g: quads}).nodes())
    assert_holds(neo, graphs)
    counts = neo.counts()
    assert counts[0] > 500 and counts[1] > 1000
    for g, quads in graphs.items():  # the same files again: nothing changes
        neo.put_graph(g, quads)
    assert neo.counts() == counts
    assert_holds(neo, graphs)


@server
@pytest.mark.slow
def test_push_from_the_oxigraph_store_gives_its_counts(neo: Neo4jStore, tmp_path: Path) -> None:
    """`kg push` copies the embedded store; Neo4j then has the nodes and edges SPARQL counts."""
    from kg.store import open_store

    with open_store(tmp_path / "store") as store:
        store.load_ontology()
        for path in sorted(SEEDS.glob("*.txt")):
            store.put_document(seed_doc(path.name[:3]))
    result = CliRunner().invoke(
        kg_main,
        ["push", "--store", str(tmp_path / "store"), "--neo4j-uri", URI], env={"NEO4J_PASSWORD": ""})
    assert result.exit_code == 0, result.output
    assert "pushed 6 graphs" in result.output
    raw = ox.Store.read_only(str(tmp_path / "store"))
    union_nodes = """SELECT (COUNT(DISTINCT ?n) AS ?c) WHERE { GRAPH ?g {
        { ?n ?p ?o } UNION { ?s ?p ?n FILTER(!isLiteral(?n) && ?p != rdf:type) } } }"""
    edges = "SELECT (COUNT(*) AS ?c) WHERE { GRAPH ?g { ?s ?p ?o FILTER(!isLiteral(?o) && ?p != rdf:type) } }"
    measures = "SELECT (COUNT(DISTINCT ?m) AS ?c) WHERE { GRAPH ?g { ?m a pkg:Measure } }"
    prefix = f"PREFIX rdf: <{RDF_TYPE[:-4]}> PREFIX pkg: <{P}>\n"

    def count(query: str) -> int:
        return int(next(iter(raw.query(prefix + query)))["c"].value)

    assert neo.counts() == (count(union_nodes), count(edges))
    assert neo.query("MATCH (m:Measure) RETURN count(m) AS n")[0]["n"] == count(measures)
    graphs = {g.value: list(raw.quads_for_pattern(None, None, None, g)) for g in raw.named_graphs()}
    assert_holds(neo, graphs)
    result = CliRunner().invoke(kg_main,
                                ["push", "--store", str(tmp_path / "store"), "--neo4j-uri", URI])
    assert result.exit_code == 0 and neo.counts() == (count(union_nodes), count(edges))


@server
@pytest.mark.slow
def test_replacing_a_seed_removes_only_its_facts(neo: Neo4jStore) -> None:
    graphs = _seed_graphs()
    # The seeds come from different places and share no organization, so another document
    # names the organizations of seed 000 (its own copy of their statements) and one measure.
    g = next(x for x in graphs if x.endswith("/000_ae36dece8040c579"))
    orgs = sorted({x.subject.value for x in graphs[g] if "/id/org/" in x.subject.value})
    assert orgs, "seed 000 names no organization"
    other = gi("other-doc")
    graphs[other] = [ox.Quad(x.subject, x.predicate, x.object, ox.NamedNode(other))
                     for x in graphs[g] if x.subject.value in orgs]
    graphs[other].append(q("other-doc", "measure/other-doc/1", P + "leadUnit", ox.NamedNode(orgs[0])))
    for name, quads in graphs.items():
        neo.put_graph(name, quads)
    assert_holds(neo, graphs)
    # the modified version: half the statements gone, a new alias on a shared organization
    org = orgs[0]
    alias = ox.Quad(ox.NamedNode(org), ox.NamedNode(SKOS + "altLabel"), lit("只在新版本里"), ox.NamedNode(g))
    modified = [*graphs[g][::2], alias]
    neo.put_graph(g, modified)
    assert_holds(neo, {**graphs, g: modified})
    node = neo.query("MATCH (n:Resource {uri: $u}) RETURN n.altLabel AS a, n.kg_graphs AS g", {"u": org})[0]
    assert "只在新版本里" in node["a"] and g in node["g"]
    neo.remove_graph(g)  # the document gone: the organizations others name stay, without its alias
    rest = {k: v for k, v in graphs.items() if k != g}
    assert_holds(neo, rest)
    node = neo.query("MATCH (n:Resource {uri: $u}) RETURN n.altLabel AS a, n.kg_graphs AS g", {"u": org})[0]
    assert "只在新版本里" not in (node["a"] or []) and g not in node["g"]


@server
def test_shared_node_shows_the_union_and_gives_back_exactly(neo: Neo4jStore) -> None:
    def doc(g: str, alias: str, formal: bool) -> list[ox.Quad]:
        out = [q(g, f"m/{g}", RDF_TYPE, ox.NamedNode(P + "Measure")),
               q(g, f"m/{g}", P + "leadUnit", ox.NamedNode(ID + "org/x")),
               q(g, "org/x", RDF_TYPE, ox.NamedNode("http://www.w3.org/ns/org#Organization")),
               q(g, "org/x", SKOS + "prefLabel", lit("区教委", lang="zh")),
               q(g, "org/x", SKOS + "altLabel", lit(alias, lang="zh"))]
        if formal:
            out.append(q(g, "org/x", RDF_TYPE, ox.NamedNode("http://www.w3.org/ns/org#FormalOrganization")))
        return out

    a, b = doc("a", "教委", True), doc("b", "教育委员会", False)
    neo.put_graph(gi("a"), a)
    neo.put_graph(gi("b"), b)
    assert_holds(neo, {gi("a"): a, gi("b"): b})
    row = neo.query("MATCH (n:Organization {uri: $u}) RETURN labels(n) AS l, n.altLabel AS a",
                    {"u": ID + "org/x"})
    assert set(row[0]["l"]) == {"Resource", "Organization", "FormalOrganization"}
    assert sorted(row[0]["a"]) == ["教委", "教育委员会"]
    a2 = doc("a", "教委2", False)
    neo.put_graph(gi("a"), a2)
    assert_holds(neo, {gi("a"): a2, gi("b"): b})
    neo.remove_graph(gi("b"))
    assert_holds(neo, {gi("a"): a2})
    neo.remove_graph(gi("a"))
    assert neo.counts() == (0, 0) and neo.graphs() == []


HOSTILE = [
    "O'Brien \"quoted\" `backtick`",
    "back\\slash \\' \\\" \\u0060 \\n",
    "line one\nline two\r\nthree\ttab",
    "'}) DETACH DELETE n //",
    "\"}) MATCH (n) DETACH DELETE n RETURN 1 //",
    "<script>alert('x')</script>",
    "\u202eRTL override\u202c and zero\u200bwidth\u200d joiner \ufeff",
    "emoji 🏫 and 中文，全角标点",
    "",
    "$g {rows} ${x}",
]


@server
def test_hostile_strings_are_stored_verbatim(neo: Neo4jStore) -> None:
    neo.put_graph(gi("keep"), [q("keep", "org/keep", SKOS + "prefLabel", lit("must survive"))])
    quads = [q("h", f"m/{i}", DCT + "title", lit(text)) for i, text in enumerate(HOSTILE)]
    quads += [q("h", "m/0", SKOS + "altLabel", lit(text)) for text in HOSTILE]
    quads += [q("h", "m/0", "http://example.org/we'ird(prop)!", lit("odd property name"))]
    quads += [q("h", "m/0", P + "leadUnit", ox.NamedNode(ID + "org/%27%7D)%20DETACH%20DELETE%20n%20//"))]
    neo.put_graph(gi("h"), quads)
    neo.put_graph(gi("h"), quads)
    titles = {r["u"]: r["t"] for r in neo.query("MATCH (m:Resource) WHERE m.title IS NOT NULL "
                                                  "RETURN m.uri AS u, m.title AS t")}
    assert titles == {ID + f"m/{i}": text for i, text in enumerate(HOSTILE)}
    row = neo.query("MATCH (m:Resource {uri: $u}) RETURN m.altLabel AS a, properties(m) AS p",
                    {"u": ID + "m/0"})[0]
    assert sorted(row["a"]) == sorted(HOSTILE)
    assert row["p"]["we'ird(prop)!"] == "odd property name"
    assert neo.query("MATCH (n:Resource {uri: $u}) RETURN n.prefLabel AS l", {"u": ID + "org/keep"}) == [
        {"l": "must survive"}]
    assert_holds(neo, {gi("keep"): [q("keep", "org/keep", SKOS + "prefLabel", lit("must survive"))],
                       gi("h"): quads})


# Small random histories of loads and removals over a few shared nodes: after every step Neo4j
# must hold exactly the union of the graphs as they now are.
_NODES = ["org/1", "org/2", "m/1"]
_fact = st.one_of(
    st.tuples(st.just("type"), st.sampled_from(_NODES), st.sampled_from(["Organization", "Measure", "Post"])),
    st.tuples(st.just("alt"), st.sampled_from(_NODES), st.sampled_from(["a", "b", "c"])),
    st.tuples(st.just("year"), st.sampled_from(_NODES), st.sampled_from(["2020", "2021"])),
    st.tuples(st.just("value"), st.sampled_from(_NODES), st.sampled_from(["1", "x"])),  # int or text
    st.tuples(st.just("rel"), st.sampled_from(_NODES), st.sampled_from(_NODES)),
)
_step = st.tuples(st.sampled_from(["g1", "g2", "g3"]), st.lists(_fact, max_size=7))


def _quads(g: str, facts: list[tuple[str, str, str]]) -> list[ox.Quad]:
    out = []
    for kind, node, arg in facts:
        if kind == "type":
            out.append(q(g, node, RDF_TYPE, ox.NamedNode(P + arg)))
        elif kind == "alt":
            out.append(q(g, node, SKOS + "altLabel", lit(arg, lang="zh")))
        elif kind == "year":
            out.append(q(g, node, P + "deadlineYear", lit(arg, "gYear")))
        elif kind == "value":
            out.append(q(g, node, P + "value", lit(arg, "integer") if arg.isdigit() else lit(arg)))
        else:
            out.append(q(g, node, P + "leadUnit", ox.NamedNode(ID + arg)))
    return out


@server
@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.lists(_step, min_size=1, max_size=4), min_size=1, max_size=5))
def test_any_history_of_loads_leaves_the_union(session_neo: Neo4jStore,
                                               steps: list[list[tuple[str, list[Any]]]]) -> None:
    """Each step loads one or more graphs; several go through put_graphs, which puts them in
    one transaction (splitting where a graph comes twice)."""
    neo = session_neo
    neo4j_guard.clear(neo)
    state: dict[str, list[ox.Quad]] = {}
    for step in steps:
        batch = [(gi(g), _quads(g, facts)) for g, facts in step]
        if len(batch) == 1:
            neo.put_graph(*batch[0])  # no facts: the graph is removed
        else:
            assert neo.put_graphs(batch) == (len(batch), sum(len(x) for _, x in batch))
        state.update(batch)
        assert_holds(neo, state)


@server
@pytest.mark.slow
def test_concurrent_loads_of_documents_sharing_nodes(neo: Neo4jStore) -> None:
    """Two writers replace their own documents over and over; both name the same
    organizations. The locks taken before reading shared nodes keep every count exact."""
    import threading

    def version(g: str, i: int) -> list[ox.Quad]:
        # org/shared only has labels and values, no relationship: nothing but the loader's
        # own lock orders the writers on it (relationship writes lock their end nodes anyway)
        shared = _quads(g, [("type", "org/shared", "Organization"), ("alt", "org/shared", f"{g}-{i % 3}"),
                            ("type", "org/shared", "Post" if i % 2 else "Measure")])
        # nodes of its own between reading the shared node and writing it widen the window
        # in which an unlocked read would go stale
        own = [q(g, f"m/{g}/{k}", P + "leadUnit", ox.NamedNode(ID + f"org/{g}")) for k in range(200 + i)]
        return shared + own

    last: dict[str, list[ox.Quad]] = {}
    errors: list[BaseException] = []

    def writer(g: str) -> None:
        try:
            with Neo4jStore(Settings(uri=URI)) as own:
                for i in range(20):
                    own.put_graph(gi(g), version(g, i))
                last[gi(g)] = version(g, 19)
        except BaseException as e:  # reported by the main thread
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(g,)) for g in ("w1", "w2", "w3")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    assert_holds(neo, last)


@server
@pytest.mark.slow
def test_concurrent_loads_of_one_document(neo: Neo4jStore) -> None:
    """Two writers race to replace the same document: it ends as one of their versions,
    whole (the bookkeeping node's lock makes them take turns)."""
    import threading

    def version(who: str, i: int) -> list[ox.Quad]:
        org = ox.NamedNode(ID + "org/same")
        return [q("same", f"m/{who}/{k}", P + "leadUnit", org) for k in range(150 + i)]

    errors: list[BaseException] = []

    def writer(who: str) -> None:
        try:
            with Neo4jStore(Settings(uri=URI)) as own:
                for i in range(10):
                    own.put_graph(gi("same"), version(who, i))
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(w,)) for w in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    winner = "a" if neo.query("MATCH (n:Resource {uri: $u}) RETURN n", {"u": ID + "m/a/0"}) else "b"
    assert_holds(neo, {gi("same"): version(winner, 9)})


# -- a server that is not ours is refused, never cleared ----------------------------------------

def _sentinel(neo: Neo4jStore) -> int:
    return neo.query("MATCH (n:KgSentinel {v: 'keep me'}) RETURN count(n) AS n")[0]["n"]


@server
def test_a_server_without_our_marker_is_refused_and_left_as_it_is(neo: Neo4jStore, tmp_path: Path) -> None:
    """Someone else's data on the test port: a database without the marker, or a run whose
    data folder holds another token or none (its server is not this one). Each is refused
    before anything is deleted, by the fixtures the whole suite goes through."""
    neo.query("CREATE (:KgSentinel {v: 'keep me'})")
    neo.query(f"MATCH (m:{neo4j_guard.MARKER}) DELETE m")  # as on a server nobody marked
    try:
        with pytest.raises(neo4j_guard.NotOurs, match="its database has no test marker"):
            neo4j_guard.clear(neo)
        assert _sentinel(neo) == 1
    finally:
        neo.query(f"CREATE (:{neo4j_guard.MARKER} {{token: $t}})", {"t": neo4j_guard.expected_token()})
    neo4j_guard.check(neo)

    # one test from each file whose fixtures clear the server, one way of not being ours each
    for token, target in (("0123456789abcdef-not-this-run",
                           "tests/test_neo4j.py::test_hostile_strings_are_stored_verbatim"),
                          (None, "tests/test_queries.py::test_cli_on_neo4j")):
        data = tmp_path / f"other-run-{token is None}"
        data.mkdir()
        if token:
            (data / "test-token").write_text(token + "\n", encoding="utf-8")
        env = {**os.environ, "KG_NEO4J_DATA": str(data), "KG_NEO4J_PORT": str(PORT), "KG_REQUIRE_NEO4J": "1"}
        run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", target],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert run.returncode == 1, run.stdout[-2000:]
        reason = "another run's test marker" if token else "test-token, so it was not started"
        assert f"refusing to use Neo4j at {URI}" in run.stdout and reason in run.stdout, run.stdout[-2000:]
        assert _sentinel(neo) == 1, f"{target} cleared a server that was not its own"


# -- failures: wrong password, interrupted load -----------------------------------------------

@server
@pytest.mark.slow
def test_wrong_password_is_one_line_without_the_password(tmp_path: Path) -> None:
    """A second, short-lived server with auth on (the shared test server runs with auth off)."""
    port, secret = free_port(), "Pw-for-test-7f3a\"'"
    env = {**os.environ, "KG_NEO4J_PORT": str(port), "KG_NEO4J_DATA": str(tmp_path / "auth-server"),
           "KG_NEO4J_PASSWORD": secret}
    started = subprocess.run([str(ROOT / "scripts/neo4j-local"), "start"], env=env, capture_output=True,
                             text=True, timeout=400)
    try:
        assert started.returncode == 0, started.stderr
        assert secret not in started.stdout + started.stderr
        store = tmp_path / "store"
        ox.Store(str(store)).add(q("d", "m/1", P + "leadUnit", ox.NamedNode(ID + "org/x")))
        uri = f"bolt://127.0.0.1:{port}"
        ok = run_kg("push", "--store", str(store), "--neo4j-uri", uri, env={"NEO4J_PASSWORD": secret})
        assert ok.returncode == 0, ok.stderr
        assert secret not in ok.stdout + ok.stderr
        for how in (["--neo4j-password", "not-" + secret], []):
            env_pw = {} if how else {"NEO4J_PASSWORD": "not-" + secret}
            bad = run_kg("push", "--store", str(store), "--neo4j-uri", uri, *how, env=env_pw)
            assert bad.returncode == 1
            assert bad.stderr.strip() == (
                f"Error: Neo4j at {uri} refused the credentials "
                "(check --neo4j-user/--neo4j-password or NEO4J_USERNAME/NEO4J_PASSWORD)")
            assert secret not in bad.stdout + bad.stderr
        none = run_kg("push", "--store", str(store), "--neo4j-uri", uri)
        assert none.returncode == 1 and "Traceback" not in none.stderr
        assert len(none.stderr.strip().splitlines()) == 1
    finally:
        subprocess.run([str(ROOT / "scripts/neo4j-local"), "stop"], env=env, capture_output=True, timeout=120)
    for log in (tmp_path / "auth-server").rglob("*.log"):
        assert secret not in log.read_text(errors="replace"), f"password in {log}"


_LOADER = textwrap.dedent("""
    import sys, time
    import pyoxigraph as ox
    from kg.store.neo4j import Neo4jStore, Settings
    uri, graph, n, slow = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "slow"
    ID = "https://w3id.org/policy-kg/id/"
    P = "https://w3id.org/policy-kg/ontology#"
    g = ox.NamedNode(graph)
    quads = []
    for i in range(n):
        m = ox.NamedNode(f"{ID}m/new/{i}")
        quads.append(ox.Quad(m, ox.NamedNode("http://purl.org/dc/terms/title"), ox.Literal(f"new {i}"), g))
        quads.append(ox.Quad(m, ox.NamedNode(P + "leadUnit"), ox.NamedNode(ID + "org/shared"), g))
    quads.append(ox.Quad(ox.NamedNode(ID + "org/shared"), ox.NamedNode(P + "note"), ox.Literal("new"), g))
    sent = 0
    def on_batch(what, rows):
        global sent
        sent += 1
        print("BATCH", sent, what, rows, flush=True)
        if slow and sent >= 4:
            time.sleep(0.5)  # give the test time to kill us with the transaction open
    with Neo4jStore(Settings(uri=uri), batch=200) as neo:
        neo.put_graph(graph, quads, on_batch=on_batch)
    print("DONE", flush=True)
""")


@server
@pytest.mark.slow
def test_killed_load_leaves_the_old_graph_whole(neo: Neo4jStore, tmp_path: Path) -> None:
    old = [q("big", f"m/old/{i}", DCT + "title", lit(f"old {i}")) for i in range(300)]
    old += [q("big", f"m/old/{i}", P + "leadUnit", ox.NamedNode(ID + "org/shared")) for i in range(300)]
    old += [q("big", "org/shared", P + "note", lit("old"))]
    other = [q("other", "m/other", P + "leadUnit", ox.NamedNode(ID + "org/shared")),
             q("other", "org/shared", SKOS + "prefLabel", lit("共享单位"))]
    neo.put_graph(gi("big"), old)
    neo.put_graph(gi("other"), other)
    before = actual(neo)
    script = tmp_path / "loader.py"
    script.write_text(_LOADER)
    proc = subprocess.Popen([sys.executable, str(script), URI, gi("big"), "3000", "slow"], cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    seen = []
    for line in proc.stdout:
        seen.append(line.strip())
        if line.startswith("BATCH 4 "):
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert seen and seen[-1].startswith("BATCH 4 "), seen  # killed mid-load, not before or after
    assert actual(neo) == before  # readers never see the half-written version
    # The server rolls the dead client's transaction back and frees its locks: the next load
    # of the same graph goes through and leaves exactly what it says.
    deadline = time.monotonic() + 60
    while True:
        try:
            neo.put_graph(gi("big"), old)
            break
        except Neo4jError:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)
    assert_holds(neo, {gi("big"): old, gi("other"): other})
    # and a load left to finish gives the whole new version
    done = subprocess.run([sys.executable, str(script), URI, gi("big"), "3000", "fast"], cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
                          timeout=300)
    assert done.stdout.strip().endswith("DONE"), done.stderr
    new_count = neo.query("MATCH (m:Resource) WHERE m.uri STARTS WITH $p RETURN count(m) AS n",
                          {"p": ID + "m/new/"})[0]["n"]
    assert new_count == 3000
    assert neo.query("MATCH (m:Resource) WHERE m.uri STARTS WITH $p RETURN count(m) AS n",
                     {"p": ID + "m/old/"})[0]["n"] == 0
    row = neo.query("MATCH (n:Resource {uri: $u}) RETURN n.note AS note, n.prefLabel AS l",
                    {"u": ID + "org/shared"})[0]
    assert row == {"note": "new", "l": "共享单位"}


"""The graph in Neo4j over Bolt, mapped the way neosemantics (n10s) and rdflib-neo4j map RDF.

- every IRI (or blank node) is a node labelled `Resource` with a unique `uri`;
- `rdf:type` objects become labels by local name (Measure, Organization, Person …);
- literals become properties named by the predicate's local name (language tags dropped, as
  n10s does by default); xsd integers and gYear -> integer, decimal/double -> float,
  boolean -> boolean, date -> Date; several values -> a list (`altLabel` is always a list);
- other predicates become relationships named by the local name in UPPER_SNAKE_CASE
  (leadUnit -> LEAD_UNIT, org:member -> MEMBER, inDocument -> IN_DOCUMENT).

Named graphs. One RDF named graph per document, loaded and replaced as a unit inside one
transaction (small documents share one), so a reader, or a crash, sees the old version or
the new one, never a mix.
Relationships carry `graph` (one relationship per graph that states the triple); nodes list
the graphs that mention them in `kg_graphs`. A node several documents share (an organization,
a person) shows the union of what those documents say, as the RDF union graph does; so that a
replaced document takes back exactly its own labels and values, shared nodes keep reference
counts in `kg_refs` (JSON), and each graph has one bookkeeping node
`(:_KgGraph {uri, nodes, contrib})` (n10s keeps its config in `_GraphConfig` the same way)
listing its nodes and fingerprints of what it said about each. That list also makes replacing
a graph an index lookup instead of a scan of the whole database.

Safety: all data travels as query parameters. Labels and relationship types cannot be
parameters on every Neo4j 5 server, so they are checked against a strict pattern (letters,
digits, `_ . -`; no backticks, quotes, backslashes or spaces) before they reach query text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pyoxigraph as ox

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DEFAULT_URI = "bolt://127.0.0.1:7687"
BATCH = 5000
TYPE_KEY = "rdf:type"  # contribution key for labels; never a local name (those have no ':')
ALWAYS_LIST = frozenset({"altLabel"})  # multi-valued by nature: a list even with one value
RESERVED = frozenset({"uri", "kg_graphs", "kg_refs"})  # our own properties on Resource nodes
BOOKKEEPING = "_KgGraph"

_SAFE = re.compile(r"^[^\W\d_][\w.\-]{0,127}$")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTS = {_XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                            "positiveInteger", "nonPositiveInteger", "negativeInteger",
                            "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")}
_FLOATS = {_XSD + t for t in ("decimal", "double", "float")}
_INT64 = (-(2**63), 2**63 - 1)

# A literal as (tag, lexical form): s str, i int, f float, b bool, d date. Hashable and
# JSON-friendly, so reference counts and fingerprints do not depend on driver value types.
Value = tuple[str, str]


class Neo4jError(Exception):
    """A one-line, password-free reason the Neo4j backend cannot do its job."""


@dataclass(frozen=True)
class Settings:
    uri: str = DEFAULT_URI
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    database: str | None = None

    @classmethod
    def from_env(cls, uri: str | None = None, user: str | None = None, password: str | None = None,
                 database: str | None = None) -> Settings:
        return cls(
            uri=uri or os.environ.get("NEO4J_URI") or DEFAULT_URI,
            user=user or os.environ.get("NEO4J_USERNAME") or os.environ.get("NEO4J_USER"),
            password=password or os.environ.get("NEO4J_PASSWORD"),
            database=database or os.environ.get("NEO4J_DATABASE"),
        )

    @property
    def display_uri(self) -> str:
        """The URI fit for messages: a `bolt://user:secret@host` form loses its user part."""
        return display_uri(self.uri)

    def __repr__(self) -> str:  # never print the password
        return f"Settings(uri={self.display_uri!r}, user={self.user!r}, database={self.database!r})"


def display_uri(uri: str) -> str:
    try:
        parts = urlsplit(uri)
    except ValueError:
        return "<invalid URI>"
    if "@" not in parts.netloc:
        return uri
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def local_name(iri: str) -> str:
    for sep in ("#", "/", ":"):
        if sep in iri:
            iri = iri.rsplit(sep, 1)[1]
    return iri


def rel_type(iri: str) -> str:
    name = local_name(iri)
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).upper()


def prop_name(iri: str) -> str:
    name = local_name(iri) or iri  # an IRI ending in / or # has no local name
    return name + "_" if name in RESERVED else name


def _safe(name: str, what: str) -> str:
    if not _SAFE.match(name):
        raise Neo4jError(f"{what} {name!r} cannot be a Neo4j {what} (letters, digits, _ . - only)")
    return name


def _node_key(term: ox.NamedNode | ox.BlankNode | ox.Triple, graph: str) -> str:
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"bnode://{graph}/{term.value}"  # a blank node belongs to its graph alone
    raise Neo4jError("RDF-star quoted triples are not supported by the Neo4j mapping")


def literal_value(lit: ox.Literal) -> Value:
    """The typed value a literal becomes in Neo4j; unparseable lexical forms stay strings."""
    dtype, lex = lit.datatype.value, lit.value
    try:
        if dtype in _INTS:
            n = int(lex)
            if _INT64[0] <= n <= _INT64[1]:
                return ("i", str(n))
        elif dtype == _XSD + "gYear":
            m = re.match(r"^(-?\d{4,})", lex)
            if m:
                return ("i", str(int(m.group(1))))
        elif dtype in _FLOATS:
            return ("f", repr(float(lex)))
        elif dtype == _XSD + "boolean" and lex in ("true", "false", "1", "0"):
            return ("b", "true" if lex in ("true", "1") else "false")
        elif dtype == _XSD + "date":
            return ("d", dt.date.fromisoformat(lex).isoformat())
    except ValueError:
        pass
    return ("s", lex)


def _python(v: Value) -> Any:
    tag, lex = v
    if tag == "i":
        return int(lex)
    if tag == "f":
        return float(lex)
    if tag == "b":
        return lex == "true"
    if tag == "d":
        return dt.date.fromisoformat(lex)
    return lex


def _from_driver(x: Any) -> Value:
    """A property value read back from Neo4j as the Value it was written from."""
    if isinstance(x, bool):
        return ("b", "true" if x else "false")
    if isinstance(x, int):
        return ("i", str(x))
    if isinstance(x, float):
        return ("f", repr(x))
    if isinstance(x, str):
        return ("s", x)
    iso = getattr(x, "iso_format", None)  # neo4j.time.Date
    if callable(iso):
        return ("d", iso())
    return ("s", str(x))


def _fingerprint(v: Value) -> str:
    return hashlib.blake2b(f"{v[0]}:{v[1]}".encode(), digest_size=8).hexdigest()


def _homogeneous(values: set[Value]) -> list[Value]:
    """Neo4j lists hold one type: mixed values become their lexical strings."""
    if len({t for t, _ in values}) > 1:
        values = {("s", lex) for _, lex in values}
    return sorted(values, key=lambda v: (_python(v),))


@dataclass
class GraphRows:
    """One named graph as Neo4j will hold it: what it says about each node, and its edges."""

    graph: str
    contrib: dict[str, dict[str, list[Value]]]  # uri -> property (or TYPE_KEY) -> values
    rels: dict[str, list[tuple[str, str]]]  # relationship type -> (start uri, end uri)

    @property
    def node_count(self) -> int:
        return len(self.contrib)

    @property
    def rel_count(self) -> int:
        return sum(len(v) for v in self.rels.values())


def to_rows(quads: Iterable[ox.Quad], graph: str) -> GraphRows:
    contrib: dict[str, dict[str, set[Value]]] = defaultdict(lambda: defaultdict(set))
    rels: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for q in quads:
        s = _node_key(q.subject, graph)
        node = contrib[s]  # every subject is a node, even one with only literals
        p, o = q.predicate.value, q.object
        if p == RDF_TYPE and isinstance(o, ox.NamedNode):
            label = local_name(o.value)
            if label != "Resource":  # every node has it already
                node[TYPE_KEY].add(("s", _safe(label, "label")))
        elif isinstance(o, ox.Literal):
            node[prop_name(p)].add(literal_value(o))
        else:
            target = _node_key(o, graph)
            contrib[target]  # an object is a node of this graph too
            rels[_safe(rel_type(p), "relationship type")].add((s, target))
    return GraphRows(
        graph,
        {uri: {k: _homogeneous(v) for k, v in sorted(keys.items())} for uri, keys in contrib.items()},
        {t: sorted(pairs) for t, pairs in sorted(rels.items())},
    )


def _chunks(rows: list[Any], size: int = BATCH) -> Iterator[list[Any]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


class Neo4jStore:
    def __init__(self, settings: Settings | None = None, batch: int = BATCH) -> None:
        from neo4j import GraphDatabase

        self.settings = settings or Settings.from_env()
        self.batch = batch
        s = self.settings
        _check_uri(s.uri)
        auth = (s.user or "neo4j", s.password) if s.password else None
        self.driver = None
        try:
            self.driver = GraphDatabase.driver(s.uri, auth=auth, connection_timeout=10,
                                               max_transaction_retry_time=15)
            self.driver.verify_connectivity()
        except Exception as e:
            if self.driver is not None:
                self.driver.close()
            raise Neo4jError(self._explain(e)) from None
        self._schema_ready = False

    def close(self) -> None:
        if self.driver is not None:
            self.driver.close()

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _session(self) -> Any:  # the driver's own session type
        return self.driver.session(database=self.settings.database)

    def _explain(self, e: Exception) -> str:
        return _explain(e, self.settings)

    def ensure_schema(self) -> None:
        """Uniqueness of `uri` (n10s' own constraint) and indexes the canned queries use."""
        if self._schema_ready:
            return
        statements = [
            "CREATE CONSTRAINT n10s_unique_uri IF NOT EXISTS FOR (r:Resource) REQUIRE r.uri IS UNIQUE",
            f"CREATE CONSTRAINT kg_graph_uri IF NOT EXISTS FOR (g:{BOOKKEEPING}) REQUIRE g.uri IS UNIQUE",
            "CREATE INDEX kg_org_name IF NOT EXISTS FOR (r:Organization) ON (r.prefLabel)",
            "CREATE TEXT INDEX kg_org_name_text IF NOT EXISTS FOR (r:Organization) ON (r.prefLabel)",
            "CREATE INDEX kg_person_name IF NOT EXISTS FOR (r:Person) ON (r.name)",
            "CREATE INDEX kg_place_label IF NOT EXISTS FOR (r:Jurisdiction) ON (r.label)",
            "CREATE INDEX kg_doc_id IF NOT EXISTS FOR (r:PolicyDocument) ON (r.identifier)",
            "CREATE INDEX kg_doc_title IF NOT EXISTS FOR (r:PolicyDocument) ON (r.title)",
            "CREATE INDEX kg_measure_year IF NOT EXISTS FOR (r:Measure) ON (r.deadlineYear)",
            "CREATE INDEX kg_indicator_year IF NOT EXISTS FOR (r:Indicator) ON (r.targetYear)",
        ]
        try:
            with self._session() as session:
                for stmt in statements:
                    session.run(stmt).consume()
        except Exception as e:
            raise Neo4jError(self._explain(e)) from None
        self._schema_ready = True

    def put_graph(self, graph: str, quads: Iterable[ox.Quad],
                  on_batch: Callable[[str, int], None] | None = None) -> GraphRows:
        """Replace everything `graph` said with `quads`, in one transaction.

        `on_batch(what, rows)` is called after each statement is sent (tests use it to
        interrupt a load half-way)."""
        rows = to_rows(quads, graph)
        self.put_rows([rows], on_batch)
        return rows

    def put_graphs(self, graphs: Iterable[tuple[str, Iterable[ox.Quad]]],
                   on_commit: Callable[[list[GraphRows]], None] | None = None,
                   max_rows: int = 20_000, max_graphs: int = 200) -> tuple[int, int]:
        """Replace many graphs, several per transaction: a small document costs a few
        milliseconds of round trips and a commit on its own, so they travel together, up to
        `max_rows` nodes + relationships or `max_graphs` graphs (a bigger graph goes alone).
        Each graph still ends up all old or all new. `on_commit(rows)` follows each commit.
        Returns (graphs, quads) loaded."""
        pending: list[GraphRows] = []
        size = n_graphs = n_quads = 0

        def flush() -> None:
            nonlocal pending, size
            if pending:
                self.put_rows(pending)
                if on_commit is not None:
                    on_commit(pending)
            pending, size = [], 0

        for graph, quads in graphs:
            quads = list(quads)
            rows = to_rows(quads, graph)
            weight = rows.node_count + rows.rel_count
            if pending and (size + weight > max_rows or len(pending) >= max_graphs
                            or any(r.graph == graph for r in pending)):
                flush()
            pending.append(rows)
            size += weight
            n_graphs, n_quads = n_graphs + 1, n_quads + len(quads)
        flush()
        return n_graphs, n_quads

    def put_rows(self, rows: list[GraphRows], on_batch: Callable[[str, int], None] | None = None) -> None:
        """Replace the given graphs (distinct IRIs) in one transaction."""
        if len({r.graph for r in rows}) != len(rows):
            raise ValueError("put_rows: a graph may appear only once per transaction")
        if not rows:
            return
        self.ensure_schema()
        try:
            with self._session() as session:
                session.execute_write(_replace, rows, self.batch, on_batch)
        except Neo4jError:
            raise
        except Exception as e:
            raise Neo4jError(self._explain(e)) from None

    def remove_graph(self, graph: str) -> None:
        self.put_rows([GraphRows(graph, {}, {})])

    def counts(self) -> tuple[int, int]:
        """(Resource nodes, relationships): what the loaded quads imply, bookkeeping excluded."""
        nodes = self.query("MATCH (n:Resource) RETURN count(n) AS n")[0]["n"]
        rels = self.query("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]
        return nodes, rels

    def graphs(self) -> list[str]:
        rows = self.query(f"MATCH (g:{BOOKKEEPING}) RETURN g.uri AS g ORDER BY g")
        return [r["g"] for r in rows]

    def query(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        try:
            with self._session() as session:
                result = session.run(cypher, params or {})
                return [r.data() for r in result]
        except Exception as e:
            raise Neo4jError(self._explain(e)) from None

    def clear(self) -> None:
        """Delete every node and relationship, 10,000 nodes per transaction so that a big graph
        does not need one huge one. A plain loop, not `CALL {…} IN TRANSACTIONS`, whose syntax
        differs between 5.x versions."""
        try:
            with self._session() as session:
                while session.run("MATCH (n) WITH n LIMIT 10000 DETACH DELETE n "
                                  "RETURN count(*) AS n").single()["n"]:
                    pass
        except Exception as e:
            raise Neo4jError(self._explain(e)) from None


@dataclass
class _NodeState:
    graphs: list[str]
    labels: list[str]
    refs: str | None
    props: dict[str, Any] | None


# Reference counts of a shared node: key -> fingerprint -> [tag, lexical, count].
Refs = dict[str, dict[str, list[Any]]]


def _refs_from_visible(st: _NodeState) -> Refs:
    """A node one other graph describes shows exactly that graph's values: count each once."""
    refs: Refs = defaultdict(dict)
    for label in st.labels:
        if label != "Resource":
            refs[TYPE_KEY][_fingerprint(("s", label))] = ["s", label, 1]
    for key, raw in (st.props or {}).items():
        if key in RESERVED:
            continue
        for x in raw if isinstance(raw, list) else [raw]:
            v = _from_driver(x)
            refs[key][_fingerprint(v)] = [v[0], v[1], 1]
    return refs


def _visible(contrib: dict[str, list[Value]]) -> tuple[set[str], dict[str, Any]]:
    labels = {lex for _, lex in contrib.get(TYPE_KEY, [])}
    props: dict[str, Any] = {}
    for key, values in contrib.items():
        if key == TYPE_KEY or not values:
            continue
        py = [_python(v) for v in _homogeneous(set(values))]
        props[key] = py if (len(py) > 1 or key in ALWAYS_LIST) else py[0]
    return labels, props


def _add(refs: Refs, contrib: dict[str, list[Value]]) -> None:
    for key, values in contrib.items():
        for v in values:
            entry = refs.setdefault(key, {}).setdefault(_fingerprint(v), [v[0], v[1], 0])
            entry[2] += 1


def _plan(changed: dict[str, GraphRows], old_contrib: dict[str, dict[str, dict[str, list[str]]]],
          state: dict[str, _NodeState]) -> tuple[list[str], list[dict[str, Any]]]:
    """Which nodes go, and the full property map and labels of every node that stays, when
    the graphs in `changed` are replaced (an empty GraphRows removes its graph)."""
    delete: list[str] = []
    writes: list[dict[str, Any]] = []
    for uri in sorted(state):
        st = state[uri]
        others = sorted(x for x in st.graphs if x not in changed)
        news = {g: r.contrib[uri] for g, r in changed.items() if uri in r.contrib}
        after = sorted({*others, *news})
        if not after:
            delete.append(uri)
            continue
        refs_after: Refs | None = None
        if not others and len(news) == 1:  # one graph alone describes it: exactly what it says
            labels, props = _visible(next(iter(news.values())))
        else:
            refs: Refs = {}
            if others:
                refs = json.loads(st.refs) if st.refs else _refs_from_visible(st)
                if st.refs:  # take back what the replaced graphs said last time
                    for g in changed:
                        if g in st.graphs:
                            for key, fps in old_contrib.get(g, {}).get(uri, {}).items():
                                for fp in fps:
                                    entry = refs.get(key, {}).get(fp)
                                    if entry is not None:
                                        entry[2] -= 1
            for contrib in news.values():
                _add(refs, contrib)
            refs = {k: live for k, d in refs.items() if (live := {fp: e for fp, e in d.items() if e[2] > 0})}
            labels, props = _visible({k: [(e[0], e[1]) for e in d.values()] for k, d in refs.items()})
            if len(after) > 1:
                refs_after = refs
        props["uri"] = uri
        props["kg_graphs"] = after
        if refs_after is not None:
            props["kg_refs"] = json.dumps(refs_after, ensure_ascii=False, sort_keys=True)
        current = set(st.labels) - {"Resource"}
        writes.append({"uri": uri, "props": props,
                       "add": tuple(sorted(labels - current)), "remove": tuple(sorted(current - labels))})
    return delete, writes


def _replace(tx: Any, graphs: list[GraphRows], batch: int,
             on_batch: Callable[[str, int], None] | None) -> None:
    changed = {r.graph: r for r in graphs}
    names = sorted(changed)

    def run(what: str, cypher: str, rows: list[Any], **params: Any) -> list[Any]:
        records = list(tx.run(cypher, rows=rows, **params))
        if on_batch is not None:
            on_batch(what, len(rows))
        return records

    # Locks are taken by writing a throw-away property, and everything is read in a later
    # statement: `SET x.p = x.p` would lock too, but write back the value it read before
    # the lock, which a concurrent commit may have made stale.
    lock = "SET {0}.kg_lock = true REMOVE {0}.kg_lock"

    # The bookkeeping nodes first: they serialize concurrent loads of the same graph.
    old_nodes: dict[str, list[str]] = {}
    old_contrib: dict[str, dict[str, dict[str, list[str]]]] = {}
    for chunk in _chunks(names, batch):
        run("lock", f"UNWIND $rows AS g MERGE (s:{BOOKKEEPING} {{uri: g}}) "
            "ON CREATE SET s.nodes = [], s.contrib = '{}' " + lock.format("s"), chunk)
        for r in run("graphs", f"UNWIND $rows AS g MATCH (s:{BOOKKEEPING} {{uri: g}}) "
                     "RETURN g, s.nodes AS nodes, s.contrib AS contrib", chunk):
            old_nodes[r["g"]] = list(r["nodes"] or [])
            old_contrib[r["g"]] = json.loads(r["contrib"] or "{}")

    # Every relationship of a graph starts at a node the graph mentioned.
    unlink = [{"u": u, "g": g} for g in names for u in old_nodes[g]]
    for chunk in _chunks(unlink, batch):
        run("unlink", "UNWIND $rows AS row MATCH (:Resource {uri: row.u})-[r]->() "
            "WHERE r.graph = row.g DELETE r", chunk)

    # Lock, then read, every node the graphs touched before or touch now, in one order so
    # concurrent loads cannot deadlock each other for long.
    touched = sorted(set().union(*old_nodes.values(), *(r.contrib for r in graphs)))
    for chunk in _chunks(touched, batch):
        run("lock", "UNWIND $rows AS u MERGE (n:Resource {uri: u}) ON CREATE SET n.kg_graphs = [] "
            + lock.format("n"), chunk)
    state: dict[str, _NodeState] = {}
    for chunk in _chunks(touched, batch):
        for r in run("read", "UNWIND $rows AS u MATCH (n:Resource {uri: u}) "
                     "WITH n, [x IN n.kg_graphs WHERE NOT x IN $changed] AS others "
                     "RETURN n.uri AS uri, n.kg_graphs AS graphs, labels(n) AS labels, n.kg_refs AS refs, "
                     "CASE WHEN size(others) = 1 AND n.kg_refs IS NULL THEN properties(n) END AS props",
                     chunk, changed=names):
            state[r["uri"]] = _NodeState(list(r["graphs"] or []), list(r["labels"]), r["refs"], r["props"])

    delete, writes = _plan(changed, old_contrib, state)
    for chunk in _chunks(delete, batch):
        # No relationship is left on these: any other graph using one would be in kg_graphs.
        run("delete", "UNWIND $rows AS u MATCH (n:Resource {uri: u}) DETACH DELETE n", chunk)
    groups: dict[tuple[tuple[str, ...], tuple[str, ...]], list[dict[str, Any]]] = defaultdict(list)
    for w in writes:
        groups[(w["add"], w["remove"])].append({"uri": w["uri"], "props": w["props"]})
    for (add, remove), group in sorted(groups.items()):
        set_labels = (" SET n" + "".join(f":`{_safe(x, 'label')}`" for x in add)) if add else ""
        rm_labels = (" REMOVE n" + "".join(f":`{_safe(x, 'label')}`" for x in remove)) if remove else ""
        for chunk in _chunks(group, batch):
            run("nodes", "UNWIND $rows AS row MATCH (n:Resource {uri: row.uri}) SET n = row.props"
                + set_labels + rm_labels, chunk)
    by_type: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in graphs:
        for rtype, pairs in r.rels.items():
            by_type[rtype].extend({"s": s, "o": o, "g": r.graph} for s, o in pairs)
    for rtype, rels in sorted(by_type.items()):
        for chunk in _chunks(rels, batch):
            run("relationships", "UNWIND $rows AS row MATCH (a:Resource {uri: row.s}) "
                "MATCH (b:Resource {uri: row.o}) "
                f"CREATE (a)-[:`{_safe(rtype, 'relationship type')}` {{graph: row.g}}]->(b)", chunk)

    kept = [{"g": r.graph, "nodes": sorted(r.contrib), "rels": r.rel_count,
             "contrib": json.dumps({uri: {k: [_fingerprint(v) for v in vs] for k, vs in keys.items()}
                                    for uri, keys in r.contrib.items()}, ensure_ascii=False, sort_keys=True)}
            for r in graphs if r.contrib]
    for chunk in _chunks(kept, max(1, batch // 50)):  # each row carries a whole graph's lists
        run("graphs", f"UNWIND $rows AS row MATCH (s:{BOOKKEEPING} {{uri: row.g}}) "
            "SET s.nodes = row.nodes, s.contrib = row.contrib, s.nodeCount = size(row.nodes), "
            "s.relCount = row.rels, s.loaded = datetime()", chunk)
    gone = [r.graph for r in graphs if not r.contrib]
    for chunk in _chunks(gone, batch):
        run("graphs", f"UNWIND $rows AS g MATCH (s:{BOOKKEEPING} {{uri: g}}) DELETE s", chunk)


SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def _check_uri(uri: str) -> None:
    """Refuse what the driver would refuse less clearly, or accept and misuse: credentials in
    the URI (the driver's own error quotes the whole URI, password included) and schemes
    other than Bolt's (http:// means the driver's preview HTTP client)."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        raise Neo4jError("bad Neo4j URI (expected e.g. bolt://127.0.0.1:7687)") from None
    if "@" in parts.netloc:
        raise Neo4jError(f"put the user and password in --neo4j-user/--neo4j-password or "
                         f"NEO4J_USERNAME/NEO4J_PASSWORD, not in the URI ({display_uri(uri)})")
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise Neo4jError(f"bad Neo4j URI {uri!r} (expected {'|'.join(SCHEMES)}://HOST[:PORT])")


def _explain(e: Exception, settings: Settings) -> str:
    """One line, never a traceback, never the password (even if a server echoed it)."""
    from neo4j.exceptions import AuthError, ConfigurationError, ServiceUnavailable

    uri = settings.display_uri
    if isinstance(e, AuthError):
        msg = (f"Neo4j at {uri} refused the credentials "
               "(check --neo4j-user/--neo4j-password or NEO4J_USERNAME/NEO4J_PASSWORD)")
    elif isinstance(e, ServiceUnavailable | OSError):
        msg = f"cannot reach Neo4j at {uri} (is it running? try: scripts/neo4j-local start)"
    elif isinstance(e, ConfigurationError | ValueError):
        msg = f"bad Neo4j settings for {uri}: {_first_line(e)}"
    else:
        code = getattr(e, "code", None)
        msg = f"Neo4j at {uri}: {_first_line(e)}" + (f" [{code}]" if code else "")
    if settings.password and settings.password in msg:
        msg = msg.replace(settings.password, "***")
    return msg


def _first_line(e: Exception) -> str:
    from neo4j.exceptions import Neo4jError as ServerError

    # A server error's str() is a list of {code} {message} {gql_status} fields: keep the message.
    message = e.message if isinstance(e, ServerError) and e.message else str(e)
    message = _USERINFO.sub("://", message)  # a URI quoted back at us keeps no credentials
    lines = [x.strip() for x in message.strip().splitlines() if x.strip()]
    return lines[0][:300] if lines else type(e).__name__


_USERINFO = re.compile(r"://[^/@\s]*@")

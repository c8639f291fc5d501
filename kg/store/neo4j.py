"""The graph in Neo4j over Bolt, mapped the way neosemantics (n10s) and rdflib-neo4j map RDF.

- every IRI (or blank node) is a node labelled `Resource` with a unique `uri`;
- `rdf:type` objects become labels by local name (Measure, Organization, Person …);
- literals become properties named by the predicate's local name, several values -> a list;
- other predicates become relationships named by the local name in UPPER_SNAKE_CASE
  (leadUnit -> LEAD_UNIT, org:member -> MEMBER, inDocument -> IN_DOCUMENT).

Each RDF named graph is loaded and replaced as a unit in one transaction: relationships carry
`graph`, nodes list the graphs that describe them in `kg_graphs`, so re-loading a document
removes exactly its facts. Labels and relationship types come from the ontology's vocabulary
and are checked against a strict pattern before they reach query text; all data travels as
query parameters.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DEFAULT_URI = "bolt://127.0.0.1:7687"
BATCH = 5000
_SAFE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,80}$")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTS = {_XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger",
                            "positiveInteger", "gYear")}
_FLOATS = {_XSD + t for t in ("decimal", "double", "float")}


class Neo4jError(Exception):
    """A one-line, password-free reason the Neo4j backend cannot do its job."""


@dataclass(frozen=True)
class Settings:
    uri: str = DEFAULT_URI
    user: str | None = None
    password: str | None = None
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

    def __repr__(self) -> str:  # never print the password
        return f"Settings(uri={self.uri!r}, user={self.user!r}, database={self.database!r})"


def local_name(iri: str) -> str:
    for sep in ("#", "/", ":"):
        if sep in iri:
            iri = iri.rsplit(sep, 1)[1]
    return iri


def rel_type(iri: str) -> str:
    name = local_name(iri)
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).upper()


def _safe(name: str) -> str:
    if not _SAFE.match(name):
        raise Neo4jError(f"vocabulary term {name!r} cannot be a Neo4j label or relationship type")
    return name


def _node_key(term: ox.NamedNode | ox.BlankNode, graph: str) -> str:
    if isinstance(term, ox.BlankNode):
        return f"bnode://{graph}/{term.value}"
    return term.value


def _literal_value(lit: ox.Literal) -> Any:
    dt = lit.datatype.value
    try:
        if dt in _INTS:
            return int(lit.value[:4]) if dt.endswith("gYear") else int(lit.value)
        if dt in _FLOATS:
            return float(lit.value)
        if dt == _XSD + "boolean":
            return lit.value in ("true", "1")
    except ValueError:
        pass
    return lit.value


@dataclass
class GraphRows:
    """One named graph as Neo4j rows: nodes grouped by label set, relationships by type."""

    nodes: dict[tuple[str, ...], list[dict[str, Any]]]
    rels: dict[str, list[dict[str, str]]]

    @property
    def node_count(self) -> int:
        return sum(len(v) for v in self.nodes.values())

    @property
    def rel_count(self) -> int:
        return sum(len(v) for v in self.rels.values())


def to_rows(quads: Iterable[ox.Quad], graph: str) -> GraphRows:
    labels: dict[str, set[str]] = defaultdict(set)
    props: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    rels: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for q in quads:
        s = _node_key(q.subject, graph)  # type: ignore[arg-type]
        labels[s]  # every subject is a node, even one with only literals
        p, o = q.predicate.value, q.object
        if p == RDF_TYPE and isinstance(o, ox.NamedNode):
            labels[s].add(_safe(local_name(o.value)))
        elif isinstance(o, ox.Literal):
            values = props[s][local_name(p)]
            v = _literal_value(o)
            if v not in values:
                values.append(v)
        else:
            target = _node_key(o, graph)  # type: ignore[arg-type]
            labels[target]
            rels[_safe(rel_type(p))].add((s, target))
    nodes: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for uri, ls in labels.items():
        flat = {k: (v[0] if len(v) == 1 else sorted(v, key=str)) for k, v in props.get(uri, {}).items()}
        nodes[tuple(sorted(ls))].append({"uri": uri, "props": flat})
    return GraphRows(dict(nodes), {t: [{"s": s, "o": o} for s, o in sorted(pairs)]
                                   for t, pairs in rels.items()})


def _chunks(rows: list[Any], size: int = BATCH) -> Iterator[list[Any]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


class Neo4jStore:
    def __init__(self, settings: Settings | None = None) -> None:
        from neo4j import GraphDatabase

        self.settings = settings or Settings.from_env()
        s = self.settings
        auth = (s.user or "neo4j", s.password) if s.password else None
        try:
            self.driver = GraphDatabase.driver(s.uri, auth=auth, connection_timeout=10)
            self.driver.verify_connectivity()
        except Exception as e:
            raise Neo4jError(_explain(e, s.uri)) from None
        self._schema_ready = False

    def close(self) -> None:
        self.driver.close()

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _session(self):  # the driver's own session type
        return self.driver.session(database=self.settings.database)

    def ensure_schema(self) -> None:
        """Uniqueness of `uri` (n10s' own constraint) and indexes the canned queries use."""
        if self._schema_ready:
            return
        statements = [
            "CREATE CONSTRAINT n10s_unique_uri IF NOT EXISTS FOR (r:Resource) REQUIRE r.uri IS UNIQUE",
            "CREATE INDEX kg_graphs IF NOT EXISTS FOR (r:Resource) ON (r.kg_graphs)",
            "CREATE INDEX kg_pref_label IF NOT EXISTS FOR (r:Resource) ON (r.prefLabel)",
            "CREATE INDEX kg_name IF NOT EXISTS FOR (r:Resource) ON (r.name)",
            "CREATE INDEX kg_title IF NOT EXISTS FOR (r:Resource) ON (r.title)",
            "CREATE INDEX kg_year IF NOT EXISTS FOR (r:Indicator) ON (r.targetYear)",
            "CREATE INDEX kg_doc_id IF NOT EXISTS FOR (r:PolicyDocument) ON (r.identifier)",
        ]
        with self._session() as session:
            for stmt in statements:
                session.run(stmt).consume()
        self._schema_ready = True

    def put_graph(self, graph: str, quads: Iterable[ox.Quad]) -> GraphRows:
        """Replace everything `graph` said with `quads`, in one transaction."""
        self.ensure_schema()
        rows = to_rows(quads, graph)
        try:
            with self._session() as session:
                session.execute_write(_replace, graph, rows)
        except Exception as e:
            raise Neo4jError(_explain(e, self.settings.uri)) from None
        return rows

    def remove_graph(self, graph: str) -> None:
        self.put_graph(graph, [])

    def counts(self) -> tuple[int, int]:
        rows = self.query("MATCH (n:Resource) RETURN count(n) AS n")
        rels = self.query("MATCH ()-[r]->() RETURN count(r) AS n")
        return rows[0]["n"], rels[0]["n"]

    def graphs(self) -> list[str]:
        rows = self.query("MATCH ()-[r]->() WHERE r.graph IS NOT NULL RETURN DISTINCT r.graph AS g")
        return sorted(r["g"] for r in rows)

    def query(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        try:
            with self._session() as session:
                result = session.run(cypher, params or {})
                return [r.data() for r in result]
        except Exception as e:
            raise Neo4jError(_explain(e, self.settings.uri)) from None

    def clear(self) -> None:
        with self._session() as session:
            session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


def _replace(tx: Any, graph: str, rows: GraphRows) -> None:
    tx.run("MATCH ()-[r {graph: $g}]->() DELETE r", g=graph).consume()
    tx.run(
        "MATCH (n:Resource) WHERE $g IN n.kg_graphs "
        "SET n.kg_graphs = [x IN n.kg_graphs WHERE x <> $g] "
        "WITH n WHERE size(n.kg_graphs) = 0 AND NOT (n)--() DETACH DELETE n",
        g=graph,
    ).consume()
    for labels, nodes in rows.nodes.items():
        set_labels = ("SET n" + "".join(f":`{label}`" for label in labels) + " ") if labels else ""
        for chunk in _chunks(nodes):
            tx.run(
                "UNWIND $rows AS row MERGE (n:Resource {uri: row.uri}) "
                f"{set_labels}SET n += row.props "
                "SET n.kg_graphs = CASE WHEN $g IN coalesce(n.kg_graphs, []) THEN n.kg_graphs "
                "ELSE coalesce(n.kg_graphs, []) + $g END",
                rows=chunk, g=graph,
            ).consume()
    for rtype, pairs in rows.rels.items():
        for chunk in _chunks(pairs):
            tx.run(
                "UNWIND $rows AS row MATCH (a:Resource {uri: row.s}) MATCH (b:Resource {uri: row.o}) "
                f"CREATE (a)-[:`{rtype}` {{graph: $g}}]->(b)",
                rows=chunk, g=graph,
            ).consume()


def _explain(e: Exception, uri: str) -> str:
    from neo4j.exceptions import AuthError, ServiceUnavailable

    if isinstance(e, AuthError):
        return (f"Neo4j at {uri} refused the credentials "
                "(check --neo4j-user/--neo4j-password or NEO4J_PASSWORD)")
    if isinstance(e, ServiceUnavailable | OSError):
        return f"cannot reach Neo4j at {uri} (is it running? try: scripts/neo4j-local start)"
    first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return f"Neo4j at {uri}: {first}"

"""The store as files: RDF in every common syntax, and the network projection as GraphML
(Gephi, yEd) or CSV.

- trig, nq, jsonld keep one named graph per document (they are dataset formats);
- ttl, nt, xml hold one graph, so they get the distinct triples of all graphs merged;
- graphml/csv: organizations, groups, measures and people as nodes; responsibilities,
  memberships, posts and group structure as edges.

Every file is written to a temporary name in the target folder and renamed into place, so
a reader never sees half an export and a failed export leaves the old file intact.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import networkx as nx
import pyoxigraph as ox

from kg.ontology import PREFIXES
from kg.store.oxigraph import OxigraphStore

EXPORTS = Path("exports")
STEM = "policy-kg"
EXTENSIONS = {"ttl": "ttl", "trig": "trig", "nq": "nq", "nt": "nt", "jsonld": "jsonld", "xml": "rdf",
              "graphml": "graphml"}
DATASET_FORMATS = {"trig": ox.RdfFormat.TRIG, "nq": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD}
GRAPH_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "xml": ox.RdfFormat.RDF_XML}
# data IRIs stay whole: as prefixed names their slashes would need escaping (id:doc\/x)
EXPORT_PREFIXES = {k: v for k, v in PREFIXES.items() if k != "id"}
# rdflib's names for the same syntaxes (tests parse exports back with rdflib)
RDFLIB_FORMATS = {"ttl": "turtle", "trig": "trig", "nq": "nquads", "nt": "nt", "jsonld": "json-ld",
                  "xml": "xml"}
# XML 1.0 cannot carry most control characters, not even escaped
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# OWASP "CSV injection": Excel, LibreOffice and Google Sheets run a cell that starts with
# one of these as a formula (=HYPERLINK(…) from a document would). Full-width forms too:
# an input method turns them into the ASCII ones in some spreadsheet locales.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_safe(value: Any) -> Any:
    """A text cell that a spreadsheet would run, prefixed with ' (shown as text, the
    OWASP rule); numbers and everything else unchanged, so -3 stays a number."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_cell(value: Any) -> str:
    """One CSV field: formula-safe, and quoted (RFC 4180) when it holds a comma, a quote, a
    LF or a CR. csv.writer with a LF line end leaves a lone CR bare, and every spreadsheet
    starts a new row there: the rest of the cell would be a first cell, unprotected."""
    if value is None:
        return ""
    text = str(spreadsheet_safe(value))
    if any(c in text for c in ',"\r\n'):
        text = '"' + text.replace('"', '""') + '"'
    return text


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    """Rows as CSV text (LF line ends), every cell through csv_cell."""
    return "".join(",".join(csv_cell(v) for v in row) + "\n" for row in rows)


@dataclass
class ExportResult:
    path: Path
    fmt: str
    statements: int  # triples (quads for dataset formats), or nodes + edges
    nodes: int = 0
    edges: int = 0

    def __str__(self) -> str:
        if self.fmt in ("graphml", "csv"):
            # what is counted: `kg analyze` projects documents and indicators too
            return (f"{self.path}: {self.nodes} nodes (organizations, groups, measures, people), "
                    f"{self.edges} edges")
        kind = "quads" if self.fmt in DATASET_FORMATS else "triples"
        return f"{self.path}: {self.statements} {kind}"


def default_path(fmt: str) -> Path:
    return EXPORTS / "csv" if fmt == "csv" else EXPORTS / f"{STEM}.{EXTENSIONS[fmt]}"


def atomic_write(target: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Write through `write` into a temporary file beside `target`, then rename it over."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def export(store: OxigraphStore, fmt: str, target: Path) -> ExportResult:
    if fmt in DATASET_FORMATS:
        rdf_format = DATASET_FORMATS[fmt]
        options: dict[str, Any] = {"prefixes": EXPORT_PREFIXES} if fmt == "trig" else {}
        atomic_write(target, lambda f: store.dump(f, rdf_format, **options))
        return ExportResult(target, fmt, len(store))
    if fmt in GRAPH_FORMATS:
        triples = list(store.construct_union())
        if fmt == "xml":  # a store written by an older version, or by hand, may hold them
            triples = [_xml_triple(t) for t in triples]
        rdf_format = GRAPH_FORMATS[fmt]
        kwargs: dict[str, Any] = {"prefixes": EXPORT_PREFIXES} if fmt in ("ttl", "xml") else {}
        def write(f: IO[bytes]) -> None:
            if fmt != "xml":
                ox.serialize(triples, f, rdf_format, **kwargs)
                return
            data = ox.serialize(triples, None, rdf_format, **kwargs) or b""
            f.write(data.replace(b"\r", b"&#13;"))  # see graphml_bytes: a raw CR would become LF

        atomic_write(target, write)
        return ExportResult(target, fmt, len(triples))
    graph = project(store)
    if fmt == "graphml":
        atomic_write(target, lambda f: f.write(graphml_bytes(graph)))
    elif fmt == "csv":
        write_csv(graph, target)
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    return ExportResult(target, fmt, graph.number_of_nodes() + graph.number_of_edges(),
                        graph.number_of_nodes(), graph.number_of_edges())


def _xml_triple(t: ox.Triple) -> ox.Triple:
    o = t.object
    if isinstance(o, ox.Literal) and _NOT_XML.search(o.value):
        value = _NOT_XML.sub("\ufffd", o.value)
        o = (ox.Literal(value, language=o.language) if o.language
             else ox.Literal(value, datatype=o.datatype))
        return ox.Triple(t.subject, t.predicate, o)
    return t


def to_rdflib(store: OxigraphStore, graphs: Iterable[str] | None = None) -> Any:
    """The union of the store's graphs (or of `graphs`) as one rdflib.Graph (for pyshacl)."""
    import rdflib

    if graphs is None:
        triples: Iterable[Any] = store.construct_union()
    else:
        seen = {(q.subject, q.predicate, q.object) for g in graphs for q in store.quads(g)}
        triples = (ox.Triple(s, p, o) for s, p, o in seen)
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    return rdflib.Graph().parse(data=data.decode("utf-8"), format="nt")


# -- the network projection ----------------------------------------------------------------

NODE_QUERY = """
SELECT DISTINCT ?n ?kind ?label ?type ?doc WHERE {
  {
    ?n a org:Organization ; org:classification ?c .
    BIND(REPLACE(STR(?c), "^.*#", "") AS ?type)
    BIND(IF(?type IN ("leading_group", "working_group", "task_force"), "group", "organization") AS ?kind)
    OPTIONAL { ?n skos:prefLabel ?label }
  } UNION {
    ?n a pkg:Measure ; pkg:inDocument ?d .
    BIND("measure" AS ?kind)
    OPTIONAL { ?n dcterms:title ?label }
    BIND(REPLACE(STR(?d), "^.*/", "") AS ?doc)
  } UNION {
    ?n a foaf:Person .
    BIND("person" AS ?kind)
    OPTIONAL { ?n foaf:name ?label }
  }
}
"""

EDGE_QUERY = """
SELECT DISTINCT ?s ?o ?kind ?role ?label ?g WHERE {
  GRAPH ?g {
    {
      ?r a pkg:Responsibility ; pkg:measure ?s ; pkg:unit ?o ; pkg:role ?roleNode .
      BIND("responsibility" AS ?kind)
      OPTIONAL { ?r pkg:mention ?label }
      BIND(REPLACE(STR(?roleNode), "^.*#", "") AS ?roleIri)
      BIND(IF(?roleIri = "LeadRole", "lead", IF(?roleIri = "SupportRole", "support", "responsible")) AS ?role)
    } UNION {
      ?m a org:Membership ; org:member ?s ; org:organization ?o ; org:role ?roleNode .
      BIND("membership" AS ?kind)
      BIND(REPLACE(STR(?roleNode), "^.*#", "") AS ?roleIri)
      BIND(IF(?roleIri = "GroupLeader", "leader", IF(?roleIri = "DeputyLeader", "deputy", "member")) AS ?role)
    } UNION {
      ?s org:holds ?post . ?post org:postIn ?o .
      BIND("post" AS ?kind)
      OPTIONAL { ?post rdfs:label ?label }
    } UNION {
      ?s org:subOrganizationOf ?o . BIND("sub_organization_of" AS ?kind)
    } UNION {
      ?s pkg:leadUnit ?o . ?s a org:Organization . BIND("lead_unit" AS ?kind)
    } UNION {
      ?s pkg:officeIn ?o . BIND("office_in" AS ?kind)
    }
  }
}
"""


def project(store: OxigraphStore) -> nx.MultiDiGraph:
    """Organizations, groups, measures and people as nodes; who is responsible for what and
    who sits in which group as edges. Deterministic: nodes and edges in sorted order."""
    graph = nx.MultiDiGraph()
    for row in sorted(store.sparql(NODE_QUERY), key=lambda r: (r["n"], r["kind"])):
        if row["n"] in graph:
            continue
        attrs = {"kind": row["kind"], "label": row["label"] or _tail(row["n"]), "iri": row["n"]}
        if row["type"]:
            attrs["type"] = row["type"]
        if row["doc"]:
            attrs["document"] = row["doc"]
        graph.add_node(row["n"], **attrs)
    order = ("s", "o", "kind", "role", "g")
    edges = sorted(store.sparql(EDGE_QUERY),
                   key=lambda r: tuple("" if r[k] is None else str(r[k]) for k in order))
    for row in edges:
        if row["s"] not in graph or row["o"] not in graph:
            continue  # a projection of the four node kinds only
        attrs = {"kind": row["kind"], "document": _tail(row["g"])}
        if row["role"]:
            attrs["role"] = row["role"]
        if row["label"]:
            attrs["label"] = row["label"]
        graph.add_edge(row["s"], row["o"], **attrs)
    return graph


def _tail(iri: str) -> str:
    from urllib.parse import unquote

    return unquote(iri.rstrip("/").rsplit("/", 1)[-1])


def graphml_bytes(graph: nx.MultiDiGraph) -> bytes:
    buf = io.BytesIO()
    nx.write_graphml(_xml_safe(graph), buf)
    # ElementTree writes a carriage return in element text as is, and every XML parser
    # turns it into a line feed; as a character reference it survives. A raw CR in the
    # output can only be element text (attributes already get &#13;, indentation is LF).
    return buf.getvalue().replace(b"\r", b"&#13;")


def _xml_safe(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose strings XML can carry (control characters become U+FFFD)."""
    def clean(attrs: dict[str, Any]) -> dict[str, Any]:
        return {k: _NOT_XML.sub("\ufffd", v) if isinstance(v, str) else v for k, v in attrs.items()}

    out = nx.MultiDiGraph()
    for n, attrs in graph.nodes(data=True):
        out.add_node(_NOT_XML.sub("\ufffd", n), **clean(attrs))
    for s, o, attrs in graph.edges(data=True):
        out.add_edge(_NOT_XML.sub("\ufffd", s), _NOT_XML.sub("\ufffd", o), **clean(attrs))
    return out


def write_csv(graph: nx.MultiDiGraph, folder: Path) -> None:
    node_cols = ["id", "kind", "label", "type", "document"]
    edge_cols = ["source", "target", "kind", "role", "label", "document"]
    nodes = [{"id": n, **a} for n, a in graph.nodes(data=True)]
    edges = [{"source": s, "target": o, **a} for s, o, a in graph.edges(data=True)]
    for name, cols, rows in (("nodes.csv", node_cols, nodes), ("edges.csv", edge_cols, edges)):
        atomic_write(folder / name, lambda f, cols=cols, rows=rows: f.write(_csv_bytes(cols, rows)))


def _csv_bytes(cols: list[str], rows: list[dict[str, Any]]) -> bytes:
    text = csv_text([cols, *([row.get(c) for c in cols] for row in rows)])
    return text.encode("utf-8-sig")  # the BOM makes Excel read UTF-8

"""The embedded store: pyoxigraph (RocksDB) in a folder, one named graph per document.

What pyoxigraph 0.5 guarantees, and what this module builds on (checked by experiment,
tests/test_store.py keeps checking it):

- `Store.update(sparql)` runs the whole update string as one transaction: either every
  operation applies or none does. `put_graph` sends `DROP SILENT GRAPH <g> ; INSERT DATA
  { GRAPH <g> { … } }` as one update, so a document is replaced in one step and a crash or
  `kill -9` leaves the old graph or the new one, never half of either.
- RocksDB locks the folder (`LOCK`) for one read-write instance; a second one, in another
  process or the same, fails with an OSError mentioning the lock, which we turn into
  StoreLocked("store is locked by another process: PATH").
- `Store.read_only(path)` opens without the lock, even while a writer holds the store. It
  sees the data committed when it was opened and nothing written later (reopen to refresh).
  pyoxigraph calls reading alongside a writer "undefined behaviour", and it shows: when the
  writer compacts while a reader opens, RocksDB reports a missing .sst file as
  "Corruption" (the store is fine). Opening retries that; a query that still hits it gets a
  StoreError. So readers beside a running `kg build` are best effort, for queries and
  exports, never for decisions a writer relies on.
- A store stays open (and locked) while any Python object refers to it, including a live
  result iterator; `sparql()` returns lists so `close()` really lets go.
"""

from __future__ import annotations

import gc
import re
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.model import Document
from kg.ontology import ONTOLOGY_GRAPH, PREFIXES, ontology_quads
from kg.rdf import DOC_GRAPHS, document_quads, graph_iri

XSD = PREFIXES["xsd"]
_INTS = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                           "positiveInteger", "negativeInteger", "nonPositiveInteger",
                           "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}
_FLOATS = {XSD + t for t in ("decimal", "double", "float")}

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Row = dict[str, Any]

# counts(): what `kg stats` and the build summary report, each one SPARQL count over the
# union of all document graphs.
COUNT_QUERIES: dict[str, str] = {
    "documents": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a pkg:PolicyDocument }",
    "measures": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a pkg:Measure }",
    "organizations": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a org:Organization }",
    "people": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a foaf:Person }",
    "groups": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x org:classification ?c . "
              "VALUES ?c { pkg:leading_group pkg:working_group pkg:task_force } }",
    "indicators": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a pkg:Indicator }",
    "schools": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a pkg:SchoolConstructionProject }",
}


class StoreError(Exception):
    """A one-line reason the store cannot be opened or used."""


class StoreLocked(StoreError):
    pass


class StoreDamaged(StoreError):
    """RocksDB found a file it cannot trust (checksum, magic number, manifest)."""


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__


def _failure(path: Path, doing: str, e: BaseException) -> StoreError:
    """One line for what RocksDB raised (OSError for I/O such as a full disk, RuntimeError
    for corruption): never a traceback."""
    text = " ".join(_first_line(e).split())
    if "Corruption" in text:
        return StoreDamaged(f"the store at {path} is damaged ({text}); if no kg build is writing it, "
                            f"remove the folder and build it again")
    return StoreError(f"{doing} the store at {path} failed: {text}")


class FederationRefused(StoreError):
    """The query holds SERVICE: pyoxigraph would send it over HTTP to any address."""


# pyoxigraph 0.5 follows SERVICE <http://…> with its own HTTP client (a POST of the inner
# query; checked by experiment, tests/test_reliability_security.py) and has no option to
# turn that off. So a query is refused when the letters "service", in any case and after
# \u escapes, appear anywhere but inside an IRI <…> or a variable name. Strings, comments
# and prefixed names are not exempt: where a lexer could disagree with Oxigraph's (a long
# string ending in quotes, a # inside a string, 1SERVICE, ex:.SERVICE) this one refuses.
# An IRI cannot hide the keyword: it holds no space, brace or "<", and SERVICE needs a
# "{" after its target before any ">". The price, a string or comment that mentions the
# word, is paid with --allow-federation.
_IRI = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_VARIABLE = re.compile(r"[?$]\w+")
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def uses_federation(query: str) -> bool:
    """True when `query` may hold the SERVICE keyword (fail-closed, see above)."""
    text = _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), query)
    text = _VARIABLE.sub(" ", _IRI.sub(" ", text))
    return "service" in text.lower()


def as_store_error(path: str | Path, e: BaseException) -> StoreError:
    """What a command says when reading the store at `path` raised `e` outside this module
    (analytics, viz and canned queries iterate pyoxigraph results themselves)."""
    return e if isinstance(e, StoreError) else _failure(Path(path), "reading", e)


@contextmanager
def _guard(path: Path, doing: str) -> Iterator[None]:
    try:
        yield
    except (OSError, RuntimeError) as e:
        raise _failure(path, doing, e) from None


class OxigraphStore:
    backend = "oxigraph"

    # RocksDB keeps what is written in memory until it is flushed to disk: flushing after
    # every few MB of updates keeps a long build's memory flat (10,000 documents: 639 MB
    # peak without it) for a few per cent of the write time.
    FLUSH_EVERY_BYTES = 8 * 1024 * 1024

    def __init__(self, path: str | Path, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._store: ox.Store | None = self._open()
        self._unflushed = 0

    def _open(self) -> ox.Store:
        where = str(self.path)
        if self.read_only:
            if not (self.path / "CURRENT").exists():
                raise StoreError(f"no store at {where}: build one first (kg build PATH --store {where})")
            return self._open_read_only(where)
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(f"cannot open the store at {where}: not a folder")
        blocked = next((p for p in self.path.parents if p.exists() and not p.is_dir()), None)
        if blocked is not None:
            raise StoreError(f"cannot open the store at {where}: {blocked} is a file, not a folder")
        try:
            return ox.Store(where)
        except (OSError, RuntimeError) as e:
            if re.search(r"\block\b", str(e), re.IGNORECASE):  # not "block checksum mismatch"
                raise StoreLocked(f"store is locked by another process: {where}") from None
            raise _failure(self.path, "opening", e) from None

    def _open_read_only(self, where: str, attempts: int = 5) -> ox.Store:
        """A writer compacting the store can delete a file between the reader reading the
        manifest and opening the file (RocksDB reports "Corruption"); the next try sees the
        new manifest, so retry a few times before giving up."""
        for attempt in range(attempts):
            try:
                return ox.Store.read_only(where)
            except (OSError, RuntimeError) as e:
                if attempt == attempts - 1 and "Corruption" in str(e):
                    raise _failure(self.path, "opening", e) from None
                if attempt == attempts - 1:
                    raise StoreError(f"cannot open the store at {where} read-only: {_first_line(e)} "
                                     "(is another process writing it? try again when it is done)") from None
                time.sleep(0.05 * 2**attempt)
        raise AssertionError("unreachable")

    @property
    def store(self) -> ox.Store:
        if self._store is None:
            raise StoreError(f"the store at {self.path} is closed")
        return self._store

    def close(self) -> None:
        """Let go of the folder (and its lock). pyoxigraph has no close(): the store shuts
        when its last reference goes, so drop ours and collect any cycle holding one."""
        if self._store is not None:
            store, self._store = self._store, None
            try:
                if not self.read_only:
                    with _guard(self.path, "writing"):  # a full disk shows here, at the last flush
                        store.flush()
            finally:
                del store
                gc.collect()

    def __enter__(self) -> OxigraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ------------------------------------------------------------------------

    def put_graph(self, graph: str, quads: Iterable[ox.Quad]) -> int:
        """Replace named graph `graph` with the triples of `quads`, in one transaction.
        Returns how many distinct triples the graph now holds."""
        g = ox.NamedNode(graph)
        body = "\n".join(sorted({f"{q.subject} {q.predicate} {q.object} ." for q in quads}))
        update = f"DROP SILENT GRAPH {g}"
        if body:
            update += f" ;\nINSERT DATA {{ GRAPH {g} {{\n{body}\n}} }}"
        self._update(update)
        return body.count("\n") + 1 if body else 0

    def compact(self) -> None:
        """Merge the files a long run of writes left behind: queries over a 10,000-document
        store run 30-45 % faster after it (1.7 s to compact that store)."""
        if self._store is not None and not self.read_only:
            with _guard(self.path, "compacting"):
                self._store.optimize()

    def put_document(self, doc: Document) -> int:
        return self.put_graph(graph_iri(doc.doc_id), document_quads(doc))

    def remove_graph(self, graph: str) -> None:
        self.remove_graphs([graph])

    def remove_graphs(self, graphs: Iterable[str]) -> None:
        """Drop these named graphs, all in one transaction."""
        drops = " ;\n".join(f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in graphs)
        if drops:
            self._update(drops)

    def remove_document(self, doc_id: str) -> None:
        self.remove_graph(graph_iri(doc_id))

    def load_ontology(self) -> int:
        """(Re)load policy.ttl and topics.ttl into id:graph/ontology."""
        return self.put_graph(ONTOLOGY_GRAPH, ontology_quads())

    def _update(self, update: str) -> None:
        if self.read_only:
            raise StoreError(f"the store at {self.path} is open read-only")
        with _guard(self.path, "writing"):
            self.store.update(update)
            self._unflushed += len(update)
            if self._unflushed > self.FLUSH_EVERY_BYTES:
                self.store.flush()
                self._unflushed = 0

    # -- reading ------------------------------------------------------------------------

    def __len__(self) -> int:
        """Quads in the store: a statement asserted in two documents' graphs counts twice."""
        with _guard(self.path, "reading"):
            return len(self.store)

    def graphs(self) -> list[str]:
        with _guard(self.path, "reading"):
            return sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def document_graphs(self) -> list[str]:
        return [g for g in self.graphs() if g.startswith(DOC_GRAPHS)]

    def stray_graphs(self) -> list[str]:
        """Graphs that are neither a document's nor the ontology: left by an older version
        (documents were id:graph/{id} before id:graph/doc/) or loaded by hand."""
        return [g for g in self.graphs() if not g.startswith(DOC_GRAPHS) and g != ONTOLOGY_GRAPH]

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        g = ox.NamedNode(graph) if graph else None
        with _guard(self.path, "reading"):
            return iter(list(self.store.quads_for_pattern(None, None, None, g)))

    def counts(self) -> dict[str, int]:
        out = {"triples": len(self), "graphs": len(self.document_graphs())}
        # the ontology's own triples, so a command can say what its "triples" include
        with _guard(self.path, "reading"):
            ontology = ox.NamedNode(ONTOLOGY_GRAPH)
            out["ontology_triples"] = sum(1 for _ in self.store.quads_for_pattern(None, None, None, ontology))
        out["document_triples"] = out["triples"] - out["ontology_triples"]
        for name, query in COUNT_QUERIES.items():
            rows = self.sparql(query)
            out[name] = int(rows[0]["n"]) if rows else 0
        return out

    def sparql(self, query: str, bindings: Mapping[str, Any] | None = None,
               allow_federation: bool = False) -> list[Row]:
        """Run a SPARQL query over the union of all graphs (GRAPH ?g still selects one).

        The usual prefixes (pkg:, id:, org:, dcterms: … see kg.ontology.PREFIXES) are
        predeclared. `bindings` pre-binds variables (SEP-0007 substitution), so values
        never get spliced into query text: pass ox terms, or str (a plain literal), int,
        float, bool; use `iri("…")` for an IRI. Oxigraph only substitutes variables the
        query projects (SELECT ?x … or SELECT *).
        SELECT -> one dict per solution (plain Python values, None when unbound);
        ASK -> [{"result": bool}]; CONSTRUCT/DESCRIBE -> {"subject","predicate","object"} rows.
        """
        result = self.query_terms(query, bindings, allow_federation)
        with _guard(self.path, "reading"):  # solutions are computed while iterating
            if isinstance(result, ox.QueryBoolean):
                return [{"result": bool(result)}]
            if isinstance(result, ox.QuerySolutions):
                names = [v.value for v in result.variables]
                return [{n: to_python(s[n]) for n in names} for s in result]
            return [{"subject": to_python(t.subject), "predicate": to_python(t.predicate),
                     "object": to_python(t.object)} for t in result]

    def query_terms(self, query: str, bindings: Mapping[str, Any] | None = None,
                    allow_federation: bool = False) -> Any:
        """The raw pyoxigraph result (QuerySolutions, QueryTriples or QueryBoolean).
        SERVICE (a federated query: HTTP requests to any address) is refused unless
        `allow_federation`."""
        if not allow_federation and uses_federation(query):
            raise FederationRefused("the query uses SERVICE (a federated query: it would send requests "
                                    "to other servers), or names it outside an IRI; refused unless "
                                    "federation is allowed (kg sparql --allow-federation)")
        try:
            subs = {ox.Variable(k): to_term(v) for k, v in (bindings or {}).items()}
        except (ValueError, TypeError, UnicodeError) as e:
            raise StoreError(f"bad query parameter: {_first_line(e)}") from None
        try:
            return self.store.query(query, prefixes=dict(PREFIXES), use_default_graph_as_union=True,
                                    substitutions=subs or None)
        except SyntaxError as e:
            raise StoreError(f"SPARQL syntax error: {_first_line(e)}") from None
        except RuntimeError as e:
            if "Corruption" in str(e):
                raise _failure(self.path, "reading", e) from None
            raise StoreError(f"query failed: {_first_line(e)}") from None
        except (OSError, ValueError, TypeError) as e:
            raise StoreError(f"query failed: {_first_line(e)}") from None

    def construct_union(self) -> Iterator[ox.Triple]:
        """Every distinct triple of every graph: the store as one RDF graph."""
        with _guard(self.path, "reading"):
            return iter(list(self.store.query(
                "CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }")))

    def dump(self, output: Any, fmt: ox.RdfFormat, **kwargs: Any) -> None:
        """Write the store to `output`; a damaged store is a StoreError (a full disk while
        writing `output` stays the OSError of that file)."""
        try:
            self.store.dump(output, fmt, **kwargs)
        except RuntimeError as e:
            raise _failure(self.path, "reading", e) from None


def iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def to_term(value: Any) -> Term:
    if isinstance(value, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple):
        return value
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(XSD + "double"))
    if isinstance(value, str):
        return ox.Literal(value)
    raise TypeError(f"cannot bind a {type(value).__name__} in a SPARQL query")


def to_python(term: Term | None) -> Any:
    """An RDF term as the plain value a table, CSV or JSON row wants: IRIs as strings,
    numbers as int/float, booleans as bool, xsd:gYear as int, other literals as text."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        try:
            if dt in _INTS:
                return int(term.value)
            if dt in _FLOATS:
                return float(term.value)
            if dt == XSD + "gYear":
                return int(term.value[:4] if not term.value.startswith("-") else term.value[:5])
        except ValueError:
            return term.value
        if dt == XSD + "boolean":
            return term.value in ("true", "1")
        return term.value
    return str(term)


__all__ = ["FederationRefused", "OxigraphStore", "StoreDamaged", "StoreError", "StoreLocked",
           "as_store_error", "iri", "to_python", "to_term", "uses_federation"]

"""`kg build`, `kg stats`, `kg sparql`, `kg validate`, `kg export`: the graph in the store.

The embedded Oxigraph store in a folder (default ./kg-store, or $KG_STORE) needs no server.
`kg build --backend neo4j` sends the same named graphs to Neo4j instead.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kg.cli import main
from kg.cli.errors import cannot_write
from kg.cli.neo4j import connect, neo4j_options, settings_from
from kg.cli.options import (
    deprecated_json_flag,
    echo_json,
    echo_object,
    no_ocr_option,
    opened,
    output_options,
    store_option,
)

if TYPE_CHECKING:  # the pipeline, rdf and store modules load pyoxigraph, cn2an …: only in commands
    from rich.console import Console

    from kg.model import Document, Notice
    from kg.pipeline import Source
    from kg.read import ReadError
    from kg.store import OxigraphStore


# -- kg build ------------------------------------------------------------------------------

# How a warning kind reads in the build summary ("7 warnings (6 garbled text, 1 stray markup)").
WARNING_KINDS = {"garbled": "garbled text", "markup": "stray markup", "empty": "nothing to extract",
                 "ocr": "read by OCR", "ocr-off": "pages left out (OCR off)"}


class BuildReport:
    def __init__(self) -> None:
        self.read = 0
        self.skipped = 0
        self.failed = 0
        self.warnings: Counter[str] = Counter()  # warning kind -> how many
        self.quads = 0
        self.pruned = 0
        self.ids: set[str] = set()  # every document id this build's inputs own

    def warnings_text(self) -> str:
        """"7 warnings (6 garbled text, 1 stray markup)": a count alone says nothing to act on."""
        total = sum(self.warnings.values())
        if not total:
            return "0 warnings"
        kinds = ", ".join(f"{n} {WARNING_KINDS.get(k, k)}" for k, n in self.warnings.most_common())
        return f"{total} warning{'s' if total != 1 else ''} ({kinds})"


class Sink:
    """Where documents go: the embedded store, or Neo4j."""

    def put(self, graph: str, doc: Document | None) -> int:
        raise NotImplementedError

    def graphs(self) -> list[str]:
        raise NotImplementedError

    def remove(self, graphs: list[str]) -> None:
        raise NotImplementedError

    def close(self) -> None: ...


COMPACT_AFTER = 50  # documents written in one build before the store is compacted


class OxigraphSink(Sink):
    def __init__(self, store: OxigraphStore) -> None:
        self.store = store

    def put(self, graph: str, doc: Document | None) -> int:
        from kg.rdf import document_quads

        if doc is None:
            return self.store.load_ontology()
        return self.store.put_graph(graph, document_quads(doc))

    def graphs(self) -> list[str]:
        return self.store.graphs()

    def remove(self, graphs: list[str]) -> None:
        self.store.remove_graphs(graphs)


class Neo4jSink(Sink):
    def __init__(self, neo: Any) -> None:
        self.neo = neo

    def put(self, graph: str, doc: Document | None) -> int:
        from kg.ontology import ontology_quads
        from kg.rdf import document_quads

        quads = list(ontology_quads()) if doc is None else document_quads(doc)
        self.neo.put_graph(graph, quads)
        return len(quads)

    def graphs(self) -> list[str]:
        return self.neo.graphs()

    def remove(self, graphs: list[str]) -> None:
        for g in graphs:
            self.neo.remove_graph(g)

    def close(self) -> None:
        self.neo.close()


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Extract in this many processes (writing stays in this one).")
@click.option("--backend", type=click.Choice(["oxigraph", "neo4j"]), default="oxigraph", show_default=True,
              help="oxigraph: the embedded store in --store; neo4j: a Neo4j server over Bolt.")
@click.option("--prune", is_flag=True,
              help="Then remove every document whose file is not among PATHS any more (renamed, "
                   "moved or deleted), so the store holds exactly these files.")
@no_ocr_option
@click.option("-v", "--verbose", is_flag=True, help="List every warning (file: kind: message) on stderr.")
@neo4j_options
def build(paths: tuple[Path, ...], store_dir: Path, workers: int, backend: str, prune: bool,
          no_ocr: bool, verbose: bool, neo4j_uri: str, neo4j_user: str | None,
          neo4j_password: str | None, neo4j_database: str | None) -> None:
    """Run the whole pipeline over PATHS (files or folders) into the graph store.

    Each document becomes its own named graph, replaced in one transaction: building the
    same files again leaves the store as it was, a changed file replaces just its graph,
    and an interrupted build never leaves half a document. One process writes a store at a
    time. Exit code 1 when any file could not be read or was skipped (its document id, the
    path in the folder given without the suffix, taken by another file).
    """
    from rich.console import Console

    from kg.pipeline import Source, printable, sources
    from kg.read import SUPPORTED

    console = Console(stderr=True)
    started = time.perf_counter()
    report = BuildReport()
    found = sources(paths)
    if not any(isinstance(s, Source) for s in found):
        # nothing to put in a store: do not create one (or touch one that exists)
        for err in found:
            click.echo(str(err), err=True)
        raise click.ClickException(f"nothing to build: no {', '.join(sorted(SUPPORTED))} file in "
                                   f"{' '.join(printable(p) for p in paths)}; the store was not touched")
    ocr = False if no_ocr else None  # None: as KG_NO_OCR says (on by default)
    if backend == "neo4j":
        from kg.store.neo4j import Neo4jError

        neo = connect(settings_from(neo4j_uri, neo4j_user, neo4j_password, neo4j_database))
        try:
            _run_build(Neo4jSink(neo), paths, found, workers, report, console, prune, ocr, verbose)
            nodes, rels = neo.counts()
        except Neo4jError as e:
            raise click.ClickException(str(e)) from None
        finally:
            neo.close()
        where, totals = neo.settings.uri, f"Neo4j now holds {nodes} nodes, {rels} relationships"
    else:
        with opened(store_dir, read_only=False) as store:
            _run_build(OxigraphSink(store), paths, found, workers, report, console, prune, ocr, verbose)
            if report.read >= COMPACT_AFTER:  # a few documents added to a big store: not worth it
                store.compact()
            counts = store.counts()
        where = str(store_dir)
        totals = (f"{counts['triples']} triples ({counts['document_triples']} in document graphs, "
                  f"{counts['ontology_triples']} in the ontology) in {counts['documents']} documents: "
                  f"{counts['measures']} measures, {counts['organizations']} organizations, "
                  f"{counts['people']} people, {counts['groups']} groups, "
                  f"{counts['indicators']} indicators, {counts['schools']} school projects")
    seconds = time.perf_counter() - started
    click.echo(f"{report.read} read, {report.skipped} skipped, {report.failed} failed, "
               f"{report.warnings_text()}; {report.quads} triples written to {where} (document graphs) "
               f"in {seconds:.1f}s"
               + (f"; {report.pruned} document(s) pruned" if prune else ""))
    if report.warnings and not verbose:
        click.echo("(kg build -v lists the warnings)", err=True)
    click.echo(f"store: {totals}")
    if report.failed or report.skipped:
        sys.exit(1)


def _run_build(sink: Sink, paths: tuple[Path, ...], found: list[Source | ReadError], workers: int,
               report: BuildReport, console: Console, prune: bool = False, ocr: bool | None = None,
               verbose: bool = False) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from kg.ontology import ONTOLOGY_GRAPH
    from kg.pipeline import Skipped, Source, iter_documents
    from kg.rdf import graph_iri

    total = len(found)
    # a file that failed this time still owns its id: pruning must not drop its old graph
    report.ids = {s.doc_id for s in found if isinstance(s, Source)}
    columns = (TextColumn("[progress.description]{task.description}"), BarColumn(),
               MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, disable=not console.is_terminal) as progress:
        task = progress.add_task("building", total=total)

        def say(line: str) -> None:
            progress.console.print(line, markup=False, highlight=False, soft_wrap=True)

        def on_error(err: ReadError) -> None:
            if isinstance(err, Skipped):  # its id is taken in this run (see kg.pipeline)
                report.skipped += 1
            else:
                report.failed += 1
            say(str(err))
            progress.advance(task)

        sink.put(ONTOLOGY_GRAPH, None)  # the ontology first: queries over a partial build work
        for doc in iter_documents(list(paths), on_error, workers=workers, found=found, ocr=ocr):
            progress.update(task, description=doc.doc_id[:40])
            report.quads += sink.put(graph_iri(doc.doc_id), doc)
            report.read += 1
            report.warnings.update(w.kind for w in doc.warnings)
            if verbose:
                for w in doc.warnings:
                    say(warning_line(doc, w))
            progress.advance(task)
        if prune:
            _prune(sink, report, say, found)


def warning_line(doc: Document, w: Notice) -> str:
    """`FILE: kind: message`, like a compiler's warning, so an editor can jump to the file."""
    from kg.pipeline import printable

    return f"{printable(doc.path)}: {w.kind}: {w.message}"


def _prune(sink: Sink, report: BuildReport, say: Callable[[str], None],
           found: list[Source | ReadError]) -> None:
    """Drop the graphs no input owns: documents whose files were renamed, moved or deleted,
    and graphs an older version named differently. The ontology stays. Not when an input
    is missing or a folder could not be read: a typo must not empty the store."""
    from kg.ontology import ONTOLOGY_GRAPH
    from kg.rdf import graph_doc_id
    from kg.read import ReadError

    for err in (e for e in found if isinstance(e, ReadError)):
        raw = err.args[0]
        if not os.path.lexists(raw) or os.path.isdir(raw):
            say(f"not pruning: {err.path} could not be read, its documents would be lost")
            return
    gone = [g for g in sink.graphs() if g != ONTOLOGY_GRAPH and graph_doc_id(g) not in report.ids]
    for g in gone:
        say(f"pruned: {graph_doc_id(g) or g}")
    sink.remove(gone)
    report.pruned = len(gone)


# -- kg remove -----------------------------------------------------------------------------

@main.command()
@click.argument("documents", nargs=-1, required=True)
@store_option
def remove(documents: tuple[str, ...], store_dir: Path) -> None:
    """Remove DOCUMENTS from the store: each a document id (as `kg query documents` shows
    it), a file's path as it was built (plans/2023/a.txt built from plans: 2023/a.txt), or a
    folder (every document built from its files). All in one transaction; exit code 1 when
    one names no document. `kg build --prune` removes those of files that are gone."""
    from kg.rdf import graph_doc_id

    with opened(store_dir, read_only=False) as store:
        present = set(store.document_graphs())
        gone: list[str] = []
        missing: list[str] = []
        for arg in documents:
            found = [g for g in _candidates(arg) if g in present]
            if found:
                gone.extend(g for g in found if g not in gone)
            else:
                missing.append(arg)
        store.remove_graphs(gone)
    for g in gone:
        click.echo(f"removed: {graph_doc_id(g)}")
    for arg in missing:
        click.echo(f"{arg}: no such document in {store_dir}", err=True)
    click.echo(f"{len(gone)} document(s) removed from {store_dir}", err=True)
    if missing:
        sys.exit(1)


def _candidates(arg: str) -> list[str]:
    """The graphs `arg` may name: the id itself, the id of a file path, or a folder's ids."""
    from kg.pipeline import Source, base_id, sources
    from kg.rdf import graph_iri

    out = [graph_iri(arg), graph_iri(base_id(arg))]
    if Path(arg).is_dir():
        out += [graph_iri(s.doc_id) for s in sources([arg]) if isinstance(s, Source)]
    return out


# -- kg stats ------------------------------------------------------------------------------

# What each count is, in the table: "triples" alone reads differently in build and validate.
STATS_LABELS = {
    "documents": "documents",
    "triples": "triples, all graphs (ontology included)",
    "document_triples": "triples in document graphs",
    "ontology_triples": "triples in the ontology graph",
    "measures": "measures",
    "organizations": "organizations",
    "people": "people",
    "groups": "groups",
    "indicators": "indicators",
    "schools": "school projects",
}


@main.command()
@store_option
@output_options("table", "csv", "json")
@deprecated_json_flag
def stats(store_dir: Path, fmt: str) -> None:
    """Count documents, triples, measures, organizations, people, groups and indicators."""
    with opened(store_dir, read_only=True) as store:
        counts = store.counts()
    if fmt in ("json", "nl"):
        echo_object(counts, fmt)
        return
    rows = [(key, STATS_LABELS[key], counts[key]) for key in STATS_LABELS]
    if fmt == "csv":
        from kg.export import csv_text

        click.echo(csv_text([["what", "label", "count"], *([k, label, n] for k, label, n in rows)]), nl=False)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"kg store {store_dir}", show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    for _, label, n in rows:
        table.add_row(label, str(n))
    Console().print(table)


# -- kg sparql -----------------------------------------------------------------------------

@main.command()
@click.argument("query_or_file")
@store_option
@output_options("table", "csv", "json")
@click.option("--param", "param_pairs", multiple=True, metavar="NAME=VALUE",
              help="Bind ?NAME to VALUE (a string; <…> for an IRI). Repeatable.")
@click.option("--allow-federation", is_flag=True,
              help="Let SERVICE <…> send the query's parts to other servers over HTTP (refused "
                   "by default: a query file from someone else could reach any address).")
def sparql(query_or_file: str, store_dir: Path, fmt: str, param_pairs: tuple[str, ...],
           allow_federation: bool) -> None:
    """Run a SPARQL query (text, a .rq file, or - for stdin) over all documents' graphs.

    The prefixes pkg:, id:, topic:, org:, dcterms:, skos:, prov:, oa:, foaf:, eli:, rdfs:,
    xsd: … are predeclared. Example:

      kg sparql 'SELECT ?title WHERE { ?m a pkg:Measure ; dcterms:title ?title } LIMIT 5'
    """
    query = _query_text(query_or_file)
    bindings = _bindings(param_pairs)
    with opened(store_dir, read_only=True) as store:
        rows = store.sparql(query, bindings, allow_federation=allow_federation)
    _print_rows(rows, fmt)


def _query_text(arg: str) -> str:
    if arg == "-":
        return sys.stdin.read()
    p = Path(arg)
    if len(arg) < 4096 and "\n" not in arg and p.suffix.lower() in (".rq", ".sparql", ".txt") and p.is_file():
        return p.read_text(encoding="utf-8")
    return arg


def _bindings(pairs: tuple[str, ...]) -> dict[str, Any]:
    from kg.pipeline import printable
    from kg.store.oxigraph import iri

    out: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not name:
            raise click.BadParameter(f"{printable(pair)!r} is not NAME=VALUE", param_hint="--param")
        if printable(value) != value:  # os.fsdecode kept bytes that are not UTF-8 as surrogates
            raise click.BadParameter(f"the value of {name} is not valid UTF-8: {printable(value)}",
                                     param_hint="--param")
        if value.startswith("<") and value.endswith(">"):
            try:
                out[name] = iri(value[1:-1])
            except ValueError as e:
                raise click.BadParameter(f"{value} is not an IRI ({e})", param_hint="--param") from None
        else:
            out[name] = value
    return out


def _print_rows(rows: list[dict[str, Any]], fmt: str) -> None:
    columns = list(rows[0]) if rows else []
    if fmt in ("json", "nl"):
        echo_json(rows, fmt)
    elif fmt == "csv":
        from kg.export import csv_text  # formula-looking text cells get a '

        click.echo(csv_text([columns, *([row[c] for c in columns] for row in rows)]), nl=False)
    else:
        from kg.cli.tables import print_table

        print_table(columns, (["" if row[c] is None else str(row[c]) for c in columns] for row in rows),
                    len(rows), caption=f"{len(rows)} row(s)")


# -- kg validate ---------------------------------------------------------------------------

@main.command()
@store_option
@click.option("--document", "doc_id",
              help="Validate only this document's graph (its id: the file's path in the folder "
                   "built, without the suffix).")
@click.option("--max-results", type=click.IntRange(min=1), default=50, show_default=True,
              help="Show at most this many violations.")
def validate(store_dir: Path, doc_id: str | None, max_results: int) -> None:
    """Check the store against ontology/shapes.ttl (SHACL). Exit code 1 on violations."""
    from kg.export import to_rdflib
    from kg.ontology import ONTOLOGY_GRAPH, validate_graph
    from kg.rdf import graph_iri

    with opened(store_dir, read_only=True) as store:
        graphs = [graph_iri(doc_id), ONTOLOGY_GRAPH] if doc_id else None
        if doc_id and graph_iri(doc_id) not in store.graphs():
            raise click.ClickException(f"no document {doc_id!r} in {store_dir}")
        graph = to_rdflib(store, graphs)
    result = validate_graph(graph)
    # the graphs are merged for SHACL: a triple two documents assert is checked once, so
    # this count is below `kg stats`' "triples, all graphs"
    checked = f"{len(graph)} distinct triples (document graphs and ontology merged)"
    for w in result.warnings[:max_results]:
        click.echo(f"warning: {w}", err=True)
    if result.conforms:
        click.echo(f"conforms: {checked} checked against ontology/shapes.ttl"
                   + (f" ({len(result.warnings)} warning(s))" if result.warnings else ""))
        return
    click.echo(f"{len(result.violations)} violation(s) of ontology/shapes.ttl in {checked}:")
    for v in result.violations[:max_results]:
        click.echo(f"- {v}")
    if len(result.violations) > max_results:
        click.echo(f"… and {len(result.violations) - max_results} more (--max-results)")
    sys.exit(1)


# -- kg export -----------------------------------------------------------------------------

EXPORT_FORMATS = ["ttl", "trig", "nq", "nt", "jsonld", "xml", "graphml", "csv"]


@main.command()
@store_option
@click.option("--format", "fmt", default="ttl", type=click.Choice(EXPORT_FORMATS), show_default=True,
              help="trig/nq/jsonld keep the named graphs; ttl/nt/xml merge them into one graph; "
                   "graphml (Gephi, yEd) and csv (nodes.csv + edges.csv) are the network projection.")
@click.option("--out", "out_path", type=click.Path(path_type=Path),
              help="File to write (for csv: a folder). Default: exports/policy-kg.<ext> (exports/csv/).")
def export(store_dir: Path, fmt: str, out_path: Path | None) -> None:
    """Export the store as RDF, GraphML or CSV. Files are written whole or not at all."""
    from kg import export as exporter

    target = out_path or exporter.default_path(fmt)
    with opened(store_dir, read_only=True) as store:
        try:
            result = exporter.export(store, fmt, target)
        except OSError as e:
            raise click.ClickException(cannot_write(target, e)) from None
    click.echo(str(result))

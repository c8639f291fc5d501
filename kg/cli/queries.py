"""`kg queries`, `kg query NAME` and `kg analyze`: canned questions and network analytics."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kg.cli import main
from kg.cli.errors import cannot_write
from kg.cli.neo4j import connect, neo4j_options, settings_from
from kg.cli.options import echo_json, echo_object, opened, output_options, store_option
from kg.cli.tables import competition_ranks, print_table
from kg.cli.units import choose, jurisdiction_option, known_units

if TYPE_CHECKING:  # kg.query loads pyoxigraph, rich is slow to import: only inside commands
    from rich.console import Console
    from rich.table import Table

    from kg.query import CannedQuery

LIST_JOIN = {"table": "、", "csv": "; "}  # how a list cell reads in a table and in CSV
UNIT_PARAM = "unit"  # queries with this parameter answer for one unit: the ambiguity check


def _console() -> Console:
    from rich.console import Console

    # Tables go to stdout for piping; rich still wraps long Chinese cells to the terminal.
    return Console(highlight=False, soft_wrap=False)


@contextmanager
def _embedded(store_dir: Path) -> Iterator[Any]:
    with opened(store_dir, read_only=True) as store:
        yield store


def _pairs(pairs: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{pair!r} is not k=v", param_hint="--param")
        out[key.strip()] = value
    return out


def _cell(value: Any, fmt: str) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_JOIN[fmt].join(str(v) for v in value)
    if isinstance(value, bool):
        return "是" if value and fmt == "table" else ("否" if fmt == "table" else str(value).lower())
    return str(value)


def _params_text(q: CannedQuery) -> str:
    parts = []
    for p in q.params:
        shown = "(required)" if p.required else f"={p.default!r}" if p.type == "str" else f"={p.default}"
        parts.append(f"{p.name}:{p.type}{shown}")
    return ", ".join(parts)


@main.command(name="queries")
@output_options("table", "json")
def queries_command(fmt: str) -> None:
    """List the canned questions, their parameters and result columns."""
    from rich.table import Table

    from kg import query as canned

    try:
        manifest = canned.load_manifest()
    except canned.QueryError as e:
        raise click.ClickException(str(e)) from None
    if fmt in ("json", "nl"):
        echo_json((
            {"name": q.name, "question_zh": q.question_zh, "question_en": q.question_en,
             "params": [{"name": p.name, "type": p.type, "required": p.required, "default": p.default,
                         "help": p.help} for p in q.params],
             "columns": [{"name": c.name, "type": c.type} for c in q.columns]}
            for q in manifest.values()), fmt)
        return
    table = Table(title="Canned queries · kg query NAME [--param k=v]", show_lines=True)
    table.add_column("name", no_wrap=True, style="bold")
    table.add_column("question 问题", overflow="fold")
    table.add_column("params 参数")
    for q in manifest.values():
        table.add_row(q.name, f"{q.question_zh}\n{q.question_en}", _params_text(q))
    _console().print(table)


@main.command(name="query")
@click.argument("name")
@click.option("--param", "param_pairs", multiple=True, metavar="K=V",
              help="A parameter of the query (see `kg queries`); repeatable.")
@jurisdiction_option
@click.option("--backend", type=click.Choice(["oxigraph", "neo4j"]), default="oxigraph", show_default=True,
              help="Ask the embedded store (SPARQL) or a Neo4j server (Cypher).")
@store_option
@neo4j_options
@output_options("table", "csv", "json")
def query_command(name: str, param_pairs: tuple[str, ...], jurisdiction: str | None, backend: str,
                  store_dir: Path, neo4j_uri: str, neo4j_user: str | None, neo4j_password: str | None,
                  neo4j_database: str | None, fmt: str) -> None:
    """Answer canned question NAME (see `kg queries`) on either store.

    For example `kg query school-construction-units`, or `kg query unit-measures --param
    unit=区教委`; in a ranking, "=1" marks units tied for first place.

    A unit name or alias that matches units of several jurisdictions (区教委) keeps them all
    and says so on stderr; --jurisdiction picks one. An unknown unit is an error (exit 1).
    """
    from kg import query as canned

    try:
        q = canned.get(name)
        canned.coerce_params(q, _pairs(param_pairs))  # a bad parameter fails before connecting
    except canned.QueryError as e:
        raise click.ClickException(str(e)) from None
    params = _pairs(param_pairs)
    unit = params.get(UNIT_PARAM) if any(p.name == UNIT_PARAM for p in q.params) else None
    if jurisdiction is not None and unit is None:
        raise click.UsageError(f"--jurisdiction goes with a query about one unit (--param unit=…); "
                               f"{name} takes none")
    started = time.perf_counter()
    try:
        if backend == "neo4j":
            with connect(settings_from(neo4j_uri, neo4j_user, neo4j_password, neo4j_database)) as neo:
                started = time.perf_counter()
                rows = canned.run(neo, name, params)
                if unit is not None:
                    rows = _one_unit(neo, name, unit, rows, jurisdiction)
        else:
            with _embedded(store_dir) as store:
                started = time.perf_counter()
                rows = canned.run(store, name, params)
                if unit is not None:
                    rows = _one_unit(store, name, unit, rows, jurisdiction)
    except canned.QueryError as e:
        raise click.ClickException(str(e)) from None
    elapsed = (time.perf_counter() - started) * 1000
    _emit(q, rows, fmt)
    click.echo(f"{len(rows)} row{'s' if len(rows) != 1 else ''} · {backend} · {elapsed:.1f} ms", err=True)


def _one_unit(store: Any, name: str, unit: str, rows: list[dict[str, Any]],
              jurisdiction: str | None) -> list[dict[str, Any]]:
    """The rows of the units `unit` names (see kg.cli.units), the unknown-unit error when it
    names none. The unit-param queries return the unit's name and jurisdiction per row."""
    from kg import query as canned

    def units_of(found: list[dict[str, Any]]) -> set[tuple[str, str]]:
        return {(r.get("unit") or "", r.get("jurisdiction") or "") for r in found}

    matches = units_of(rows)
    if not matches and name != "unit-measures":
        # no partners is an answer, not an unknown unit: which units does the name name?
        matches = units_of(canned.run(store, "unit-measures", {"unit": unit}))
    kept = choose(unit, matches, jurisdiction, lambda: known_units(store))
    return [r for r in rows if ((r.get("unit") or ""), (r.get("jurisdiction") or "")) in kept]


def _rank_column(q: CannedQuery) -> str | None:
    """The count a ranking query sorts by, best first (ORDER BY DESC(?total) …), else None."""
    if not q.order_by:
        return None
    first = q.order_by[0]
    numeric = {c.name for c in q.columns if c.type in ("int", "number")}
    if first in numeric and re.search(rf"ORDER BY\s+DESC\(\s*\?{re.escape(first)}\s*\)", q.sparql):
        return first
    return None


def _label_columns(q: CannedQuery) -> list[str]:
    """What names a row of a ranking: the text columns it sorts by, up to the jurisdiction."""
    text = {c.name for c in q.columns if c.type == "str"}
    out: list[str] = []
    for c in q.order_by:
        if c == "jurisdiction":
            break
        if c in text:
            out.append(c)
    return out or [c.name for c in q.columns if c.type == "str"][:1]


def _emit(q: CannedQuery, rows: list[dict[str, Any]], fmt: str) -> None:
    columns = q.column_names
    if fmt in ("json", "nl"):
        echo_json(rows, fmt)
    elif fmt == "csv":
        from kg.export import csv_text  # formula-looking text cells get a '

        body = ([row[c] if isinstance(row[c], int | float) and not isinstance(row[c], bool)
                 else _cell(row[c], "csv") for c in columns] for row in rows)
        click.echo(csv_text([columns, *body]), nl=False)
    else:
        numeric = {c.name for c in q.columns if c.type in ("int", "number")}
        cells: list[list[str]] = [[_cell(row[c], "table") for c in columns] for row in rows]
        caption = None
        by = _rank_column(q)
        if by and rows:
            # a ranking's ties are part of the answer: "=1" on each tied row, and a note
            # naming those tied at the top (the order within a tie means nothing)
            ranks = competition_ranks([row[by] for row in rows])
            columns = ["rank", *columns]
            cells = [[rank, *row] for rank, row in zip(ranks, cells, strict=True)]
            top = [row for row, rank in zip(rows, ranks, strict=True) if rank == "=1"]
            if top:
                names = ["–".join(str(r[c] or "") for c in _label_columns(q)) for r in top]
                caption = f"tie at the top ({by} {top[0][by]}): {', '.join(names)}"
        print_table(columns, cells, len(cells), title=f"{q.question_zh}\n{q.question_en}",
                    caption=caption, right={"rank", *numeric})


# --- kg analyze ------------------------------------------------------------------------------

SCORE_HEADERS = {"label": "unit", "jurisdiction": "place", "measures": "meas", "lead": "lead",
                 "support": "sup", "responsible": "resp", "degree": "deg", "strength": "str",
                 "betweenness": "betw", "community": "comm"}


def _score_table(title: str, rows: list[dict[str, Any]], with_roles: bool) -> Table:
    from rich.table import Table

    table = Table(title=title, caption="meas/lead/sup/resp: measures by role · deg: partners · "
                  "str: shared measures · betw: betweenness · comm: community" if with_roles else
                  "deg: neighbours · str: links · betw: betweenness · comm: community")
    columns = ["label", "jurisdiction"]
    if with_roles:
        columns += ["measures", "lead", "support", "responsible"]
    columns += ["degree", "strength", "betweenness", "community"]
    for c in columns:
        text = c in ("label", "jurisdiction")
        table.add_column(SCORE_HEADERS[c], justify="left" if text else "right", overflow="fold",
                         min_width=8 if c == "label" else None)
    for r in rows:
        table.add_row(*("" if r.get(c) is None else f"{r[c]:.3f}" if isinstance(r.get(c), float)
                        else str(r[c]) for c in columns))
    return table


def members_text(members: list[str], size: int) -> str:
    """A community's listed members, and how many more it has: the list is cut at --top."""
    more = size - len(members)
    return "、".join(members) + (f" (+{more} more; --top to list more)" if more > 0 else "")


def _network_tables(console: Console, name: str, report: dict[str, Any], with_roles: bool) -> None:
    from rich.table import Table

    console.print(f"[bold]{name}[/bold]: {report['nodes']} nodes, {report['edges']} links, "
                  f"{report['components']} connected components (largest {report['largest_component']}), "
                  f"{len(report['communities'])} communities shown, modularity {report['modularity']:.3f}")
    console.print(_score_table(f"{name} · by strength (weighted degree)", report["top_by_strength"],
                               with_roles))
    console.print(_score_table(f"{name} · by betweenness", report["top_by_betweenness"], with_roles))
    communities = Table(title=f"{name} · communities (Louvain, seed {_seed()})")
    communities.add_column("id", justify="right")
    communities.add_column("size", justify="right")
    communities.add_column("members", overflow="fold")
    for c in report["communities"]:
        communities.add_row(str(c["id"]), str(c["size"]), members_text(c["members"], c["size"]))
    console.print(communities)


def _seed() -> int:
    from kg.analytics import SEED

    return SEED


@main.command(name="analyze")
@store_option
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many units, people, communities and members of each community to list.")
@output_options("table", "json")
@click.option("--graphml", "graphml", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the co-responsibility network, with every score as a node attribute.")
def analyze_command(store_dir: Path, top: int, fmt: str, graphml: Path | None) -> None:
    """Who works with whom: the units' co-responsibility network (linked by shared measures)
    and the person–group–unit network, with centrality, components and communities."""
    from kg import analytics  # networkx import cost only for this command

    started = time.perf_counter()
    with _embedded(store_dir) as store:
        graph = analytics.project(store)
    report = analytics.summary(graph, top=top)
    if graphml:
        try:
            graphml.parent.mkdir(parents=True, exist_ok=True)
            scored = analytics.scored_units(graph)
            analytics.write_graphml(scored, graphml)
        except OSError as e:
            raise click.ClickException(cannot_write(graphml, e)) from None
    elapsed = (time.perf_counter() - started) * 1000
    if fmt in ("json", "nl"):
        echo_object(report, fmt)
    else:
        console = _console()
        kinds = ", ".join(f"{k} {n}" for k, n in report["graph"]["by_kind"].items())
        # not the network `kg export --format graphml` writes (no documents, no indicators):
        # say which graph these counts are of
        console.print(f"[bold]graph analysed[/bold] (documents and indicators included, unlike kg export "
                      f"--format graphml): {report['graph']['nodes']} nodes ({kinds}), "
                      f"{report['graph']['edges']} edges")
        _network_tables(console, "co-responsibility 共同责任网络", report["co_responsibility"], True)
        _network_tables(console, "people–groups–units 人员-小组-单位网络", report["people"], False)
    if graphml:
        click.echo(f"{graphml}: co-responsibility network with scores ({scored.number_of_nodes()} units, "
                   f"{scored.number_of_edges()} links; not the whole projected graph)", err=True)
    click.echo(f"analysed in {elapsed:.0f} ms", err=True)

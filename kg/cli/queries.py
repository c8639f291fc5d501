"""`kg queries`, `kg query NAME` and `kg analyze`: canned questions and network analytics."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from kg import query as canned
from kg.cli import main
from kg.cli.errors import cannot_write
from kg.cli.neo4j import connect, neo4j_options, settings_from

DEFAULT_STORE = Path("kg-store")
LIST_JOIN = {"table": "、", "csv": "; "}  # how a list cell reads in a table and in CSV


def _console() -> Console:
    # Tables go to stdout for piping; rich still wraps long Chinese cells to the terminal.
    return Console(highlight=False, soft_wrap=False)


@contextmanager
def _embedded(store_dir: Path) -> Iterator[Any]:
    if not store_dir.exists():
        raise click.ClickException(f"no store at {store_dir}: build one first (kg build SEEDS), "
                                   "or pass --store DIR")
    from kg.store import open_store  # the store module loads pyoxigraph; only when needed

    try:
        store = open_store(store_dir, read_only=True)
    except Exception as e:  # StoreError and friends carry a one-line reason
        raise click.ClickException(str(e).strip().splitlines()[0] if str(e).strip()
                                   else f"cannot open the store at {store_dir}") from None
    try:
        yield store
    except (OSError, RuntimeError) as e:  # a damaged store, met while iterating results
        from kg.store.oxigraph import as_store_error

        raise click.ClickException(str(as_store_error(store_dir, e))) from None
    finally:
        store.close()  # the embedded store keeps its folder open until closed


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


def _params_text(q: canned.CannedQuery) -> str:
    parts = []
    for p in q.params:
        shown = "(required)" if p.required else f"={p.default!r}" if p.type == "str" else f"={p.default}"
        parts.append(f"{p.name}:{p.type}{shown}")
    return ", ".join(parts)


@main.command(name="queries")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def queries_command(fmt: str) -> None:
    """List the canned questions, their parameters and result columns."""
    try:
        manifest = canned.load_manifest()
    except canned.QueryError as e:
        raise click.ClickException(str(e)) from None
    if fmt == "json":
        click.echo(json.dumps([
            {"name": q.name, "question_zh": q.question_zh, "question_en": q.question_en,
             "params": [{"name": p.name, "type": p.type, "required": p.required, "default": p.default,
                         "help": p.help} for p in q.params],
             "columns": [{"name": c.name, "type": c.type} for c in q.columns]}
            for q in manifest.values()], ensure_ascii=False, indent=2))
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
@click.option("--backend", type=click.Choice(["oxigraph", "neo4j"]), default="oxigraph", show_default=True,
              help="Ask the embedded store (SPARQL) or a Neo4j server (Cypher).")
@click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_STORE,
              show_default=True, envvar="KG_STORE", help="The embedded store folder (read-only).")
@neo4j_options
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
def query_command(name: str, param_pairs: tuple[str, ...], backend: str, store_dir: Path, neo4j_uri: str,
                  neo4j_user: str | None, neo4j_password: str | None, neo4j_database: str | None,
                  fmt: str) -> None:
    """Answer canned question NAME on either store, e.g. `kg query school-construction-units`."""
    try:
        q = canned.get(name)
        canned.coerce_params(q, _pairs(param_pairs))  # a bad parameter fails before connecting
    except canned.QueryError as e:
        raise click.ClickException(str(e)) from None
    params = _pairs(param_pairs)
    started = time.perf_counter()
    try:
        if backend == "neo4j":
            with connect(settings_from(neo4j_uri, neo4j_user, neo4j_password, neo4j_database)) as neo:
                started = time.perf_counter()
                rows = canned.run(neo, name, params)
        else:
            with _embedded(store_dir) as store:
                started = time.perf_counter()
                rows = canned.run(store, name, params)
    except canned.QueryError as e:
        raise click.ClickException(str(e)) from None
    elapsed = (time.perf_counter() - started) * 1000
    _emit(q, rows, fmt)
    click.echo(f"{len(rows)} row{'s' if len(rows) != 1 else ''} · {backend} · {elapsed:.1f} ms", err=True)


def _emit(q: canned.CannedQuery, rows: list[dict[str, Any]], fmt: str) -> None:
    columns = q.column_names
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        from kg.export import csv_text  # formula-looking text cells get a '

        body = ([row[c] if isinstance(row[c], int | float) and not isinstance(row[c], bool)
                 else _cell(row[c], "csv") for c in columns] for row in rows)
        click.echo(csv_text([columns, *body]), nl=False)
    else:
        table = Table(title=f"{q.question_zh}\n{q.question_en}")
        numeric = {c.name for c in q.columns if c.type in ("int", "number")}
        for c in columns:
            table.add_column(c, justify="right" if c in numeric else "left", overflow="fold")
        for row in rows:
            table.add_row(*(_cell(row[c], "table") for c in columns))
        _console().print(table)


# --- kg analyze ------------------------------------------------------------------------------

SCORE_HEADERS = {"label": "unit", "jurisdiction": "place", "measures": "meas", "lead": "lead",
                 "support": "sup", "responsible": "resp", "degree": "deg", "strength": "str",
                 "betweenness": "betw", "community": "comm"}


def _score_table(title: str, rows: list[dict[str, Any]], with_roles: bool) -> Table:
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


def _network_tables(console: Console, name: str, report: dict[str, Any], with_roles: bool) -> None:
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
        communities.add_row(str(c["id"]), str(c["size"]), "、".join(c["members"]))
    console.print(communities)


def _seed() -> int:
    from kg.analytics import SEED

    return SEED


@main.command(name="analyze")
@click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_STORE,
              show_default=True, envvar="KG_STORE", help="The embedded store folder (read-only).")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many units, people and communities to list.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
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
            analytics.write_graphml(analytics.scored_units(graph), graphml)
        except OSError as e:
            raise click.ClickException(cannot_write(graphml, e)) from None
    elapsed = (time.perf_counter() - started) * 1000
    if fmt == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        console = _console()
        kinds = ", ".join(f"{k} {n}" for k, n in report["graph"]["by_kind"].items())
        console.print(f"[bold]graph[/bold]: {report['graph']['nodes']} nodes ({kinds}), "
                      f"{report['graph']['edges']} edges")
        _network_tables(console, "co-responsibility 共同责任网络", report["co_responsibility"], True)
        _network_tables(console, "people–groups–units 人员-小组-单位网络", report["people"], False)
    if graphml:
        click.echo(f"{graphml}: co-responsibility network with scores", err=True)
    click.echo(f"analysed in {elapsed:.0f} ms", err=True)

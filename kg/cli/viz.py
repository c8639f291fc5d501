"""`kg viz`: the store (or a focus on it, or a canned query's rows) as one offline HTML page."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kg.cli import main
from kg.cli.errors import cannot_write
from kg.cli.options import opened, store_option
from kg.cli.units import choose, jurisdiction_option, known_units

if TYPE_CHECKING:  # networkx and pyvis take a third of a second to import: only in the command
    import networkx as nx

EXPORTS = Path("exports")


def _require(module: str, attribute: str, what: str) -> Callable[..., Any]:
    """A function from a module another part of the project provides, or a clear error: the
    store, the projection and the canned queries may be missing from a partial install."""
    try:
        found = getattr(importlib.import_module(module), attribute)
    except (ImportError, AttributeError) as exc:
        raise click.ClickException(
            f"{what} needs {module}.{attribute}, which is not available ({exc})") from exc
    if not callable(found):
        raise click.ClickException(f"{what} needs {module}.{attribute} to be a function")
    return found


def _params(pairs: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{pair!r} is not k=v", param_hint="--param")
        params[key.strip()] = value
    return params


def _slug(text: str) -> str:
    """A file-name-safe form that keeps Chinese: `unit-区教委.html` is what an analyst expects."""
    return re.sub(r"[^\w.-]+", "_", text).strip("._")[:80] or "view"


def _graph_for(store: Any, unit: str | None, document: str | None, query: str | None,
               params: dict[str, str], hops: int,
               jurisdiction: str | None = None) -> tuple[nx.MultiDiGraph, str, str]:
    """The graph to draw, its page title and its default file stem."""
    from kg import viz

    if query:
        run = _require("kg.query", "run", "--query")
        rows = list(run(store, query, params))
        return viz.from_rows(rows), f"查询 Query: {query}", f"query-{_slug(query)}"
    project = _require("kg.analytics", "project", "kg viz")
    graph = project(store)
    try:
        if unit:
            # the same check and messages as `kg query unit-measures` (kg.cli.units)
            keep = choose(unit, viz.unit_matches(graph, unit).values(), jurisdiction,
                          lambda: _known_units(store, graph))
            stem = f"unit-{_slug(unit)}" + (f"-{_slug(jurisdiction)}" if jurisdiction else "")
            return viz.focus_unit(graph, unit, hops=hops, keep=keep), f"单位 Unit: {unit}", stem
        if document:
            focused = viz.focus_document(graph, document)
            return focused, f"文件 Document: {document}", f"document-{_slug(document)}"
    except viz.NotFound as exc:
        raise click.ClickException(str(exc)) from exc
    return graph, "政策知识图谱 Policy graph", "graph"


def _known_units(store: Any, graph: nx.Graph) -> list[str]:
    """What `kg query` suggests for an unknown unit (kg.cli.units.known_units); the graph's
    own names when the store answers no canned query (a partial install)."""
    from kg import viz

    try:
        return known_units(store)
    except Exception:  # kg.query missing or not for this store: still suggest something
        return viz.unit_names(graph)


@main.command(name="viz")
@store_option
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path),
              help="HTML file to write (default: exports/graph.html, exports/unit-NAME.html, ...).")
@click.option("--unit", help="Focus on one unit (bureau or group): its measures, partners and groups.")
@jurisdiction_option
@click.option("--document", help="Focus on one document: its measures, indicators and the units they name.")
@click.option("--query", help="Draw the rows of a canned query instead of the graph.")
@click.option("--param", "param_pairs", multiple=True, metavar="K=V", help="A --query parameter; repeatable.")
@click.option("--max-nodes", type=click.IntRange(min=1), default=500, show_default=True,
              help="Draw at most this many nodes (the most connected ones).")
@click.option("--hops", type=click.IntRange(min=1, max=4), default=2, show_default=True,
              help="How far from the unit --unit reaches.")
@click.option("--physics/--no-physics", default=None,
              help="Force the live layout on or off (default: on up to 300 nodes).")
def viz_command(store_dir: Path, out_path: Path | None, unit: str | None, jurisdiction: str | None,
                document: str | None,
                query: str | None, param_pairs: tuple[str, ...], max_nodes: int, hops: int,
                physics: bool | None) -> None:
    """Write an interactive HTML view of the graph that works offline.

    Hover a node for its source quote and document; filter by name or by the legend's kinds.
    """
    if sum(x is not None for x in (unit, document, query)) > 1:
        raise click.UsageError("choose one of --unit, --document, --query")
    if param_pairs and not query:
        raise click.UsageError("--param only goes with --query")
    if jurisdiction is not None and not unit:
        raise click.UsageError("--jurisdiction only goes with --unit")
    from kg import viz

    params = _params(param_pairs)
    with opened(store_dir, read_only=True) as store:
        graph, title, stem = _graph_for(store, unit, document, query, params, hops, jurisdiction)
    target = out_path or EXPORTS / f"{stem}.html"
    try:
        result = viz.render(graph, target, title=title, max_nodes=max_nodes, physics=physics)
    except OSError as e:
        raise click.ClickException(cannot_write(target, e)) from None
    click.echo(f"{target}: {result.nodes_drawn} nodes, {result.edges_drawn} edges")
    if result.message:
        click.echo(result.message, err=True)

"""`kg push`: copy the embedded store's graphs to a Neo4j server, one document per transaction.

`neo4j_options` and `settings_from` are shared with `kg build --backend neo4j`, so both
commands take the same flags and environment variables. Every Neo4j failure ends as one line
and exit code 1 (click's usual error path), and no message ever carries the password.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from kg.cli import main
from kg.cli.options import opened, store_option

if TYPE_CHECKING:  # pyoxigraph and the Neo4j store: loaded by the commands that use them
    import pyoxigraph as ox

    from kg.store.neo4j import Neo4jStore, Settings

# kg.store.neo4j.DEFAULT_URI (tests/test_cli.py checks they agree); importing it here would
# load pyoxigraph for `kg --help`.
DEFAULT_URI = "bolt://127.0.0.1:7687"
F = TypeVar("F", bound=Callable[..., Any])


def neo4j_options(f: F) -> F:
    """--neo4j-uri/--neo4j-user/--neo4j-password/--neo4j-database, each with the environment
    variable the Neo4j tools use. The password is neither shown as a default nor echoed."""
    options = [
        click.option("--neo4j-uri", envvar="NEO4J_URI", default=DEFAULT_URI, show_default=True,
                     show_envvar=True, help="Bolt URI of the Neo4j server."),
        click.option("--neo4j-user", envvar="NEO4J_USERNAME", show_envvar=True,
                     help="User name (default neo4j when a password is given)."),
        click.option("--neo4j-password", envvar="NEO4J_PASSWORD", show_envvar=True,
                     help="Password; prefer the environment variable (the command line is visible "
                          "to other users in `ps`). Unset: connect without auth."),
        click.option("--neo4j-database", envvar="NEO4J_DATABASE", show_envvar=True,
                     help="Database name (default: the server's default database)."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def settings_from(neo4j_uri: str | None, neo4j_user: str | None, neo4j_password: str | None,
                  neo4j_database: str | None) -> Settings:
    from kg.store.neo4j import Settings

    return Settings.from_env(uri=neo4j_uri, user=neo4j_user, password=neo4j_password,
                             database=neo4j_database)


def connect(settings: Settings) -> Neo4jStore:
    from kg.store.neo4j import Neo4jError, Neo4jStore

    try:
        return Neo4jStore(settings)
    except Neo4jError as e:
        raise click.ClickException(str(e)) from None


def _oxigraph(store: Any) -> Any:
    """What answers named_graphs()/quads_for_pattern(): the store, or the pyoxigraph store a
    wrapper keeps."""
    for candidate in (store, getattr(store, "store", None), getattr(store, "ox", None)):
        if candidate is not None and hasattr(candidate, "named_graphs") \
                and hasattr(candidate, "quads_for_pattern"):
            return candidate
    raise click.ClickException("the store object offers no named_graphs()/quads_for_pattern()")


@main.command(name="push")
@store_option
@neo4j_options
@click.option("--prune", is_flag=True,
              help="Also remove from Neo4j the graphs the store no longer has (a mirror, not a copy).")
def push_command(store_dir: Path, neo4j_uri: str, neo4j_user: str | None, neo4j_password: str | None,
                 neo4j_database: str | None, prune: bool) -> None:
    """Copy every named graph (one per document, plus the ontology) from the store to Neo4j.

    Each graph replaces its previous copy atomically (small documents share a transaction),
    so pushing twice changes nothing and an interrupted push leaves every document either
    old or new, never half.
    """
    import pyoxigraph as ox

    from kg.store.neo4j import Neo4jError

    settings = settings_from(neo4j_uri, neo4j_user, neo4j_password, neo4j_database)
    started = time.perf_counter()
    with opened(store_dir, read_only=True) as store:
        source = _oxigraph(store)
        graphs = sorted(g.value for g in source.named_graphs() if isinstance(g, ox.NamedNode))
        skipped = sum(1 for _ in source.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        if not graphs:
            raise click.ClickException(f"the store at {store_dir} has no named graphs: nothing to push")
        with connect(settings) as neo:
            tty = sys.stderr.isatty()
            done = 0
            step = max(1, len(graphs) // 20)

            def progress(committed: list[Any]) -> None:
                nonlocal done
                before, done = done, done + len(committed)
                if tty or done // step != before // step or done == len(graphs):
                    click.echo(f"\r[{done}/{len(graphs)}] {_short(committed[-1].graph)}  ",
                               err=True, nl=not tty)

            def read() -> Iterator[tuple[str, list[ox.Quad]]]:
                for graph in graphs:
                    yield graph, list(source.quads_for_pattern(None, None, None, ox.NamedNode(graph)))

            try:
                _, total_quads = neo.put_graphs(read(), on_commit=progress)
            except Neo4jError as e:
                raise click.ClickException(str(e)) from None
            if tty:
                click.echo("", err=True)
            removed = 0
            if prune:
                try:
                    for graph in set(neo.graphs()) - set(graphs):
                        neo.remove_graph(graph)
                        removed += 1
                except Neo4jError as e:
                    raise click.ClickException(str(e)) from None
            try:
                nodes, rels = neo.counts()
            except Neo4jError as e:
                raise click.ClickException(str(e)) from None
    seconds = time.perf_counter() - started
    click.echo(f"pushed {len(graphs)} graphs ({total_quads} quads) to {settings.display_uri} in "
               f"{seconds:.1f}s; Neo4j now holds {nodes} nodes, {rels} relationships"
               + (f"; removed {removed} graphs no longer in the store" if prune else ""))
    if skipped:
        click.echo(f"note: {skipped} quads in the store's default graph were not pushed "
                   "(Neo4j gets named graphs only)", err=True)


def _short(graph: str) -> str:
    return graph.rsplit("/", 1)[-1] or graph

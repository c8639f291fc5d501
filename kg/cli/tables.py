"""Rows on the terminal: a drawn table for a screenful, plain tab-separated lines past that.

rich lays out the whole table before printing the first row (it measures every cell to
size the columns), which at thousands of rows costs seconds and gives a table no one reads
on a terminal anyway; plain lines stream and stay greppable.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import click

DRAW_AT_MOST = 200  # rows drawn as a rich table; more are printed as tab-separated lines


def plain_cell(text: str) -> str:
    """A cell on one line of a tab-separated row: tabs and line breaks become spaces."""
    return " ".join(text.split()) if any(c in text for c in "\t\r\n") else text


def print_table(columns: Sequence[str], rows: Iterable[Sequence[str]], count: int, *,
                title: str | None = None, caption: str | None = None,
                right: Iterable[str] = ()) -> None:
    """`count` rows of text cells under `columns`. `right`: columns to right-align (numbers)."""
    if count > DRAW_AT_MOST:
        click.echo(f"{count} rows: printed as tab-separated lines (a table is drawn for at most "
                   f"{DRAW_AT_MOST}; --format csv or json for files)", err=True)
        click.echo("\t".join(columns))
        for row in rows:
            click.echo("\t".join(plain_cell(c) for c in row))
        if caption:
            click.echo(caption, err=True)
        return
    from rich.console import Console
    from rich.table import Table

    aligned = set(right)
    table = Table(title=title, caption=caption)
    for c in columns:
        table.add_column(c, justify="right" if c in aligned else "left", overflow="fold")
    for row in rows:
        table.add_row(*row)
    # stdout for piping; rich still wraps long Chinese cells to the terminal
    Console(highlight=False, soft_wrap=False).print(table)


def competition_ranks(values: Sequence[Any]) -> list[str]:
    """Ranks for values sorted best first, ties marked "=": [5, 5, 3] -> ["=1", "=1", "3"]."""
    out: list[str] = []
    for i, v in enumerate(values):
        first = i if i == 0 or values[i - 1] != v else int(out[-1].lstrip("=")) - 1
        tied = (i > 0 and values[i - 1] == v) or (i + 1 < len(values) and values[i + 1] == v)
        out.append(f"{'=' if tied else ''}{first + 1}")
    return out

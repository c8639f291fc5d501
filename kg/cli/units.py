"""One unit name, several units: what `kg query` and `kg viz --unit` say about it.

An alias such as 区教委 names the education commission of every district that uses it.
Both commands keep every match (so a question about 区教委 across districts still works),
but say so on stderr listing the candidates, and take `--jurisdiction` to pick one. A
name that matches nothing is the same error in both: one line, exit code 1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

Unit = tuple[str, str]  # (name, jurisdiction; "" when the graph names none)


def jurisdiction_option(f: F) -> F:
    return click.option(
        "--jurisdiction", metavar="TEXT",
        help="When the unit's name or alias matches units of several jurisdictions (区教委 in "
             "two districts): keep those whose jurisdiction contains TEXT, e.g. 黔江.")(f)


def unknown_unit(name: str, known: Iterable[str]) -> click.ClickException:
    """`no unit named 'X' in the store (close names: A, B)`: the same line in every command."""
    import difflib

    close = difflib.get_close_matches(name, sorted(set(known)), n=5, cutoff=0.3)
    return click.ClickException(f"no unit named {name!r} in the store"
                                + (f" (close names: {', '.join(close)})" if close else ""))


def known_units(store: Any) -> list[str]:
    """The names to suggest for an unknown unit: every unit that answers for a measure, by
    the canned query both backends run, so `kg query` and `kg viz` suggest the same."""
    from kg import query as canned

    return [r["unit"] for r in canned.run(store, "unit-workload", {}) if r.get("unit")]


def _shown(units: Iterable[Unit]) -> str:
    return ", ".join(f"{n} ({j})" if j else n for n, j in sorted(set(units), key=lambda u: (u[1], u[0])))


def choose(name: str, matches: Iterable[Unit], jurisdiction: str | None,
           known: Callable[[], Iterable[str]]) -> set[Unit]:
    """The units to keep among `matches` (those `name` found): all of them, or those of
    `jurisdiction`. Says on stderr when `name` is ambiguous; raises the unknown-unit error
    when nothing matches (`known` gives the names to suggest, only then computed)."""
    found = set(matches)
    if not found:
        raise unknown_unit(name, known())
    if jurisdiction is not None:
        kept = {u for u in found if jurisdiction in u[1]}
        if not kept:
            raise click.ClickException(f"no unit named {name!r} in a jurisdiction matching "
                                       f"{jurisdiction!r}; candidates: {_shown(found)}")
        return kept
    if len(found) > 1:
        places = {j for _, j in found}
        hint = "; --jurisdiction to choose one" if len(places) > 1 else ""
        click.echo(f"warning: {name!r} matches {len(found)} units: {_shown(found)}; showing all of them"
                   + hint, err=True)
    return found

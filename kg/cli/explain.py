"""`kg explain FILE`: the layout blocks of one document and the facts each produced."""

from __future__ import annotations

import sys
from bisect import bisect_left
from collections import Counter
from pathlib import Path
from typing import Any

import click

from kg.cli import main
from kg.cli.options import deprecated_json_flag, echo_json, echo_object, output_options


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@output_options("text", "json")
@deprecated_json_flag
@click.option("--kind", "kinds", multiple=True,
              type=click.Choice(["heading", "item", "table_header", "table_row", "field", "prose", "junk"]),
              help="Show only blocks of this kind (repeatable).")
def explain(path: Path, fmt: str, kinds: tuple[str, ...]) -> None:
    """Show why facts were (or were not) extracted from PATH.

    Prints every line of the normalized text as a layout block with its kind (heading,
    item, table_header, table_row, field, prose, junk), and under it the facts read from
    it with the id of the rule that found each (measure.table-row.lines, unit.field …).
    --format json: one object {"doc", "blocks"}; --nl: one block per line, each with "doc".
    """
    from kg.pipeline import process_file
    from kg.read import ReadError

    try:
        doc = process_file(path)
    except ReadError as e:
        click.echo(str(e), err=True)
        sys.exit(1)
    blocks = explained(doc)
    if kinds:
        blocks = [b for b in blocks if b["kind"] in kinds]
    if fmt == "json":
        echo_object({"doc": doc.doc, "blocks": blocks}, fmt)
        return
    if fmt == "nl":
        echo_json(({"doc": doc.doc, **b} for b in blocks), fmt)
        return
    kinds_seen = Counter(b["kind"] for b in blocks)
    rules = Counter(f["rule"] or "-" for b in blocks for f in b["facts"])
    click.echo(f"{doc.doc}: {len(blocks)} blocks (" + ", ".join(f"{n} {k}" for k, n in kinds_seen.items())
               + f"); {sum(rules.values())} facts")
    for rule, n in sorted(rules.items()):
        click.echo(f"  {n:4d}  {rule}")
    for b in blocks:
        label = b["kind"] + (f" {b['key']}" if b["key"] else "")
        click.echo(f"{b['line']:5d} {label:<18} {_short(b['text'], 70)}")
        if b["cells"]:
            click.echo("      " + " | ".join(f"{r or '?'}={_short(t, 16)}" for r, t in b["cells"]))
        for f in b["facts"]:
            click.echo(f"      -> {f['type']:<9} {_short(f['what'], 50)}  [{f['rule'] or '-'}]")


def explained(doc: Any) -> list[dict[str, Any]]:
    """The layout blocks as dicts, each with its 1-based line and the facts whose evidence
    starts in it."""
    layout = doc.layout
    if layout is None:
        return []
    facts = list(_facts(doc))
    starts = [b.start for b in layout.blocks]
    out = [{"line": doc.text.count("\n", 0, b.start) + 1, "kind": b.kind, "key": b.key, "text": b.text,
            "label": b.label, "role": b.role, "cells": b.cells, "facts": []} for b in layout.blocks]
    for at, fact in facts:
        i = max(0, bisect_left(starts, at + 1) - 1)
        if out:
            out[i]["facts"].append(fact)
    return out


def _facts(doc: Any):
    """(normalized offset, fact) for every fact of the record."""
    def norm(span: Any) -> int:
        if span is None:
            return 0
        return min(bisect_left(doc.starts, span.start), max(len(doc.text) - 1, 0))

    for m in doc.measures:
        yield m.start, {"type": "measure", "what": f"{m.key} {m.title}", "rule": m.rule}
        for u in m.units:
            yield norm(u.span), {"type": "unit", "what": f"{u.mention} ({u.role}) of {m.key}", "rule": u.rule}
    for p in doc.people:
        for h in p.posts or []:
            yield norm(h.span or p.span), {"type": "person", "what": f"{p.name}: {h.post}",
                                           "rule": h.rule or p.rule}
        if not p.posts:
            yield norm(p.span), {"type": "person", "what": p.name, "rule": p.rule}
    for g in doc.groups:
        who = ",".join(g.leaders + g.deputies)
        yield norm(g.span), {"type": "group", "what": g.name + (f" ({who})" if who else ""), "rule": g.rule}
    for ind in doc.indicators:
        value = f"{ind.op}{ind.value:g}{ind.unit}" + (f" by {ind.year}" if ind.year else "")
        yield norm(ind.span), {"type": "indicator", "what": f"{ind.subject} {value}", "rule": ind.rule}
    for s in doc.schools:
        yield norm(s.span), {"type": "school", "what": f"{s.action} {s.name}", "rule": s.rule}


def _short(text: str, n: int) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= n else text[: n - 1] + "…"

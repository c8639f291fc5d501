"""Tables drawn with box characters whose cells wrap over several lines and merge rows.

A plan typed in a text editor draws its task table with │ ├ ─ ┼: each cell's text wraps
inside its column, line after line, and a rule (├───┤) closes a cell; a rule may close only
some columns (a merged cell runs on beside it), and may sit on a line that holds text in
other columns (│方面的投入 │ ├────┤ │). kg/normalize.py turns the verticals into `|` and
drops the lines that only draw rules; the rules are read here from the source between two
lines. A column's fragments between two rules are one cell; the header is the first band;
each task cell takes the cells of the other columns that run beside it. When task cells
hold bulleted items (△ ● ◆ ■), each item is a task and the cells without one group them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg import columns
from kg.model import Document

_SPLIT = re.compile(r"[|├┤┼╋┣┫┬┴╠╣╬╞╡╪╟╢╫]")
_RULE = re.compile(r"^[─━═\-]+$")
_JUNCTIONS = "│┃║├┤┼╋┣┫┬┴┌┐└┘┳┻╠╣╦╩╬╞╡╪╟╢╫╔╗╚╝┏┓┗┛"
_SOURCE_SPLIT = re.compile(f"[{_JUNCTIONS}]")
_VERTICAL = "│┃║"
_BULLET = re.compile(r"^[△▲●◆■▪•◇□]")


@dataclass
class Fragment:
    start: int
    end: int
    text: str
    line: int


@dataclass
class BoxCell:
    column: int
    fragments: list[Fragment]
    first: int  # the lines between the rules above and below it: a merged cell runs beside
    last: int  # every line of the tasks next to it, text or not

    @property
    def text(self) -> str:
        return "".join(f.text for f in self.fragments)


@dataclass
class BoxTable:
    roles: list[str | None]
    cells: list[BoxCell]  # the body's cells, in the order they closed
    start: int  # the text the table's lines cover
    end: int


def tables(doc: Document) -> list[BoxTable]:
    out = []
    for run in _runs(doc):
        table = _read(doc, run)
        if table is not None:
            out.append(table)
    return out


def _runs(doc: Document) -> list[list[tuple[int, str]]]:
    """Runs of consecutive lines whose `|` were box verticals in the source."""
    runs: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    pos = 0
    for line in doc.text.split("\n"):
        bar = line.find("|")
        boxed = bar != -1 and doc.source[doc.starts[pos + bar]:doc.starts[pos + bar] + 1] in _VERTICAL
        if boxed:
            current.append((pos, line))
        elif current:
            runs.append(current)
            current = []
        pos += len(line) + 1
    if current:
        runs.append(current)
    return [r for r in runs if len(r) >= 3]


def _cells(start: int, line: str) -> list[tuple[int, int, str]]:
    parts, pos = [], start
    for piece in _SPLIT.split(line):
        lead = len(piece) - len(piece.lstrip())
        parts.append((pos + lead, pos + lead + len(piece.strip()), piece.strip()))
        pos += len(piece) + 1
    if line.lstrip()[:1] and _SPLIT.match(line.lstrip()[0]):
        parts = parts[1:]
    if line.rstrip()[-1:] and _SPLIT.match(line.rstrip()[-1]):
        parts = parts[:-1]
    return parts


def _closed_between(doc: Document, end: int, start: int, width: int) -> list[bool]:
    """Which columns the rule lines between two lines of the text close (from the source)."""
    closed = [False] * width
    gap = doc.source[doc.ends[end - 1] if end > 0 else 0:doc.starts[start]] if start < len(doc.starts) else ""
    for raw in gap.split("\n"):
        if not re.search("[─━═]", raw):
            continue
        segments = _SOURCE_SPLIT.split(raw.strip())
        if segments and not segments[0]:
            segments = segments[1:]
        if segments and not segments[-1]:
            segments = segments[:-1]
        if len(segments) != width:
            return [True] * width
        for k, seg in enumerate(segments):
            if re.search("[─━═]", seg):
                closed[k] = True
    return closed


def _read(doc: Document, run: list[tuple[int, str]]) -> BoxTable | None:
    rows = [_cells(a, line) for a, line in run]
    widths = [len(r) for r in rows]
    width = max(set(widths), key=widths.count)
    if width < 3:
        return None
    open_: list[list[Fragment]] = [[] for _ in range(width)]
    opened = [0] * width
    done: list[BoxCell] = []

    def close(k: int, last: int) -> None:
        if open_[k]:
            done.append(BoxCell(k, open_[k], opened[k], last))
            open_[k] = []
        opened[k] = last + 1

    header: list[str] | None = None
    for i, cells in enumerate(rows):
        if len(cells) != width:
            continue
        for k, (a, b, text) in enumerate(cells):
            if _RULE.match(text):
                close(k, i - 1)
                opened[k] = i + 1
            elif text:
                open_[k].append(Fragment(a, b, text, i))
        nxt = run[i + 1][0] if i + 1 < len(run) else None
        closed = _closed_between(doc, run[i][0] + len(run[i][1]), nxt, width) if nxt is not None \
            else [True] * width
        if header is None and all(closed):
            header = ["".join(f.text for f in frags).replace(" ", "") for frags in open_]
            open_ = [[] for _ in range(width)]
            opened = [i + 1] * width
            continue
        for k in range(width):
            if closed[k]:
                close(k, i)
    if header is None:
        return None
    roles = columns.header_roles(header)
    if roles is None or "title" not in roles:
        return None
    return BoxTable(roles, done, run[0][0], run[-1][0] + len(run[-1][1]))


def tasks(table: BoxTable) -> list[tuple[list[Fragment], dict[str, list[BoxCell]]]]:
    """Each task of a box table: its fragments, and the cells of the other columns beside it
    by role."""
    title = table.roles.index("title")
    task_cells = [c for c in table.cells if c.column == title]
    bulleted = any(_BULLET.match(f.text) for c in task_cells for f in c.fragments)
    out = []
    for cell in task_cells:
        items: list[list[Fragment]] = []
        for f in cell.fragments:
            if not bulleted or _BULLET.match(f.text) or not items:
                items.append([f])
            else:
                items[-1].append(f)
        if bulleted:
            items = [it for it in items if _BULLET.match(it[0].text)]
        for item in items:
            beside: dict[str, list[BoxCell]] = {}
            for other in table.cells:
                role = table.roles[other.column]
                if other.column == title or role is None:
                    continue
                if other.first <= item[0].line <= other.last:
                    beside.setdefault(role, []).append(other)
            out.append((item, beside))
    return out

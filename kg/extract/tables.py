"""Rows of task tables (任务分解表, 责任分工表) as measures.

Tables reach us flattened: cells split by `|` on one line, or one cell per line. A header
row is recognised by its cell words (序号, 工作任务, 牵头单位, 责任单位, 完成时限 …, from
loaders/measures.toml); the rows under it become measures whose unit columns carry their
role (牵头 -> lead, 配合 -> support, 责任 -> responsible).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.extract import orgnames
from kg.model import Document, Measure, UnitRef
from kg.read import DITTO

_SERIAL = re.compile(r"^[(]?\d{1,3}[).、]?$|^[一二三四五六七八九十]{1,3}$")
_GROUP = re.compile(r"^(?:[一二三四五六七八九十]{1,3}[、.]|\([一二三四五六七八九十]{1,3}\)|[A-Z][、.])")
_MAX_CELL = 400


@dataclass
class _Line:
    start: int
    end: int
    text: str


@dataclass
class _Cell:
    start: int
    end: int
    text: str


Row = tuple[list[str | None], list[_Cell]]  # (column roles of the header, cells)


def _lines(text: str) -> list[_Line]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append(_Line(pos, pos + len(line), line))
        pos += len(line) + 1
    return out


def _cells(line: _Line, width: int = 0) -> list[_Cell]:
    """The cells of a `|` row; with the header's `width`, a row with exactly that many
    cells keeps its empty ones, so an empty 配合单位 or 完成时限 cell keeps the columns
    in line."""
    cells, pos = [], line.start
    for part in line.text.split("|"):
        lead = len(part) - len(part.lstrip())
        cells.append(_Cell(pos + lead, pos + lead + len(part.strip()), part.strip()))
        pos += len(part) + 1
    if width and len(cells) == width:
        return cells
    while cells and not cells[0].text:
        cells.pop(0)
    while cells and not cells[-1].text:
        cells.pop()
    return cells


def _role_of(header: str, words: dict[str, tuple[str, ...]]) -> str | None:
    # longest word first, so 协同配合单位 is support before 单位 could mean anything
    best: tuple[int, str] | None = None
    for role in ("lead", "support", "responsible", "deadline", "key", "title"):
        for w in words.get(role, ()):
            if w in header and (best is None or len(w) > best[0]):
                best = (len(w), role)
    return best[1] if best else None


def _header(cells: list[_Cell], words: dict[str, tuple[str, ...]]) -> list[str | None] | None:
    roles = [_role_of(c.text, words) if len(c.text) <= 12 else None for c in cells]
    has_units = any(r in ("lead", "support", "responsible") for r in roles)
    if has_units and "title" in roles and sum(r is not None for r in roles) >= 2:
        return roles
    return None


def _group_heading(lines: list[_Line], i: int) -> bool:
    """一、扩大优质教育资源供给 on a line of its own between two rows of a table: a row
    that spans every column, grouping the rows below it."""
    t = lines[i].text.strip()
    return (0 < len(t) <= 40 and "|" not in t and i + 1 < len(lines) and "|" in lines[i + 1].text
            and bool(_GROUP.match(t)))


def _rows(doc: Document, words: dict[str, tuple[str, ...]]) -> Iterator[Row]:
    lines = _lines(doc.text)
    i = 0
    while i < len(lines):
        line = lines[i]
        if "|" in line.text:
            header = _header(_cells(line), words)
            if header:
                i += 1
                if i < len(lines) and "|" in lines[i].text:
                    header, sub = _subheader(header, _cells(lines[i], len(header)), words)
                    i += sub
                above: list[_Cell] = []
                while i < len(lines) and ("|" in lines[i].text or _group_heading(lines, i)):
                    cells = _cells(lines[i], len(header))
                    if "|" in lines[i].text and _header(cells, words) is None and len(cells) >= 2:
                        cells = _ditto(cells, above)
                        above = cells
                        yield header, cells
                    i += 1
                continue
        else:
            yield from _cell_per_line(lines, i, words)
        i += 1


_SUB_ROLES = {"牵头": "lead", "配合": "support", "协同": "support", "参与": "support", "协办": "support",
              "责任": "responsible"}


def _subheader(header: list[str | None], cells: list[_Cell],
               words: dict[str, tuple[str, ...]]) -> tuple[list[str | None], int]:
    """A header in two rows: 责任单位 over 牵头 | 配合 (a merged cell above two columns). The
    second row names the roles of the columns under it; (header, rows it took: 0 or 1)."""
    if len(cells) != len(header):
        return header, 0
    roles = [_role_of(c.text, words) or next((r for w, r in _SUB_ROLES.items() if c.text.startswith(w)), None)
             if len(c.text) <= 8 else None for c in cells]
    texts = [c.text for c in cells]
    if not any(r in ("lead", "support") for r in roles) or any(
            t and t not in (DITTO, "同上") and r is None for t, r in zip(texts, roles, strict=True)):
        return header, 0
    merged = [r if r in ("lead", "support", "responsible") and h in (None, "responsible") else h
              for h, r in zip(header, roles, strict=True)]
    return merged, 1


def _ditto(cells: list[_Cell], above: list[_Cell]) -> list[_Cell]:
    """A merged cell's later rows (〃, as pages render rowspans, or 同上 as people write
    it) stand for the cell above in the same column: its text, and its place in the file."""
    return [above[k] if c.text in (DITTO, "同上") and k < len(above) else c for k, c in enumerate(cells)]


def _cell_per_line(lines: list[_Line], i: int, words: dict[str, tuple[str, ...]]) -> Iterator[Row]:
    """Header cells on consecutive short lines from 序号 on, then rows starting at a serial
    number."""
    if len(lines[i].text.strip()) > 8 or _role_of(lines[i].text, words) != "key":
        return
    j, header_cells = i, []
    while j < len(lines) and 0 < len(lines[j].text.strip()) <= 8 and not _SERIAL.match(lines[j].text.strip()):
        header_cells.append(_Cell(lines[j].start, lines[j].end, lines[j].text.strip()))
        j += 1
    header = _header(header_cells, words) if len(header_cells) >= 3 else None
    if not header or j >= len(lines) or not _SERIAL.match(lines[j].text.strip()):
        return
    row: list[_Cell] = []
    while j < len(lines):
        t = lines[j].text.strip()
        if not t or len(t) > _MAX_CELL:
            break
        if _SERIAL.match(t) and row:
            yield header, row
            row = []
        elif len(row) >= len(header):
            return  # a full row not followed by the next serial number: the table has ended
        row.append(_Cell(lines[j].start, lines[j].end, t))
        j += 1
    if row:
        yield header, row


def measures(doc: Document, words: dict[str, tuple[str, ...]], taken: list[tuple[int, int]]) -> list[Measure]:
    from kg.extract.measures import deadline_of  # one definition of a deadline

    out: list[Measure] = []
    for header, cells in _rows(doc, words):
        if any(a < cells[-1].end and cells[0].start < b for a, b in taken):
            continue  # the row was read as a numbered section already
        by_role: dict[str, list[_Cell]] = {}
        if len(cells) == len(header):
            for role, cell in zip(header, cells, strict=True):
                if role:
                    by_role.setdefault(role, []).append(cell)
        else:
            _guess_columns(cells, by_role)
        title_cell = (by_role.get("title") or [None])[0]
        if title_cell is None or len(title_cell.text) < 4 or title_cell.text.startswith(("注", "备注")):
            continue
        # a 〃 cell stands for the row above: it is not where this row ends
        start = cells[0].start
        end = max(c.end for c in cells if c.start >= start)
        key_cell = (by_role.get("key") or [None])[0]
        m = re.match(r"[^。;\n]{2,80}", title_cell.text)
        deadline_cells = " ".join(c.text for c in by_role.get("deadline", []))
        deadline, year = deadline_of(deadline_cells or title_cell.text)
        bare = re.search(r"(20\d{2})年", deadline_cells)
        if year is None and bare:  # in a 完成时限 column a bare 2024年 is the deadline
            deadline, year = deadline_cells, int(bare.group(1))
        measure = Measure(
            key=key_cell.text.strip("()、.") if key_cell else str(len(out) + 1),
            title=m.group(0) if m else title_cell.text[:80],
            text=doc.text[start:end],
            span=doc.span(start, end),
            section_path="table",
            deadline=deadline,
            deadline_year=year,
            start=start,
            end=end,
        )
        for role in ("lead", "responsible", "support"):
            for cell in by_role.get(role, []):
                for a, b in orgnames.split_list(cell.text):
                    name = cell.text[a:b]
                    span = doc.span(cell.start + a, cell.start + b)
                    measure.units.append(UnitRef(mention=name, name=name, role=role, org="", span=span))
        out.append(measure)
    return out


def _guess_columns(cells: list[_Cell], by_role: dict[str, list[_Cell]]) -> None:
    """Rows whose cell count does not match the header (merged or empty cells): the serial
    number, the longest cell as the task, unit lists as responsible, dates as deadlines."""
    rest = list(cells)
    if rest and _SERIAL.match(rest[0].text):
        by_role["key"] = [rest.pop(0)]
    if not rest:
        return
    title = max(rest, key=lambda c: len(c.text))
    by_role["title"] = [title]
    for c in rest:
        if c is title:
            continue
        if re.search(r"\d{4}年|年底|长期|持续", c.text) and len(c.text) <= 20:
            by_role.setdefault("deadline", []).append(c)
        elif len(c.text) <= 80 and _mostly_units(c.text):
            by_role.setdefault("responsible", []).append(c)


def _mostly_units(text: str) -> bool:
    """A cell that is a list of units, not a sentence that happens to name one."""
    covered = sum(b - a for a, b in orgnames.split_list(text))
    return covered >= 0.7 * len(re.sub(r"[、,;/\s]", "", text))

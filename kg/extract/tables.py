"""Rows of task tables (任务分解表, 责任清单, 民生实事项目表) as measures.

Tables reach us flattened: cells split by `|` on one line (HTML tables, tabs, box drawing
and space-aligned columns all become `|` in kg/normalize.py), or one cell per line. A
header row is recognised by the roles of its cells (kg/columns.py: 牵头 -> lead, 配合 ->
support, 责任 -> responsible, 时限 -> deadline, 任务 -> the task …); the rows under it
become measures whose unit columns carry their role. A row whose cells do not line up with
the header (merged cells, a unit list one name per line) is read by the shape of its
cells: the serial number first, unit lists as the unit columns from the right, dates as
the deadline, the task as the first sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from kg import columns
from kg.extract import boxtable, orgnames, runon
from kg.model import Document, Measure, UnitRef
from kg.read import DITTO

_SERIAL = re.compile(r"^[(]?\d{1,3}[).、]?$|^[一二三四五六七八九十]{1,3}$")
_GROUP = re.compile(r"^(?:[一二三四五六七八九十]{1,3}[、.]|\([一二三四五六七八九十]{1,3}\)|[A-Z][、.])")
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|附件|第[一二三四五六七八九十]+[章节])")
_DEADLINE_CELL = re.compile(r"\d{4}年|\d{1,2}月|年底|年内|季度|长期|持续|常态|每年|全年|底前|月前|日前|\d+天")
_FOOTER = re.compile(r"^(?:分享到|扫一扫|打印|关闭|【|上一篇|下一篇|相关链接|附件下载|版权所有)")
_MAX_CELL = 400
_MAX_CELLS_PER_COLUMN = 4


@dataclass
class Cell:
    start: int
    end: int
    text: str


@dataclass
class TableRow:
    """One row of a task table, its cells by column role."""

    header: list[str | None]
    cells: list[Cell]
    form: str  # "pipe" (cells on one line) | "lines" (one cell per line)
    by_role: dict[str, list[Cell]] = field(default_factory=dict)
    key: str = ""
    part: int = 0  # 0, or the n-th task of a row that holds several (a merged 序号 cell)

    @property
    def start(self) -> int:
        return self.cells[0].start

    @property
    def end(self) -> int:
        # a 〃 cell stands for the row above: it is not where this row ends
        return max(c.end for c in self.cells if c.start >= self.cells[0].start)


@dataclass
class _Line:
    start: int
    end: int
    text: str


def _lines(text: str) -> list[_Line]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append(_Line(pos, pos + len(line), line))
        pos += len(line) + 1
    return out


def _cells(line: _Line, width: int = 0, border: tuple[bool, bool] = (False, False)) -> list[Cell]:
    """The cells of a `|` row; with the header's `width`, a row with exactly that many
    cells keeps its empty ones, so an empty 配合单位 or 完成时限 cell keeps the columns
    in line. `border`: the header opens / closes with a `|`, so a row's own opening or
    closing `|` is the table's border, not an empty cell after it."""
    cells, pos = [], line.start
    for part in line.text.split("|"):
        lead = len(part) - len(part.lstrip())
        cells.append(Cell(pos + lead, pos + lead + len(part.strip()), part.strip()))
        pos += len(part) + 1
    if border[1] and len(cells) > 1 and line.text.rstrip().endswith("|"):
        cells.pop()
    if border[0] and len(cells) > 1 and line.text.lstrip().startswith("|"):
        cells.pop(0)
    if width and len(cells) == width:
        return cells
    while cells and not cells[0].text:
        cells.pop(0)
    while cells and not cells[-1].text:
        cells.pop()
    return cells


def _header(cells: list[Cell]) -> list[str | None] | None:
    return columns.header_roles([c.text for c in cells])


def _group_heading(lines: list[_Line], i: int) -> bool:
    """一、扩大优质教育资源供给 on a line of its own between two rows of a table: a row
    that spans every column, grouping the rows below it."""
    t = lines[i].text.strip()
    return (0 < len(t) <= 40 and "|" not in t and i + 1 < len(lines) and "|" in lines[i + 1].text
            and bool(_GROUP.match(t)))


def rows(doc: Document) -> list[TableRow]:
    """Every task-table row of the document, in order, with its cells by role."""
    out: list[TableRow] = []
    for header, cells, form in _raw_rows(doc.text):
        out += _read_row(header, cells, form)
    boxes = boxtable.tables(doc) if "|" in doc.text else []
    if boxes:
        out = [r for r in out if not any(b.start <= r.start < b.end for b in boxes)]
        out = sorted(out + [row for b in boxes for row in _box_rows(b)], key=lambda r: r.start)
    run_on = _run_on_rows(doc.text)
    if run_on:
        kept = [r for r in out if not any(r.start < x.end and x.start < r.end for x in run_on)]
        out = sorted(kept + run_on, key=lambda r: r.start)
    return out


def _box_rows(table: boxtable.BoxTable) -> list[TableRow]:
    """The tasks of a box-drawn table with wrapped and merged cells (kg/extract/boxtable.py)."""
    out = []
    for item, beside in boxtable.tasks(table):
        title = Cell(item[0].start, item[-1].end, "".join(f.text for f in item).lstrip("△▲●◆■▪•◇□"))
        by_role: dict[str, list[Cell]] = {"title": [title]}
        for role, cells in beside.items():
            by_role[role] = [Cell(c.fragments[0].start, c.fragments[-1].end, c.text) for c in cells]
        out.append(_row_of_roles(table.roles, by_role, "box"))
    return out


def _row_of_roles(header: list[str | None], by_role: dict[str, list[Cell]], form: str, key: str = ""
                  ) -> TableRow:
    """A row read cell by cell into its roles: its cells are those, in text order."""
    cells = sorted((c for v in by_role.values() for c in v), key=lambda c: c.start)
    return TableRow(header, cells, form, by_role, key)


def _run_on_rows(text: str) -> list[TableRow]:
    """Rows of tables whose cells were run together without separators (kg/extract/runon.py):
    the title, the task text, and after each `。` the leader and units that close a task."""
    out: list[TableRow] = []
    for header, flow, spans in runon.tables(text):
        unit_roles = [r for r in header if r in columns.UNIT_ROLES]
        has_leader = "leader" in header
        t = flow.text

        def cell(a: int, b: int, flow: runon.Flow = flow, t: str = t) -> Cell:
            s, e = flow.span(a, b)
            return Cell(s, e, t[a:b])

        for a, b in spans:
            serial = re.match(r"\d+", t[a:b])
            assert serial is not None
            body = a + serial.end()
            title_end = body + runon.title_end(t[body:b])
            by_role: dict[str, list[Cell]] = {"key": [cell(a, body)], "title": [cell(body, title_end)]}
            content = title_end
            for stop in re.finditer("。", t[title_end:b]):
                i = title_end + stop.end()
                if i <= content:
                    continue
                name, units, run_end = runon.leader_and_units(t[:b], i, has_leader)
                if not units or not unit_roles:
                    continue
                by_role["title"].append(cell(content, i))
                if name:
                    by_role.setdefault("leader", []).append(cell(*name))
                for n, (x, y) in enumerate(units):
                    role = unit_roles[0] if n == 0 else unit_roles[-1]
                    by_role.setdefault(role, []).append(cell(x, y))
                content = run_end
            if content < b and t[content:b].strip():
                by_role["title"].append(cell(content, b))
            out.append(_row_of_roles(header, by_role, "run", t[a:body]))
    return out


def _raw_rows(text: str) -> Iterator[tuple[list[str | None], list[Cell], str]]:
    lines = _lines(text)
    i = 0
    while i < len(lines):
        line = lines[i]
        if "|" in line.text:
            header = _header(_cells(line))
            border = (line.text.lstrip().startswith("|"), line.text.rstrip().endswith("|"))
            if header:
                i += 1
                if i < len(lines) and "|" in lines[i].text:
                    header, sub = _subheader(header, _cells(lines[i], len(header)))
                    i += sub
                above: list[Cell] = []
                while i < len(lines) and ("|" in lines[i].text or _group_heading(lines, i)):
                    cells = _cells(lines[i], len(header), border)
                    if "|" in lines[i].text and _header(cells) is None and len(cells) >= 2:
                        cells = _ditto(cells, above)
                        above = cells
                        yield header, cells, "pipe"
                    i += 1
                continue
            i += 1
            continue
        found = list(_cell_per_line(lines, i))
        if found:
            for header, cells in found:
                yield header, cells, "lines"
            i = _after(found, lines, i)
            continue
        i += 1


def _after(found: list[tuple[list[str | None], list[Cell]]], lines: list[_Line], i: int) -> int:
    end = found[-1][1][-1].end
    while i < len(lines) and lines[i].start <= end:
        i += 1
    return i


_SUB_ROLES = {"牵头": "lead", "配合": "support", "协同": "support", "参与": "support", "协办": "support",
              "责任": "responsible"}


def _subheader(header: list[str | None], cells: list[Cell]) -> tuple[list[str | None], int]:
    """A header in two rows: 责任单位 over 牵头 | 配合 (a merged cell above two columns). The
    second row names the roles of the columns under it; (header, rows it took: 0 or 1)."""
    if len(cells) != len(header):
        return header, 0
    roles = [columns.role(c.text) or next((r for w, r in _SUB_ROLES.items() if c.text.startswith(w)), None)
             if len(c.text) <= 8 else None for c in cells]
    texts = [c.text for c in cells]
    if not any(r in ("lead", "support") for r in roles) or any(
            t and t not in (DITTO, "同上") and r is None for t, r in zip(texts, roles, strict=True)):
        return header, 0
    merged = [r if r in columns.UNIT_ROLES and h in (None, "responsible") else h
              for h, r in zip(header, roles, strict=True)]
    return merged, 1


def _ditto(cells: list[Cell], above: list[Cell]) -> list[Cell]:
    """A merged cell's later rows (〃, as pages render rowspans, or 同上 as people write
    it) stand for the cell above in the same column: its text, and its place in the file."""
    return [above[k] if c.text in (DITTO, "同上") and k < len(above) else c for k, c in enumerate(cells)]


def _is_header_line(t: str) -> bool:
    return 0 < len(t) <= columns.MAX_HEADER_CELL + 4 and not _SERIAL.match(t)


def _cell_per_line(lines: list[_Line], i: int) -> Iterator[tuple[list[str | None], list[Cell]]]:
    """Header cells on consecutive short lines, then rows that each open with a serial
    number; a row's cells run to the next serial number (a unit list may take a line per
    unit), and the table ends at a heading, a page footer or a long paragraph."""
    if not _is_header_line(lines[i].text.strip()) or columns.role(lines[i].text) is None:
        return  # (the length first: this is asked of every line of the text)
    if i > 0 and _is_header_line(lines[i - 1].text.strip()) and columns.role(lines[i - 1].text):
        return  # the header started on an earlier line
    j, header_cells = i, []
    while j < len(lines) and _is_header_line(lines[j].text.strip()) and len(header_cells) < 12:
        t = lines[j].text.strip()
        if t.endswith("。") or _GROUP_ROW.match(t):
            break  # a grouping row under the header: sentences and numbered headings name no column
        header_cells.append(Cell(lines[j].start, lines[j].end, t))
        j += 1
    header_cells = _joined_header_cells(header_cells)
    header = _header(header_cells) if len(header_cells) >= 3 else None
    j = _past_group_rows(lines, j)
    if not header or j >= len(lines) or not _SERIAL.match(lines[j].text.strip()):
        return
    width = len(header)
    row: list[Cell] = []
    while j < len(lines):
        t = lines[j].text.strip()
        grouping = _HEADING.match(t) or _GROUP_ROW.match(t) or (t.endswith("。") and not row)
        past = _past_group_rows(lines, j) if grouping and not _SERIAL.match(t) else j
        if past > j:
            # 二、全面推进… / (一)加强… between rows: a row that groups the rows below it
            if row:
                yield header, row
                row = []
            j = past
            continue
        if not t or len(t) > _MAX_CELL or _FOOTER.match(t) or _HEADING.match(t):
            break
        if len(row) >= width and len(t) > 60 and not _SERIAL.match(t):
            break  # a paragraph after the last row
        if _SERIAL.match(t) and row:
            yield header, row
            row = []
        elif len(row) >= width * _MAX_CELLS_PER_COLUMN:
            break
        row.append(Cell(lines[j].start, lines[j].end, t))
        j += 1
    if row:
        yield header, row


_GROUP_ROW = re.compile(r"^(?:[一二三四五六七八九十]{1,3}[、.]|\([一二三四五六七八九十]{1,3}\))")


def _past_group_rows(lines: list[_Line], j: int) -> int:
    """Past the grouping rows that span a table one cell per line (强化科技创新支撑能力。 /
    (一)加强战略科技力量建设。), one or two short lines before the next row's serial number;
    `j` itself when there are none."""
    k = j
    while k < len(lines) and k - j < 2:
        t = lines[k].text.strip()
        if _SERIAL.match(t) or not (2 <= len(t) <= 40) or "|" in t:
            break
        if not (t.endswith("。") or _GROUP_ROW.match(t) or _HEADING.match(t)):
            break
        k += 1
    return k if j < k < len(lines) and _SERIAL.match(lines[k].text.strip()) else j


def _joined_header_cells(cells: list[Cell]) -> list[Cell]:
    """市政府 / 分管领导: a header cell wrapped over two lines, the first part naming no role,
    is one cell."""
    out: list[Cell] = []
    for c in cells:
        prev = out[-1] if out else None
        role = columns.role(c.text)
        if prev is not None and columns.role(prev.text) is None and len(prev.text) <= 4 \
                and role is not None and columns.role(prev.text + c.text) == role:
            out[-1] = Cell(prev.start, c.end, prev.text + c.text)
            continue
        out.append(c)
    return out


def _read_row(header: list[str | None], cells: list[Cell], form: str) -> list[TableRow]:
    by_role: dict[str, list[Cell]] = {}
    if form == "pipe" and any(_FIELD_LABEL.match(c.text) for c in cells):
        return []  # 索引号: | … | 成文日期: | …: the page's labelled fields under the table
    groups = _leading_groups(header)
    if form == "pipe" and groups and _NUMBERED_TASK.match(cells[0].text):
        while cells and not cells[-1].text:
            cells = cells[:-1]  # 15.推进… opens the row: the 类别 column's cell is missing
    missing = len(header) - len(cells)
    if form == "pipe" and 0 < missing <= groups and not _SERIAL.match(cells[0].text):
        # a merged 类别 cell spans this row: its leading group columns print nothing
        cells = [Cell(cells[0].start, cells[0].start, "")] * missing + cells
    if 0 < missing <= 2 and form == "lines" and all(r in (None, "other") for r in header[len(cells):]):
        # one cell per line: the empty 备注 cells at the row's end leave no line
        cells = cells + [Cell(cells[-1].end, cells[-1].end, "")] * missing
    if len(cells) == len(header):
        for role, cell in zip(header, cells, strict=True):
            if role and cell.text:
                by_role.setdefault(role, []).append(cell)
        key = (by_role.get("key") or [Cell(0, 0, "")])[0].text.strip("()、.")
        return [TableRow(header, cells, form, by_role, key)]
    if form == "pipe":
        aligned = _by_alignment(header, cells)
        if aligned is not None:
            return [aligned]
    return _by_shape(header, cells, form)


_TAIL_ROLES = (*columns.UNIT_ROLES, "deadline", "leader")
_NUMBERED_TASK = re.compile(r"^\d{1,3}[.、](?!\d)")
_FIELD_LABEL = re.compile(r"^[\u4e00-\u9fff]{2,6}:$")


def _leading_groups(header: list[str | None]) -> int:
    """How many columns open the header before its task: 类别, 领域 (role other or none)."""
    n = 0
    for role in header:
        if role not in ("other", None):
            break
        n += 1
    return n


def _by_alignment(header: list[str | None], cells: list[Cell]) -> TableRow | None:
    """A `|` row with more or fewer cells than its header (a cell's own line breaks became
    separators, a merged cell left none): the serial number opens it, the unit, leader and
    deadline columns that close the header close the row too, and the cells between are
    the text columns, wrapped fragments rejoined, counted from the right."""
    rest = list(cells)
    key = rest.pop(0).text.strip("()、.") if rest and _SERIAL.match(rest[0].text) else ""
    tail_roles: list[str] = []
    for role in reversed(header):
        if role not in _TAIL_ROLES:
            break
        tail_roles.insert(0, role)
    if not tail_roles or len(rest) <= len(tail_roles):
        return None
    tail = rest[-len(tail_roles):]
    if any(len(c.text) > 120 or "。" in c.text for c in tail):
        return None
    middle = _rejoin_fragments(rest[:-len(tail_roles)])
    text_roles = [r for r in header[:len(header) - len(tail_roles)] if r != "key"]
    by_role: dict[str, list[Cell]] = {}
    for role, cell in zip(tail_roles, tail, strict=True):
        if cell.text:
            by_role.setdefault(role, []).append(cell)
    offset = len(text_roles) - len(middle)
    for i, cell in enumerate(middle):
        role = text_roles[i + offset] if 0 <= i + offset < len(text_roles) else None
        if role:
            by_role.setdefault(role, []).append(cell)
    if "title" not in by_role and middle:
        by_role["title"] = [middle[0]]
    return TableRow(header, cells, "pipe", by_role, key)


def _rejoin_fragments(cells: list[Cell]) -> list[Cell]:
    """严守用水|效率控制|红线: a cell its page wrapped, whose breaks came out as separators.
    Two short pieces (up to four characters, no punctuation) are one cell, and a piece of
    one or two characters joins the one before it."""
    out: list[Cell] = []
    for c in cells:
        if not c.text:
            continue
        if out and (_fragment(c.text, 2) or (_fragment(out[-1].text, 4) and _fragment(c.text, 4))):
            prev = out.pop()
            c = Cell(prev.start, c.end, prev.text + c.text)
        out.append(c)
    return out


def _fragment(text: str, size: int) -> bool:
    return len(text) <= size and not re.search(r"[。,;:、]", text)


def _by_shape(header: list[str | None], cells: list[Cell], form: str) -> list[TableRow]:
    """Rows whose cell count does not match the header (merged or empty cells, a unit per
    line): the serial number, then tasks, unit lists and deadlines told apart by shape.
    Unit lists fill the header's unit columns from the right (the columns a merged cell
    left out are the ones before them); a sentence after a deadline starts a second task
    of the same row, which shares the row's units unless it has its own."""
    rest = list(cells)
    key = ""
    if rest and _SERIAL.match(rest[0].text):
        key = rest.pop(0).text.strip("()、.")
    parts: list[dict[str, list[Cell]]] = [{}]
    for c in rest:
        part = parts[-1]
        if _is_deadline(c.text):
            part.setdefault("deadline", []).append(c)
        elif _mostly_units(c.text) and "title" in part:
            part.setdefault("units", []).append(c)
        elif "title" not in part:
            part["title"] = [c]
        elif "deadline" in part or ("units" in part and len(c.text) >= 6 and c.text.endswith("。")):
            parts.append({"title": [c]})
        else:
            part.setdefault("more", []).append(c)
    unit_roles = [r for r in header if r in columns.UNIT_ROLES] or ["responsible"]
    out: list[TableRow] = []
    shared: dict[str, list[Cell]] = {}
    for n, part in enumerate(p for p in parts if "title" in p):
        by_role: dict[str, list[Cell]] = {"title": part["title"]}
        if "deadline" in part:
            by_role["deadline"] = part["deadline"]
        unit_cells = part.get("units", [])
        roles = _unit_columns(unit_cells, unit_roles, form)
        for cell, role in zip(unit_cells, roles, strict=True):
            by_role.setdefault(role, []).append(cell)
        if n == 0:
            shared = {r: v for r, v in by_role.items() if r in columns.UNIT_ROLES}
        elif not unit_cells:
            by_role.update(shared)
        row_cells = [c for v in part.values() for c in v]
        row_cells.sort(key=lambda c: c.start)
        out.append(TableRow(header, row_cells, form, by_role, key, n))
    return out


def _unit_columns(unit_cells: list[Cell], unit_roles: list[str], form: str) -> list[str]:
    """The unit role of each unit cell. Cells on one line fill the unit columns from the
    right; one cell per line, a single unit column takes them all."""
    if len(unit_roles) == 1 or not unit_cells:
        return [unit_roles[0]] * len(unit_cells)
    if form == "lines" and len(unit_cells) > len(unit_roles):
        return [unit_roles[0]] * len(unit_cells)
    tail = unit_roles[-len(unit_cells):] if len(unit_cells) <= len(unit_roles) else unit_roles
    roles = list(tail) + [unit_roles[-1]] * (len(unit_cells) - len(tail))
    return roles


def _is_deadline(text: str) -> bool:
    return len(text) <= 20 and bool(_DEADLINE_CELL.search(text)) and not _mostly_units(text)


def measures(doc: Document, taken: list[tuple[int, int]]) -> list[Measure]:
    from kg.extract.measures import deadline_in_column  # one definition of a deadline

    out: list[Measure] = []
    for row in doc.layout.rows if doc.layout is not None else rows(doc):
        if any(a < row.end and row.start < b for a, b in taken):
            continue  # the row was read as a numbered section already
        title_cell = (row.by_role.get("title") or [None])[0]
        if title_cell is None or len(title_cell.text) < 4 or title_cell.text.startswith(("注", "备注")):
            continue
        start, end = row.start, row.end
        key = row.key
        numbered = _NUMBERED_TASK.match(title_cell.text) if not key else None
        if numbered:  # 14.改扩建… in the task cell: the number is the row's key
            cut = numbered.end()
            title_cell = Cell(title_cell.start + cut, title_cell.end, title_cell.text[cut:])
            key = numbered.group(0)[:-1]
        m = re.match(r"[^。;\n]{2,80}", title_cell.text)
        deadline_cells = " ".join(c.text for c in row.by_role.get("deadline", []))
        deadline, year = deadline_in_column(deadline_cells, title_cell.text)
        key = key or str(len(out) + 1)
        if row.part:
            key = f"{key}.{row.part + 1}"
        measure = Measure(
            key=key,
            title=m.group(0) if m else title_cell.text[:80],
            text=doc.text[start:end],
            span=doc.span(start, end),
            section_path="table",
            deadline=deadline,
            deadline_year=year,
            start=start,
            end=end,
            rule=f"measure.table-row.{row.form}",
        )
        for role in ("lead", "responsible", "support"):
            for cell in row.by_role.get(role, []):
                for a, b in orgnames.split_list(cell.text):
                    name = orgnames.named(cell.text, a, b)
                    span = doc.span(cell.start + a, cell.start + b)
                    measure.units.append(UnitRef(mention=name, name=name, role=role, org="", span=span,
                                                 rule="unit.table-column"))
        out.append(measure)
    return out


def _mostly_units(text: str) -> bool:
    """A cell that is a list of units, not a sentence that happens to name one."""
    if len(text) > 120:
        return False
    covered = sum(b - a for a, b in orgnames.split_list(text))
    return covered >= 0.7 * len(re.sub(r"[、,;/\s]", "", text))

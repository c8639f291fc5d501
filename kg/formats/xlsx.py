"""Excel -> text: each visible sheet a table, a row per line, cells joined by " | ", with
the sheet and cell (B7) of every character.

.xlsx/.xlsm with openpyxl (cached values of formulas, not the formulas), .xls with xlrd.
A merged range's value fills the rows below its top-left cell in its first column (a lead
unit merged down over its tasks) and leaves the other columns empty (a title or group
heading merged across comes out as a plain line); filled text points at the top-left cell.
The task table's header row is then found in the text by kg/extract/tables.py's
column-role recognition, as for any text table. Sheets are separated by a blank line.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kg.formats import Cell, Extracted, Location, TextBuilder, add_table, check_zip
from kg.read import ReadError

MAX_CELLS = 2_000_000  # filled cells in a workbook: a task table has hundreds
MAX_COLUMNS = 200

Grid = dict[tuple[int, int], str]  # (row, column), 1-based -> cell text
Merge = tuple[int, int, int, int]  # first row, first column, last row, last column (inclusive)


def column_letter(col: int) -> str:
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def sheet_rows(name: str, grid: Grid, merges: list[Merge]) -> list[list[Cell]]:
    """A sheet's cells as table rows, merged ranges filled (see the module docstring)."""
    anchor: dict[tuple[int, int], tuple[int, int]] = {}
    for r0, c0, r1, c1 in merges:
        if (r1 - r0 + 1) * (c1 - c0 + 1) > 100_000:
            continue  # a whole-column merge: nothing to fill
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    anchor[(r, c)] = (r0, c0)
    used = [(r, c) for (r, c), v in grid.items() if v.strip()]
    if not used:
        return []
    width = min(max(c for _, c in used), MAX_COLUMNS)
    rows_used = sorted({r for r, _ in used} | {r for (r, c), a in anchor.items() if a in grid})
    out: list[list[Cell]] = []
    for r in rows_used:
        row: list[Cell] = []
        for c in range(1, width + 1):
            src = (r, c)
            if src in anchor:
                a = anchor[src]
                src = a if a[1] == c else None  # merged down fills; merged across stays empty
            if src is None:
                row.append(Cell("", Location(sheet=name, cell=_coord(anchor[(r, c)]))))
                continue
            row.append(Cell(grid.get(src, ""), Location(sheet=name, cell=_coord(src))))
        out.append(row)
    return out


def _coord(rc: tuple[int, int]) -> str:
    return f"{column_letter(rc[1])}{rc[0]}"


def _build(path: str, fmt: str, sheets: list[tuple[str, Grid, list[Merge]]]) -> Extracted:
    out = TextBuilder()
    for name, grid, merges in sheets:
        rows = sheet_rows(name, grid, merges)
        if rows:
            if out.parts:
                out.add("\n")
            add_table(out, rows)
    return Extracted(path, out.text(), fmt, False, locations=out.map, pages=len(sheets))


def format_value(value: Any, number_format: str = "General") -> str:
    """A cell's value as it shows: 15% not 0.15, 1620 not 1620.0, 2024年12月31日 for a
    date formatted that way, else ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime | dt.date):
        if "年" in number_format:
            return f"{value.year}年{value.month}月" + (f"{value.day}日" if "d" in number_format else "")
        if isinstance(value, dt.datetime) and (value.hour, value.minute, value.second) == (0, 0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, int | float):
        if "%" in number_format:
            return _number(value * 100) + "%"
        return _number(value)
    return str(value).strip()


def _number(v: float) -> str:
    if isinstance(v, int):
        return str(v)
    if v.is_integer():
        return str(int(v))
    return f"{round(v, 10):.10g}"


def read(path: str) -> Extracted:
    import openpyxl

    check_zip(path, "Excel")
    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for broken parts
        raise ReadError(path, f"corrupt Excel file ({type(e).__name__}: {str(e)[:100]})") from None
    sheets: list[tuple[str, Grid, list[Merge]]] = []
    total = 0
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        grid: Grid = {}
        # the sheet's own cell store: iter_rows would create every cell up to max_row x max_column,
        # which a stray format in row 1048576 makes a million rows
        store = getattr(ws, "_cells", None)
        items = store.items() if store is not None else (((c.row, c.column), c) for row in ws.iter_rows()
                                                        for c in row)
        for (r, c), cell in items:
            if cell.value is None or c > MAX_COLUMNS:
                continue
            grid[(r, c)] = format_value(cell.value, cell.number_format or "General")
            total += 1
            if total > MAX_CELLS:
                raise ReadError(path, f"workbook has more than {MAX_CELLS} filled cells")
        merges = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
        sheets.append((ws.title, grid, merges))
    return _build(path, "xlsx", sheets)


def read_xls(path: str) -> Extracted:
    import xlrd

    with open(path, "rb") as f:
        head = f.read(8)
    if head.startswith(b"PK\x03\x04"):
        return read(path)  # an .xlsx saved under .xls
    try:
        book = xlrd.open_workbook(path, formatting_info=True, on_demand=True)
    except xlrd.XLRDError as e:
        msg = str(e)
        if "encrypt" in msg.lower():
            raise ReadError(path, "password-protected (encrypted) Excel file") from None
        raise ReadError(path, f"corrupt Excel file ({msg[:100]})") from None
    except Exception as e:
        raise ReadError(path, f"corrupt Excel file ({type(e).__name__}: {str(e)[:100]})") from None
    sheets: list[tuple[str, Grid, list[Merge]]] = []
    total = 0
    for k in range(book.nsheets):
        sh = book.sheet_by_index(k)
        if getattr(sh, "visibility", 0):
            continue
        grid: Grid = {}
        for r in range(sh.nrows):
            for c in range(min(sh.ncols, MAX_COLUMNS)):
                cell = sh.cell(r, c)
                if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    continue
                grid[(r + 1, c + 1)] = _xls_value(book, cell, sh.cell_xf_index(r, c))
                total += 1
                if total > MAX_CELLS:
                    raise ReadError(path, f"workbook has more than {MAX_CELLS} filled cells")
        merges = [(r0 + 1, c0 + 1, r1, c1) for r0, r1, c0, c1 in sh.merged_cells]
        sheets.append((sh.name, grid, merges))
        book.unload_sheet(k)
    return _build(path, "xls", sheets)


def _xls_value(book: Any, cell: Any, xf_index: int) -> str:
    import xlrd

    fmt = "General"
    try:
        fmt = book.format_map[book.xf_list[xf_index].format_key].format_str
    except (IndexError, KeyError, AttributeError):
        pass
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return format_value(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode), fmt)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return _number(cell.value)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return format_value(bool(cell.value))
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return ""
    return format_value(cell.value, fmt)

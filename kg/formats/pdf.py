"""PDF -> text in reading order, with the page of every character.

Library: pdfplumber (on pdfminer.six) reads the text layer and the tables; pypdfium2
(PDFium, which pdfplumber itself depends on) opens the file first — a cheap check for
encryption, corruption and the page count before pdfminer parses anything — and
rasterises pages that have no text layer for OCR.

Why pdfplumber for the text: on the seeds rendered by LibreOffice PDFium's text is 20-30x
faster (bench/formats.py: ~100-800 against 5-25 pages/s, by machine load) but it has no table
finder — a ruled task table comes out one wrapped cell fragment per line with nothing to
say which column it was — and it puts spaces between Chinese and digits ("2023 年")
that the PDF does not have. pdfplumber finds ruled tables with their cells (merged cells
as gaps we can fill from the cell bounding boxes), keeps the characters as printed, and
gives each line its box, which is what dropping headers/footers and rejoining wrapped
lines needs. A 100-page plan reads in 4-20 s, well inside the per-file time limit.

Layout rules (geometry, not words):
- a line in the top or bottom band of the page is furniture when it looks like a page
  number (第 3 页, - 3 -, 3/12, a bare number) or when the same line, digits aside, is in
  that band on most pages (a running header or footer);
- a line that reaches the right edge of the text block and does not end a sentence goes
  on in the next line (also across a page break), unless that line opens a numbered item;
- a table's rows become " | " lines at the table's place; a cell merged across the row
  leaves the other columns empty, a cell merged down fills the rows below it.
"""

from __future__ import annotations

import logging
import re
import statistics
from dataclasses import dataclass, field
from typing import Any

from kg.formats import Cell, Extracted, Location, TextBuilder, add_table
from kg.model import Notice
from kg.read import ReadError

MAX_PAGES = 2000  # a plan is tens of pages; thousands is a dump or a bomb
OCR_DPI = 200
_MIN_TEXT_CHARS = 20  # fewer characters on a page that is mostly image: a scan with a stamp
_BAND = 0.09  # top/bottom share of the page height where headers and footers live

_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－\s]*\d{1,4}[-—–－\s]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|(?:page\s*)?\d{1,4}\s*(?:of\s*\d{1,4})?)$", re.I)
_SENTENCE_END = tuple("。！？；：!?;:")
_ITEM_START = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}[、.]|[(（][一二三四五六七八九十\d]{1,3}[)）]"
                         r"|\d{1,3}[.、．](?!\d)|[①-⑳]|第[一二三四五六七八九十百\d]{1,4}[章节条部分])")


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass
class Table:
    rows: list[list[Cell]]
    top: float


@dataclass
class Page:
    number: int  # 1-based
    width: float
    height: float
    items: list[Line | Table] = field(default_factory=list)
    ocr_confidence: float | None = None  # mean word confidence when the text came from OCR


def read(path: str, ocr: bool = True, max_pages: int | None = None) -> Extracted:
    import pdfplumber
    import pypdfium2 as pdfium

    # pdfminer logs a line per font quirk (Chromium's PDFs: "Could not get FontBBox ...");
    # the text is fine, and a batch's stderr is for files that could not be read
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        doc = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as e:
        raise ReadError(path, _pdfium_reason(str(e))) from None
    n = len(doc)
    if n == 0:
        raise ReadError(path, "PDF without pages")
    max_pages = MAX_PAGES if max_pages is None else max_pages
    if n > max_pages:
        raise ReadError(path, f"PDF has {n} pages; the limit is {max_pages}")
    pages: list[Page] = []
    notices: list[Notice] = []
    try:
        with pdfplumber.open(path) as pdf:
            for i, page in enumerate(pdf.pages):
                pages.append(_read_page(page, i + 1, doc, ocr, notices))
                page.close()  # pdfplumber caches every object of a page: free it
    except ReadError:
        raise
    except MemoryError:
        raise  # the isolating child names the limit
    except Exception as e:
        if "alloc" in str(e).lower():  # zlib inside pdfminer could not grow its buffer
            raise MemoryError from None
        raise ReadError(path, f"corrupt PDF ({type(e).__name__}: {str(e)[:120]})") from None
    finally:
        doc.close()
    ocr_pages = [p for p in pages if p.ocr_confidence is not None]
    if ocr_pages:
        notices.append(ocr_notice(ocr_pages, len(pages)))
    out = assemble(pages)
    return Extracted(path, out.text(), "pdf+ocr" if ocr_pages else "pdf", False,
                     locations=out.map, notices=notices, pages=n)


def _pdfium_reason(msg: str) -> str:
    low = msg.lower()
    if "password" in low:
        return "encrypted PDF (it needs a password to open)"
    if "format" in low or "file" in low:
        return "corrupt PDF (not a readable PDF structure)"
    return f"corrupt PDF ({msg[:120]})"


def ocr_notice(pages: list[Page], total: int) -> Notice:
    confs = [p.ocr_confidence for p in pages if p.ocr_confidence is not None]
    mean = sum(confs) / len(confs) if confs else 0.0
    which = ", ".join(str(p.number) for p in pages[:20]) + (" …" if len(pages) > 20 else "")
    return Notice("ocr", f"text of {len(pages)} of {total} page(s) ({which}) read by OCR (Tesseract), "
                         f"mean confidence {mean:.0f}%")


# -- one page --------------------------------------------------------------------------


def _read_page(page: Any, number: int, doc: Any, ocr: bool, notices: list[Notice]) -> Page:
    out = Page(number, float(page.width), float(page.height))
    chars = page.chars
    if len(chars) < _MIN_TEXT_CHARS and _image_share(page) > 0.3:
        if not ocr:
            notices.append(Notice("ocr-off", f"page {number} has no text layer and OCR is off: left out"))
            return out
        from kg.formats.ocr import ocr_pdf_page

        out.items, out.ocr_confidence = ocr_pdf_page(doc[number - 1], OCR_DPI)
        return out
    tables = [t for t in page.find_tables() if len(t.rows) >= 2 and max(len(r.cells) for r in t.rows) >= 2]
    boxes = [t.bbox for t in tables]

    def outside(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)

    body = page.filter(outside) if boxes else page
    for ln in body.extract_text_lines(return_chars=False, strip=True):
        if ln["text"].strip():
            out.items.append(Line(ln["text"], ln["x0"], ln["x1"], ln["top"], ln["bottom"]))
    loc = Location(page=number)
    for t in tables:
        out.items.append(Table(_table_rows(t, loc), t.bbox[1]))
    out.items.sort(key=lambda it: it.top)
    return out


def _image_share(page: Any) -> float:
    area = float(page.width * page.height) or 1.0
    return sum(abs((im["x1"] - im["x0"]) * (im["bottom"] - im["top"])) for im in page.images) / area


def _table_rows(table: Any, loc: Location) -> list[list[Cell]]:
    """pdfplumber leaves None where a merged cell covers a grid position: find the cell
    whose box covers it; merged down -> its text, merged across -> empty."""
    texts = table.extract()
    grid = [row.cells for row in table.rows]
    width = max(len(r) for r in grid)
    col_x: dict[int, float] = {}
    for r in grid:
        for c, box in enumerate(r):
            if box is not None and c not in col_x and _single_column(box, grid, c):
                col_x[c] = (box[0] + box[2]) / 2
    rows: list[list[Cell]] = []
    for r, row in enumerate(grid):
        ys = [(b[1] + b[3]) / 2 for b in row if b is not None]
        cells: list[Cell] = []
        for c in range(width):
            text = texts[r][c] if c < len(texts[r]) else None
            if text is None and ys and c in col_x:
                text = _covering_text(grid, texts, r, c, col_x[c], min(ys))
            cells.append(Cell(text or "", loc))
        rows.append(cells)
    return rows


def _single_column(box: tuple[float, ...], grid: list[list[Any]], c: int) -> bool:
    # a box is a column's own when no other row has a narrower box in that column
    widths = [b[2] - b[0] for r in grid if c < len(r) and (b := r[c]) is not None]
    return box[2] - box[0] <= min(widths) + 1


def _covering_text(grid: list[list[Any]], texts: list[list[str | None]], r: int, c: int,
                   x: float, y: float) -> str:
    for r2 in range(r - 1, -1, -1):
        for c2, box in enumerate(grid[r2]):
            if box is not None and box[0] <= x <= box[2] and box[1] <= y <= box[3]:
                return (texts[r2][c2] or "") if c2 == c else ""
    return ""


# -- pages -> text ---------------------------------------------------------------------


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _furniture(pages: list[Page]) -> set[tuple[int, int]]:
    """(page number, item index) of header/footer lines: page numbers anywhere in the top
    or bottom band, and lines repeated in that band on most pages."""
    counts: dict[str, int] = {}
    bands: list[tuple[Page, int, Line]] = []
    for p in pages:
        lines = [(i, it) for i, it in enumerate(p.items) if isinstance(it, Line)]
        edge = lines[:2] + lines[-2:]
        seen: set[str] = set()
        for i, ln in dict(edge).items():
            if ln.bottom <= p.height * _BAND or ln.top >= p.height * (1 - _BAND):
                bands.append((p, i, ln))
                k = _key(ln.text)
                if k not in seen:
                    counts[k] = counts.get(k, 0) + 1
                    seen.add(k)
    with_text = sum(1 for p in pages if p.items)
    repeated = max(2, (with_text + 1) // 2)
    return {(p.number, i) for p, i, ln in bands
            if _PAGE_NUMBER.match(ln.text.strip()) or (with_text >= 2 and counts[_key(ln.text)] >= repeated)}


def _edges(pages: list[Page]) -> tuple[float, float, float]:
    """The left and right edges of the text block and the usual line height."""
    lines = [it for p in pages for it in p.items if isinstance(it, Line)]
    if not lines:
        return 0.0, 0.0, 10.0
    height = statistics.median(ln.bottom - ln.top for ln in lines) or 10.0
    ends = sorted(ln.x1 for ln in lines)
    starts = sorted(ln.x0 for ln in lines)
    k = len(lines) // 10
    return starts[k], ends[-1 - k], height


_FIRST_WORD = re.compile(r"^[“‘《（(〔【\[]*(?:[^\s\u3000-\u9fff\uff00-\uffef]+|.)"
                         r"(?:[，。、；：！？”’》）)〕】\]]+[0-9A-Za-z%.]*|[“‘《（(〔【][^\s])?")


def _continues(prev: Line, nxt: Line, edges: tuple[float, float, float]) -> bool:
    """The line was wrapped: the next line's first word would not have fitted after it.
    A full line ending a sentence goes on too, unless the next line is indented or opens
    a numbered item (the wrap fell on a sentence end in mid-paragraph)."""
    left, right, height = edges
    text = prev.text.rstrip()
    if not text or _ITEM_START.match(nxt.text):
        return False
    if text.endswith(_SENTENCE_END):
        return prev.x1 >= right - 0.8 * height and nxt.x0 < left + 0.8 * height
    m = _FIRST_WORD.match(nxt.text.lstrip())
    word = m.group(0) if m else ""
    width = sum(0.55 * height if ch.isascii() else height for ch in word)
    # a line breaker may also carry a few characters over (a number with its unit, 平。2024年):
    # a gap of up to three characters is still a wrap; a paragraph's last line ends in 。
    return prev.x1 + max(width, 3 * height) >= right - 0.5 * height


def assemble(pages: list[Page]) -> TextBuilder:
    """Lines and tables of all pages as one text, furniture dropped, wrapped lines joined."""
    drop = _furniture(pages)
    edges = _edges(pages)
    out = TextBuilder()
    prev: Line | None = None  # the line before, while its paragraph may go on
    last_table: list[list[Cell]] | None = None
    pending: list[list[Cell]] = []
    for p in pages:
        loc = Location(page=p.number)
        for i, item in enumerate(p.items):
            if (p.number, i) in drop:
                continue
            if isinstance(item, Table):
                prev = None
                if last_table is not None and _continues_row(last_table, item.rows):
                    _merge_row(last_table[-1], item.rows.pop(0))
                pending.extend(item.rows)
                last_table = item.rows or last_table
                continue
            if pending:
                add_table(out, pending)
                pending, last_table = [], None
            if prev is not None and _continues(prev, item, edges):
                latin = prev.text[-1:].isascii() and prev.text[-1:].isalnum() and item.text[:1].isascii()
                out.add((" " if latin else "") + item.text, loc)
            else:
                if out.parts and not out.ends_with_newline():
                    out.add("\n")
                out.add(item.text, loc)
            prev = item
    if pending:
        add_table(out, pending)
    if not out.ends_with_newline():
        out.add("\n")
    return out


def _continues_row(above: list[list[Cell]], rows: list[list[Cell]]) -> bool:
    """A table row split by a page break: the next page's table starts with a row whose
    first cell is empty, as wide as the table above."""
    return bool(rows and above) and len(rows[0]) == len(above[-1]) and not rows[0][0].text.strip() \
        and any(c.text.strip() for c in rows[0])


def _merge_row(row: list[Cell], rest: list[Cell]) -> None:
    for k, cell in enumerate(rest):
        if cell.text.strip():
            row[k] = Cell(row[k].text + "\n" + cell.text, row[k].loc)

"""Files analysts have — PDF (text layer or scanned), Word, Excel, WPS, images — as text.

Each reader returns an `Extracted`: the document's text in the form the text extractors
already read (paragraphs one per line; tables one row per line, cells joined by " | ",
merged cells filled, a row of one cell — a group heading — as plain text) and a
`LocationMap` from every character of that text to where it is in the file: the page of a
PDF or image, the sheet and cell (B7) of a spreadsheet. Spans stay `{start, end, text}`
into the extracted text; `annotate` adds `page` / `sheet` / `cell` to every span of the
finished document.

Readers run in a forked child with a time limit and a memory ceiling (see `isolate`), so
a PDF bomb or a spreadsheet with a billion cells costs one file's ReadError, not the batch.

    read_document(path, ocr=True)   # kg.read.read_file calls this for FORMAT_SUFFIXES

`ocr=False` (or the environment variable KG_NO_OCR=1, which worker processes inherit)
leaves pages without a text layer out instead of running Tesseract on them.
"""

from __future__ import annotations

import os
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from typing import Any

from kg.model import Notice, Span
from kg.read import MAX_BYTES, Decoded, ReadError

PDF_SUFFIXES = {".pdf"}
WORD_SUFFIXES = {".docx", ".doc", ".wps"}
SHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".et"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
SUFFIXES = PDF_SUFFIXES | WORD_SUFFIXES | SHEET_SUFFIXES | IMAGE_SUFFIXES

TIME_LIMIT = 300.0  # seconds per file: pdfplumber reads 5-20 pages/s, OCR takes ~2 s a page
MEMORY_LIMIT = 2 * 2**30  # bytes of address space for the reading child


@dataclass(frozen=True)
class Location:
    """Where a character of the extracted text is in the file."""

    page: int | None = None  # 1-based page of a PDF, frame of an image
    sheet: str | None = None
    cell: str | None = None  # A1-style, the top-left cell of a merged range


NOWHERE = Location()


@dataclass
class LocationMap:
    """Per-character locations, stored as runs: characters from starts[k] up to
    starts[k+1] are at locs[k]."""

    starts: list[int] = field(default_factory=list)
    locs: list[Location] = field(default_factory=list)

    def mark(self, offset: int, loc: Location) -> None:
        if self.locs and self.locs[-1] == loc:
            return
        if self.starts and self.starts[-1] == offset:
            self.locs[-1] = loc
            return
        self.starts.append(offset)
        self.locs.append(loc)

    def at(self, offset: int) -> Location:
        k = bisect_right(self.starts, offset) - 1
        return self.locs[k] if k >= 0 else NOWHERE

    def locate(self, span: Span) -> Span:
        """The span with the page/sheet/cell of its first character."""
        loc = self.at(span.start)
        if loc == NOWHERE:
            return span
        return replace(span, page=loc.page, sheet=loc.sheet, cell=loc.cell)


class TextBuilder:
    """Text assembled piece by piece, each piece with its location."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.map = LocationMap()

    def add(self, text: str, loc: Location = NOWHERE) -> None:
        if not text:
            return
        # characters the rendering adds (" | ", line ends) keep the location before them
        if loc != NOWHERE:
            self.map.mark(self.length, loc)
        self.parts.append(text)
        self.length += len(text)

    def line(self, text: str = "", loc: Location = NOWHERE) -> None:
        self.add(text, loc)
        self.add("\n")

    def ends_with_newline(self) -> bool:
        return not self.parts or self.parts[-1].endswith("\n")

    def text(self) -> str:
        return "".join(self.parts)


@dataclass
class Cell:
    text: str
    loc: Location = NOWHERE


def add_table(out: TextBuilder, rows: list[list[Cell]]) -> None:
    """A table as text: a row per line, cells joined by " | ", line breaks inside a cell
    joined; a row with a single filled cell (a heading merged across the table) as a plain
    line; empty rows left out. Merged cells must already be filled by the caller."""
    if not out.ends_with_newline():
        out.add("\n")
    for row in rows:
        texts = [join_wrapped(c.text) for c in row]
        filled = [i for i, t in enumerate(texts) if t]
        if not filled:
            continue
        if len(filled) == 1 and (len(row) == 1 or _spans_row(row, filled[0])):
            out.line(texts[filled[0]], row[filled[0]].loc)
            continue
        for i, (cell, text) in enumerate(zip(row, texts, strict=True)):
            if i:
                out.add(" | ")
            out.add(text, cell.loc)
        out.add("\n")


def _spans_row(row: list[Cell], k: int) -> bool:
    # one value and the rest empty: a title or group heading (merged across, or typed
    # into the first cell and left to overflow); a lone value in a later column is data
    return k == 0 or all(not c.text.strip() or c.loc == row[k].loc for c in row)


_ASCII_WORD = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def join_wrapped(text: str) -> str:
    """A cell's wrapped lines as one: Chinese joins without a space, Latin words with one."""
    lines = [s.strip() for s in text.replace("\r", "\n").split("\n")]
    out = ""
    for s in lines:
        if not s:
            continue
        if out and out[-1] in _ASCII_WORD and s[0] in _ASCII_WORD:
            out += " "
        out += s
    return out


@dataclass
class Extracted(Decoded):
    """A `Decoded` whose `source` is text read out of a binary file."""

    locations: LocationMap = field(default_factory=LocationMap)
    notices: list[Notice] = field(default_factory=list)
    pages: int = 0  # pages (PDF, image frames) or sheets read

    def annotate(self, doc: Any) -> None:
        """Give every span in the finished document its page/sheet/cell, and add the
        reader's notices (OCR used, pages left out) to its warnings."""
        doc.warnings[:0] = self.notices
        if self.locations.locs:
            _relocate(doc, self.locations.locate, depth=0)


def _relocate(obj: Any, fix: Callable[[Span], Span], depth: int) -> None:
    if depth > 8:
        return
    for f in fields(obj):
        value = getattr(obj, f.name)
        if isinstance(value, Span):
            setattr(obj, f.name, fix(value))
        elif isinstance(value, list) and value and (isinstance(value[0], Span) or is_dataclass(value[0])):
            for i, item in enumerate(value):
                if isinstance(item, Span):
                    value[i] = fix(item)
                elif is_dataclass(item):
                    _relocate(item, fix, depth + 1)
        elif is_dataclass(value) and not isinstance(value, type):
            _relocate(value, fix, depth + 1)


MAX_UNZIPPED = 500 * 2**20  # an Office file inflating past this is a zip bomb
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_zip(path: str, kind: str) -> None:
    """An Office Open XML file (.docx/.xlsx) is a zip: refuse an encrypted one (Office wraps
    those in an OLE container), a broken zip and a zip bomb before a library inflates it."""
    import zipfile

    with open(path, "rb") as f:
        head = f.read(1 << 16)
    if head.startswith(_OLE):
        if "EncryptedPackage".encode("utf-16-le") in head or b"E\x00n\x00c\x00r\x00y\x00p" in head:
            raise ReadError(path, f"password-protected (encrypted) {kind} file")
        raise ReadError(path, f"an old binary {kind} file under a new-format name (rename it to .doc/.xls)")
    try:
        with zipfile.ZipFile(path) as z:
            total = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise ReadError(path, f"corrupt {kind} file (broken zip: {str(e)[:80]})") from None
    if total > MAX_UNZIPPED:
        raise ReadError(path, f"{kind} file inflates to {total / 2**20:.0f} MB (zip bomb?); "
                              f"the limit is {MAX_UNZIPPED // 2**20} MB")


def ocr_enabled(ocr: bool | None) -> bool:
    if ocr is not None:
        return ocr
    return os.environ.get("KG_NO_OCR", "").strip().lower() in ("", "0", "false", "no")


def read_document(path: str | Path, ocr: bool | None = None, time_limit: float = TIME_LIMIT,
                  memory_limit: int = MEMORY_LIMIT) -> Extracted:
    """Text and locations of a PDF, Word, Excel, WPS or image file. Raises ReadError with a
    one-line reason when the file cannot be read (encrypted, corrupt, too large, too slow)."""
    from kg.formats.isolate import run_limited

    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in SUFFIXES:
        raise ReadError(p, f"unsupported file type '{suffix}'")
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise ReadError(p, "no such file or directory") from None
    except OSError as e:
        raise ReadError(p, e.strerror or str(e)) from None
    if not p.is_file():
        raise ReadError(p, "not a regular file")
    if size == 0:
        raise ReadError(p, "empty file")
    if size > MAX_BYTES:
        raise ReadError(p, f"file too large ({size / 2**20:.0f} MB; the limit is {MAX_BYTES // 2**20} MB)")
    result = run_limited(_read, (str(p), suffix, ocr_enabled(ocr)), time_limit, memory_limit, str(p))
    if not result.source.strip():
        raise ReadError(p, "no text in the file" + ("" if ocr_enabled(ocr) else " (OCR is off)"))
    return result


def _read(path: str, suffix: str, ocr: bool) -> Extracted:
    """Runs in the limited child: the reader for the suffix."""
    if suffix in PDF_SUFFIXES:
        from kg.formats import pdf

        return pdf.read(path, ocr=ocr)
    if suffix in IMAGE_SUFFIXES:
        from kg.formats import ocr as ocr_mod

        if not ocr:
            raise ReadError(path, "an image needs OCR, which is turned off")
        return ocr_mod.read_image(path)
    if suffix == ".docx":
        from kg.formats import docx

        return docx.read(path)
    if suffix in (".xlsx", ".xlsm"):
        from kg.formats import xlsx

        return xlsx.read(path)
    if suffix == ".xls":
        from kg.formats import xlsx

        return xlsx.read_xls(path)
    from kg.formats import office  # .doc .wps .et: LibreOffice converts, then the readers above

    return office.read(path)

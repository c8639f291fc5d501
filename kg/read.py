"""Bytes on disk -> decoded text (and, for HTML, visible text with an offset map).

Every failure is a `ReadError` carrying the path and a one-line reason, so a batch can
report it and go on.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

from charset_normalizer import from_bytes

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
# PDF, Word, Excel, WPS and images: kg/formats reads them (its SUFFIXES is the same set)
FORMAT_SUFFIXES = {".pdf", ".docx", ".doc", ".wps", ".xlsx", ".xlsm", ".xls", ".et",
                   ".png", ".jpg", ".jpeg", ".tif", ".tiff"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | FORMAT_SUFFIXES
MAX_BYTES = 50 * 1024 * 1024  # above this a "document" is a dump, not a plan; refuse, stay bounded

_MAGIC = {
    b"\x89PNG": "PNG image",
    b"PK\x03\x04": "ZIP archive",
    b"%PDF": "PDF document (convert it to text first)",
    b"GIF8": "GIF image",
    b"\xff\xd8\xff": "JPEG image",
    b"\xd0\xcf\x11\xe0": "MS Office document",
    b"\x1f\x8b": "gzip archive",
    b"\x7fELF": "executable",
}


class ReadError(Exception):
    def __init__(self, path: str | Path, reason: str) -> None:
        super().__init__(str(path), reason)  # args round-trip through pickle (workers)
        # printable: a name that is not UTF-8 shows its bytes as \xNN, never a lone surrogate
        self.path = os.fsencode(str(path)).decode("utf-8", errors="backslashreplace")
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass
class Decoded:
    path: str
    source: str  # decoded file text: what provenance spans point into
    encoding: str
    is_html: bool


def discover(paths: Sequence[str | Path]) -> Iterator[Path | ReadError]:
    """Input files in order. Directories are walked recursively (links followed once,
    loops cut); inside a directory, files of other kinds are passed over silently."""
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            yield from _walk(p)
        elif p.exists():
            if p.suffix.lower() not in SUPPORTED:
                yield ReadError(p, f"unsupported file type '{p.suffix or '(none)'}' "
                                   f"(expected {', '.join(sorted(SUPPORTED))})")
            else:
                yield p
        elif p.is_symlink():
            yield ReadError(p, _link_problem(p))
        else:
            yield ReadError(p, "no such file or directory")


def _walk(root: Path) -> Iterator[Path | ReadError]:
    seen: set[str] = set()
    unreadable: list[OSError] = []  # os.walk reports a folder it cannot list here, and goes on
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=unreadable.append):
        yield from _folder_errors(unreadable)
        real = os.path.realpath(dirpath)
        if real in seen:  # a symlink loop or a second way into the same folder
            dirnames[:] = []
            continue
        seen.add(real)
        dirnames.sort()
        for name in sorted(filenames):
            p = Path(dirpath) / name
            if p.suffix.lower() in SUPPORTED and not name.startswith("."):
                yield p if p.exists() else ReadError(p, _link_problem(p))
    yield from _folder_errors(unreadable)


def _folder_errors(errors: list[OSError]) -> Iterator[ReadError]:
    """One line per folder that could not be listed: its files are missing from the batch."""
    for e in errors:
        reason = "permission denied" if isinstance(e, PermissionError) else (e.strerror or str(e))
        yield ReadError(e.filename or "?", f"folder not read: {reason}")
    errors.clear()


def _link_problem(p: Path) -> str:
    try:
        os.stat(p)
    except OSError as e:
        if e.errno == errno.ELOOP:
            return "symbolic link loop"
    return "broken symbolic link"


def read_file(path: str | Path, ocr: bool | None = None) -> Decoded:
    """`ocr`: for scanned PDF pages and images (kg.formats); None: as $KG_NO_OCR says."""
    p = Path(path)
    if p.suffix.lower() in FORMAT_SUFFIXES:
        from kg.formats import read_document  # here: kg.formats imports this module

        return read_document(p, ocr=ocr)
    try:
        st = p.stat()
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(st.st_mode):
            # a pipe blocks forever and /dev/zero never ends: neither is a document
            raise ReadError(p, "not a regular file (device, pipe or socket)")
        if st.st_size > MAX_BYTES:
            raise ReadError(p, _too_large(st.st_size))
        with p.open("rb") as f:
            data = f.read(MAX_BYTES + 1)  # bounded even if the file grows while we read
        if len(data) > MAX_BYTES:
            raise ReadError(p, _too_large(len(data)))
    except PermissionError:
        raise ReadError(p, "permission denied") from None
    except IsADirectoryError:
        raise ReadError(p, "is a directory") from None
    except FileNotFoundError:
        raise ReadError(p, "no such file or directory") from None
    except OSError as e:
        raise ReadError(p, e.strerror or str(e)) from None
    text, encoding = decode_bytes(data, p)
    text = plain_controls(text)
    if not text.strip():
        raise ReadError(p, "empty file (whitespace only)")
    is_html = p.suffix.lower() in HTML_SUFFIXES or _looks_like_html(text)
    return Decoded(str(p), text, encoding, is_html)


_LONE_CR = re.compile(r"\r(?!\n)")
# C0 controls other than tab, LF and CR (and U+FFFE/U+FFFF) mean nothing in a plan and XML
# cannot carry them: spaces; vertical tab and form feed (page breaks) end a line.
_ANY_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CONTROLS = {c: " " for c in (*range(0x09), *range(0x0e, 0x20), 0xFFFE, 0xFFFF)} | {0x0b: "\n", 0x0c: "\n"}


def plain_controls(text: str) -> str:
    """Lone CR line ends (old Mac files) as LF, control characters as spaces or LF: one
    character for one, so offsets into the text stay those of the file."""
    text = _LONE_CR.sub("\n", text)
    # str.translate looks every character up in a dict; most files hold no control at all
    return text.translate(_CONTROLS) if _ANY_CONTROL.search(text) else text


def _too_large(size: int) -> str:
    return f"file too large ({size / 2**20:.0f} MB; the limit is {MAX_BYTES // 2**20} MB)"


def decode_bytes(data: bytes, path: str | Path = "<bytes>") -> tuple[str, str]:
    """Detect, don't assume: BOMs, strict UTF-8, UTF-16 without BOM, then
    charset-normalizer's best guess among the CJK code pages."""
    if not data:
        raise ReadError(path, "empty file")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc.replace("-sig", "")
            except UnicodeDecodeError:
                raise ReadError(path, f"undecodable bytes (declared {enc} by its BOM)") from None
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise ReadError(path, f"binary file ({what})")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        utf8_error = e
    if b"\x00" in data[:4096]:
        text = _try_utf16(data)
        if text is not None:
            return text
        raise ReadError(path, "binary file (contains NUL bytes)")
    if _mostly_utf8(data, utf8_error):
        # Valid UTF-8 except a cut-off tail or a few bad bytes: keep the text and let the
        # normalizer flag the replacement characters.
        return data.decode("utf-8", errors="replace"), "utf-8"
    guess = _mixed_utf8(data) or _utf16_without_nul(data)
    if guess is not None:
        return guess
    best = from_bytes(data[:200_000], cp_isolation=["gb18030", "big5", "utf_16"]).best()
    if best is None or best.encoding not in ("gb18030", "big5", "utf_16"):
        best_any = from_bytes(data[:200_000]).best()
        if best_any is None:
            raise ReadError(path, "undecodable bytes (not UTF-8, GB18030, Big5 or UTF-16)")
        best = best_any
    encoding = best.encoding
    text = data.decode(encoding, errors="replace")
    if _cjk_ratio(text) < 0.05 and text.count("\ufffd") > len(text) * 0.01:
        raise ReadError(path, f"undecodable bytes (best guess {encoding} gives mostly garbage)")
    return text, encoding.replace("_", "-")


def _mostly_utf8(data: bytes, err: UnicodeDecodeError) -> bool:
    bad = data.decode("utf-8", errors="replace").count("\ufffd")
    return err.start > len(data) - 4 or bad * 200 < len(data)


def _mixed_utf8(data: bytes) -> tuple[str, str] | None:
    """Files pasted together from UTF-8 and GBK/Big5 parts: each line decoded on its own.
    Only when several lines with Chinese text are valid UTF-8 — in a pure GB18030 file a
    line of Chinese that also happens to be valid UTF-8 is rare, two of them rarer still."""
    lines = data.splitlines(keepends=True)
    utf8_cjk = 0
    legacy: list[int] = []
    for i, line in enumerate(lines):
        if line.isascii():
            continue
        try:
            if _cjk_ratio(line.decode("utf-8")) > 0.2:
                utf8_cjk += 1
        except UnicodeDecodeError:
            legacy.append(i)
    if utf8_cjk < 2 or not legacy:
        return None
    rest = b"".join(lines[i] for i in legacy)
    best = from_bytes(rest[:200_000], cp_isolation=["gb18030", "big5"]).best()
    if best is None:
        return None
    enc = best.encoding
    for i in legacy:
        lines[i] = lines[i].decode(enc, errors="replace").encode("utf-8")
    return b"".join(lines).decode("utf-8"), f"utf-8+{enc.replace('_', '-')}"


def _try_utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 with ASCII in it: the NUL high bytes say the byte order (at odd offsets in
    little-endian), where trying LE first would read big-endian ASCII as CJK. Chinese
    with few ASCII characters (一 is U+4E00) leaves that open; then the order whose text
    is plainer wins."""
    even, odd = data[0::2].count(0), data[1::2].count(0)
    decoded = []
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            decoded.append((data.decode(enc), enc))
        except UnicodeDecodeError:
            continue
    if odd >= 2 * even or even >= 2 * odd:
        decoded.sort(key=lambda d: d[1] != ("utf-16-le" if odd > even else "utf-16-be"))
    else:
        decoded.sort(key=lambda d: -_plain_ratio(d[0]))
    for text, enc in decoded:
        printable = sum(1 for c in text[:2000] if c.isprintable() or c in "\r\n\t")
        if printable > 0.95 * min(len(text), 2000):
            return text, enc
    return None


def _plain(c: str) -> bool:
    return (c in "\r\n\t" or " " <= c <= "~" or "\u4e00" <= c <= "\u9fff"
            or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef" or "\u2010" <= c <= "\u2027")


def _plain_ratio(text: str) -> float:
    sample = text[:2000]
    return sum(map(_plain, sample)) / max(1, len(sample))


def _utf16_without_nul(data: bytes) -> tuple[str, str] | None:
    """All-Chinese UTF-16 has no NUL bytes to give it away. Read in the wrong byte order,
    or GB18030/Big5 read as UTF-16, lands mostly outside CJK and punctuation, so the
    order whose text is almost all of those wins."""
    if len(data) % 2:
        return None
    best: tuple[float, str, str] | None = None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = _plain_ratio(text)
        if best is None or score > best[0]:
            best = (score, text, enc)
    if best is None or best[0] < 0.9:
        return None
    return best[1], best[2]


def _cjk_ratio(text: str) -> float:
    sample = text[:5000]
    return sum(1 for c in sample if "\u4e00" <= c <= "\u9fff") / max(1, len(sample))


def _looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<!doctype html" in head or ("<body" in head and "</" in head)


# --- HTML -> visible text, with each text character mapped to its source offset -------

_SKIP = {"script", "style", "noscript", "template", "head", "nav", "footer", "header",
         "iframe", "svg", "form", "button", "select", "aside"}
_BLOCK = {"p", "div", "br", "li", "tr", "table", "section", "article", "h1", "h2", "h3",
          "h4", "h5", "h6", "ul", "ol", "dd", "dt", "dl", "blockquote", "pre", "hr", "td",
          "th", "main", "center", "title"}
_JUNK_MARKERS = ("nav", "menu", "footer", "breadcrumb", "share", "sidebar", "toolbar",
                 "copyright", "banner", "header", "crumb", "login", "search")
_VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed",
         "source", "track", "wbr", "param"}


_CELL = {"td", "th"}
# A rowspan's later rows get this in the merged cell's place (the ditto mark tables use
# for "same as above"); kg/extract/tables.py reads the cell above for it.
DITTO = "〃"
_LAYOUT_CELL_CHARS = 1200  # a cell this long holds a page's article, not a table's value


@dataclass
class _Buffer:
    chars: list[str]
    starts: list[int]
    ends: list[int]

    @classmethod
    def empty(cls) -> _Buffer:
        return cls([], [], [])

    def add(self, text: str, starts: Sequence[int], ends: Sequence[int]) -> None:
        self.chars.append(text)
        self.starts.extend(starts)
        self.ends.extend(ends)

    def text(self) -> str:
        return "".join(self.chars)


@dataclass
class _TableCell:
    buf: _Buffer
    rowspan: int
    colspan: int
    pos: int


@dataclass
class _Table:
    rows: list[list[_TableCell]]
    skipped: bool
    pos: int
    nested: bool = False
    cell: _TableCell | None = None
    row_open: bool = False


def _span_attr(attrs: list[tuple[str, str | None]], name: str) -> int:
    for k, v in attrs:
        if k == name and v:
            digits = "".join(ch for ch in v if ch.isdigit())[:3]
            return max(1, min(int(digits), 500)) if digits else 1
    return 1


class _TextWalker(HTMLParser):
    """Visible text with an offset map. Data tables come out a row per line, cells joined
    by " | " (a merged cell's later rows hold DITTO), so a task table keeps its rows;
    layout tables (nested tables, page-long cells) come out a block per cell."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.line_starts = [0]
        for i, ch in enumerate(source):
            if ch == "\n":
                self.line_starts.append(i + 1)
        self.root = _Buffer.empty()
        self.tables: list[_Table] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, skipping)
        self.skip_depth = 0

    @property
    def out(self) -> list[str]:
        return self.root.chars

    @property
    def starts(self) -> list[int]:
        return self.root.starts

    @property
    def ends(self) -> list[int]:
        return self.root.ends

    def _sink(self) -> _Buffer:
        for table in reversed(self.tables):
            if table.skipped:
                continue
            return table.cell.buf if table.cell is not None else _Buffer.empty()
        return self.root

    def _pos(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def _emit(self, text: str, start: int, exact: bool) -> None:
        if self.skip_depth:
            return
        sink = self._sink()
        if exact:
            sink.add(text, range(start, start + len(text)), range(start + 1, start + len(text) + 1))
        else:
            end = self._pos_after_entity(start)
            sink.add(text, [start] * len(text), [end] * len(text))

    def _pos_after_entity(self, start: int) -> int:
        semi = self.source.find(";", start, start + 12)
        return semi + 1 if semi != -1 else start + 1

    def _newline(self) -> None:
        if not self.skip_depth:
            pos = self._pos()
            self._sink().add("\n", [pos], [pos])

    # -- tables ------------------------------------------------------------------------

    def _open_table(self) -> None:
        for outer in reversed(self.tables):
            if outer.cell is not None:
                outer.nested = True
                break
        self.tables.append(_Table([], skipped=bool(self.skip_depth), pos=self._pos()))

    def _open_cell(self, attrs: list[tuple[str, str | None]]) -> None:
        table = self.tables[-1]
        self._close_cell(table)
        if not table.row_open:
            table.rows.append([])
            table.row_open = True
        table.cell = _TableCell(_Buffer.empty(), _span_attr(attrs, "rowspan"), _span_attr(attrs, "colspan"),
                                self._pos())

    def _close_cell(self, table: _Table) -> None:
        if table.cell is not None:
            table.rows[-1].append(table.cell)
            table.cell = None

    def _close_row(self, table: _Table) -> None:
        self._close_cell(table)
        table.row_open = False

    def _close_table(self) -> None:
        table = self.tables.pop()
        self._close_row(table)
        if table.skipped or self.skip_depth:
            return
        sink = self._sink()
        sink.add("\n", [table.pos], [table.pos])
        if self._is_data(table):
            _render_grid(table.rows, sink)
        else:
            last = table.pos
            for row in table.rows:
                for cell in row:
                    sink.add(cell.buf.text(), cell.buf.starts, cell.buf.ends)
                    last = max([last, cell.pos, *cell.buf.ends[-1:]])
                    sink.add("\n", [last], [last])
        pos = self._pos()
        sink.add("\n", [pos], [pos])

    @staticmethod
    def _is_data(table: _Table) -> bool:
        if table.nested or sum(len(r) >= 2 for r in table.rows) < 2:
            return False
        return all(len(c.buf.text()) <= _LAYOUT_CELL_CHARS for r in table.rows for c in r)

    # -- parser events -----------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._open_table()
        elif tag == "tr" and self.tables:
            self._close_row(self.tables[-1])
        elif tag in _CELL and self.tables:
            self._open_cell(attrs)
            return
        if tag in _BLOCK:
            self._newline()
        if tag in _VOID:
            return
        marker = " ".join(v or "" for k, v in attrs if k in ("class", "id", "role")).lower()
        skipping = tag in _SKIP or any(m in marker for m in _JUNK_MARKERS)
        if skipping:
            self.skip_depth += 1
        self.stack.append((tag, skipping))

    def handle_endtag(self, tag: str) -> None:
        if tag in _CELL and self.tables:
            self._close_cell(self.tables[-1])
            return
        if tag == "tr" and self.tables:
            self._close_row(self.tables[-1])
            return
        # Pop to the matching tag; real pages leave tags unclosed.
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                for _, skipping in self.stack[i:]:
                    if skipping:
                        self.skip_depth -= 1
                del self.stack[i:]
                break
        if tag == "table" and self.tables:
            self._close_table()
        elif tag in _BLOCK:
            self._newline()

    def handle_data(self, data: str) -> None:
        self._emit(data, self._pos(), exact=True)

    def handle_entityref(self, name: str) -> None:
        self._emit(unescape(f"&{name};"), self._pos(), exact=False)

    def handle_charref(self, name: str) -> None:
        self._emit(unescape(f"&#{name};"), self._pos(), exact=False)

    def close(self) -> None:
        super().close()
        while self.tables:  # a page cut off inside a table
            self._close_table()


def _render_grid(rows: list[list[_TableCell]], sink: _Buffer) -> None:
    """One line per row: cells joined by " | ", line breaks inside a cell as spaces, a
    merged cell's later rows as DITTO, the other columns of a colspan as empty cells, a row
    of one cell (a group heading) as plain text. Characters the rendering adds map to an
    empty span at the last offset before them."""
    last = [sink.ends[-1] if sink.ends else 0]

    def synthetic(text: str) -> None:
        sink.add(text, [last[0]] * len(text), [last[0]] * len(text))

    pending: dict[int, int] = {}  # column -> rows it is still merged into
    for row in rows:
        pieces = _row_pieces(row, pending)
        filled = [p for p in pieces if isinstance(p, _TableCell) and p.buf.text().strip()]
        if len(row) == 1 and len(filled) == 1 and all(p == "" or p is row[0] for p in pieces):
            _add_cell(row[0], sink, last)  # 一、扩大优质教育资源供给 across the whole table
            synthetic("\n")
            continue
        if not filled:
            continue
        for i, piece in enumerate(pieces):
            if i:
                synthetic(" | ")
            if isinstance(piece, str):
                synthetic(piece)
            else:
                _add_cell(piece, sink, last)
        synthetic("\n")


def _row_pieces(row: list[_TableCell], pending: dict[int, int]) -> list[_TableCell | str]:
    """A row's cells in column order: its own cells, DITTO where a cell above is merged
    into this row, "" for a colspan's other columns. Updates `pending`."""
    pieces: list[_TableCell | str] = []
    col = 0

    def merged_from_above(col: int) -> int:
        while pending.get(col, 0) > 0:
            pieces.append(DITTO)
            pending[col] -= 1
            col += 1
        return col

    for cell in row:
        col = merged_from_above(col)
        pieces.append(cell)
        pieces.extend("" for _ in range(cell.colspan - 1))
        if cell.rowspan > 1:
            for c in range(col, col + cell.colspan):
                pending[c] = cell.rowspan - 1
        col += cell.colspan
    for c in sorted(k for k, v in pending.items() if v > 0 and k >= col):
        pieces.extend("" for _ in range(c - col))
        col = merged_from_above(c)
    return pieces


def _add_cell(cell: _TableCell, sink: _Buffer, last: list[int]) -> None:
    text = cell.buf.text().replace("\n", " ")
    sink.add(text, cell.buf.starts, cell.buf.ends)
    if cell.buf.ends:
        last[0] = max(last[0], cell.buf.ends[-1])


def html_to_text(source: str) -> tuple[str, list[int], list[int]]:
    """Visible text of an HTML page and, per character, its [start, end) in `source`."""
    walker = _TextWalker(source)
    walker.feed(source)
    walker.close()
    return "".join(walker.out), walker.starts, walker.ends

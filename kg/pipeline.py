"""One document through every stage: read -> normalize -> parse -> extract -> resolve.

Also where a document gets its identity (`sources`): the path of its file relative to the
folder given on the command line, without the suffix, so `kg build plans` names
plans/a.txt "a" and plans/2023/a.txt "2023/a". Two files that would share an id in one run
(a.txt beside a.html) keep it apart by their suffixes; what still collides (the same
relative path under two folders given) is skipped, visibly. File names that are not UTF-8
keep their bytes as \\xNN escapes, so any name gives a printable, IRI-safe id.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePosixPath

from kg import extract as extraction
from kg import rules
from kg.layout import analyse
from kg.model import Document, Notice
from kg.normalize import normalize
from kg.parse import parse
from kg.read import ReadError, discover, html_to_text, read_file
from kg.resolve import resolve

MARKDOWN_SUFFIXES = (".md", ".markdown")


def process_text(source: str, name: str = "<text>", path: str = "", encoding: str = "utf-8",
                 is_html: bool = False, is_markdown: bool = False) -> Document:
    if is_html:
        visible, starts, ends = html_to_text(source)
        norm = normalize(source, visible, starts, ends)
    else:
        norm = normalize(source, markdown=is_markdown)
    doc = Document(name, path or name, source, norm.text, norm.starts, norm.ends, encoding)
    doc.warnings.extend(norm.notices)
    parse(doc)
    doc.layout = analyse(doc)
    extraction.extract(doc)
    resolve(doc)
    if not doc.measures and not doc.groups and not doc.indicators:
        doc.warnings.append(Notice("empty", "nothing to extract: no measures, groups or targets"))
    return doc


def printable(name: str | os.PathLike[str]) -> str:
    """A file name as text that can be printed, written as UTF-8 and put in an IRI: bytes
    that are not UTF-8 (os.fsdecode keeps them as lone surrogates) become \\xNN."""
    return os.fsencode(name).decode("utf-8", errors="backslashreplace")


class Skipped(ReadError):
    """A file left out on purpose (its document id is taken): counted apart from failures."""


@dataclass(frozen=True)
class Source:
    path: Path
    doc_id: str


# When two files of one folder share a stem, the first of these suffixes keeps the bare id.
_SUFFIX_RANK = (".txt", ".text", ".md", ".markdown", ".html", ".htm", ".shtml", ".xhtml")


def base_id(relative: str | os.PathLike[str]) -> str:
    """The id of a file from its path relative to the folder given: POSIX separators, no
    suffix ("2023/a.txt" -> "2023/a"); the bare stem for a file named on its own."""
    rel = PurePosixPath(printable(os.fspath(relative)).replace(os.sep, "/"))
    return str(rel.with_suffix("")) if rel.suffix and rel.stem else str(rel)


def _rank(path: Path) -> tuple[int, str]:
    suffix = path.suffix.lower()
    return (_SUFFIX_RANK.index(suffix) if suffix in _SUFFIX_RANK else len(_SUFFIX_RANK), path.suffix)


def sources(paths: Sequence[str | Path]) -> list[Source | ReadError]:
    """Every input file with its document id, or the ReadError saying why not, in input
    order. Ids are unique in the result: see the module docstring."""
    found: list[Source | ReadError] = []
    for raw in paths:
        root = Path(raw)
        for item in discover([root]):
            if isinstance(item, ReadError):
                found.append(item)
                continue
            rel = item.relative_to(root) if root.is_dir() else Path(item.name)
            found.append(Source(item, base_id(rel)))
    return _unique(found)


def _unique(found: list[Source | ReadError]) -> list[Source | ReadError]:
    groups: dict[str, list[Source]] = {}
    for s in found:
        if isinstance(s, Source):
            groups.setdefault(s.doc_id, []).append(s)
    renamed: dict[Path, str] = {}
    for doc_id, group in groups.items():
        if len(group) > 1:  # a.txt and a.html: the first suffix keeps "a", the others "a.html"
            best = min(group, key=lambda s: _rank(s.path))
            for s in group:
                if s is not best and s.path.suffix != best.path.suffix:
                    renamed[s.path] = doc_id + printable(s.path.suffix)
    taken: dict[str, Path] = {}
    out: list[Source | ReadError] = []
    for s in found:
        if isinstance(s, Source):
            doc_id = renamed.get(s.path, s.doc_id)
            first = taken.setdefault(doc_id, s.path)
            if first != s.path:
                out.append(Skipped(s.path, f"skipped, same document id {doc_id!r} as {printable(first)}"))
                continue
            s = Source(s.path, doc_id)
        out.append(s)
    return out


def process_file(path: str | Path, doc_id: str | None = None, ocr: bool | None = None) -> Document:
    """Raises ReadError (with a one-line reason) when the file cannot be read. `doc_id`
    defaults to the file's stem. `ocr`: OCR scanned pages and images (None: unless
    $KG_NO_OCR is set)."""
    decoded = read_file(path, ocr=ocr)
    if decoded.is_html and not decoded.source.strip():
        raise ReadError(path, "empty file")
    try:
        args = (decoded.source, printable(Path(path).name), printable(path), decoded.encoding,
                decoded.is_html, Path(path).suffix.lower() in MARKDOWN_SUFFIXES)
        if len(decoded.source) > ISOLATE_ABOVE and hasattr(os, "fork"):
            # a text this long runs in a child with a memory ceiling as well as the deadline:
            # past either it is reported, and the batch's own process never swells
            from kg.formats.isolate import run_limited

            memory = int(_limit("KG_FILE_MEMORY_LIMIT", FILE_MEMORY_LIMIT / 2**20) * 2**20)
            doc = run_limited(process_text, args, _limit("KG_FILE_TIME_LIMIT", FILE_TIME_LIMIT), memory,
                              str(path))
        else:
            with _time_limit(path):
                doc = process_text(*args)
        annotate = getattr(decoded, "annotate", None)  # kg.formats: page/sheet/cell on the spans
        if annotate is not None:
            annotate(doc)
    except RecursionError:
        raise ReadError(path, "document structure too deeply nested") from None
    doc.id = doc_id or base_id(Path(path).name)
    return doc


# Extraction of one file may take this long (seconds; $KG_FILE_TIME_LIMIT): past it the file
# is reported and skipped, so no single file stalls a batch. Reading has its own limits
# (kg/formats/isolate.py for PDF, OCR and office files).
FILE_TIME_LIMIT = 300.0
# A text longer than this (characters) is extracted in a forked child whose address space is
# capped at $KG_FILE_MEMORY_LIMIT MB: offsets into a text cost tens of bytes per character.
ISOLATE_ABOVE = 1_000_000
FILE_MEMORY_LIMIT = 4 * 2**30


def _limit(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name) or default)
    except ValueError:
        return default


class _OverTime(Exception):
    pass


@contextmanager
def _time_limit(path: str | Path) -> Iterator[None]:
    limit = _limit("KG_FILE_TIME_LIMIT", FILE_TIME_LIMIT)
    main = threading.current_thread() is threading.main_thread()
    if limit <= 0 or not hasattr(signal, "setitimer") or not main:
        yield  # signals reach the main thread only; elsewhere the file runs unlimited
        return

    def over(signum: int, frame: object) -> None:
        raise _OverTime

    previous = signal.signal(signal.SIGALRM, over)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        yield
    except _OverTime:
        raise ReadError(path, f"extraction took longer than the {limit:g} s limit per file "
                              "(KG_FILE_TIME_LIMIT)") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _process_or_error(source: Source, ocr: bool | None = None) -> Document | ReadError:
    path = source.path
    try:
        return process_file(path, source.doc_id, ocr)
    except ReadError as e:
        return e
    except Exception as e:  # a bug must cost one document, never the batch
        return ReadError(path, f"internal error while processing ({type(e).__name__}: {e})")


def iter_documents(paths: Sequence[str | Path], on_error: Callable[[ReadError], None],
                   workers: int = 1, found: list[Source | ReadError] | None = None,
                   ocr: bool | None = None) -> Iterator[Document]:
    """Documents in input order; each unreadable file goes to `on_error` and the rest go
    on. With workers > 1, extraction runs in that many processes (results keep the input
    order, so whoever writes them stays a single writer). `found`: `sources(paths)`, when
    the caller has it already. `ocr`: see process_file."""
    rules.check()  # a broken loaders file stops the batch before any document, in one line
    items = sources(paths) if found is None else found
    if workers <= 1:
        results: Iterator[Document | ReadError] = (
            item if isinstance(item, ReadError) else _process_or_error(item, ocr) for item in items
        )
        yield from _route(results, on_error)
        return
    import multiprocessing as mp

    ctx = mp.get_context("forkserver")
    with ctx.Pool(workers) as pool:
        files = [p for p in items if isinstance(p, Source)]
        for err in (p for p in items if isinstance(p, ReadError)):
            on_error(err)
        work = partial(_process_or_error, ocr=ocr)  # a partial of a module function pickles
        yield from _route(pool.imap(work, files, chunksize=4), on_error)


def _route(results: Iterator[Document | ReadError],
           on_error: Callable[[ReadError], None]) -> Iterator[Document]:
    for r in results:
        if isinstance(r, ReadError):
            on_error(r)
        else:
            yield r

"""One document through every stage: read -> normalize -> parse -> extract -> resolve."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

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


def process_file(path: str | Path) -> Document:
    """Raises ReadError (with a one-line reason) when the file cannot be read."""
    decoded = read_file(path)
    if decoded.is_html and not decoded.source.strip():
        raise ReadError(path, "empty file")
    try:
        doc = process_text(decoded.source, Path(path).name, str(path), decoded.encoding,
                           decoded.is_html, Path(path).suffix.lower() in MARKDOWN_SUFFIXES)
        annotate = getattr(decoded, "annotate", None)  # kg.formats: page/sheet/cell on the spans
        if annotate is not None:
            annotate(doc)
        return doc
    except RecursionError:
        raise ReadError(path, "document structure too deeply nested") from None


def _process_or_error(path: Path) -> Document | ReadError:
    try:
        return process_file(path)
    except ReadError as e:
        return e
    except Exception as e:  # a bug must cost one document, never the batch
        return ReadError(path, f"internal error while processing ({type(e).__name__}: {e})")


def iter_documents(paths: Sequence[str | Path], on_error: Callable[[ReadError], None],
                   workers: int = 1) -> Iterator[Document]:
    """Documents in input order; each unreadable file goes to `on_error` and the rest go
    on. With workers > 1, extraction runs in that many processes (results keep the input
    order, so whoever writes them stays a single writer)."""
    rules.check()  # a broken loaders file stops the batch before any document, in one line
    items = discover(paths)
    if workers <= 1:
        results: Iterator[Document | ReadError] = (
            item if isinstance(item, ReadError) else _process_or_error(item) for item in items
        )
        yield from _route(results, on_error)
        return
    import multiprocessing as mp

    ctx = mp.get_context("forkserver")
    with ctx.Pool(workers) as pool:
        found = list(items)
        files = [p for p in found if isinstance(p, Path)]
        for err in (p for p in found if isinstance(p, ReadError)):
            on_error(err)
        yield from _route(pool.imap(_process_or_error, files, chunksize=4), on_error)


def _route(results: Iterator[Document | ReadError],
           on_error: Callable[[ReadError], None]) -> Iterator[Document]:
    for r in results:
        if isinstance(r, ReadError):
            on_error(r)
        else:
            yield r

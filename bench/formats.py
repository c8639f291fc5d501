"""Pages per second of the kg/formats readers, on the committed renderings of the seeds
(tests/data/formats: five PDFs of 5–9 pages, the same five as DOCX) and one scanned page.

    .venv/bin/python bench/formats.py          # or: bench/run.py --only formats

PDF text: `kg.formats.pdf.read` (pdfplumber: text, tables, layout rules) against the raw
text of PDFium (`pypdfium2`, no tables, no layout), the library it was chosen over.
DOCX: `kg.formats.docx.read`; a DOCX has no pages, so its pages are those of the PDF that
LibreOffice rendered from the same file. OCR: one 150 dpi scan, Tesseract chi_sim, one
thread. Each figure is the best of 3 runs (the machine is shared); the readers run
in-process here, and `read_document`'s fork per file is shown apart.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "formats"
Row = tuple[str, str, str]


def _best(fn: Callable[[], Any], runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def _pages(pdfs: list[Path]) -> int:
    import pypdfium2 as pdfium

    return sum(len(pdfium.PdfDocument(str(p))) for p in pdfs)


def rows() -> list[Row]:
    import shutil

    import pypdfium2 as pdfium

    from kg.formats import docx, pdf, read_document

    pdfs = sorted(DATA.glob("0*.pdf"))
    docxs = sorted(DATA.glob("0*.docx"))
    pages = _pages(pdfs)
    out: list[Row] = []

    secs = _best(lambda: [pdf.read(str(p)) for p in pdfs])
    out.append(("PDF text, kg (pdfplumber)", f"{pages / secs:,.0f} pages/s",
                f"{len(pdfs)} files, {pages} pages, text + tables + header/footer + line joining"))

    def pdfium_text() -> None:
        for p in pdfs:
            doc = pdfium.PdfDocument(str(p))
            for i in range(len(doc)):
                doc[i].get_textpage().get_text_bounded()

    raw = _best(pdfium_text)
    out.append(("PDF text, PDFium raw text", f"{pages / raw:,.0f} pages/s",
                f"{secs / raw:.0f}x faster, but no tables and spaces between Chinese and digits"))

    secs = _best(lambda: [docx.read(str(p)) for p in docxs])
    out.append(("DOCX, kg (python-docx)", f"{pages / secs:,.0f} pages/s",
                f"{len(docxs)} files, {pages} pages as rendered to PDF"))

    first = pdfs[0]
    fork = _best(lambda: read_document(first)) - _best(lambda: pdf.read(str(first)))
    out.append(("read_document overhead (fork, limits)", f"{max(fork, 0) * 1000:.0f} ms/file", first.name))

    if shutil.which("tesseract"):
        secs = _best(lambda: pdf.read(str(DATA / "scanned.pdf")), runs=2)
        out.append(("OCR, Tesseract chi_sim, 1 thread", f"{1 / secs:.2f} pages/s",
                    f"{secs:.1f} s per page (150 dpi scan rendered at {pdf.OCR_DPI} dpi)"))
    else:
        out.append(("OCR", "skipped", "tesseract not installed (scripts/install-formats)"))
    return out


def bench_formats(ctx: object) -> dict[str, list[Row]]:
    return {"File formats (kg/formats)": rows()}


if __name__ == "__main__":
    for row in rows():
        print("  ".join(f"{c:<40}" if i < 2 else c for i, c in enumerate(row)))

"""Scans -> text with Tesseract (simplified Chinese, whose model reads digits and Latin too), for
layer and for images (.png .jpg .tif; each frame of a TIFF a page).

Tesseract runs as a subprocess (`tesseract - - tsv`), one thread (OMP_THREAD_LIMIT=1: a
batch runs several files at once), with a timeout per page. Its TSV gives each word a box
and a confidence; words become lines (Chinese joined without the spaces Tesseract puts
between characters), and the lines go through the PDF reader's layout rules, so a scan's
wrapped lines and page numbers are handled like a text PDF's. The page's mean confidence
(over words, weighted by length) goes in the record's notice.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from io import BytesIO
from typing import Any

from kg.formats import Extracted
from kg.read import ReadError

LANGS = "chi_sim"  # its Latin letters and digits suffice; +eng reads noise as English words
PAGE_TIMEOUT = 90  # seconds for one page
MAX_FRAMES = 50  # pages of a multi-page TIFF
MAX_PIXELS = 60_000_000  # an image larger than this (a 300 dpi A0 poster) is not a plan page


def tesseract() -> str:
    exe = shutil.which("tesseract")
    if exe is None:
        raise ReadError("", "OCR needs Tesseract, which is not installed "
                            "(apt-get install tesseract-ocr tesseract-ocr-chi-sim)")
    return exe


def _cjk(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


def ocr_image(image: Any, scale: float = 1.0) -> tuple[list[Any], float]:
    """OCR one PIL image: its lines (pdf.Line, coordinates divided by `scale` so they are in
    PDF points for a rendered page) and the mean confidence (0-100)."""
    from PIL import ImageFilter

    from kg.formats.pdf import Line

    exe = tesseract()
    buf = BytesIO()
    # a 3x3 median removes a scanner's speckles, which Tesseract otherwise reads as strokes
    image.convert("L").filter(ImageFilter.MedianFilter(3)).save(buf, "PNG")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        proc = subprocess.run([exe, "-", "-", "-l", LANGS, "--psm", "3", "tsv"], input=buf.getvalue(),
                              capture_output=True, timeout=PAGE_TIMEOUT, env=env, check=False)
    except subprocess.TimeoutExpired:
        raise ReadError("", f"OCR of a page took longer than {PAGE_TIMEOUT} s") from None
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        hint = " (is tesseract-ocr-chi-sim installed?)" if any("chi_sim" in e for e in err) else ""
        raise ReadError("", f"Tesseract failed{hint}: {err[-1][:120] if err else proc.returncode}")
    lines: dict[tuple[int, int, int], list[tuple[str, int, int, int, int, float]]] = {}
    for row in proc.stdout.decode("utf-8", "replace").splitlines()[1:]:
        f = row.split("\t")
        if len(f) < 12 or f[0] != "5" or not f[11].strip():
            continue
        key = (int(f[2]), int(f[3]), int(f[4]))  # block, paragraph, line
        x, y, w, h = (int(v) for v in f[6:10])
        lines.setdefault(key, []).append((f[11].strip(), x, y, w, h, float(f[10])))
    out: list[Line] = []
    total = weight = 0.0
    for words in lines.values():
        text = ""
        for word, *_ in words:
            if text and not (_cjk(text[-1]) or _cjk(word[0])):
                text += " "
            text += word
        for word, *_, conf in words:
            if conf >= 0:
                total += conf * len(word)
                weight += len(word)
        x0 = min(w[1] for w in words) / scale
        x1 = max(w[1] + w[3] for w in words) / scale
        top = min(w[2] for w in words) / scale
        bottom = max(w[2] + w[4] for w in words) / scale
        out.append(Line(text, x0, x1, top, bottom))
    out.sort(key=lambda ln: (ln.top, ln.x0))
    return out, (total / weight if weight else 0.0)


def ocr_pdf_page(page: Any, dpi: int) -> tuple[list[Any], float]:
    """A PDF page (pypdfium2) rendered at `dpi` and read by OCR."""
    tesseract()  # a missing Tesseract is one clear reason before any rendering
    scale = dpi / 72
    image = page.render(scale=scale, grayscale=True).to_pil()
    return ocr_image(image, scale)


def read_image(path: str) -> Extracted:
    from PIL import Image, UnidentifiedImageError

    from kg.formats.pdf import Page, assemble, ocr_notice

    tesseract()
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow refuses decompression bombs above this
    try:
        img = Image.open(path)
        pages: list[Page] = []
        for i in range(min(getattr(img, "n_frames", 1), MAX_FRAMES)):
            img.seek(i)
            frame = img.convert("L")
            lines, conf = ocr_image(frame)
            page = Page(i + 1, float(frame.width), float(frame.height), list(lines), conf)
            pages.append(page)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as e:
        raise ReadError(path, f"unreadable image ({str(e)[:120]})") from None
    out = assemble(pages)
    return Extracted(path, out.text(), "image+ocr", False, locations=out.map,
                     notices=[ocr_notice(pages, len(pages))], pages=len(pages))

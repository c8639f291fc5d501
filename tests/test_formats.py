"""kg/formats: PDF (text layer and scanned), Word (.docx, .doc), Excel (.xlsx, .xls) read into
the text the extractors know, with page/sheet/cell on every span.

The files under tests/data/formats/ were made by real producers (generate.py there: python-docx,
openpyxl, LibreOffice headless, a 150 dpi noisy raster for the scan). The seeds' renderings are
scored with the shared scorer against the seeds' gold, like their text versions; the task table
(made up) must give the same measures, units and targets in every format as in text. OCR runs
on one page per test, at most three pages in this file.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from kg import formats
from kg.formats import Cell, Extracted, Location, LocationMap, TextBuilder, add_table, read_document
from kg.formats.docx import chinese, format_number
from kg.formats.xlsx import column_letter, format_value, sheet_rows
from kg.model import Document, Span
from kg.pipeline import process_file
from kg.rdf import document_quads
from kg.read import FORMAT_SUFFIXES, ReadError, read_file
from tests.conftest import GOLD, SEEDS
from tests.test_quality import FACETS, extract, score

DATA = Path(__file__).resolve().parent / "data" / "formats"
KG = Path(sys.executable).with_name("kg")
needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None,
                                     reason="Tesseract not installed (scripts/install-formats)")
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                   reason="LibreOffice not installed (scripts/install-formats)")


def _table_facts(doc: Document) -> list[tuple[str, tuple[tuple[str, str], ...], str | None]]:
    """The task table's rows as measures: title, (unit, role)s, deadline."""
    return [(m.title, tuple((u.name, u.role) for u in m.units), m.deadline)
            for m in doc.measures if "|" in m.span.text]


def _indicators(doc: Document) -> set[tuple[float, str, str]]:
    return {(i.value, i.unit, i.op) for i in doc.indicators}


# -- the record types --------------------------------------------------------------------


def test_location_map_gives_each_character_its_run() -> None:
    m = LocationMap()
    m.mark(0, Location(page=1))
    m.mark(5, Location(page=1))  # same place: no new run
    m.mark(9, Location(page=2))
    assert m.starts == [0, 9]
    assert m.at(8) == Location(page=1) and m.at(9) == Location(page=2) and m.at(500) == Location(page=2)
    span = m.locate(Span(10, 14, "五六七八"))
    assert (span.start, span.end, span.text) == (10, 14, "五六七八")
    assert (span.page, span.sheet, span.cell) == (2, None, None)


def test_spans_default_to_no_location() -> None:
    assert Span(0, 1, "一") == Span(0, 1, "一", None, None, None)


def test_a_table_renders_as_rows_with_headings_as_plain_lines() -> None:
    out = TextBuilder()
    loc = [Location(sheet="表1", cell=c) for c in ("A1", "A2", "B2", "C2")]
    add_table(out, [
        [Cell("（一）完善经费保障", loc[0]), Cell("", loc[0]), Cell("", loc[0])],  # merged across
        [Cell("1", loc[1]), Cell("落实生均\n公用经费", loc[2]), Cell("区财政局", loc[3])],
        [Cell(""), Cell(""), Cell("")],  # empty rows are left out
        [Cell("2", loc[1]), Cell("Open\nData", loc[2]), Cell("", loc[3])],
    ])
    assert out.text() == "（一）完善经费保障\n1 | 落实生均公用经费 | 区财政局\n2 | Open Data | \n"
    text = out.text()
    assert out.map.at(text.index("区财政局")).cell == "C2"
    assert out.map.at(text.index("公用")).cell == "B2"


def test_sheet_rows_fill_merged_down_and_leave_merged_across_empty() -> None:
    grid = {(1, 1): "东湖镇重点任务清单", (2, 1): "序号", (2, 2): "任务", (2, 3): "责任单位",
            (3, 1): "1", (3, 2): "改造旱厕", (3, 3): "镇农办", (4, 1): "2", (4, 2): "建设书屋", (5, 1): "3"}
    rows = sheet_rows("清单", grid, [(1, 1, 1, 3), (3, 3, 4, 3)])
    texts = [[c.text for c in r] for r in rows]
    assert texts[0] == ["东湖镇重点任务清单", "", ""]
    assert texts[3] == ["2", "建设书屋", "镇农办"]  # C3:C4 merged: filled, pointing at C3
    assert rows[3][2].loc == Location(sheet="清单", cell="C3")
    assert texts[4] == ["3", "", ""]


@pytest.mark.parametrize(("value", "fmt", "shown"), [
    (None, "General", ""), (1620.0, "General", "1620"), (0.15, "0%", "15%"), (3.25, "0.00", "3.25"),
    (True, "General", "是"), ("  县委编办 ", "@", "县委编办"),
])
def test_cell_values_show_as_in_the_sheet(value, fmt, shown) -> None:
    assert format_value(value, fmt) == shown


def test_dates_and_column_letters() -> None:
    import datetime as dt

    assert format_value(dt.datetime(2025, 6, 30), "General") == "2025-06-30"
    assert format_value(dt.datetime(2025, 6, 30), 'yyyy"年"m"月"d"日"') == "2025年6月30日"
    assert [column_letter(c) for c in (1, 26, 27, 703)] == ["A", "Z", "AA", "AAA"]


def test_word_numbering_formats() -> None:
    assert [chinese(n) for n in (1, 10, 12, 20, 35, 105)] == \
        ["一", "十", "十二", "二十", "三十五", "一百零五"]
    assert format_number(3, "taiwaneseCountingThousand") == "三"
    assert format_number(4, "decimalEnclosedCircle") == "④"
    assert format_number(2, "upperLetter") == "B" and format_number(9, "lowerRoman") == "ix"


def test_read_and_formats_agree_on_the_suffixes() -> None:
    assert formats.SUFFIXES == FORMAT_SUFFIXES


# -- seeds rendered to PDF and DOCX score like their text --------------------------------


@pytest.fixture(scope="module")
def text_scores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, float]:
    out = tmp_path_factory.mktemp("text")
    extract(SEEDS, out)
    return {f: v[2] for f, v in score(GOLD, out)["overall"].items() if f in FACETS}


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
@pytest.mark.needs_shared
def test_seed_renderings_score_within_002_of_the_text(suffix: str, text_scores, tmp_path: Path) -> None:
    if not GOLD.exists():
        pytest.fail(f"gold annotations are missing: {GOLD}")
    inputs = tmp_path / "in"
    inputs.mkdir()
    for f in DATA.glob(f"0*{suffix}"):
        shutil.copy(f, inputs)
    assert len(list(inputs.iterdir())) == 5
    extract(inputs, tmp_path / "out")
    scores = {f: v[2] for f, v in score(GOLD, tmp_path / "out")["overall"].items() if f in FACETS}
    worse = {f: (round(scores[f], 3), round(text_scores[f], 3)) for f in FACETS
             if scores[f] < text_scores[f] - 0.02}
    assert worse == {}


def test_pdf_spans_point_at_the_page_that_shows_them() -> None:
    import pypdfium2 as pdfium

    path = DATA / "001_d379218f4a7fcaf3.pdf"
    doc = process_file(path)
    pdf = pdfium.PdfDocument(str(path))
    pages = [re.sub(r"\s+", "", pdf[i].get_textpage().get_text_bounded()) for i in range(len(pdf))]
    assert len(doc.measures) >= 10
    for m in doc.measures:
        assert m.span.page is not None
        start = re.sub(r"\s+", "", m.span.text)[:8]
        assert start in pages[m.span.page - 1], (m.span.page, start)
    assert {m.span.page for m in doc.measures} >= {1, 2, 3}
    assert doc.encoding == "pdf"


def test_pdf_drops_running_header_and_page_numbers_and_joins_wrapped_lines() -> None:
    text = read_document(DATA / "001_d379218f4a7fcaf3.pdf").source
    assert "教育督导工作文件" not in text  # the running header of every page
    assert not re.search(r"第\s*\d+\s*页", text)
    # a sentence wrapped at the end of page 1 continues on page 2 as one line
    assert "对全区公民办幼儿园教职工“五险一金”缴纳情况" in text
    seed = (SEEDS / "001_d379218f4a7fcaf3.txt").read_text(encoding="utf-8")
    lines = [ln for ln in seed.splitlines() if ln.strip()]
    assert sum(ln.strip() in text.splitlines() for ln in lines) >= 0.95 * len(lines)


# -- the task table in every format --------------------------------------------------------


@pytest.fixture(scope="module")
def task_text_doc() -> Document:
    return process_file(DATA / "task_table.txt")


@pytest.mark.parametrize("name", ["task_table.docx", "task_table.pdf", "task_table.xlsx",
                                  pytest.param("task_table.xls"),
                                  pytest.param("task_table.doc", marks=needs_soffice)])
def test_task_table_gives_the_same_measures_units_and_targets(name: str, task_text_doc: Document) -> None:
    doc = process_file(DATA / name)
    expected = _table_facts(task_text_doc)
    assert len(expected) == 5
    assert _table_facts(doc) == expected
    if name.endswith((".xlsx", ".xls")):  # the sheet holds the table only, not the intro's targets
        assert _indicators(doc) <= _indicators(task_text_doc) and len(_indicators(doc)) >= 3
    else:
        assert _indicators(doc) == _indicators(task_text_doc)


@pytest.mark.parametrize("name", ["task_table.xlsx", "task_table.xls"])
def test_spreadsheet_spans_carry_sheet_and_cell(name: str) -> None:
    doc = process_file(DATA / name)
    target = next(i for i in doc.indicators if i.value == 1620)
    assert (target.span.sheet, target.span.cell, target.span.text) == ("任务分解表", "B4", "1620个")
    second = next(m for m in doc.measures if m.title.startswith("改扩建城关镇"))
    lead = next(u for u in second.units if u.role == "lead")
    assert lead.name.endswith("教育和体育局")
    assert lead.span.cell == "C4"  # C4:C5 merged: the filled copy points at the cell that holds it
    support = [u for u in second.units if u.role == "support"]
    assert {u.span.cell for u in support} == {"D5"}
    # the second sheet (edit-locked with a password, not encrypted) is read too
    assert "完成时限以年度为单位填报" in doc.source


def test_docx_numbering_is_written_out() -> None:
    text = read_document(DATA / "task_table.docx").source
    assert "\n一、总体目标\n" in text and "\n二、重点任务\n" in text


def test_rdf_selector_gets_page_sheet_and_cell() -> None:
    pdf = document_quads(process_file(DATA / "task_table.pdf"))
    pages = [q for q in pdf if q.predicate.value.endswith("#page") or q.predicate.value.endswith("/page")]
    assert pages and all(q.object.value == "1" for q in pages)
    xlsx = document_quads(process_file(DATA / "task_table.xlsx"))
    cells = {q.object.value for q in xlsx if q.predicate.value.endswith(("#cell", "/cell"))}
    assert {"B4", "C4"} <= cells


# -- scans ---------------------------------------------------------------------------------


@needs_tesseract
def test_a_scanned_page_reads_close_to_its_text_layer(tmp_path: Path) -> None:
    """Page 1 a noisy 150 dpi scan, page 2 text: OCR runs on page 1 only, and the measures
    and units of both pages come out as from the text PDF's first two pages."""
    import pypdfium2 as pdfium

    text_pdf = pdfium.PdfDocument(str(DATA / "001_d379218f4a7fcaf3.pdf"))
    both = pdfium.PdfDocument.new()
    both.import_pages(text_pdf, [0, 1])
    both.save(str(tmp_path / "text.pdf"))
    mixed = pdfium.PdfDocument.new()
    mixed.import_pages(pdfium.PdfDocument(str(DATA / "scanned.pdf")), [0])
    mixed.import_pages(text_pdf, [1])
    mixed.save(str(tmp_path / "mixed.pdf"))
    ref, ocr = process_file(tmp_path / "text.pdf"), process_file(tmp_path / "mixed.pdf")
    notice = next(w for w in ocr.warnings if w.kind == "ocr")
    assert "1 of 2 page(s) (1)" in notice.message
    confidence = float(re.search(r"mean confidence (\d+)%", notice.message).group(1))
    assert confidence >= 60
    assert ocr.encoding == "pdf+ocr"
    m_f1, u_f1 = _measure_f1(ref, ocr)
    assert m_f1 >= 0.90 and u_f1 >= 0.90, (m_f1, u_f1)
    assert {m.span.page for m in ocr.measures} == {1, 2}


def _bigrams(s: str) -> set[str]:
    s = re.sub(r"\s", "", s)
    return {s[i:i + 2] for i in range(len(s) - 1)} or {s}


def _dice(a: str, b: str) -> float:
    x, y = _bigrams(a), _bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y))


def _measure_f1(ref: Document, got: Document) -> tuple[float, float]:
    """The scorer's pairing: titles matched by bigram Dice >= 0.5; then (title, unit) pairs."""
    pairs: list[tuple[int, int]] = []
    used: set[int] = set()
    for i, a in enumerate(ref.measures):
        best = max(((_dice(a.title, b.title), j) for j, b in enumerate(got.measures) if j not in used),
                   default=(0.0, -1))
        if best[0] >= 0.5:
            pairs.append((i, best[1]))
            used.add(best[1])

    def f1(tp: int, n_ref: int, n_got: int) -> float:
        return 2 * tp / (n_ref + n_got) if n_ref + n_got else 1.0

    ref_units = {(i, u.name) for i, m in enumerate(ref.measures) for u in m.units}
    match = dict(pairs)
    got_units = {(j, u.name) for j, m in enumerate(got.measures) for u in m.units}
    tp_units = sum((match[i], name) in got_units for i, name in ref_units if i in match)
    return f1(len(pairs), len(ref.measures), len(got.measures)), f1(tp_units, len(ref_units), len(got_units))


@needs_tesseract
def test_an_image_is_read_by_ocr(tmp_path: Path) -> None:
    """The top of the task table's page as a 150 dpi PNG (the title and the first heading)."""
    import pypdfium2 as pdfium

    page = pdfium.PdfDocument(str(DATA / "task_table.pdf"))[0]
    image = page.render(scale=150 / 72, grayscale=True).to_pil()
    image.crop((0, 0, image.width, image.height // 5)).save(tmp_path / "附件2.png")
    result = read_document(tmp_path / "附件2.png")
    assert result.encoding == "image+ocr" and result.notices[0].kind == "ocr"
    assert "推进义务教育优质均衡发展" in result.source and "总体目标" in result.source
    assert result.locations.at(0).page == 1
    with pytest.raises(ReadError, match="needs OCR, which is turned off"):
        read_document(tmp_path / "附件2.png", ocr=False)


def test_without_ocr_a_scan_is_one_clear_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ReadError, match=r"no text in the file \(OCR is off\)"):
        read_document(DATA / "scanned.pdf", ocr=False)
    monkeypatch.setenv("KG_NO_OCR", "1")
    with pytest.raises(ReadError, match="OCR is off"):
        read_file(DATA / "scanned.pdf")


def test_missing_tesseract_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.formats import ocr

    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)  # the forked reader inherits it
    with pytest.raises(ReadError) as err:
        read_document(DATA / "scanned.pdf")
    assert "OCR needs Tesseract, which is not installed" in err.value.reason
    assert "\n" not in str(err.value)


@needs_tesseract
def test_the_time_limit_stops_a_slow_file_and_its_tesseract() -> None:
    with pytest.raises(ReadError, match="longer than the 0 s limit"):
        read_document(DATA / "scanned.pdf", time_limit=0.3)


# -- files that cannot be read ---------------------------------------------------------------


def test_encrypted_files_are_refused_by_name() -> None:
    with pytest.raises(ReadError) as err:
        read_document(DATA / "encrypted.pdf")
    assert err.value.reason == "encrypted PDF (it needs a password to open)"
    with pytest.raises(ReadError) as err:
        read_document(DATA / "encrypted.xlsx")
    assert err.value.reason == "password-protected (encrypted) Excel file"


@pytest.mark.parametrize("name", ["task_table.docx", "task_table.xlsx"])
def test_a_truncated_zip_is_a_corrupt_file(name: str, tmp_path: Path) -> None:
    broken = tmp_path / name
    broken.write_bytes((DATA / name).read_bytes()[:3000])
    with pytest.raises(ReadError, match=r"corrupt \w+ file \(broken zip"):
        read_document(broken)


def test_bytes_that_are_no_pdf(tmp_path: Path) -> None:
    bad = tmp_path / "附件1.pdf"
    bad.write_bytes(b"%PDF-1.7\n" + os.urandom(2000))
    with pytest.raises(ReadError, match="corrupt PDF"):
        read_document(bad)
    (tmp_path / "empty.docx").write_bytes(b"")
    with pytest.raises(ReadError, match="empty file"):
        read_document(tmp_path / "empty.docx")


def test_too_many_pages(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    for _ in range(2001):
        pdf.new_page(595, 842)
    pdf.save(str(tmp_path / "dump.pdf"))
    with pytest.raises(ReadError, match="PDF has 2001 pages; the limit is 2000"):
        read_document(tmp_path / "dump.pdf")


def test_a_zip_bomb_is_refused_before_inflating(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(formats, "MAX_UNZIPPED", 10_000)
    with pytest.raises(ReadError, match="zip bomb"):
        read_document(DATA / "task_table.docx")


def test_a_pdf_bomb_stays_within_the_memory_limit(tmp_path: Path) -> None:
    """A content stream that inflates to 400 MB, read with a ceiling of what the process
    already maps plus 200 MB: one ReadError, the parent untouched."""
    stream = zlib.compress(b" " * (400 * 2**20), 9)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    (tmp_path / "bomb.pdf").write_bytes(bytes(out))
    vm = int(re.search(r"VmSize:\s+(\d+)", Path("/proc/self/status").read_text()).group(1)) * 1024
    with pytest.raises(ReadError) as err:
        read_document(tmp_path / "bomb.pdf", memory_limit=vm + 200 * 2**20)
    assert "memory limit" in err.value.reason


# -- one graph from a mixed folder --------------------------------------------------------------


@needs_tesseract
@needs_soffice
def test_build_a_folder_mixing_every_format(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("task_table.txt", "task_table.docx", "task_table.doc", "task_table.xlsx",
                 "task_table.xls", "task_table.pdf", "scanned.pdf", "004_7c068f91f998bae7.pdf"):
        stem, suffix = name.rsplit(".", 1)
        shutil.copy(DATA / name, folder / f"{stem}_{suffix}.{suffix}")  # one document id each
    (folder / "page.html").write_text("<html><body><p>一、加强教师队伍建设</p><p>(一)补充专任教师。"
                                      "由县教育局牵头。</p></body></html>", encoding="utf-8")
    store = tmp_path / "store"
    run = subprocess.run([str(KG), "build", str(folder), "--store", str(store)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    stats = subprocess.run([str(KG), "stats", "--store", str(store), "--format", "json"],
                           capture_output=True, text=True, timeout=120, check=True)
    counts = json.loads(stats.stdout)
    assert counts["documents"] == 9, counts
    assert counts["measures"] >= 6 * 5 + 10


def test_same_stem_as_pdf_and_docx_is_two_documents_and_two_records(tmp_path: Path) -> None:
    """plan.pdf and plan.docx side by side: two document ids (the suffix joins the id of the
    one ranked second), two graphs, two `kg extract` records, each with its own plan."""
    from kg.rdf import graph_iri
    from kg.store import open_store

    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(DATA / "001_d379218f4a7fcaf3.pdf", folder / "plan.pdf")
    shutil.copy(DATA / "002_2bfc97517521ba1c.docx", folder / "plan.docx")
    store = tmp_path / "store"
    run = subprocess.run([str(KG), "build", str(folder), "--store", str(store)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "2 read, 0 skipped, 0 failed" in run.stdout, run.stdout
    with open_store(store, read_only=True) as s:
        rows = s.sparql("SELECT ?g ?f WHERE { GRAPH ?g { ?d a pkg:PolicyDocument ; pkg:sourceFile ?f } }")
    assert {r["g"]: r["f"] for r in rows} == {graph_iri("plan"): "plan.docx",
                                              graph_iri("plan.pdf"): "plan.pdf"}
    out = tmp_path / "records"
    run = subprocess.run([str(KG), "extract", str(folder), "--out", str(out)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in out.iterdir()) == ["plan.json", "plan.pdf.json"]
    records = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in out.iterdir()}
    # each record is its own file's plan, not the other one written twice
    for name, seed in (("plan.json", "002"), ("plan.pdf.json", "001")):
        text = next(SEEDS.glob(f"{seed}_*.txt")).read_text(encoding="utf-8")
        assert records[name]["meta"]["title"] and records[name]["meta"]["title"][:8] in text, name
        assert records[name]["measures"], name
    assert records["plan.json"]["meta"]["title"] != records["plan.pdf.json"]["meta"]["title"]


def test_extracted_is_a_decoded() -> None:
    result = read_document(DATA / "task_table.xlsx")
    assert isinstance(result, Extracted) and result.pages == 2 and result.encoding == "xlsx"

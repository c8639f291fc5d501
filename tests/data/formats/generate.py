"""Makes the files under tests/data/formats/ with real producers: python-docx and openpyxl
write .docx/.xlsx, LibreOffice headless turns them into .pdf/.doc/.xls, pypdfium2 + Pillow
rasterise one PDF page into a noisy 150 dpi scan; msoffcrypto-tool encrypts one .xlsx.
Run it from the repository root:

    .venv/bin/python tests/data/formats/generate.py

The task table is made up (no real county or office): it exercises merged cells (a lead unit
merged down two rows, group headings merged across the table) and Word paragraph numbering.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import tempfile
from pathlib import Path

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
SEEDS = ("001_d379218f4a7fcaf3", "000_ae36dece8040c579", "002_2bfc97517521ba1c", "003_8755cb8e1d3ad9cb",
         "004_7c068f91f998bae7")
FONT = "WenQuanYi Micro Hei"

TITLE = "临江县推进义务教育优质均衡发展重点任务分解方案"
INTRO = [
    ("1", "总体目标"),
    (None, "到2026年，全县义务教育巩固率达到98%以上，县域义务教育优质均衡发展通过国家督导评估。"),
    ("1", "重点任务"),
    (None, "各牵头单位要按照下表明确的分工抓好落实，配合单位要积极支持。"),
]
CLOSING = "请各单位于每季度末报送进展情况。"
HEADER = ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]
# (group heading) or (serial, task, lead, support, deadline); lead None = merged with the row above
ROWS: list[tuple[str, ...]] = [
    ("（一）扩大优质教育资源供给",),
    ("1", "新建临江县第三小学，新增学位1620个", "县教育体育局", "县发展改革委、县自然资源局", "2025年底前"),
    ("2", "改扩建城关镇中心幼儿园，新增学位360个", None, "县财政局、城关镇人民政府", "2025年9月"),
    ("（二）加强教师队伍建设",),
    ("3", "补充公办幼儿园专任教师80名", "县委编办", "县教育体育局、县人力资源社会保障局", "2024年底前"),
    ("4", "落实义务教育教师平均工资收入不低于当地公务员平均工资收入水平", "县财政局", "县教育体育局",
     "长期坚持"),
    ("5", "建立校长教师交流轮岗制度，每年交流比例不低于15%", "县教育体育局", "县委组织部", "2024年12月"),
]


def table_rows() -> list[list[str]]:
    """The table as the text version has it: merged cells filled."""
    out, lead = [HEADER], ""
    for row in ROWS:
        if len(row) == 1:
            out.append([row[0]])
            continue
        lead = row[2] or lead
        out.append([row[0], row[1], lead, row[3], row[4]])
    return out


def task_text() -> str:
    nums = iter("一二三四五")
    lines = [TITLE, ""]
    for numbered, text in INTRO:
        lines.append(f"{next(nums)}、{text}" if numbered else text)
    lines += [" | ".join(r) for r in table_rows()]
    lines.append(CLOSING)
    return "\n".join(lines) + "\n"


def _font(doc) -> None:
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)


def _page_furniture(doc, header: str) -> None:
    """A running header and a '第 N 页' footer: what the PDF reader must drop."""
    section = doc.sections[0]
    section.header.paragraphs[0].text = header
    para = section.footer.paragraphs[0]
    para.add_run("第 ")
    run = para.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="{kind}"/>'))
        else:
            run._r.append(parse_xml(f'<w:instrText {nsdecls("w")} xml:space="preserve">{text}</w:instrText>'))
    para.add_run(" 页")


def _chinese_numbering(doc) -> int:
    """A numbering definition 一、 / （一） as Word and WPS users set it up; returns its numId."""
    numbering = doc.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum>')
    numbering.insert(0, abstract)
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    return 90


def _numbered(doc, text: str, num_id: int, level: int = 0) -> None:
    p = doc.add_paragraph(text)
    p._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def seed_docx(seed: str, out: Path) -> None:
    doc = Document()
    _font(doc)
    _page_furniture(doc, "教育督导工作文件")
    for line in (ROOT / "seeds" / f"{seed}.txt").read_text(encoding="utf-8").splitlines():
        if line.strip():
            doc.add_paragraph(line.strip())
    doc.save(out)


def task_docx(out: Path) -> None:
    doc = Document()
    _font(doc)
    _page_furniture(doc, "临江县教育体育局")
    num_id = _chinese_numbering(doc)
    doc.add_paragraph(TITLE)
    for numbered, text in INTRO:
        if numbered:
            _numbered(doc, text, num_id)
        else:
            doc.add_paragraph(text)
    table = doc.add_table(rows=len(ROWS) + 1, cols=len(HEADER))
    table.style = "Table Grid"
    for j, h in enumerate(HEADER):
        table.cell(0, j).text = h
    merge_from = None
    for i, row in enumerate(ROWS, start=1):
        if len(row) == 1:
            table.cell(i, 0).merge(table.cell(i, len(HEADER) - 1)).text = row[0]
            continue
        for j, value in enumerate(row):
            if value is not None:
                table.cell(i, j).text = value
        if row[2] is None and merge_from is not None:
            top = table.cell(merge_from, 2)
            text = top.text
            top.merge(table.cell(i, 2)).text = text
        else:
            merge_from = i
    doc.add_paragraph("")
    doc.add_paragraph(CLOSING)
    doc.save(out)


def task_xlsx(out: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "任务分解表"
    ws.append([TITLE])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    ws.append(HEADER)
    merge_from = None
    for row in ROWS:
        r = ws.max_row + 1
        if len(row) == 1:
            ws.cell(r, 1, row[0])
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(HEADER))
            continue
        for j, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(r, j, int(value) if j == 1 else value)
        if row[2] is None and merge_from is not None:
            ws.merge_cells(start_row=merge_from, start_column=3, end_row=r, end_column=3)
        else:
            merge_from = r
    for col, width in zip("ABCDE", (6, 40, 16, 30, 12), strict=True):
        ws.column_dimensions[col].width = width
        for cell in ws[col]:
            cell.alignment = Alignment(wrap_text=True, vertical="center")
    notes = wb.create_sheet("填表说明")
    notes.append(["说明"])
    notes.append(["完成时限以年度为单位填报。"])
    notes.protection.sheet = True  # locked against editing (not encrypted): still readable
    notes.protection.password = "lock"
    wb.save(out)


def soffice(src: Path, fmt: str, outdir: Path) -> Path:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", fmt, "--outdir", str(outdir), str(src)],
                       check=True, capture_output=True, timeout=180)
    return outdir / f"{src.stem}.{fmt.split(':')[0]}"


def encrypted(tmp: Path) -> None:
    """The same task table with a password to open: a PDF (LibreOffice's export filter) and
    an .xlsx (msoffcrypto-tool, as Excel encrypts; needed only here, not by kg)."""
    options = ('{"EncryptFile":{"type":"boolean","value":"true"},'
               '"DocumentOpenPassword":{"type":"string","value":"secret"}}')
    shutil.copy(soffice(HERE / "task_table.docx", f"pdf:writer_pdf_Export:{options}", tmp),
                HERE / "encrypted.pdf")
    from msoffcrypto.format.ooxml import OOXMLFile

    with (HERE / "task_table.xlsx").open("rb") as src, (HERE / "encrypted.xlsx").open("wb") as out:
        OOXMLFile(src).encrypt("secret", out)


def scan(pdf: Path, out: Path, page: int = 0, dpi: int = 150) -> None:
    """One page rasterised at `dpi`, turned a little, with salt-and-pepper noise and JPEG
    compression: a scanner's output, not a clean render."""
    import pypdfium2 as pdfium
    from PIL import Image

    doc = pdfium.PdfDocument(str(pdf))
    img = doc[page].render(scale=dpi / 72).to_pil().convert("L")
    img = img.rotate(0.4, resample=Image.BICUBIC, fillcolor=255)
    rng = random.Random(16)
    px = img.load()
    w, h = img.size
    for _ in range(w * h // 150):
        px[rng.randrange(w), rng.randrange(h)] = rng.choice((0, 90, 200))
    img.save(out, "PDF", resolution=dpi, quality=60)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        for seed in SEEDS:
            seed_docx(seed, HERE / f"{seed}.docx")
            shutil.copy(soffice(HERE / f"{seed}.docx", "pdf", tmp), HERE / f"{seed}.pdf")
        (HERE / "task_table.txt").write_text(task_text(), encoding="utf-8")
        task_docx(HERE / "task_table.docx")
        task_xlsx(HERE / "task_table.xlsx")
        for src, fmt in (("task_table.docx", "pdf"), ("task_table.docx", "doc"), ("task_table.xlsx", "xls")):
            shutil.copy(soffice(HERE / src, fmt, tmp), HERE / f"task_table.{fmt}")
        encrypted(tmp)
        scan(HERE / f"{SEEDS[0]}.pdf", HERE / "scanned.pdf")


if __name__ == "__main__":
    main()

"""Word .docx -> text with python-docx: paragraphs and tables in document order.

Automatic paragraph numbering (一、 （一） 1. ① set in Word's or WPS's list settings, not
typed) is computed from the numbering part and put in front of the paragraph, so the
section parser sees the same 一、总体要求 as in a typed document. Tables come out as
" | " rows: a cell merged across (gridSpan) leaves the other columns empty, a cell merged
down (vMerge) fills the rows below it. Headers, footers and text boxes are not body text.
"""

from __future__ import annotations

from typing import Any

from kg.formats import Cell, Extracted, TextBuilder, add_table, check_zip
from kg.read import ReadError

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CN_DIGITS = "零一二三四五六七八九"
_TRAD_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_HEAVENLY = "甲乙丙丁戊己庚辛壬癸"
_COUNTING = {"chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "taiwaneseCountingThousand",
             "japaneseCounting", "chineseLegalSimplified", "ideographLegalTraditional"}


def read(path: str) -> Extracted:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    check_zip(path, "Word")
    try:
        document = docx.Document(path)
    except (PackageNotFoundError, KeyError, ValueError) as e:
        raise ReadError(path, f"corrupt Word file (not a valid .docx: {str(e)[:100]})") from None
    numbers = Numbering(document)
    out = TextBuilder()
    _blocks(document.element.body, document, numbers, out)
    return Extracted(path, out.text(), "docx", False)


def _blocks(parent: Any, document: Any, numbers: Numbering, out: TextBuilder) -> None:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in parent.iterchildren():
        tag = child.tag
        if tag == f"{_W}p":
            para = Paragraph(child, document)
            text = para.text.strip()
            if text:
                out.line(numbers.label(child) + text)
        elif tag == f"{_W}tbl":
            add_table(out, _table_rows(Table(child, document), numbers))
        elif tag == f"{_W}sdt":  # a content control: its paragraphs are body text
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                _blocks(content, document, numbers, out)


def _table_rows(table: Any, numbers: Numbering) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for row in table.rows:
        tcs = [c._tc for c in row.cells]  # python-docx repeats a merged cell's tc
        cells: list[Cell] = []
        for k, tc in enumerate(tcs):
            if k and tc is tcs[k - 1]:
                cells.append(Cell(""))  # merged across: the first column holds it
            else:
                cells.append(Cell(_cell_text(tc, numbers)))  # own cell, or merged down: filled
        rows.append(cells)
    return rows


def _cell_text(tc: Any, numbers: Numbering) -> str:
    parts = []
    for p in tc.iter(f"{_W}p"):
        text = "".join(t.text or "" for t in p.iter(f"{_W}t"))
        if text.strip():
            parts.append(numbers.label(p) + text.strip())
    return "\n".join(parts)


class Numbering:
    """Word list numbering: the label (一、 / （二） / 3.) each numbered paragraph shows."""

    def __init__(self, document: Any) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # abstractNumId -> ilvl -> fmt
        self.num_abstract: dict[str, str] = {}
        self.overrides: dict[str, dict[int, int]] = {}
        self.counters: dict[str, list[int]] = {}
        self.started: set[str] = set()
        self.style_num: dict[str, tuple[str, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for an in root.iter(f"{_W}abstractNum"):
            levels: dict[int, tuple[str, str, int]] = {}
            for lvl in an.iter(f"{_W}lvl"):
                fmt = _val(lvl.find(f"{_W}numFmt")) or "decimal"
                text = _val(lvl.find(f"{_W}lvlText")) or ""
                start = int(_val(lvl.find(f"{_W}start")) or 1)
                levels[int(lvl.get(f"{_W}ilvl", "0"))] = (fmt, text, start)
            self.levels[an.get(f"{_W}abstractNumId", "")] = levels
        for num in root.iter(f"{_W}num"):
            nid = num.get(f"{_W}numId", "")
            self.num_abstract[nid] = _val(num.find(f"{_W}abstractNumId")) or ""
            for ov in num.iter(f"{_W}lvlOverride"):
                start = _val(ov.find(f"{_W}startOverride"))
                if start is not None:
                    self.overrides.setdefault(nid, {})[int(ov.get(f"{_W}ilvl", "0"))] = int(start)
        try:
            for style in document.styles.element.iter(f"{_W}style"):
                numpr = style.find(f"{_W}pPr/{_W}numPr")
                if numpr is not None:
                    nid = _val(numpr.find(f"{_W}numId"))
                    if nid:
                        ilvl = int(_val(numpr.find(f"{_W}ilvl")) or 0)
                        self.style_num[style.get(f"{_W}styleId", "")] = (nid, ilvl)
        except (KeyError, AttributeError):
            pass

    def label(self, p: Any) -> str:
        ppr = p.find(f"{_W}pPr")
        numpr = ppr.find(f"{_W}numPr") if ppr is not None else None
        nid, ilvl = None, 0
        if numpr is not None:
            nid = _val(numpr.find(f"{_W}numId"))
            ilvl = int(_val(numpr.find(f"{_W}ilvl")) or 0)
        elif ppr is not None:
            style = _val(ppr.find(f"{_W}pStyle"))
            if style in self.style_num:
                nid, ilvl = self.style_num[style]
        if not nid or nid == "0" or nid not in self.num_abstract:
            return ""
        aid = self.num_abstract[nid]
        levels = self.levels.get(aid, {})
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(aid, [0] * 10)
        if nid not in self.started:  # a list instance with a start override begins anew
            self.started.add(nid)
            for lv, start in self.overrides.get(nid, {}).items():
                if lv < 10:
                    counters[lv] = start - 1
        ilvl = min(ilvl, 9)
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else levels[ilvl][2]
        for deeper in range(ilvl + 1, 10):
            counters[deeper] = 0
        fmt, text, _ = levels[ilvl]
        if fmt in ("bullet", "none"):
            return ""
        for lv in range(ilvl, -1, -1):
            lv_fmt = levels.get(lv, ("decimal", "", 1))[0]
            value = counters[lv] or levels.get(lv, ("", "", 1))[2]
            text = text.replace(f"%{lv + 1}", format_number(value, lv_fmt))
        return text


def _val(el: Any) -> str | None:
    return el.get(f"{_W}val") if el is not None else None


def format_number(n: int, fmt: str) -> str:
    """Word's numFmt values as printed."""
    if fmt in _COUNTING:  # LibreOffice writes 一、 as taiwaneseCountingThousand
        return chinese(n, _TRAD_DIGITS if "Legal" in fmt else _CN_DIGITS)
    if fmt == "ideographTraditional" and 1 <= n <= 10:
        return _HEAVENLY[n - 1]
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[n - 1] if 1 <= n <= 20 else str(n)
    if fmt in ("lowerLetter", "upperLetter") and n >= 1:
        s = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return s.upper() if fmt == "upperLetter" else s
    if fmt in ("lowerRoman", "upperRoman") and n >= 1:
        s = _roman(n)
        return s.lower() if fmt == "lowerRoman" else s
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


def chinese(n: int, digits: str = _CN_DIGITS) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 105 -> 一百零五 (lists rarely pass 99)."""
    if n <= 0 or n >= 1000:
        return str(n)
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += digits[hundreds] + "百"
        if rest and tens == 0:
            out += digits[0]
    if tens:
        out += ("" if tens == 1 and not hundreds else digits[tens]) + "十"
    if ones:
        out += digits[ones]
    return out


def _roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                       (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += sym
            n -= value
    return out

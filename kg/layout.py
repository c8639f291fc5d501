"""The layout of a document: its lines as blocks of a kind, computed once after parsing.

Every line of the normalized text is one block:
- `heading`: a section heading (一、 / (一) / 第X章) that groups items;
- `item`: a numbered item or headed paragraph (1. / (1) / ① / 一是 / 实施…工程。);
- `table_header`, `table_row`: a task table's header and rows, whatever their flattening
  (`|` cells, one cell per line, tabs, spaces, box drawing), the row's cells by role;
- `field`: a labelled field `X:value` (牵头单位:…, 建设内容:…, 组长:…), with the role its
  label names (kg/columns.py);
- `prose`: any other line of the body;
- `junk`: the page around the text (navigation, portal metadata, share widgets, footers).
Extractors read the blocks instead of splitting the text again; `kg explain` prints them
with the facts each produced.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from kg import columns
from kg.extract import tables
from kg.model import Document, Section
from kg.parse import HEADED

KINDS = ("heading", "item", "table_header", "table_row", "field", "prose", "junk")

_FIELD = re.compile(r"^([\u4e00-\u9fff][\u4e00-\u9fff()]{1,11})\s*:\s*(\S.*)?$")
_JUNK = re.compile(
    r"^(?:首页|您(?:当前)?的位置|当前位置|字号|字体|【?打印|【?关闭|分享到|扫一扫|上一篇|下一篇|"
    r"浏览(?:次数|量)|点击(?:数|量)|发布时间|来源|作者|责任编辑|编辑|索引号|主题分类|发文机关|"
    r"成文日期|发布日期|版权所有|主办单位|网站标识码|.{0,12}公网安备|.{0,20}ICP备|\|$|政府信息公开$|"
    r"文章来源|信息来源|•)"
)
# before the text: a breadcrumb, a counter, a date line of the portal
_PORTAL = re.compile(r">|浏览|点击|字体|发表时间|发布时间|^.{0,6}$")


@dataclass
class Block:
    kind: str
    start: int  # normalized offsets of the line
    end: int
    text: str
    key: str = ""  # a heading's or item's number as printed
    level: int = 0  # its marker level (kg/parse.py)
    label: str = ""  # a field's label
    role: str | None = None  # the role a field's label names
    cells: list[tuple[str | None, str]] = field(default_factory=list)  # a table row: (role, text)
    table: int = -1  # which table a header or row belongs to


@dataclass
class Layout:
    blocks: list[Block]
    rows: list[tables.TableRow]  # every task-table row, cells by role

    def of_kind(self, kind: str) -> list[Block]:
        return [b for b in self.blocks if b.kind == kind]

    def at(self, start: int, end: int) -> list[Block]:
        """The blocks that overlap text[start:end]."""
        return [b for b in self.blocks if b.start < max(end, start + 1) and start < max(b.end, b.start + 1)]


def analyse(doc: Document) -> Layout:
    rows = tables.rows(doc)
    sections = {s.start: s for s in doc.sections_flat()}
    body = _body_range(doc)
    row_at: dict[int, tuple[int, tables.TableRow]] = {}
    table_no = -1
    previous_header: list[str | None] | None = None
    for row in rows:
        if row.header is not previous_header:
            table_no += 1
            previous_header = row.header
        for c in row.cells:
            row_at.setdefault(c.start, (table_no, row))
    blocks: list[Block] = []
    row_starts = sorted(row_at)
    pos = 0
    for line in doc.text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            continue
        blocks.append(_block(line, start, end, sections.get(start), row_at, row_starts, body))
    _mark_headers(blocks)
    return Layout(blocks, rows)


def _body_range(doc: Document) -> tuple[int, int]:
    flat = doc.sections_flat()
    if not flat:
        return 0, len(doc.text)
    return min(s.start for s in flat), max(s.end for s in flat)


def _block(line: str, start: int, end: int, section: Section | None,
           row_at: dict[int, tuple[int, tables.TableRow]], row_starts: list[int],
           body: tuple[int, int]) -> Block:
    text = line.strip()
    i = bisect.bisect_left(row_starts, start)
    hit = row_at[row_starts[i]] if i < len(row_starts) and row_starts[i] <= end else None
    if hit is not None:
        table_no, row = hit
        cells = [(_role_of(row, c), c.text) for c in row.cells if start <= c.start <= end]
        return Block("table_row", start, end, text, key=row.key, cells=cells, table=table_no)
    if section is not None:
        kind = "heading" if section.level in (1, 2) and section.children and \
            section.level != HEADED else "item"
        return Block(kind, start, end, text, key=section.key, level=section.level)
    # 主办单位: inside the body is a list's lead-unit field (parse found no footer there)
    site_label = _JUNK.match(text) and not (text.startswith("主办单位") and start < body[1])
    if site_label or start > body[1] or (start < body[0] and _PORTAL.search(text)):
        return Block("junk", start, end, text)
    m = _FIELD.match(text)
    if m:
        return Block("field", start, end, text, label=m.group(1), role=columns.role(m.group(1)))
    return Block("prose", start, end, text)


def _role_of(row: tables.TableRow, cell: tables.Cell) -> str | None:
    for role, cells in row.by_role.items():
        if any(c is cell for c in cells):
            return role
    return None


def _mark_headers(blocks: list[Block]) -> None:
    """The line(s) just before a table's first row that name its columns."""
    for i, b in enumerate(blocks):
        if b.kind != "table_row" or (i and blocks[i - 1].kind == "table_row"):
            continue
        j = i - 1
        while j >= 0 and blocks[j].kind in ("prose", "field", "junk") \
                and columns.role(blocks[j].text.strip("| ")) and len(blocks[j].text) <= 60:
            blocks[j].kind, blocks[j].table = "table_header", b.table
            j -= 1
        if j >= 0 and "|" in blocks[j].text and columns.header_roles(
                [c.strip() for c in blocks[j].text.split("|") if c.strip()]):
            blocks[j].kind, blocks[j].table = "table_header", b.table

"""Labelled-field records as measures: project lists and task lists written as fields.

Two forms, read from the layout's field blocks (kg/layout.py):
- a record opened by a field whose label names the task (项目名称:…, 工作任务:…, 整改事项:…)
  and continued by the fields after it (建设内容:…, 牵头单位:…, 配合单位:…, 完成时限:…);
- a line that is no field, followed by fields that assign it (县医院迁建项目 / 牵头单位:县卫健局 /
  配合单位:县财政局): the line is the task, the fields say who does it.
A record is a measure only when one of its fields names a unit role or a deadline; the
units themselves are read from the record's text by kg/extract/units.py like any labelled list.
"""

from __future__ import annotations

import re

from kg import columns
from kg.layout import Block, Layout
from kg.model import Document, Measure

_ASSIGNING = (*columns.UNIT_ROLES, "deadline")
_MAX_TITLE = 120


def measures(doc: Document, taken: list[tuple[int, int]]) -> list[Measure]:
    from kg.extract.measures import deadline_in_column

    if doc.layout is None:
        return []
    out: list[Measure] = []
    for head, fields in _records(doc.layout):
        start, end = head.start, fields[-1].end if fields else head.end
        if any(a < end and start < b for a, b in taken):
            continue
        if not any(_assigns(f) for f in fields):
            continue
        if head.kind != "field" and (head.text.startswith(("【", "[")) or _ROSTER.search(head.text)):
            continue
        title = _title_of(head)
        if len(title) < 4:
            continue
        deadline_text = " ".join(f.text.split(":", 1)[-1] for f in fields if f.role == "deadline")
        deadline, year = deadline_in_column(deadline_text, doc.text[start:end])
        out.append(Measure(key=str(len(out) + 1), title=title, text=doc.text[start:end],
                           span=doc.span(start, end), section_path="record", deadline=deadline,
                           deadline_year=year, start=start, end=end,
                           rule="measure.field-record" if head.kind == "field" else "measure.assigned-line"))
    return out


def _records(layout: Layout) -> list[tuple[Block, list[Block]]]:
    blocks = layout.blocks
    out: list[tuple[Block, list[Block]]] = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        opens = b.kind == "field" and b.role == "title" and _value(b)
        assigned = b.kind in ("prose", "item") and i + 1 < len(blocks) and _assigns(blocks[i + 1])
        if not (opens or assigned):
            i += 1
            continue
        j = i + 1
        fields: list[Block] = []
        while j < len(blocks) and blocks[j].kind == "field" and not (blocks[j].role == "title" and fields):
            fields.append(blocks[j])
            j += 1
        out.append((b, fields))
        i = j
    return out


def _assigns(block: Block) -> bool:
    """A field that gives work: its label says so (牵头单位, 配合部门, 责任科室), not only that
    it names a unit (申报单位, 推荐单位 on an application form)."""
    return block.kind == "field" and block.role in columns.UNIT_ROLES and not _ROSTER.search(block.label) \
        and bool(_GIVES_WORK.search(block.label))


_GIVES_WORK = re.compile(r"牵头|主责|主办|配合|协同|协作|协助|协办|参与|责任|负责|承办|落实")


# a group's roster (成员单位:…, 组长:…) sets up a group; it assigns no task
_ROSTER = re.compile(r"成员|组长|组员|联络员|召集人")


def _value(block: Block) -> str:
    return block.text.split(":", 1)[1].strip() if ":" in block.text else ""


def _title_of(head: Block) -> str:
    text = _value(head) if head.kind == "field" else head.text
    text = re.sub(r"^(?:\(?[一二三四五六七八九十\d]{1,3}[)、.]|[①-⑳])\s*", "", text)
    m = re.match(rf"[^。;\n]{{2,{_MAX_TITLE}}}", text)
    return (m.group(0) if m else text[:_MAX_TITLE]).strip(" ,")

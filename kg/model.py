"""Typed records passed between pipeline stages.

Offsets: every `Span` points into `Document.source`, the decoded original file text
(for HTML that is the page source), so a fact can always be quoted from the file itself.
Extractors work on `Document.text` (normalized, simplified) and convert their
normalized offsets with `Document.span(start, end)`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.layout import Layout


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str
    # where the text is in a PDF (page, 1-based) or spreadsheet (sheet, cell such as B7);
    # None for text and HTML files (kg/formats sets them)
    page: int | None = None
    sheet: str | None = None
    cell: str | None = None


@dataclass
class Notice:
    """A quality warning about the input (garbling, dropped junk, unreadable part)."""

    kind: str
    message: str
    span: Span | None = None


@dataclass
class Section:
    key: str  # as printed: "一", "(一)", "1", "(1)", "①"; "" for a headed paragraph
    level: int  # 1 = 一、 2 = (一) 3 = 1. 4 = (1) 5 = ①
    title: str  # heading sentence (up to the first 。 or the line end)
    start: int  # normalized offsets of the whole node, heading included
    end: int
    span: Span
    children: list[Section] = field(default_factory=list)

    def walk(self) -> Iterator[Section]:
        """This section and every one under it, in document order (a stack, not nested
        generators: each level of those would pass every item up once more)."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))


@dataclass
class Meta:
    title: str | None = None
    doc_number: str | None = None
    issuer: list[str] = field(default_factory=list)
    date_written: str | None = None
    date_published: str | None = None
    jurisdiction: str | None = None
    index_number: str | None = None  # 索引号
    area_code: str | None = None  # from the 统一社会信用代码 in the 索引号
    wrapper_title: str | None = None  # 关于印发《…》的通知
    topic: str | None = None  # 主题分类


@dataclass
class UnitRef:
    """An organization named as responsible for a measure."""

    mention: str  # as written
    name: str  # canonical full name
    role: str  # "lead" | "support" | "responsible"
    org: str  # Organization.id
    aliases: list[str] = field(default_factory=list)
    span: Span | None = None
    rule: str = ""  # id of the rule that found it (kg explain, pkg:rule)


@dataclass
class Organization:
    id: str  # stable: derived from jurisdiction + canonical name
    name: str
    type: str  # party_department | government_department | leading_group | working_group
    #           | mass_organization | school | township | other
    jurisdiction: str | None
    aliases: list[str] = field(default_factory=list)


@dataclass
class Measure:
    key: str
    title: str
    text: str
    span: Span
    section_path: str = ""
    deadline: str | None = None  # as written, e.g. 2023年底前
    deadline_year: int | None = None
    school_construction: bool = False
    topics: list[str] = field(default_factory=list)
    units: list[UnitRef] = field(default_factory=list)
    start: int = 0  # normalized offsets
    end: int = 0
    rule: str = ""


@dataclass
class PostHolding:
    post: str  # as written: 区委组织部常务副部长
    org: str | None = None  # Organization.id of the organization the post is in
    span: Span | None = None
    rule: str = ""


@dataclass
class Person:
    name: str
    posts: list[PostHolding] = field(default_factory=list)
    span: Span | None = None
    rule: str = ""


@dataclass
class Group:
    name: str
    kind: str = "leading_group"  # leading_group | working_group | task_force
    parent: str | None = None
    leaders: list[str] = field(default_factory=list)
    deputies: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    lead_unit: str | None = None
    office_in: str | None = None
    duties: list[str] = field(default_factory=list)
    org: str | None = None  # Organization.id of the group itself
    span: Span | None = None
    rule: str = ""


@dataclass
class Indicator:
    subject: str
    op: str  # ">=" | "<=" | "=" | "~"
    value: float
    unit: str
    span: Span
    value_max: float | None = None
    year: int | None = None
    measure: str | None = None  # Measure.key
    rule: str = ""


@dataclass
class SchoolProject:
    name: str
    action: str  # 新建 | 改扩建 | 迁建 | 续建 | 回收 | ...
    measure: str | None
    span: Span
    rule: str = ""


@dataclass
class Document:
    doc: str  # file name
    path: str
    source: str  # decoded original text
    text: str  # normalized text
    starts: list[int]  # normalized char i -> original start offset
    ends: list[int]  # normalized char i -> original end offset (exclusive)
    encoding: str = "utf-8"
    meta: Meta = field(default_factory=Meta)
    sections: list[Section] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    schools: list[SchoolProject] = field(default_factory=list)
    layout: Layout | None = None  # kg/layout.py: the lines as blocks, set after parsing
    id: str = ""  # set by kg.pipeline: the path relative to the folder given, no suffix

    @property
    def doc_id(self) -> str:
        """Unique in one build and stable across builds (kg.pipeline.sources); a document
        made by hand falls back to its file name without the suffix."""
        return self.id or self.doc.rsplit(".", 1)[0]

    def span(self, start: int, end: int) -> Span:
        """Original-text span of normalized text[start:end]."""
        n = len(self.text)
        start = max(0, min(start, n))
        end = max(start, min(end, n))
        if start == end:
            pos = self.starts[start] if start < n else len(self.source)
            return Span(pos, pos, "")
        a, b = self.starts[start], self.ends[end - 1]
        return Span(a, b, self.source[a:b])

    def warn(self, kind: str, message: str, start: int | None = None, end: int | None = None) -> None:
        span = self.span(start, end if end is not None else start) if start is not None else None
        self.warnings.append(Notice(kind, message, span))

    def sections_flat(self) -> list[Section]:
        """Every section in document order. Only kg/parse.py builds the tree, before any
        reader asks: the list is made once per tree (readers ask it many times)."""
        key = (id(self.sections), len(self.sections))
        cached = self.__dict__.get("_flat")
        if cached is None or cached[0] != key:
            cached = (key, [s for top in self.sections for s in top.walk()])
            self.__dict__["_flat"] = cached
        return cached[1]

    def is_statute(self) -> bool:
        """A law or regulation, written in articles (第一条 …): it lays down rules, it
        commits to no tasks or targets. Plans with 第一章 chapters are not statutes."""
        return any(s.key.startswith("第") and s.key.endswith("条") for s in self.sections_flat())

    def to_json(self) -> dict[str, Any]:
        """The record `kg extract` writes (schema documented in README)."""
        return {
            "doc": self.doc,
            "encoding": self.encoding,
            "meta": asdict(self.meta),
            "sections": [_section_json(s) for s in self.sections],
            # lead units are the units with role "lead" (no separate list to drift apart)
            "measures": [asdict(m) for m in self.measures],
            "organizations": [asdict(o) for o in self.organizations],
            "people": [
                {
                    "name": p.name,
                    "posts": [h.post for h in p.posts],
                    "post_details": [asdict(h) for h in p.posts],
                    "span": asdict(p.span) if p.span else None,
                    "rule": p.rule,
                }
                for p in self.people
            ],
            "groups": [asdict(g) for g in self.groups],
            "indicators": [asdict(i) for i in self.indicators],
            "schools": [asdict(s) for s in self.schools],
            "warnings": [asdict(w) for w in self.warnings],
        }


def _section_json(s: Section) -> dict[str, Any]:
    return {
        "key": s.key,
        "level": s.level,
        "title": s.title,
        "span": {"start": s.span.start, "end": s.span.end},
        "children": [_section_json(c) for c in s.children],
    }

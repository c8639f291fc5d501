"""Normalized text -> header metadata (kg.meta) and the section tree.

Works on the clean text (simplified, half-width punctuation, one line per paragraph).
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg import rules
from kg.meta import parse_meta
from kg.model import Document, Section, Span

_CN = "一二三四五六七八九十百零〇两"
# (level, pattern for the marker at the start of a line, how to print the key)
_MARKERS: list[tuple[int, re.Pattern[str]]] = [
    (1, re.compile(rf"^第([{_CN}]+)[章编]\s*")),
    (1, re.compile(rf"^([{_CN}]+)\s*[、.]\s*")),
    (2, re.compile(rf"^\(([{_CN}]+)\)\s*[、.]?\s*")),
    (2, re.compile(rf"^第([{_CN}]+)节\s*")),
    (3, re.compile(rf"^第([{_CN}]+)条\s*")),
    (3, re.compile(r"^([1-9]\d{0,2})\s*[.、](?!\d)\s*")),
    (4, re.compile(r"^\((\d{1,2})\)\s*[、.]?\s*")),
    (5, re.compile(r"^([①-⑳])\s*")),
    # 一是…;二是… once kg/restructure.py has put each on its own line
    (5, re.compile(rf"^([{_CN}]{{1,2}})是(?=[\u4e00-\u9fff“])")),
]
HEADED = 6  # a paragraph that opens with a short heading sentence: 实施…工程。…

_FOOTER = re.compile(
    r"^(扫一扫|【?打印|【?关闭|分享到|相关链接|相关文件|相关阅读|版权所有|主办单位|承办单位|"
    r"网站标识码|文件下载|←滑动查看|.{0,10}(微信|微博|公众号)$|政策解读|附件下载|上一篇|下一篇|"
    r"索引号|.{0,12}公网安备|.{0,20}ICP备|\|$|政府信息公开$|责任编辑|【纠错】)"
)
_ANNEX = re.compile(r"^附件\s*\d*\s*(?::|$)")


def parse(doc: Document) -> None:
    doc.meta = parse_meta(doc.text)
    doc.sections = parse_sections(doc)


__all__ = ["parse", "parse_meta", "parse_sections"]


# --- sections -----------------------------------------------------------------------


# every marker opens with one of these or a digit: most lines are tried against none
_MARKER_FIRST = frozenset("第(" + _CN + "".join(map(chr, range(ord("①"), ord("⑳") + 1))))


def _marker(line: str) -> tuple[int, str, int] | None:
    """(level, key as printed, length of the marker) of a heading line."""
    if not line or not (line[0] in _MARKER_FIRST or line[0].isdecimal()):
        return None
    for level, pat in _MARKERS:
        m = pat.match(line)
        if m:
            key = m.group(0).strip(" 、.")
            if level in (1, 3) and key.isdigit() is False and key.startswith("第"):
                key = m.group(0).strip()
            return level, key, m.end()
    return None


def _heading(body: str) -> str:
    """The heading sentence of a line: up to the first 。 (or the whole short line)."""
    m = re.match(r"([^。;!?]{2,60}?)[。;!?]", body)
    if m:
        return m.group(1).strip()
    return body.strip().rstrip(":") if len(body) <= 60 else body[:60]


_TOC_ENTRY = re.compile(r"(?:\.{4,}|…{2,}|·{4,}|-{4,})\s*\d{1,4}\s*$")
_HEADED = re.compile(r"^(?:——)?([^。,;:!?]{4,30})。")


# every node is closed (its end and span set) before parse_sections returns: a span made
# when the node opens would be thrown away
_UNCLOSED = Span(0, 0, "")


_PROGRAMME_RUN = 3


def _programme_items(lines: list[tuple[int, str]], text: str) -> set[int]:
    """Starts of the lines in runs of three or more that each open with a short heading
    sentence ending in a programme word (…改造工程。, …提升行动。: the run-in heading endings of
    loaders/measures.toml) and go on with a body after it."""
    endings = _programme_endings()
    out: set[int] = set()
    if not any(e + "。" in text for e in endings):
        return out  # no programme heading anywhere: no line is matched
    run: list[int] = []
    for start, line in lines:
        if not line.strip():
            continue  # blank lines between the items part nothing
        m = _HEADED.match(line)
        # (实施10项民生工程。 counts the items it leads in to: no item itself)
        if m and m.group(1).endswith(endings) and not re.search(r"\d", m.group(1)) and line[m.end():].strip():
            run.append(start)
            continue
        if len(run) >= _PROGRAMME_RUN:
            out.update(run)
        run = []
    if len(run) >= _PROGRAMME_RUN:
        out.update(run)
    return out


@rules.loader
@lru_cache(maxsize=1)
def _programme_endings() -> tuple[str, ...]:
    return tuple(rules.load("measures")["layout"]["run_in_heading_endings"])


_SITE_FOOTER_WORDS = ("承办单位", "网站标识码", "ICP", "备案", "版权", "技术支持", "联系电话")


def _items_go_on(line: str, before: list[tuple[int, str]], after: list[tuple[int, str]]) -> bool:
    """主办单位:县城投公司,协办单位:… under an item: a unit field of the list (主办 = lead), not
    the site's footer, when a numbered item follows it, or an item comes just before it and the
    line pairs 主办 with 协办. A line or its neighbours with the site's words (承办单位,
    网站标识码, ICP备案) is the footer."""
    if not line.startswith("主办单位"):
        return False
    near = " ".join(t for _, t in after[:2])
    if any(w in line or w in near for w in _SITE_FOOTER_WORDS):
        return False
    def is_item(t: str) -> bool:
        return any(pattern.match(t) for _, pattern in _MARKERS)
    return any(is_item(t) for _, t in after) or ("协办" in line and any(is_item(t) for _, t in before))


def parse_sections(doc: Document) -> list[Section]:
    text = doc.text
    lines: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    body_end = len(text)
    first_heading = None
    roots: list[Section] = []
    stack: list[Section] = []
    annex: Section | None = None
    last_item: Section | None = None  # numbering of 1. items runs on across (一)/(二)
    bare_firsts = _bare_sequence_starts(lines)
    programme = _programme_items(lines, text)
    top_headed = 0  # headed items with no section above them, numbered in order

    def close(node: Section, end: int) -> None:
        node.end = end
        node.span = doc.span(node.start, end)

    def add(node: Section) -> None:
        while stack and stack[-1].level >= node.level:
            close(stack.pop(), node.start - 1 if node.start else 0)
        (stack[-1].children if stack else (annex.children if annex else roots)).append(node)
        stack.append(node)

    # the entry pattern opens with an alternation, which is tried at every character: only
    # a text with a leader run in it is searched line by line
    toc = any(leader in text for leader in ("....", "……", "····", "----"))
    for i, (start, line) in enumerate(lines):
        if not line or (toc and _TOC_ENTRY.search(line)):
            continue  # a table of contents repeats the headings; the body has them
        if first_heading is not None and _FOOTER.match(line) \
                and not _items_go_on(line, lines[max(0, i - 3):i], lines[i + 1:i + 6]):
            body_end = max(start - 1, 0)
            break
        if _ANNEX.match(line) and first_heading is not None and not stack[:1] == []:
            while stack:
                close(stack.pop(), max(start - 1, 0))
            if annex is not None:
                close(annex, max(start - 1, 0))
            annex = Section("附件", 0, line.split(":", 1)[-1].strip() or "附件", start,
                            start + len(line), _UNCLOSED)
            roots.append(annex)
            continue
        mk = _marker(line) or _sequel_without_dot(line, last_item)
        if mk is None and start in bare_firsts:
            mk = 3, "1", _BARE_NUMBER.match(line).end()  # type: ignore[union-attr]
        if mk:
            level, key, mlen = mk
            if first_heading is None and level > 2 and not _plausible_first(line):
                continue
            first_heading = first_heading if first_heading is not None else start
            node = Section(key, level, _heading(line[mlen:]), start, start + len(line), _UNCLOSED)
            add(node)
            if level == 3:
                last_item = node
            elif level < 3 and level != 2:
                last_item = None
            continue
        m = _HEADED.match(line)
        owner = next((s for s in reversed(stack) if s.level < HEADED), None)
        if m and owner is None and start in programme:
            # 棚户区改造工程。新开工… / 老旧小区改造工程。…: a programme's items with no heading
            # above them
            top_headed += 1
            add(Section(str(top_headed), HEADED, m.group(1), start, start + len(line), _UNCLOSED))
        elif m and owner is not None and not _has_marked_children(owner):
            parent = owner
            siblings = [c for c in parent.children if c.level == HEADED]
            node = Section(str(len(siblings) + 1), HEADED, m.group(1), start, start + len(line), _UNCLOSED)
            add(node)
    while stack:
        close(stack.pop(), body_end)
    if annex is not None:
        close(annex, body_end)
    for node in roots:
        for s in node.walk():
            if s.end > body_end:
                close(s, body_end)
    return roots


# a private-use glyph in the separator's place (1\ue010突破…) is a font's lost dot
_BARE_NUMBER = re.compile(r"^(\d{1,2})[\ue000-\uf8ff]?(?=[\u4e00-\u9fff])")


def _sequel_without_dot(line: str, prev: Section | None) -> tuple[int, str, int] | None:
    """`7关于…` right after item 6: a numbered item whose 、/. the source lost. Only the
    next number in an open sequence counts, so 2024年… never becomes an item."""
    m = _BARE_NUMBER.match(line)
    if not m or line[m.end()] in _COUNTED:
        return None
    if prev is None or not prev.key.isdigit() or int(prev.key) + 1 != int(m.group(1)):
        return None
    return 3, m.group(1), m.end()


# a count or a date, not an item number: 1年内, 2所学校
_COUNTED = "年月日号个所家万亿千百名人次项条元岁级届倍天期批类种户座间张台套份周"


def _bare_sequence_starts(lines: list[tuple[int, str]]) -> set[int]:
    """Offsets of `1突破…` lines that open a numbered list whose 、/. the source lost
    throughout: a sentence-long line, with a `2…` line of the same kind soon after."""
    def bare(line: str, n: int) -> bool:
        m = _BARE_NUMBER.match(line)
        return bool(m) and int(m.group(1)) == n and line[m.end()] not in _COUNTED and "。" in line
    out: set[int] = set()
    for i, (start, line) in enumerate(lines):
        if bare(line, 1) and any(bare(later, 2) for _, later in lines[i + 1:i + 30]):
            out.add(start)
    return out


def _has_marked_children(node: Section) -> bool:
    return any(c.level != HEADED for c in node.children)


def _plausible_first(line: str) -> bool:
    return len(line) < 200

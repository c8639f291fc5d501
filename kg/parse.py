"""Normalized text -> header metadata and the section tree.

Works on the clean text (simplified, half-width punctuation, one line per paragraph).
"""

from __future__ import annotations

import re

from kg.gazetteer import find_jurisdiction
from kg.model import Document, Meta, Section

_CN = "一二三四五六七八九十百零〇两"
# (level, pattern for the marker at the start of a line, how to print the key)
_MARKERS: list[tuple[int, re.Pattern[str]]] = [
    (1, re.compile(rf"^第([{_CN}]+)[章编]\s*")),
    (1, re.compile(rf"^([{_CN}]+)\s*[、.]\s*")),
    (2, re.compile(rf"^\(([{_CN}]+)\)\s*[、.]?\s*")),
    (2, re.compile(rf"^第([{_CN}]+)节\s*")),
    (3, re.compile(rf"^第([{_CN}]+)条\s*")),
    (3, re.compile(r"^(\d{1,2})\s*[.、](?!\d)\s*")),
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

_FIELD_LABELS = (
    "索引号", "发文字号", "文号", "主题分类", "体裁分类", "组配分类", "成文日期", "发布日期",
    "发文日期", "印发日期", "文件标题", "标题", "发布机构", "发文机关", "发文单位", "有效性",
    "来源", "发布时间", "时间", "日期", "主题词", "公开方式", "信息来源",
)
_FIELD = re.compile(r"[\[【•·|]?\s*(" + "|".join(sorted(_FIELD_LABELS, key=len, reverse=True))
                    + r")\s*[\]】]?\s*:?\s*")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,14}[〔\[(【]\s*(?:19|20)\d{2}\s*[〕\])】]\s*\d{1,4}\s*号")
_DATE_CN = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_DATE_ISO = re.compile(r"((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})")
_DOC_KIND = re.compile(
    r"(方案|规划|意见|通知|计划|办法|要点|纲要|细则|决定|报告|措施|条例|规定|清单|分解表|公告|"
    r"通告|批复|指南|标准|实施方案|工作方案|行动方案|任务分解|总结|安排|规则|制度|章程|函)"
    r"(\([^()]{1,20}\))?$"
)
_WRAPPER = re.compile(r"^(?P<issuer>.*?)关于(?:印发|发布|转发|公布|下发|修订)(?P<inner>.+?)的通知$")
_ORG_TAIL = re.compile(r"(委员会|领导小组|人民政府|办公室|办公厅|局|委|厅|部|院|中心|乡|镇|街道办事处|"
                       r"政府|党委|党组|小组)$")
_CREDIT = re.compile(r"\b[0-9A-HJ-NPQRTUWXY]{2}(\d{6})[0-9A-HJ-NPQRTUWXY]{10}\b")


def parse(doc: Document) -> None:
    doc.meta = parse_meta(doc.text)
    doc.sections = parse_sections(doc)


# --- metadata ---------------------------------------------------------------------


def _header_fields(lines: list[str], limit: int = 40) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in lines[:limit]:
        matches = list(_FIELD.finditer(line))
        if not matches or matches[0].start() > 2:
            continue
        for j, m in enumerate(matches):
            end = matches[j + 1].start() if j + 1 < len(matches) else len(line)
            value = line[m.end():end].strip(" []【】:|")  # | : a header laid out as a table
            if value and m.group(1) not in values:
                values[m.group(1)] = value
    return values


def _iso(text: str | None) -> str | None:
    if not text:
        return None
    m = _DATE_ISO.search(text) or _DATE_CN.search(text)
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _is_nav(line: str) -> bool:
    return "当前位置" in line or line.count(">") >= 2 or "首页" in line[:6]


def _title_candidates(lines: list[str], start: int) -> list[str]:
    out = []
    for line in lines[start:start + 25]:
        if (_is_nav(line) or _FIELD.match(line) or _marker(line) or len(line) < 5
                or len(line) > 90):
            continue
        if _DOC_KIND.search(line) and not line.endswith(("。", ":", ",")):
            out.append(line)
    return out


def _unwrap(title: str) -> tuple[str, str | None]:
    """(the plan's own title, the issuer named before 关于) for a 关于印发《…》的通知."""
    title = re.sub(r"^附件\s*\d*\s*:\s*", "", title)
    m = _WRAPPER.match(title)
    if not m:
        return title, None
    inner = m.group("inner")
    book = re.search(r"《(.+)》", inner)
    inner = book.group(1) if book else inner.strip("《》")
    return inner, (m.group("issuer") or None)


def parse_meta(text: str) -> Meta:
    lines = text.split("\n")
    v = _header_fields(lines)
    meta = Meta()
    meta.index_number = v.get("索引号")
    if meta.index_number and (m := _CREDIT.search(meta.index_number)):
        meta.area_code = m.group(1)
    meta.topic = v.get("主题分类")

    number = v.get("发文字号") or v.get("文号")
    if not number:
        for line in lines[:60]:
            if (m := _DOC_NUMBER.fullmatch(line.strip())):
                number = m.group(0)
                break
    meta.doc_number = number.replace(" ", "") if number else None

    wrapper = v.get("文件标题") or v.get("标题")
    cands = _title_candidates(lines, 0)
    if not wrapper and cands:
        wrapper = cands[0]
    if wrapper:
        meta.wrapper_title = wrapper
        meta.title, issuer = _unwrap(wrapper)
        if issuer and _ORG_TAIL.search(issuer):
            meta.issuer.append(issuer)
    publisher = v.get("发布机构") or v.get("发文机关") or v.get("发文单位")
    signature, signed = _signature(lines, meta.title)
    if not meta.issuer:
        if publisher:
            meta.issuer.append(publisher)
        elif signature:
            meta.issuer.append(signature)

    meta.date_written = _iso(v.get("成文日期") or v.get("印发日期") or v.get("发文日期")) or signed
    meta.date_published = _iso(v.get("发布日期") or v.get("发布时间") or v.get("时间")
                               or v.get("日期"))
    meta.jurisdiction = find_jurisdiction(
        meta.area_code,
        [" ".join(x for x in (meta.title, meta.wrapper_title, publisher) if x),
         "\n".join(lines[:80]), text[:20000]],
    )
    return meta


def _signature(lines: list[str], title: str | None) -> tuple[str | None, str | None]:
    """The 落款: a lone date line near the top (a notice's signing date), with the
    organization line just above it when there is one."""
    for i, line in enumerate(lines[:60]):
        if _DATE_CN.fullmatch(line.strip()):
            prev = lines[i - 1].strip() if i else ""
            org = prev if prev and _ORG_TAIL.search(prev) and len(prev) <= 40 else None
            return org, _iso(line)
    return None, None


# --- sections -----------------------------------------------------------------------


def _marker(line: str) -> tuple[int, str, int] | None:
    """(level, key as printed, length of the marker) of a heading line."""
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

    def close(node: Section, end: int) -> None:
        node.end = end
        node.span = doc.span(node.start, end)

    def add(node: Section) -> None:
        while stack and stack[-1].level >= node.level:
            close(stack.pop(), node.start - 1 if node.start else 0)
        (stack[-1].children if stack else (annex.children if annex else roots)).append(node)
        stack.append(node)

    for start, line in lines:
        if not line or _TOC_ENTRY.search(line):
            continue  # a table of contents repeats the headings; the body has them
        if first_heading is not None and _FOOTER.match(line):
            body_end = max(start - 1, 0)
            break
        if _ANNEX.match(line) and first_heading is not None and not stack[:1] == []:
            while stack:
                close(stack.pop(), max(start - 1, 0))
            if annex is not None:
                close(annex, max(start - 1, 0))
            annex = Section("附件", 0, line.split(":", 1)[-1].strip() or "附件", start,
                            start + len(line), doc.span(start, start + len(line)))
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
            node = Section(key, level, _heading(line[mlen:]), start, start + len(line),
                           doc.span(start, start + len(line)))
            add(node)
            if level == 3:
                last_item = node
            elif level < 3 and level != 2:
                last_item = None
            continue
        m = _HEADED.match(line)
        owner = next((s for s in reversed(stack) if s.level < HEADED), None)
        if m and owner is not None and not _has_marked_children(owner):
            parent = owner
            siblings = [c for c in parent.children if c.level == HEADED]
            node = Section(str(len(siblings) + 1), HEADED, m.group(1), start, start + len(line),
                           doc.span(start, start + len(line)))
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

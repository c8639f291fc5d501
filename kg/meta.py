"""Header metadata of a document: title, 发文字号, issuer, dates and jurisdiction.

Works on the clean text (kg.normalize: simplified, half-width punctuation, one line per
paragraph). Web copies put junk before the plan — breadcrumbs (首页 > 政务公开 > …), portal
metadata blocks (索引号/发文机关/成文日期 …), bylines (发布时间 … 来源 … 点击数), sharing-site
widgets (VIP, 页数, upload dates) — and reposts put a news headline above the plan's own
title. Each line of the header is classified by its form (a label before a value, a short
line around a date, a line ending with a kind of document), and the title, dates and
issuer are chosen by the roles of those lines:

- title: the plan's own title — a 关于印发《X》的通知 gives X; a notice that only carries its
  plan as 附件 gives the plan; a page headline gives way to the document's own title below
  it; a news item without a document title keeps its headline; a page that starts in the
  middle of a document has none;
- date_written: the signing date (成文日期, the date under the notice, the 版记's …印发
  line, 5月6日…印发《X》 in a repost); date_published: the page's own date (发布日期,
  a byline, a sharing site's upload date);
- jurisdiction: kg.gazetteer over the title, issuer and text, or 全国 for a central body.

Words live in loaders/meta.toml.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache

from kg.gazetteer import find_jurisdiction, leading_place
from kg.model import Meta
from kg.rules import data_path

# the packaged copy (kg/_data): a path walked up from this file exists in a checkout only
LEXICON_PATH = data_path("loaders", "meta.toml")

_CN_DIGIT = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}
_DATE_CN = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_DATE_ISO = re.compile(r"(?<!\d)((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
# a date in Chinese numerals, as a signature writes it: 二○○七年九月二十八日
_DATE_HAN = re.compile(r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月"
                       r"([一二三四五六七八九十]{1,3})日")
_MONTH_DAY = re.compile(r"(?<![\d年])(\d{1,2})月(\d{1,2})日")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})年")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,14}[〔\[(【]\s*(?:19|20)\d{2}\s*[〕\])】]\s*\d{1,4}\s*号")
# a 统一社会信用代码 (in a 索引号) carries the registering area's six-digit code
_CREDIT = re.compile(r"\b[0-9A-HJ-NPQRTUWXY]{2}(\d{6})[0-9A-HJ-NPQRTUWXY]{10}\b")
_MARKER = re.compile(r"^(?:第[一二三四五六七八九十百]+[章节条]|[一二三四五六七八九十]+\s*[、.]|"
                     r"\([一二三四五六七八九十]+\)|[1-9]\d{0,2}\s*[.、](?!\d)|\(\d{1,2}\)|[①-⑳])\s*")
_NAV = re.compile(r"当前位置|所在位置|现在位置|您的位置|^位置\s*:|^\S{0,3}首页\s*(?:>|»|/|-|$)|^首页")
_ISO_LINE = re.compile(r"^(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_BANNER = re.compile(r"^.{2,30}文件$")  # 红头: 开化县教育局文件
_PAGE_NUMBER = re.compile(r"^[—\-－]\s*\d{1,3}\s*[—\-－]$|^第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?$")
_VARIANTS = str.maketrans({"陜": "陕"})  # variants t2s leaves (陜西 is 陕西)
# a news lead opens with its dateline: 8月30日,… / 【X网讯】2月19日… / X网5月21日消息
_DATELINE = re.compile(r"^\W{0,2}(?:【[^】]{1,12}】|[^,。]{0,12}(?:讯|电|消息))?\s*"
                       r"(?:(?:19|20)\d{2}年)?\d{1,2}月\d{1,2}日")
_SPACE_IN_HAN = re.compile(r"\s(?<=[\u4e00-\u9fff\d“”《》〈〉()]\s)\s*(?=[\u4e00-\u9fff\d“”《》〈〉()])")


@dataclass(frozen=True)
class Lexicon:
    field: re.Pattern[str]  # a label at a line's start (or after |)
    bracket_field: re.Pattern[str]  # 【label】 anywhere in a line
    role: dict[str, str]  # label -> field it fills
    byline: tuple[str, ...]
    widget: tuple[str, ...]
    caption_end: tuple[str, ...]
    kind: re.Pattern[str]  # a line that ends with a kind of document
    plan_kind: re.Pattern[str]
    wrapper: re.Pattern[str]
    reports: tuple[str, ...]
    file_name: re.Pattern[str]
    org_tail: re.Pattern[str]
    central: tuple[str, ...]
    central_title: tuple[str, ...]
    central_body: re.Pattern[str]


def _alternation(words: list[str]) -> str:
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = tomllib.loads(LEXICON_PATH.read_text(encoding="utf-8"))
    labels, junk, title, issuer = data["labels"], data["junk"], data["title"], data["issuer"]
    role = {w: key for key, words in labels.items() for w in words}
    names = _alternation(list(role))
    kinds = _alternation(title["kinds"])
    tail = r"(\([^()]{1,20}\)|(?:\((?:\d{4}|试行|征求意见稿)[^()]{0,16}\)))?$"
    return Lexicon(
        field=re.compile(r"[\[【•·|\-*]?\s*(" + names + r")\s*[\]】]?\s*(?::\s*|\s*\|\s*|\s+|$)"),
        bracket_field=re.compile(r"【(" + names + r")】"),
        role=role,
        byline=tuple(junk["byline"]),
        widget=tuple(junk["widget"]),
        caption_end=tuple(junk["caption_end"]),
        kind=re.compile(r"(?:" + kinds + r")" + tail),
        plan_kind=re.compile(r"(?:" + _alternation(title["plan_kinds"]) + r")" + tail),
        wrapper=re.compile(r"^(?P<issuer>.*?)关于(?:" + _alternation(title["wrapper_verbs"])
                           + r")(?P<inner>.+?)的通知$"),
        reports=tuple(title["reports"]),
        file_name=re.compile(r"^(.+)\.(?:" + _alternation(title["file_ext"]) + r")$", re.I),
        org_tail=re.compile(r"(?:" + _alternation(issuer["org_tail"]) + r")$"),
        central=tuple(issuer["central"]),
        central_title=tuple(issuer["central_title"]),
        central_body=re.compile(r"^(?:" + _alternation(issuer["central_prefix"]) + r")?"
                                r"[\u4e00-\u9fff]{1,8}(?:" + _alternation(issuer["ministry_tail"]) + r")$"),
    )


# --- dates ------------------------------------------------------------------------------


def _valid(y: int, mo: int, d: int) -> str | None:
    return f"{y:04d}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else None


def _han_number(s: str) -> int:
    """十 一十 二十八 -> 10 10 28."""
    if "十" not in s:
        return _CN_DIGIT[s]
    tens, _, ones = s.partition("十")
    return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[ones] if ones else 0)


def iso(text: str | None) -> str | None:
    """The first date in `text` as YYYY-MM-DD: 2024-03-18, 2024年3月18日, 二○二四年三月十八日."""
    if not text:
        return None
    m = _DATE_ISO.search(text) or _DATE_CN.search(text)
    if m:
        return _valid(*(int(g) for g in m.groups()))
    h = _DATE_HAN.search(text)
    if h:
        year = int("".join(str(_CN_DIGIT[c]) for c in h.group(1)))
        return _valid(year, _han_number(h.group(2)), _han_number(h.group(3)))
    return None


_DATE_FIRST = frozenset("12〇○零一二三四五六七八九")


def _is_date_line(line: str) -> bool:
    """A line that is nothing but a date: a signature's date, a page's date."""
    s = line.strip(" ()")
    if s[:1] not in _DATE_FIRST:
        return False  # each form opens with its year (19xx/20xx or 二○…): most lines fail here
    return bool(_DATE_CN.fullmatch(s) or _DATE_HAN.fullmatch(s) or _ISO_LINE.match(s))


# --- the lines of the header ------------------------------------------------------------


def _fields(lines: list[str], lex: Lexicon, limit: int = 40) -> dict[str, str]:
    """Values of the labelled fields in the header, by role (the first value of each wins).
    A label with no value takes the next line when that holds a bare value (发布时间: on one
    line, 2019年08月27日 on the next)."""
    values: dict[str, str] = {}

    def put(label: str, value: str) -> None:
        role = lex.role[label]
        value = value.strip(" []【】:|-")
        if value and role not in values:
            values[role] = value

    for i, line in enumerate(lines[:limit]):
        line = line[:2000]  # fields open a line; a page run into one line has them at its head
        # a field line has a label within its first three characters (the pattern would be
        # tried at every character of every line): only then are its other fields looked for
        opens = any(lex.field.match(line, k) for k in range(min(3, len(line) + 1)))
        matches = list(lex.field.finditer(line)) if opens else []
        if matches:
            for j, m in enumerate(matches):
                end = matches[j + 1].start() if j + 1 < len(matches) else len(line)
                value = line[m.end():end].strip(" []【】:|-")
                if not value and j + 1 == len(matches) and i + 1 < len(lines):
                    value = _bare_value(lines[i + 1], lex, lex.role[m.group(1)])
                put(m.group(1), value)
        for j, m in enumerate(bracketed := list(lex.bracket_field.finditer(line))):
            end = bracketed[j + 1].start() if j + 1 < len(bracketed) else len(line)
            value = line[m.end():end]
            role = lex.role[m.group(1)]
            if role in ("written", "published"):
                value = iso(value) or ""
            elif role == "doc_number":
                value = (n.group(0) if (n := _DOC_NUMBER.match(value.strip())) else "")
            put(m.group(1), value)
    return values


def _bare_value(line: str, lex: Lexicon, role: str) -> str:
    s = line.strip(" -•·|")
    if not s or lex.field.match(s):
        return ""
    if role in ("written", "published"):
        return s if _is_date_line(s) else ""
    return s if len(s) <= 90 and not s.endswith(("。", ":")) else ""


def _is_field_line(line: str, lex: Lexicon) -> bool:
    m = lex.field.match(line)
    return bool(m) and (m.end() < len(line) or line.rstrip().endswith((":", "]", "】")) or len(line) <= 12)


def _is_byline(line: str, lex: Lexicon) -> bool:
    """发布时间:2024-05-10 | 来源:… | 作者:…, http://www.x.com 2026年2月3日 来源:…"""
    return (len(line) <= 100 and any(c in line for c in lex.byline) and iso(line) is not None
            and not lex.kind.search(line))


_COUNTER = re.compile(r"[\d.,+%\s]*(?:KB|MB|K|M|页|次|人次|字|阅读|浏览|\+)?", re.I)


def _is_widget(line: str, lex: Lexicon) -> bool:
    s = line.strip(" |•·-【】[]")
    if not s:
        return True
    if len(s) > 40:
        return False
    if _COUNTER.fullmatch(s):
        return True  # 999+, 29.51KB, 24 页
    if lex.kind.search(s):
        return False
    return any(w in s and len(s) - len(w) <= 4 for w in lex.widget) or \
        (len(s) <= 30 and any(s.endswith(" " + w) for w in lex.caption_end))


def is_junk(line: str, lex: Lexicon | None = None) -> bool:
    """A line of the page around the document, not of the document: a breadcrumb, a
    metadata field, a byline, a date on its own, a widget, a 红头 banner."""
    lex = lex or lexicon()
    s = line.strip()
    if len(s) > 300:  # a paragraph (or a page run together): only a breadcrumb can open it
        return bool(_NAV.search(s[:60]))
    return (not s or bool(_NAV.search(s)) or s.count(">") >= 2 or _is_field_line(s, lex)
            or _is_byline(s, lex) or _is_date_line(s) or _is_widget(s, lex)
            or bool(_BANNER.match(s)) or bool(_PAGE_NUMBER.match(s)))


# --- the title --------------------------------------------------------------------------


@dataclass
class _Candidate:
    text: str  # cleaned (see _clean_title)
    first: int  # index of its first and last line
    last: int
    raw: str = ""  # as printed, its lines joined by spaces (the issuers' names stay apart)


_NOT_TITLE = re.compile(r"^(?:专栏|附表|表\s*\d|图\s*\d)|[:|│┃]")  # boxes, tables, figures; label:value


def _title_shaped(line: str) -> bool:
    """Short, no sentence end, at most one comma, not a dateline, heading, 文号 or label."""
    if len(line) > 110:
        return False
    line = re.sub(r"^附件\s*\d*\s*:\s*", "", line)
    return (5 <= len(line) <= 100 and not line.endswith(("。", ":", ",", ";", "!", "?"))
            and "。" not in line and line.count(",") <= 1 and not _NOT_TITLE.search(line)
            and not _DATELINE.match(line) and not _MARKER.match(line)
            and not _DOC_NUMBER.fullmatch(line.strip("()")))


_TRAILING_NUMBER = re.compile(r"\(\s*(" + _DOC_NUMBER.pattern + r")\s*\)$")


# a page's title names its site after it: …实施方案_某某县人民政府 / …实施方案 - 某某网
_SITE_SUFFIX = re.compile(r"\s*(?:_|\s-\s|——)\s*[^_]{2,30}(?:网|网站|门户|平台|政府|在线|频道|首页)$")


def _clean_title(title: str) -> str:
    """Without 附件: before it, a (文号) or a site's name after it, or layout spaces inside it."""
    title = re.sub(r"^附件\s*\d*\s*[::]?\s*", "", title.strip())
    title = _TRAILING_NUMBER.sub("", title)
    return _SPACE_IN_HAN.sub("", title)


def _doc_candidates(lines: list[str], lex: Lexicon, limit: int) -> list[_Candidate]:
    """Lines of the header (above line `limit`, where the running text starts), or a title
    broken over up to four short lines, that end with a kind of document."""
    out: list[_Candidate] = []
    i = 0
    while i < min(limit, len(lines)):
        line = lines[i].strip()
        if len(line) <= 130 and (cut := _SITE_SUFFIX.sub("", line)) != line and lex.kind.search(cut):
            line = cut
        if is_junk(line, lex) or not _title_shaped(line):
            i += 1
            continue
        if lex.kind.search(line):
            nxt = lines[i + 1].strip() if i + 1 < min(limit, len(lines)) else ""
            if re.fullmatch(r"\([^()月日]{2,20}\)", nxt):  # …行动方案 / (2024—2026年), not (2015年12月)
                out.append(_Candidate(_clean_title(line + nxt), i, i + 1, line + nxt))
                i += 2
                continue
            out.append(_Candidate(_clean_title(line), i, i, line))
            i += 1
            continue
        joined, j = line, i
        while j + 1 < min(limit, len(lines)) and j - i < 3:
            nxt = lines[j + 1].strip()
            if not nxt or len(nxt) > 45 or not _title_shaped(nxt) or is_junk(nxt, lex):
                break
            if "关于" in nxt and not lex.org_tail.search(joined):
                break  # a title starts there; only its issuer's name (X办公室 / 关于…) joins it
            joined, j = joined + " " + nxt, j + 1
            if lex.kind.search(joined) and len(joined) <= 120:
                out.append(_Candidate(_clean_title(joined), i, j, joined))
                break
        i = j + 1 if out and out[-1].first == i else i + 1
    return out


def _bigrams(s: str) -> set[str]:
    return {s[k:k + 2] for k in range(len(s) - 1)} or {s}


def _similar(a: str, b: str) -> float:
    x, y = _bigrams(a), _bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y))


def _standalone(lines: list[str], title: str, after: int) -> int | None:
    """Index of a later line that is exactly `title` (the plan's own title above its text)."""
    key = _SPACE_IN_HAN.sub("", title)
    for k in range(after + 1, min(len(lines), after + 80)):
        if _clean_title(lines[k]) == key:
            return k
    return None


def unwrap(title: str, lex: Lexicon | None = None) -> tuple[list[str], str | None]:
    """(the plans a 关于印发《…》的通知 hands on, the issuer named before 关于); a title
    that is no such wrapper comes back as it is."""
    lex = lex or lexicon()
    m = lex.wrapper.match(title)
    if not m:
        return [title], None
    inner = m.group("inner")
    books = re.findall(r"《([^《》]+(?:〈[^〈〉]*〉[^《》]*)*)》", inner)
    if books:
        plans = books
    else:
        # two plans run together: …行动方案和云浮市推动…行动方案
        plans = [p for p in re.split(r"(?<=[案划见法则要点施单表])(?:和|及|与|、)", inner) if p]
    return plans, (m.group("issuer").strip() or None)


def _choose_plan(plans: list[str], lines: list[str], after: int) -> str:
    """Of the plans a notice hands on, the one whose own title stands in the text below."""
    for p in plans:
        if _standalone(lines, p, after) is not None:
            return p
    return plans[0]


def _attachment(lines: list[str], lex: Lexicon, after: int, printed: bool = True) -> str | None:
    """A notice that is not a wrapper but carries its plan as 附件: X (and, when `printed`,
    X then stands on its own line above the plan): X."""
    for k in range(after + 1, min(len(lines), after + 40)):
        m = re.match(r"^附件\s*\d*\s*[::]\s*(?:1\s*[.、]\s*)?(.{4,80})$", lines[k].strip())
        if m and lex.plan_kind.search(m.group(1)):
            plan = _clean_title(m.group(1))
            if not printed or _standalone(lines, plan, k) is not None:
                return plan
    return None


def _signature_line(lines: list[str], lex: Lexicon, limit: int = 60) -> int | None:
    """Index of the covering notice's date line: a lone date under an organisation's name."""
    for i, line in enumerate(lines[:limit]):
        if i and _is_date_line(line) and not _ISO_LINE.match(line.strip()) \
                and lex.org_tail.search(lines[i - 1].strip()) and len(lines[i - 1]) <= 40:
            return i
    return None


def _after_signature(lines: list[str], lex: Lexicon) -> _Candidate | None:
    """A plan printed under its covering notice: the first title (on up to four short lines)
    after the notice's signature, past page numbers, 附件 and (此件公开发布)."""
    sig = _signature_line(lines, lex)
    if sig is None:
        return None
    i = sig + 1
    while i < min(len(lines), sig + 8):
        s = lines[i].strip()
        if is_junk(s, lex) or len(s) < 5 or re.fullmatch(r"\(此件[^()]{0,10}\)|附件\s*\d*", s):
            i += 1
            continue
        found = [c for c in _doc_candidates(lines[i:i + 4], lex, 4) if c.first == 0]
        if found:
            return _Candidate(found[0].text, i, i + found[0].last)
        return None
    return None


def _headline(lines: list[str], lex: Lexicon, body: int) -> _Candidate | None:
    """A news item's headline: a line above the running text that is shaped like a title
    and is followed by itself again, by a byline or field, or by a dateline lead; the last
    such line (a site's name can stand above the headline in the same way)."""
    found = None
    for i, line in enumerate(lines[:min(body + 1, 15)]):
        s = line.strip()
        if is_junk(s, lex):
            continue
        if not (6 <= len(s) <= 60 and _title_shaped(s)):
            break
        nxt = next((x.strip() for x in lines[i + 1:i + 4] if x.strip()), "")
        if nxt == s or _DATELINE.match(nxt) or _is_byline(nxt, lex) or _is_field_line(nxt, lex):
            found = found if found and found.text == _clean_title(s) else _Candidate(_clean_title(s), i, i)
    return found


def _first_line_title(lines: list[str], lex: Lexicon) -> _Candidate | None:
    """A page that opens with its (numbered) table's title: 一、2024年民生实事任务分解表."""
    for i, line in enumerate(lines[:5]):
        s = line.strip()
        if is_junk(s, lex):
            continue
        m = re.match(r"^(?:[一1])\s*[、.]\s*(.{6,60})$", s)
        if m and lex.plan_kind.search(m.group(1)) and not re.search(r"[。,;:]", m.group(1)):
            return _Candidate(_clean_title(m.group(1)), i, i)
        return None
    return None


def _file_title(lines: list[str], lex: Lexicon) -> _Candidate | None:
    """A sharing site names the page by the uploaded file: 2021年…分解表.docx."""
    for i, line in enumerate(lines[:5]):
        m = lex.file_name.match(line.strip())
        if m and lex.kind.search(m.group(1)):
            return _Candidate(_clean_title(m.group(1)), i, i)
    return None


def _report_title(lines: list[str], lex: Lexicon) -> tuple[str, int] | None:
    """A news item on a report being delivered (县长X向大会作《政府工作报告》): the report, and
    the line that says so."""
    for i, line in enumerate(lines[:8]):
        for r in lex.reports:
            if re.search(r"作(?:了|的)?\s*《?" + re.escape(r) + r"》?", line):
                return r, i
    return None


@dataclass
class _Title:
    title: str | None = None
    wrapper: str | None = None
    issuer: str | None = None
    line: int = -1  # where the chosen title stands
    report_line: int = -1  # a news item on a delivered report: its lead


def _repost(lines: list[str], lex: Lexicon, body: int) -> _Candidate | None:
    """A news page reposting a plan: its headline names the plan in 《》 (《X》印发) and the
    plan's own title X stands on a line of its own below the lead."""
    for i, line in enumerate(lines[:body]):
        if is_junk(line, lex) or not _title_shaped(line) or lex.wrapper.match(line):
            continue
        for book in re.findall(r"《([^《》]{4,80})》", line):
            if lex.kind.search(book) and (k := _standalone(lines, book, i)) is not None:
                return _Candidate(_clean_title(book), i, k)
    return None


def find_title(lines: list[str], field_title: str | None, lex: Lexicon, body: int) -> _Title:
    """The plan's own title (see the module docstring); `body` is where the running text starts."""
    cands = _doc_candidates(lines, lex, body)
    if not field_title and (rp := _repost(lines, lex, body)):
        cands.insert(0, rp)
    if field_title:
        at = next((c.first for c in cands if c.text == _clean_title(field_title)), -1)
        cands.insert(0, _Candidate(_clean_title(field_title), at, at, field_title))
    if cands:
        chosen = cands[0]
        # a page headline gives way to the document's own title under it (广东省关于… ->
        # 广东省人民政府办公厅关于…); the first of several copies of one title stays
        for c in cands[1:]:
            if c.first > chosen.last and _similar(c.text, chosen.text) >= 0.6 \
                    and len(c.text) >= len(chosen.text) - 2 and c.text != chosen.text:
                chosen = c
        out = _Title(wrapper=chosen.text, line=chosen.first)
        plans, out.issuer = unwrap(chosen.raw or chosen.text, lex)
        plans = [_clean_title(p) for p in plans]
        if plans != [chosen.text]:
            out.title = _choose_plan(plans, lines, chosen.last)
        else:
            out.title = _attachment(lines, lex, chosen.last) or chosen.text
            printed = _after_signature(lines, lex)
            if out.title == chosen.text and chosen.text.endswith("通知") and printed \
                    and printed.first > chosen.last and lex.plan_kind.search(printed.text):
                out.title = printed.text  # the plan printed under a notice that does not name it
        return out
    if (c := _after_signature(lines, lex)) is not None:
        return _Title(title=c.text, line=0)  # the notice above it is signed before the title
    for c in (_file_title(lines, lex), _first_line_title(lines, lex), _headline(lines, lex, body)):
        if c:
            return _Title(title=c.text, line=c.first)
    if (plan := _attachment(lines, lex, -1, printed=False)) is not None:
        return _Title(title=plan)  # a covering letter without a title of its own
    rep = _report_title(lines, lex)
    if rep:
        return _Title(title=rep[0], report_line=rep[1])
    return _Title()


# --- the signature and other dates --------------------------------------------------------


_FULL_DATE = r"((?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"
# an organisation run together with its date and the next text: 通化市人民政府2015年8月10日通化市…
_GLUED_SIGNATURE = re.compile(r"^([\u4e00-\u9fff]{2,30}?)" + _FULL_DATE + r"(?=\S)")
# a report's subtitle: ——2026年1月28日在X省第十四届人民代表大会第四次会议上
_DELIVERED = re.compile(r"^[—―\-]{1,2}\s*" + _FULL_DATE + r"\s*在.{2,60}(?:会议|大会)上")
# the 版记: X办公室 2007年9月28日印发
_COLOPHON = re.compile(r"^(\S{2,30}?)\s*" + _FULL_DATE + r"\s*印发$")


def _signature(lines: list[str], lex: Lexicon, start: int, body: int) -> tuple[str | None, str | None]:
    """The 落款 of the notice or plan: (the organisation, the date).
    - a lone date line near the top (a notice's signing date), with the organisation line
      just above it when there is one; above the running text (`body`) and under no
      organisation it is the page's date instead (see `_page_date`);
    - an organisation run together with its date at a line's start (通化市人民政府2015年8月10日…);
    - the 版记 at the end: X办公室 2007年9月28日印发."""
    for i, line in enumerate(lines[:60]):
        if i >= start and _is_date_line(line) and not _ISO_LINE.match(line.strip()):
            prev = lines[i - 1].strip() if i else ""
            org = prev if prev and lex.org_tail.search(prev) and len(prev) <= 40 else None
            if org is None and i < body and not line.strip().startswith("("):
                continue  # a page's date; a (date) under the title is the document's own
            # joint issuers sign one above the other (中共某省委教育工委 / 某省教育厅)
            k = i - 2
            while org and k >= max(0, i - 4) and (above := lines[k].strip()) \
                    and lex.org_tail.search(above) and len(above) <= 40 and k > start:
                org = f"{above} {org}"
                k -= 1
            return org, iso(line)
    for line in lines[start:60]:
        m = _GLUED_SIGNATURE.match(line.strip())
        if m and lex.org_tail.search(m.group(1)):
            return m.group(1), iso(m.group(2))
    for line in lines[:30]:
        if (m := _DELIVERED.match(line.strip())):
            return None, iso(m.group(1))
    for line in lines[-40:]:
        m = _COLOPHON.match(line.strip())
        if m and lex.org_tail.search(m.group(1)):
            return m.group(1), iso(m.group(2))
    return None, None


def _complete(month: int, day: int, published: str | None, years: list[int]) -> str | None:
    """M月D日 with the year the page gives: that of the publication date (the year before
    when the date falls after it), else the latest year the text names."""
    if published:
        y, mo, d = (int(x) for x in published.split("-"))
        return _valid(y if (month, day) <= (mo, d) else y - 1, month, day)
    return _valid(max(years), month, day) if years else None


def _issued_in_lead(lines: list[str], title: str | None, published: str | None) -> str | None:
    """A repost's lead: 5月6日,X等部门联合印发《title》 -> the date it was issued."""
    if not title:
        return None
    quoted = f"《{title}》"
    for line in lines[:20]:
        if quoted not in line:
            continue  # the pattern below is built from the title: compiled anew for every text
        m = re.search(r"(?:((?:19|20)\d{2})年)?(\d{1,2})月(\d{1,2})日[^。]{0,40}?(?:印发|发布|出台|公布)了?《"
                      + re.escape(title) + "》", line)
        if m:
            if m.group(1):
                return _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return _complete(int(m.group(2)), int(m.group(3)), published, [])
    return None


def _years_spoken(text: str) -> list[int]:
    """Years the text speaks of as its own (not 到2025年 targets, nor 2023—2025年 spans)."""
    out = []
    for m in _YEAR.finditer(text):
        before = text[max(0, m.start() - 1):m.start()]
        if before not in ("到", "至", "—", "-", "~"):
            out.append(int(m.group(1)))
    return out


def _page_date(lines: list[str], v: dict[str, str], lex: Lexicon, body: int) -> str | None:
    """date_published: a field's, else a byline's, else a lone date in the page above the
    running text and under no organisation (a news page's date, a sharing site's upload
    date)."""
    published = iso(v.get("published"))
    if published:
        return published
    for i, line in enumerate(lines[:max(body, 1) + 3][:40]):
        s = line.strip()
        if _is_byline(s, lex) or _ISO_LINE.match(s):
            return iso(s)
        if i < body and _is_date_line(s) and not s.startswith("(") \
                and not (i and lex.org_tail.search(lines[i - 1])):
            return iso(s)
    return None


def _body_start(lines: list[str], lex: Lexicon) -> int:
    """Index of the first line of running text (a sentence or a numbered heading)."""
    for i, line in enumerate(lines[:80]):
        s = line.strip()
        if is_junk(s, lex):
            continue
        if _MARKER.match(s) or (len(s) >= 10 and "。" in s) or (s.endswith(":") and len(s) >= 4):
            return i  # a heading, a sentence, the 主送 line (各…:)
    return min(len(lines), 80)


# --- issuer and jurisdiction -------------------------------------------------------------


def split_issuers(name: str, lex: Lexicon) -> list[str]:
    """中共X市委办公室 X市人民政府办公室 / X、Y: one organisation each, when every part is one."""
    parts = [p for p in re.split(r"\s+|、|和|及", name.strip()) if p]
    if len(parts) > 1 and all(lex.org_tail.search(p) for p in parts):
        return parts
    return _glued_issuers(name.strip(), lex)


def _glued_issuers(name: str, lex: Lexicon) -> list[str]:
    """中共某县委某县人民政府: joint issuers written without a mark between them part where
    an organisation ends and the next opens with 中共 or a place name."""
    for k in range(4, len(name) - 3):
        left, right = name[:k], name[k:]
        if lex.org_tail.search(left) and lex.org_tail.search(right) \
                and (right.startswith(("中共", *lex.central)) or leading_place(right) is not None):
            return [left, *_glued_issuers(right, lex)]
    return [name]


_LOCAL_SPEECH = re.compile(r"[全我本][省市县区州旗乡镇]")


def _is_central(issuers: list[str], title: str | None, head: str, lex: Lexicon) -> bool:
    """Issued by a body of the central state (国务院办公厅, 中共中央, 国家统计局, or a ministry
    such as 教育部 in a text that speaks of no 全市/我县 of its own)."""
    names = list(issuers)
    if title and title.startswith(lex.central_title):
        return True  # 中华人民共和国…法
    if title and "关于" in title:
        names.append(title.split("关于", 1)[0])
    for n in (x.strip() for x in names):
        if n.startswith(lex.central):
            return True
        if lex.central_body.fullmatch(n) and not re.search(r"[省市县区州旗乡镇村]", n) \
                and not _LOCAL_SPEECH.search(head):
            return True
    return False


def parse_meta(text: str) -> Meta:
    lex = lexicon()
    if "陜" in text:  # str.translate reads every character through a dict: only when needed
        text = text.translate(_VARIANTS)
    lines = [line.strip() for line in text.split("\n")]
    v = _fields(lines, lex)
    meta = Meta()
    meta.index_number = v.get("index_number")
    if meta.index_number and (m := _CREDIT.search(meta.index_number)):
        meta.area_code = m.group(1)
    meta.topic = v.get("topic")

    number = v.get("doc_number")
    if number and not _DOC_NUMBER.search(number):
        number = None  # an empty 文号 field runs into the next label's value
    if not number:
        for line in lines[:60]:
            s = line.strip()
            if (m := _DOC_NUMBER.fullmatch(s.strip("()")) or _TRAILING_NUMBER.search(s)):
                number = m.group(1) if m.re is _TRAILING_NUMBER else m.group(0)
                break
    meta.doc_number = number.replace(" ", "") if number else None

    body = _body_start(lines, lex)
    t = find_title(lines, v.get("title"), lex, body)
    meta.title, meta.wrapper_title = t.title, t.wrapper
    issuer = t.issuer
    if issuer is None and t.wrapper and "关于" in t.wrapper:
        issuer = t.wrapper.split("关于", 1)[0]  # X关于成立…的通知: X issues it
    if issuer and lex.org_tail.search(issuer):
        meta.issuer.extend(split_issuers(issuer, lex))
    publisher = v.get("issuer")
    signature, signed = _signature(lines, lex, max(t.line, 0), body)
    if not meta.issuer:
        if publisher:
            meta.issuer.append(publisher)
        elif signature:
            meta.issuer.extend(split_issuers(signature, lex))
        elif (src := v.get("source")) and lex.org_tail.search(src):
            meta.issuer.append(src)

    meta.date_published = _page_date(lines, v, lex, body)
    meta.date_written = (iso(v.get("written")) or signed
                         or _issued_in_lead(lines, meta.title, meta.date_published))
    if t.report_line >= 0 and not meta.date_written:
        m = _MONTH_DAY.search(lines[t.report_line])
        if m:
            meta.date_written = _complete(int(m.group(1)), int(m.group(2)), meta.date_published,
                                          _years_spoken(text[:3000]))
    meta.jurisdiction = find_jurisdiction(
        meta.area_code,
        [" ".join(x for x in (meta.title, meta.wrapper_title, publisher, *meta.issuer) if x),
         "\n".join(lines[:80]), text[:20000]],
    )
    if meta.jurisdiction is None and _is_central(meta.issuer, meta.wrapper_title or meta.title,
                                                     "\n".join(lines[:80]), lex):
        meta.jurisdiction = "全国"
    return meta

"""Numeric targets the plan commits to: 二级及以上幼儿园达65%以上 -> (>=, 65, %, 2025).

Works on normalized text paragraph by paragraph, in every block form: prose, table rows
(cells split by |, box-drawing bars or tabs; one cell per line), labelled fields
(目标任务:新建幼儿园3所). A number becomes a target when a counting word follows it (or a
strong comparator precedes a bare ratio such as 小于或等于0.5), it is not inside a quotation
or a cited title, and neither its section (发展基础, an unmarked …工作回顾 heading, a section
about an earlier year than the plan's), its paragraph (这五年…, a sentence about last year
in a one-year plan) nor its sentence (…以来, 已…, 关于…的问题) reports the past. Numbers that
name or size something are left out: a title's programme (8项民生工程), the count of a
list that follows (15件实事。分别是:), a project's investment, a size threshold (200人以上
寄宿制学校), a head count or attendance, a grant, a progress column (落实情况).

Years: the deadline the sentence states (到2025年, “十四五”末, 2019年主要预期目标:), else
the row's deadline cell, else the section's opening year, else the plan year: the single
year of a one-year plan's title (2021年…任务分解表) or the year a 政府工作报告 plans.
Each Indicator's `rule` names the form it was read from (indicator.prose,
indicator.table-cell, indicator.labelled-field, indicator.year-column-table).
Words live in loaders/indicators.toml.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import cn2an

from kg import rules
from kg.extract.measures import done_lists
from kg.model import Document, Indicator, Measure, Section

_AR = r"\d+(?:\.\d+)?"
_CN = r"[零〇一二两三四五六七八九十百千]+(?:点[零〇一二三四五六七八九]+)?"
_CN_CHARS = set("零〇一二两三四五六七八九十百千")
_CLAUSE_END = ",;。:!?\n"
_SENTENCE_END = "。!?"
_CLAUSE_END_RE = re.compile(f"[{re.escape(_CLAUSE_END)}]")
_SENTENCE_END_RE = re.compile(f"[{re.escape(_SENTENCE_END)}]")
_GROUP_GLUE = re.compile(r"^(?:、|和|及|与|或|,)$")
_QUOTES = {"“": "”", "《": "》", "「": "」", "〔": "〕", "[": "]"}
_SUBJECT_STRIP = re.compile(r"^(?:并|且|确保|力争|争取|其中|实现|使|全面|努力)+")


@dataclass(frozen=True)
class Lexicon:
    number: re.Pattern[str]
    ge_prefix: tuple[str, ...]
    le_prefix: tuple[str, ...]
    approx_prefix: tuple[str, ...]
    touching_prefix: frozenset[str]
    ge_suffix: frozenset[str]
    le_suffix: frozenset[str]
    approx_suffix: frozenset[str]
    unitless_prefix: tuple[str, ...]
    time_after: tuple[str, ...]
    qualitative: frozenset[str]
    clause_cues: tuple[str, ...]
    scope_cues: tuple[str, ...]
    target_verbs: tuple[str, ...]
    background_sections: tuple[str, ...]
    background_cues: tuple[str, ...]
    weak_background_cues: tuple[str, ...]
    finding_openers: tuple[str, ...]
    finding_markers: tuple[str, ...]
    plan_level_sections: tuple[str, ...]
    five_year: re.Pattern[str]
    five_year_plans: dict[str, int]
    year: re.Pattern[str]
    year_prefixes: frozenset[str]
    new_topic_openers: tuple[str, ...]
    annual_title_cues: tuple[str, ...]
    annual_text: re.Pattern[str]
    comparator_only: frozenset[str]
    money_clause_cues: tuple[str, ...]
    grant_cues: tuple[str, ...]
    money_labels: tuple[str, ...]
    junk_labels: tuple[str, ...]
    scope_breakers: tuple[str, ...]
    size_cues: tuple[str, ...]
    person_units: frozenset[str]
    institution_nouns: tuple[str, ...]
    attendance_verbs: tuple[str, ...]
    structural_nouns: tuple[str, ...]
    list_units: frozenset[str]
    meeting_units: frozenset[str]
    meeting_words: tuple[str, ...]
    list_openers: tuple[str, ...]
    title_line: re.Pattern[str]
    report_columns: tuple[str, ...]
    goal_words: tuple[str, ...]
    goal_intro: re.Pattern[str]
    forward_after_year: tuple[str, ...]
    forward_cues: tuple[str, ...]
    baseline_before: tuple[str, ...]
    multi_year_title_cues: tuple[str, ...]
    ongoing_deadlines: frozenset[str]
    title_task_verbs: tuple[str, ...]
    title_forward_words: tuple[str, ...]
    background_title_verbs: tuple[str, ...]  # new_topic_openers + title_task_verbs, joined once
    background_word: re.Pattern[str]  # any of background_sections: most titles have none
    look_back_openers: tuple[str, ...]
    clause_background_cues: tuple[str, ...]


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _longest_first(words: list[str]) -> tuple[str, ...]:
    return tuple(sorted(set(words), key=len, reverse=True))


@rules.loader
@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = rules.load("indicators")
    units, ops, years, bg = data["units"], data["ops"], data["years"], data["background"]
    nt = data["not_targets"]
    num = rf"(?:{_AR}|{_CN})"
    number = re.compile(
        rf"(?P<a>{num})(?:\s*(?P<sep>{_alt(ops['range_separators'])})\s*(?P<b>{num}))?"
        rf"(?P<mag>{_alt(units['magnitudes'])})?(?P<more>{_alt(units['more_markers'])})?"
        rf"(?P<unit>{_alt(units['words'])})?"
        rf"(?P<suf>{_alt(ops['ge_suffix'] + ops['le_suffix'] + ops['approx_suffix'])})?"
    )
    plans = dict(years["five_year_plans"])
    five_year = re.compile(
        rf"[“\"]?(?P<plan>{_alt(list(plans))})[”\"]?(?P<suf>{_alt(years['five_year_suffixes'])}|以来)"
    )
    year = re.compile(
        rf"(?P<pre>{_alt(years['year_prefixes'])})?(?P<y>20\d\d)\s*年(?P<rest>底前|底|前|末|内|以来|月|度)?"
    )
    return Lexicon(
        number=number,
        ge_prefix=_longest_first(ops["ge_prefix"]),
        le_prefix=_longest_first(ops["le_prefix"]),
        approx_prefix=_longest_first(ops["approx_prefix"]),
        touching_prefix=frozenset(ops["touching_prefix"]),
        ge_suffix=frozenset(ops["ge_suffix"]),
        le_suffix=frozenset(ops["le_suffix"]),
        approx_suffix=frozenset(ops["approx_suffix"]),
        unitless_prefix=_longest_first(ops["unitless_prefix"]),
        time_after=tuple(units["time_after"]),
        qualitative=frozenset(units["qualitative"]),
        clause_cues=tuple(bg["clause_cues"]),
        scope_cues=tuple(bg.get("scope_cues", [])),
        target_verbs=_longest_first(data["targets"]["verbs"]),
        background_sections=tuple(bg["section_titles"]),
        background_cues=tuple(bg["sentence_cues"]),
        weak_background_cues=tuple(bg.get("weak_sentence_cues", [])),
        finding_openers=tuple(bg["finding_openers"]),
        finding_markers=tuple(bg["finding_markers"]),
        plan_level_sections=tuple(data["plan_level"]["section_titles"]),
        five_year=five_year,
        five_year_plans=plans,
        year=year,
        year_prefixes=frozenset(years["year_prefixes"]),
        new_topic_openers=tuple(years["new_topic_openers"]),
        annual_title_cues=tuple(years["annual_plan_title_cues"]),
        annual_text=re.compile(years["annual_plan_text"]),
        comparator_only=frozenset(units["comparator_only"]),
        money_clause_cues=tuple(bg["money_clause_cues"]),
        grant_cues=tuple(bg["grant_cues"]),
        money_labels=tuple(nt["money_labels"]),
        junk_labels=tuple(nt["junk_labels"]),
        scope_breakers=tuple(bg["scope_breakers"]),
        size_cues=tuple(bg["size_cues"]),
        person_units=frozenset(nt["person_units"]),
        institution_nouns=tuple(nt["institution_nouns"]),
        attendance_verbs=tuple(nt["attendance_verbs"]),
        structural_nouns=tuple(nt["structural_nouns"]),
        list_openers=_longest_first(nt["list_openers"]),
        list_units=frozenset(nt["list_units"]),
        meeting_units=frozenset(nt["meeting_units"]),
        meeting_words=tuple(nt["meeting_words"]),
        title_line=re.compile(rf"^[^。,;!?]{{2,60}}?(?:{_alt(nt['title_endings'])})"
                              r"(?:\.(?:docx?|pdf|wps|txt))?[)》”]?$"),
        report_columns=tuple(nt["report_columns"]),
        goal_words=tuple(years["goal_words"]),
        goal_intro=re.compile(rf"^[^,;。!?\n]{{0,14}}?(?:{_alt(years['goal_words'])})+(?:是|为)?[::]|"
                              rf"^[^,;。!?\n]{{0,14}}?(?:{_alt(years['goal_words'])})+(?:是|为)"),
        forward_after_year=tuple(years["forward_after_year"]),
        forward_cues=tuple(years["forward_cues"]),
        baseline_before=tuple(years["baseline_before"]),
        multi_year_title_cues=tuple(years["multi_year_title_cues"]),
        ongoing_deadlines=frozenset(years["ongoing_deadlines"]),
        title_task_verbs=tuple(bg["title_task_verbs"]),
        title_forward_words=tuple(bg["title_forward_words"]),
        background_title_verbs=tuple(years["new_topic_openers"]) + tuple(bg["title_task_verbs"]),
        background_word=re.compile(_alt(bg["section_titles"])),
        look_back_openers=tuple(bg["look_back_openers"]),
        clause_background_cues=tuple(bg["clause_background_cues"]),
    )


# ---------------------------------------------------------------- numbers


def to_number(s: str) -> float | None:
    if re.fullmatch(_AR, s):
        return float(s)
    try:
        return float(cn2an.cn2an(s, "smart"))
    except (ValueError, KeyError, TypeError):
        return None


_MARKS: dict[str, frozenset[str]] = {}


def _marks(openers: str, closers: dict[str, str]) -> frozenset[str]:
    return _MARKS.setdefault(openers, frozenset(openers) | frozenset(closers))


def _masked(text: str, openers: str = "“《「〔[") -> list[bool]:
    """True for characters inside a quotation, a cited title or a bracketed number: their
    numbers are names (“2+1”), titles (《…(2016—2030)》) or findings, not targets. A closing
    quote whose opener was lost in the source masks back to the clause start."""
    inside = [False] * len(text)
    closers = {_QUOTES[o]: o for o in openers}
    if not _MARKS.get(openers, _marks(openers, closers)).intersection(text):
        return inside  # most paragraphs quote nothing: skip the per-character walk
    stack: list[str] = []
    for i, ch in enumerate(text):
        if ch in openers:
            stack.append(_QUOTES[ch])
        elif stack and ch == stack[-1]:
            stack.pop()
            inside[i] = True
            continue
        elif ch in closers and not stack:
            j = i
            while j > 0 and text[j - 1] not in _CLAUSE_END + "、" + "".join(closers):
                j -= 1
                inside[j] = True
        inside[i] = bool(stack)
    return inside


@dataclass
class Hit:
    start: int  # paragraph-relative
    end: int
    value: float
    value_max: float | None
    unit: str | None
    suffix: str | None
    more: bool
    chinese: bool


def _hits(para: str, lex: Lexicon) -> list[Hit]:
    masked = _masked(para)
    out: list[Hit] = []
    for m in lex.number.finditer(para):
        hit = _hit(para, m, masked, lex)
        if hit is not None:
            out.append(hit)
    for m in _SCALE.finditer(para):  # 达到万亿级, 突破千亿元: one unit of the magnitude
        if not masked[m.start()] and para[:m.start()].endswith(lex.ge_prefix):
            out.append(Hit(m.start(), m.end(), 1.0, None, m.group(1) + "元", None, False, False))
    return sorted(out, key=lambda h: h.start)


# a magnitude without a digit before it: 万亿级, 千亿元
_SCALE = re.compile(r"(?<![\d零〇一二两三四五六七八九十百千万])(万亿|千亿|百亿)(?:元|级)")


def _hit(para: str, m: re.Match[str], masked: list[bool], lex: Lexicon) -> Hit | None:
    s = m.start()
    before = para[s - 1] if s else ""
    if masked[s] or before in "第每〔[.+×图表" or before.isdigit() or before in _CN_CHARS:
        return None  # 第3次, 图2所示, 表1
    after = para[m.end()] if m.end() < len(para) else ""
    a = m.group("a")
    chinese = not a[0].isdigit()
    value = to_number(a)
    if value is None:
        return None
    b = m.group("b")
    value_max = to_number(b) if b else None
    if b and (value_max is None or value_max <= value or (b[0].isdigit() == chinese)):
        return None  # 2016-2030 reads as years, mixed scripts are not a range
    unit = m.group("unit")
    end = m.end()
    if unit is None and m.group("mag") and after == "级" and not chinese:
        unit, end = "元", end + 1  # 7000亿级: a scale in yuan
    if unit is None:
        glued = after.isdigit() or (_is_cjk(after) and after not in "和及与或")
        if m.group("mag") or m.group("more") or glued or chinese or b:
            return None
    elif para.startswith(lex.time_after, m.end("unit")) and not m.group("suf"):
        return None
    elif chinese and a + unit in lex.qualitative:
        return None
    if m.group("mag") and unit:
        unit = m.group("mag") + unit
    return Hit(s, end, value, value_max, unit, m.group("suf"), bool(m.group("more")), chinese)


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


# ---------------------------------------------------------------- grouping and ops


def _groups(para: str, hits: list[Hit]) -> list[list[Hit]]:
    """Numbers joined only by 、/和 share the comparator: 分别下降到38%、60%、70%以下."""
    groups: list[list[Hit]] = []
    for h in hits:
        glue = para[groups[-1][-1].end:h.start] if groups else ""
        if groups and _GROUP_GLUE.match(glue) and _same_kind(groups[-1][-1], h) and (
                glue != "," or groups[-1][-1].unit == h.unit):  # 不少于50%,200人以上…: two clauses
            groups[-1].append(h)
        else:
            groups.append([h])
    return groups


def _same_kind(a: Hit, b: Hit) -> bool:
    return (a.unit is None) == (b.unit is None) and a.suffix is None


def _clause_start(para: str, pos: int) -> int:
    i = pos
    while i > 0 and para[i - 1] not in _CLAUSE_END:
        i -= 1
    return i


def _prefix_op(before: str, lex: Lexicon) -> tuple[str | None, str]:
    """The comparator closest before the number in the clause, and the word itself."""
    best: tuple[int, str, str] | None = None
    for op, words in ((">=", lex.ge_prefix), ("<=", lex.le_prefix), ("~", lex.approx_prefix)):
        for w in words:
            i = before.rfind(w)
            if i < 0:
                continue
            gap = len(before) - (i + len(w))
            if (len(w) == 1 or w in lex.touching_prefix) and gap > 0:
                continue  # 达 inside 达标率 is no comparator, nor 实现 in 实现地区生产总值增长6%
            if best is None or i + len(w) > best[0] or (i + len(w) == best[0] and len(w) > len(best[2])):
                best = (i + len(w), op, w)
    return (best[1], best[2]) if best else (None, "")


def _op(group: list[Hit], prefix_op: str | None, lex: Lexicon) -> str:
    last = group[-1]
    if last.value_max is not None:
        return "~"
    if last.suffix in lex.ge_suffix or last.more:
        return ">="
    if last.suffix in lex.le_suffix:
        return "<="
    if last.suffix in lex.approx_suffix:
        return "~"
    return prefix_op or "="


# ---------------------------------------------------------------- context: years, past, sections


def deadlines(sentence: str, lex: Lexicon) -> list[tuple[int, int]]:
    """(offset, year) of each deadline a sentence states: 到2025年, 2023年底前, “十四五”末,
    2020年前, or a sentence-opening 2024年; years in titles and dates (2023年1月) do not count."""
    masked = _masked(sentence)
    titles = _masked(sentence, "《")
    out: list[tuple[int, int]] = []
    for m in lex.five_year.finditer(sentence):
        if not titles[m.start("plan")] and m.group("suf") != "以来":
            out.append((m.start(), lex.five_year_plans[m.group("plan")]))
    for m in lex.year.finditer(sentence):
        if masked[m.start("y")] or m.group("rest") in ("以来", "月", "度"):
            continue
        # 2020年,…;2021年,…;2022年,…达到5000人: a year opening the sentence or a clause
        lead = sentence[: m.start()].strip(" “”\"")
        opening = lead == "" or lead.endswith(";")
        if m.group("pre") or m.group("rest") or opening or _heads_goal(sentence, m.end(), lex):
            out.append((m.start(), int(m.group("y"))))
    return sorted(out)


def _heads_goal(sentence: str, end: int, lex: Lexicon) -> bool:
    """2019年主要预期目标:…, 2020年将办好…, 2019年要做好…: the year the sentence commits to."""
    after = sentence[end:]
    if after.startswith(lex.forward_after_year):
        return True
    # the goal must introduce what follows (…主要预期目标:…, …目标任务是…), not be named
    # in passing (同2035年远景目标衔接)
    return bool(lex.goal_intro.match(after))


_ANY_YEAR = re.compile(r"(?<![\d—–~-])(20\d\d)\s*年(?!度)")


def reported_years(sentence: str, lex: Lexicon) -> list[int]:
    """Years a sentence speaks of, other than baselines (比2015年) and cited titles."""
    titles = _masked(sentence, "《")
    out: list[int] = []
    for m in _ANY_YEAR.finditer(sentence):
        if titles[m.start()] or sentence[: m.start()].endswith(lex.baseline_before):
            continue
        out.append(int(m.group(1)))
    return out


def sentence_year(sentence: str, lex: Lexicon) -> int | None:
    found = deadlines(sentence, lex)
    return found[0][1] if found else None


def _year_at(found: list[tuple[int, int]], pos: int) -> int | None:
    """The last deadline before `pos`, else the first after it (…率达93%以上,到2025年)."""
    before = [y for at, y in found if at <= pos]
    if before:
        return before[-1]
    return found[0][1] if found else None


def _is_past(sentence: str, lex: Lexicon, dated: bool = False) -> bool:
    """A sentence that reports results; `dated`: it has a deadline (its own, its
    paragraph's or its section's), so the weak cues (累计) look forward, not back."""
    if any(c in sentence for c in lex.background_cues):
        return True
    return not dated and any(c in sentence for c in lex.weak_background_cues)


def _is_finding(para: str, lex: Lexicon) -> bool:
    body = re.sub(r"^[\s\d一二三四五六七八九十()()、.．]+", "", para)
    head = re.split(r"[。]", body, maxsplit=1)[0]
    return body.startswith(lex.finding_openers) and any(w in head for w in lex.finding_markers)


def is_background_title(title: str, lex: Lexicon) -> bool:
    """发展基础, 教育发展现状, 发展基础和面临形势 head a look back; 发展环境不断优化 is a goal
    that happens to start with a background word."""
    if lex.background_word.search(title) is None:
        return False  # no background word at all: most titles, and no cache key to hash
    return _background_title(title, lex.background_sections, lex.background_title_verbs,
                             lex.title_forward_words)


@lru_cache(maxsize=4096)
def _background_title(title: str, words: tuple[str, ...], verbs: tuple[str, ...] = (),
                      forward: tuple[str, ...] = ()) -> bool:
    """…; 聚力完善产业发展环境 is a task: a verb before the background word governs it;
    “十四五”时期发展成就和“十五五”时期主要目标任务 also looks ahead."""
    lex_words = words
    for w in lex_words:
        at = title.find(w)
        if at < 0 or any(v in title[:at] for v in verbs) or any(f in title[at:] for f in forward):
            continue
        rest = title[at + len(w):]
        if not rest or rest[0] in "与和及、" or len(rest) <= 2 or \
                any(v in rest for v in lex_words):
            return True
    return False


def _ancestors(doc: Document) -> list[tuple[Section, list[Section]]]:
    out: list[tuple[Section, list[Section]]] = []

    def walk(s: Section, path: list[Section]) -> None:
        out.append((s, path))
        for c in s.children:
            walk(c, [*path, s])

    for top in doc.sections:
        walk(top, [])
    return out


@dataclass
class Context:
    background: list[tuple[int, int]]
    default_years: list[tuple[int, int, int]]  # (start, end, year), innermost last
    annual_year: int | None
    # numbers of the title lines, by (value, unit, the two characters after): echoes of
    # the programme's name (8项民生工程) elsewhere in the text are no targets either
    title_numbers: frozenset[tuple[float, str, str]] = frozenset()
    title_lines: frozenset[int] = frozenset()  # paragraph starts
    # the year the page was published: in a text for no one year (a news item), a sentence
    # about an earlier year reports results (2022年,我市新建…100所 in a 2023 report)
    published_year: int | None = None


def _context(doc: Document, lex: Lexicon) -> Context:
    background: list[tuple[int, int]] = []
    defaults: list[tuple[int, int, int]] = []
    plan_year = _annual_year(doc, lex)
    for s, _ in _ancestors(doc):
        if is_background_title(s.title, lex) or _earlier_year_title(s.title, plan_year, lex):
            background.append((s.start, s.end))
        if s.children:
            intro = doc.text[s.start : s.children[0].start]
            y = _intro_year(intro, lex)
            if y is not None:
                defaults.append((s.children[0].start, s.end, y))
    defaults.sort(key=lambda t: t[0])
    background.extend(_unmarked_background(doc, lex))
    background.extend(done_lists(doc))  # lists reporting finished work: results, not targets
    lines, numbers = _title_lines(doc, lex)
    published = doc.meta.date_published or doc.meta.date_written
    return Context(background, defaults, plan_year, numbers, lines, int(published[:4]) if published else None)


def _earlier_year_title(title: str, plan_year: int | None, lex: Lexicon) -> bool:
    """一、2025年主要工作和“十四五”发展成就 in a plan for 2026: a look back."""
    if plan_year is None or any(c in title for c in lex.forward_cues):
        return False
    years = reported_years(title, lex)
    return bool(years) and max(years) < plan_year


def _is_heading_shaped(line: str) -> bool:
    """A heading written without a marker: short, no sentence punctuation."""
    body = line.strip()
    return 2 <= len(body) <= 40 and not any(c in body for c in "。,;:|!?")


def _unmarked_background(doc: Document, lex: Lexicon) -> list[tuple[int, int]]:
    """Regions under a heading without a marker that looks back (“十四五”时期发展成就和2025年
    工作回顾): up to the next section or the next heading-shaped line that does not."""
    starts = {s.start for s in doc.sections_flat()}
    out: list[tuple[int, int]] = []
    open_at: int | None = None
    for pstart, para in _paragraphs(doc.text):
        if pstart in starts or (open_at is not None and _is_heading_shaped(para)
                                and not is_background_title(para.strip(), lex)):
            if open_at is not None:
                out.append((open_at, pstart))
                open_at = None
        if open_at is None and pstart not in starts and _is_heading_shaped(para) and \
                is_background_title(para.strip(), lex):
            open_at = pstart
    if open_at is not None:
        out.append((open_at, len(doc.text)))
    return out


def _is_title_line(line: str, doc: Document, lex: Lexicon) -> bool:
    """A document or table title (…工作方案, …任务分解表.docx) or a news headline (【…】…):
    a line without a sentence's punctuation that names the plan."""
    body = re.sub(r"^[\s一二三四五六七八九十、.()()\d]*", "", line).strip()
    if not body or "。" in body:
        return False
    if re.match(r"【[^】]{2,12}】.{4,}", body) or body in (doc.meta.title, doc.meta.wrapper_title):
        return True
    return bool(lex.title_line.match(body))


def _title_lines(doc: Document, lex: Lexicon) -> tuple[frozenset[int], frozenset[tuple[float, str, str]]]:
    starts: set[int] = set()
    numbers: set[tuple[float, str, str]] = set()
    for pstart, para in _paragraphs(doc.text):
        if not para.strip() or len(para) > 80 or not _is_title_line(para, doc, lex):
            continue
        starts.add(pstart)
        numbers.update((h.value, h.unit or "", para[h.end:h.end + 2]) for h in _hits(para, lex) if h.unit)
    return frozenset(starts), frozenset(numbers)


def _intro_year(intro: str, lex: Lexicon) -> int | None:
    lines = intro.split("\n")
    # skip the heading itself, not the sentences run on after it on its line:
    # (二)发展目标。到2026年,…
    lines[0] = lines[0].split("。", 1)[1] if "。" in lines[0] else ""
    # the first sentence that opens with a deadline (…指导思想…。到2026年,我市…), else
    # the first that states one
    sentences = [x for line in lines for x in re.split(r"[。!?]", line) if x.strip()]
    opening = [y for x in sentences if (found := deadlines(x, lex)) and found[0][0] <= 2
               for y in [found[0][1]]]
    if opening:
        return opening[0]
    for x in sentences[:1] + sentences[1:]:
        y = sentence_year(x, lex)
        if y is not None:
            return y
    return None


def _annual_year(doc: Document, lex: Lexicon) -> int | None:
    """The year of a plan for one year: the single year of its title (通化市2015年创建…方案,
    2021年重大民生实事…分解表), else for an annual work plan or a 政府工作报告 the year the
    text commits to (2019年…预期目标, 2020年将…) or the year it was written."""
    for title in _title_candidates(doc, lex):
        y = title_year(title, lex)
        if y is not None:
            return y
    title = doc.meta.title or ""
    report = bool(_REPORT_DELIVERED.search(doc.text[:3000]))
    if not report and not any(c in title for c in lex.annual_title_cues):
        return None
    m = lex.annual_text.search(doc.text)
    if m:
        return int(m.group(1))
    if report or "报告" in title:
        return _report_year(doc, lex)
    return None


# 2019年经济社会发展主要预期目标, 2020年将为民办好…: the year a work report plans
_EXPECTED_GOALS = re.compile(r"(?<![到至])(20\d\d)年[^,;。!?\n]{0,14}预期目标")
_YEAR_AHEAD = re.compile(r"(?<![到至\d])(20\d\d)年(?:将|要)")
# ——2026年1月27日在某省第七届人民代表大会第五次会议上: the day it was delivered
_DELIVERED_ON = re.compile(r"(20\d\d)年\d{1,2}月\d{1,2}日在[^。\n]{0,40}(?:代表大会|会议)[^。\n]{0,12}上")


def _report_year(doc: Document, lex: Lexicon) -> int | None:
    """The year a 政府工作报告 plans: the year of its 预期目标, else the year it says it
    will (2020年将…), else the year it was written."""
    for pattern in (_EXPECTED_GOALS, _YEAR_AHEAD, _DELIVERED_ON):
        m = pattern.search(_masked_out(doc.text))
        if m:
            return int(m.group(1))
    date = doc.meta.date_written or doc.meta.date_published
    return int(date[:4]) if date else None


# 县长X向大会作《政府工作报告》: the text reports a government work report
_REPORT_DELIVERED = re.compile(r"作(?:了)?(?:《)?政府工作报告")
_TITLE_YEAR = re.compile(r"(20\d\d)\s*年(度)?(.{0,2})")
_YEAR_RANGE = re.compile(r"20\d\d\s*年?\s*[-—–~至到]\s*20\d\d")


def _title_candidates(doc: Document, lex: Lexicon) -> list[str]:
    out = [t for t in (doc.meta.title, doc.meta.wrapper_title) if t]
    lines = [line.strip() for line in doc.text.split("\n")[:12] if line.strip()]
    out.extend(line for line in lines[:6] if len(line) <= 80 and _is_title_line(line, doc, lex))
    return out


def title_year(title: str, lex: Lexicon) -> int | None:
    """The single year of a one-year plan's title; None for a range (2021—2025年), a
    five-year plan, or a year's findings (2023年度…整改方案: its targets fall later)."""
    title = _masked_out(title)
    if _YEAR_RANGE.search(title) or any(c in title for c in lex.multi_year_title_cues):
        return None
    found = list(_TITLE_YEAR.finditer(title))
    years = {int(m.group(1)) for m in found}
    if len(years) != 1:
        return None
    if any(m.group(2) for m in found) and not any(c in title for c in lex.annual_title_cues):
        return None
    return years.pop()


def _masked_out(title: str) -> str:
    """The title without the titles it cites (根据《2016年政府工作报告》)."""
    inside = _masked(title, "《")
    return "".join(ch for ch, hidden in zip(title, inside, strict=True) if not hidden)


_NEAREST = 64  # measures before a position looked at first (nested ones are rare)


def _holding(doc: Document, pos: int) -> list[Measure]:
    """The measures holding `pos`. The nearest ones by start are looked at first, so a text
    with thousands of measures stays linear; past them only a holder that starts far before
    (a measure over many others) is looked for."""
    key = (id(doc.measures), len(doc.measures))
    cached = doc.__dict__.get("_measure_starts")
    if cached is None or cached[0] != key:
        ordered = sorted(doc.measures, key=lambda m: m.start)
        longest = max((m.end - m.start for m in ordered), default=0)
        cached = (key, ordered, [m.start for m in ordered], longest)
        doc.__dict__["_measure_starts"] = cached
    _, ordered, starts, longest = cached
    i = bisect.bisect_right(starts, pos)
    out = [m for m in ordered[max(0, i - _NEAREST):i] if pos < m.end]
    if i > _NEAREST:
        out += [m for m in ordered[bisect.bisect_left(starts, pos - longest):i - _NEAREST] if pos < m.end]
    return out


def _row_deadline(doc: Document, pos: int) -> int | None:
    """The deadline of the task-table row holding `pos`: its 完成时限 column is the year of
    every target in the row."""
    for m in _holding(doc, pos):
        if m.start <= pos < m.end and m.deadline_year and (
                m.section_path == "table" or _DEADLINE_CELL.search(m.text)):
            return m.deadline_year
    return None


# a line holding nothing but a deadline: a 完成时限 cell of a table pasted one cell per line
_DEADLINE_CELL = re.compile(r"(?m)^\s*(?:到|于)?20\d\d年(?:\d{1,2}月)?(?:底前|前|底|内|中旬|上旬|下旬)?\s*$")


def _cell_deadline(para: str) -> int | None:
    """The year of a table row's deadline cell (2025年6月底前), read from the row itself."""
    if not _is_row(para):
        return None
    for cell in _cells(para):
        m = _DEADLINE_CELL.match(cell)
        if m:
            return int(re.search(r"20\d\d", cell).group())  # type: ignore[union-attr]
    return None


_ROW_KEY = re.compile(r"^\s*\d{1,3}\s*$")


def _next_cells_deadline(text: str, pstart: int, para: str) -> int | None:
    """A table pasted one cell per line: the row's deadline cell is one of the next short
    lines, before the next row's number (序号 line). Only for a cell after a row number."""
    before = [x for x in text[max(0, pstart - 200):pstart].split("\n") if x.strip()]
    if len(para) > 120 or not before or not _ROW_KEY.match(before[-1]):
        return None
    pos = pstart + len(para) + 1
    seen = 0
    while pos < len(text) and seen < 8:
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        line = text[pos:end].strip()
        pos = end + 1
        if not line:
            continue
        seen += 1
        if _ROW_KEY.match(line) or len(line) > 120:
            return None
        if _DEADLINE_CELL.match(line):
            return int(line[line.find("20"):][:4])
    return None


def _ongoing_row(para: str, lex: Lexicon) -> bool:
    """A table row whose deadline cell says the work never ends (长期坚持): no year."""
    return _is_row(para) and any(c in lex.ongoing_deadlines for c in _cells(para))


def _default_year(ctx: Context, pos: int) -> int | None:
    best = None
    for start, end, y in ctx.default_years:
        if start <= pos < end:
            best = y
    return best if best is not None else ctx.annual_year


# ---------------------------------------------------------------- measures


def measure_key(doc: Document, pos: int, plan_level: tuple[str, ...] = ()) -> str | None:
    """The innermost measure holding `pos`; without measures, the section path (so the
    component also works before measures are extracted)."""
    if doc.measures:
        inner: Measure | None = None
        for m in _holding(doc, pos):
            if m.start <= pos < m.end and (inner is None or m.end - m.start < inner.end - inner.start):
                inner = m
        return inner.key if inner else None
    chain = [s for s, path in _ancestors(doc) if s.start <= pos < s.end]
    chain = [s for s in chain if s.level > 0]
    if not chain or any(w in s.title for s in chain for w in plan_level):
        return None
    keys = [s.key or s.title for s in chain]
    return ".".join(k.strip("()") if i == 0 else k for i, k in enumerate(keys))


# ---------------------------------------------------------------- driver


def _paragraphs(text: str) -> Iterator[tuple[int, str]]:
    pos = 0
    for line in text.split("\n"):
        yield pos, line
        pos += len(line) + 1


def _sentences(para: str) -> Iterator[tuple[int, int]]:
    """Sentences; in a table row each cell is one too, so a progress cell (已完成…) does
    not make the task cell a report."""
    ends = _SENTENCE_END + _CELL_SEPS if _is_row(para) else _SENTENCE_END
    start = 0
    for i, ch in enumerate(para):
        if ch in ends:
            yield start, i + 1
            start = i + 1
    if start < len(para):
        yield start, len(para)


def _reports_past(sentence: str, found: list[tuple[int, int]], reporting: bool, plan_year: int | None,
                  lex: Lexicon) -> bool:
    """In a plan for one year, a sentence about an earlier year (2018年全区…取得显著成效)
    reports results, and so do the sentences after it in the paragraph until one looks
    forward (a deadline of the plan year or later, 目标/力争/将…)."""
    if re.sub(r"^[\s—-]+", "", sentence).startswith(lex.look_back_openers):
        return True  # 这五年,我们…; 过去一年,…: the paragraph reports
    if plan_year is None:
        return False
    forward = any(y >= plan_year for _, y in found) or any(c in sentence for c in lex.forward_cues)
    if forward:
        return False
    # “十四五”时期…取得重大成就 in a 2026 report: a deadline before the plan year has passed
    years = reported_years(sentence, lex) + [y for _, y in found]
    if years:
        return max(years) < plan_year
    return reporting


def _opens_new_topic(sentence: str, lex: Lexicon) -> bool:
    return sentence.lstrip().startswith(lex.new_topic_openers)


def extract(doc: Document) -> None:
    if doc.is_statute():
        return  # 处五万元以下罚款 is a penalty, not a target
    lex = lexicon()
    ctx = _context(doc, lex)
    tabled, taken = table_indicators(doc, lex)
    doc.indicators.extend(tabled)
    tabled, more = cell_line_table_indicators(doc, lex)
    doc.indicators.extend(tabled)
    taken += more
    header = Header()
    for pstart, para in _paragraphs(doc.text):
        header = _header(para, header, lex)
        if not para.strip() or _is_finding(para, lex) or any(a <= pstart < b for a, b in taken):
            continue
        if any(a <= pstart < b for a, b in ctx.background) or pstart in ctx.title_lines:
            continue
        doc.indicators.extend(_paragraph_indicators(doc, pstart, para, ctx, lex, header))


@dataclass(frozen=True)
class Header:
    """What the header row of the table a line belongs to says about its columns."""

    report: frozenset[int] = frozenset()  # 落实情况: progress, not targets
    width: int = 0  # how many cells the header has
    years: tuple[tuple[int, int], ...] = ()  # (column, year): 2024年目标 dates its cells


# a header cell naming the year of its column's targets: 2024年目标, 2025年度目标任务
_HEADER_YEAR = re.compile(r"^(20\d\d)\s*年度?(?:主要)?(?:目标|任务|计划)")


def _header(line: str, current: Header, lex: Lexicon) -> Header:
    """A header row sets the columns' roles, a line outside a table clears them."""
    if not _is_row(line):
        return Header() if line.strip() else current
    cells = _filled_cells(line)
    reports = [len(c) <= 12 and any(w in c for w in lex.report_columns) for c in cells]
    if any(re.search(r"\d", c) and not _HEADER_YEAR.match(c) and not r
           for c, r in zip(cells, reports, strict=True)):
        return current  # a data row (1-9月份完成情况 is a header cell all the same)
    report = frozenset(k for k, r in enumerate(reports) if r)
    years = tuple((k, int(m.group(1))) for k, c in enumerate(cells) if (m := _HEADER_YEAR.match(c)))
    return Header(report=report, years=years, width=len(cells)) if report or years else current


def _shift(para: str, header: Header) -> int:
    """How many cells a row lacks at its start (a merged 类别 cell above it): its cells count
    from the header's column that many to the right."""
    missing = header.width - len(_filled_cells(para))
    return missing if 0 < missing <= 2 else 0


def _filled_cells(line: str) -> list[str]:
    """The cells of a row up to its last non-empty one (a closing `|` opens no cell)."""
    cells = _raw_cells(line)
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _raw_cells(line: str) -> list[str]:
    """Cells in the order _cell_index counts them (a leading separator opens no cell)."""
    cells = [c.strip() for c in _CELL_SPLIT.split(line.strip())]
    return cells[1:] if line.strip()[:1] in _CELL_SEPS else cells


def _cell_index(para: str, pos: int) -> int:
    lead = len(para) - len(para.lstrip())
    bars = sum(para[:pos].count(c) for c in _CELL_SEPS)
    return bars - 1 if para[lead:lead + 1] in _CELL_SEPS else bars


def _paragraph_indicators(doc: Document, pstart: int, para: str, ctx: Context,
                          lex: Lexicon, header: Header | None = None) -> list[Indicator]:
    out: list[Indicator] = []
    carried: int | None = None
    reporting = False  # the paragraph reports an earlier year than the plan's (see _reports_past)
    hits = _hits(para, lex)
    header = header or Header()
    row = _is_row(para)
    shift = _shift(para, header) if row and header.width else 0
    if header.report and row:
        hits = [h for h in hits if _cell_index(para, h.start) + shift not in header.report]
    column_years = {k - shift: y for k, y in header.years} if row else {}
    hits.sort(key=lambda h: h.start)
    starts = [h.start for h in hits]
    for s0, s1 in _sentences(para):
        sentence = para[s0:s1]
        found = deadlines(sentence, lex)
        if not found and carried is not None and not _opens_new_topic(sentence, lex):
            found = [(0, carried)]
        carried = found[-1][1] if found else None
        dated = bool(found) or _default_year(ctx, pstart + s0) is not None
        reporting = _reports_past(sentence, found, reporting, ctx.annual_year or ctx.published_year, lex)
        if reporting or _is_past(sentence, lex, dated):
            continue
        # hits are in text order: a sentence's share is a slice, not a scan of the paragraph
        in_sentence = hits[bisect.bisect_left(starts, s0):bisect.bisect_left(starts, s1)]
        for group in _groups(para, in_sentence):
            year = _year_at(found, group[0].start - s0) or (
                column_years.get(_cell_index(para, group[0].start)) if column_years else None)
            made = _group_indicators(doc, pstart, para, group, year, ctx, lex)
            paired = _paired_years(para, group)
            if paired and len(made) == len(paired):  # 2024年、2025年分别突破2.2万亿元、2.4万亿元
                for ind, y in zip(made, paired, strict=True):
                    ind.year = y
            out.extend(made)
    return out


_YEAR_LIST = re.compile(r"((?:20\d\d年?[、和及至到])+20\d\d年)(?:底前|底|末)?(?:[,]?分别)")


def _paired_years(para: str, group: list[Hit]) -> list[int] | None:
    """Years listed in parallel with the values: one year per value, in order."""
    cstart = _clause_start(para, group[0].start)
    found = list(_YEAR_LIST.finditer(para, max(0, cstart - 40), group[0].start))
    m = found[-1] if found else None
    if m is None or len(group) < 2:
        return None
    years = [int(y) for y in re.findall(r"20\d\d", m.group(1))]
    return years if len(years) == len(group) else None


def _group_indicators(doc: Document, pstart: int, para: str, group: list[Hit], year: int | None,
                      ctx: Context, lex: Lexicon) -> list[Indicator]:
    first = group[0]
    cstart = _clause_start(para, first.start)
    before = para[cstart:first.start]
    prefix_op, prefix_word = _prefix_op(before, lex)
    if first.unit is None and not (prefix_word and before.endswith(prefix_word)
                                   and prefix_word in lex.unitless_prefix):
        return []
    committed = before.endswith(lex.target_verbs + lex.ge_prefix + lex.le_prefix + lex.approx_prefix) or (
        # 创建省级特色品牌五个, 市区新建幼儿园五所: the count closes a clause with a
        # commitment verb before its object
        any(v in before for v in lex.target_verbs)
        and para[group[-1].end:group[-1].end + 1] in _CLAUSE_END + "、")
    if first.chinese and ((not committed and len(prefix_word) < 2) or first.value < 1
                          or para[first.start] in "零〇"):
        return []  # 四所职业院校 is a name, 金属零件 no number; 至少体育锻炼一小时 a target
    if any(w in before for w in lex.clause_cues):
        return []
    clause = para[cstart:_clause_end(para, group[-1].end)]
    if any(w in clause for w in lex.clause_background_cues):
        return []
    label = _label_of(para, cstart)
    if label and (any(w in label for w in lex.junk_labels) or (
            (first.unit or "").endswith("元") and any(w in label for w in lex.money_labels))):
        return []  # 浏览次数:1234次 is page junk, 计划投资:1.2亿元 the size of a project
    if any(w in before.replace("奖励性", "") for w in lex.grant_cues):
        return []  # 给予10万元奖励, 拟资助项目25项: what a fund grants (not 奖励性绩效占比)
    if first.unit and first.unit.endswith("元") and (before.endswith(lex.size_cues) or (
            prefix_op in (None, "<=") and any(w in before for w in lex.money_clause_cues))):
        # 每家补助100万元 and 每家企业不超过50万元 are rules, 总投资7.58亿元 the size of a
        # project; 生活补助标准每人每月不低于500元 is a floor the plan commits to
        return []
    if _scope(before, lex) or _names_something(para, group, committed, ctx, lex):
        return []
    op = _op(group, prefix_op, lex)
    if first.unit in lex.comparator_only and op == "=":
        return []  # 24小时值班: a service hour, 不少于1小时: a target
    if year is None and not _ongoing_row(para, lex):
        # the row's 完成时限 column, else the section's or the plan's year
        year = (_cell_deadline(para) or _row_deadline(doc, pstart + first.start)
                or _next_cells_deadline(doc.text, pstart, para) or _default_year(ctx, pstart + first.start))
    subject = _subject(para, cstart, first, group[-1], prefix_word)
    rule = _form_rule(para, cstart)
    out = []
    for h in group:
        span = doc.span(pstart + h.start, pstart + h.end)
        out.append(Indicator(
            subject=subject, op=op, value=h.value, unit=h.unit or "", span=span,
            value_max=h.value_max, year=year,
            measure=measure_key(doc, pstart + h.start, lex.plan_level_sections), rule=rule,
        ))
    return out


def _label_of(para: str, cstart: int) -> str:
    """The label of a labelled field whose value holds the clause: 计划投资:1.2亿元 -> 计划投资."""
    if cstart < 2 or para[cstart - 1] not in "::":
        return ""
    return para[_clause_start(para, cstart - 1):cstart - 1].strip()[-12:]


_LABEL = re.compile(r"^\s*[\u4e00-\u9fff]{2,8}[::]")


def _form_rule(para: str, cstart: int) -> str:
    """Which block form the target was read from: a table row, a labelled field
    (目标任务:新建幼儿园3所) or prose."""
    if _is_row(para):
        return "indicator.table-cell"
    m = _LABEL.match(para)
    if m and m.end() <= cstart:
        return "indicator.labelled-field"
    return "indicator.prose"


def _names_something(para: str, group: list[Hit], committed: bool, ctx: Context, lex: Lexicon) -> bool:
    """Numbers that describe or name rather than commit: 总投资7.58亿元的县医院 (a size,
    unless a commitment verb touches it: 培育100家以上的企业), 200人以上寄宿制学校 (a size
    threshold), 中共界别小组(7人) (a head count), 成立12个小组 and 27个问题 (a notice's
    structure, a finding), 重点抓好15件实事。分别是: (the count of the list that follows), and
    the echo of a title's number (实施8项民生工程 under …8项民生工程…工作方案)."""
    first, last = group[0], group[-1]
    tail = para[last.end:last.end + 12]
    if tail[:1] == "的" and (len(tail) < 2 or tail[1] in _CLAUSE_END):
        return True  # 年销售收入首次达到2000万元、5000万元的: a condition, not a target
    rest = para[last.end:_sentence_end(para, last.end)]
    if _RATE_BASE.search(para[_clause_start(para, first.start):first.start]) and any(
            w in rest for w in lex.money_clause_cues + lex.grant_cues):
        return True  # 每认定1家给予10万元: the base of a reward rate
    phrase = re.split(r"[,;。:!?、\n(()]", tail, maxsplit=1)[0]
    if last.unit in lex.person_units and (any(w in phrase[:10] for w in lex.institution_nouns)
                                          or phrase.startswith(lex.attendance_verbs)):
        return True  # 200人以上寄宿制学校: a size threshold; 等200多人参加会议: attendance
    if any(w in phrase[:6] for w in lex.structural_nouns):
        return True
    clause = para[_clause_start(para, first.start):_sentence_end(para, last.end)]
    if last.unit in lex.meeting_units and any(w in clause for w in lex.meeting_words):
        return True  # 每年至少召开1次: how often a body meets
    if first.start > 0 and para[first.start - 1] in "((" and para[last.end:last.end + 1] in "))":
        return True
    if any((h.value, h.unit or "", para[h.end:h.end + 2]) in ctx.title_numbers for h in group):
        return True
    return last.unit in lex.list_units and _announces_list(para, last.end, lex)


# a number right after a 每-phrase other than a period (每认定1家, not 每年培育10个)
_RATE_BASE = re.compile(r"每(?![年月季周天日两三四五六七八九十])[\u4e00-\u9fff]{1,3}$")


def _clause_end(para: str, pos: int) -> int:
    # one search for the nearest end (a find per end character reads to the paragraph's end
    # for each character that does not occur: quadratic over a long paragraph)
    m = _CLAUSE_END_RE.search(para, pos)
    return m.start() if m else len(para)


def _sentence_end(para: str, pos: int) -> int:
    m = _SENTENCE_END_RE.search(para, pos)
    return m.start() if m else len(para)


def _announces_list(para: str, end: int, lex: Lexicon) -> bool:
    depth = 0
    for i in range(end, len(para)):
        ch = para[i]
        if ch in "((":
            depth += 1
        elif ch in "))":
            depth = max(0, depth - 1)
        elif depth == 0 and ch == ":":
            return True
        elif ch == "。":
            return para[i + 1:].lstrip().startswith(lex.list_openers)
        elif ch == "如" and para.startswith("如下", i):
            return True
    return False


def _scope(before: str, lex: Lexicon) -> bool:
    at = max((before.rfind(w) for w in lex.scope_cues), default=-1)
    if at < 0:
        return False
    rest = before[at:]
    return not any(v in rest for v in lex.target_verbs + lex.ge_prefix + lex.scope_breakers)


def _subject(para: str, cstart: int, first: Hit, last: Hit, prefix_word: str) -> str:
    before = para[cstart:first.start]
    if re.search(r"\d", before):  # 推进40项重大专项、80项前沿技术研发: the words after this number
        cut = max(before.rfind(c) for c in "、和及与")
        before = before[cut + 1:] if cut >= 0 else before
    if prefix_word and before.endswith(prefix_word):
        before = before[: -len(prefix_word)]
    before = re.sub(r"(?:分别|均|共|总计|合计|包括)$", "", before)
    before = _SUBJECT_STRIP.sub("", before).strip()
    if len(before) <= 2:
        tail = re.split(r"[,;。:!?、\n]|[和及与](?=\d)", para[last.end:], maxsplit=1)[0]
        before = (before + tail).strip()
    if not before and cstart > 1:
        before = para[_clause_start(para, cstart - 1):cstart - 1]  # 贡献显著增强,达到60%以上
    return before[-40:]


# ---------------------------------------------------------------- indicator tables

# 指标 | 2020年 | 2025年 | 属性: a column per year, the last year's column holds the targets
_YEAR_COLUMN = re.compile(r"^(20\d\d)\s*年?\s*(?:\(?(?:基期|现状|目标|预期)值?\)?)?$")
_TABLE_VALUE = re.compile(r"^(?P<pre>≥|≤|>|<|>=|<=|不低于|不高于|不少于|不超过|达到|约)?\s*"
                          r"(?P<a>\d+(?:\.\d+)?)\s*(?:[~～—-]\s*(?P<b>\d+(?:\.\d+)?))?\s*"
                          r"(?P<unit>%|‰)?\s*(?P<suf>以上|以下|左右|以内)?$")
_SUBJECT_UNIT = re.compile(r"\s*\(([^()]{1,6})\)\s*$")
_TABLE_OPS = {"≥": ">=", ">": ">=", ">=": ">=", "不低于": ">=", "不少于": ">=", "达到": ">=",
              "≤": "<=", "<": "<=", "<=": "<=", "不高于": "<=", "不超过": "<=", "约": "~",
              "以上": ">=", "以下": "<=", "以内": "<=", "左右": "~"}


# cell separators of a table row as pages flatten it: pipes, box-drawing bars, tabs
_CELL_SEPS = "|│┃\t"
_CELL_SPLIT = re.compile(r"[|│┃\t]")


@lru_cache(maxsize=64)  # asked once per target of a paragraph: counting is O(paragraph)
def _is_row(line: str) -> bool:
    return sum(line.count(c) for c in _CELL_SEPS) >= 2


def _cells(line: str) -> list[str]:
    return [c.strip() for c in _CELL_SPLIT.split(line) if c.strip()]


def _row_cells(line: str) -> list[str]:
    cells = [c.strip() for c in line.split("|")]
    while cells and not cells[0]:
        cells.pop(0)
    while cells and not cells[-1]:
        cells.pop()
    return cells


def table_indicators(doc: Document, lex: Lexicon) -> tuple[list[Indicator], list[tuple[int, int]]]:
    """Targets in tables of indicators (主要指标表): rows of `subject(unit) | baseline |
    target`, the target column being the latest year's. Returns them with the text ranges
    the tables cover, which the sentence reader then skips (a baseline is no target)."""
    out: list[Indicator] = []
    taken: list[tuple[int, int]] = []
    lines = list(_paragraphs(doc.text))
    i = 0
    while i < len(lines):
        start, line = lines[i]
        years = [(k, int(m.group(1))) for k, c in enumerate(_row_cells(line))
                 if "|" in line and (m := _YEAR_COLUMN.match(c))]
        if len(years) < 2:
            i += 1
            continue
        target_col, year = max(years, key=lambda t: t[1])
        subject_col = 0 if years[0][0] > 0 else None
        header = _row_cells(line)
        unit_col = next((k for k, c in enumerate(header) if c in ("单位", "计量单位")), None)
        if subject_col is not None and header[0] in ("序号", "编号") and years[0][0] > 1:
            subject_col = 1
        i += 1
        end = start + len(line)
        while i < len(lines) and "|" in lines[i][1] and subject_col is not None:
            rstart, row = lines[i]
            end = rstart + len(row)
            ind = _table_row_indicator(doc, rstart, row, subject_col, target_col, unit_col, year, lex)
            if ind is not None:
                out.append(ind)
            i += 1
        taken.append((start, end + 1))
    return out, taken


_GROUP_LINE = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\))[^。,;]{0,20}$")
_ROW_OPEN = re.compile(r"^\d{1,2}[.、](?!\d)")
_VALUE_LINE = re.compile(r"^(?:≥|≤|>|<|>=|<=|不低于|不高于|不少于|不超过|达到|约)?\s*\d+(?:\.\d+)?\s*"
                         r"(?:[~～—-]\s*\d+(?:\.\d+)?)?\s*[^\d\s]{0,4}$")


def cell_line_table_indicators(doc: Document, lex: Lexicon) -> tuple[list[Indicator], list[tuple[int, int]]]:
    """An indicator table printed one cell per line (a page's table flattened): a header of
    short lines with two or more year columns (指标 / 2020年 / 2025年 / 属性), then rows that
    open with a number (1.学前教育毛入园率(%) / 99% / 99%以上 / 约束性) under group lines
    (一、发展水平). A row that stacks sub-rows (其中:小学 / 初中) lists its subjects first, then
    each year column's values in turn."""
    out: list[Indicator] = []
    taken: list[tuple[int, int]] = []
    lines = [(a, line.strip()) for a, line in _paragraphs(doc.text)]
    i = 0
    while i < len(lines):
        head: list[str] = []
        j = i
        while j < len(lines) and 0 < len(lines[j][1]) <= 12 and not _ROW_OPEN.match(lines[j][1]) \
                and not _GROUP_LINE.match(lines[j][1]) and len(head) < 8:
            head.append(lines[j][1])
            j += 1
        years = [int(m.group(1)) for c in head if (m := _YEAR_COLUMN.match(c))]
        if len(head) < 3 or len(years) < 2 or _YEAR_COLUMN.match(head[0]) or "|" in "".join(head):
            i = max(j, i + 1)
            continue
        target = years.index(max(years))
        end = j
        while end < len(lines):
            text = lines[end][1]
            if _GROUP_LINE.match(text):
                end += 1
                continue
            if not _ROW_OPEN.match(text):
                break
            k = end + 1
            while k < len(lines) and 0 < len(lines[k][1]) <= 40 and not _ROW_OPEN.match(lines[k][1]) \
                    and not _GROUP_LINE.match(lines[k][1]):
                k += 1
            out += _stacked_row(doc, lines[end:k], len(years), target, max(years), lex)
            end = k
        if end > j:
            taken.append((lines[i][0], lines[end - 1][0] + len(lines[end - 1][1]) + 1))
        i = max(end, i + 1)
    return out, taken


def _stacked_row(doc: Document, row: list[tuple[int, str]], n_years: int, target: int, year: int,
                 lex: Lexicon) -> list[Indicator]:
    subjects = []
    for a, text in row:
        if _VALUE_LINE.match(text):
            break
        subjects.append((a, text))
    values = [(a, t) for a, t in row[len(subjects):] if _VALUE_LINE.match(t)]
    if not subjects:
        return []
    main = _ROW_OPEN.sub("", subjects[0][1])
    unit_m = _SUBJECT_UNIT.search(main)
    unit = unit_m.group(1) if unit_m else ""
    main_name = main[:unit_m.start()] if unit_m else main
    named = list(enumerate(subjects))
    if len(subjects) > 1 and len(values) == (len(subjects) - 1) * n_years:
        named = named[1:]  # the row only names the quantity; its 其中 sub-rows hold the values
    elif len(values) != len(subjects) * n_years and not (len(subjects) == 1 and len(values) >= n_years):
        return []
    out = []
    for slot, (n, (_, text)) in enumerate(named):
        name = main_name if n == 0 else text.removeprefix("其中:")
        sub_unit = _SUBJECT_UNIT.search(name)
        if n and sub_unit:
            name = name[:sub_unit.start()]
        elif n:
            name = f"{main_name}({name})"
        a, value_text = values[target * len(named) + slot]
        if unit and unit not in "%‰":
            value_text = value_text.replace(unit, "")
        m = _TABLE_VALUE.match(value_text.replace(" ", ""))
        if not m:
            continue
        b = m.group("b")
        line_end = a + len(doc.text[a:].split("\n", 1)[0])
        out.append(Indicator(subject=name, op=_table_op(m), value=float(m.group("a")),
                             unit=m.group("unit") or (sub_unit.group(1) if n and sub_unit else unit),
                             span=doc.span(a, line_end), value_max=float(b) if b else None, year=year,
                             measure=measure_key(doc, a, lex.plan_level_sections),
                             rule="indicator.year-column-table.lines"))
    return out


def _table_op(m: re.Match[str]) -> str:
    """The comparison a table cell's value states (_TABLE_VALUE): a range, 以上/以下 after the
    number, ≥/不低于 before it, else an exact value."""
    if m.group("b"):
        return "~"
    return _TABLE_OPS.get(m.group("suf") or "") or _TABLE_OPS.get(m.group("pre") or "") or "="


def _table_row_indicator(doc: Document, rstart: int, row: str, subject_col: int, target_col: int,
                         unit_col: int | None, year: int, lex: Lexicon) -> Indicator | None:
    parts = row.split("|")
    offsets, pos = [], rstart
    for part in parts:
        offsets.append(pos)
        pos += len(part) + 1
    cells = [p.strip() for p in parts]
    if parts and not cells[0] and len(cells) > 1:  # | a | b | with a leading bar
        parts, cells, offsets = parts[1:], cells[1:], offsets[1:]
    if max(subject_col, target_col) >= len(cells):
        return None
    value_text = cells[target_col]
    m = _TABLE_VALUE.match(value_text.replace(" ", ""))
    subject = cells[subject_col]
    if not m or not subject or not _HAS_CJK.search(subject):
        return None
    unit_m = _SUBJECT_UNIT.search(subject)
    unit = m.group("unit") or (unit_m.group(1) if unit_m else "")
    if unit_col is not None and unit_col < len(cells) and not unit:
        unit = cells[unit_col]
    if unit_m:
        subject = subject[:unit_m.start()]
    b = m.group("b")
    cell_start = offsets[target_col] + (len(parts[target_col]) - len(parts[target_col].lstrip()))
    span = doc.span(cell_start, cell_start + len(value_text))
    return Indicator(subject=subject, op=_table_op(m), value=float(m.group("a")), unit=unit, span=span,
                     value_max=float(b) if b else None, year=year,
                     measure=measure_key(doc, cell_start, lex.plan_level_sections),
                     rule="indicator.year-column-table")


_HAS_CJK = re.compile(r"[\u4e00-\u9fff]")

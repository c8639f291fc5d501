"""School construction: flags measures that build, expand, relocate or rebuild school
premises or add school places, and lists the named school projects they commit to.

新建西村小学、积富小学,迁建城南小学 -> SchoolProject(西村小学, 新建), (积富小学, 新建),
(城南小学, 迁建). Designations (体育特色学校, 示范校), rooms and bases (劳动教室, 实践基地)
and institutions (学院) are not premises. A measure's text commits to premises in any
block form: prose (改扩建城东小学), premises put into use (第五幼儿园秋季投入使用), places
added (扩充公办幼儿园学位至1800个), a table row whose action cell follows the school cell
(南湖小学 | 新建), a project record with a 建设内容:/建筑面积: field naming a school, a
one-line item (3.城东小学迁建项目). Words live in loaders/schools.toml.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from kg import rules
from kg.extract.indicators import is_background_title, measure_key
from kg.extract.indicators import lexicon as indicator_lexicon
from kg.model import Document, Measure, SchoolProject

TOPIC = "school-construction"

_CLAUSE = re.compile(r"[^,;。!?:\n|]+")  # a table cell (|) is a clause of its own
_OPTIONAL_CHAR = re.compile(r"\(([扩改迁新])\)")
_BOUNDARY_CHARS = r"$|[,;。!?:、和及与等(\d一二两三四五六七八九十|\s]"
_LIST_SPLIT = re.compile(r"、|和|及|以及|与")
# 整改建议 holds 改建 but builds nothing: a verb run after 整 is no verb (see _project_matches)
_VERB_GUARD_BEFORE = "整"
_VERB_GUARD_AFTER = r"(?!议)"
_PROJECT_TAIL = re.compile(r"项目|工程|新建|迁建|扩建|改建|续建|建设")


@dataclass(frozen=True)
class Lexicon:
    completion: re.Pattern[str]
    completion_gap_exclude: tuple[str, ...]
    places: re.Pattern[str]
    place_exclude: tuple[str, ...]
    project_field: re.Pattern[str]
    verb_noun: re.Pattern[str]
    adjacent_noun: re.Pattern[str]
    noun_after: re.Pattern[str]
    standalone: tuple[str, ...]
    designations: tuple[str, ...]
    facilities: tuple[str, ...]
    clause_cues: tuple[str, ...]
    project: re.Pattern[str]
    project_after: re.Pattern[str]
    suffix_actions: dict[str, str]
    nouns: tuple[str, ...]
    noun: re.Pattern[str]
    lead_ins: tuple[str, ...]
    generic_prefixes: tuple[str, ...]
    min_name_length: int


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@rules.loader
@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = rules.load("schools")
    verbs, nouns, exclude = data["verbs"], data["nouns"], data["exclude"]
    adjacent = set(verbs["adjacent_only"])
    free_verbs = [v for v in verbs["build"] if v not in adjacent]
    school_nouns = nouns["schools"] + nouns["premises"] + nouns["places"]
    # 二中, 三小, 实验小: a short school name (not 中心, 中国, 小学 which is a noun itself)
    short = rf"(?:{_alt(nouns['short_name_heads'])})[中小](?![学心国部型微])"
    noun = _alt(school_nouns) + "|" + short
    building = _alt(nouns["schools"] + nouns["premises"]) + "|" + short
    gap = int(verbs["max_gap"])
    build = _alt(verbs["build"])
    boundary = rf"(?={_BOUNDARY_CHARS}|{_alt(nouns['noun_followers'])})"
    comp = data["completion"]
    return Lexicon(
        completion=re.compile(rf"(?P<noun>{building})(?P<gap>[^,;。!?:\n|]{{0,{int(comp['gap'])}}}?)"
                              rf"(?P<done>{_alt(comp['words'])})"),
        completion_gap_exclude=tuple(comp["gap_exclude"]),
        places=re.compile(rf"(?P<verb>{_alt(data['places']['verbs'])})[^,;。!?:\n]{{0,{int(data['places']['gap'])}}}?"
                          r"学位"),
        place_exclude=tuple(data["places"]["exclude"]),
        project_field=re.compile(rf"(?:{_alt(data['project_fields']['labels'])})\s*[::]"),
        verb_noun=re.compile(rf"(?<!{_VERB_GUARD_BEFORE})(?P<verb>{_alt(free_verbs)}){_VERB_GUARD_AFTER}(?P<gap>[^,;。!?:\n]{{0,{gap}}}?)"
                             rf"(?P<noun>{noun}){boundary}"),
        adjacent_noun=re.compile(rf"(?P<verb>{_alt(sorted(adjacent))})(?P<gap>[^,;。!?:\n、的]{{0,6}}?)"
                                 rf"(?P<noun>{noun}){boundary}"),
        # a table row may put the action in the next cell: 城北小学 | 新建 | 2025年9月
        noun_after=re.compile(rf"(?P<noun>{building})(?:[ \t|]*|的)"
                              rf"(?P<after>{_alt(nouns['after_noun'])})"
                              rf"(?=$|[,;。!?:、和及与等(\s|]|{_alt(nouns['after_noun_followers'])})"),
        standalone=tuple(nouns["standalone"]),
        designations=tuple(exclude["designations"]),
        facilities=tuple(exclude["facilities"]),
        clause_cues=tuple(exclude["clause_cues"]),
        # a run of verbs (新建改(扩)建X) is one verb: the name starts after the last of them
        # (?:X)(?:X)* and not (?:X)+: a pattern that opens with a repeat (or a lookbehind) is
        # tried at every position of the text, one that opens with the words is searched for
        project=re.compile(rf"(?P<verb>(?:{build})(?:{build})*){_VERB_GUARD_AFTER}(?P<items>[^,;。!?:\n|]+)"),
        project_after=re.compile(rf"(?P<names>[^,;。!?:\n|]+?(?:{noun}))的?"
                                 rf"(?P<suffix>{_alt(list(data['projects']['suffix_actions']))})"),
        suffix_actions=dict(data["projects"]["suffix_actions"]),
        nouns=tuple(sorted(set(nouns["schools"] + nouns["premises"]), key=len, reverse=True)),
        noun=re.compile(noun),
        lead_ins=tuple(data["projects"]["lead_ins"]),
        generic_prefixes=tuple(data["projects"]["generic_prefixes"]),
        min_name_length=int(data["projects"]["min_name_length"]),
    )


def _prepare(text: str) -> tuple[str, list[int]]:
    """改(扩)建 -> 改扩建, with the original offset of every kept character (plus the end)."""
    chars: list[str] = []
    where: list[int] = []
    last = 0
    for m in _OPTIONAL_CHAR.finditer(text):
        chars.extend(text[last : m.start()])
        where.extend(range(last, m.start()))
        chars.append(m.group(1))
        where.append(m.start(1))
        last = m.end()
    chars.extend(text[last:])
    where.extend(range(last, len(text)))
    where.append(len(text))
    return "".join(chars), where


def evidence(text: str) -> list[tuple[int, int]]:
    """Offsets in `text` of phrases that commit to school premises or places."""
    lex = lexicon()
    prepared, where = _prepare(text)
    out: list[tuple[int, int]] = []
    for c in _CLAUSE.finditer(prepared):
        clause = c.group()
        if any(w in clause for w in lex.clause_cues):
            continue
        out.extend((where[c.start() + a], where[c.start() + b]) for a, b in _clause_evidence(clause, lex))
    if not out:
        out.extend(_row_evidence(prepared, where, lex))
    if not out:
        out.extend(_project_record(prepared, where, lex))
    return out


_ROW_ACTIONS = ("新建", "迁建", "扩建", "改扩建", "新改扩建", "续建", "改建", "重建")


def _row_evidence(prepared: str, where: list[int], lex: Lexicon) -> list[tuple[int, int]]:
    """A table row whose action cell follows a school cell: 南湖小学 | 新建 | 2026年8月."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in prepared.split("\n"):
        row_start, pos = pos, pos + len(line) + 1
        if "|" not in line:
            continue  # a search for `|` from every offset of a long line would be quadratic
        cells = list(re.finditer(r"[^|]+", line))
        for prev, cell in pairwise(cells):
            name, action = prev.group().strip(), cell.group().strip()
            if action in _ROW_ACTIONS and name.endswith(lex.nouns) and not _excluded(name, lex):
                a = row_start + cell.start() + cell.group().index(action)
                out.append((where[a], where[a + len(action)]))
    return out


def _project_record(prepared: str, where: list[int], lex: Lexicon) -> list[tuple[int, int]]:
    """A project record with a construction field (建设内容:…, 建筑面积:…) that names a
    school: 项目名称:河西实验学校 / 建设内容:建筑面积1.2万平方米,设36个班."""
    field = lex.project_field.search(prepared)
    if field is None:
        return []
    for m in lex.noun.finditer(prepared):
        if m.group() == "学位":
            continue
        clause_start = max(prepared.rfind(c, 0, m.start()) for c in ",;。!?:\n|")
        if not _excluded(prepared[clause_start + 1:m.end()], lex):
            return [(where[field.start()], where[field.end()])]
    return []


def _clause_evidence(clause: str, lex: Lexicon) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    for m in lex.completion.finditer(clause):
        if not _excluded(m.group(), lex) and not any(w in m.group("gap") for w in lex.completion_gap_exclude):
            found.append(m.span())
    for m in lex.places.finditer(clause):
        if not any(w in clause for w in lex.place_exclude):
            found.append(m.span())
    for w in lex.standalone:
        i = clause.find(w)
        if i >= 0:
            found.append((i, i + len(w)))
    for pattern in (lex.verb_noun, lex.adjacent_noun):
        for m in pattern.finditer(clause):
            if not _excluded(m.group(), lex):
                found.append(m.span())
    for m in lex.noun_after.finditer(clause):
        if not _excluded(clause[: m.end("noun")], lex):
            found.append(m.span())
    return found


def _excluded(phrase: str, lex: Lexicon) -> bool:
    return any(w in phrase for w in lex.designations + lex.facilities)


def is_construction(text: str) -> bool:
    return bool(evidence(text))


# ---------------------------------------------------------------- projects


def _actions(verb: str) -> list[str]:
    """新建续建 -> its first action; 改扩建 stays whole; 新建改(扩)建 is 新改扩建."""
    if verb.startswith(("新建改扩建", "新建改建")):
        return ["新改扩建"]
    for a in ("新改扩建", "改扩建", "迁建", "续建", "新建", "扩建", "改建", "回收", "接收", "重建"):
        if verb.startswith(a):
            return [a]
    return [verb]


def _is_name(name: str, lex: Lexicon) -> bool:
    return (len(name) >= lex.min_name_length and not name.startswith(lex.generic_prefixes)
            and not re.search(r"\d|等|的|配套|一批|若干", name) and name.endswith(lex.nouns)
            and not _excluded(name, lex))


def _trim(item: str, lex: Lexicon) -> tuple[int, int]:
    """The name inside a list item: after the last lead-in verb, up to the end of the first
    run of adjacent school nouns (新华中学教学综合楼, not …幼儿园举办为公办园)."""
    marker = _ITEM_MARKER.match(item)
    start = marker.end() if marker else 0  # 3.城东小学迁建项目: the name follows the item number
    for w in lex.lead_ins:
        i = item.rfind(w)
        if i >= 0 and i + len(w) < len(item):
            start = max(start, i + len(w))
    end = -1
    for m in lex.noun.finditer(item, start):
        if end >= 0 and m.start() != end:
            break
        end = m.end()
    return start, (end if end >= 0 else len(item))


_ITEM_MARKER = re.compile(r"^\s*(?:(?:(?:\d{1,3}|[一二三四五六七八九十]{1,3})[.、.]|"
                          r"[((](?:\d{1,3}|[一二三四五六七八九十]{1,3})[))])\s*)?")
_CLAUSE_END = re.compile(r"[,;。!?:\n|]")


@lru_cache(maxsize=1)
def _suffix_words() -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, sorted(lexicon().suffix_actions, key=len, reverse=True))))


def _suffix_matches(prepared: str, lex: Lexicon) -> list[re.Match[str]]:
    """`project_after` run only on the clauses that hold a 迁建项目-style word: the lazy
    name group makes it quadratic on long clause-free text (a law's 条 lines)."""
    out: list[re.Match[str]] = []
    done = -1
    for w in _suffix_words().finditer(prepared):
        if w.start() < done:
            continue
        begin = max((m.end() for m in _CLAUSE_END.finditer(prepared, max(0, w.start() - 400),
                                                             w.start())), default=max(0, w.start() - 400))
        end_m = _CLAUSE_END.search(prepared, w.end())
        done = end_m.start() if end_m else len(prepared)
        out.extend(lex.project_after.finditer(prepared, begin, done))
    return out


def _verbatim(text: str, start: int, end: int) -> bool:
    """A name is quoted from the text as written; one that only exists once 改(扩)建 is
    folded (a dropped "(扩)" inside it) is not a name the text gives."""
    return "(" not in text[start:end]


def projects_in(text: str) -> list[tuple[str, str, int, int]]:
    """(name, action, start, end) for each named school after a build verb, or before a
    迁建项目-style suffix; offsets are into `text`."""
    return [(n, a, s, e) for n, a, s, e, _ in projects_with_rules(text)]


def _project_matches(prepared: str, lex: Lexicon) -> Iterator[re.Match[str]]:
    """lex.project.finditer, skipping a verb run that follows 整 (the search goes on from the
    next character, as a lookbehind in the pattern would)."""
    pos = 0
    while (m := lex.project.search(prepared, pos)) is not None:
        if m.start() and prepared[m.start() - 1] == _VERB_GUARD_BEFORE:
            pos = m.start() + 1
            continue
        yield m
        pos = m.end()


def projects_with_rules(text: str) -> list[tuple[str, str, int, int, str]]:
    """projects_in with the id of the rule that found each: school.named-before-action
    (城南小学迁建项目) or school.named-project (新建西村小学)."""
    lex = lexicon()
    prepared, where = _prepare(text)
    out: list[tuple[str, str, int, int, str]] = []
    for m in _suffix_matches(prepared, lex):
        action = lex.suffix_actions[m.group("suffix")]
        items = m.group("names")
        pos = 0
        for item in _LIST_SPLIT.split(items):
            start = items.find(item, pos)
            pos = start + len(item)
            a = start + _trim(item, lex)[0]
            name = items[a:start + len(item)]
            s, e = where[m.start("names") + a], where[m.start("names") + pos]
            if _is_name(name, lex) and _verbatim(text, s, e):
                out.append((text[s:e], action, s, e, "school.named-before-action"))
    taken = [(a, b) for _, _, a, b, _ in out]
    for m in _project_matches(prepared, lex):
        action = _actions(m.group("verb"))[0]
        if action in ("建设", "规划建设", "配套建设", "加快建设", "增加", "加固", "建成"):
            continue
        pos = m.start("items")
        for item in _LIST_SPLIT.split(m.group("items")):
            start = prepared.find(item, pos)
            pos = start + len(item)
            a, b = _trim(item, lex)
            name, tail = item[a:b], item[b:]
            if not _is_name(name, lex) or _PROJECT_TAIL.search(tail) or _excluded(tail, lex):
                continue
            s, e = where[start + a], where[start + b]
            if _verbatim(text, s, e) and not any(x <= s < y for x, y in taken):
                out.append((text[s:e], action, s, e, "school.named-project"))
    return sorted(out, key=lambda t: t[2])


# ---------------------------------------------------------------- driver


def _measure_text(doc: Document, m: Measure) -> tuple[int, str]:
    if m.end > m.start:
        return m.start, doc.text[m.start : m.end]
    return m.start, m.text


def extract(doc: Document) -> None:
    for m in doc.measures:
        _, text = _measure_text(doc, m)
        if is_construction(text):
            m.school_construction = True
            if TOPIC not in m.topics:
                m.topics.append(TOPIC)
    doc.schools.extend(_projects(doc))


def _projects(doc: Document) -> list[SchoolProject]:
    """Projects of the whole text outside background sections, each under its innermost
    measure (or its section path while measures are not extracted)."""
    ilex = indicator_lexicon()
    background = [(s.start, s.end) for s in doc.sections_flat()
                  if is_background_title(s.title, ilex)]
    out: list[SchoolProject] = []
    for name, action, a, b, rule in projects_with_rules(doc.text):
        if any(s <= a < e for s, e in background):
            continue
        key = measure_key(doc, a, ilex.plan_level_sections)
        if doc.measures and not _flagged(doc, a):
            continue
        out.append(SchoolProject(name=name, action=action, measure=key, span=doc.span(a, b), rule=rule))
    return out


def _flagged(doc: Document, pos: int) -> bool:
    return any(m.start <= pos < m.end and m.school_construction for m in doc.measures)

"""Leading groups, their working groups and task forces: 教育改革领导小组 (组长 周恩海, office in
区教委), 教学教研组 (parent 教育改革领导小组, lead unit 区教委), 跨部门创建攻坚工作专班.

A group is a name with a group ending (领导小组, 工作组, 工作专班, 领导组 … in loaders/posts.toml)
that the plan sets up, gives a roster or makes act. Each Group's `rule` says which form made
it:
- group.notice-title: 关于成立/建立/调整X(成员)的通知, the title often wrapped over lines;
  the body's first set-up under another name is the same group;
- group.set-up: after 成立/依托/由 … (成立市、县两级X专班 -> X);
- group.heading: a name opening a line (a heading, a roster's title, a paragraph's subject);
- group.roster-heading: a heading that a roster follows, bare 组/委员会 too ((一)教学教研组,
  1、中共界别小组(7人));
- group.named: a name inside a sentence that carries a place or level (县…领导小组负责),
  or acts (…指挥部召开…); a bare name there (研究提出需领导小组决策) is only a reference;
- group.tag: listed in a responsibility field (责任单位:…工作专班);
- group.role-apposed: a role written after the name, in news (督导组组长张某, …领导组副组长、
  县教育局局长李某, A、B等督导评估组成员);
- group.office-acts: named through an office that acts or has a head (市…领导小组办公室牵头);
- group.subgroup: X下设A组、B组; group.enumeration: a run of items sharing a group ending
  (联系中共界别小组,社科、医药界别小组,…).
Not groups: names inside a cited title, the notice's own issuer in its header, groups in
general (各级…领导小组, 各县也要相应成立…), set-ups cited from elsewhere (关于成立…的部署), a
group named only as a unit cell of a table, counted phrases (三个工作组). One group may be
written several ways: a short reference (领导小组), an alias ((以下简称X)), a level-word or
abridged form (区整改工作领导小组, 县委对台工作领导小组 for 县委对台湾工作领导小组); the
fullest name with its place is kept. Who sits in a group comes from kg/extract/rosters.py;
lead units (由X牵头, 牵头单位:X), members (成员单位:…, X、Y参与组建, 成员由X、Y…组成), the office
(办公室设在X, 下设办公室(在X)) and the parent (a heading's enclosing section, a section that
opens with 领导小组下设…, the notice's own group, X下设A组、B组) are read near the group's
mentions. Unit names stay as written; kg/resolve.py turns them into organizations.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from kg.extract import rosters
from kg.gazetteer import place_prefix_lengths
from kg.model import Document, Group, Section
from kg.restructure import cn_value

_MAX_NAME = 40
_NAME_CHAR = re.compile(r"[\u4e00-\u9fff0-9A-Za-z·“”\"《》]")
_STOP = ",。;:!?()\n"
_LIST_OR_VERB = re.compile(r"等|担任|兼任|(?<![主责信委])任|作为|成为")
_ALIAS_REACH = 800  # how far after a notice's title its body names the notice's group again
_NEAR = 1500  # how far back a short reference (领导小组, 专班) looks for its group
_OFFICE = re.compile(r"办公室(?:下)?设(?:在|于)|办公室挂靠(?:在|于)?|下设办公室[,,]?\(?(?:办公室)?设?在"
                     r"|办公室(?:正式)?(?:在|于)(?=[^,。;\n]{2,30}?(?:揭牌|挂牌))")  # …办公室在X揭牌
_LEAD = re.compile(r"由(?P<u>[^,。;:\n]{2,30}?)(?:负责)?牵头|牵头单位(?:为|是)(?P<u2>[^,。;:\n]{2,30})"
                   r"|牵头(?:成立|组建|设立)")
# 省气象局为牵头单位: searched from the verb (a pattern opening with the unit would be tried
# at every character), the unit read back to its clause's start
_LEAD_AS = re.compile(r"(?:为|是|作为)牵头(?:单位|部门)")
# 由市教育局副局长某某任组长的某市督导评估组: a bare-组 group named with its leader
_LED_WEAK = re.compile(r"(?:任|担任)(?:组长|副组长)的(?P<name>[\u4e00-\u9fff]{2,20}?组)"
                       r"(?=[对于在,。;:(\n]|$)")
_STEM = r"(?:(?![等两一二三四五六七八九十\d])[\u4e00-\u9fff]){2,14}"
_DISTRIBUTED = re.compile(
    rf"(?P<verb>成立|组建|设立|下设|分设|分成|分为)(?P<list>{_STEM}(?:、{_STEM})+)"
    r"(?:等)?(?P<count>两|[一二三四五六七八九十]{1,3}|\d{1,2})个(?P<end>工作小组|专项小组|工作组|小组|专班|组)(?![长员])")
_JOINS = re.compile(r"参与组建|共同组建|参与|组成(?![员部])")
_UNVEILED = re.compile(r"(?:正式)?(?:揭牌|挂牌)")
_JOIN_LEAD = re.compile(r"^(?:成员|组员|成员单位)?(?:由|以)")
_JOINERS_ETC = re.compile(r"等[^、]{0,20}$")
_COUNT_TAIL = re.compile(r"(?:等)?[\d一二三四五六七八九十两]+个(?:工作|专项)?(?:小组|组|专班)$")
_LEVEL_CHARS = set("区县市省州旗乡镇")
_GAP_ORG = re.compile(r"[局委办厅部院校]")  # left out of a name, these change whose group it is
_ALIAS = re.compile(r"\((?:以下)?简称“?(?P<alias>[^”)\n]{2,20})”?\)")
# 两个工作组, 一套专班 (一个项目、一名领导、一套专班), 每个专班: a count, not a name
_COUNTED = re.compile(r"^(?:[\d一二三四五六七八九十两几多]+[个套名支批项家所种类级]|每)")


@dataclass(frozen=True)
class Lexicon:
    strong: re.Pattern[str]
    strong_end: re.Pattern[str]  # a strong ending at the end of a string
    ending: re.Pattern[str]  # any group ending at the end of a string
    set_up_weak: re.Pattern[str]  # 成立 + a name ending in 组, up to a clause's end
    kinds: tuple[tuple[str, str], ...]
    heading_tail: re.Pattern[str]
    opens: re.Pattern[str]  # words after which a name makes a group
    cut: re.Pattern[str]  # words after which a name is only an object or addressee
    join: re.Pattern[str]  # 及/和 between two names: 乡镇街道及区委…, 第三方管理机构和联席…
    generic: tuple[str, ...]
    generic_stems: tuple[str, ...]
    not_the_group: tuple[str, ...]
    establish: re.Pattern[str]
    substructure: re.Pattern[str]
    levels: tuple[str, ...]
    zu_goes_on: re.Pattern[str]  # 组织, 组建: a 组 ending that goes on
    not_zu: tuple[str, ...]  # 党组, 班组: words in 组 that are no group
    title_setup: re.Pattern[str]  # …关于成立X的通知
    generic_subjects: tuple[str, ...]
    generic_setup: re.Pattern[str]  # 相应成立: every body of a kind sets up its own
    apposed_role: re.Pattern[str]  # 组长/副组长/成员 right after a name
    office_acts: re.Pattern[str]  # 办公室主任/办公室牵头 right after a name
    heading_bracket: re.Pattern[str]
    duty_field: re.Pattern[str]  # 责任单位: / 牵头部门: — a field that names who does the work
    acting_after: re.Pattern[str]  # 召开, 牵头 … right after a name: the group acts


def _alt(words: list[str] | tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    base = rosters.lexicon()
    g: dict[str, Any] = base.groups
    f: dict[str, Any] = base.group_forms
    endings = g["strong"] + g["weak"]
    not_you = "".join(g["not_before_you"])
    not_bao = "".join(g["not_before_bao"])
    cut = [w for w in g["cut_before"] if w != "报"]
    levels = tuple(p for p in base.prefixes if p not in ("中央", "国务院", "全国", "国家"))
    return Lexicon(
        strong=re.compile(_alt(g["strong"])),
        strong_end=re.compile(rf"(?:{_alt(g['strong'])})$"),
        set_up_weak=re.compile(rf"(?:{_alt(g['establish'])})了?"
                               rf"(?P<name>[\u4e00-\u9fff“”]{{2,30}}?(?:{_alt(g['set_up_weak'])}))"
                               rf"(?:{_alt(g['set_up_tails'])})?(?=[,。;:()\n]|$)"),
        ending=re.compile(rf"(?:{_alt(endings)})$"),
        kinds=tuple((e, k) for e, k in g["kinds"]),
        heading_tail=re.compile(rf"(?:{_alt(g['heading_tails'])})$"),
        opens=re.compile(rf"{_alt([w for w in g['opens_group'] if w not in ('由', '联合')])}"
                         rf"|(?<![{not_you}])由|联合(?!国)"),
        cut=re.compile(rf"{_alt(cut)}|(?<![{not_bao}])报|\d+号"),
        join=re.compile(rf"(?:及|和|与|、|经|报)(?=中共|{_alt(list(base.prefixes))})"
                        r"|(?:(?<=[局委办部院厅署组])|(?<=机构|中心|单位|专班))(?:及|和|与|、|或者|或)"),
        generic=tuple(g["generic_openings"]),
        generic_stems=tuple(f["generic_stems"]),
        not_the_group=tuple(g["not_the_group"]),
        establish=re.compile(rf"(?:{_alt(g['establish'])})(?!员)了?"),
        substructure=re.compile(_alt(g["substructure"])),
        levels=levels,
        zu_goes_on=re.compile("|".join(f["zu_goes_on"])),
        not_zu=tuple(f["not_groups_in_zu"]),
        title_setup=re.compile(rf"关于(?:{_alt(f['title_setup'])})(?P<name>.+)(?:{_alt(f['title_kinds'])})$"),
        generic_subjects=tuple(f["generic_subjects"]),
        generic_setup=re.compile(rf"(?:{_alt(f['generic_setup'])})$"),
        apposed_role=re.compile(_alt(f["apposed_roles"])),
        office_acts=re.compile(_alt(f["office_acts"])),
        heading_bracket=re.compile(f["heading_bracket"]),
        duty_field=re.compile(rf"(?:{_alt(f['duty_fields'])}):"),
        acting_after=re.compile(_alt(f["acting_after"])),
    )


@dataclass
class Mention:
    name: str
    start: int  # normalized offsets of the name
    end: int
    short: bool  # 领导小组, 工作专班: a reference to a group named nearby
    salient: bool  # makes a group by itself
    rule: str = "group.named"  # the form that made it salient
    role_at: int = -1  # 督导组组长张某: where the role word after the name starts


# ------------------------------------------------------------------------------ names


def kind_of(name: str) -> str:
    for ending, kind in lexicon().kinds:
        if name.endswith(ending):
            return kind
    return "working_group"


def _name_start(text: str, end_of_stem: int, lex: Lexicon) -> tuple[int, str]:
    """Where a group's name starts, reading left from its ending over name characters and
    stopping after the last word that cannot be part of it; and what stands before the
    name: "opens" (成立, 依托, 由 …), "cut" (报, 参加, 及 …), "clause" (punctuation or the
    line start) or "long" (no boundary in reach: not a name we can trust)."""
    lo = end_of_stem
    while lo > 0 and end_of_stem - lo < _MAX_NAME and _NAME_CHAR.match(text[lo - 1]):
        lo -= 1
    boundary = "clause" if lo == 0 or not _NAME_CHAR.match(text[lo - 1]) else "long"
    run = text[lo:end_of_stem]
    cut = 0
    # after 成立/组建 the rest is the name even when a verb is in it (成立履行教育职责问题整改…)
    set_up = [m.end() for m in lex.establish.finditer(run)]
    if set_up:
        cut, boundary = set_up[-1], "opens"
    patterns = (("opens", lex.opens), ("cut", lex.join)) if set_up else \
        (("opens", lex.opens), ("cut", lex.cut), ("cut", lex.join))
    for how, pat in patterns:
        for m in pat.finditer(run, cut):
            if m.end() > cut or (m.end() == cut and how == "cut"):
                cut, boundary = m.end(), how
    start = lo + cut
    if text.startswith("“", start) and "”" not in text[start:end_of_stem]:
        start += 1
    if start == lo and lo > 0 and text[lo - 1] == " ":
        while start < end_of_stem and text[start].isascii():
            start += 1  # ISO/TC 22自动驾驶特别工作组: the code belongs to what comes before
    return start, boundary

def _is_short(name: str, lex: Lexicon) -> bool:
    """领导小组, 工作专班, 专项工作组, 各级…领导小组, 两个工作组: no particular group."""
    m = lex.ending.search(name)
    stem = name[: m.start()] if m else name
    stem = re.sub(r"(?:工作|专项)$", "", stem)
    return (len(stem) < 2 or stem.startswith(lex.generic) or stem in lex.generic_stems
            or bool(_COUNTED.match(stem))
            or "等" in stem[1:]  # 自动驾驶等专业领域标准工作组: a kind of group
            or "各" in stem)  # 汇总各工作专班: every group of a kind


def _in_title(text: str, start: int) -> bool:
    """Inside 《…》 on its line: a cited document, not a group of this plan."""
    line_start = text.rfind("\n", 0, start) + 1
    return text.rfind("《", line_start, start) > text.rfind("》", line_start, start)


def core(name: str, lex: Lexicon) -> tuple[str, str]:
    """(level word, the rest) of a name without 中共 and place names: 中共重庆市黔江区委教育工作
    领导小组 -> (区委, 教育工作领导小组)."""
    rest = name[2:] if name.startswith("中共") else name
    for _ in range(3):
        k = max((k for k in range(2, min(10, len(rest) - 2) + 1) if k in place_prefix_lengths(rest, k)),
                default=0)
        if not k:
            break
        rest = rest[k:]
    level = next((p for p in lex.levels if rest.startswith(p) and len(rest) > len(p) + 3), "")
    if not level and name != rest and rest[:1] == "委":
        level = "委"  # 黔江区委…: the place took the 区
    return level, rest[len(level):]


def same_group(a: str, b: str, lex: Lexicon) -> bool:
    """One group under two names (`a` known, `b` met later): 区教育改革领导小组 is the 教育
    改革领导小组; the plan's 区整改工作领导小组 is its 履行教育职责问题整改工作领导小组 (a level
    word marks the short form of the plan's own group); a later 督导组 is the 督导评估组 named
    before. Not: 市委 vs 区委 groups, 安全工作领导小组 vs 校园安全工作领导小组."""
    if a == b:
        return True
    (la, ca), (lb, cb) = core(a, lex), core(b, lex)
    if la[:1] in _LEVEL_CHARS and lb[:1] in _LEVEL_CHARS and la[0] != lb[0]:
        return False
    if ca == cb:
        return True
    b_shorter = len(cb) < len(ca)
    (short_name, short), (_, long_) = sorted(((a, ca), (b, cb)), key=lambda t: len(t[1]))
    m = lex.ending.search(short)
    if long_.endswith(short):
        # the short form carries a level word or a place (中共界别小组 ≠ 民盟界别小组: there
        # 中共 is the stem, not a party prefix)
        return (m is None or m.start() >= 2) and short_name not in (short, "中共" + short)
    # an abridged name refers back to a fuller one written before it, never the other way
    return b_shorter and _abridged(short, long_, lex)


def _abridged(short: str, long_: str, lex: Lexicon) -> bool:
    """`short` is `long_` with words left out inside it: 区域教育中心建设专班 of …建设推进
    专班, 县委对台工作领导小组 of 县委对台湾工作领导小组, 督导组 of 督导评估组. Same ending,
    at least half the characters, something left out after the first character (a name
    cut only at its front is another group: 安全工作领导小组 ≠ 校园安全工作领导小组), and
    no organization left out (县教育局…领导组 is the bureau's own group)."""
    ms, ml = lex.ending.search(short), lex.ending.search(long_)
    if ms is None or ml is None or ms.group(0) != ml.group(0):
        return False
    stem = short[: ms.start()]
    # half the characters, or a topic of four or more kept whole (营养改善计划领导组)
    topic_kept = len(stem) >= 4 and stem in long_ and len(short) * 5 >= len(long_) * 2
    if len(short) * 2 < len(long_) and not topic_kept:
        return False
    gaps: list[tuple[int, int]] = []
    pos = 0
    for ch in short:
        found = long_.find(ch, pos)
        if found < 0:
            return False
        if found > pos:
            gaps.append((pos, found))
        pos = found + 1
    if pos < len(long_) or not any(a > 0 for a, _ in gaps):
        return False
    return not any(_GAP_ORG.search(long_[a:b]) for a, b in gaps)


def _shortened(full: str, short: str, lex: Lexicon) -> bool:
    """`short` is the tail of `full` with a stem of its own: 信息化领导小组 of …网络安全和
    信息化领导小组, not a bare 工作领导小组."""
    if len(short) >= len(full) or not full.endswith(short):
        return False
    m = lex.ending.search(short)
    return m is not None and m.start() >= 3


def find_mentions(text: str, lex: Lexicon) -> list[Mention]:
    out: list[Mention] = []
    for m in lex.strong.finditer(text):
        end = m.end()
        if text.startswith("组", end) and not text.startswith("组长", end):
            continue  # 工作组组成 …: the ending goes on
        if m.group(0).endswith("组") and lex.zu_goes_on.match(text, end):
            continue  # 领导组织, 领导组成: no group ending at all
        start, before = _name_start(text, m.start(), lex)
        start = _balance_quotes(text, start, end)
        name = text[start:end]
        out.append(_mention(text, name, start, end, before, lex))
    weak = _set_up_weak(text, lex)
    out.extend(weak)
    out.extend(_bare_weak_references(text, weak, lex))
    out.extend(_apposed_weak(text, lex))
    return sorted(out, key=lambda m: m.start)


_HAN_CHAR = re.compile(r"[\u4e00-\u9fff]")
_REFERENCE_OPENERS = "由经在的和及与"


def _bare_weak_references(text: str, set_up: list[Mention], lex: Lexicon) -> list[Mention]:
    """建立某省某某联席会议制度 … 联席会议办公室设在…, 联席会议由X担任总召集人: once a
    group with a weak ending is set up, the bare ending written after it on its own (not
    the end of a longer name) refers back to it, as 领导小组 does to a 领导小组."""
    out: list[Mention] = []
    for ending in {e.group(0) for m in set_up if (e := lex.ending.search(m.name)) and len(e.group(0)) > 1}:
        after = min(m.end for m in set_up if m.name.endswith(ending))
        for r in re.finditer(re.escape(ending), text[after:]):
            start = after + r.start()
            if start == 0 or not _HAN_CHAR.match(text, start - 1) or text[start - 1] in _REFERENCE_OPENERS:
                out.append(Mention(ending, start, start + len(ending), True, False))
    return out


def _mention(text: str, name: str, start: int, end: int, before: str, lex: Lexicon) -> Mention:
    """How a strong-ending name is meant. It makes a group (salient) after a word that sets
    up or relies on a group (before == "opens"), or at a clause's start when the clause
    starts a line (a heading, a roster's title, a paragraph's subject) or the name carries
    a place or level (县…领导小组负责…); a bare name inside a sentence (…,研究提出需领导
    小组决策…, 督促落实领导小组议定事项) is only a reference. A role after the name
    (…领导组副组长张某) or an office that acts (市…领导小组办公室牵头, …办公室主任张某) shows
    the group at work even where the name only qualifies something else."""
    short = _is_short(name, lex)
    quoted = _in_title(text, start)
    role = lex.apposed_role.match(text, end)
    if role is not None and (role.group(0) in ("成员", "组员") or _name_at(text, role.end(), []) is None):
        role = None  # …领导小组成员单位, 领导小组组长由…担任: no person holds a role here
    office = text.startswith("办公室", end) and bool(
        lex.office_acts.match(text, end + 3) or _OFFICE.match(text, end))
    about_else = (text.startswith(lex.not_the_group, end) and not (office and rosters.has_prefix(name))) or (
        text.startswith("”", end) and start > 0 and text[start - 1] == "“")  # “一企一策一专班”机制
    heading = before == "clause" and _opens_line(text, start)
    tag = before == "clause" and not heading and _in_duty_tag(text, start, lex)
    acting = before == "clause" and bool(lex.acting_after.match(text, end))
    placed = before == "opens" or heading or tag or (
        before == "clause" and (rosters.has_prefix(name) or role is not None or acting))
    salient = not (short or quoted or about_else) and placed and len(name) <= _MAX_NAME - 10
    rule = "group.office-acts" if office else "group.role-apposed" if role else \
        "group.set-up" if before == "opens" else "group.heading" if heading else \
        "group.tag" if tag else "group.named"
    return Mention(name, start, end, short, salient, rule, role.start() if role else -1)


def _opens_line(text: str, start: int) -> bool:
    """Nothing but a heading's number or a label stands before `start` on its line."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start].strip(" \t")
    label = before.endswith(":") and len(before) <= 12  # 附件: / 责任单位: — not a sentence
    return not before or bool(rosters.MARKER.fullmatch(before)) or label


def _in_duty_tag(text: str, start: int, lex: Lexicon) -> bool:
    """Listed in a responsibility field (责任单位:县教育局、阅读推广专班): a group given work."""
    lo = max(text.rfind("\n", 0, start) + 1, start - 80)
    fields = list(lex.duty_field.finditer(text, lo, start))
    return bool(fields) and not re.search(r"[。;!?)]", text[fields[-1].end():start])


def _balance_quotes(text: str, start: int, end: int) -> int:
    """A name may hold a closed 《…》 (开化县教育局《标准》实施工作领导小组); an unclosed one
    belongs to a cited title around it."""
    name = text[start:end]
    close = name.rfind("》")
    if close >= 0 and "《" not in name[:close]:
        return start + close + 1
    opened = name.rfind("《")
    if opened >= 0 and "》" not in name[opened:]:
        return start + opened + 1
    return start


def _apposed_weak(text: str, lex: Lexicon) -> list[Mention]:
    """A bare-组 name with a role written right after it: 督导组组长张某 (news), …等督导评估组
    成员. The name starts after the list it closes (A、B等…组成员) or at its clause. The role
    makes it a group at work; the name needs a stem of its own (not 党组, 各组)."""
    out = []
    for m in re.finditer(rf"组(?=(?:{lex.apposed_role.pattern}))", text):
        if lex.strong_end.search(text, max(0, m.end() - 6), m.end()):
            continue  # found with the strong endings
        start, before = _name_start(text, m.start(), lex)
        # A、B等督导组成员 / 分管副职任小组成员: the list or the verb before is not the name
        cuts = list(_LIST_OR_VERB.finditer(text, start, m.start()))
        if cuts:
            start, before = cuts[-1].end(), "clause"
        name = text[start:m.end()]
        stem = name[:-1]
        role = lex.apposed_role.match(text, m.end())
        if role is None:
            continue
        if role.group(0) in ("成员", "组员"):
            # members only when the people listed before are said to be them (A、B等…组成员):
            # 学生兴趣小组成员 names no group of the plan
            if not (cuts and cuts[-1].group(0) == "等"):
                continue
            with_person = False
        else:
            with_person = _name_at(text, role.end(), []) is not None
            if not with_person:
                continue
        if (before not in ("opens", "clause") or len(stem) < (2 if with_person else 3)
                or name.endswith(lex.not_zu) or _is_short(name, lex) or _in_title(text, start)
                or len(name) > 20):
            continue
        out.append(Mention(name, start, m.end(), False, True, "group.role-apposed",
                           role.start() if role else -1))
    return out


def _set_up_weak(text: str, lex: Lexicon) -> list[Mention]:
    """成立区教育评价改革专家组。: a bare 组 makes a group when the plan sets it up and the
    name has a real stem (成立课题组 does not). 委员会 stay bodies, not groups."""
    out = []
    for m in (*lex.set_up_weak.finditer(text), *_LED_WEAK.finditer(text)):
        end = m.end("name")
        if lex.strong_end.search(m.group("name")):
            continue  # found with the strong endings
        ending = lex.ending.search(text, m.start("name"), end)
        start, _ = _name_start(text, ending.start() if ending else end, lex)
        start = max(start, m.start("name"))
        name = text[start:end]
        stem = name[: ending.start() - start] if ending else name
        if len(stem) >= 4 and not _is_short(name, lex) and not _in_title(text, start):
            out.append(Mention(name, start, end, False, True, "group.set-up"))
    return out


def heading_name(line: str, lex: Lexicon) -> tuple[int, int] | None:
    """(start, end) of the group a heading line names: 一、教育改革领导小组成员, (一)教学教研组."""
    m = rosters.MARKER.match(line)
    a = m.end() if m else 0
    body = lex.heading_bracket.sub("", line[a:].rstrip(" :")).rstrip(" :")  # 中共界别小组(7人)
    if not body or len(body) > 30 or re.search(r"[,。;,]", body):
        return None
    tail = lex.heading_tail.search(body)
    if tail and tail.start() > 0:
        body = body[: tail.start()]
    ending = lex.ending.search(body)
    if not ending:
        return None
    start, _ = _name_start(body, ending.start(), lex)
    if _is_short(body[start:], lex):
        return None
    return a + start, a + len(body)


# ------------------------------------------------------------------------------ building


class _Builder:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.text = doc.text
        self.lex = lexicon()
        self.groups: list[Group] = []
        self.first: dict[int, int] = {}  # id(group) -> first position
        self.mentions = find_mentions(self.text, self.lex)
        self.mention_starts = [m.start for m in self.mentions]  # sorted, for bisect
        self.proper = [m for m in self.mentions if not m.short and not _in_title(self.text, m.start)]
        self.body_start = doc.sections[0].start if doc.sections else 0
        # a page's footer (相关链接: 关于成立…领导小组的通知) lies past the last section
        self.body_end = max((s.end for s in doc.sections), default=len(self.text))
        self.statute = doc.is_statute()
        # …联席工作小组(以下简称“联席工作小组”): the short name is the same group
        self.aliases = {a.group("alias"): m.name for m in self.proper
                        if (a := _ALIAS.match(self.text, m.end)) and a.group("alias") != m.name}
        self.issuer_cores = [core(_strip_office(i), self.lex)[1] for i in doc.meta.issuer]
        # the notice's title, often wrapped over lines (关于成立广东省 / 推进… / 建设领导小组的通知)
        self.titles = title_blocks(self.text, self.lex)
        self.title_end = max((b for _, b, _ in self.titles), default=0)
        self.notice: Group | None = None  # the group the notice's title sets up

    # -- registry

    def find(self, name: str) -> Group | None:
        """The group a name means; a shorter name after a group was named in full
        (信息化领导小组 after 最高人民法院网络安全和信息化领导小组) refers back to it."""
        name = self.aliases.get(name, name)
        found = next((g for g in self.groups if same_group(g.name, name, self.lex)), None)
        if found is None:
            found = next((g for g in self.groups if _shortened(g.name, name, self.lex)), None)
        return found

    def register(self, name: str, start: int, end: int, rule: str = "group.named") -> Group:
        known = self.find(name)
        if known is not None:
            if len(name) > len(known.name) and name.endswith(known.name) and rosters.has_prefix(name):
                self.rename(known, name)  # 对台湾工作领导小组, then 平原县委对台湾工作领导小组
            return known
        g = Group(name=name, kind=kind_of(name), span=self.doc.span(start, end), rule=rule)
        self.groups.append(g)
        self.first[id(g)] = start
        return g

    def rename(self, group: Group, name: str) -> None:
        """The group's fuller name, written with its place or level, replaces the bare one."""
        for g in self.groups:
            if g.parent == group.name:
                g.parent = name
        for alias, target in self.aliases.items():
            if target == group.name:
                self.aliases[alias] = name
        group.name = name

    def group_at(self, pos: int, sentence: tuple[int, int] | None = None) -> Group | None:
        """The group meant at `pos`: a name or a short reference in the sentence (nearest),
        else the last group named before it in reach."""
        if sentence is not None:
            inside = [m for m in self.mentions if sentence[0] <= m.start < sentence[1]]
            if inside:
                m = min(inside, key=lambda m: abs(m.start - pos))
                return self.resolve(m)
        return self.current(pos)

    def resolve(self, m: Mention) -> Group | None:
        if m.short:
            return self.current(m.start)
        known = self.find(m.name)
        if known is None and self.accepted(m):
            known = self.register(m.name, m.start, m.end, m.rule)
        return known

    def current(self, pos: int) -> Group | None:
        before = [m for m in self.proper if m.end <= pos and pos - m.end < _NEAR]
        return self.resolve(before[-1]) if before else None

    def sentence(self, pos: int) -> tuple[int, int]:
        """The sentence around `pos`, never beyond its paragraph (searches stay local)."""
        text = self.text
        para_start, para_end = self.paragraph(pos)
        a = max(text.rfind(c, para_start, pos) for c in "。!?") + 1
        a = max(a, para_start)
        ends = [i for i in (text.find(c, pos, para_end) for c in "。!?") if i >= 0]
        return a, min(ends) if ends else para_end

    def paragraph(self, pos: int) -> tuple[int, int]:
        """The paragraph around `pos`; a line a page broke inside a sentence (常务副 / 区长
        钟磊,…) is joined to the next, up to three lines each way."""
        text = self.text
        start = text.rfind("\n", 0, pos) + 1
        for _ in range(3):
            if start < 2 or not _wrapped(text, start - 1):
                break
            start = text.rfind("\n", 0, start - 1) + 1
        end = text.find("\n", pos)
        for _ in range(3):
            if end < 0 or not _wrapped(text, end):
                break
            end = text.find("\n", end + 1)
        return start, len(text) if end < 0 else end

    # -- which mentions make groups

    def is_issuer(self, name: str) -> bool:
        c = core(name, self.lex)[1]
        return any(i.endswith(c) for i in self.issuer_cores)

    def established(self, m: Mention) -> bool:
        """Set up right here: 成立X, 成立了X, 成立由…组成的X (not 建立…X成员单位履职制度)."""
        a, _ = self.sentence(m.start)
        found = list(self.lex.establish.finditer(self.text, max(a, m.start - 80), m.start))
        if not found:
            return False
        between = self.text[found[-1].end():m.start]
        return between in ("", "了") or between.endswith("的")

    def accepted(self, m: Mention) -> bool:
        """A mention that makes a group: not the issuer in the notice's header, not
        经…领导小组同意, unless the group is set up right there. A statute's 防汛指挥部 is a
        kind of body, not a group: there a group is one it sets up under a place's name
        (由青岛市工业和信息化局…共同组成青岛市…联席工作小组)."""
        if not m.salient or self.in_title_block(m.start) or self.unit_cell(m) or self.generic_setup(m) \
                or self.cited_setup(m):
            return False
        if self.statute:
            return self.established(m) and rosters.has_prefix(m.name)
        if m.start > self.body_end:
            return False
        return not (m.start < self.body_start or self.is_issuer(m.name)) or self.established(m)

    def in_title_block(self, pos: int) -> bool:
        return any(a <= pos < b for a, b, _ in self.titles)

    def title_group(self) -> Group | None:
        """关于成立X的通知 / 关于调整X成员的通知: the notice sets X up (rule group.notice-title)."""
        for a, b, joined in self.titles:
            m = self.lex.title_setup.search(joined)
            if not m:
                continue
            name = m.group("name")
            tail = self.lex.heading_tail.search(name)
            if tail and tail.start() > 0:
                name = name[: tail.start()]  # 关于调整…领导小组成员的通知
            # 关于成立X领导小组和Y工作专班的通知: each; …小组及确定…组长: none (not all names)
            names = re.split(r"(?<=[组班部会])(?:及|和|与|、)", name)
            if all(self.lex.ending.search(n) and not _is_short(n, self.lex) and len(n) <= _MAX_NAME
                   for n in names):
                found = [self.register(n, a, b, "group.notice-title") for n in names]
                return found[0]
        return None

    def unit_cell(self, m: Mention) -> bool:
        """A name alone on its line between lines that name units (a table's 责任单位 cells,
        one per line: 县水务局 / 县护城河指挥部): a unit given work, not a group set up."""
        text = self.text
        line_start = text.rfind("\n", 0, m.start) + 1
        line_end = text.find("\n", m.end)
        line_end = len(text) if line_end < 0 else line_end
        if text[line_start:line_end].strip() != m.name:
            return False
        return any(_is_unit_line(line, self.lex) for line in _neighbour_lines(text, line_start, line_end))

    def cited_setup(self, m: Mention) -> bool:
        """按照省教育厅关于成立…领导小组的部署: a set-up another document made, cited."""
        if not self.established(m):
            return False
        verb = list(self.lex.establish.finditer(self.text, max(0, m.start - 80), m.start))
        return bool(verb) and self.text.endswith("关于", 0, verb[-1].start())

    def generic_setup(self, m: Mention) -> bool:
        """各县(区)也要相应成立…领导小组: every body of a kind sets up its own; no one group."""
        if not self.established(m):
            return False
        a, _ = self.sentence(m.start)
        clause = max(a, self.text.rfind(",", a, m.start) + 1)
        verb = list(self.lex.establish.finditer(self.text, max(clause, m.start - 80), m.start))
        head = self.text[clause:verb[-1].start()] if verb else ""
        return head.startswith(self.lex.generic_subjects) or bool(self.lex.generic_setup.search(head))

    def salient_groups(self) -> None:
        notice = self.notice = self.title_group()
        for m in self.mentions:
            if notice is not None and self.title_end < m.start < self.title_end + _ALIAS_REACH \
                    and self.established(m) and kind_of(m.name) == notice.kind and self.find(m.name) is None:
                # the body sets up again the group the title announces, often under another
                # name (…关于建立《X》工作领导小组的通知 / 决定建立…《X》实施工作领导小组)
                self.aliases[m.name] = notice.name
                notice = None
                continue
            if self.accepted(m):
                self.register(m.name, m.start, m.end, m.rule)

    # -- rosters

    def rosters(self) -> None:
        text = self.text
        for start, end in rosters.label_lines(text):
            group = self.block_group(start)
            entries = rosters.block_entries(text, start, end)
            if group is not None:
                self.apply(group, entries)

    def block_group(self, start: int) -> Group | None:
        """The group a roster lists: the heading just above it (一、…领导小组成员, (一)教学
        教研组), else the group last named before it."""
        line_end = start - 1
        for _ in range(2):
            if line_end <= 0:
                break
            line_start = self.text.rfind("\n", 0, line_end) + 1
            span = heading_name(self.text[line_start:line_end], self.lex)
            if span:
                a, b = line_start + span[0], line_start + span[1]
                return self.register(self.text[a:b], a, b, "group.roster-heading")
            line_end = line_start - 1
        # a roster under 组成人员如下: in a notice whose title sets up the group
        return self.current(start) or self.notice

    def apply(self, group: Group, entries: list[rosters.RoleEntry]) -> None:
        # 主任/副主任 lead a committee-style body, and any group whose roster names no 组长
        # (a 专班 headed 主任:, 副主任:); a 领导小组's 办公室主任 is written as such
        committee = group.name.endswith(("委员会", "联席会议", "指挥部")) or (
            not group.leaders and entries and all(e.rule == "roster.label-line" for e in entries)
            and not any(e.role == "leader" for e in entries))
        for e in entries:
            role = e.role
            if committee and role in ("committee_leader", "committee_deputy"):
                role = "leader" if role == "committee_leader" else "deputy"
            if e.person is not None:
                target = {"leader": group.leaders, "deputy": group.deputies}.get(role)
                if target is not None and e.person.name not in target:
                    target.append(e.person.name)
                org = next((p.org for p in e.person.posts if p.org), None)
                if role == "member" and org and org not in group.members:
                    group.members.append(org)  # 成员:县教体局局长 刘强 -> 县教体局 takes part
            elif e.unit is not None:
                name = e.unit[0]
                if role == "member" and name not in group.members and name != group.name:
                    group.members.append(name)
                elif role == "lead_unit" and group.lead_unit is None:
                    group.lead_unit = name
            elif e.duty and role == "duties" and e.duty not in group.duties:
                group.duties.append(e.duty)

    def prose_roles(self) -> None:
        for e in rosters.prose_entries(self.text):
            group = self.clause_group(e.at)
            if group is not None:
                self.apply(group, [e])

    def apposed_roles(self) -> None:
        """督导组组长何金保宣讲…, 县…领导组副组长张志存在会上…: the name after the role
        holds it. A name is one people.py found there, else a surname-shaped word the text
        also writes between delimiters (…督学何金保、王明树 …)."""
        known = sorted({p.name for p in self.doc.people}, key=len, reverse=True)
        for m in self.mentions:
            if m.role_at < 0 or not (m.salient or m.short):
                continue
            role = self.lex.apposed_role.match(self.text, m.role_at)
            if role is None or role.group(0) in ("成员", "组员"):
                continue
            group = self.resolve(m)
            who = _name_at(self.text, role.end(), known)
            if group is None or who is None:
                continue
            target = group.deputies if "副" in role.group(0) else group.leaders
            if who not in group.leaders + group.deputies:
                target.append(who)

    def enumerations(self) -> None:
        """联系中共界别小组,社科、医药界别小组,特邀人士界别小组;: a run of at least three
        clause-long items that share an ending of three or more characters ending like a
        group (界别小组) names as many groups (rule group.enumeration). The first item may
        carry the words before it, so it counts only when it ends with a group already
        known; the run counts only when one of its items is known or the line sets groups
        up (a word list alone is no evidence)."""
        text = self.text
        for line_start, line in _lines_with(text, "组"):
            items = [(line_start + mm.start(), mm.group(0)) for mm in re.finditer(r"[^,;。:]+", line)]
            for run in _shared_ending_runs(items, self.lex):
                known = [self.find(name) for _, name in run]
                first = run[0][1]
                head = next((g for g in self.groups if first.endswith(g.name) and len(g.name) >= 3), None)
                if head is None and not any(known) and not self.lex.establish.search(line):
                    continue
                for k, (at, name) in enumerate(run):
                    if k == 0:
                        if head is None:
                            continue
                        at, name = at + len(first) - len(head.name), head.name
                    if _is_short(name, self.lex) or not re.fullmatch(r"[\u4e00-\u9fff、·]+", name):
                        continue
                    self.register(name, at, at + len(name), "group.enumeration")

    def distributed(self) -> None:
        """组建产业合作、教育医疗、产品销售三个工作小组 / 下设综合、宣传、保障3个组: one ending
        shared by a counted list of stems names as many groups (rule group.distributed); the
        count must be the list's length. Under 下设 they belong to the group before it."""
        for m in _DISTRIBUTED.finditer(self.text):
            stems = m.group("list").split("、")
            count = m.group("count")
            n = int(count) if count.isdigit() else 2 if count == "两" else cn_value(count)
            if n != len(stems):
                continue  # 等12个组: the list names only some of them
            ending = m.group("end")
            parent = self.group_before(m.start()) if m.group("verb") in ("下设", "分设") else None
            at = m.start("list")
            for stem in stems:
                name = stem + ending
                if not _is_short(name, self.lex):
                    g = self.register(name, at, at + len(stem), "group.distributed")
                    if parent is not None and g is not parent and g.parent is None:
                        g.parent = parent.name
                at += len(stem) + 1

    def clause_group(self, pos: int) -> Group | None:
        """The group of a clause: one named in its sentence, else one named earlier in the
        same paragraph."""
        sent = self.sentence(pos)
        inside = [m for m in self.mentions if sent[0] <= m.start < sent[1]]
        if inside:
            return self.group_at(pos, sent)
        para = self.paragraph(pos)[0]
        before = [m for m in self.proper if para <= m.start < pos]
        return self.resolve(before[-1]) if before else None

    # -- offices, lead units, members, substructure

    def offices(self) -> None:
        for m in _OFFICE.finditer(self.text):
            group = self.group_before(m.start())
            tail = self.text[m.end():m.end() + 40]
            unveiled = _UNVEILED.search(tail)  # …办公室在县教育局揭牌: the unit ends there
            unit = _first_unit(tail[:unveiled.start()] if unveiled else tail, 0)
            if group is not None and unit and group.office_in is None:
                group.office_in = unit

    def group_before(self, pos: int) -> Group | None:
        """The group whose name (or short reference) ends right before `pos`
        (教育改革领导小组办公室 / 领导小组下设办公室), else the one the sentence names."""
        for m in self.mentions:
            if m.end <= pos <= m.end + 2 and (m.end == pos or self.text[m.end:pos] in ("下", "下设")):
                return self.resolve(m)
        return self.clause_group(pos)

    def lead_units(self) -> None:
        for m in _LEAD_AS.finditer(self.text):
            lo = max(self.text.rfind(c, max(0, m.start() - 31), m.start()) for c in ",。;:\n由")
            raw = self.text[lo + 1:m.start()]
            if lo < 0 or len(raw) < 2 or self.text[lo] == "由" or re.search(r"首位|第一|排在|列在", raw):
                continue  # 排在首位的部门为牵头单位: the plan-wide rule of its lists, no unit
            # 省气象局为牵头单位。: a sentence of its own, about the group named before it
            group = self.clause_group(m.start()) or self.current(m.start())
            unit = _first_unit(raw, 0)
            if group is not None and unit and group.lead_unit is None:
                group.lead_unit = unit
        for m in _LEAD.finditer(self.text):
            raw = m.group("u") or m.group("u2")
            if raw is None:  # 区教委牵头成立…专班: the unit is the clause's subject
                lo = m.start()
                while lo > 0 and m.start() - lo < 30 and self.text[lo - 1] not in _STOP:
                    lo -= 1
                raw = self.text[lo:m.start()]
            if self.lex.strong.search(raw):
                continue  # 由…领导小组办公室牵头: the group leads, it is not led
            sent = self.sentence(m.start())
            if not any(sent[0] <= x.start < sent[1] for x in self.mentions):
                continue
            group = self.group_at(m.start(), sent)
            unit = _first_unit(raw, 0)
            if group is not None and unit and group.lead_unit is None:
                group.lead_unit = unit

    def joiners(self) -> None:
        """区委编办、区教委…参与组建 / 由A、B组成的…专班: member units."""
        for m in _JOINS.finditer(self.text):
            sent = self.sentence(m.start())
            if not any(sent[0] <= x.start < sent[1] for x in self.mentions):
                continue
            lo = m.start()
            while lo > sent[0] and m.start() - lo < 200 and self.text[lo - 1] not in ",;:":
                lo -= 1
            # 联席会议由A、B组成: the group named before 由 is not one of its units (a group
            # inside the list, A、B工作专班、C, is)
            i = bisect.bisect_left(self.mention_starts, lo)
            named = [x.end for x in self.mentions[i:bisect.bisect_left(self.mention_starts, m.start())]
                     if x.end <= m.start() and self.text[x.end:x.end + 1] in ("由", "以")]
            if named:
                lo = max(named) + 1
            # 成员由A、B主要负责人组成: the label before 由 is not a unit
            raw = _JOINERS_ETC.sub("", _JOIN_LEAD.sub("", self.text[lo:m.start()]))
            if self.lex.strong.search(raw):
                continue
            group = self.group_at(m.end(), sent)
            if group is None:
                continue
            for a, b in rosters.units_in(raw):
                if raw[a:b] not in group.members:
                    group.members.append(raw[a:b])

    def substructures(self) -> None:
        """X下设综合协调组、宣传组: working groups whose parent is X."""
        for m in self.lex.substructure.finditer(self.text):
            parent = self.group_before(m.start())
            if parent is None:
                continue
            end = m.end()
            while end < len(self.text) and self.text[end] not in ",。;:\n" and end - m.end() < 120:
                end += 1
            pos = m.end()
            for piece in re.split(r"(、|和|及|与)", self.text[m.end():end]):
                a, pos = pos, pos + len(piece)
                piece = _COUNT_TAIL.sub("", piece)  # 督查督办组三个工作组
                if len(piece) >= 3 and self.lex.ending.search(piece) and not _is_short(piece, self.lex) \
                        and not _COUNTED.match(piece) and "办公室" not in piece:
                    g = self.register(piece, a, a + len(piece), "group.subgroup")
                    if g is not parent and g.parent is None:
                        g.parent = parent.name

    # -- parents and duties from the section tree

    def parents(self) -> None:
        """A working group's parent: the leading group named in an enclosing heading, else
        the one an enclosing section's opening words set groups up under (领导小组下设3个
        工作专班 above (一)…专班 (二)…专班: rule group.subgroup), else the group a notice sets
        up, when the notice lists other groups with it (一、领导小组 … 二、督查小组)."""
        sections = self.doc.sections_flat()
        for g in self.groups:
            if g.parent or g.kind == "leading_group":
                continue
            pos = self.first[id(g)]
            enclosing = [s for s in sections if s.start < pos < s.end and s.start < pos - 1]
            for s in sorted(enclosing, key=lambda s: s.end - s.start):
                title_groups = [m for m in find_mentions(s.title, self.lex) if not m.short]
                owner = next((self.find(m.name) for m in title_groups
                              if not same_group(m.name, g.name, self.lex)), None)
                if owner is None:
                    owner = self.set_up_under(s)
                if owner is not None and owner is not g and owner.kind == "leading_group":
                    g.parent = owner.name
                    break
            owner = self.notice or self.only_leading_group(g)
            if g.parent is None and owner is not None and owner is not g \
                    and owner.kind == "leading_group" and self.first[id(g)] > self.first[id(owner)]:
                g.parent = owner.name

    def only_leading_group(self, g: Group) -> Group | None:
        """A working group headed with its own roster (二、工作组设置 / (一)综合协调组 /
        组长:…) in a plan that sets up one leading group before it belongs to that group."""
        if g.rule not in ("group.roster-heading", "group.heading"):
            return None
        leading = [x for x in self.groups if x.kind == "leading_group"]
        return leading[0] if len(leading) == 1 else None

    def set_up_under(self, s: Section) -> Group | None:
        """The group whose name (or short reference) stands before 下设 in the words that
        open section `s`, before its first subsection."""
        intro_end = s.children[0].start if s.children else min(s.end, s.start + 300)
        for m in self.lex.substructure.finditer(self.text, s.start, intro_end):
            owner = self.group_before(m.start())
            if owner is not None:
                return owner
        return None

    def section_duties(self) -> None:
        for s in self.doc.sections_flat():
            if not s.title.endswith("职责") or not s.children:
                continue
            name = re.sub(r"(?:主要|工作)?职责$", "", s.title)
            g = self.find(name) if name and self.lex.ending.search(name) else None
            if g is not None:
                for c in s.children:
                    if c.title and c.title not in g.duties:
                        g.duties.append(c.title)

    def build(self) -> list[Group]:
        self.salient_groups()
        self.rosters()
        self.enumerations()
        self.prose_roles()
        self.apposed_roles()
        self.offices()
        self.lead_units()
        self.joiners()
        self.substructures()
        self.distributed()
        self.parents()
        self.section_duties()
        return sorted(self.groups, key=lambda g: self.first[id(g)])


def title_blocks(text: str, lex: Lexicon) -> list[tuple[int, int, str]]:
    """(start, end, joined text) of the title lines at the head of a document: a line with
    关于 and no sentence punctuation, joined with the next lines (at most three) until one
    ends like a title (…的通知). Looked for in the first lines only."""
    lines: list[tuple[int, int]] = []
    pos = 0
    while pos < len(text) and len(lines) < 20:
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        lines.append((pos, end))
        pos = end + 1
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(lines):
        a, b = lines[i]
        if "关于" not in text[a:b] or _TITLE_BREAK.search(text, a, b):
            i += 1
            continue
        joined = ""
        for j in range(i, min(i + 4, len(lines))):
            piece = text[lines[j][0]:lines[j][1]].strip()
            if j > i and (not piece or _TITLE_BREAK.search(piece)):
                break
            joined += piece
            if _TITLE_END.search(joined):
                out.append((a, lines[j][1], joined))
                i = j
                break
        i += 1
    return out


_TITLE_BREAK = re.compile(r"[,。;:!?]")
_TITLE_END = re.compile(r"的(?:通知|决定|批复|函|意见|方案|办法)$")


def _neighbour_lines(text: str, line_start: int, line_end: int) -> list[str]:
    """The nearest non-blank line above and below."""
    out = []
    above = text[:max(0, line_start - 1)].rstrip().rsplit("\n", 1)[-1] if line_start > 0 else ""
    below = text[line_end + 1:].lstrip().split("\n", 1)[0] if line_end < len(text) else ""
    for line in (above, below):
        if line.strip():
            out.append(line.strip())
    return out


def _is_unit_line(line: str, lex: Lexicon) -> bool:
    return (3 <= len(line) <= 20 and bool(rosters.ORG_END.search(line)) and not lex.ending.search(line)
            and not rosters.MARKER.match(line))


def _wrapped(text: str, newline: int) -> bool:
    """The line break at `newline` cuts a sentence: the line before is long and ends inside
    a clause, the next goes on without a heading's number."""
    line_start = text.rfind("\n", 0, newline) + 1
    before = text[line_start:newline]
    after = text[newline + 1:newline + 12]
    return (len(before) >= 30 and before[-1:] not in ("。", "!", "?", ":", ";", ")", "")
            and bool(after.strip()) and not rosters.MARKER.match(after))


def _name_at(text: str, pos: int, known: list[str]) -> str | None:
    """The person's name that starts at `pos`: one already known, else a surname-shaped
    word followed by a delimiter or by what a report says a person does (主持, 出席, 在 …),
    or written between delimiters elsewhere in the text (…督学何金保、王明树)."""
    for name in known:
        if text.startswith(name, pos):
            return name
    if text.startswith("、", pos):  # …副组长、市文明办主任吴某: more posts, then the name
        return _name_after_posts(text, pos + 1)
    after = _lexicon_after_name()
    for k in (3, 2):
        cand = text[pos:pos + k]
        if len(cand) != k or not rosters.is_name(cand):
            continue
        if after.match(text, pos + k) or re.search(
                rf"(?:^|[、,。;:\s(]){re.escape(cand)}|{re.escape(cand)}(?:$|[、,。;:\s)]|同志)", text):
            return cand
    return None


def _name_after_posts(text: str, pos: int) -> str | None:
    """市文明办主任吴某陪同 after 副指挥长、: posts joined by 、, the last one glued to the name."""
    end = pos
    while end < len(text) and end - pos < 40 and text[end] not in ",。;:!?()\n":
        end += 1
    at = pos
    for seg in text[pos:end].split("、"):
        for cut in range(len(seg) - 2, 1, -1):  # the longest post first
            if rosters.is_post(seg[:cut]):
                name = _name_at(text, at + cut, [])
                if name is not None:
                    return name
        if not rosters.is_post(seg):
            return None
        at += len(seg) + 1
    return None


@lru_cache(maxsize=1)
def _lexicon_after_name() -> re.Pattern[str]:
    words = rosters.lexicon().group_forms["after_a_name"]
    return re.compile(rf"[、,。;:\s)]|同志|{_alt(words)}")


def _lines_with(text: str, needle: str) -> list[tuple[int, str]]:
    out = []
    pos = 0
    while True:
        hit = text.find(needle, pos)
        if hit < 0:
            return out
        a = text.rfind("\n", 0, hit) + 1
        b = text.find("\n", hit)
        b = len(text) if b < 0 else b
        out.append((a, text[a:b]))
        pos = b + 1


def _shared_ending_runs(items: list[tuple[int, str]], lex: Lexicon) -> list[list[tuple[int, str]]]:
    """Runs of three or more consecutive items (at most 20 characters each) sharing an
    ending of three or more characters that ends like a group."""
    runs: list[list[tuple[int, str]]] = []
    run: list[tuple[int, str]] = []
    suffix = ""
    for at, item in items:
        item_s = item.strip()
        at += item.find(item_s) if item_s else 0
        shared = _common_suffix(suffix, item_s) if run else ""
        if run and len(shared) >= 3 and lex.ending.search(shared) and len(item_s) <= 20:
            run.append((at, item_s))
            suffix = shared
            continue
        if len(run) >= 3:
            runs.append(run)
        run, suffix = [(at, item_s)], item_s
    if len(run) >= 3:
        runs.append(run)
    return runs


def _common_suffix(a: str, b: str) -> str:
    k = 0
    while k < min(len(a), len(b)) and a[-1 - k] == b[-1 - k]:
        k += 1
    return a[len(a) - k:]


def _strip_office(name: str) -> str:
    return re.sub(r"办公室$", "", name)


def _first_unit(text: str, start: int) -> str | None:
    """The first organization named from `start` up to the end of the clause."""
    end = start
    while end < len(text) and text[end] not in _STOP and end - start < 40:
        end += 1
    chunk = text[start:end]
    found = rosters.units_in(chunk)
    return chunk[found[0][0]:found[0][1]] if found else None


def extract(doc: Document) -> None:
    doc.groups.extend(_Builder(doc).build())

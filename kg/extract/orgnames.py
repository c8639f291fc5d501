"""Organization names in Chinese plan text, from the lexicon in loaders/organizations.toml.

A name is [place] [level prefix] CORE: 区教委, 区委宣传部, 黔江区人力社保局, 重庆市行知职业技术学校.
In running text a name needs a place or a level prefix before its core (or must be one of
the generic bodies such as 公安部门), so 新建西村小学 names a project, not a unit; in a list
that a label introduces (责任单位:A、B) every item that ends like an organization counts.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from kg import rules
from kg.gazetteer import place_prefix_lengths

_HAN = re.compile(r"[\u4e00-\u9fff]")
# characters that end a name in running text: function words and common verbs
_STOP = set("在与及对到于至是为由向从将把给的了等要并按各其该以和、")
_LIST_SPLIT = re.compile(r"[、,;/\s]+|以及|及其|及|和|与")
_LIST_TRIM_HEAD = re.compile(r"^(?:[\u4e00-\u9fff]{0,6}单位:|由|请|各|会同|协同|联合|组织|指导|督促|配合)+")
# designations and projects, not bodies: 省级示范中心, 建设国家工业大数据中心
_NOT_A_BODY = re.compile(r"^[区县市省国]家?级|建设|打造|培育|创建|争创|申报|依托|推动|组建|设立|适用|示范"
                         r"|试点")
_BUILDS = re.compile(r"(?:建设|打造|建成|创建|争创|培育|成为|形成|设立|组建|建立)$")
_LIST_TRIM_TAIL = re.compile(r"(?:\((?:牵头|配合|协办)\)|等(?:部门|单位)?|负责|牵头|配合|参与|共同|分别"
                             r"|按职?责|按照职责|具体)+$")
# 科: a section of a bureau (教育督导科), not a subject (学科, 本科, 理科)
_ORG_END = re.compile(r"(?:[局委办部院校学园会联处室队所站馆团厅署]|中心|政府|公司|部门|机构|集团"
                      r"|专班|小组|工作组|(?<![持入控参配])股"
                      r"|[分支银]行|(?<![学本专文理工医农内外儿眼牙])科)$")
# development zones run by an administrative committee: 经开区, 高新区 are given work as bodies
# (城镇, 乡镇 are kinds of place; 凤城镇 is one: a single character before 城镇 names it)
_ZONE = re.compile(r"(?:开发|高新|经开|保税|综保|自贸|新)区$|.街道$|[^城乡集村]{2}[镇乡]$"
                   r"|^[^各小大新全本该重每县市区老中城乡]城镇$")
# 县政府有关部门, 10县市人民政府, 三个区: a kind or a count of bodies, nobody in particular
_NOBODY = re.compile(r"有关|相关|^\d|^[一二三四五六七八九十两]+个")
_QUOTE_PAIRS = (("“", "”"), ("《", "》"), ("「", "」"))


@dataclass(frozen=True)
class Lexicon:
    prefixes: tuple[str, ...]  # longest first
    cores: dict[str, tuple[str, str]]  # written core -> (canonical core, type)
    core_re: re.Pattern[str]
    generic: frozenset[str]
    catch_all: frozenset[str]
    institution_re: re.Pattern[str]
    school_cues: tuple[str, ...]


_PARTY_PREFIXES = ("区委", "县委", "市委", "省委", "州委", "旗委")
_SCHOOL = re.compile(r"(?:学校|中学|小学|幼儿园|学院|大学)$")


def _alt(words: list[str] | set[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@rules.loader
@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = rules.load("organizations")
    cores: dict[str, tuple[str, str]] = {}
    for dept in data["department"]:
        names = dept["names"]
        for name in names:
            cores.setdefault(name, (names[0], dept["type"]))
    generic = set(data["generic"])
    return Lexicon(
        prefixes=tuple(sorted(data["prefixes"], key=len, reverse=True)),
        cores=cores,
        core_re=re.compile(_alt(set(cores) | generic)),
        generic=frozenset(generic),
        catch_all=frozenset(data["catch_all"]),
        institution_re=re.compile(_alt(data["institution_suffixes"])),
        school_cues=tuple(data["school_agency_cues"]),
    )


def _protected(text: str) -> list[tuple[int, int]]:
    """Long quotations and cited titles: names inside them are quoted, not assigned work."""
    out = []
    for open_, close in _QUOTE_PAIRS:
        for m in re.finditer(f"{open_}[^{close}\n]{{0,300}}{close}", text):
            if open_ == "《" or m.end() - m.start() > 14:
                out.append((m.start(), m.end()))
    return out


def _left_extent(text: str, start: int, lex: Lexicon) -> tuple[int, bool]:
    """Extend a core leftwards over a place name (黔江区) or a level prefix (区委, 区) and a
    place before it (重庆市 区委): (new start, anchored)."""
    places = place_prefix_lengths(text, start)
    if places:
        return start - places[0], True
    for p in lex.prefixes:
        if text.startswith(p, start - len(p)):
            start -= len(p)
            places = place_prefix_lengths(text, start)
            return (start - places[0] if places else start), True
    return start, False


def find(text: str) -> list[tuple[int, int]]:
    """Organization names in running text, as (start, end) offsets, in order, no overlaps."""
    lex = lexicon()
    shielded = _protected(text)
    found: list[tuple[int, int]] = []
    for m in lex.core_re.finditer(text):
        start, anchored = _left_extent(text, m.start(), lex)
        core = m.group(0)
        if not anchored and core not in lex.generic:
            continue
        # 区政府教育督导委: a longer core may continue right after a government prefix
        found.append((start, m.end()))
    for m in lex.institution_re.finditer(text):
        start = _institution_start(text, m.start())
        if _SCHOOL.search(m.group(0)) and not text.startswith(lex.school_cues, m.end()):
            continue  # 新建西村小学, 增强重庆市医药学校影响力: a school named, not given work
        if start is not None and not _NOT_A_BODY.search(text[start:m.start()]) \
                and not _BUILDS.search(text, max(0, start - 4), start):
            found.append((start, m.end()))
    out = _longest_first(found)
    out = [(a, b) for a, b in out if not any(x <= a and b <= y for x, y in shielded)]
    return [(a, b) for a, b in out if text[a:b] not in lex.catch_all]


def _institution_start(text: str, suffix_start: int) -> int | None:
    """The start of 重庆旅游职业学院 / 武清区教育发展战略研究会 / 区群团活动中心: a place or
    level prefix within reach, with only name characters between it and the suffix."""
    lex = lexicon()
    lo = suffix_start
    while lo > 0 and suffix_start - lo < 14 and _HAN.match(text[lo - 1]) and text[lo - 1] not in _STOP:
        lo -= 1
    for e in range(lo, suffix_start + 1):
        if any(text.startswith(p, lo) and lo + len(p) == e for p in lex.prefixes):
            return lo
        places = [k for k in place_prefix_lengths(text, e) if e - k >= lo]
        if places:
            return e - places[0]
    return None


def _longest_first(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans = sorted(set(spans), key=lambda s: (-(s[1] - s[0]), s[0]))
    # the kept spans never overlap, so sorted by start their neighbours alone can clash:
    # a lookup per span keeps a line with thousands of names linear-logarithmic
    starts: list[int] = []
    ends: list[int] = []
    for a, b in spans:
        i = bisect.bisect_left(starts, a)
        if (i and ends[i - 1] > a) or (i < len(starts) and starts[i] < b):
            continue
        starts.insert(i, a)
        ends.insert(i, b)
    return list(zip(starts, ends, strict=True))


def split_list(text: str) -> list[tuple[int, int]]:
    """The organizations of a unit list (责任单位:A、B、C), as offsets into `text`.

    Items split on 、,;/ and on 和/及/与 only where both halves are organizations, so
    区规划和自然资源局 and 区住房和城乡建设委员会 stay whole. A bare place before places
    that end in a shared body (黄埔区、南沙区政府) is an item too: `named` gives its name."""
    lex = lexicon()
    out: list[tuple[int, int]] = []
    pos = 0
    for piece in re.split(r"([、,;/\s]+)", text):
        a = pos
        pos += len(piece)
        if not piece or re.fullmatch(r"[、,;/\s]+", piece):
            continue
        found = _split_conjunction(piece, lex)
        if not found and _BARE_PLACE.fullmatch(piece) and _SHARED_BODY.match(text, pos):
            found = [(0, len(piece))]
        out += [(a + x, a + y) for x, y in found]
    return out


# 黄埔区、南沙区政府 / 银川市、石嘴山市、吴忠市人民政府: one body written once after the last
# of several places
_BARE_PLACE = re.compile(r"(?![全各本我该每])[\u4e00-\u9fff]{1,6}[区县市旗]")  # not 全市、各区县…
_SHARED_BODY = re.compile(r"(?:、[\u4e00-\u9fff]{1,6}[区县市旗])*、[\u4e00-\u9fff]{1,6}[区县市旗]"
                          r"(?P<body>人民政府办公室|政府办公室|人民政府|政府|管委会|党委|党工委)")


def named(text: str, a: int, b: int) -> str:
    """The name of the list item text[a:b]: as written, or a bare place completed with the
    body the list writes once after its last place (黄埔区 of 黄埔区、南沙区政府 -> 黄埔区政府)."""
    name = text[a:b]
    if _BARE_PLACE.fullmatch(name):
        m = _SHARED_BODY.match(text, b)
        if m:
            return name + m.group("body")
    return name


def _split_conjunction(piece: str, lex: Lexicon) -> list[tuple[int, int]]:
    whole = _item(piece, 0, len(piece), lex)
    for m in re.finditer(r"以及|和|及|与", piece):
        left = _item(piece, 0, m.start(), lex)
        if re.match(r"相关|有关|各|其他", piece[m.end():]):
            return [left] if left else []  # 市科技局及相关行业主管部门
        right = _item(piece, m.end(), len(piece), lex)
        if left and right and _strong(piece[left[0]:left[1]], lex) and _strong(piece[right[0]:right[1]], lex):
            return [left, right]
    return [whole] if whole else []


def _strong(name: str, lex: Lexicon) -> bool:
    """A name that stands on its own (a known core or an institution), not a word like 规划."""
    return bool(lex.core_re.search(name) or lex.institution_re.search(name)) and bool(_ORG_END.search(name))


def _item(piece: str, a: int, b: int, lex: Lexicon) -> tuple[int, int] | None:
    s = piece[a:b]
    if s.lstrip("(“\"").startswith("各"):
        return None  # 各镇人民政府, 各区县教委: every one of a kind, nobody in particular
    head = _LIST_TRIM_HEAD.match(s)
    if head:
        a += head.end()
    tail = _LIST_TRIM_TAIL.search(piece[a:b])
    if tail:
        b -= len(tail.group(0))
    s = piece[a:b].strip("“”\"'")
    if s.startswith("(") and ")" not in s:
        s = s[1:]
    if s.endswith(")") and "(" not in s:
        s = s[:-1]
    if len(s) < 2 or len(s) > 24 or s in lex.catch_all or not _HAN.search(s):
        return None
    # 市住房城乡建设局 holds 建设 but ends in a department the lexicon knows
    known = any(m.end() == len(s) for m in lex.core_re.finditer(s))
    if not known and _not_a_body(s):
        return None
    if s.count("(") != s.count(")") or re.search(r"[。:]", s) or _NOBODY.search(s):
        return None
    bare = re.sub(r"\([^()]{1,10}\)$", "", s)  # 高新园(邹区镇): the body is before the bracket
    if not (known or _ORG_END.search(bare) or _ZONE.search(bare) or s in lex.generic):
        return None
    start = piece.index(s, a)
    return start, start + len(s)


def is_name(piece: str) -> bool:
    """The whole of `piece` reads as one organization's name in a unit list."""
    return _item(piece, 0, len(piece), lexicon()) == (0, len(piece))


def known_core(name: str) -> bool:
    """`name` is a department the lexicon knows, bare or after a place or level prefix
    (教育局, 区教育局, 黔江区教育局), not a known core after other characters (平教育局)."""
    lex = lexicon()
    for m in lex.core_re.finditer(name):
        if m.end() == len(name):
            start, anchored = _left_extent(name, m.start(), lex)
            if m.start() == 0 or (anchored and start == 0):
                return True
    return False


def _not_a_body(s: str) -> bool:
    """建设国家工业大数据中心 is a project, 镇建设办 a body: a verb counts only when a name of
    more than two characters follows it, or the name opens with a level (省级示范中心)."""
    for m in _NOT_A_BODY.finditer(s):
        if m.group(0).endswith("级") or len(s) - m.end() > 2:
            return True
    return False


def canonical(name: str) -> tuple[str, str, str]:
    """(prefix as written, canonical core, type) of a name: 区人社局 -> (区, 人力资源和社会保障局,
    government_department); 区委宣传部 -> (区委, 宣传部, party_department). Unknown cores come
    back whole, typed by their ending."""
    lex = lexicon()
    for m in lex.core_re.finditer(name):
        if m.end() != len(name):
            continue
        core, prefix = m.group(0), name[:m.start()]
        canon, kind = lex.cores.get(core, (core, _type_by_ending(core)))
        if core.startswith("委") and not canon.startswith("委"):
            prefix += "委"  # 区 + 委宣传部 is 区委 + 宣传部
        if kind == "government_department" and prefix.endswith(_PARTY_PREFIXES):
            kind = "party_department"
        return prefix, canon, kind
    return "", name, _type_by_ending(name)


def _type_by_ending(name: str) -> str:
    if re.search(r"(学校|学院|大学|中学|小学|幼儿园|职教中心)$", name):
        return "school"
    if re.search(r"(镇|乡|街道|办事处|镇人民政府|乡人民政府)$", name):
        return "township"
    if re.search(r"(妇联|团委|工会|联合会|协会|研究会|团[区县市]委)$", name):
        return "mass_organization"
    if re.search(r"(领导小组)$", name):
        return "leading_group"
    if re.search(r"(工作组|专班|小组)$", name):
        return "working_group"
    if re.search(r"(局|委|办|部门|政府|部|室)$", name):
        return "government_department"
    return "other"

"""Who sits in which group, in what role: rosters and role clauses, shared by people.py and
groups.py. Words come from loaders/posts.toml.

Two forms are read:
- roster blocks: lines that open with a role label (组长:周恩海 区委副书记、区政府区长), the
  lines that continue them (封波 区委常委、区政府常务副区长), table cells one per line
  (组长 / 张三 / 区委副书记), and their 牵头单位: / 工作职责: lines;
- role clauses in prose: 由区委副书记张三任组长, 组长由区长张三担任, 以X为组长,
  区政府办、区教委等…为成员.

Names and posts are told apart by shape: a post ends in a title (副区长, 部长, 常委), a name is
a surname and one to three characters that is no post and no organization. Only lines near a
role word are looked at, so the cost grows with the rosters, not with the document.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from kg.extract import orgnames
from kg.gazetteer import place_prefix_lengths
from kg.read import DITTO
from kg.rules import data_path

# the packaged copy (kg/_data): a path walked up from this file exists in a checkout only
LEXICON_PATH = data_path("loaders", "posts.toml")

_HAN = r"\u4e00-\u9fff"
_ORG_END = re.compile(r"(?:[局委办部院校园会联处室队所站馆团府厅司署行社台]|中心|政府|集团|公司|党组|"
                      r"人大|政协|法院|检察院|管委会|大学|中学|小学|幼儿园)$")
ORG_END = _ORG_END  # the ending of an organization's name (groups.py reads table cells by it)
_BORDER = "|│┃"  # table cell borders, plain and box-drawing
_SEPARATORS = re.compile(r"[\s?|│┃,、;:()\[\]【】“”\"'。]+")
_CN_NUM = "一二三四五六七八九十"
# cells a roster row may carry besides names and posts: its number, sex, nation, phone
_ASIDE = re.compile(r"\d{1,3}|男|女|[\u4e00-\u9fff]{1,3}族|[\d-]{7,}")
# a heading's number: 一、 (一) 1. ① 第一章 附件1:
MARKER = re.compile(rf"^(?:附件\s*\d*\s*:?|第[{_CN_NUM}\d]{{1,4}}[章节部分]|[{_CN_NUM}]{{1,3}}\s*[、.]"
                    rf"|\([{_CN_NUM}\d]{{1,3}}\)\s*[、.]?|[1-9]\d{{0,2}}\s*[.、](?!\d)|[①-⑳])\s*")


def _alt(words: list[str] | set[str] | tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True)
class Lexicon:
    role_of: dict[str, str]  # label -> leader | deputy | member | committee_leader | …
    label_line: re.Pattern[str]  # a line opening with a role label
    block_start: re.Pattern[str]  # a line opening with a label of who sits in a group
    prose_role: re.Pattern[str]  # a role word in running text: 组长, 成员, 召集人 …
    title_end: re.Pattern[str]
    prefixes: tuple[str, ...]
    party_levels: tuple[str, ...]
    post_split: re.Pattern[str]
    surnames: frozenset[str]
    compound: tuple[str, ...]
    not_names: frozenset[str]
    not_in_names: frozenset[str]
    bare_heads: frozenset[str]  # head titles a name may stand right before (甲某校长)
    role_verbs: tuple[str, ...]
    groups: dict[str, Any]
    group_forms: dict[str, Any]  # [group_forms]: the shapes groups.py reads groups by


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data: dict[str, Any] = tomllib.loads(LEXICON_PATH.read_text(encoding="utf-8"))
    roles: dict[str, list[str]] = data["roles"]
    role_of: dict[str, str] = {}
    for role in ("leader", "deputy", "member", "committee_leader", "committee_deputy",
                 "office_head", "lead_unit", "duties"):
        for word in roles[role]:
            role_of.setdefault(word, role)
    person_roles = [w for w, r in role_of.items() if r not in ("lead_unit", "duties")]
    # a label, then a colon, a cell border, a space, or the end of the line; 牵头单位: and
    # 工作职责: only carry on a roster (alone they are a measure's unit list or a heading)
    # a table row's border and number: |1|组长|王建国|…, │组长│王建国│ (box-drawing)
    serial = rf"[{_BORDER}]?[ \t]*(?:\d{{1,3}}[ \t{_BORDER}.、]*)?"
    # 组长(召集人): a label may carry its other name in brackets before the colon
    aside = r"(?:\([\u4e00-\u9fff、]{1,6}\)[ \t]*)?"
    end = rf"(?:[:\t {_BORDER}]|$)"
    label_line = re.compile(rf"(?m)^[ \t]*{serial}(?P<label>{_alt(role_of)})[ \t]*{aside}{end}")
    block_start = re.compile(rf"(?m)^[ \t]*{serial}(?:{_alt(person_roles)})[ \t]*{aside}{end}")
    # matched on the role word (rarer than 为/任), the verb is checked around it
    prose_role = re.compile(rf"(?:{_alt(person_roles)})(?!会)")
    posts, names = data["posts"], data["names"]
    return Lexicon(
        role_of=role_of,
        label_line=label_line,
        block_start=block_start,
        prose_role=prose_role,
        title_end=re.compile(rf"(?:{_alt(posts['titles'])})$"),
        prefixes=tuple(sorted(posts["prefixes"], key=len, reverse=True)),
        party_levels=tuple(posts["party_levels"]),
        post_split=re.compile(_alt(posts["post_separators"])),
        surnames=frozenset(c for c in names["surnames"] if not c.isspace()),
        compound=tuple(names["surnames_compound"]),
        not_names=frozenset(names["not_names"]),
        not_in_names=frozenset(names["not_in_names"]),
        bare_heads=frozenset(names["bare_heads"]),
        role_verbs=tuple(sorted(roles["role_verbs"], key=len, reverse=True)),
        groups=data["groups"],
        group_forms=data["group_forms"],
    )


# ------------------------------------------------------------------------ names and posts


@dataclass
class Post:
    text: str  # as written: 区委组织部常务副部长
    org: str | None  # the organization named in it: 区委组织部
    start: int  # normalized offsets
    end: int


@dataclass
class PersonEntry:
    name: str
    start: int
    end: int
    posts: list[Post] = field(default_factory=list)
    rule: str = ""  # the form it was read from: people.roster, people.role-clause, people.comrade


def is_name(token: str, lex: Lexicon | None = None) -> bool:
    """A personal name: 封波, 周恩海, 欧阳明远, 买买提·艾力."""
    lex = lex or lexicon()
    if "·" in token:
        parts = token.split("·")
        return 3 <= len(token) <= 14 and all(re.fullmatch(rf"[{_HAN}]+", p) for p in parts)
    if not re.fullmatch(rf"[{_HAN}]{{2,4}}", token) or token in lex.not_names:
        return False
    if len(token) == 4 and not token.startswith(lex.compound):
        return False
    if not (token[0] in lex.surnames or token.startswith(lex.compound)):
        return False
    if any(c in lex.not_in_names for c in token):
        return False
    if lex.title_end.search(token) or _ORG_END.search(token):
        return False
    words = _long_not_names(lex.not_names)
    return not (token.startswith(words) or token.endswith(words))


@lru_cache(maxsize=4)
def _long_not_names(not_names: frozenset[str]) -> tuple[str, ...]:
    # a tuple: str.startswith tests all of them at once (is_name is asked thousands of times)
    return tuple(w for w in not_names if len(w) > 1)


def split_post(token: str, lex: Lexicon | None = None) -> tuple[str | None, str] | None:
    """(organization or None, title) of a post: 区政府常务副区长 -> (区政府, 常务副区长)."""
    lex = lex or lexicon()
    if not re.fullmatch(rf"[{_HAN}\d]{{2,30}}", token):
        return None
    m = lex.title_end.search(token)
    if not m:
        return None
    org = token[: m.start()]
    if not org:
        return None, m.group(0)
    if len(org) > 24:
        return None
    if _ORG_END.search(org) or org in lex.prefixes or org.endswith(lex.party_levels) \
            or len(org) in place_prefix_lengths(org, len(org)):  # 浙江省省长: the province
        return org, m.group(0)
    return None, m.group(0)


def is_post(token: str, lex: Lexicon | None = None) -> bool:
    return split_post(token, lex) is not None


def has_prefix(org: str, lex: Lexicon | None = None) -> bool:
    """Starts with a level word (区委, 县) or a division name (黔江区, 重庆市)."""
    lex = lex or lexicon()
    return org.startswith(lex.prefixes) or any(
        k in place_prefix_lengths(org, k) for k in range(2, min(10, len(org)) + 1))


def post_org(org: str | None, previous: str | None, lex: Lexicon) -> str | None:
    """The organization of a post, completed from the post before it: 区委常委、宣传部部长 ->
    宣传部 is the 区委宣传部 (a party department takes the party level, a bureau the bare level
    character: 县委常委、公安局局长 -> 县公安局)."""
    if not org or not previous or has_prefix(org, lex):
        return org
    level = next((p for p in lex.party_levels if previous.startswith(p)), None)
    if level is None:
        return org
    _, _, kind = orgnames.canonical(org)
    return level + org if kind == "party_department" else level[0] + org


def split_glued(token: str, lex: Lexicon) -> list[tuple[str, str, int, int]] | None:
    """A name and a post written without a space between them: 周恩海区委副书记 or
    区委副书记张三 -> [(kind, text, start, end)…]."""
    # three-character names first: 王建华县政府副县长 is 王建华 of the 县政府, not 王建 of 华县
    for k in (3, 2, 4) if not has_prefix(token, lex) else ():
        name, rest = token[:k], token[k:]
        if len(rest) >= 2 and is_name(name, lex) and is_post(rest, lex) and has_prefix(rest, lex):
            return [("name", name, 0, k), ("post", rest, k, len(token))]
    for k in (2, 3, 4):
        head, name = token[:-k], token[-k:]
        if len(head) >= 2 and is_post(head, lex) and is_name(name, lex):
            return [("post", head, 0, len(head)), ("name", name, len(head), len(token))]
    # 陈某贤副省长: a name before a title with no organization (the leftmost title that ends
    # the token, so 李某副县长 is 李某 + 副县长, not 李某副 + 县长)
    m = lex.title_end.search(token)
    if m and 2 <= m.start() <= 4 and not has_prefix(token, lex) and is_name(token[:m.start()], lex):
        return [("name", token[:m.start()], 0, m.start()), ("post", m.group(0), m.start(), len(token))]
    # 李某生校长: a three-character name before a bare head title (no organization to read
    # the name as one)
    name, rest = token[:3], token[3:]
    if rest in lex.bare_heads and name[-1] not in "市县区省州旗镇乡村局委办" and is_name(name, lex):
        return [("name", name, 0, 3), ("post", rest, 3, len(token))]
    return None


def tokens(text: str, base: int) -> list[tuple[str, str, int, int]]:
    """Typed pieces of a roster text: (kind, text, start, end); kind is label, name, post,
    unit, serial (a row number, sex, nation, phone: ignored) or other. Offsets are
    normalized offsets (base + position in text)."""
    lex = lexicon()
    out: list[tuple[str, str, int, int]] = []
    depth = list(itertools.accumulate((1 if c == "(" else -1 if c == ")" else 0) for c in text))
    pos = 0
    pieces = []
    for piece in _SEPARATORS.split(text):
        at = text.find(piece, pos)
        pos = at + len(piece)
        if piece:
            pieces.append((piece, at))
    for i, (piece, at) in enumerate(pieces):
        if not piece:
            continue
        spread = _spread_name(piece, at, pieces[i + 1] if i + 1 < len(pieces) else None, text, lex)
        if spread:
            out.extend((k, t, base + a, base + b) for k, t, a, b in spread)
            pieces[i + 1] = ("", 0)
            continue
        # 朱某(市发改委副书记、主任): a role word inside the bracket is the person's post
        bracketed = at > 0 and depth[at - 1] > 0
        for sub, s0 in _split_posts(piece, lex):
            at0 = base + at + s0
            out.extend(("post" if k == "label" and bracketed else k, t, at0 + a, at0 + b)
                       for k, t, a, b in _classify(sub, lex))
    return _names_before_posts(out, text, base, lex)


def _spread_name(piece: str, at: int, nxt: tuple[str, int] | None, text: str,
                 lex: Lexicon) -> list[tuple[str, str, int, int]] | None:
    """张 某广州市委常委: a surname spaced out for alignment from the rest of a name glued to
    its post (the normalizer joins a spaced name only when nothing is glued to it)."""
    if len(piece) != 1 or piece not in lex.surnames or nxt is None:
        return None
    rest, rest_at = nxt
    if not text[at + 1:rest_at].isspace() or rest_at - at > 4:
        return None
    # the padding makes a two-character name as wide as a three-character one, so the name
    # is the surname and one more character (张 某广州市…: 张某 of 广州市)
    name, post = piece + rest[0], rest[1:]
    split = split_post(post, lex)
    # the post is a bare title (副省长) or opens with a level or a place (广州市委常委); not
    # 同志兼任办公室主任
    if not is_name(name, lex) or split is None or not (split[1] == post or has_prefix(post, lex)):
        return None
    glued = [("name", name, 0, 2), ("post", post, 2, 1 + len(rest))]
    gap = rest_at - at - 1

    def origin(p: int) -> int:  # a position in the joined word -> one in text
        return at + p + (gap if p > 0 else 0)

    return [(k, text[origin(a):origin(b)] if k != "name" else t, origin(a), origin(b))
            for k, t, a, b in glued]


def _names_before_posts(items: list[tuple[str, str, int, int]], text: str, base: int,
                        lex: Lexicon) -> list[tuple[str, str, int, int]]:
    """马正其 工商总局副局长: in a roster a surname-shaped word that a space parts from the post
    after it is a name, even with a character prose names lack (其, 的 …: not_in_names); so is
    a two-character word alone before a post."""
    out = list(items)
    for i, (kind, word, a, b) in enumerate(items[:-1]):
        nxt = items[i + 1]
        # a line that is only a word and a post (牧某 省教育厅副厅长) names a person by its
        # shape, whatever the surname
        # (王某会 省农委主任: an organization's ending closes names too)
        alone = i == 0 and all(k == "post" for k, *_ in items[1:])
        if ((kind == "other" or (alone and kind == "unit")) and nxt[0] == "post"
                and ((alone and len(word) == 2) or (len(word) == 3 and word[0] in lex.surnames))
                and text[b - base:nxt[2] - base].isspace() and not lex.title_end.search(word)
                and (alone or not _ORG_END.search(word)) and word not in lex.not_names):
            out[i] = ("name", word, a, b)
    # 张某 省某某厅总某某师: a line of a name and a word that opens with a level or a place
    # holds a post the title list lacks
    if len(out) == 2 and out[0][0] == "name" and out[1][0] == "other":
        kind, word, a, b = out[1]
        if 4 <= len(word) <= 24 and text[out[0][3] - base:a - base].isspace() \
                and has_prefix(word, lex) and not _ORG_END.search(word):
            out[1] = ("post", word, a, b)
    return out


def _split_posts(piece: str, lex: Lexicon) -> list[tuple[str, int]]:
    """副主任兼秘书局局长 -> two posts; a name with 兼 in it is never split this way."""
    parts: list[tuple[str, int]] = []
    start = 0
    for m in lex.post_split.finditer(piece):
        left = piece[start:m.start()]
        if is_post(left, lex):
            parts.append((left, start))
            start = m.end()
    parts.append((piece[start:], start))
    return [(p, s) for p, s in parts if p]


def _classify(piece: str, lex: Lexicon) -> list[tuple[str, str, int, int]]:
    word = piece[:-2] if piece.endswith("同志") and len(piece) > 3 else piece
    if word in lex.role_of:
        return [("label", word, 0, len(word))]
    if _ASIDE.fullmatch(word) or word in (DITTO, "同上"):
        # a merged role cell's later rows (〃) keep the role the rows above gave
        return [("serial", word, 0, len(word))]
    if is_name(word, lex):
        return [("name", word, 0, len(word))]
    # 刘强区财政局局长 reads as a post of 刘强区财政局 unless the name is split off first;
    # 黄山市教育局局长 opens with a place, so it stays one post
    glued = split_glued(word, lex)
    if glued:
        return glued
    if is_post(word, lex):
        return [("post", word, 0, len(word))]
    if _ORG_END.search(word) and len(word) >= 3:
        return [("unit", word, 0, len(word))]
    return [("other", word, 0, len(word))]


def people_of(items: list[tuple[str, str, int, int]]) -> list[PersonEntry]:
    """Persons of a run of typed pieces. Posts go with the name before them, unless the run
    opens with a post (区委副书记、区长 张三): then with the name after them."""
    lex = lexicon()
    kinds = [k for k, *_ in items if k in ("name", "post")]
    post_first = bool(kinds) and kinds[0] == "post"
    people: list[PersonEntry] = []
    pending: list[tuple[str, int, int]] = []
    for kind, text, a, b in items:
        if kind == "name":
            person = PersonEntry(text, a, b)
            if post_first:
                _add_posts(person, pending, lex)
                pending = []
            people.append(person)
        elif kind == "post":
            if post_first or not people:
                pending.append((text, a, b))
            else:
                _add_posts(people[-1], [(text, a, b)], lex)
    return people


def _add_posts(person: PersonEntry, posts: list[tuple[str, int, int]], lex: Lexicon) -> None:
    for text, a, b in posts:
        split = split_post(text, lex)
        org = split[0] if split else None
        previous = next((p.org for p in reversed(person.posts) if p.org), None)
        person.posts.append(Post(text, post_org(org, previous, lex), a, b))


# ------------------------------------------------------------------------ role entries

_ALONGSIDE = re.compile(r"会同|协同|联合|配合")
# 县教体局主要负责同志: the unit takes part through its head
_HEAD_OF = re.compile(r"(?:主要|分管|有关|相关)?(?:负责同志|负责人|领导同志|领导)(?=$|[、,;。\s])")
_NOBODY = ("单位", "部门", "相关", "有关", "各", "其他", "其它")
_ANYBODY = re.compile(r"(?:有关|相关|其他|其它|各)(?:部门|单位)")  # 国务院有关部门


def units_in(text: str) -> list[tuple[int, int]]:
    """Organizations of a member list, as offsets: A会同B、C -> A, B, C; 单位及科研院所 and
    other words for anybody are left out."""
    text = _ALONGSIDE.sub(lambda m: "、" * len(m.group(0)), text)
    text = _HEAD_OF.sub(lambda m: "、" * len(m.group(0)), text)
    return [(a, b) for a, b in orgnames.split_list(text)
            if b - a >= 3 and not text[a:b].startswith(_NOBODY) and not _ANYBODY.search(text[a:b])]


@dataclass
class RoleEntry:
    """One thing a roster or role clause says: `role` is held by `person`, or `unit` is a
    member / the lead unit, or `duty` is a duty. Which group it is about is for groups.py
    to tell from where it is written (`at`, a normalized offset)."""

    role: str  # leader | deputy | member | committee_leader | committee_deputy | office_head
    #            | lead_unit | duties | none
    at: int
    person: PersonEntry | None = None
    unit: tuple[str, int, int] | None = None  # (name as written, start, end)
    duty: str | None = None
    rule: str = ""  # roster.label-line (a roster block) | roster.role-clause (prose)


def _ruled(entries: list[RoleEntry], rule: str, person_rule: str) -> list[RoleEntry]:
    for e in entries:
        e.rule = e.rule or rule
        if e.person is not None and not e.person.rule:
            e.person.rule = person_rule
    return entries


def label_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of the roster blocks: a label line and the lines that continue it."""
    lex = lexicon()
    blocks: list[tuple[int, int]] = []
    for m in lex.block_start.finditer(text):
        start = m.start()
        if blocks and start <= blocks[-1][1]:
            continue
        end = _block_end(text, start, lex)
        blocks.append((start, end))
    return blocks


def _block_end(text: str, start: int, lex: Lexicon) -> int:
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    while end < len(text):
        nxt = text.find("\n", end + 1)
        nxt = len(text) if nxt < 0 else nxt
        line = text[end + 1:nxt]
        if not line.strip():
            end = nxt
            continue
        if not (lex.label_line.match(line) or _continues(line, lex)):
            break
        end = nxt
    return end


def _continues(line: str, lex: Lexicon) -> bool:
    """A line that carries on a roster: only names, posts and labels in it (李俊杰 区委常委、
    组织部部长; a lone 区委副书记 cell), and no heading."""
    if len(line) > 80 or MARKER.match(line):
        return False
    kinds = {k for k, *_ in tokens(line, 0)}
    if kinds == {"serial"}:
        return True  # a table row's number cell
    return bool(kinds) and kinds <= {"name", "post", "label", "serial"} and bool(kinds & {"name", "post"})


def block_entries(text: str, start: int, end: int) -> list[RoleEntry]:
    """The role entries of one roster block text[start:end]."""
    lex = lexicon()
    out: list[RoleEntry] = []
    role = "none"
    chief = False
    run: list[tuple[str, str, int, int]] = []

    def flush() -> None:
        nonlocal run
        if run:
            out.extend(_run_entries(role, run))
        run = []

    pos = start
    for line in text[start:end].split("\n"):
        lstart = pos
        pos += len(line) + 1
        m = lex.label_line.match(line)
        if m:
            kind = lex.role_of.get(m.group("label"), "none")
            body_at = lstart + m.end()
            body = line[m.end():]
            if kind in ("lead_unit", "duties") or (kind == "member" and body.strip(" :|")
                                                   and not _has_name(body, lex)):
                flush()
                out.extend(_labelled_units(kind, body, body_at))
                role = "none" if kind != "member" else "member_units"
                continue
            flush()
            # 总召集人 then 召集人: under a chief the plain title is the deputy's
            label = m.group("label")
            if kind == "leader":
                if label.startswith("总"):
                    chief = True
                elif chief:
                    kind = "deputy"
            role = kind
            run = tokens(body, body_at)
            continue
        if role == "member_units":
            out.extend(_labelled_units("member", line, lstart))
            continue
        run.extend(tokens(line, lstart))
    flush()
    return _ruled(out, "roster.label-line", "people.roster")


def _has_name(body: str, lex: Lexicon) -> bool:
    return any(k == "name" for k, *_ in tokens(body, 0))


def _labelled_units(kind: str, body: str, at: int) -> list[RoleEntry]:
    if kind == "duties":
        duty = body.strip(" :|。")
        return [RoleEntry("duties", at, duty=duty)] if duty else []
    role = "lead_unit" if kind == "lead_unit" else "member"
    return [RoleEntry(role, at + a, unit=(body[a:b], at + a, at + b))
            for a, b in units_in(body)]


def _run_entries(role: str, run: list[tuple[str, str, int, int]]) -> list[RoleEntry]:
    """Entries of a label's run; a label met inside the run (组长|张三|区委书记|副组长|…)
    starts a new run with its own role."""
    lex = lexicon()
    out: list[RoleEntry] = []
    segment: list[tuple[str, str, int, int]] = []
    current = role
    for item in [*run, ("label", "", -1, -1)]:
        if item[0] == "label":
            out.extend(_segment_entries(current, segment, lex))
            segment = []
            current = lex.role_of.get(item[1], current)
            continue
        segment.append(item)
    return out


def _segment_entries(role: str, segment: list[tuple[str, str, int, int]],
                     lex: Lexicon) -> list[RoleEntry]:
    out = [RoleEntry(role, p.start, person=p) for p in people_of(segment)]
    if role == "member" and not out:
        # 成员:区教委主要负责人、区财政局分管负责人 -> the units take part
        for kind, text, a, b in segment:
            if kind == "post":
                split = split_post(text, lex)
                if split and split[0]:
                    out.append(RoleEntry("member", a, unit=(split[0], a, a + len(split[0]))))
            elif kind == "unit":
                out.append(RoleEntry("member", a, unit=(text, a, b)))
    return out


# ------------------------------------------------------------------------ prose clauses

_CLAUSE_STOP = ",;。!?\n:"
_HOLDS = re.compile(r"担任|兼任|出任|(?<![主责信委])任|组成|负责")  # not the 任 of 副主任
_LIST_STOP = ";。!?\n:"


def prose_entries(text: str) -> list[RoleEntry]:
    """Role clauses in running text: 由区委副书记张三任组长, 组长由区长张三担任,
    区政府办、区教委等…为成员."""
    lex = lexicon()
    out: list[RoleEntry] = []
    for m in lex.prose_role.finditer(text):
        role = lex.role_of[m.group(0)]
        verb = next((v for v in lex.role_verbs if text.endswith(v, 0, m.start())), None)
        if verb is not None:  # 由…任组长 / 以…为组长: the holders come before
            at = m.start() - len(verb)
            lo = _clause_begin(text, at)
            # 由…王建华任组长,常务副县长刘志明,副县长陈静任副组长: the holders of one role
            # may fill several clauses, each nothing but posts and a name
            while lo > 0 and text[lo - 1] in ",、":
                prev = _clause_begin(text, lo - 1)
                kinds = {k for k, *_ in tokens(text[prev:lo - 1], 0)}
                if "name" not in kinds or not kinds <= {"name", "post"}:
                    break
                lo = prev
            who, offset = text[lo:at], lo
        elif text.startswith(("由", "分别由"), m.end()):  # 组长由…担任: they come after
            hi = m.end()
            while hi < len(text) and hi - m.end() < 300 and text[hi] not in _LIST_STOP:
                hi += 1
            v = _HOLDS.search(text, m.end(), hi)
            if not v:
                continue
            who, offset = text[m.end():v.start()], m.end()
        else:
            continue
        out.extend(_clause_entries(role, who, offset, m.start(), lex))
    return _ruled(out, "roster.role-clause", "people.role-clause")


_COMRADE = re.compile(r"同志(?!们)")


def addressed_people(text: str) -> list[PersonEntry]:
    """People the text names with their posts in passing: 贯彻市委副书记、市长陆振华同志
    的讲话, 按照副市长顾红梅同志的部署. The 同志 makes the name certain; each post is cut
    back to where a post can start (市委…, 副…), dropping the words before it."""
    lex = lexicon()
    out: list[PersonEntry] = []
    for m in _COMRADE.finditer(text):
        lo = _clause_begin(text, m.start())
        items = tokens(text[lo:m.start()], lo)
        if len(items) < 2 or items[-1][0] != "name" or items[-1][3] != m.start():
            continue
        posts: list[tuple[str, str, int, int]] = []
        for kind, word, a, b in reversed(items[:-1]):
            if kind != "post" or (posts and text[b:posts[0][2]] != "、"):
                break
            posts.insert(0, (kind, word, a, b))
        if not posts:
            continue
        kind, word, a, b = posts[0]
        cut = _post_start(word, lex)
        if cut is None:
            continue
        posts[0] = (kind, word[cut:], a + cut, b)
        out.extend(people_of([*posts, items[-1]]))
    for person in out:
        person.rule = "people.comrade"
    return out


def _post_start(word: str, lex: Lexicon) -> int | None:
    """Where the post inside `word` starts: its last level prefix or 副/常务 that leaves a
    post of at most 12 characters (…全会精神和市委副书记 -> 市委副书记)."""
    for k in range(max(0, len(word) - 12), len(word) - 1):
        rest = word[k:]
        if (rest.startswith(lex.prefixes) or rest.startswith(("副", "常务"))) and is_post(rest, lex):
            return k
    return None


def _clause_begin(text: str, at: int) -> int:
    lo = at
    while lo > 0 and at - lo < 60 and text[lo - 1] not in _CLAUSE_STOP:
        lo -= 1
    return lo


# 成立以区委副书记张三为组长: the holders follow the last 由/以/请 of the clause
_LEAD_IN = re.compile(r"由|以|请")


def _clause_entries(role: str, who: str, offset: int, at: int, lex: Lexicon) -> list[RoleEntry]:
    cut = max((m.end() for m in _LEAD_IN.finditer(who)), default=0)
    who, offset = who[cut:], offset + cut
    if role == "member":
        cut = who.find("等")
        units = who[:cut] if cut >= 0 else who
        found = [RoleEntry("member", at, unit=(units[a:b], offset + a, offset + b))
                 for a, b in units_in(units)]
        if found:
            return found
    items = tokens(who, offset)
    if any(k in ("other", "unit") for k, *_ in items):
        # 区政府主要领导, 相关区领导: an office, not a person
        items = [t for t in items if t[0] in ("name", "post")]
    # in prose a bare word that looks like a name (房地产) is no person: a name counts with
    # a post or as 张三同志
    people = [p for p in people_of(items)
              if p.posts or who.startswith("同志", p.end - offset)]
    return [RoleEntry(role, at, person=p) for p in people]

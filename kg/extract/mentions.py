"""People named outside rosters: in running text and in the leader column of task tables.

Forms read (cue words from the [mentions] table of loaders/posts.toml; posts and names are
shaped as kg/extract/rosters.py defines them):
- a post, then a name: 县委副书记王某主持会议, 会议由县政府办副主任李某主持, 由副县长张某任组长;
  a 、-chain of posts before one name (区委常委、宣传部部长刘某); several names after one post
  (省政府督学甲某、乙某、丙某), each holding it;
- a name, then a post: 李某副县长, 韩 某副主任联系…, 王某(县委书记), 张某同志任县教育局局长;
- names after a leaders-of-a-level word (区领导甲某、乙某), without a post;
- a task table's leader cells (责任领导 | 分管领导 | 县领导), as the layout read the table in
  whatever flattening (kg/extract/tables.py): `cell_people` reads the names in one.
A name is a surname and one or two more characters (rosters.is_name) that something ends: a
punctuation mark, a space, the end of a line, or a word a report writes after a name (主持,
出席, 指出 …). Whoever writes or photographs a report (记者 王某) is left out.

Every scan is a single pass over the text (titles by one regex, rosters line by line), so
the cost stays linear in the length of the document.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache

from kg.extract import rosters
from kg.extract.rosters import Lexicon, PersonEntry, Post
from kg.gazetteer import place_prefix_lengths

COMMON_WORDS = rosters.LEXICON_PATH.with_name("common_words.toml")
_HAN = re.compile(r"[\u4e00-\u9fff]")
# what may stand right after a name or a post: punctuation, brackets, spaces, line ends
_BOUNDARY = set(",。;:!?、()[]【】《》“”\"' \n\t|…—-·/")
_FILL = " ?\u3000"  # padding inside a name: 俞 悦, 封 ?波
# a unit written out in full before a title: …软件服务业司|巡视员, …行业联合会|副会长
_UNIT_END = re.compile(r"(?:[局委办部院厅司署处科室所站馆会社团行]|中心|政府|学校|中学|小学|大学|公司|集团)$")
_DOTTED = re.compile(r"[\u4e00-\u9fff]{1,6}(?:·[\u4e00-\u9fff]{1,8})+")


@dataclass(frozen=True)
class Cues:  # the [mentions] words of loaders/posts.toml, compiled once
    title_re: re.Pattern[str]  # every title a person is named with, longest first
    title_end: re.Pattern[str]  # a title at the end of a string
    group_titles: frozenset[str]
    group_endings: tuple[str, ...]
    post_starts: tuple[str, ...]
    post_cuts: frozenset[str]
    after_name: tuple[str, ...]
    before_name: tuple[str, ...]
    bylines: tuple[str, ...]
    leader_columns: tuple[str, ...]
    task_columns: tuple[str, ...]
    cut_words: tuple[str, ...]
    leader_words: re.Pattern[str]
    weak_surnames: frozenset[str]
    generic_titles: frozenset[str]
    common_words: frozenset[str]
    long_prefixes: tuple[str, ...]  # level prefixes of two characters or more: 市委, 区政府
    surname_rank: dict[str, int]  # commoner surnames first (the order of the list)


def _alt(words: set[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def trie_pattern(words: set[str]) -> str:
    """One regex for many words, as a trie (常(?:务(?:副区长|委员)|委)…): the longest word at a
    position matches, as with a longest-first alternation, and scanning is about twice as
    fast because each position is tried against one character set, not every word."""
    trie: dict[str, dict] = {}
    for w in words:
        node = trie
        for c in w:
            node = node.setdefault(c, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        alts = [re.escape(c) + build(sub) for c, sub in sorted(node.items()) if c]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


@lru_cache(maxsize=1)
def cues() -> Cues:
    data = tomllib.loads(rosters.LEXICON_PATH.read_text(encoding="utf-8"))
    m, posts = data["mentions"], data["posts"]
    titles = set(posts["titles"]) | set(m["extra_titles"]) | set(m["group_titles"])
    surnames = [c for c in data["names"]["surnames"] if not c.isspace()]
    return Cues(
        title_re=re.compile(trie_pattern(titles)),
        title_end=re.compile(rf"(?:{_alt(titles)})$"),
        group_titles=frozenset(m["group_titles"]),
        group_endings=tuple(m["group_endings"]),
        post_starts=tuple(m["post_starts"]),
        post_cuts=frozenset(m["post_cuts"]),
        after_name=tuple(sorted(m["after_name"], key=len, reverse=True)),
        before_name=tuple(m["before_name"]),
        bylines=tuple(m["bylines"]),
        leader_columns=tuple(m["leader_columns"]),
        task_columns=tuple(m["task_columns"]),
        cut_words=tuple(m["post_cut_words"]),
        weak_surnames=frozenset(m["weak_surnames"]),
        generic_titles=frozenset(m["generic_titles"]),
        leader_words=re.compile("|".join(map(re.escape, m["leader_words"]))),
        common_words=frozenset(tomllib.loads(COMMON_WORDS.read_text(encoding="utf-8"))["words"]["common"].split())
        | frozenset(m["not_names"]),
        long_prefixes=tuple(sorted({p for p in rosters.lexicon().prefixes if len(p) >= 2}
                                   | set(m["extra_prefixes"]), key=len, reverse=True)),
        surname_rank={c: i for i, c in reversed(list(enumerate(surnames)))},
    )


@dataclass
class Mention:
    rule: str
    person: PersonEntry


# ------------------------------------------------------------------------ names


def _ends_name(text: str, at: int, cue: Cues) -> bool:
    """Something that ends a name (or a post written after a name) starts at `at`."""
    return at >= len(text) or text[at] in _BOUNDARY or text.startswith(cue.after_name, at)


def _starts_name(text: str, at: int, cue: Cues) -> bool:
    """A name may start at `at`: the text starts there, or a mark or a word that introduces
    someone (由, 请, 和 …) stands before it."""
    return at <= 0 or text[at - 1] in _BOUNDARY or text[at - 1] in cue.post_cuts \
        or text.endswith(cue.before_name, 0, at)


def name_after(text: str, at: int, lex: Lexicon, cue: Cues) -> tuple[str, int, int] | None:
    """The name that starts at `at` (after a post) and something ends: (name, start, end).
    王建国在 is 王建国, 吴某向大会 is 吴某 (向 ends a two-character name as well)."""
    if text.startswith(" ", at):
        at += 1
    dotted = _DOTTED.match(text, at)
    if dotted:  # 艾力·买买提: a name written with a middle dot, up to what ends it
        # the longest reading a word ends (…买买提|出席, not …买买|提出), else a mark
        last_dot = dotted.group(0).rfind("·") + at
        ends = [e for e in range(dotted.end(), last_dot + 1, -1)
                if _ends_name(text, e, cue) and rosters.is_name(text[at:e], lex)]
        by_word = [e for e in ends if e < len(text) and text[e] not in _BOUNDARY]
        if by_word or ends:
            end = (by_word or ends)[0]
            return text[at:end], at, end
    if at >= len(text) or (text[at] not in lex.surnames and not text.startswith(lex.compound, at)):
        return None
    options: dict[int, tuple[str, int, int]] = {}
    for k in (2, 3, 4):
        token = text[at:at + k]
        if len(token) == k and rosters.is_name(token, lex) and _ends_name(text, at + k, cue) \
                and not is_place(text, at, at + k) and _sure(text, token, at + k, cue):
            options[k] = (token, at, at + k)
    padded = _padded(text, at, lex, cue)
    if padded and _ends_name(text, padded[2], cue):
        options.setdefault(2, padded)
    if 4 in options and options[4][0].startswith(lex.compound):
        return options[4]
    if 3 in options and not (2 in options and text.startswith(cue.after_name, at + 2)):
        return options[3]
    return options.get(2) or options.get(3)


def _sure(text: str, token: str, end: int, cue: Cues) -> bool:
    """Not a common word (应当, 项目); and a name whose surname opens many words (全覆盖,
    明确) needs a word after it that a name takes (主持, 出席, 同志 …) or a list of names (、),
    not just a comma."""
    if token in cue.common_words or (len(token) == 3 and token[:2] in cue.common_words):
        return False  # 应当, 包括市: a word, or a word and the next character
    if token[0] not in cue.weak_surnames:
        return True
    return token[:2] not in cue.common_words and text.startswith(("、", *cue.after_name), end)


def _padded(text: str, at: int, lex: Lexicon, cue: Cues | None = None) -> tuple[str, int, int] | None:
    """A two-character name padded for alignment: 俞 悦, 封 ?波."""
    j = at + 1
    while j < len(text) and j - at <= 3 and text[j] in _FILL:
        j += 1
    if j == at + 1 or j >= len(text) or not _HAN.match(text[j]):
        return None
    token = text[at] + text[j]
    if j + 1 < len(text) and _HAN.match(text[j + 1]) and text[j + 1] not in "副" \
            and not (cue and text.startswith(cue.after_name, j + 1)):
        # 王 建国 or a word: only a lone character after the padding (or one a name takes
        # after it: 阮 红出席) is read as the name's end
        return None
    return (token, at, j + 1) if rosters.is_name(token, lex) else None


def name_before(text: str, at: int, lex: Lexicon, cue: Cues) -> tuple[str, int, int] | None:
    """The name that ends at `at` (before a post) and starts where a name may."""
    if not any(text[at - k] in lex.surnames for k in range(2, 6) if at - k >= 0):
        return None  # no surname within reach (compound surnames start with one too: 欧, 司)
    for k in (3, 2, 4):
        token = text[at - k:at]
        if at - k >= 0 and rosters.is_name(token, lex) and _starts_name(text, at - k, cue) \
                and not is_place(text, at - k, at) and _sure_before(text, token, at - k, cue):
            return token, at - k, at
    # 韩 斌副主任: a padded name
    for j in range(at - 3, max(at - 6, -1), -1):
        if j >= 0 and text[j + 1:at - 1].strip(_FILL) == "" and at - 1 - (j + 1) >= 1:
            token = text[j] + text[at - 1]
            if rosters.is_name(token, lex) and _starts_name(text, j, cue) and token not in cue.common_words:
                return token, j, at
    return None


def is_place(text: str, a: int, b: int) -> bool:
    """text[a:b] names a place, alone or with the character after it (秦州|区, 平原|县)."""
    return (b - a) in place_prefix_lengths(text, b) or (b - a + 1) in place_prefix_lengths(text, b + 1)


def _sure_before(text: str, token: str, start: int, cue: Cues) -> bool:
    """A name before a post is not a word (任免本|市…, 任命为|中央…); one whose surname opens
    many words (班次设|专职班主任) stands after a mark, not after a word."""
    if token in cue.common_words or (len(token) == 3 and token[:2] in cue.common_words):
        return False
    return token[0] not in cue.weak_surnames or start == 0 or text[start - 1] in _BOUNDARY


def _is_byline(text: str, at: int, cue: Cues) -> bool:
    """A reporter's or editor's credit right before the mention (记者 王某, 责任编辑:李某), or
    a name inside a cited title (《外国专家来华工作许可证》): not a person of the plan. A
    credit earlier in the sentence (记者从县教体局获悉,局长王某表示) does not count."""
    line_start = text.rfind("\n", 0, at) + 1
    before = text[max(line_start, at - 12):at].rstrip(" :/")  # 记者 王某, 编辑:李某
    if before.endswith(cue.bylines):
        return True
    opened = text.rfind("《", line_start, at)
    return opened >= 0 and text.find("》", opened, at) < 0


# ------------------------------------------------------------------------ posts


def _cut(text: str, at: int, lex: Lexicon, cue: Cues) -> bool:
    """A post does not run back over text[at]: a word of the sentence (由, 的, 有 …); a
    conjunction only between two people (李某和县长王某), not inside a name (发展和改革委)."""
    ch = text[at]
    if ch not in cue.post_cuts:
        return False
    if ch in "和与及":
        return any(rosters.is_name(text[at - k:at], lex) for k in (2, 3) if at - k >= 0)
    return True


def post_start(text: str, title_start: int, end: int, lex: Lexicon, cue: Cues) -> int | None:
    """Where the post whose title is text[title_start:end] starts: its organization as far
    back as it is written (市教委体卫艺处处长, 沙坪坝区委常委), not the words of the sentence
    before it (贯彻落实|市委书记, 会议由|县政府办副主任, 全会精神和|市委副书记)."""
    lo = _stretch_start(text, title_start, end, lex, cue)
    title = text[title_start:end]
    if title in cue.group_titles:
        # 督导组组长, 专家委员会成员: a group's role is a post with the group's name only
        start = _org_start(text, lo, title_start, cue)
        org = text[start:title_start].replace("\n", "")
        return start if org.endswith(cue.group_endings) else None
    return _org_start(text, lo, title_start, cue)


def _stretch_start(text: str, title_start: int, end: int, lex: Lexicon, cue: Cues) -> int:
    """How far back a post may reach: over Chinese characters (and a line break inside a
    word), not over a word of the sentence."""
    lo = title_start
    while lo > 0 and end - lo < 30:
        ch = text[lo - 1]
        if ch == "\n" and text.endswith(cue.post_starts, 0, lo - 1):
            lo -= 1  # 常务副\n区长: a title broken after its 副 (never a roster's next line)
            continue
        if not _HAN.match(ch) or _cut(text, lo - 1, lex, cue) or text.endswith(cue.cut_words, 0, lo):
            break
        lo -= 1
    return lo


def _org_start(text: str, lo: int, title_start: int, cue: Cues) -> int:
    """The organization before a title within text[lo:title_start]: from its last level
    prefix (市委, 区政府) or place, extended back over the places and prefixes before that one
    (沙坪坝|区委, 中共|重庆|市委); with none, the whole stretch when it opens with a level
    character or is short (市教委体卫艺处, 教科局, 督政), else from 副/常务/代, else nothing."""
    last = next((k for k in range(title_start - 1, lo - 1, -1)
                 if _long_start(text, k, title_start, cue)), -1)
    if last >= 0:
        return _extend_left(text, lo, last, cue)
    stretch = text[lo:title_start]
    if (stretch.startswith(rosters.lexicon().prefixes) and len(stretch) <= 28) or len(stretch) <= 8 \
            or (len(stretch) <= 24 and _UNIT_END.search(stretch)):
        return lo
    return next((k for k in range(lo, title_start) if text.startswith(cue.post_starts, k)), title_start)


def _long_start(text: str, at: int, end: int, cue: Cues) -> bool:
    """A level prefix of two characters or more (市委, 区政府) or a place name starts at `at`
    and ends by `end`."""
    if any(text.startswith(p, at) and at + len(p) <= end for p in cue.long_prefixes):
        return True
    return any(n in place_prefix_lengths(text, at + n) for n in range(2, min(10, end - at) + 1))


def _extend_left(text: str, lo: int, at: int, cue: Cues) -> int:
    # a place or a prefix that runs into the one found: 沙坪坝区|委 before 区委, 自治|区 before
    # 区人民政府
    at = next((k for k in range(lo, at) if any(
        k + n > at for n in range(2, 11) if n in place_prefix_lengths(text, k + n))
        or any(text.startswith(p, k) and k + len(p) > at for p in cue.long_prefixes)), at)
    while at > lo:
        places = [k for k in place_prefix_lengths(text, at) if at - k >= lo]
        if places:
            at -= places[0]
            continue
        prefix = next((p for p in cue.long_prefixes if text.endswith(p, lo, at)), None)
        if prefix is None:
            break
        at -= len(prefix)
    return at


def _title_ending(text: str, end: int, cue: Cues) -> tuple[int, int] | None:
    """The title that ends at `end` (for the post before a 、): (start, end)."""
    m = cue.title_end.search(text, max(0, end - 12), end)
    return (m.start(), end) if m else None


def posts_before(text: str, title_start: int, end: int, lex: Lexicon, cue: Cues) -> list[tuple[int, int]]:
    """The post ending at `end` and the posts chained before it by 、 or 兼 (区委常委、宣传部部长),
    first written first."""
    start = post_start(text, title_start, end, lex, cue)
    if start is None:
        return []
    out = [(start, end)]
    while len(out) < 5 and start > 0 and text[start - 1] in "、兼":
        prev = _title_ending(text, start - 1, cue)
        if prev is None:
            break
        s = post_start(text, prev[0], prev[1], lex, cue)
        if s is None or (not rosters.is_post(text[s:prev[1]], lex)
                         and text[prev[0]:prev[1]] not in cue.group_titles):
            break
        out.insert(0, (s, prev[1]))
        start = s
    return out


def _entry(name: tuple[str, int, int], posts: list[tuple[int, int]], text: str, lex: Lexicon) -> PersonEntry:
    person = PersonEntry(name[0], name[1], name[2])
    for a, b in posts:
        word = text[a:b].replace("\n", "")  # 常务副\n区长: a line broken inside the post
        split = rosters.split_post(word, lex)
        org = split[0] if split else None
        previous = next((p.org for p in reversed(person.posts) if p.org), None)
        person.posts.append(Post(word, rosters.post_org(org, previous, lex), a, b))
    return person


# ------------------------------------------------------------------------ prose


def prose_people(text: str) -> list[Mention]:
    """People named with a post in running text (see the module docstring)."""
    lex, cue = rosters.lexicon(), cues()
    out: list[Mention] = []
    taken_until = -1
    for m in cue.title_re.finditer(text):
        ts, te = m.start(), m.end()
        if ts < taken_until:
            continue
        found = _post_then_name(text, ts, te, lex, cue)
        if found:
            out.extend(found)
            taken_until = max(p.person.end for p in found)
            continue
        person = _name_then_post(text, ts, te, lex, cue)
        if person:
            out.append(Mention("people.prose-name-post", person))
    out.extend(_bracketed(text, lex, cue))
    out.extend(_comrades(text, lex, cue))
    out.extend(_level_leaders(text, lex, cue))
    return out


def _level_leaders(text: str, lex: Lexicon, cue: Cues) -> list[Mention]:
    """区领导甲某、乙某、丙某: the names after a leaders-of-a-level word, without a post."""
    out: list[Mention] = []
    for m in cue.leader_words.finditer(text):
        end = m.end()
        while len(out) < 30:
            name = name_after(text, end, lex, cue)
            if name is None or name[1] > end + 1:
                break
            out.append(Mention("people.level-leaders", PersonEntry(name[0], name[1], name[2])))
            end = name[2]
            if end >= len(text) or text[end] not in "、,":
                break
            end += 1
    return out


_LONG_NAME = re.compile(r"[\u4e00-\u9fff]{5,7}(?=、)")


def _long_listed_name(text: str, at: int, lex: Lexicon, cue: Cues) -> tuple[str, int, int] | None:
    """副主席某某巴雅尔、李某: a transliterated name (Mongolian, Tibetan, Uyghur) written
    without a middle dot is longer than a Han name; it is read as one where a list of names
    goes on after it."""
    m = _LONG_NAME.match(text, at)
    if m is None or name_after(text, m.end() + 1, lex, cue) is None:
        return None
    token = m.group(0)
    # 副主任负责日常工作、李某: a clause, not a name (a word a name is followed by inside it)
    if rosters.is_post(token, lex) or cue.title_re.search(token) or rosters.units_in(token) \
            or any(c in lex.not_in_names for c in token) or any(w in token for w in cue.after_name):
        return None
    return token, at, m.end()


def _post_then_name(text: str, ts: int, te: int, lex: Lexicon, cue: Cues) -> list[Mention]:
    if text[ts:te] in cue.generic_titles:
        return []
    name = name_after(text, te, lex, cue) or _long_listed_name(text, te, lex, cue)
    if name is None:
        return []
    posts = posts_before(text, ts, te, lex, cue)
    if not posts or _is_byline(text, posts[0][0], cue) or _is_byline(text, name[1], cue):
        return []
    if rosters.is_post(name[0], lex):
        return []
    out = [Mention("people.prose-post-name", _entry(name, posts, text, lex))]
    # 省政府督学甲某、乙某、丙某: every name of the list holds the post
    end = name[2]
    while len(out) < 20 and end < len(text) and text[end] in "、和及与":
        more = name_after(text, end + 1, lex, cue)
        if more is None or more[1] != end + 1:
            break
        if text[end] != "、" and cue.title_re.match(text, more[2]):
            break  # 县长李某和王某副县长: the second name has a post of its own
        out.append(Mention("people.prose-post-name", _entry(more, posts, text, lex)))
        end = more[2]
    return out


def _name_then_post(text: str, ts: int, te: int, lex: Lexicon, cue: Cues) -> PersonEntry | None:
    """李某副县长 / 王某县委书记, followed by something that ends a post. A bare head title
    after a word is a compound (车间主任, 班主任): the post must show its organization or
    open with 副/常务/代."""
    if not _ends_name(text, te, cue) or text[ts:te] in cue.group_titles | cue.generic_titles:
        return None
    lo = ts
    while lo > 0 and ts - lo < 20 and _HAN.match(text[lo - 1]):
        lo -= 1
    for j in range(lo, ts + 1):  # the longest post first
        name = name_before(text, j, lex, cue)  # cheaper than the post's shape: tried first
        if name is None:
            continue
        post = text[j:te]
        if any(w in post for w in cue.cut_words):
            continue  # 甲某区相关部门负责同志区教体局局长: words of a sentence, no post
        if (j != ts and not rosters.is_post(post, lex)) or not (
                text.startswith(cue.post_starts, j) or rosters.has_prefix(post, lex)):
            continue
        if _is_byline(text, name[1], cue) or _is_byline(text, j, cue):
            continue
        return _entry(name, [(j, te)], text, lex)
    return None


_BRACKET = re.compile(r"\(([^()\n]{2,40})\)")


def _bracketed(text: str, lex: Lexicon, cue: Cues) -> list[Mention]:
    """王某(县委书记), 李某(县政府副县长、县公安局局长)."""
    out: list[Mention] = []
    for m in _BRACKET.finditer(text):
        parts = [(p.start() + m.start(1), p.end() + m.start(1))
                 for p in re.finditer(r"[^、,]+", m.group(1))]
        if not parts or not all(rosters.is_post(text[a:b], lex) for a, b in parts):
            continue
        name = name_before(text, m.start(), lex, cue)
        if name is None or _is_byline(text, name[1], cue):
            continue
        out.append(Mention("people.prose-bracket", _entry(name, parts, text, lex)))
    return out


# opens with 同志, which is searched for; a space before it is stepped over by hand
_COMRADE = re.compile(r"同志[ ]?(?:(?:担任|兼任|出任|任|为)(?P<post>[^,。;:、()\n]{2,30}))?")


def _comrades(text: str, lex: Lexicon, cue: Cues) -> list[Mention]:
    """张某同志 (a person for certain), 张某同志任县教育局局长 (with the post given)."""
    out: list[Mention] = []
    for m in _COMRADE.finditer(text):
        at = m.start() - 1 if m.start() and text[m.start() - 1] == " " else m.start()
        name = name_before(text, at, lex, cue)
        if name is None:
            continue
        posts: list[tuple[int, int]] = []
        if m.group("post"):
            post = m.group("post")
            cut = next((k for k in range(len(post), 1, -1) if rosters.is_post(post[:k], lex)
                        and _ends_name(text, m.start("post") + k, cue)), 0)
            if cut and rosters.has_prefix(post[:cut], lex):
                # 张某同志任县教育局局长; not 兼任办公室主任, a seat in a group
                posts = [(m.start("post"), m.start("post") + cut)]
        out.append(Mention("people.comrade", _entry(name, posts, text, lex)))
    return out


# ------------------------------------------------------------------------ roster variants

_AFFILIATED = re.compile(r"([\u4e00-\u9fff]{2,4})(?:\(([\u4e00-\u9fff]{1,10})\))?")


def roster_lines(text: str) -> list[Mention]:
    """Roster lines in forms rosters.py does not read: a label with its alias in brackets
    (组长(召集人):王某), and a line that carries on a roster with each name's workplace in
    brackets (钱某(实验中学) 孙某(教研室)) right after a label line."""
    if "(" not in text:
        return []  # both forms have a bracket
    lex = rosters.lexicon()
    out: list[Mention] = []
    previous_roster = False
    for line in _lines(text):
        body = line.text.strip()
        m = _ALIASED_LABEL.match(body) if "(" in body else None
        if m and m.group("label") in lex.role_of:
            at = line.start + line.text.find(body) + m.end()
            out.extend(Mention("people.roster-label", p)
                       for p in rosters.people_of(rosters.tokens(body[m.end():], at)))
            previous_roster = True
            continue
        names = _affiliated_names(line, lex) if previous_roster and "(" in body else []
        if names:
            out.extend(Mention("people.roster-continued", PersonEntry(*n)) for n in names)
            continue
        previous_roster = bool(lex.label_line.match(line.text))
    return out


_ALIASED_LABEL = re.compile(r"(?P<label>[\u4e00-\u9fff]{2,6})\([\u4e00-\u9fff]{2,6}\)\s*[::]")


def _affiliated_names(line: _Line, lex: Lexicon) -> list[tuple[str, int, int]]:
    """钱某(实验中学) 孙某(教研室): every item a name, one at least with a workplace."""
    items = [(m.start() + line.start, m) for m in re.finditer(r"[^\s、,]+", line.text)]
    if len(items) < 2:
        return []
    out: list[tuple[str, int, int]] = []
    bracketed = 0
    for at, m in items:
        a = _AFFILIATED.fullmatch(m.group(0))
        if not a or not rosters.is_name(a.group(1), lex):
            return []
        bracketed += a.group(2) is not None
        out.append((a.group(1), at, at + len(a.group(1))))
    return out if bracketed else []


# ------------------------------------------------------------------------ labelled fields


def leader_fields(text: str) -> list[Mention]:
    """A labelled field naming the leader of a task: 责任领导:王某, 牵头领导:副县长李某;
    责任单位:… (the label's words are the leader columns of a table)."""
    lex = rosters.lexicon()
    out: list[Mention] = []
    for m in _field_re().finditer(text):
        if not _label_opens(text, m.start()):
            continue
        value = m.group("value")
        at = m.start("value")
        people = rosters.people_of(rosters.tokens(value, at))
        if not people:
            lead = len(value) - len(value.lstrip())
            people = [PersonEntry(*n) for n in split_run(value.strip(), at + lead, lex)]
        out.extend(Mention("people.leader-field", p) for p in people)
    return out


@lru_cache(maxsize=1)
def _field_re() -> re.Pattern[str]:
    """责任领导:value, the value ending at a mark, the line's end or the next label. Matched
    from the leader word on (a label is at most four characters more before it), so the
    search does not start at every character."""
    words = "|".join(re.escape(w) for w in cues().leader_columns)
    value = r"(?P<value>[^;,。:()\n]{2,40}?)(?=$|[;,。)\n]|\s+[\u4e00-\u9fff]{2,6}:)"
    return re.compile(rf"(?:{words})[\u4e00-\u9fff]{{0,2}}:\s*{value}", re.M)


def _label_opens(text: str, at: int) -> bool:
    """The label before a leader word starts the field: within six characters back there is
    a line start, a space or a mark (…。责任领导:, 区政府分管领导:)."""
    for k in range(0, 7):
        if at - k <= 0 or text[at - k - 1] in "\n \t;,。(|":
            return True
        if not _HAN.match(text[at - k - 1]):
            return False
    return False


# ------------------------------------------------------------------------ tables


@dataclass
class _Line:
    start: int
    text: str


def _lines(text: str) -> list[_Line]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append(_Line(pos, line))
        pos += len(line) + 1
    return out


def cell_people(at: int, cell: str) -> list[Mention]:
    """The people of a leader cell the layout found (at: its offset in the text)."""
    return _cell_people(at, cell, rosters.lexicon())


def _cell_people(at: int, cell: str, lex: Lexicon) -> list[Mention]:
    """People of one leader cell: 王某, 王某、李某, 王某 李某, 副县长王某, 王某李某."""
    if not cell or len(cell) > 60:
        return []
    people = rosters.people_of(rosters.tokens(cell, at))
    if not people:
        people = [PersonEntry(n, a, b) for n, a, b in split_run(cell, at, lex)]
    return [Mention("people.table-leader", p) for p in people]


def split_run(cell: str, at: int, lex: Lexicon) -> list[tuple[str, int, int]]:
    """Names run together in one cell (王建国李明): the split into names of two or three
    characters whose surnames are commonest."""
    if not re.fullmatch(r"[\u4e00-\u9fff]{4,9}", cell):
        return []
    rank = cues().surname_rank
    best: tuple[int, list[tuple[str, int, int]]] | None = None

    def walk(pos: int, acc: list[tuple[str, int, int]]) -> None:
        nonlocal best
        if pos == len(cell):
            cost = sum(rank.get(n[0][0], 999) for n in acc)
            if best is None or cost < best[0]:
                best = (cost, list(acc))
            return
        for k in (2, 3):
            token = cell[pos:pos + k]
            if len(token) == k and rosters.is_name(token, lex):
                acc.append((token, at + pos, at + pos + k))
                walk(pos + k, acc)
                acc.pop()

    walk(0, [])
    return best[1] if best and len(best[1]) >= 2 else []

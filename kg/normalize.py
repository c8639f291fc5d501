"""Decoded text -> clean simplified text that parsing and extraction can rely on.

Every rewrite keeps a per-character map back to the decoded original, so a fact found
in the clean text can be quoted from the file itself. The map is two lists: for clean
character i, `starts[i]`/`ends[i]` are the [start, end) of what it came from.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from html import unescape
from itertools import chain, pairwise
from typing import Any

from kg import restructure
from kg.model import Notice, Span

CJK = "\u4e00-\u9fff\u3400-\u4dbf"
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"

# 區(qū): a parenthesised pinyin syllable with a tone mark. Real parentheses hold CJK
# text, so requiring a tone-marked vowel keeps (责任单位:…) and (含艺体生) untouched.
_PINYIN = re.compile(rf"[(?](?=[a-zü{_TONED}]*[{_TONED}])[a-zü{_TONED}]{{1,7}}\)")
_TAG = re.compile(r"(?:<|\?(?=/))/?[a-zA-Z][a-zA-Z0-9]{0,10}(?:\s[^<>\n]{0,200})?/?>")
_ENTITY = re.compile(r"&(?:#\d{2,7}|#x[0-9a-fA-F]{2,6}|[a-zA-Z]{2,8});")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
# Markdown syntax (.md files): heading hashes, emphasis, bullets, quotes, table rules, links
# Each opens with the character it consumes and looks behind it after (line start, the
# character before): a pattern that opens with ^, an optional or a lookbehind is tried at
# every position of the text, one that opens with a character class is searched for.
_MD_HEADING = re.compile(r"(?m)[ \t#](?<=^[ \t#])(?:(?<=#)#{0,5}|(?<=[ \t])[ \t]{0,2}#{1,6})[ \t]+")
_MD_EMPHASIS = re.compile(r"\*\*|__|\*(?<![*\w]\*)(?=\S)|\*(?<=\S\*)(?![*\w])")
_MD_BULLET = re.compile(r"(?m)[ \t*+>-](?<=^[ \t*+>-])(?:(?<=[ \t])[ \t]*[*+>-]|(?<=[*+>-]))[ \t]+")
_MD_RULE = re.compile(r"(?m)^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$")
_MD_LINK = re.compile(r"(?:!\[|\[)([^\]\n]*)\]\([^)\n]*\)")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_GARBLE = re.compile(
    rf"[^\s,。;:、()]{{0,6}}(?:[\ufffd\ue000-\uf8ff\u3105-\u312f]|(?<=[{CJK}])\?+(?=[^\s?]))"
    rf"[^\s,。;:、()]{{0,6}}"
)
# A lone character, padding, a lone character: 封 ?波 / 陈  林 / 组 ???长 are names and
# labels spread out for alignment in tables.
# Patterns open with the character they consume and look behind it after: a pattern that
# opens with a lookbehind is tried at every position of the text, one that opens with a
# character class is searched for.
_FILLER = re.compile(rf"[ \u3000?](?<=(?<![{CJK}])[{CJK}][ \u3000?])[ \u3000?]*(?=[{CJK}](?![{CJK}]))")
_PAD_RUN = re.compile(rf"\?(?<=[{CJK}]\?)\?+(?=[{CJK}])")  # lost ideographic spaces
_PIPE = re.compile(r"\|")
_SPACE_RUN = re.compile(r"[ \t\u3000]+")
# only a number inside running text (spaces on both sides: 共 180 瓦); 索引号 1150… and
# 发布日期 2023-01-29 keep the space that parts a label from its value
_SPACE_BEFORE_NUMBER = re.compile(rf" (?<=[{CJK}] )(?=\d{{1,4}}(?:\.\d{{1,2}})? [{CJK}%])")
_SPACE_AFTER_NUMBER = re.compile(
    " (?:" + "|".join(rf"(?<=[{CJK}]{d} )" for d in (r"\d", r"\d\d", r"\d{3}", r"\d{4}", r"\d\.\d",
                                                    r"\d\d\.\d", r"\d\.\d\d")) + rf")(?=[{CJK}%])")
_BLANK = r"[ \t\r\f\v\u00a0\u3000\u2002\u2003\u2009]"
# a run of blanks that is not already one space (most are: matching those too costs a step each)
_SPACES = re.compile(rf"{_BLANK}(?:(?<! )|(?={_BLANK})){_BLANK}*")
_LINE_EDGE = re.compile(r"(?m) (?:(?<=^ ) *| *$)")
_BLANKS = re.compile(r"\n{2,}")
# A printed page's number copied into the text (-1-, — 12 —): on a line of its own, or glued
# to the start of the line that carries on a sentence the page cut (…对生态文明\n-1-建设和…)
_PAGE_NUMBER = re.compile(r"\n(?:[-—–][ \t]?\d{1,3}[ \t]?[-—–][ \t]*(?=\n)"
                          r"|(?<=[^\s。;!?:”》)]\n)[-—–][ \t]?\d{1,3}[ \t]?[-—–][ \t]*(?=[\u4e00-\u9fff]))")
_EDGE_BREAKS = re.compile(r"^\n+|\n+$")
_BROKEN_BOOK_TITLE = re.compile(r"《[^《》\n]{1,60}(\n+)[^《》\n]{1,60}》")

# Full-width forms used in Chinese typesetting, folded so patterns have one form each.
# The full-width question mark stays: a bare "?" marks a lost character.
_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F) if c != 0xFF1F}
_FOLD.update({0x3000: 0x20, 0x00A0: 0x20, 0x2236: ord(":"), 0xFE30: ord(":")})
_FOLDABLE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_FOLD)) + "]")


def _fold(text: str) -> str:
    # str.translate looks every character of a non-ASCII text up in the table; a text
    # holds a dozen of the foldable characters at most, and replacing each is a C scan
    for ch in set(_FOLDABLE.findall(text)):
        text = text.replace(ch, chr(_FOLD[ord(ch)]))
    return text


# A table copied out of Word into a text file: one tab between cells. Three or more cells on
# a line become `|` cells (same length, so offsets stay exact); indenting tabs are left alone.
_TAB_ROW = re.compile(r"(?m)^[ \t]*[^\s\t][^\t\n]*(?:\t+[^\t\n]*[^\s\t][^\t\n]*){2,}$")
_MARKER_START = re.compile(r"[一二三四五六七八九十]+、|\(|\d{1,3}[.、]|[①-⑳]"
                           r"|第[一二三四五六七八九十百]+[章节条]")


# Where a page put a line break inside a sentence (<br> in the middle of a list): after a
# comma or 、, or inside parentheses that close on the next line.
_BREAK_AFTER_COMMA = re.compile(r"\n(?<=[,、]\n)(?=[^\n])")
_BREAK_IN_PARENS = re.compile(r"\([^()\n]{0,198}\n")  # the line's last ( is still open


def _rejoined_breaks(text: str) -> list[int]:
    """Offsets of the line breaks to drop, unless the next line opens a numbered item."""
    out = [m.start() for m in _BREAK_AFTER_COMMA.finditer(text)
           if not _MARKER_START.match(text, m.start() + 1)]
    for m in _BREAK_IN_PARENS.finditer(text):
        at = m.end() - 1
        next_end = text.find("\n", at + 1)
        after = text[at + 1:next_end if next_end >= 0 else len(text)]
        closes = after.find(")")
        if after and not _MARKER_START.match(after) and closes >= 0 and "(" not in after[:closes]:
            out.append(at)
    return sorted(set(out))


def _interleave(kept: Iterable[Any], fills: list[Any]) -> Iterable[Any]:
    """kept[0], fills[0], kept[1], fills[1], …: the runs a rewrite keeps and what it puts
    between them, from C iterators, so a rewrite that touches thousands of lines spends no
    Python step per character. `fills` ends with an empty run after the last kept one."""
    return chain.from_iterable(zip(kept, fills, strict=True))


@dataclass
class Normalized:
    text: str
    starts: list[int]
    ends: list[int]
    notices: list[Notice] = field(default_factory=list)


class _Rewriter:
    def __init__(self, source: str, text: str, starts: list[int], ends: list[int]) -> None:
        self.source = source
        self.text = text
        self.starts = starts
        self.ends = ends
        self.notices: list[Notice] = []

    def orig(self, a: int, b: int) -> Span:
        if a >= b:
            pos = self.starts[a] if a < len(self.starts) else len(self.source)
            return Span(pos, pos, "")
        s, e = self.starts[a], self.ends[b - 1]
        return Span(s, e, self.source[s:e])

    def sub(self, regex: re.Pattern[str], repl: str | Callable[[re.Match[str]], str],
            note: tuple[str, str] | None = None) -> None:
        edits = []
        for m in regex.finditer(self.text):
            r = repl(m) if callable(repl) else repl
            if r != m.group(0):
                edits.append((m.start(), m.end(), r))
                if note:
                    self.notices.append(Notice(note[0], note[1].format(m.group(0)), self.orig(*m.span())))
        self._apply(edits)

    def delete_at(self, positions: list[int]) -> None:
        """Drop the character at each position (ascending, distinct)."""
        self._apply([(p, p + 1, "") for p in positions])

    def _apply(self, edits: list[tuple[int, int, str]]) -> None:
        """Replace text[s:e] by r for each (s, e, r), in order and not overlapping; a
        replacement of another length maps to the whole of what it replaced."""
        if not edits:
            return
        text, starts, ends = self.text, self.starts, self.ends
        kept = [slice(0, edits[0][0]), *(slice(a[1], b[0]) for a, b in pairwise(edits)),
                slice(edits[-1][1], None)]
        self.text = "".join(_interleave(map(text.__getitem__, kept), [*(r for _, _, r in edits), ""]))
        if all(len(r) == e - s for s, e, r in edits):
            return  # one character for one (| for │, a tab for a cell): the offsets stay
        n, end_of_source = len(starts), len(self.source)
        fills_s = [starts[s:e] if len(r) == e - s else [starts[s] if s < n else end_of_source] * len(r)
                   for s, e, r in edits]
        fills_e = [ends[s:e] if len(r) == e - s else
                   [ends[e - 1] if e > s else (starts[s] if s < n else end_of_source)] * len(r)
                   for s, e, r in edits]
        self.starts = list(chain.from_iterable(_interleave(map(starts.__getitem__, kept), [*fills_s, ()])))
        self.ends = list(chain.from_iterable(_interleave(map(ends.__getitem__, kept), [*fills_e, ()])))

    def break_at(self, positions: list[int]) -> None:
        """A line break before each position: it takes the place of the space before it,
        or is inserted (mapped to no source text), so offsets stay exact either way."""
        if not positions:
            return
        text, starts, ends = self.text, self.starts, self.ends
        out: list[str] = []
        new_s: list[int] = []
        new_e: list[int] = []
        last = 0
        for p in positions:
            if p <= last or p >= len(text):
                continue
            if text[p - 1] == " ":
                out.append(text[last:p - 1] + "\n")
                new_s += starts[last:p]
                new_e += ends[last:p]
            else:
                out.append(text[last:p] + "\n")
                new_s += [*starts[last:p], starts[p]]
                new_e += [*ends[last:p], starts[p]]
            last = p
        out.append(text[last:])
        self.text = "".join(out)
        self.starts = new_s + starts[last:]
        self.ends = new_e + ends[last:]

    def map_chars(self, fn: Callable[[str], str]) -> None:
        """A character-for-character rewrite; falls back to line by line, then character
        by character, where `fn` changes lengths (a phrase conversion)."""
        converted = fn(self.text)
        if len(converted) == len(self.text):
            self.text = converted
            return
        lines = self.text.split("\n")
        out = []
        for line in lines:
            c = fn(line)
            out.append(c if len(c) == len(line) else "".join(
                cc if len(cc := fn(ch)) == 1 else ch for ch in line))
        self.text = "\n".join(out)


@lru_cache(maxsize=1)
def _t2s() -> Callable[[str], str]:
    import opencc

    return opencc.OpenCC("t2s").convert


def to_simplified(text: str) -> str:
    return _t2s()(text)


def normalize(source: str, text: str | None = None, starts: list[int] | None = None,
              ends: list[int] | None = None, markdown: bool = False) -> Normalized:
    """Clean `text` (default: `source` itself), whose characters map into `source` by
    `starts`/`ends` (default: identity). `markdown`: the text is Markdown, whose syntax
    (## 第一章, **加粗**, - 列表, [链接](…)) is dropped, keeping what it marks up."""
    if text is None:
        text = source
        starts = list(range(len(source)))
        ends = list(range(1, len(source) + 1))
    assert starts is not None and ends is not None
    rw = _Rewriter(source, text, starts, ends)
    rw.sub(_COMMENT, "")
    if markdown:
        if "---" in rw.text:  # a rule has three dashes; the pattern opens with ^, slow to scan
            rw.sub(_MD_RULE, "")
        rw.sub(_MD_LINK, lambda m: m.group(1))
        rw.sub(_MD_HEADING, "")
        rw.sub(_MD_BULLET, "")
        rw.sub(_MD_EMPHASIS, "")
    rw.sub(restructure.box_rules(), "")
    rw.sub(restructure.box_verticals(), "|")
    if "\t" in rw.text:  # the row pattern is slow to fail on every line of a text
        rw.sub(_TAB_ROW, lambda m: m.group().replace("\t", "|"))  # two tabs: an empty cell
    rw.sub(_TAG, "", note=("markup", "stray markup {!r} removed"))
    rw.sub(_ENTITY, lambda m: unescape(m.group(0)))
    rw.sub(_INVISIBLE, "")
    rw.sub(_PINYIN, "")
    rw.map_chars(to_simplified)
    rw.map_chars(_fold)
    seps = {a: b for a, b in restructure.space_table_separators(rw.text)}
    if seps:
        rw.sub(_SPACE_RUN, lambda m: "|" + m.group(0)[1:] if m.start() in seps else m.group(0))
    rw.sub(_FILLER, "")
    rw.sub(_PAD_RUN, " ")
    _flag_garble(rw)
    rw.sub(_SPACES, " ")
    # Word and PDF put a space between Chinese and a number (于 2018 年 6 月, 共 180 瓦): it
    # parts nothing, and dates and counts read whole without it
    before = len(rw.text)
    rw.sub(_SPACE_BEFORE_NUMBER, "")
    if len(rw.text) < before:
        rw.sub(_SPACE_AFTER_NUMBER, "")
    if "-" in rw.text or "—" in rw.text or "–" in rw.text:
        rw.sub(_PAGE_NUMBER, "")
    # run-in items are split before a one-cell-per-line table loses its pipes: the pipes
    # keep ①…②… in one cell together
    lone = set(restructure.lone_cell_pipes(rw.text))
    rw.break_at(restructure.run_in_breaks(rw.text, cells=lone))
    rw.break_at(restructure.headed_run_in_breaks(rw.text))
    lone = set(restructure.lone_cell_pipes(rw.text)) if lone else lone
    if lone:
        rw.sub(_PIPE, lambda m: " " if m.start() in lone else "|")
    rw.sub(_LINE_EDGE, "")
    rw.sub(_BLANKS, "\n")
    rw.sub(_BROKEN_BOOK_TITLE, lambda m: m.group(0).replace("\n", ""))
    rw.delete_at(_rejoined_breaks(rw.text))
    rw.delete_at(restructure.lone_marker_breaks(rw.text))
    rw.delete_at(restructure.wrapped_breaks(rw.text))
    if rw.text.startswith("\n") or rw.text.endswith("\n"):
        rw.sub(_EDGE_BREAKS, "")
    return Normalized(rw.text, rw.starts, rw.ends, rw.notices)


_GARBLE_HINT = re.compile(r"[\ufffd\ue000-\uf8ff\u3105-\u312f?]")


def _flag_garble(rw: _Rewriter) -> None:
    if not _GARBLE_HINT.search(rw.text):
        return  # most texts have none of the characters garbling leaves: skip the slow scan
    for m in _GARBLE.finditer(rw.text):
        quote = m.group(0)
        rw.notices.append(Notice("garbled", f"garbled text {quote!r}", rw.orig(*m.span())))

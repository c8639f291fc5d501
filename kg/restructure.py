"""Line structure that flattening lost, recovered before parsing.

Web pages and copied documents often lose the line breaks of a list or a table:
- a numbered list run into one paragraph: `…分别是: (1)加快… (2)开工… (3)完成…`, or an item
  glued to the tag that closes the one before it: `…(责任单位:市城建局)2.完成…`;
- `一是…;二是…;三是…` lists inside a sentence;
- tables drawn with box characters (│ ┃ ─ ┼) or laid out with runs of spaces.

The functions here find where the breaks and cell separators belong; kg/normalize.py applies
them with exact offsets (a break is inserted at a position or replaces one space, a box or
space separator becomes `|` of the same length).
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

from kg import rules

_CN = "一二三四五六七八九十"
# kinds of run-in markers: (kind, pattern); group 1 is the number
_RUN_IN = re.compile(
    rf"(?P<pa>\((\d{{1,2}})\))|(?P<pc>\(([{_CN}]{{1,3}})\))|(?P<ci>[①-⑳])"
    rf"|(?P<da>(?<![\d.])(\d{{1,2}})[.、](?![\d.]))|(?P<cn>(?<![{_CN}])([{_CN}]{{1,3}})、)"
    rf"|(?P<shi>(?<![{_CN}\u4e00-\u9fff])([{_CN}]{{1,2}})是)"
)
_BOUNDARY = "。;!?:)】>"
_SHI_BOUNDARY = _BOUNDARY + ",、"
# where a boundary marker can open: the line start, or after a sentence or tag end (, and 、
# only for 一是), spaces skipped. Inside a marker no such character comes before another
# position, so trying only these finds the markers a scan of the whole line would.
# (A pattern opening with a character class is scanned for fast; `^|` would be tried at
# every character, hence the newline in the class and the text searched from a newline.)
_BOUNDARY_AT = re.compile(rf"(?P<end>[\n{re.escape(_SHI_BOUNDARY)}])[^\S\n]*(?=[(①-⑳{_CN}\d])")
_BOX_VERTICAL = re.compile(r"[│┃║┆┇┊┋]")
_BOX_RULE = re.compile(r"(?m)^[ \t]*[─━═┼╋╬├┤┌┐└┘┬┴┏┓┗┛┣┫┳┻╔╗╚╝╠╣╦╩+\-|│┃║ \t]+$")


def cn_value(numeral: str) -> int:
    """一 -> 1, 十二 -> 12, 二十三 -> 23 (the numbers lists are counted in)."""
    digits = {c: i + 1 for i, c in enumerate(_CN[:9])}
    if "十" not in numeral:
        return digits.get(numeral[-1:], 0)
    tens, _, ones = numeral.partition("十")
    return (digits.get(tens, 0) if tens else 1) * 10 + digits.get(ones, 0)


@dataclass(frozen=True)
class _Marker:
    kind: str
    value: int
    start: int  # offset in the line


@rules.loader
@lru_cache(maxsize=1)
def _review_words() -> tuple[str, ...]:
    data = rules.load("measures")
    return tuple(data.get("layout", {}).get("review_lead_ins", ()))


def _markers(text: str) -> dict[int, list[_Marker]]:
    """The run-in markers that open at a boundary (a line start or a sentence or tag end),
    by the offset of their line; only those can start an item, and few characters of a
    text are there, so one scan of the whole text finds them all."""
    out: dict[int, list[_Marker]] = {}
    text = "\n" + text  # the first line starts after a newline too; offsets move by one
    for at in _BOUNDARY_AT.finditer(text):
        m = _RUN_IN.match(text, at.end())
        if m is None:
            continue
        kind = m.lastgroup or ""
        end = at.group("end")
        if end in ",、" and kind != "shi":
            continue
        if kind == "ci":
            value = ord(m.group(0)) - ord("①") + 1
        else:
            number = m.group(m.re.groupindex[kind] + 1)
            value = int(number) if number.isdigit() else cn_value(number)
        line_start = text.rfind("\n", 0, m.start()) + 1
        out.setdefault(line_start - 1, []).append(_Marker(kind, value, m.start() - line_start))
    return out


def run_in_breaks(text: str, cells: set[int] | frozenset[int] = frozenset()) -> list[int]:
    """Offsets in `text` where a run-in list item starts and a line break belongs.

    An item counts when it sits at a sentence or tag end and continues a sequence: the
    item before it (k-1) is on the same line, or opens an earlier line nearby. A `一是`
    list after a review of past work (回顾, 成效 … in loaders/measures.toml) stays prose.
    `cells`: offsets of the pipes of a table printed one cell per line (lone_cell_pipes); a
    line holding one is a cell, whose ①…②… stay together in it."""
    out: list[int] = []
    pipes = sorted(cells)
    last_open: dict[str, int] = {}  # kind -> value of the item that opened a recent line
    structured = False  # a line has opened with a numbered item
    # lines without a marker change nothing: nothing opens, nothing chains, last_open stays
    for pos, marks in _markers(text).items():
        line_end = text.find("\n", pos)
        line = text[pos:line_end if line_end >= 0 else len(text)]
        if cells and _holds(pipes, pos, line_end if line_end >= 0 else len(text)):
            continue  # a table's cell (①…②… in one cell): its items stay in the cell
        prev: dict[str, _Marker] = {}
        chained: list[_Marker] = []
        for m in marks:
            p = prev.get(m.kind)
            if p is not None and p.value + 1 == m.value and (p in chained or p.value == 1
                                                               or last_open.get(m.kind, -1) + 1 == p.value):
                if p not in chained:
                    chained.append(p)
                chained.append(m)
            elif m.start > 0 and m.kind != "shi" and last_open.get(m.kind, -1) + 1 == m.value \
                    and not prev.get(m.kind):
                chained.append(m)
            prev[m.kind] = m
        if marks and marks[0].start == 0 and marks[0].kind != "shi":
            structured = True
        for m in chained:
            # 一是…二是… in a numbered plan are the parts of an item; after a review, past work
            if m.kind == "shi" and (structured or any(w in line[:m.start] for w in _review_words())):
                continue
            if m.start > 0:
                out.append(pos + m.start)
        opener = next((m for m in marks if m.start == 0), None)
        if opener is not None:
            last_open = {opener.kind: max(m.value for m in chained if m.kind == opener.kind)
                         if any(m.kind == opener.kind for m in chained) else opener.value}
        elif chained:
            last_open[chained[-1].kind] = chained[-1].value
    return sorted(set(out))


def _holds(sorted_offsets: list[int], start: int, end: int) -> bool:
    i = bisect.bisect_left(sorted_offsets, start)
    return i < len(sorted_offsets) and sorted_offsets[i] < end


@rules.loader
@lru_cache(maxsize=1)
def _heading_endings() -> tuple[str, ...]:
    return tuple(rules.load("measures")["layout"]["run_in_heading_endings"])


@rules.loader
@lru_cache(maxsize=1)
def _headed_item() -> re.Pattern[str]:
    endings = _heading_endings()
    alt = "|".join(re.escape(e) for e in sorted(endings, key=len, reverse=True))
    # a short heading sentence at a line start or after a sentence end: 老旧小区改造工程。
    # (一是实施…行动。二是…: the parts of an item, as run_in_breaks reads them)
    return re.compile(rf"(?:^|(?<=。))[ \t]*(?![{_CN}]{{1,2}}是)[“\"]?[\u4e00-\u9fff][^\s。,;:、!?\d]{{1,17}}"
                      rf"(?:{alt})。")


_HEADED_RUN_MIN = 3


def headed_run_in_breaks(text: str) -> list[int]:
    """Offsets where a run-in list of headed items starts its items: 棚户区改造工程。新开工…。
    老旧小区改造工程。改造…。城中村改造工程。…, one line holding three or more short heading
    sentences that end in a programme word (工程, 行动 …: loaders/measures.toml). Each
    goes on a line of its own, where it reads as a headed paragraph."""
    if not any(e + "。" in text for e in _heading_endings()):
        return []  # most texts hold no programme heading at all: no line is looked at
    pattern = _headed_item()
    out: list[int] = []
    pos = 0
    for line in text.split("\n"):
        if line.count("。") >= _HEADED_RUN_MIN:
            found = list(pattern.finditer(line))
            # each head starts past the spaces its match opened with, and a body follows it
            # before the next head (三个…活动。 in a row are sentences, not headings)
            heads = [m.end() - len(m.group(0).lstrip(" \t")) for m in found]
            bodies = all(line[a.end():b.start()].strip() for a, b in itertools.pairwise(found))
            if len(heads) >= _HEADED_RUN_MIN and bodies:
                out += [pos + h for h in heads if h > 0]
        pos += len(line) + 1
    return out


_SENTENCE_END = "。;:!?)”\"》】|"
_WRAP_MIN = 16


def wrapped_breaks(text: str) -> list[int]:
    """Offsets of the line breaks a page width put inside sentences (a PDF copied as text:
    many lines of one length). A line of that length that ends no sentence runs on into
    the next, unless the next opens a numbered item."""
    lines = text.split("\n")
    lengths: dict[int, int] = {}
    for line in lines:
        if len(line) >= _WRAP_MIN:
            lengths[len(line)] = lengths.get(len(line), 0) + 1
    if not lengths:
        return []
    width, count = max(lengths.items(), key=lambda kv: (kv[1], kv[0]))
    near = count + lengths.get(width - 1, 0) + lengths.get(width + 1, 0)
    if near < 6 or near * 4 < sum(1 for line in lines if line.strip()):
        return []  # no width the text was wrapped at
    out: list[int] = []
    pos = 0
    for i, line in enumerate(lines[:-1]):
        pos += len(line)
        nxt = lines[i + 1]
        if abs(len(line) - width) <= 1 and line[-1:] not in _SENTENCE_END and nxt \
                and not _STARTS_ITEM.match(nxt):
            out.append(pos)
        pos += 1
    return out


_STARTS_ITEM = re.compile(rf"^(?:[{_CN}]{{1,3}}、|\([{_CN}\d]{{1,3}}\)|\d{{1,3}}[.、]|[①-⑳]"
                          rf"|第[{_CN}]+[章节条]|附件)")


_SPACE_RUN = re.compile(r"[ \t\u3000]+")
_SERIAL_START = re.compile(r"^\s*\d{1,3}[ \t\u3000]")


def space_table_separators(text: str) -> list[tuple[int, int]]:
    """The runs of spaces that separate the cells of a table laid out with spaces: a header
    line whose words name column roles (序号 类别 主要任务 牵头单位 …), and the lines under it
    that open with a serial number. Offsets of each run, to become `|`."""
    from kg import columns  # the header is recognised as any task table's header is

    out: list[tuple[int, int]] = []
    lines = text.split("\n")
    starts = []
    pos = 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    i = 0
    while i < len(lines):
        line = lines[i]
        tokens = line.split()
        if len(tokens) >= 3 and "|" not in line and columns.header_roles(tokens) is not None:
            runs = [(starts[i] + m.start(), starts[i] + m.end()) for m in _SPACE_RUN.finditer(line.strip())]
            lead = len(line) - len(line.lstrip())
            out += [(a + lead, b + lead) for a, b in runs]
            j = i + 1
            while j < len(lines) and _SERIAL_START.match(lines[j]) and "|" not in lines[j]:
                row = lines[j]
                body_start = len(row) - len(row.lstrip())
                body = row.strip()
                out += [(starts[j] + body_start + m.start(), starts[j] + body_start + m.end())
                        for m in _SPACE_RUN.finditer(body)]
                j += 1
            i = j
            continue
        i += 1
    return out


_ONE_CELL = re.compile(r"^[ \t]*\|[^|\n]*\|?[ \t]*$|^[ \t]*[^|\n]*\|[ \t]*$")


def lone_cell_pipes(text: str) -> list[int]:
    """Offsets of the `|` around single cells in runs of four or more lines that each hold
    one cell (`| 序号 |`, `|县教育局|`): a table printed one cell per line, whose pipes are
    no separators between cells."""
    out: list[int] = []
    if "|" not in text:
        return out
    run: list[tuple[int, str]] = []
    pos = 0
    for line in [*text.split("\n"), ""]:
        if line.strip() and line.strip() != "|" and _ONE_CELL.match(line):
            run.append((pos, line))
        else:
            if len(run) >= 4:
                out += [p + i for p, ln in run for i, ch in enumerate(ln) if ch == "|"]
            run = []
        pos += len(line) + 1
    return out


_LONE_MARKER = re.compile(rf"^[ \t]*(?:[{_CN}]{{1,3}}[、.]|\([{_CN}\d]{{1,3}}\)|\d{{1,3}}[、.]|[①-⑳])[ \t]*$")


def lone_marker_breaks(text: str) -> list[int]:
    """Offsets of the line breaks after a marker that stands alone on its line, `(一)` then
    `健全管理体制。…` on the next: the item's text belongs on the marker's line."""
    out: list[int] = []
    pos = 0
    lines = text.split("\n")
    for i, line in enumerate(lines[:-1]):
        pos += len(line)
        nxt = lines[i + 1].strip()
        if _LONE_MARKER.match(line) and nxt and not _STARTS_ITEM.match(nxt):
            out.append(pos)
        pos += 1
    return out


def box_rules() -> re.Pattern[str]:
    """Lines that only draw a table's borders (┌──┬──┐, +----+----+)."""
    return _BOX_RULE


def box_verticals() -> re.Pattern[str]:
    """Box-drawing column separators, read as `|`."""
    return _BOX_VERTICAL

"""Task tables whose cells lost every separator.

Document-sharing sites print a Word table as one run of text, header and rows together:
`序号项目名称主要内容分管领导牵头单位配合单位1增加学位供给新建小学2所。王某某教育局财政局2…`.
The form is still readable:
- the header is a run of column names that each end in a header word (名称, 内容, 领导,
  单位 … in loaders/measures.toml [layout].header_endings), and their roles are read as any
  header's (kg/columns.py);
- rows open with the next serial number, right after the end of the row before;
- a row's task text ends in `。`; the leader (a personal name) and the unit cells follow it,
  found as a run of organization names, the first the lead unit when the header has a lead
  column. Text after that run is a second task of the same row (a merged 序号 cell), whose
  own leader and units follow it in turn.
Sites of this kind prefix each page with its number (`2、`), often mid-cell: where the header's
line opens so, the next lines opening with the next page numbers continue the table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg import columns, rules
from kg.extract import orgnames, rosters

_HAN = "\u4e00-\u9fff"
_PAGE = re.compile(r"(\d{1,3})、")
# a number followed by these counts something (12个, 3所), it opens no row
_COUNTED = set("个人家所万亿千百年月日号项次名户套座件条元平米公里余多倍天周期批班岁间张台辆吨亩栋层")
_MAX_NAME = 14


@rules.loader
@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], tuple[str, ...]]:
    data = rules.load("measures")
    endings = data["layout"]["header_endings"]
    alt = "|".join(re.escape(w) for w in sorted(endings, key=len, reverse=True))
    openers = tuple(data["action_openers"])
    return re.compile(rf"[{_HAN}]{{0,7}}?(?:{alt})"), openers


@dataclass
class Flow:
    """The table's text with page prefixes and repeated headers cut out, and where each of
    its characters sits in the document."""

    text: str
    at: list[int]

    def span(self, a: int, b: int) -> tuple[int, int]:
        return self.at[a], self.at[b - 1] + 1


def header_at(text: str, pos: int) -> tuple[int, list[str], list[str | None]] | None:
    """A run-together header starting at `pos` (at 序号): (its end, its cell texts, their
    column roles)."""
    if not text.startswith("序号", pos):
        return None
    cell_re, _ = _patterns()
    cells, p = ["序号"], pos + 2
    while len(cells) < 10:
        m = cell_re.match(text, p)
        if m is None:
            break
        cells.append(m.group(0))
        p = m.end()
    roles = columns.header_roles(cells) if len(cells) >= 4 else None
    if roles is None:
        return None
    return p, cells, roles


def tables(text: str) -> list[tuple[list[str | None], Flow, list[tuple[int, int]]]]:
    """Each run-together table: (column roles, its flow, the (start, end) in the flow of
    each row, serial number included)."""
    out = []
    pos = text.find("序号")
    while pos != -1:
        found = header_at(text, pos)
        if found is None or (pos and text[pos - 1] not in "\n、0123456789" and not _after_title(text, pos)):
            pos = text.find("序号", pos + 2)
            continue
        end, cells, roles = found
        flow = _flow(text, pos, end, "".join(cells))
        spans = _rows(flow.text)
        if spans:
            out.append((roles, flow, spans))
        pos = text.find("序号", flow.at[-1] + 1 if flow.at else end)
    return out


def _after_title(text: str, pos: int) -> bool:
    """序号 right after a table's title (…责任分解表序号…), on the same line."""
    return bool(re.search(r"[表单]$", text[max(0, pos - 12):pos]))


def _flow(text: str, header_start: int, header_end: int, header: str) -> Flow:
    line_start = text.rfind("\n", 0, header_start) + 1
    page = _PAGE.match(text, line_start)
    line_end = text.find("\n", header_end)
    line_end = len(text) if line_end == -1 else line_end
    pieces = [(header_end, line_end)]
    if page:
        number = int(page.group(1))
        while line_end < len(text):
            nxt = _PAGE.match(text, line_end + 1)
            if nxt is None or int(nxt.group(1)) != number + 1:
                break
            number += 1
            start = line_end + 1 + nxt.end() - nxt.start()
            line_end = text.find("\n", start)
            line_end = len(text) if line_end == -1 else line_end
            pieces.append((start, line_end))
    chars: list[str] = []
    at: list[int] = []
    for a, b in pieces:
        chars += text[a:b]
        at += range(a, b)
    flat = "".join(chars)
    # the header again at the top of each page
    keep = [True] * len(flat)
    for m in re.finditer(re.escape(header), flat):
        keep[m.start():m.end()] = [False] * (m.end() - m.start())
    return Flow("".join(c for c, k in zip(flat, keep, strict=True) if k),
                [i for i, k in zip(at, keep, strict=True) if k])


def _rows(flow: str) -> list[tuple[int, int]]:
    m = re.match(r"\s*(\d{1,3})(?=[" + _HAN + "])", flow)
    if m is None:
        return []
    starts = [m.start(1)]
    number = int(m.group(1))
    p = m.end()
    while True:
        nxt = _next_serial(flow, p, number + 1)
        if nxt is None:
            break
        starts.append(nxt)
        number += 1
        p = nxt + len(str(number))
    return [(a, b) for a, b in zip(starts, [*starts[1:], len(flow)], strict=True)]


def _next_serial(flow: str, p: int, number: int) -> int | None:
    """Where row `number` opens: the number, not part of a longer one, right after a name or
    a sentence end, before a character that does not count it."""
    for m in re.finditer(rf"(?<![\d.]){number}(?![\d.%])", flow[p:]):
        i = p + m.start()
        after = flow[i + m.end() - m.start():i + m.end() - m.start() + 1]
        before = flow[i - 1:i]
        if after and re.match(f"[{_HAN}]", after) and after not in _COUNTED \
                and before and (re.match(f"[{_HAN})]", before) or before == "。") and before != "第":
            return i
    return None


def title_end(text: str) -> int:
    """Where the name of a row's task ends and its description begins: before the first
    action verb after the fourth character (增加教育资源供给|实施新建…), else at the first
    number or punctuation, at most twelve characters in."""
    _, openers = _patterns()
    best = None
    for verb in openers:
        i = text.find(verb, 4, 18)
        if i != -1 and (best is None or i < best):
            best = i
    if best is not None:
        return best
    m = re.search(r"[\d,。;、:(]", text[4:])
    return min(4 + m.start(), 12) if m else min(len(text), 12)


def org_run(text: str, p: int) -> tuple[list[tuple[int, int]], int]:
    """The organization names written one after another from `p` (教育局财政局各街道): each
    the shortest piece that reads as a name, with a bracket after it (高新园(邹区镇)); a
    level prefix alone (区委) is no name, the one it opens is. (names, where the run ends)"""
    out: list[tuple[int, int]] = []
    lex = orgnames.lexicon()
    _, openers = _patterns()
    while p < len(text):
        end = None
        for q in range(p + 2, min(len(text), p + _MAX_NAME) + 1):
            piece = text[p:q]
            if piece in lex.prefixes or text[q:q + 1] in ("局", "委", "办", "会"):
                continue  # 区委 of 区委宣传部; 区教 of 区教委
            if re.search(r"\d", piece) or piece.startswith(openers):
                break  # the next task's text (提升改造8家…), no name
            if orgnames.is_name(piece):
                end = q
                break
        if end is None:
            every = _every(text, p)
            if every:  # 各街道: every one of a kind, part of the run but nobody in particular
                p = every
                continue
            break
        if text.startswith("(", end):
            close = text.find(")", end)
            if 0 < close - end <= 10:
                end = close + 1
        out.append((p, end))
        p = end
    return out, p


def _every(text: str, p: int) -> int | None:
    """The end of 各X at `p` (各乡镇, 各街道); of the readings (各乡 | 各乡镇), the longest one
    after which a name or the run's end follows."""
    if not text.startswith("各", p):
        return None
    ends = [p + len(m.group(0)) for n in range(5)
            if (m := re.match(rf"各[{_HAN}]{{{n}}}(?:街道|镇|乡|部门|单位|区|县)", text[p:]))]
    if not ends:
        return None
    for end in sorted(ends, reverse=True):
        rest = text[end:end + _MAX_NAME]
        if not rest or not re.match(f"[{_HAN}]", rest) or any(
                orgnames.is_name(rest[:k]) for k in range(2, len(rest) + 1)):
            return end
    return min(ends)


def leader_and_units(text: str, p: int, has_leader: bool) -> tuple[tuple[int, int] | None,
                                                                     list[tuple[int, int]], int]:
    """After a task's `。`: the leader's name (when the table has a leader column) and the
    unit names that follow it, and where they end. The name is two or three characters,
    whichever leaves a unit name the lexicon knows right after it."""
    if not has_leader:
        return None, *org_run(text, p)
    best: tuple[int, tuple[int, int] | None, list[tuple[int, int]], int] | None = None
    for k in (3, 2):
        name = text[p:p + k]
        if len(name) < k or not rosters.is_name(name):
            continue
        units, end = org_run(text, p + k)
        if not units:
            continue
        score = 2 if orgnames.known_core(text[units[0][0]:units[0][1]]) else 1
        if best is None or score > best[0]:
            best = (score, (p, p + k), units, end)
    if best is None:
        return None, *org_run(text, p)
    return best[1], best[2], best[3]

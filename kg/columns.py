"""The role of a table column, read from the characters its header cell holds.

Task tables name their columns in endless variants (牵头单位, 牵头责任单位, 主要责任单位, 协同配合单位,
分 管 县领导, 完成时限, 时间节点 …). Rather than a list of column names, each role has a few cue
characters (loaders/measures.toml, [columns]); roles are tried in the order written there, so
a cell holding the cues of two roles (责任领导: 责任 and 领导) takes the earlier one.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg import rules

UNIT_ROLES = ("lead", "support", "responsible")
MAX_HEADER_CELL = 12
_NOT_HEADER = re.compile(r"[。;,!?]|\d{2,}|^\d+$")
_SPACE = re.compile(r"[\s\u3000]+")
# a measure's unit (% 所 万元) and its column are no organizations
_MEASURE_UNIT = {"单位", "计量单位", "单位名称"}


@rules.loader
@lru_cache(maxsize=1)
def cues() -> tuple[tuple[str, tuple[str, ...]], ...]:
    data = rules.load("measures")
    return tuple((role, tuple(words)) for role, words in data["columns"].items())


def role(cell: str) -> str | None:
    """The column role a header cell names: key, title, lead, support, responsible,
    deadline, leader, other; None when it names none (or is no header cell at all)."""
    if len(cell) > 4 * MAX_HEADER_CELL:
        return None  # asked of every line of a text: a paragraph is no header cell
    text = _SPACE.sub("", cell).strip("|:()")
    if not text or len(text) > MAX_HEADER_CELL or _NOT_HEADER.search(text):
        return None
    if text in _MEASURE_UNIT:
        return "other"
    for name, words in cues():
        if any(w in text for w in words):
            return name
    return None


def header_roles(cells: list[str]) -> list[str | None] | None:
    """The roles of a header row, or None when the cells are no task table's header.

    A header names two or more roles, one of them a unit role; without a task column, the
    first column no cue names is the task (民生实事, 项目): the rest of the header says
    what the table is."""
    if len(cells) < 2:
        return None
    roles = [role(c) for c in cells]
    named = [r for r in roles if r is not None]
    if len(named) < 2 or not any(r in UNIT_ROLES for r in roles):
        return None
    if any(len(_SPACE.sub("", c)) > MAX_HEADER_CELL for c in cells if c.strip()):
        return None
    if "title" not in roles:
        blank = [i for i, (c, r) in enumerate(zip(cells, roles, strict=True)) if r is None and c.strip()]
        if not blank:
            return None
        roles[blank[0]] = "title"
    return roles

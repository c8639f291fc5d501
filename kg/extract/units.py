"""Responsible units of each measure, with their role.

Read in the measure's own text, most explicit first:
- labelled lists: (责任单位:A、B、C), 牵头单位:A;配合单位:B, 主要责任单位 …, and lists
  with no label that close a sentence: …课程体系。(装备信息中心、教科院);
- 牵头 wording: 由A牵头 / A牵头制定… -> lead; after it, B、C(积极)配合 / 参与(组建) -> support;
- 协同/会同: A将协同B、C -> A responsible, B、C support;
- every other organization the measure names (发挥武清区教育发展战略研究会作用, 落实乡镇政府
  属地责任) -> responsible.
A unit keeps its strongest role (lead > support > responsible). Names come from
kg/extract/orgnames.py; kg/resolve.py gives them canonical names and organization ids.
"""

from __future__ import annotations

import re

from kg.extract import orgnames
from kg.model import Document, Measure, UnitRef

_LABELS = {
    "lead": r"牵头单位|牵头部门|主要责任单位|牵头责任单位|主责单位|责任领导单位|牵头处室|牵头科室",
    "support": r"协同配合单位|配合单位|配合部门|协办单位|参与单位|参加单位|协同单位|协助单位"
               r"|配合处室|配合科室|协办处室",
    "responsible": r"责任单位|责任部门|承办单位|责任主体|实施主体|责任处室|责任科室",
}
_LABEL = re.compile("|".join(f"(?P<{role}>{pat})" for role, pat in _LABELS.items()))
# a list ends at 。;, a new label, or a ) that is not part of 区教委(牵头) or 村(居)委会
_LIST_END = re.compile(r"[。;\n]|(?<!\(牵头)(?<!\(配合)(?<!\(居)(?<!\(协办)\)|(?:"
                       + "|".join(_LABELS.values()) + ")")
_MARKED_ROLE = re.compile(r"^\((牵头|配合|协办)\)")
# 列第一位的为牵头单位: a plan-wide rule that the first unit of each list leads
_FIRST_LEADS = re.compile(r"(?:列|排|排名|排在|位列)?(?:第一位|第一个|首位|第一)的?(?:单位)?为牵头单位")
_LEAD_AFTER = re.compile(r"^\s*(?:负责)?牵头")
_WITH_BEFORE = re.compile(r"(?:协同|会同|联合|配合|协助)")
_RANK = {"lead": 3, "support": 2, "responsible": 1}


def extract(doc: Document) -> None:
    first_leads = bool(_FIRST_LEADS.search(doc.text))
    for m in doc.measures:
        if m.section_path == "table" and m.units:
            continue  # table columns already said who does what
        _measure_units(doc, m, first_leads)


def _measure_units(doc: Document, m: Measure, first_leads: bool = False) -> None:
    text = doc.text[m.start:m.end]
    roles: dict[tuple[int, int], str] = {}
    labelled = _labelled(text, first_leads)
    labelled.update(_bare_lists(text, labelled, first_leads))
    for span, role in {**_lead_support(text), **labelled}.items():
        roles[span] = role
    local = _speaks_locally(doc)
    for a, b in orgnames.find(text):
        if any(x <= a < y for x, y in roles):
            continue
        if local and text[a] in "市省":
            continue  # a district plan asks 市教委 for support; it assigns it no work
        role = _role_in_prose(text, a, b)
        if labelled and role == "responsible":
            continue  # the labelled list says who is responsible; other names are context
        roles[(a, b)] = role
    best: dict[str, tuple[int, int, str]] = {}
    for (a, b), role in sorted(roles.items()):
        name = text[a:b]
        if name not in best or _RANK[role] > _RANK[best[name][2]]:
            best[name] = (a, b, role)
    m.units = [
        UnitRef(mention=name, name=name, role=role, org="", span=doc.span(m.start + a, m.start + b))
        for name, (a, b, role) in sorted(best.items(), key=lambda kv: kv[1][0])
    ]


def _speaks_locally(doc: Document) -> bool:
    """A district or county plan (重庆市黔江区, 天津市武清区, 某县)."""
    j = doc.meta.jurisdiction or ""
    return j.endswith(("区", "县", "旗")) and not j.endswith("自治区")


# 由A牵头,B、C配合: both lists are read as lists, so bodies the lexicon does not know
# (县科工商务局) count by their ending, as in a labelled list
_LEAD_SUPPORT = re.compile(r"由(?P<lead>[^,;。()由]{2,60}?)牵头[,、]?(?P<support>[^,;。()]{2,120}?)"
                           r"(?:等部门|等单位)?(?:积极|共同|协同|密切)?(?:配合|参与)")


def _lead_support(text: str) -> dict[tuple[int, int], str]:
    out: dict[tuple[int, int], str] = {}
    for m in _LEAD_SUPPORT.finditer(text):
        for group, role in (("lead", "lead"), ("support", "support")):
            a0 = m.start(group)
            for a, b in orgnames.split_list(m.group(group)):
                out[(a0 + a, a0 + b)] = role
    return out


def _labelled(text: str, first_leads: bool = False) -> dict[tuple[int, int], str]:
    out: dict[tuple[int, int], str] = {}
    for m in _LABEL.finditer(text):
        role = m.lastgroup or "responsible"
        after = text[m.end():m.end() + 2]
        if not after.startswith((":", ":", " ")) and text[m.start() - 1:m.start()] not in ("(", "("):
            continue  # 责任单位要… in prose is no label
        start = m.end() + (1 if after[:1] in (":", ":") else 0)
        end_m = _LIST_END.search(text, start)
        end = end_m.start() if end_m else min(len(text), start + 200)
        for i, (a, b) in enumerate(orgnames.split_list(text[start:end])):
            marked = _MARKED_ROLE.match(text[start + b:])
            if marked:
                out[(start + a, start + b)] = "lead" if marked.group(1) == "牵头" else "support"
            elif i == 0 and first_leads and role == "responsible":
                out[(start + a, start + b)] = "lead"
            else:
                out[(start + a, start + b)] = role
    return out


_PAREN = re.compile(r"\(([^()\n:]{2,160})\)")
_PAREN_SPLIT = re.compile(r"[、,;]")
_PLACE_ITEM = re.compile(r"^[\u4e00-\u9fff]{2,8}(?:新区|区|县|市)$")


def _bare_lists(text: str, taken: dict[tuple[int, int], str],
                first_leads: bool) -> dict[tuple[int, int], str]:
    """Unlabelled unit lists closing a sentence or a paragraph: …课程体系。(装备信息中心、
    教科院). Every item must be a body (or a catch-all such as 各区市, or a place such as
    西海岸新区), so (含艺体生) or (初、高中毕业年级除外) is no list."""
    out: dict[tuple[int, int], str] = {}
    for m in _PAREN.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        before, after = text[:m.start()].rstrip(), text[m.end():m.end() + 1]
        if not (before.endswith(("。", ";")) or after in ("", "\n", "。", ";")):
            continue
        found: list[tuple[int, int]] = []
        pos = m.start(1)
        for item in _PAREN_SPLIT.split(m.group(1)):
            a, pos = pos, pos + len(item) + 1
            spans = orgnames.split_list(item)
            if spans and spans[0][0] == 0 and spans[-1][1] == len(item):
                found += [(a + x, a + y) for x, y in spans]
            elif _PLACE_ITEM.match(item) and not item.startswith("各"):
                found.append((a, a + len(item)))
            elif not (item.startswith("各") or item in orgnames.lexicon().catch_all):
                found = []
                break
        if not any(_ORG_LIKE.search(text[a:b]) for a, b in found):
            continue
        for i, span in enumerate(found):
            out[span] = "lead" if i == 0 and first_leads else "responsible"
    return out


_ORG_LIKE = re.compile(r"[局委办部院处室厅会]$|中心$")


def _role_in_prose(text: str, a: int, b: int) -> str:
    """The role a clause gives the name at text[a:b]: 由A牵头 / A牵头制定 -> lead; B、C积极配合,
    D参与组建 -> support; A协同/会同B -> B support; anything else -> responsible."""
    lo = max((text.rfind(c, 0, a) for c in ",;。:\n"), default=-1) + 1
    ends = [i for i in (text.find(c, b) for c in ",;。\n") if i >= 0]
    hi = min(ends) if ends else len(text)
    before, after = text[lo:a], text[b:hi]
    leads_clause = re.match(r"^[、和及与]?[^,;。]{0,40}?牵头", after) and not _WITH_BEFORE.search(before)
    if _LEAD_AFTER.match(after) or leads_clause:
        return "lead"
    if re.search(r"(?:协同|会同|联合|协助|配合)", before):
        return "support"
    if re.match(r"^[^,;。]{0,40}?(?:配合|参与|协助|协办)", after) and not re.search("牵头|负责", after):
        return "support"
    return "responsible"

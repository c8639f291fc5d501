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

import bisect
import itertools
import re

from kg import columns
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
_LIST_END = re.compile(r"[。;\n】〕]|(?<!\(牵头)(?<!\(配合)(?<!\(居)(?<!\(协办)\)|(?:"
                       + "|".join(_LABELS.values()) + ")")
# 市教育局(牵头)、…; 部门分工:省发展改革委牵头,… (the mark right after the name, bracketed or not)
_MARKED_ROLE = re.compile(r"^\((牵头|配合|协办)\)|^(?:负责)?(牵头)(?:[,,;、。)]|$)"
                          r"|^(配合|协办)(?:[,,;。)]|$)")
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
    _fields_before_lists(doc, first_leads)


_LEAD_IN_REACH = 600  # how far before a list its shared unit field may stand


def _fields_before_lists(doc: Document, first_leads: bool) -> None:
    """整改目标:… 责任单位:A、B 整改时限:… 整改措施: 1.… 2.… 3.…: a unit field written after
    the previous item and before a list whose items name no units assigns the whole list."""
    measures = sorted(doc.measures, key=lambda m: m.start)
    prev_end, i = 0, 0
    while i < len(measures):
        m = measures[i]
        if m.units or m.section_path == "table":
            prev_end, i = max(prev_end, m.end), i + 1
            continue
        run = [m]
        while i + len(run) < len(measures):
            nxt = measures[i + len(run)]
            if nxt.units or nxt.section_path == "table" or nxt.start - run[-1].end > 2:
                break
            run.append(nxt)
        lo = max(prev_end, m.start - _LEAD_IN_REACH)
        lead = doc.text[lo:m.start]
        labelled = _labelled(lead, first_leads)
        if labelled:
            for item in run:
                item.units = [UnitRef(mention=lead[a:b], name=lead[a:b], role=role, org="",
                                      span=doc.span(lo + a, lo + b), rule="unit.list-field")
                              for (a, b), role in sorted(labelled.items())]
        prev_end, i = max(prev_end, run[-1].end), i + len(run)


def _measure_units(doc: Document, m: Measure, first_leads: bool = False) -> None:
    text = doc.text[m.start:m.end]
    roles: dict[tuple[int, int], str] = {}
    rules: dict[tuple[int, int], str] = {}
    labelled = _labelled(text, first_leads)
    rules.update(dict.fromkeys(labelled, "unit.field"))
    tagged = _bare_lists(text, labelled, first_leads)
    rules.update(dict.fromkeys(tagged, "unit.tag"))
    labelled.update(tagged)
    clauses = _lead_support(text)
    rules.update({k: "unit.role-clause" for k in clauses if k not in rules})
    # a label or tag says who answers for the measure, even when it names only 各县区政府:
    # the other names in the text are its context
    told = bool(labelled) or _has_generic_tag(text)
    for span, role in {**clauses, **labelled}.items():
        roles[span] = role
    local = _speaks_locally(doc)
    covered = _Cover(list(roles))
    for a, b in orgnames.find(text):
        if covered(a):
            continue
        if local and text[a] in "市省":
            continue  # a district plan asks 市教委 for support; it assigns it no work
        if _OBJECT_AFTER.match(text, b) or (_CONTEXT.search(text[max(0, a - 2):a]) and \
                _CONTEXT_AFTER.match(text, b)):
            continue  # 县医院迁建项目 is a project, 在省教育厅指导下 the setting, not who acts
        if told:
            continue
        role = _role_in_prose(text, a, b)
        roles[(a, b)] = role
        rules[(a, b)] = "unit.prose"
    best: dict[str, tuple[int, int, str]] = {}
    for (a, b), role in sorted(roles.items()):
        name = orgnames.named(text, a, b)
        if name not in best or _RANK[role] > _RANK[best[name][2]]:
            best[name] = (a, b, role)
    m.units = [
        UnitRef(mention=name, name=name, role=role, org="", span=doc.span(m.start + a, m.start + b),
                rule=rules.get((a, b), "unit.prose"))
        for name, (a, b, role) in sorted(best.items(), key=lambda kv: kv[1][0])
    ]


_OBJECT_AFTER = re.compile(r"(?:迁建|新建|改扩建|扩建|改建|建设|新校区|分院|分校)?(?:项目|工程)|"
                           r"(?:迁建|新建|改扩建|扩建|改建)")
_CONTEXT = re.compile(r"在$")
_CONTEXT_AFTER = re.compile(r"[^,。;]{0,12}?(?:指导|支持|领导|统筹|部署)下")


class _Cover:
    """Whether an offset falls inside one of a set of spans, in log time (a measure may hold
    thousands of names)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self.starts = [a for a, _ in spans]
        self.reach = list(itertools.accumulate((b for _, b in spans), max))

    def __call__(self, pos: int) -> bool:
        i = bisect.bisect_right(self.starts, pos)
        return bool(i) and self.reach[i - 1] > pos


def _speaks_locally(doc: Document) -> bool:
    """A district or county plan (重庆市黔江区, 天津市武清区, 某县)."""
    j = doc.meta.jurisdiction or ""
    return j.endswith(("区", "县", "旗")) and not j.endswith("自治区")


# 由A牵头,B、C配合: both lists are read as lists, so bodies the lexicon does not know
# (县科工商务局) count by their ending, as in a labelled list
_LEAD_SUPPORT = re.compile(r"由(?P<lead>[^,;。()由]{2,60}?)牵头[,、]?(?P<support>[^,;。()]{2,120}?)"
                           r"(?:等部门|等单位)?(?:积极|共同|协同|密切)?(?:配合|参与)")


# A会同B、C、D等单位: the partners listed by their trade (编制、财政、公安 …) are units too
_WITH_LIST = re.compile(r"(?:会同|协同|联合)(?P<list>(?:[\u4e00-\u9fff]{2,12}、){2,}[\u4e00-\u9fff]{2,12}?)"
                        r"等(?:有关)?(?:单位|部门)")


def _lead_support(text: str) -> dict[tuple[int, int], str]:
    out: dict[tuple[int, int], str] = {}
    for m in _WITH_LIST.finditer(text):
        pos = m.start("list")
        for item in m.group("list").split("、"):
            if not (item.startswith("各") or _GENERIC.search(item)):
                out[(pos, pos + len(item))] = "support"
            pos += len(item) + 1
    for m in _LEAD_SUPPORT.finditer(text):
        for group, role in (("lead", "lead"), ("support", "support")):
            a0 = m.start(group)
            for a, b in orgnames.split_list(m.group(group)):
                out[(a0 + a, a0 + b)] = role
    return out


# a label by its form: a short name ending in a colon, whose characters say a unit role
# (问题整改责任单位:, 主要协作单位:, 牵头责任单位:), as table headers do (kg/columns.py)
_FORM_LABEL = re.compile(r"(?:^|(?<=[\s(〔【\[,;。、|]))([\u4e00-\u9fff]{2,10})\s*:")


def _labels(text: str) -> list[tuple[int, int, str]]:
    """(start, end of the label with its colon, role) of every unit label in `text`."""
    out: list[tuple[int, int, str]] = []
    for m in _FORM_LABEL.finditer(text):
        role = columns.role(m.group(1))
        if role in columns.UNIT_ROLES and not m.group(1).endswith(("领导", "人")):
            out.append((m.start(1), m.end(), role))
    seen = {a for a, _, _ in out}
    in_form_label = _Cover([(a, b) for a, b, _ in out])
    for m in _LABEL.finditer(text):
        after = text[m.end():m.end() + 2]
        if not after.startswith((":", " ")) and text[m.start() - 1:m.start()] not in ("(", "〔", "【"):
            continue  # 责任单位要… in prose is no label
        if not in_form_label(m.start()) and m.start() not in seen:
            out.append((m.start(), m.end() + (1 if after[:1] == ":" else 0), m.lastgroup or "responsible"))
    return sorted(out)


def assigns_work(text: str) -> bool:
    """`text` names who answers for it: a unit label (责任单位:, 牵头部门:) or a clause
    (由A牵头, B负责), not a word in passing (相关负责人会议)."""
    return bool(_labels(text)) or bool(_lead_support(text))


def unit_labels(text: str) -> list[tuple[int, int, str]]:
    """(start, end, role) of the unit labels in `text` (责任单位:, 牵头单位:…)."""
    return _labels(text)


def opens_unit_field(text: str) -> bool:
    """A line of `text` opens with a unit field (责任单位:…, 问题整改牵头部门:…): the label
    within the line's first characters, its colon after it."""
    for a, end, _ in _labels(text):
        if a - (text.rfind("\n", 0, a) + 1) <= 8 and text[end - 1:end] == ":":
            return True
    return False


def _labelled(text: str, first_leads: bool = False) -> dict[tuple[int, int], str]:
    out: dict[tuple[int, int], str] = {}
    for _, start, role in _labels(text):
        end_m = _LIST_END.search(text, start)
        end = end_m.start() if end_m else min(len(text), start + 200)
        for i, (a, b) in enumerate(orgnames.split_list(text[start:end])):
            marked = _MARKED_ROLE.match(text[start + b:])
            if marked:
                word = next(g for g in marked.groups() if g)
                out[(start + a, start + b)] = "lead" if word == "牵头" else "support"
            elif i == 0 and first_leads and role == "responsible":
                out[(start + a, start + b)] = "lead"
            else:
                out[(start + a, start + b)] = role
    return out


# a tag closing a sentence: (A、B牵头,C配合), 〔A、B〕, 【责任单位:A】 (labelled ones are read above)
_TAG = re.compile(r"\(((?:[^()\n:]|\([^()\n]{1,10}\)){2,240})\)"
                  r"|〔([^〔〕\n:]{2,240})〕|【([^【】\n:]{2,240})】")
_CLAUSE_SPLIT = re.compile(r"[,;]")
_CLAUSE_ROLE = (
    ("lead", re.compile(r"(?:牵头负责|负责牵头|牵头抓总|牵头)$")),
    ("support", re.compile(r"(?:(?:积极|共同|协同)?配合|参与|协助|协办|协同)$")),
    ("responsible", re.compile(r"(?:(?:按|根据)?(?:职责)?(?:分工)?(?:分别|共同|具体)?负责|落实|实施)$")),
)
_PLACE_ITEM = re.compile(r"^[\u4e00-\u9fff]{2,8}(?:新区|区|县|市)$")
_GENERIC = re.compile(r"^[^、]{0,3}各|有关|相关|其他|等$")


def _bare_lists(text: str, taken: dict[tuple[int, int], str],
                first_leads: bool) -> dict[tuple[int, int], str]:
    """Unit tags closing a sentence or a paragraph: …课程体系。(装备信息中心、教科院),
    (A、B牵头,C按职责分工负责), 〔A、B、C〕, (A,B,C,排名第一位为牵头单位). The tag is read
    clause by clause; a clause ending in 牵头 leads, in 配合/参与 supports; every clause must be
    a list of bodies (or of every-one-of-a-kind names such as 各县区政府, which name nobody),
    so (含艺体生) or (初、高中毕业年级除外) is no tag."""
    out: dict[tuple[int, int], str] = {}
    for m in _TAG.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        before, after = text[:m.start()].rstrip(), text[m.end():m.end() + 1]
        if not (before.endswith(("。", ";", "!")) or after in ("", "\n", "。", ";")):
            continue
        g = next(i for i in (1, 2, 3) if m.group(i) is not None)
        found = _tag_units(m.group(g), m.start(g), first_leads)
        if found and any(_ORG_LIKE.search(text[a:b]) for a, b in found):
            out.update(found)
    return out


def _has_generic_tag(text: str) -> bool:
    """A tag that closes the text and names only every-one-of-a-kind bodies (〔各县区政府〕)."""
    for m in _TAG.finditer(text):
        if text[m.end():].strip(" 。;\n"):
            continue
        body = next(g for g in m.groups() if g is not None)
        items = [i for i in re.split(r"[、,;]", body) if i]
        if items and all(_GENERIC.search(i) or i in orgnames.lexicon().catch_all for i in items):
            return True
    return False


def _tag_units(body: str, offset: int, first_leads: bool) -> dict[tuple[int, int], str]:
    # <市、区> in a name is a parenthesis another page drew differently
    body = body.replace("<", "(").replace(">", ")")
    found: dict[tuple[int, int], str] = {}
    plain: list[tuple[int, int]] = []
    pos = 0
    for clause in _CLAUSE_SPLIT.split(body):
        a0, pos = pos, pos + len(clause) + 1
        stripped = clause.strip()
        if not stripped or stripped in ("下同", "以下同", "下文同"):
            continue
        if _FIRST_LEADS.search(stripped):
            first_leads = True
            continue
        role, names = "responsible", stripped
        explicit = False
        for r, pat in _CLAUSE_ROLE:
            rm = pat.search(names)
            if rm and rm.start() > 0:
                role, names, explicit = r, names[:rm.start()], True
                break
        names = re.sub(r"(?:等)?(?:部门|单位)?(?:按职责分工|按职责|根据职责)?$", "", names) or names
        items = _clause_items(names)
        if items is None:
            return {}
        shift = a0 + clause.index(stripped)
        for a, b in items:
            span = (offset + shift + a, offset + shift + b)
            found[span] = role
            if not explicit:
                plain.append(span)
    if first_leads and plain and not any(r == "lead" for r in found.values()):
        found[plain[0]] = "lead"
    return found


def _clause_items(names: str) -> list[tuple[int, int]] | None:
    """The bodies a clause lists, or None when it is no list of bodies."""
    out: list[tuple[int, int]] = []
    pos = 0
    for item in names.split("、"):
        a, pos = pos, pos + len(item) + 1
        if not item:
            continue
        spans = orgnames.split_list(item)
        if spans and spans[0][0] == 0 and spans[-1][1] == len(item):
            out += [(a + x, a + y) for x, y in spans]
        elif _PLACE_ITEM.match(item) and not item.startswith("各"):
            out.append((a, a + len(item)))
        elif _GENERIC.search(item) or item in orgnames.lexicon().catch_all:
            continue  # 各县(市)区政府, 市级各有关部门: everyone of a kind, nobody in particular
        elif item.count("(") != item.count(")"):
            continue  # half of 各县(市、区)人民政府, split at its 、
        else:
            return None
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

"""Measures: the tasks and commitments a plan assigns.

Found three ways, most specific first:
- the numbered items under a task section (工作举措, 重点任务, 主要工作, 整改任务 …): the
  innermost items are measures, the (一)/(二) groupings above numbered items are not;
  a (一) item whose children are headed paragraphs (实施…工程。) is a measure and so is each
  headed paragraph;
- without a task section, top-level sections whose heading opens with an action verb
  (一、加快… 二、推进…) are lines of work, read the same way;
- rows of a 任务分解表 (cells split by `|`, or one cell per line under a header row).
Words live in loaders/measures.toml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg import columns, rules
from kg.extract import records, tables, units
from kg.model import Document, Measure, Section

HEADED = 6
_NUM = r"[一二三四五六七八九十百零\d]"
_MARKER = re.compile(rf"^\s*(?:——|[(]?{_NUM}{{1,3}}[)、.]|[①-⑳]|第{_NUM}+[章节条部分]"
                     r"|\d{1,2}[\ue000-\uf8ff]?(?=[\u4e00-\u9fff])(?![年月日号个所家万亿名人次项]))\s*")
_TITLE = re.compile(r"^([^。\n]{2,80}?)(?:。|:|$)", re.M)

_YEAR = r"(20\d{2}|19\d{2})"
_DEADLINE = re.compile(
    rf"(?:到|至|于|在)?{_YEAR}年(?:\d{{1,2}}月)?(?:底前|年底前|年底|底|末前|末|前|上半年|下半年|内|基本|全面)?"
    rf"|[“\"]?十([一二三四五六七八九])五[”\"]?(?:期间|末|时期)"
)
_DEADLINE_CUE = re.compile(r"前|底|末|到|至|完成|实现|建成|达到|力争|确保|基本|全面|内")
# the n-th 五年规划 (十n五) ends in 2005 + 5n: 十四五 -> 2025, 十三五 -> 2020
_FIVE_YEAR_END = {c: 2005 + 5 * (i + 1) for i, c in enumerate("一二三四五六七八九")}


@dataclass(frozen=True)
class Lexicon:
    task: re.Pattern[str]
    not_task: re.Pattern[str]
    goal_words: tuple[str, ...]  # a goals heading whose items carry unit labels holds tasks
    action: tuple[str, ...]
    task_endings: tuple[str, ...]
    restatement: tuple[str, ...]
    topics: tuple[tuple[str, tuple[str, ...]], ...]


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@rules.loader
@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = rules.load("measures")
    topics = rules.load("topics")
    return Lexicon(
        task=re.compile(_alt(data["task_headings"])),
        not_task=re.compile(_alt(data["not_task_headings"])),
        goal_words=tuple(data["goal_words"]),
        action=tuple(data["action_openers"]),
        task_endings=tuple(data["task_endings"]),
        restatement=tuple(data["restatement_openers"]),
        topics=tuple((t["id"], tuple(t["keywords"])) for t in topics.get("topic", [])),
    )


def extract(doc: Document) -> None:
    lex = lexicon()
    nodes = _task_nodes(doc, lex)
    measures = [_measure(doc, node, path, lex) for node, path in nodes]
    in_task_section = bool(_task_roots(doc.sections, lex, []))
    for m, (node, _) in zip(measures, nodes, strict=True):
        m.rule = ("measure.closing-field" if _closing_field(doc, node) else
                  "measure.headed-paragraph" if node.level == HEADED else
                  "measure.task-section" if in_task_section else "measure.committed-item")
    rows = tables.measures(doc, taken=[])
    # a section holding table rows is a grouping of them (一、扩大… over rows 1-5); a row
    # holding sections was read finer as those sections (a table pasted one cell per line),
    # unless they are numbered points after the row's title cell (项目名称 | ①…②… in
    # 具体任务): then they are the parts of the row's task
    titles = [(r, _title_start(doc, r)) for r in rows]
    measures = [m for m in measures if not any(m.start <= r.start and r.end <= m.end for r in rows)
                and not any(m.start == t and m.end <= r.end for r, t in titles)
                and not (m.rule != "measure.headed-paragraph"
                         and any(r.start <= m.start < r.end and m.start >= t + len(r.title) for r, t in titles
                                 if t >= 0))]
    measures += [r for r in rows if not any(m.start < r.end and r.start < m.end for m in measures)]
    if not doc.is_statute():
        measures += records.measures(doc, taken=[(m.start, m.end) for m in measures])
    measures.sort(key=lambda m: m.start)
    _assign_keys(measures)
    for m in measures:
        m.topics = topics_of(m.title, m.text, lex)
    doc.measures = measures


# --- sections ---------------------------------------------------------------------------

def _is_task_heading(title: str, lex: Lexicon) -> bool:
    """三、主要任务 / 重点任务及责任分工 / 主要任务和措施: a heading about the tasks, where the
    word opens or closes a short title; not a task that happens to hold one
    (加快重点领域急需紧缺人才培养)."""
    title = title.strip(" :")
    m = lex.task.search(title)
    if not m or lex.not_task.search(title) or len(title) > 30 or "," in title:
        return False  # …,完成整改任务: a sentence that ends in the word is an item, no heading
    return len(title) <= 10 or m.start() == 0 or m.end() == len(title)


def _background(title: str, lex: Lexicon) -> bool:
    """Inside a task section, a heading about goals or safeguards (发展目标, 保障措施, 组织实施)
    is not a task, but an action on one is (大力优化发展环境, 聚力完善产业发展环境,
    发展环境优化行动): the word must open the heading or be nearly all of it."""
    m = lex.not_task.search(title)
    if not m or (title.startswith(lex.action) and m.start() > 0) or title.endswith(lex.task_endings):
        return False  # 发展基础 opens with 发展 but is the background itself
    return m.start() == 0 or len(title) - len(m.group()) <= 2


def _outside_tasks(title: str, lex: Lexicon) -> bool:
    """A top-level region known to hold no tasks (指导思想, 发展基础, 保障措施), unless an
    action opens the heading before the word (加强组织保障 is a line of work)."""
    m = lex.not_task.search(title)
    return bool(m) and not (title.startswith(lex.action) and m.start() > 0)


def _task_nodes(doc: Document, lex: Lexicon) -> list[tuple[Section, list[Section]]]:
    """(measure section, its path from the task root) in document order."""
    if doc.is_statute():
        return []  # a law's articles are provisions, not commitments
    roots = _task_roots(doc.sections, lex, [])
    if not roots and _legal(doc):
        return []
    if not roots:
        # no section says it holds the tasks (a plan organised by lines of work, a page that
        # starts mid-list, a 政府工作报告's list): every section outside the regions known
        # to hold none (指导思想, 工作目标, 保障措施 …) is looked at, and an item is a
        # measure when it commits to action
        tops = [s for s in _body(doc.sections)
                if s.level >= 1 and (not _outside_tasks(s.title, lex) or _assigns_items(doc, s, lex))]
        out: list[tuple[Section, list[Section]]] = []
        for s in tops:
            found = _collect(doc, s, [s], lex) if s.children and not _closing_field(doc, s) else []
            out += found or [(s, [s])]
        return _committed_lists(doc, out, lex)
    out = []
    for root, path in sorted(roots + _assigned_regions(doc, doc.sections, lex, roots, []),
                             key=lambda r: r[0].start):
        out += _collect(doc, root, path, lex)
    return out


def _title_start(doc: Document, row: Measure) -> int:
    """Where the title cell of a table row's measure starts (a section that starts there
    is the same task, read from the row's cell)."""
    return doc.text.find(row.title, row.start, row.end)


def _assigned_regions(doc: Document, sections: list[Section], lex: Lexicon, roots: Found,
                      path: list[Section]) -> Found:
    """Sections outside the task sections whose items are assigned all the same (see
    _assigns_items): a 主要预期目标 list before the 主要工作任务."""
    out: Found = []
    inside = {id(r) for r, _ in roots}
    for s in sections:
        if s.level == HEADED or id(s) in inside:
            continue
        if s.level > 0 and _assigns_items(doc, s, lex):
            out.append((s, [*path, s]))
        else:
            out += _assigned_regions(doc, s.children, lex, roots, [*path, s] if s.level > 0 else path)
    return out


_RESPONSIBILITY = re.compile(r"牵头|负责|责任单位|责任部门|责任科室|配合|协同|会同|承办|落实单位")
_TARGET = re.compile(r"\d+(?:\.\d+)?\s*(?:%|个|所|万|亿|公里|千米|米|平方米|亩|人|名|座|处|家|项|户|条"
                     r"|套|张|次|辆)")


def _commits(doc: Document, node: Section, lex: Lexicon) -> bool:
    """An item that commits to action: it opens with an action verb, names who is
    responsible, sets a deadline or a number to reach. A heading that only names a topic
    (组织机构, 成员名单) or a roster line does not."""
    text = doc.text[node.start:node.end]
    title = node.title.lstrip("“\"")
    if _ROSTER_LINE.match(title) or _GROUP_HEADING.search(title) or _QUANTITY.search(title):
        return False
    return (title.startswith(lex.action) or any(title[1:3].startswith(a) for a in lex.action)
            or bool(_RESPONSIBILITY.search(text)) or deadline_of(text)[1] is not None
            or bool(_TARGET.search(text)))


@rules.loader
@lru_cache(maxsize=1)
def _legal_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    data = rules.load("measures")
    return tuple(data["legal"]["title_endings"]), tuple(data["legal"]["body_cues"])


def _legal(doc: Document) -> bool:
    """A text of law: a statute, an amendment, a judicial interpretation, a court case."""
    endings, cues = _legal_words()
    first = next((line.strip() for line in doc.text.split("\n") if line.strip()), "")
    title = re.sub(r"\([^()]*\)$", "", (doc.meta.title or first)[:80]).strip()
    if title.endswith(endings) and not _PLAN_TITLE.search(title):
        return True
    return sum(doc.text.count(c) for c in cues) >= 3


# 关于…的实施方案/规划/计划/要点 is a plan even when it cites a law's name
_PLAN_TITLE = re.compile(r"方案|规划|计划|要点|意见|通知|报告|清单|分解|任务|措施")


def _committed_lists(doc: Document, found: list[tuple[Section, list[Section]]],
                     lex: Lexicon) -> list[tuple[Section, list[Section]]]:
    """A list is of one kind: when most items of a list commit to action, all of them are
    tasks (开工新建西环路 among 加快建设…, 新建…120座); otherwise only those that commit."""
    # a list of findings (存在以下问题:) holds no tasks unless it assigns them (a 问题清单
    # naming who rectifies each); a list of remedies (整改措施如下:) holds nothing else
    announced: set[int] = set()
    kept: list[tuple[Section, list[Section]]] = []
    for kind, items in _lists_by_lead_in(doc, found):
        if kind == "findings" and not any(units.assigns_work(doc.text[n.start:n.end]) for n, _ in items):
            continue
        if kind == "done":
            continue  # finished work, reported
        if kind == "tasks":
            announced |= {id(n) for n, _ in items}
        kept += items
    found = kept
    by_parent: dict[int, list[bool]] = {}
    commits = [_commits(doc, node, lex) or id(node) in announced for node, _ in found]
    for (_node, path), ok in zip(found, commits, strict=True):
        by_parent.setdefault(id(path[-2]) if len(path) > 1 else -1, []).append(ok)
    out = []
    for (node, path), ok in zip(found, commits, strict=True):
        siblings = by_parent[id(path[-2]) if len(path) > 1 else -1]
        title = node.title
        if ok or (len(siblings) >= 3 and sum(siblings) * 2 >= len(siblings)
                  and not _ROSTER_LINE.match(title) and not _GROUP_HEADING.search(title)):
            out.append((node, path))
    return out


@rules.loader
@lru_cache(maxsize=1)
def _lead_in_words() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    layout = rules.load("measures")["layout"]
    return tuple(layout["findings_lead_ins"]), tuple(layout["task_lead_ins"]), tuple(layout["done_lead_ins"])


def _lead_in(doc: Document, node: Section) -> str:
    """What the sentence before a list's first item announces: "findings", "tasks", "done"
    (…已于8月底全部竣工。具体情况如下: the list reports finished work) or ""."""
    before = doc.text[max(0, node.start - 160):node.start].rstrip()
    sentences = re.split(r"[。;!?\n]", before)
    lead = sentences[-1]
    if not lead.endswith(":"):
        return ""
    findings, tasks, done = _lead_in_words()
    if any(w in lead for w in tasks):
        return "tasks"
    if any(w in lead for w in findings):
        return "findings"
    # 具体情况如下: says nothing itself; the sentence before it tells what the list is
    said = lead if len(lead) > 12 or len(sentences) < 2 else sentences[-2] + lead
    return "done" if any(w in said for w in done) else ""


_FIRST_KEYS = ("1", "一", "(1)", "(一)", "①")


def done_lists(doc: Document) -> list[tuple[int, int]]:
    """(start, end) of the lists that report finished work (…已全部竣工。具体情况如下: 1.… 2.…):
    their numbers are results, not targets."""
    out: list[tuple[int, int]] = []
    for siblings in [doc.sections, *(s.children for s in doc.sections_flat())]:
        for i, s in enumerate(siblings):
            if s.key in _FIRST_KEYS and s.level != HEADED and _lead_in(doc, s) == "done":
                j = i
                while j + 1 < len(siblings) and siblings[j + 1].level == s.level:
                    j += 1
                out.append((s.start, siblings[j].end))
    return out


def _lists_by_lead_in(doc: Document, found: list[tuple[Section, list[Section]]]
                      ) -> list[tuple[str, list[tuple[Section, list[Section]]]]]:
    """The items in runs from each list's first item to the next's, with what the lead-in
    before the first announces (see _lead_in)."""
    runs: list[tuple[str, list[tuple[Section, list[Section]]]]] = []
    level: int | None = None  # the level of the announced list being read
    for node, path in found:
        if node.key in ("1", "一", "(1)", "(一)", "①"):
            kind = _lead_in(doc, node)
            level = node.level if kind else None
            runs.append((kind, []))
        elif not runs or (level is not None and node.level != level):
            runs.append(("", []))
            level = None
        runs[-1][1].append((node, path))
    return runs


# a section that names a group (督查小组, 中共界别小组(7人)) describes the group, no task
_GROUP_HEADING = re.compile(r"(?:小组|工作组|专班|指挥部|委员会|办公室|领导组|组成人员|成员名单|成员单位)"
                            r"(?:\(\d+人\))?$")


# 学前教育毛入园率(%): a row of an indicator table names a quantity, it commits to nothing itself
_QUANTITY = re.compile(r"\((?:%|‰|年|岁|个|所|人|万人|元|万元|亿元|平方米|万平方米|人次|项|册|台|:1)\)$")
_ROSTER_LINE = re.compile(r"^(?:组\s*长|副组长|成\s*员|主\s*任|副主任|办公室主任|联络员)\s*[::]")


def _body(sections: list[Section]) -> list[Section]:
    # 附件 is a container (level 0): look at what it holds
    out: list[Section] = []
    for s in sections:
        out += s.children if s.level == 0 else [s]
    return out


Found = list[tuple[Section, list[Section]]]


def _task_roots(sections: list[Section], lex: Lexicon, path: list[Section]) -> Found:
    out: Found = []
    for s in sections:
        if s.level == HEADED:
            continue
        if s.level > 0 and _is_task_heading(s.title, lex):
            out.append((s, [*path, s]))
        elif not (s.level > 0 and lex.not_task.search(s.title)):
            out += _task_roots(s.children, lex, [*path, s] if s.level > 0 else path)
    return out


def _assigns_items(doc: Document, section: Section, lex: Lexicon) -> bool:
    """A goals section (主要预期目标) whose numbered items, most of them, carry a unit label
    (…增长7.5%。(牵头单位:市发改委)): the plan assigns the targets, so they are tasks. The
    closing safeguards (保障措施, 推进措施) stay out even when they name units, as the gold
    reads them."""
    if not any(w in section.title for w in lex.goal_words):
        return False
    kids = [c for c in section.children if c.level != HEADED]
    if len(kids) < 2:
        return False
    labelled = sum(bool(units.unit_labels(doc.text[c.start:c.end])) for c in kids)
    return labelled * 2 > len(kids)


def _closing_field(doc: Document, node: Section) -> bool:
    """问题整改责任单位:X after a site's numbered problems (1)(2)(3): the field closes the list
    and assigns the whole item, so the item is the measure and the problems its parts."""
    kids = [c for c in node.children if c.level != HEADED]
    if len(kids) < 2:
        return False
    last = kids[-1]
    tail = doc.text[last.start:node.end].split("\n", 1)
    if len(tail) < 2 or not units.opens_unit_field(tail[1]):
        return False
    return not any(units.opens_unit_field(doc.text[c.start:c.end]) for c in kids[:-1])


def _collect(doc: Document, node: Section, path: list[Section],
             lex: Lexicon) -> list[tuple[Section, list[Section]]]:
    out: list[tuple[Section, list[Section]]] = []
    numbered = any(c.level != HEADED for c in node.children)
    for child in node.children:
        if child.title.startswith(lex.restatement) or _background(child.title, lex):
            continue
        if numbered and child.level == HEADED:
            continue  # 今年要重点做好以下工作: the lead-in before numbered items
        if "是指" in child.title:
            continue  # a definition, not a task
        child_path = [*path, child]
        if len(child.title) < 2:
            continue  # a page cut off after the marker (六是着)
        if any(c.level != HEADED for c in child.children) and not _closing_field(doc, child):
            out += _collect(doc, child, child_path, lex)  # a grouping of numbered items
            continue
        out.append((child, child_path))
        out += [(c, [*child_path, c]) for c in child.children
                if c.level == HEADED and not c.title.startswith(lex.restatement)]
    return out


def _measure(doc: Document, node: Section, path: list[Section], lex: Lexicon) -> Measure:
    text = doc.text[node.start:node.end].strip()
    if node.key.endswith("是") and text.startswith(node.key):
        body = text[len(node.key):]  # 一是…;二是…: an item runs to its semicolon
        body = body.split(";", 1)[0]
    else:
        body = _MARKER.sub("", text, count=1)
    label = re.match(r"([\u4e00-\u9fff]{2,8}):", body)
    if label and columns.role(label.group(1)) == "title":
        body = body[label.end():]  # 1.项目名称:城南小学迁建 names the task after its label
    m = _TITLE.match(body)
    title = m.group(1).strip() if m else node.title
    if len(title) < len(node.title):
        title = node.title
    deadline, year = deadline_of(body)
    return Measure(
        key=node.key,
        title=title,
        text=text,
        span=doc.span(node.start, node.end),
        section_path=".".join(_path_key(s) for s in path),
        deadline=deadline,
        deadline_year=year,
        start=node.start,
        end=node.end,
    )


def _path_key(s: Section) -> str:
    return s.key.strip("()") if s.level == 1 else s.key


def _assign_keys(measures: list[Measure]) -> None:
    """Each measure's own number when those are unique in the document (1 … 20), else its
    section path (三.(二).1)."""
    own = [m.key for m in measures]
    if all(own) and len(set(own)) == len(own):
        return
    seen: set[str] = set()
    for i, m in enumerate(measures):
        key = m.section_path or m.key or str(i + 1)
        while key in seen:
            key = f"{key}#{i + 1}"
        seen.add(key)
        m.key = key


# --- attributes -------------------------------------------------------------------------

def deadline_of(text: str) -> tuple[str | None, int | None]:
    """The first stated deadline: 2023年底前 -> ("2023年底前", 2023); 十四五末 -> 2025."""
    for m in _DEADLINE.finditer(text):
        if m.group(1):
            written = m.group(0)
            before = text[max(0, m.start() - 4):m.start()]
            if not (_DEADLINE_CUE.search(written) or re.search(r"到|至|力争|确保", before)):
                continue  # a date in passing (2022年以来, 2023年数据) is no deadline
            if re.match(r"以来|以前|数据|的", text[m.end():m.end() + 2]):
                continue
            return written, int(m.group(1))
        if m.group(2) in _FIVE_YEAR_END:
            return m.group(0), _FIVE_YEAR_END[m.group(2)]
    return None, None


def deadline_in_column(column: str, fallback: str) -> tuple[str | None, int | None]:
    """The deadline a 完成时限 column (a table's cells, a record's fields) gives, else the
    one `fallback` states; in such a column a bare 2024年 is the deadline too."""
    deadline, year = deadline_of(column or fallback)
    bare = re.search(r"(20\d{2})年", column)
    if year is None and bare:
        return column, int(bare.group(1))
    return deadline, year


def topics_of(title: str, text: str, lex: Lexicon | None = None) -> list[str]:
    """Topics whose keywords occur in the title, or at least twice in the text."""
    lex = lex or lexicon()
    out = []
    for topic, words in lex.topics:
        if any(w in title for w in words) or sum(text.count(w) for w in words) >= 2:
            out.append(topic)
    return out

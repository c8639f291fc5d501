"""People named in the plan with their posts: 周恩海 -> 区委副书记, 区政府区长 (in 区委, 区政府).

People appear in group rosters (组长:周恩海 区委副书记、区政府区长), in role clauses
(由区委副书记张三任组长) and in passing with 同志 (市委副书记、市长陆振华同志的讲话), which
kg/extract/rosters.py reads; and anywhere else a post stands next to a name (news reports of
meetings: 县委常委、副县长李明出席; 李明副县长; 王强(县长)) or in the leader column of a task
table (责任领导 | 分管领导), which kg/extract/mentions.py reads. A person mentioned twice is one
person, with the posts of every mention in the order first written; a post written again
with more of its organization (副区长, then 区政府副区长) keeps the fuller form only. Each
post keeps the organization written in it (区委组织部常务副部长 -> 区委组织部; 区委常委、
宣传部部长 -> 区委宣传部) as a name; kg/resolve.py turns it into an organization id.

Every Person and PostHolding says which rule found it: people.roster (a roster block),
people.role-clause (由X任组长), people.addressed (X同志 with posts), and the rules of
mentions.py (people.prose-post-name, people.prose-name-post, people.prose-bracket,
people.comrade, people.table-leader, people.roster-label, people.roster-continued,
people.leader-field).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kg.extract import mentions, rosters
from kg.extract.rosters import PersonEntry
from kg.model import Document, Person, PostHolding


def found_people(text: str, leader_cells: Sequence[tuple[int, str]] = ()) -> list[tuple[str, PersonEntry]]:
    """Every person mention of the text with the rule that found it, rosters first;
    `leader_cells`: (offset, text) of the leader cells of the layout's table rows."""
    found: list[tuple[str, PersonEntry]] = []
    for start, end in rosters.label_lines(text):
        found += [("people.roster", e.person) for e in rosters.block_entries(text, start, end)
                  if e.person is not None]
    found += [("people.role-clause", e.person) for e in rosters.prose_entries(text) if e.person is not None]
    found += [("people.addressed", p) for p in rosters.addressed_people(text)]
    found += [(m.rule, m.person) for m in mentions.prose_people(text)]
    found += [(m.rule, m.person) for m in mentions.roster_lines(text)]
    found += [(m.rule, m.person) for m in mentions.leader_fields(text)]
    found += [(m.rule, m.person) for at, cell in leader_cells for m in mentions.cell_people(at, cell)]
    return found


def extract(doc: Document) -> None:
    people: dict[str, Person] = {}
    # a table's leader column as the layout read it (box-drawn and run-together tables too);
    # only cells whose text is where they sit, so offsets stay exact
    cells = [(c.start, c.text) for r in (doc.layout.rows if doc.layout else [])
             for c in r.by_role.get("leader", []) if doc.text[c.start:c.end] == c.text]
    for rule, found in sorted(found_people(doc.text, cells), key=lambda f: f[1].start):
        person = people.get(found.name)
        if person is None:
            person = people[found.name] = Person(found.name, span=doc.span(found.start, found.end), rule=rule)
        for post in found.posts:
            add_post(person, PostHolding(post.text, post.org, doc.span(post.start, post.end), rule=rule))
    doc.people.extend(people.values())


def add_post(person: Person, holding: PostHolding) -> None:
    """Add a post unless the person has it already; of 副区长 and 区政府副区长 (the same post,
    once with its organization written) the fuller one stays, where the first was."""
    for k, h in enumerate(person.posts):
        if _same_place(h, holding):
            # two readings of one written post (rules that stopped at different words of
            # its organization): the longer reading
            if len(holding.post) > len(h.post):
                person.posts[k] = holding
            return
        if h.post == holding.post or _fuller(h.post, holding.post):
            return
        if _fuller(holding.post, h.post):
            person.posts[k] = holding
            return
    person.posts.append(holding)


def _same_place(a: PostHolding, b: PostHolding) -> bool:
    return a.span is not None and b.span is not None and a.span.end == b.span.end \
        and a.span.page == b.span.page and a.span.sheet == b.span.sheet and a.span.cell == b.span.cell


_ORG_END = re.compile(r"(?:[局委办部院校园会处室队所站馆团府厅司署行社台区县市省州旗镇乡]|中心|政府|人大"
                      r"|政协)$")


def _fuller(long: str, short: str) -> bool:
    """`long` is `short` with its organization written before it: 区政府副区长 / 副区长,
    沙坪坝区委常委 / 区委常委 (not 副区长 / 区长: 副 makes another post)."""
    extra = long[: len(long) - len(short)]
    return bool(extra) and long.endswith(short) and (
        rosters.has_prefix(extra) or bool(_ORG_END.search(extra)) or mentions.is_place(long, 0, len(extra)))

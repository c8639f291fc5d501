"""People named in the plan with their posts: 周恩海 -> 区委副书记, 区政府区长 (in 区委, 区政府).

People appear in group rosters (组长:周恩海 区委副书记、区政府区长), in role clauses
(由区委副书记张三任组长) and in passing with 同志 (市委副书记、市长陆振华同志的讲话);
kg/extract/rosters.py reads all three. A person mentioned twice is one
person, with the posts of every mention in the order first written. Each post keeps the
organization written in it (区委组织部常务副部长 -> 区委组织部; 区委常委、宣传部部长 ->
区委宣传部) as a name; kg/resolve.py turns it into an organization id.
"""

from __future__ import annotations

from kg.extract import rosters
from kg.model import Document, Person, PostHolding


def extract(doc: Document) -> None:
    text = doc.text
    entries = [e for start, end in rosters.label_lines(text)
               for e in rosters.block_entries(text, start, end)]
    entries += rosters.prose_entries(text)
    found_people = [e.person for e in entries if e.person is not None]
    found_people += rosters.addressed_people(text)
    people: dict[str, Person] = {}
    for found in sorted(found_people, key=lambda p: p.start):
        person = people.get(found.name)
        if person is None:
            person = people[found.name] = Person(found.name, span=doc.span(found.start, found.end))
        for post in found.posts:
            if all(h.post != post.text for h in person.posts):
                person.posts.append(PostHolding(post.text, post.org, doc.span(post.start, post.end)))
    doc.people.extend(people.values())

"""Fact extraction: a fixed pipeline of components over one Document (spaCy-style).

Each component reads what the earlier ones put on the Document and adds its own facts:
measures first (everything else hangs off them), then responsible units, people, groups,
indicators, school projects; `kg.resolve` then merges organizations per jurisdiction.
"""

from __future__ import annotations

from collections.abc import Callable

from kg.extract import groups, indicators, measures, people, schools, units
from kg.model import Document

Component = Callable[[Document], None]

COMPONENTS: list[tuple[str, Component]] = [
    ("measures", measures.extract),
    ("units", units.extract),
    ("people", people.extract),
    ("groups", groups.extract),
    ("indicators", indicators.extract),
    ("schools", schools.extract),
]


def extract(doc: Document) -> None:
    for _, component in COMPONENTS:
        component(doc)

"""Placeholder until the groups extractor lands (being written now)."""

from kg.model import Document


def extract(doc: Document) -> None:
    return None

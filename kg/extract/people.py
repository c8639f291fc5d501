"""Placeholder until the people extractor lands (being written now)."""

from kg.model import Document


def extract(doc: Document) -> None:
    return None

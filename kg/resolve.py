"""Placeholder until organization resolution lands (being written now)."""

from kg.model import Document


def resolve(doc: Document) -> None:
    return None

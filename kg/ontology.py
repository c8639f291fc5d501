"""The ontology files and namespaces: `ontology/policy.ttl` (OWL), `ontology/shapes.ttl`
(SHACL) and `ontology/topics.ttl`, which is generated from `loaders/topics.toml` by
`topics_turtle()` so the analysts' one list of topics drives both tagging and the graph.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox

from kg import rules
from kg.rules import data_path

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_DIR = data_path("ontology")
POLICY_TTL = ONTOLOGY_DIR / "policy.ttl"
SHAPES_TTL = ONTOLOGY_DIR / "shapes.ttl"
TOPICS_TTL = ONTOLOGY_DIR / "topics.ttl"
TOPICS_TOML = data_path("loaders", "topics.toml")

ONTOLOGY_IRI = "https://w3id.org/policy-kg/ontology"
PKG = ONTOLOGY_IRI + "#"
ID = "https://w3id.org/policy-kg/id/"
TOPIC = ID + "topic/"
SCHEME = ID + "scheme/"
ONTOLOGY_GRAPH = ID + "graph/ontology"

PREFIXES: dict[str, str] = {
    "pkg": PKG,
    "id": ID,
    "topic": TOPIC,
    "org": "http://www.w3.org/ns/org#",
    "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
}


def sparql_prefixes() -> str:
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def topic_iri(topic_id: str) -> str:
    return TOPIC + quote(topic_id, safe="")


def topics_turtle(toml_text: str | None = None) -> str:
    """ontology/topics.ttl as text, from loaders/topics.toml (or the given TOML text).

    Written by hand rather than by a serializer so the committed file is stable and
    readable; every term goes through pyoxigraph's N-Triples form, which is valid Turtle
    whatever the labels contain."""
    data: Any = tomllib.loads(toml_text) if toml_text is not None else rules.load("topics")
    scheme = data.get("scheme", {})
    scheme_iri = _iri(SCHEME + quote(str(scheme.get("id", "topics")), safe=""))
    topics = data.get("topic", [])
    lines = [
        "# Generated from loaders/topics.toml by kg.ontology.topics_turtle(); edit the TOML, then run",
        "#   python -m kg.ontology   (tests/test_rdf.py checks this file is up to date)",
        f"@prefix skos: <{PREFIXES['skos']}> .",
        f"@prefix rdfs: <{PREFIXES['rdfs']}> .",
        "",
        f"{scheme_iri} a skos:ConceptScheme ;",
        f"    skos:prefLabel {_lit(scheme.get('label_zh', '主题'), 'zh')}, "
        f"{_lit(scheme.get('label_en', 'Topics'), 'en')} ;",
        f"    rdfs:label {_lit(scheme.get('label_zh', '主题'), 'zh')}, "
        f"{_lit(scheme.get('label_en', 'Topics'), 'en')}"
        + (" ;" if topics else " ."),
    ]
    if topics:
        tops = ",\n        ".join(_iri(topic_iri(t["id"])) for t in topics)
        lines.append(f"    skos:hasTopConcept\n        {tops} .")
    for t in topics:
        labels = f"{_lit(t['label_zh'], 'zh')}, {_lit(t['label_en'], 'en')}"
        lines += [
            "",
            f"{_iri(topic_iri(t['id']))} a skos:Concept ;",
            f"    skos:inScheme {scheme_iri} ;",
            f"    skos:topConceptOf {scheme_iri} ;",
            f"    skos:notation {_lit(t['id'])} ;",
            f"    skos:prefLabel {labels} ;",
            f"    rdfs:label {labels}" + (" ;" if t.get("keywords") else " ."),
        ]
        if t.get("keywords"):
            # keywords are what the tagger matches: hidden labels in SKOS terms
            words = ", ".join(_lit(k, "zh") for k in t["keywords"])
            lines.append(f"    skos:hiddenLabel {words} .")
    return "\n".join(lines) + "\n"


def _iri(value: str) -> str:
    return str(ox.NamedNode(value))


def _lit(value: str, lang: str | None = None) -> str:
    return str(ox.Literal(value, language=lang) if lang else ox.Literal(value))


@lru_cache(maxsize=1)
def ontology_quads() -> tuple[ox.Quad, ...]:
    """policy.ttl and topics.ttl, in the ontology's own named graph."""
    graph = ox.NamedNode(ONTOLOGY_GRAPH)
    quads: list[ox.Quad] = []
    for path in (POLICY_TTL, TOPICS_TTL):
        for t in ox.parse(path=path, format=ox.RdfFormat.TURTLE):
            quads.append(ox.Quad(t.subject, t.predicate, t.object, graph))
    return tuple(quads)


@dataclass
class Validation:
    violations: list[str]
    warnings: list[str]

    @property
    def conforms(self) -> bool:
        return not self.violations


def validate_graph(data: Any, shapes_path: Path = SHAPES_TTL) -> Validation:
    """pyshacl over an rdflib graph: each result as one readable line, sorted; only
    sh:Violation results count against conformance."""
    import pyshacl
    import rdflib

    shapes = rdflib.Graph().parse(shapes_path, format="turtle")
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none",
                                    allow_infos=True, allow_warnings=True)
    sh = rdflib.Namespace(PREFIXES["sh"])
    violations, warnings = [], []
    for result in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        focus = report.value(result, sh.focusNode)
        path = report.value(result, sh.resultPath)
        message = report.value(result, sh.resultMessage)
        value = report.value(result, sh.value)
        where = _short(str(focus)) + (f" {_short(str(path))}" if path is not None else "")
        line = f"{where}: {message}" + (f" (value: {value!s})" if value is not None else "")
        severity = report.value(result, sh.resultSeverity)
        (violations if severity == sh.Violation else warnings).append(line)
    return Validation(sorted(violations), sorted(warnings))


def _short(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def write_topics(path: Path = TOPICS_TTL) -> None:
    path.write_text(topics_turtle(), encoding="utf-8")


if __name__ == "__main__":
    write_topics()
    print(f"wrote {TOPICS_TTL}")

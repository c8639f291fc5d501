"""A Document as RDF: the quads of its named graph `id:graph/doc/{doc_id}` (ontology/VOCAB.md).

Document graphs live under id:graph/doc/, where no reserved graph (id:graph/ontology)
can be reached whatever a file is called: an id is always one percent-encoded segment.

Deterministic: IRIs come from the document id, measure keys, positions and canonical names,
never from counters shared across documents or from where the files or the store live, and
the quads are returned sorted, so the same input gives byte-identical N-Quads.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from urllib.parse import quote, unquote

import pyoxigraph as ox

from kg import resolve
from kg.model import Document, Group, Organization, Span
from kg.ontology import ID, PKG, PREFIXES, topic_iri

ORG = PREFIXES["org"]
DCT = PREFIXES["dcterms"]
SKOS = PREFIXES["skos"]
OA = PREFIXES["oa"]
FOAF = PREFIXES["foaf"]
RDFS = PREFIXES["rdfs"]
XSD = PREFIXES["xsd"]
RDF_TYPE = PREFIXES["rdf"] + "type"

ROLE = {"lead": "LeadRole", "support": "SupportRole", "responsible": "ResponsibleRole"}
UNIT_SHORTCUT = {"lead": "leadUnit", "support": "supportUnit", "responsible": "responsibleUnit"}
GROUP_ROLE = {"leader": "GroupLeader", "deputy": "DeputyLeader", "member": "GroupMember"}
ORG_TYPES = ("party_department", "government_department", "leading_group", "working_group",
             "task_force", "mass_organization", "school", "township", "other")
# W3C ORG's own split: a leading group brings bureaus together; a working group or task
# force sits under another body; everything else is a body in its own right.
ORG_CLASS = {"leading_group": "OrganizationalCollaboration", "working_group": "OrganizationalUnit",
             "task_force": "OrganizationalUnit"}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
NO_PLACE = "_"  # the jurisdiction segment of a person IRI when the document names none


def seg(value: str) -> str:
    """One IRI path segment: percent-encoded UTF-8, so any name is a valid IRI (a lone
    surrogate, from a file name that is not UTF-8, is written as its \\u escape)."""
    return quote(value.encode("utf-8", errors="backslashreplace"), safe="") or "_"


# XML 1.0 cannot carry these, not even escaped: an RDF/XML export holding one is not XML.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> str:
    """`text` with every character XML 1.0 cannot carry as U+FFFD: what the store gets, from
    any reader and any file name (read.py already turns them into spaces in document text)."""
    return _NOT_XML.sub("\ufffd", text)


def data_iri(kind: str, *segments: str) -> str:
    return ID + kind + "/" + "/".join(seg(s) for s in segments)


DOC_GRAPHS = ID + "graph/doc/"  # every document graph, and nothing else, starts with this


def graph_iri(doc_id: str) -> str:
    return DOC_GRAPHS + seg(doc_id)


def graph_doc_id(graph: str) -> str | None:
    """The document id of a document graph IRI; None for the ontology or any other graph."""
    return unquote(graph[len(DOC_GRAPHS):]) if graph.startswith(DOC_GRAPHS) else None


def doc_iri(doc_id: str) -> str:
    return data_iri("doc", doc_id)


def org_iri(org_id: str) -> str:
    return data_iri("org", org_id)


def place_iri(name: str) -> str:
    return data_iri("place", name)


def person_iri(jurisdiction: str | None, name: str) -> str:
    return data_iri("person", jurisdiction or NO_PLACE, name)


def measure_iri(doc_id: str, key: str) -> str:
    return data_iri("measure", doc_id, key)


Object = ox.NamedNode | ox.Literal


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _typed(value: str, xsd_type: str) -> ox.Literal:
    return ox.Literal(value, datatype=_n(XSD + xsd_type))


def _year(year: int) -> ox.Literal:
    return _typed(f"{year:04d}", "gYear")


def _decimal(value: float) -> ox.Literal | None:
    """xsd:decimal in plain notation (2.4, 65, 100000000000000000000); None for NaN/inf."""
    try:
        if not math.isfinite(value):
            return None
        d = Decimal(repr(value) if isinstance(value, float) else str(value))
    except (InvalidOperation, TypeError, ValueError):
        return None
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return _typed(text if text not in ("", "-0") else "0", "decimal")


def _date(value: str | None) -> ox.Literal | None:
    """A metadata date as xsd:date, or xsd:gYearMonth/gYear when only that much is known."""
    m = _DATE.match((value or "").strip())
    if not m:
        return None
    y, mo, d = m.groups()
    if d:
        return _typed(f"{y}-{mo}-{d}", "date")
    return _typed(f"{y}-{mo}", "gYearMonth") if mo else _typed(y, "gYear")


class GraphBuilder:
    """Collects one document's triples into its named graph and its organizations by id."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.doc_id = doc.doc_id
        self.jurisdiction = doc.meta.jurisdiction
        self.graph = _n(graph_iri(self.doc_id))
        self.doc_node = _n(doc_iri(self.doc_id))
        self.quads: set[ox.Quad] = set()
        self.orgs: dict[str, Organization] = {o.id: o for o in doc.organizations}
        self._org_by_name: dict[str, str] = {}
        for o in doc.organizations:
            for name in (o.id, o.name, *o.aliases):
                self._org_by_name.setdefault(name, o.id)
        self._people = {p.name for p in doc.people}

    def add(self, s: str | ox.NamedNode, p: str, o: str | Object | None) -> None:
        if o is None:
            return
        subject = s if isinstance(s, ox.NamedNode) else _n(s)
        obj = _n(o) if isinstance(o, str) else o
        self.quads.add(ox.Quad(subject, _n(p), obj, self.graph))

    def literal(self, s: str | ox.NamedNode, p: str, value: str | None, lang: str | None = None) -> None:
        if value is None:
            return
        value = xml_safe(value)
        self.add(s, p, ox.Literal(value, language=lang) if lang else ox.Literal(value))

    # -- shared nodes ---------------------------------------------------------------------

    def org(self, name_or_id: str, kind: str | None = None) -> str:
        """The IRI of the organization a name (or Organization.id) denotes in this document;
        a name the resolver has not seen is resolved the same way it would have been."""
        found = self._org_by_name.get(name_or_id)
        if found is None:
            o = resolve.organization(name_or_id, self.jurisdiction, kind)
            found = self._org_by_name.get(o.id) or o.id
            self.orgs.setdefault(found, o)
            self._org_by_name[name_or_id] = found
        return org_iri(found)

    def place(self, name: str | None) -> str | None:
        if not name:
            return None
        iri = place_iri(name)
        self.add(iri, RDF_TYPE, PKG + "Jurisdiction")
        self.literal(iri, RDFS + "label", name, "zh")
        return iri

    def person(self, name: str) -> str:
        iri = person_iri(self.jurisdiction, name)
        self.add(iri, RDF_TYPE, FOAF + "Person")
        self.literal(iri, FOAF + "name", name)
        return iri

    def evidence(self, subject: str, span: Span | None, rule: str = "") -> None:
        """Provenance of a fact: the passage it was read from, as a Web Annotation
        SpecificResource with position and quote selectors into the original file text,
        and the id of the extraction rule that read it (pkg:rule on the fact itself, since
        one passage can give facts by several rules)."""
        if rule:
            self.literal(subject, PKG + "rule", rule)
        if span is None or span.start < 0 or span.end < span.start:
            return
        src = data_iri("source", self.doc_id, f"{span.start}-{span.end}")
        sel = src + "/selector"
        self.add(subject, PKG + "evidence", src)
        self.add(src, RDF_TYPE, OA + "SpecificResource")
        self.add(src, OA + "hasSource", self.doc_node)
        self.add(src, OA + "hasSelector", sel)
        self.add(sel, RDF_TYPE, OA + "TextPositionSelector")
        self.add(sel, RDF_TYPE, OA + "TextQuoteSelector")
        # xsd:integer, not nonNegativeInteger: Oxigraph stores every integer subtype as
        # xsd:integer, and the quads we make should be the quads the store gives back
        self.add(sel, OA + "start", _typed(str(span.start), "integer"))
        self.add(sel, OA + "end", _typed(str(span.end), "integer"))
        self.literal(sel, OA + "exact", span.text)
        # a PDF's page, a spreadsheet's sheet and cell (kg/formats): where a reader looks
        if span.page is not None:
            self.add(sel, PKG + "page", _typed(str(span.page), "integer"))
        self.literal(sel, PKG + "sheet", span.sheet)
        self.literal(sel, PKG + "cell", span.cell)

    # -- the document's parts -------------------------------------------------------------

    def document(self) -> None:
        d, meta = self.doc_node, self.doc.meta
        self.add(d, RDF_TYPE, PKG + "PolicyDocument")
        self.literal(d, DCT + "title", meta.title)
        self.literal(d, DCT + "identifier", meta.doc_number)
        self.add(d, DCT + "issued", _date(meta.date_published))
        self.add(d, DCT + "created", _date(meta.date_written))
        self.literal(d, PKG + "sourceFile", self.doc.doc)
        self.literal(d, PKG + "encoding", self.doc.encoding)
        self.add(d, DCT + "spatial", self.place(meta.jurisdiction))
        for issuer in meta.issuer:
            self.add(d, DCT + "publisher", self.org(issuer))

    def measures(self) -> dict[str, str]:
        """Measure IRIs by key. A repeated key (an extractor slip) gets a ~2, ~3 … suffix
        rather than merging two measures into one node."""
        by_key: dict[str, str] = {}
        used: set[str] = set()
        for m in self.doc.measures:
            key, n = m.key, 1
            while key in used:
                n += 1
                key = f"{m.key}~{n}"
            used.add(key)
            iri = measure_iri(self.doc_id, key)
            by_key.setdefault(m.key, iri)
            self.add(iri, RDF_TYPE, PKG + "Measure")
            self.literal(iri, PKG + "key", key)
            self.literal(iri, DCT + "title", m.title)
            self.literal(iri, PKG + "text", m.text)
            self.literal(iri, PKG + "sectionPath", m.section_path or None)
            self.literal(iri, PKG + "deadline", m.deadline)
            if m.deadline_year is not None:
                self.add(iri, PKG + "deadlineYear", _year(m.deadline_year))
            self.add(iri, PKG + "schoolConstruction",
                     _typed("true" if m.school_construction else "false", "boolean"))
            self.add(iri, PKG + "inDocument", self.doc_node)
            for t in m.topics:
                self.add(iri, DCT + "subject", topic_iri(t))
            self.evidence(iri, m.span, m.rule)
            for i, u in enumerate(m.units, 1):
                role = u.role if u.role in ROLE else "responsible"
                if u.org and u.org not in self.orgs and u.org not in self._org_by_name:
                    self.orgs[u.org] = Organization(u.org, u.name or u.mention, "other",
                                                    self.jurisdiction, list(u.aliases))
                    self._org_by_name[u.org] = u.org
                unit = org_iri(self._org_by_name.get(u.org, u.org)) if u.org else self.org(u.mention)
                resp = data_iri("resp", self.doc_id, key, str(i))
                self.add(iri, PKG + "hasResponsibility", resp)
                self.add(iri, PKG + UNIT_SHORTCUT[role], unit)
                self.add(resp, RDF_TYPE, PKG + "Responsibility")
                self.add(resp, PKG + "measure", iri)
                self.add(resp, PKG + "unit", unit)
                self.add(resp, PKG + "role", PKG + ROLE[role])
                self.literal(resp, PKG + "mention", u.mention)
                self.evidence(resp, u.span, u.rule)
        return by_key

    def people(self) -> None:
        for p in self.doc.people:
            iri = self.person(p.name)
            for i, h in enumerate(p.posts, 1):
                post = data_iri("post", self.doc_id, p.name, str(i))
                self.add(iri, ORG + "holds", post)
                self.add(post, RDF_TYPE, ORG + "Post")
                self.literal(post, RDFS + "label", h.post, "zh")
                if h.org:
                    self.add(post, ORG + "postIn", self.org(h.org))
                self.evidence(post, h.span or p.span, h.rule or p.rule)

    def groups(self) -> None:
        for g in self.doc.groups:
            group = self.org(g.org or g.name, g.kind)
            if g.parent:
                self.add(group, ORG + "subOrganizationOf", self.org(g.parent))
            if g.lead_unit:
                self.add(group, PKG + "leadUnit", self.org(g.lead_unit))
            if g.office_in:
                self.add(group, PKG + "officeIn", self.org(g.office_in))
            for duty in g.duties:
                self.literal(group, PKG + "duty", duty)
            self.evidence(group, g.span, g.rule)
            self.memberships(g, group)

    def memberships(self, g: Group, group: str) -> None:
        n = 0
        for role, names in (("leader", g.leaders), ("deputy", g.deputies), ("member", g.members)):
            for name in names:
                n += 1
                member = self._member(name, default_person=role != "member")
                ms = data_iri("membership", self.doc_id, g.name, str(n))
                self.add(ms, RDF_TYPE, ORG + "Membership")
                self.add(ms, ORG + "member", member)
                self.add(ms, ORG + "organization", group)
                self.add(ms, ORG + "role", PKG + GROUP_ROLE[role])
                self.evidence(ms, g.span)
                if role == "leader" and member.startswith(ID + "person/"):
                    self.add(member, ORG + "headOf", group)

    def _member(self, name: str, default_person: bool) -> str:
        """A group's leaders are usually officials and its members usually bureaus; a name
        the document knows as a person or an organization is taken as that."""
        if name in self._people:
            return self.person(name)
        if name in self._org_by_name or not default_person:
            return self.org(name)
        return self.person(name)

    def indicators(self, measures: dict[str, str]) -> None:
        for i, ind in enumerate(self.doc.indicators, 1):
            iri = data_iri("indicator", self.doc_id, str(i))
            self.add(iri, RDF_TYPE, PKG + "Indicator")
            self.literal(iri, PKG + "subject", ind.subject)
            self.literal(iri, PKG + "operator", ind.op)
            self.add(iri, PKG + "value", _decimal(ind.value))
            if ind.value_max is not None:
                self.add(iri, PKG + "valueMax", _decimal(ind.value_max))
            self.literal(iri, PKG + "unit", ind.unit)
            if ind.year is not None:
                self.add(iri, PKG + "targetYear", _year(ind.year))
            self.add(iri, PKG + "inDocument", self.doc_node)
            if ind.measure is not None and ind.measure in measures:
                self.add(iri, PKG + "measure", measures[ind.measure])
            self.evidence(iri, ind.span, ind.rule)

    def schools(self, measures: dict[str, str]) -> None:
        for i, s in enumerate(self.doc.schools, 1):
            iri = data_iri("school", self.doc_id, str(i))
            self.add(iri, RDF_TYPE, PKG + "SchoolConstructionProject")
            self.literal(iri, RDFS + "label", s.name)
            self.literal(iri, PKG + "action", s.action)
            self.add(iri, PKG + "inDocument", self.doc_node)
            if s.measure is not None and s.measure in measures:
                self.add(iri, PKG + "measure", measures[s.measure])
            self.evidence(iri, s.span, s.rule)

    def organizations(self) -> None:
        """Last, so the organizations the other parts named on the way are described too."""
        for o in self.orgs.values():
            iri = org_iri(o.id)
            kind = o.type if o.type in ORG_TYPES else "other"
            self.add(iri, RDF_TYPE, ORG + "Organization")
            self.add(iri, RDF_TYPE, ORG + ORG_CLASS.get(kind, "FormalOrganization"))
            self.add(iri, ORG + "classification", PKG + kind)
            self.literal(iri, SKOS + "prefLabel", o.name, "zh")
            for alias in o.aliases:
                if alias != o.name:
                    self.literal(iri, SKOS + "altLabel", alias, "zh")
            self.add(iri, PKG + "jurisdiction", self.place(o.jurisdiction))

    def build(self) -> list[ox.Quad]:
        self.document()
        measures = self.measures()
        self.people()
        self.groups()
        self.indicators(measures)
        self.schools(measures)
        self.organizations()
        return sorted(self.quads, key=str)


def document_quads(doc: Document) -> list[ox.Quad]:
    """Every quad of the document's named graph, sorted (deterministic)."""
    return GraphBuilder(doc).build()


def to_nquads(quads: Iterable[ox.Quad]) -> bytes:
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""

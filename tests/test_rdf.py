"""Document -> RDF: the ontology itself, deterministic IRIs, provenance, every term declared.

`make_doc()` builds a Document by hand with measures, people, groups, indicators and school
projects filled, so these tests do not wait on the extractors; the seed tests check the real
pipeline's output on top.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS

from kg import resolve
from kg.model import (
    Document,
    Group,
    Indicator,
    Measure,
    Meta,
    Organization,
    Person,
    PostHolding,
    SchoolProject,
    Span,
    UnitRef,
)
from kg.ontology import (
    ID,
    ONTOLOGY_GRAPH,
    PKG,
    POLICY_TTL,
    TOPICS_TOML,
    TOPICS_TTL,
    ontology_quads,
    topics_turtle,
)
from kg.rdf import document_quads, graph_iri, measure_iri, org_iri, person_iri, to_nquads
from kg.read import read_file
from tests.conftest import ROOT, SEEDS, seed_doc

ORG = "http://www.w3.org/ns/org#"
OA = "http://www.w3.org/ns/oa#"
DCT = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
FOAF = "http://xmlns.com/foaf/0.1/"
RDF_TYPE = str(RDF.type)

HOSTILE = [
    'quote " and \'single\' and """triple"""',
    "back\\slash \\n \\u0022 \\U0001F600 (escapes that are not escapes)",
    "line1\nline2\r\nline3\ttab",
    '<script>alert("x")</script> &amp; </data> ]]>',
    '} ; DROP ALL ; INSERT DATA { <http://evil> <http://p> "o" } # ?x $y',
    "@prefix x: <http://y> . _:b a <z> .",
    "\u202eRTL override\u200b zero\u200dwidth\ufeff bom \u061c",
    "emoji 😀, astral 𠀀, 中文（全角）",
]


def _span(source: str, needle: str, after: int = 0) -> Span:
    start = source.index(needle, after)
    return Span(start, start + len(needle), needle)


def make_doc(doc_id: str = "hand", jurisdiction: str | None = "重庆市黔江区", *, title: str = "教育工作方案",
             measure_title: str = "推动学前教育普及普惠", extra_measure: bool = True,
             hostile: str | None = None) -> Document:
    """A small plan with every kind of fact. `hostile` goes into titles, names and quotes."""
    h = hostile or ""
    source = (
        f"{title}{h}\n"
        "一、组织领导\n成立教育工作领导小组，张三任组长，李四任副组长，区教委、区财政局为成员。"
        "领导小组办公室设在区教委。\n"
        f"二、主要任务\n1.{measure_title}{h}。新建城南中心幼儿园，学前三年毛入园率达到93%以上。"
        "（牵头单位：区教委；配合单位：区财政局）\n"
        "2.加强教师队伍建设。（责任单位：区教委）\n"
    )
    org_names = {
        "区教委": Organization(f"{jurisdiction}/区教育委员会" if jurisdiction else "区教育委员会",
                            "黔江区教育委员会", "government_department", jurisdiction, ["区教委"]),
        "区财政局": Organization(f"{jurisdiction}/区财政局" if jurisdiction else "区财政局",
                             "黔江区财政局" + h, "government_department", jurisdiction, []),
    }
    group_org = Organization(f"{jurisdiction}/教育工作领导小组", "教育工作领导小组", "leading_group",
                             jurisdiction, [])
    m1_text_start = source.index("1.")
    m1_end = source.index("\n", m1_text_start)
    measures = [
        Measure(
            key="1", title=measure_title + h, text=source[m1_text_start:m1_end],
            span=Span(m1_text_start, m1_end, source[m1_text_start:m1_end]),
            section_path="二.1", deadline="2025年底前", deadline_year=2025, school_construction=True,
            topics=["preschool", "school-construction"],
            units=[
                UnitRef("区教委", "黔江区教育委员会", "lead", org_names["区教委"].id, ["区教委"],
                        _span(source, "区教委", source.index("牵头单位"))),
                UnitRef("区财政局", "黔江区财政局", "support", org_names["区财政局"].id, [],
                        _span(source, "区财政局", source.index("配合单位"))),
            ],
        ),
    ]
    if extra_measure:
        m2 = source.index("2.加强")
        m2_end = source.index("\n", m2)
        measures.append(Measure(
            key="2", title="加强教师队伍建设", text=source[m2:m2_end],
            span=Span(m2, m2_end, source[m2:m2_end]),
            topics=["teachers"],
            units=[UnitRef("区教委", "黔江区教育委员会", "responsible", org_names["区教委"].id, ["区教委"],
                           _span(source, "区教委", m2))],
        ))
    group_span = _span(source, "成立教育工作领导小组")
    doc = Document(
        doc=f"{doc_id}.txt", path=f"/nowhere/{doc_id}.txt", source=source, text=source,
        starts=list(range(len(source))), ends=list(range(1, len(source) + 1)),
        meta=Meta(title=title + h, doc_number="黔江教发〔2023〕1号", issuer=["区教委"],
                  date_written="2023-01-29", date_published="2023-02", jurisdiction=jurisdiction),
        measures=measures,
        organizations=[*org_names.values(), group_org],
        people=[
            Person("张三" + h, [PostHolding("区委常委、宣传部部长" + h, org=None,
                                            span=_span(source, "张三"))], _span(source, "张三")),
            Person("李四", [PostHolding("区政府副区长", org=org_names["区教委"].id,
                                        span=_span(source, "李四"))], _span(source, "李四")),
        ],
        groups=[Group("教育工作领导小组", "leading_group", leaders=["张三" + h], deputies=["李四"],
                      members=["区教委", "区财政局"], lead_unit="区教委", office_in="区教委",
                      duties=["统筹全区教育工作" + h], org=group_org.id, span=group_span)],
        indicators=[Indicator("学前三年毛入园率" + h, ">=", 93.0, "%", _span(source, "93%以上"), year=2025,
                              measure="1"),
                    Indicator("新增学位", "~", 2400, "个" + h, _span(source, "城南"), value_max=2600.5)],
        schools=[SchoolProject("城南中心幼儿园" + h, "新建", "1", _span(source, "城南中心幼儿园"))],
    )
    return doc


def _triples(quads: list[ox.Quad]) -> set[tuple[str, str, str]]:
    return {(q.subject.value, q.predicate.value, q.object.value) for q in quads}


def _objects(quads: list[ox.Quad], s: str, p: str) -> list[str]:
    return sorted(q.object.value for q in quads if q.subject.value == s and q.predicate.value == p)


# -- the ontology -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(POLICY_TTL, format="turtle")
    g.parse(TOPICS_TTL, format="turtle")
    return g


def test_ontology_parses_in_both_libraries_and_has_its_own_namespace(ontology: rdflib.Graph) -> None:
    assert len(ontology) > 500
    assert len(ontology_quads()) == len(ontology)
    assert all(q.graph_name == ox.NamedNode(ONTOLOGY_GRAPH) for q in ontology_quads())
    assert (rdflib.URIRef(PKG[:-1]), RDF.type, OWL.Ontology) in ontology
    assert PKG == "https://w3id.org/policy-kg/ontology#"


def test_every_class_and_property_has_zh_and_en_labels(ontology: rdflib.Graph) -> None:
    kinds = [OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property]
    terms = {s for k in kinds for s in ontology.subjects(RDF.type, k)}
    assert len(terms) > 60
    missing = []
    for term in terms:
        langs = {lab.language for lab in ontology.objects(term, RDFS.label)}
        if not {"zh", "en"} <= langs:
            missing.append(str(term))
    assert missing == []


def test_roles_and_organization_types_are_labelled_individuals(ontology: rdflib.Graph) -> None:
    roles = {"LeadRole": "lead", "SupportRole": "support", "ResponsibleRole": "responsible",
             "GroupLeader": "leader", "DeputyLeader": "deputy", "GroupMember": "member"}
    for name, code in roles.items():
        term = rdflib.URIRef(PKG + name)
        assert (term, RDF.type, OWL.NamedIndividual) in ontology
        assert str(ontology.value(term, rdflib.URIRef(PKG + "roleName"))) == code
        assert {lab.language for lab in ontology.objects(term, RDFS.label)} == {"zh", "en"}
    for name in ("GroupLeader", "DeputyLeader", "GroupMember"):
        assert (rdflib.URIRef(PKG + name), RDF.type, rdflib.URIRef(ORG + "Role")) in ontology
    for kind in ("party_department", "government_department", "leading_group", "working_group",
                 "mass_organization", "school", "township", "other"):
        term = rdflib.URIRef(PKG + kind)
        assert (term, RDF.type, rdflib.URIRef(PKG + "OrganizationType")) in ontology
        assert {lab.language for lab in ontology.objects(term, RDFS.label)} == {"zh", "en"}


def test_committed_topics_ttl_is_the_generated_one() -> None:
    assert TOPICS_TTL.read_text(encoding="utf-8") == topics_turtle(), \
        "ontology/topics.ttl is stale: run `python -m kg.ontology`"


def test_topics_generator_escapes_labels_and_every_topic_becomes_a_concept() -> None:
    toml = ('[scheme]\nid = "t"\nlabel_zh = "主题"\nlabel_en = "Topics"\n'
            '[[topic]]\nid = "a b/c"\nlabel_zh = "引号\\"和\\\\反斜杠"\nlabel_en = "x"\n'
            'keywords = ["k\\n1"]\n')
    g = rdflib.Graph().parse(data=topics_turtle(toml), format="turtle")
    concept = rdflib.URIRef(ID + "topic/a%20b%2Fc")
    assert (concept, RDF.type, rdflib.URIRef(SKOS + "Concept")) in g
    labels = set(g.objects(concept, rdflib.URIRef(SKOS + "prefLabel")))
    assert rdflib.Literal('引号"和\\反斜杠', lang="zh") in labels
    assert rdflib.Literal("k\n1", lang="zh") in set(g.objects(concept, rdflib.URIRef(SKOS + "hiddenLabel")))
    real = rdflib.Graph().parse(TOPICS_TTL, format="turtle")
    import tomllib

    ids = [t["id"] for t in tomllib.loads(TOPICS_TOML.read_text(encoding="utf-8"))["topic"]]
    concepts = set(real.subjects(RDF.type, rdflib.URIRef(SKOS + "Concept")))
    assert concepts == {rdflib.URIRef(ID + "topic/" + i) for i in ids}


def _declared(ontology: rdflib.Graph) -> set[str]:
    return {str(s) for s, _, _ in ontology.triples((None, RDF.type, None))}


def _used_terms(quads: list[ox.Quad]) -> set[str]:
    """Predicates, classes, and the ontology individuals (roles, types, topics) data points at."""
    used = set()
    for q in quads:
        used.add(q.predicate.value)
        o = q.object
        if isinstance(o, ox.NamedNode) and (q.predicate.value == RDF_TYPE or o.value.startswith(PKG)
                                            or o.value.startswith(ID + "topic/")):
            used.add(o.value)
    return used


def test_every_term_the_data_uses_is_declared_in_the_ontology(ontology: rdflib.Graph, seed_docs) -> None:
    declared = _declared(ontology) | {RDF_TYPE}
    quads = document_quads(make_doc()) + [q for d in seed_docs.values() for q in document_quads(d)]
    undeclared = sorted(_used_terms(quads) - declared)
    assert undeclared == []


# -- the graph of one document ------------------------------------------------------------

def test_hand_document_becomes_the_documented_shape() -> None:
    doc = make_doc()
    quads = document_quads(doc)
    assert {q.graph_name for q in quads} == {ox.NamedNode(ID + "graph/doc/hand")}
    d = ID + "doc/hand"
    m1 = measure_iri("hand", "1")
    edu = org_iri("重庆市黔江区/区教育委员会")
    fin = org_iri("重庆市黔江区/区财政局")
    group = org_iri("重庆市黔江区/教育工作领导小组")
    assert edu == (ID + "org/%E9%87%8D%E5%BA%86%E5%B8%82%E9%BB%94%E6%B1%9F%E5%8C%BA%2F"
                   "%E5%8C%BA%E6%95%99%E8%82%B2%E5%A7%94%E5%91%98%E4%BC%9A")
    t = _triples(quads)
    assert (d, RDF_TYPE, PKG + "PolicyDocument") in t
    assert (d, DCT + "publisher", edu) in t
    assert _objects(quads, d, DCT + "created") == ["2023-01-29"]
    assert _objects(quads, d, DCT + "issued") == ["2023-02"]  # only the month is known: gYearMonth
    assert _objects(quads, m1, PKG + "inDocument") == [d]
    assert _objects(quads, m1, PKG + "leadUnit") == [edu]
    assert _objects(quads, m1, PKG + "supportUnit") == [fin]
    assert _objects(quads, m1, PKG + "deadlineYear") == ["2025"]
    assert _objects(quads, m1, DCT + "subject") == [ID + "topic/preschool", ID + "topic/school-construction"]
    resp = _objects(quads, m1, PKG + "hasResponsibility")
    assert resp == [ID + "resp/hand/1/1", ID + "resp/hand/1/2"]
    assert _objects(quads, resp[0], PKG + "role") == [PKG + "LeadRole"]
    assert _objects(quads, resp[0], PKG + "unit") == [edu]
    assert _objects(quads, resp[0], PKG + "mention") == ["区教委"]
    # group: classification, lead unit, office, four memberships with roles, a head
    assert (group, RDF_TYPE, ORG + "OrganizationalCollaboration") in t
    assert _objects(quads, group, ORG + "classification") == [PKG + "leading_group"]
    assert _objects(quads, group, PKG + "officeIn") == [edu]
    memberships = sorted(q.subject.value for q in quads if q.object.value == ORG + "Membership")
    assert len(memberships) == 4
    roles = sorted(_objects(quads, m, ORG + "role")[0].rsplit("#", 1)[1] for m in memberships)
    assert roles == ["DeputyLeader", "GroupLeader", "GroupMember", "GroupMember"]
    zhang = person_iri("重庆市黔江区", "张三")
    assert _objects(quads, zhang, ORG + "headOf") == [group]
    member_objs = {_objects(quads, m, ORG + "member")[0] for m in memberships}
    assert member_objs == {zhang, person_iri("重庆市黔江区", "李四"), edu, fin}
    # the indicator: decimal value, string unit, target year, measure
    ind = ID + "indicator/hand/1"
    value = next(q.object for q in quads if q.subject.value == ind and q.predicate.value == PKG + "value")
    assert (value.value, value.datatype.value) == ("93", "http://www.w3.org/2001/XMLSchema#decimal")
    assert _objects(quads, ind, PKG + "unit") == ["%"]
    assert _objects(quads, ind, PKG + "measure") == [m1]
    assert _objects(quads, ID + "indicator/hand/2", PKG + "valueMax") == ["2600.5"]
    school = ID + "school/hand/1"
    assert _objects(quads, school, PKG + "action") == ["新建"]
    assert _objects(quads, school, PKG + "measure") == [m1]


def test_every_selector_quotes_the_source_at_its_offsets() -> None:
    doc = make_doc(hostile=HOSTILE[2])
    quads = document_quads(doc)
    selectors = {q.subject.value for q in quads if q.object.value == OA + "TextPositionSelector"}
    assert len(selectors) >= 8
    for sel in selectors:
        start = int(_objects(quads, sel, OA + "start")[0])
        end = int(_objects(quads, sel, OA + "end")[0])
        assert _objects(quads, sel, OA + "exact") == [doc.source[start:end]]
    facts = {q.subject.value for q in quads if q.predicate.value == PKG + "evidence"}
    kinds = {f.split("/id/")[1].split("/")[0] for f in facts}
    assert kinds == {"measure", "resp", "post", "membership", "indicator", "school", "org"}


def test_seed_provenance_quotes_the_original_file() -> None:
    """For the seeds (traditional characters, 區(qū) garbling): a selector's offsets cut its
    quote out of the file as read from disk."""
    checked = 0
    for path in sorted(SEEDS.glob("*.txt")):
        doc = seed_doc(path.name[:3])
        source = read_file(path).source
        quads = document_quads(doc)
        selectors = sorted({q.subject.value for q in quads if q.object.value == OA + "TextQuoteSelector"})
        for sel in selectors[:40]:
            start = int(_objects(quads, sel, OA + "start")[0])
            end = int(_objects(quads, sel, OA + "end")[0])
            assert _objects(quads, sel, OA + "exact") == [source[start:end]], sel
            checked += 1
    assert checked > 100


def test_same_input_gives_byte_identical_nquads_across_processes() -> None:
    """Set iteration order changes with the hash seed; the output must not."""
    script = ("import hashlib, sys; from tests.conftest import seed_doc; from tests.test_rdf import make_doc;"
              "from kg.rdf import document_quads, to_nquads;"
              "docs = (seed_doc('000'), seed_doc('003'), make_doc());"
              "data = b''.join(to_nquads(document_quads(d)) for d in docs);"
              "print(hashlib.sha256(data).hexdigest(), len(data))")
    outs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        res = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True,
                             text=True, timeout=120, check=True)
        outs.add(res.stdout.strip())
    here = b"".join(to_nquads(document_quads(d)) for d in (seed_doc("000"), seed_doc("003"), make_doc()))
    assert outs == {f"{hashlib.sha256(here).hexdigest()} {len(here)}"}


def test_organizations_are_scoped_by_jurisdiction_and_shared_within_one() -> None:
    a = resolve.organization("区教委", "重庆市黔江区")
    b = resolve.organization("区教委", "重庆市长寿区")
    assert org_iri(a.id) != org_iri(b.id)
    qj = document_quads(make_doc("a", "重庆市黔江区"))
    qc = document_quads(make_doc("b", "重庆市长寿区"))
    qj2 = document_quads(make_doc("c", "重庆市黔江区"))
    orgs = [{q.subject.value for q in qs if q.object.value == ORG + "Organization"} for qs in (qj, qc, qj2)]
    assert orgs[0] == orgs[2]  # the same bodies in two plans of one district: one IRI each
    assert not orgs[0] & orgs[1]
    assert person_iri("重庆市黔江区", "张三") != person_iri("重庆市长寿区", "张三")


def test_any_name_gives_a_valid_iri_and_literals_survive(tmp_path: Path) -> None:
    for hostile in HOSTILE:
        doc = make_doc("x y/z?#<>\"{}|\\^`%", "某地 /?#", hostile=hostile)
        quads = document_quads(doc)
        data = to_nquads(quads)
        back = list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
        assert back == quads
        g = rdflib.Dataset()
        g.parse(data=data.decode("utf-8"), format="nquads")
        assert sum(1 for _ in g.quads((None, None, None, None))) == len(quads)
        titles = [q.object.value for q in quads if q.predicate.value == DCT + "title"]
        assert "推动学前教育普及普惠" + hostile in titles
        assert graph_iri(doc.doc_id) == ID + "graph/doc/x%20y%2Fz%3F%23%3C%3E%22%7B%7D%7C%5C%5E%60%25"


def test_repeated_measure_keys_do_not_merge() -> None:
    doc = make_doc()
    doc.measures.append(Measure(key="1", title="另一个任务", text="另一个任务",
                                span=Span(0, 2, doc.source[:2])))
    quads = document_quads(doc)
    measures = sorted(q.subject.value for q in quads if q.object.value == PKG + "Measure")
    assert measures == [measure_iri("hand", "1"), measure_iri("hand", "1~2"), measure_iri("hand", "2")]
    assert all(len(_objects(quads, m, DCT + "title")) == 1 for m in measures)


def test_seed_graph_sizes_follow_the_records(seed_docs) -> None:
    """A seed's graph holds its document, every measure, indicator and school project."""
    for doc in seed_docs.values():
        quads = document_quads(doc)
        types = [q.object.value for q in quads if q.predicate.value == RDF_TYPE]
        assert types.count(PKG + "PolicyDocument") == 1
        assert types.count(PKG + "Measure") == len(doc.measures)
        assert types.count(PKG + "Indicator") == len(doc.indicators)
        assert types.count(PKG + "SchoolConstructionProject") == len(doc.schools)
        assert types.count(PKG + "Responsibility") == sum(len(m.units) for m in doc.measures)
        assert types.count(FOAF + "Person") >= len({p.name for p in doc.people})
        assert len(quads) == len(set(quads))
    assert len(document_quads(seed_docs["000"])) > 1000

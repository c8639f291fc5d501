"""The store as networkx graphs, and who works with whom.

    from kg.store import open_store
    from kg import analytics
    with open_store("kg-store", read_only=True) as store:
        graph = analytics.project(store)          # every unit, group, person, measure, target
    units = analytics.co_responsibility(graph)    # units linked by the measures they share
    report = analytics.summary(graph)             # centrality, components, communities

`project()` reads the embedded store with SPARQL over the union of the document graphs and
gives nodes the attributes `kg.viz.view_graph` draws (label, kind, org_type, title, quote,
document, aliases, deadline, year) and edges a `role` (lead|support|responsible, or "" for
other relations) and a Chinese `label`. Node ids are the IRIs, so two documents naming the
same bureau meet in one node.

Scores use networkx's own algorithms: degree and betweenness centrality, connected components
and Louvain communities with a fixed seed, so the same store always gives the same report.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from itertools import combinations
from pathlib import Path
from typing import Any

import networkx as nx

from kg.query import LIST_SEPARATOR, oxigraph_store

SEED = 42  # Louvain is randomised; one seed keeps reports and tests reproducible
PKG = "https://w3id.org/policy-kg/ontology#"
GROUP_TYPES = ("leading_group", "working_group", "task_force")
UNIT_KINDS = ("organization", "group")
ROLE_LABELS = {"lead": "牵头", "support": "配合", "responsible": "负责"}
GROUP_ROLE_LABELS = {"GroupLeader": "组长", "DeputyLeader": "副组长", "GroupMember": "成员"}

_PREFIXES = """
PREFIX pkg: <https://w3id.org/policy-kg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""

# One SELECT per kind of node or edge. Several values of a single-valued attribute (a slip
# upstream) must not multiply nodes, hence MIN/GROUP_CONCAT; lists are split and sorted here.
_ORGS = _PREFIXES + """
SELECT ?o (MIN(STR(?l)) AS ?label) (MIN(STRAFTER(STR(?c), "#")) AS ?org_type)
       (MIN(STR(?j)) AS ?jurisdiction) (MAX(?collab) AS ?collaboration)
       (GROUP_CONCAT(DISTINCT STR(?alt); SEPARATOR="\\u001F") AS ?aliases)
WHERE {
  # one document's graph at a time: an organization named in many documents is described in
  # each of their graphs, and across graphs the copies would multiply each other
  GRAPH ?g {
    ?o a org:Organization .
    OPTIONAL { ?o skos:prefLabel ?l . }
    OPTIONAL { ?o org:classification ?c . }
    OPTIONAL { ?o pkg:jurisdiction ?place . ?place rdfs:label ?j . }
    OPTIONAL { ?o skos:altLabel ?alt . }
    BIND(EXISTS { ?o a org:OrganizationalCollaboration } AS ?collab)
  }
}
GROUP BY ?o
"""
_PEOPLE = _PREFIXES + """
SELECT ?p (MIN(STR(?n)) AS ?label) WHERE { GRAPH ?g { ?p a foaf:Person . OPTIONAL { ?p foaf:name ?n . } } }
GROUP BY ?p
"""
_DOCUMENTS = _PREFIXES + """
SELECT ?d (MIN(STR(?t)) AS ?title) (MIN(STR(?j)) AS ?jurisdiction) WHERE {
  GRAPH ?g {
    ?d a pkg:PolicyDocument .
    OPTIONAL { ?d dcterms:title ?t . }
    OPTIONAL { ?d dcterms:spatial ?place . ?place rdfs:label ?j . }
  }
}
GROUP BY ?d
"""
_MEASURES = _PREFIXES + """
SELECT ?m (MIN(STR(?k)) AS ?key) (MIN(STR(?t)) AS ?title) (MIN(STR(?x)) AS ?text)
       (MIN(STR(?dl)) AS ?deadline) (MIN(STR(?dy)) AS ?year) (MAX(STR(?sc)) AS ?school)
       (MIN(STR(?d)) AS ?doc) (MIN(STR(?q)) AS ?quote)
WHERE {
  ?m a pkg:Measure .
  OPTIONAL { ?m pkg:key ?k . }
  OPTIONAL { ?m dcterms:title ?t . }
  OPTIONAL { ?m pkg:text ?x . }
  OPTIONAL { ?m pkg:deadline ?dl . }
  OPTIONAL { ?m pkg:deadlineYear ?dy . }
  OPTIONAL { ?m pkg:schoolConstruction ?sc . }
  OPTIONAL { ?m pkg:inDocument ?d . }
  OPTIONAL { ?m pkg:evidence/oa:hasSelector/oa:exact ?q . }
}
GROUP BY ?m
"""
_INDICATORS = _PREFIXES + """
SELECT ?i (MIN(STR(?s)) AS ?subject) (MIN(STR(?op)) AS ?op) (MIN(STR(?v)) AS ?value)
       (MIN(STR(?vm)) AS ?value_max) (MIN(STR(?u)) AS ?unit) (MIN(STR(?y)) AS ?year)
       (MIN(STR(?d)) AS ?doc) (MIN(STR(?m)) AS ?measure) (MIN(STR(?q)) AS ?quote)
WHERE {
  ?i a pkg:Indicator .
  OPTIONAL { ?i pkg:subject ?s . }
  OPTIONAL { ?i pkg:operator ?op . }
  OPTIONAL { ?i pkg:value ?v . }
  OPTIONAL { ?i pkg:valueMax ?vm . }
  OPTIONAL { ?i pkg:unit ?u . }
  OPTIONAL { ?i pkg:targetYear ?y . }
  OPTIONAL { ?i pkg:inDocument ?d . }
  OPTIONAL { ?i pkg:measure ?m . }
  OPTIONAL { ?i pkg:evidence/oa:hasSelector/oa:exact ?q . }
}
GROUP BY ?i
"""
# (source, target, kind of relation, extra) for every edge the projection draws.
_EDGES = _PREFIXES + """
SELECT DISTINCT ?s ?o ?rel ?extra WHERE {
  {
    VALUES (?p ?rel) { (pkg:leadUnit "lead") (pkg:supportUnit "support") (pkg:responsibleUnit "responsible") }
    ?s a pkg:Measure ; ?p ?o .
  } UNION {
    ?s a pkg:Measure ; pkg:inDocument ?o . BIND("inDocument" AS ?rel)
  } UNION {
    ?s a pkg:Indicator ; pkg:measure ?o . BIND("indicatorOf" AS ?rel)
  } UNION {
    ?s a pkg:Indicator ; pkg:inDocument ?o .
    FILTER NOT EXISTS { ?s pkg:measure ?anyMeasure }
    BIND("inDocument" AS ?rel)
  } UNION {
    ?ms org:member ?s ; org:organization ?o ; org:role ?r .
    BIND("membership" AS ?rel) BIND(STRAFTER(STR(?r), "#") AS ?extra)
  } UNION {
    ?s org:headOf ?o . BIND("membership" AS ?rel) BIND("GroupLeader" AS ?extra)
  } UNION {
    ?s org:subOrganizationOf ?o . BIND("parent" AS ?rel)
  } UNION {
    ?s a org:Organization ; pkg:leadUnit ?o . BIND("groupLead" AS ?rel)
  } UNION {
    ?s pkg:officeIn ?o . BIND("office" AS ?rel)
  } UNION {
    ?s org:holds ?post . ?post org:postIn ?o .
    OPTIONAL { ?post rdfs:label ?pl . }
    BIND("post" AS ?rel) BIND(STR(?pl) AS ?extra)
  } UNION {
    ?s a pkg:PolicyDocument ; dcterms:publisher ?o . BIND("publisher" AS ?rel)
  }
}
"""
_EDGE_STYLE: dict[str, tuple[str, str]] = {  # rel -> (role, label)
    "lead": ("lead", ROLE_LABELS["lead"]),
    "support": ("support", ROLE_LABELS["support"]),
    "responsible": ("responsible", ROLE_LABELS["responsible"]),
    "inDocument": ("", "出自"),
    "indicatorOf": ("", "目标"),
    "parent": ("", "上级"),
    "groupLead": ("lead", "牵头单位"),
    "office": ("", "办公室设在"),
    "publisher": ("", "发文单位"),
}


def _select(store: Any, text: str) -> list[dict[str, str | None]]:
    result = oxigraph_store(store).query(text, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    return [{n: (s[n].value if s[n] is not None else None) for n in names} for s in result]


def _doc_id(iri: str | None) -> str:
    return iri.split("/id/doc/", 1)[1] if iri and "/id/doc/" in iri else ""


def _year(value: str | None) -> str:
    return value[:4] if value else ""


def _number(value: str | None) -> str:
    if not value:
        return ""
    return value[:-2] if value.endswith(".0") else value


def project(store: Any) -> nx.MultiDiGraph:
    """The whole store as one directed multigraph with kg.viz's node and edge attributes."""
    g = nx.MultiDiGraph()
    for r in sorted(_select(store, _DOCUMENTS), key=lambda r: r["d"] or ""):
        doc_id = _doc_id(r["d"])
        g.add_node(r["d"], label=r["title"] or doc_id, kind="document", title=r["title"] or "",
                   document=doc_id, jurisdiction=r["jurisdiction"] or "", org_type="", quote="", aliases=[])
    for r in sorted(_select(store, _ORGS), key=lambda r: r["o"] or ""):
        org_type = r["org_type"] or ""
        is_group = org_type in GROUP_TYPES or r["collaboration"] == "true"
        aliases = sorted({a for a in (r["aliases"] or "").split(LIST_SEPARATOR) if a and a != r["label"]})
        g.add_node(r["o"], label=r["label"] or r["o"], kind="group" if is_group else "organization",
                   org_type=org_type or ("leading_group" if is_group else "other"), title="", quote="",
                   document="", aliases=aliases, jurisdiction=r["jurisdiction"] or "")
    for r in sorted(_select(store, _PEOPLE), key=lambda r: r["p"] or ""):
        g.add_node(r["p"], label=r["label"] or r["p"], kind="person", org_type="", title="", quote="",
                   document="", aliases=[])
    for r in sorted(_select(store, _MEASURES), key=lambda r: r["m"] or ""):
        title = r["title"] or r["key"] or ""
        g.add_node(r["m"], label=title, kind="measure", org_type="", title=title, key=r["key"] or "",
                   quote=r["quote"] or r["text"] or "", document=_doc_id(r["doc"]),
                   deadline=r["deadline"] or "", year=_year(r["year"]),
                   school_construction=r["school"] == "true", aliases=[])
    for r in sorted(_select(store, _INDICATORS), key=lambda r: r["i"] or ""):
        value = _number(r["value"]) + (f"~{_number(r['value_max'])}" if r["value_max"] else "")
        label = " ".join(x for x in (r["subject"] or "", r["op"] or "", value + (r["unit"] or "")) if x)
        g.add_node(r["i"], label=label, kind="indicator", org_type="", title=r["subject"] or "",
                   quote=r["quote"] or "", document=_doc_id(r["doc"]), year=_year(r["year"]), aliases=[])
    edges = sorted(_select(store, _EDGES), key=lambda r: (r["s"] or "", r["o"] or "", r["rel"] or "",
                                                          r["extra"] or ""))
    for r in edges:
        s, o, rel = r["s"], r["o"], r["rel"] or ""
        if s is None or o is None or s not in g or o not in g:
            continue  # an edge to something the store does not describe (no type): nothing to draw
        if rel == "membership":
            role_name = r["extra"] or ""
            g.add_edge(s, o, key=f"membership:{role_name}", role="",
                       label=GROUP_ROLE_LABELS.get(role_name, "成员"), rel=rel)
        elif rel == "post":
            g.add_edge(s, o, key=f"post:{r['extra'] or ''}", role="", label=r["extra"] or "任职", rel=rel)
        else:
            role, label = _EDGE_STYLE.get(rel, ("", rel))
            g.add_edge(s, o, key=rel, role=role, label=label, rel=rel)
    return g


# --- projections -------------------------------------------------------------------------------

def _units_of_measures(graph: nx.MultiDiGraph) -> dict[Hashable, dict[Hashable, set[str]]]:
    """measure -> unit -> roles it has on that measure."""
    out: dict[Hashable, dict[Hashable, set[str]]] = defaultdict(lambda: defaultdict(set))
    for m, u, data in graph.edges(data=True):
        role = data.get("rel", data.get("role"))  # a hand-made graph may only set role
        if role in ROLE_LABELS and graph.nodes[m].get("kind") == "measure":
            out[m][u].add(role)
    return out


def co_responsibility(graph: nx.MultiDiGraph) -> nx.Graph:
    """Units (bureaus and groups) linked when they are named on the same measures.

    Edge `weight` = measures shared, `school_construction` = how many of those are school
    construction. Node attributes: label, kind, org_type, jurisdiction, measures, lead,
    support, responsible (measures per role)."""
    g = nx.Graph()
    per_measure = _units_of_measures(graph)
    counts: dict[Hashable, Counter[str]] = defaultdict(Counter)
    for m in sorted(per_measure, key=str):
        units = per_measure[m]
        for u, roles in units.items():
            counts[u]["measures"] += 1
            for role in roles:
                counts[u][role] += 1
        school = bool(graph.nodes[m].get("school_construction"))
        for a, b in combinations(sorted(units, key=str), 2):
            if g.has_edge(a, b):
                g[a][b]["weight"] += 1
                g[a][b]["school_construction"] += int(school)
            else:
                g.add_edge(a, b, weight=1, school_construction=int(school))
    for u in sorted(counts, key=str):
        data = graph.nodes[u]
        g.add_node(u, label=data.get("label", str(u)), kind=data.get("kind", "organization"),
                   org_type=data.get("org_type", ""), jurisdiction=data.get("jurisdiction", ""),
                   measures=counts[u]["measures"], lead=counts[u]["lead"], support=counts[u]["support"],
                   responsible=counts[u]["responsible"])
    return g


def people_network(graph: nx.MultiDiGraph) -> nx.Graph:
    """People, groups and units, linked by membership and leadership, posts, a group's lead
    unit, office and parent group: who sits with whom. Edge `label` says how (the first
    relation), `weight` how many relations join the pair."""
    g = nx.Graph()
    keep = {"membership", "post", "parent", "groupLead", "office"}
    ordered = sorted(graph.edges(data=True), key=lambda e: (str(e[0]), str(e[1]), e[2].get("rel", "")))
    for s, o, data in ordered:
        if data.get("rel") not in keep:
            continue
        for n in (s, o):
            if n not in g:
                nd = graph.nodes[n]
                g.add_node(n, label=nd.get("label", str(n)), kind=nd.get("kind", ""),
                           org_type=nd.get("org_type", ""), jurisdiction=nd.get("jurisdiction", ""))
        if g.has_edge(s, o):  # member and office of the same group: two ties, a closer pair
            g[s][o]["weight"] += 1
        else:
            g.add_edge(s, o, label=data.get("label", ""), weight=1)
    return g


# --- scores ------------------------------------------------------------------------------------

def _distance(g: nx.Graph) -> None:
    """Betweenness walks shortest paths: units sharing many measures are close, so the
    distance of an edge is 1/weight."""
    for _, _, data in g.edges(data=True):
        data["distance"] = 1.0 / max(float(data.get("weight", 1) or 1), 1e-9)


def centrality(g: nx.Graph) -> dict[Hashable, dict[str, float]]:
    """Per node: degree (neighbours), strength (sum of edge weights), degree centrality and
    betweenness centrality (weighted by 1/weight, normalised)."""
    if g.number_of_nodes() == 0:
        return {}
    _distance(g)
    degree = nx.degree_centrality(g) if g.number_of_nodes() > 1 else {n: 0.0 for n in g}
    between = nx.betweenness_centrality(g, weight="distance", normalized=True)
    return {n: {"degree": g.degree(n), "strength": g.degree(n, weight="weight"),
                "degree_centrality": degree[n], "betweenness": between[n]} for n in g}


def _ordered(groups: Iterable[Iterable[Hashable]], g: nx.Graph) -> list[list[Hashable]]:
    """Largest first, then by the smallest member label: a stable numbering across runs."""
    def label(n: Hashable) -> str:
        return str(g.nodes[n].get("label", n))
    out = [sorted(c, key=lambda n: (label(n), str(n))) for c in groups]
    return sorted(out, key=lambda c: (-len(c), label(c[0]) if c else ""))


def components(g: nx.Graph) -> list[list[Hashable]]:
    return _ordered(nx.connected_components(g), g)


def communities(g: nx.Graph, seed: int = SEED) -> list[list[Hashable]]:
    """Louvain communities (networkx), weighted by shared measures, with a fixed seed."""
    if g.number_of_nodes() == 0:
        return []
    return _ordered(nx.community.louvain_communities(g, weight="weight", seed=seed), g)


def annotate(g: nx.Graph, seed: int = SEED) -> nx.Graph:
    """Write the scores onto the nodes (for GraphML or a notebook): degree, strength,
    degree_centrality, betweenness, component, community (0 = largest)."""
    for n, scores in centrality(g).items():
        g.nodes[n].update(scores)
    for i, comp in enumerate(components(g)):
        for n in comp:
            g.nodes[n]["component"] = i
    for i, comm in enumerate(communities(g, seed)):
        for n in comm:
            g.nodes[n]["community"] = i
    return g


def _node_row(g: nx.Graph, n: Hashable) -> dict[str, Any]:
    d = g.nodes[n]
    row = {"id": str(n), "label": d.get("label", str(n)), "kind": d.get("kind", ""),
           "jurisdiction": d.get("jurisdiction", "")}
    for key in ("measures", "lead", "support", "responsible", "degree", "strength", "degree_centrality",
                "betweenness", "component", "community"):
        if key in d:
            value = d[key]
            row[key] = round(value, 6) if isinstance(value, float) else value
    return row


def _network_report(g: nx.Graph, top: int, seed: int) -> dict[str, Any]:
    annotate(g, seed)
    comps = components(g)
    comms = communities(g, seed)
    by_strength = sorted(g, key=lambda n: (-g.nodes[n]["strength"], -g.nodes[n]["betweenness"],
                                          str(g.nodes[n].get("label", n)), str(n)))
    by_between = sorted(g, key=lambda n: (-g.nodes[n]["betweenness"], -g.nodes[n]["strength"],
                                         str(g.nodes[n].get("label", n)), str(n)))
    modularity = nx.community.modularity(g, comms, weight="weight") if g.number_of_edges() else 0.0
    return {
        "nodes": g.number_of_nodes(),
        "edges": g.number_of_edges(),
        "components": len(comps),
        "largest_component": len(comps[0]) if comps else 0,
        "communities": [{"id": i, "size": len(c),
                         "members": [g.nodes[n].get("label", str(n)) for n in c[:top]]}
                        for i, c in enumerate(comms[:top])],
        "modularity": round(modularity, 6),
        "top_by_strength": [_node_row(g, n) for n in by_strength[:top]],
        "top_by_betweenness": [_node_row(g, n) for n in by_between[:top]],
    }


def summary(source: Any, top: int = 10, seed: int = SEED) -> dict[str, Any]:
    """What `kg analyze` reports, from a store or an already projected graph: node counts by
    kind, the co-responsibility network of units and the person–group–unit network, each
    with size, components, communities and the most central nodes."""
    graph = source if isinstance(source, nx.Graph) else project(source)
    kinds = Counter(d.get("kind", "other") for _, d in graph.nodes(data=True))
    return {
        "graph": {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
                  "by_kind": dict(sorted(kinds.items()))},
        "co_responsibility": _network_report(co_responsibility(graph), top, seed),
        "people": _network_report(people_network(graph), top, seed),
    }


def scored_units(source: Any, seed: int = SEED) -> nx.Graph:
    """The co-responsibility network with every score as a node attribute (for GraphML)."""
    graph = source if isinstance(source, nx.Graph) else project(source)
    return annotate(co_responsibility(graph), seed)


SCORE_KEYS = ("degree", "strength", "degree_centrality", "betweenness", "component", "community")


def node_scores(source: Any, seed: int = SEED) -> dict[Hashable, dict[str, Any]]:
    """Every score by node id (the IRI), ready to merge into another projection's node
    attributes (`kg export --format graphml`): `co_*` from the co-responsibility network of
    units, `pg_*` from the person–group–unit network."""
    graph = source if isinstance(source, nx.Graph) else project(source)
    out: dict[Hashable, dict[str, Any]] = defaultdict(dict)
    for prefix, network in (("co_", co_responsibility(graph)), ("pg_", people_network(graph))):
        annotate(network, seed)
        for n, data in network.nodes(data=True):
            out[n].update({prefix + k: data[k] for k in SCORE_KEYS if k in data})
    return dict(out)


def write_graphml(g: nx.Graph, path: Path | str) -> None:
    """GraphML keeps only scalar attributes: lists are joined with "|", None values dropped,
    and characters XML cannot carry (control characters from a damaged file) replaced."""
    out = g.copy()
    for _, data in out.nodes(data=True):
        _scalar(data)
    for *_, data in out.edges(data=True):
        _scalar(data)
    mapping = {n: _xml_text(n) for n in out if isinstance(n, str) and _xml_text(n) != n}
    nx.write_graphml(nx.relabel_nodes(out, mapping) if mapping else out, str(path))


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _scalar(data: dict[str, Any]) -> None:
    for key in list(data):
        value = data[key]
        if value is None:
            del data[key]
        elif isinstance(value, list | tuple | set):
            data[key] = _xml_text("|".join(str(v) for v in value))
        elif isinstance(value, str):
            data[key] = _xml_text(value)


__all__ = ["annotate", "centrality", "co_responsibility", "communities", "components", "node_scores",
           "people_network", "project", "scored_units", "summary", "write_graphml"]

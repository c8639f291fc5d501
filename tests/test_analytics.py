"""kg.analytics: scores checked by hand on a small graph, the projection's contract with kg.viz,
agreement with the canned queries, GraphML, and `kg analyze`."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg import analytics, viz
from kg import query as canned
from kg.cli import main
from kg.store import open_store

MINI = Path(__file__).resolve().parent / "data" / "queries-mini.trig"
EDU = "https://w3id.org/policy-kg/id/org/jia-edu"


def two_clusters() -> nx.MultiDiGraph:
    """Units A, B, C share measures m1, m2; D, E, F share m3, m4; only m5 joins C and D.

    By hand: co-responsibility weights 2 inside each cluster and 1 on C-D; strength (sum of
    weights) C = D = 5, the others 4; every shortest path between the clusters runs C-D, so
    C and D each lie on 6 of the 15 pairs' paths: normalised betweenness 6 * 2/(5*4) = 0.6.
    Modularity of {A,B,C},{D,E,F}: m = 13, each side 6 inside and degree sum 13:
    2 * (6/13 - (13/26)^2) = 0.423077."""
    g = nx.MultiDiGraph()
    for unit in "ABCDEF":
        g.add_node(unit, label=unit, kind="organization", jurisdiction="X")
    shared = {"m1": "ABC", "m2": "ABC", "m3": "DEF", "m4": "DEF", "m5": "CD"}
    for m, units in shared.items():
        g.add_node(m, label=m, kind="measure", school_construction=m == "m5")
        for i, u in enumerate(units):
            g.add_edge(m, u, role="lead" if i == 0 else "support")
    return g


def test_co_responsibility_weights_and_roles() -> None:
    units = analytics.co_responsibility(two_clusters())
    assert sorted((a, b, d["weight"]) for a, b, d in units.edges(data=True)) == [
        ("A", "B", 2),
        ("A", "C", 2),
        ("B", "C", 2),
        ("C", "D", 1),
        ("D", "E", 2),
        ("D", "F", 2),
        ("E", "F", 2),
    ]
    assert units["C"]["D"]["school_construction"] == 1
    assert {n: (d["measures"], d["lead"], d["support"]) for n, d in units.nodes(data=True)} == {
        "A": (2, 2, 0),
        "B": (2, 0, 2),
        "C": (3, 1, 2),
        "D": (3, 2, 1),
        "E": (2, 0, 2),
        "F": (2, 0, 2),
    }


def test_scores_by_hand() -> None:
    units = analytics.co_responsibility(two_clusters())
    scores = analytics.centrality(units)
    assert {n: s["strength"] for n, s in scores.items()} == {"A": 4, "B": 4, "C": 5, "D": 5, "E": 4, "F": 4}
    assert {n: s["degree"] for n, s in scores.items()} == {"A": 2, "B": 2, "C": 3, "D": 3, "E": 2, "F": 2}
    assert {n: round(s["betweenness"], 6) for n, s in scores.items()} == {
        "A": 0.0,
        "B": 0.0,
        "C": 0.6,
        "D": 0.6,
        "E": 0.0,
        "F": 0.0,
    }
    assert analytics.components(units) == [["A", "B", "C", "D", "E", "F"]]
    assert analytics.communities(units) == [["A", "B", "C"], ["D", "E", "F"]]
    report = analytics.summary(two_clusters(), top=3)["co_responsibility"]
    assert report["modularity"] == pytest.approx(0.423077, abs=1e-6)
    assert [r["label"] for r in report["top_by_strength"]] == ["C", "D", "A"]
    assert [(c["id"], c["size"]) for c in report["communities"]] == [(0, 3), (1, 3)]
    assert report["components"] == 1 and report["largest_component"] == 6


def test_components_split_when_the_bridge_goes() -> None:
    g = two_clusters()
    g.remove_node("m5")
    units = analytics.co_responsibility(g)
    assert analytics.components(units) == [["A", "B", "C"], ["D", "E", "F"]]
    assert all(s["betweenness"] == 0 for s in analytics.centrality(units).values())


def test_people_network() -> None:
    g = nx.MultiDiGraph()
    g.add_node("P", label="王五", kind="person")
    g.add_node("G", label="领导小组", kind="group", org_type="leading_group")
    g.add_node("U", label="区教委", kind="organization")
    g.add_node("M", label="措施", kind="measure")
    g.add_edge("P", "G", rel="membership", label="组长", role="")
    g.add_edge("G", "U", rel="groupLead", label="牵头单位", role="lead")
    g.add_edge("P", "U", rel="post", label="区委书记", role="")
    g.add_edge("M", "U", rel="lead", role="lead")  # a measure is not part of this network
    people = analytics.people_network(g)
    assert sorted(people.nodes) == ["G", "P", "U"]
    assert people.number_of_edges() == 3
    assert people["P"]["G"]["label"] == "组长"


# --- the projection of a store -------------------------------------------------------------------


@pytest.fixture(scope="module")
def mini() -> ox.Store:
    store = ox.Store()
    store.load(path=str(MINI), format=ox.RdfFormat.TRIG)
    return store


def test_projection_has_the_attributes_kg_viz_draws(mini: ox.Store) -> None:
    g = analytics.project(mini)
    kinds = defaultdict(int)
    for _, d in g.nodes(data=True):
        kinds[d["kind"]] += 1
    assert dict(kinds) == {
        "document": 2,
        "organization": 6,
        "group": 2,
        "person": 2,
        "measure": 7,
        "indicator": 5,
    }
    edu = g.nodes[EDU]
    assert (edu["label"], edu["org_type"], edu["aliases"]) == (
        "甲区教育委员会",
        "government_department",
        ["区教委", "甲区教委"],
    )
    m1 = g.nodes["https://w3id.org/policy-kg/id/measure/docA/1"]
    assert (m1["label"], m1["document"], m1["deadline"], m1["year"]) == (
        "新建城南小学",
        "docA",
        "2025年底前",
        "2025",
    )
    assert m1["quote"] == "新建城南小学，新增学位8000个。"
    roles = sorted(
        (g.nodes[v]["label"], d["role"], d["label"])
        for _, v, d in g.out_edges("https://w3id.org/policy-kg/id/measure/docA/1", data=True)
        if d["role"]
    )
    assert roles == [
        ("区发展改革委", "support", "配合"),
        ("区财政局", "support", "配合"),
        ("甲区教育委员会", "lead", "牵头"),
    ]
    labels = {(g.nodes[u]["label"], g.nodes[v]["label"], d["label"]) for u, v, d in g.edges(data=True)}
    assert {
        ("张三", "甲区教育工作领导小组", "组长"),
        ("李四", "甲区教育工作领导小组", "副组长"),
        ("学校建设专班", "甲区教育工作领导小组", "上级"),
        ("甲区教育工作领导小组", "甲区教育委员会", "牵头单位"),
        ("甲区教育工作领导小组", "甲区教育委员会", "办公室设在"),
        ("李四", "甲区教育委员会", "区教委主任"),
        ("甲区学校建设方案", "甲区教育委员会", "发文单位"),
    } <= labels
    view = viz.view_graph(g)
    assert view.nodes[EDU]["kind"] == "organization" and view.nodes[EDU]["aliases"] == ["区教委", "甲区教委"]
    focused = viz.focus_unit(g, "区教委", hops=1)
    assert EDU in focused and "https://w3id.org/policy-kg/id/measure/docA/2" in focused
    assert "https://w3id.org/policy-kg/id/measure/docB/%28%E4%B8%80%29" not in focused
    doc = viz.focus_document(g, "docB")
    assert {d["kind"] for _, d in doc.nodes(data=True)} >= {
        "document",
        "measure",
        "indicator",
        "organization",
    }


def test_analytics_agrees_with_the_canned_query(mini: ox.Store) -> None:
    g = analytics.project(mini)
    units = analytics.co_responsibility(g)
    from_graph = sorted(
        (*tuple(sorted((units.nodes[a]["label"], units.nodes[b]["label"]))), d["weight"])
        for a, b, d in units.edges(data=True)
    )
    rows = canned.run(mini, "co-responsible-units", {"min_shared": 1})
    from_query = sorted((*tuple(sorted((r["unit_a"], r["unit_b"]))), r["shared"]) for r in rows)
    assert from_graph == from_query
    workload = {r["unit"]: r["total"] for r in canned.run(mini, "unit-workload", {})}
    assert {d["label"]: d["measures"] for _, d in units.nodes(data=True)} == workload


def test_summary_is_reproducible(mini: ox.Store) -> None:
    first = analytics.summary(mini)
    assert first == analytics.summary(mini)
    assert first["graph"]["nodes"] == 24
    assert first["co_responsibility"]["top_by_strength"][0]["label"] == "甲区教育委员会"
    people = first["people"]
    assert people["components"] == 1
    assert people["top_by_betweenness"][0]["label"] in {"甲区教育工作领导小组", "甲区教育委员会"}


def test_graphml_carries_the_scores(mini: ox.Store, tmp_path: Path) -> None:
    path = tmp_path / "units.graphml"
    analytics.write_graphml(analytics.scored_units(mini), path)
    back = nx.read_graphml(path)
    edu = back.nodes[EDU]
    assert edu["label"] == "甲区教育委员会" and edu["measures"] == 4
    assert {"degree", "strength", "betweenness", "community", "component"} <= set(edu)
    whole = analytics.project(mini)
    analytics.write_graphml(whole, tmp_path / "all.graphml")  # lists and None survive as text
    assert nx.read_graphml(tmp_path / "all.graphml").nodes[EDU]["aliases"] == "区教委|甲区教委"


def test_kg_analyze(mini: ox.Store, tmp_path: Path) -> None:
    graphs: dict[str, list[ox.Quad]] = defaultdict(list)
    for quad in mini:
        graphs[quad.graph_name.value].append(quad)
    store_dir = tmp_path / "kg-store"
    with open_store(store_dir) as store:
        for graph, quads in graphs.items():
            store.put_graph(graph, quads)
    runner = CliRunner()
    out = runner.invoke(
        main,
        ["analyze", "--store", str(store_dir), "--format", "json", "--graphml", str(tmp_path / "u.graphml")],
    )
    assert out.exit_code == 0, out.output
    report = json.loads(out.stdout)
    assert report["co_responsibility"]["nodes"] == 6 and report["co_responsibility"]["edges"] == 7
    assert (tmp_path / "u.graphml").exists()
    table = runner.invoke(main, ["analyze", "--store", str(store_dir), "--top", "3"], env={"COLUMNS": "200"})
    assert table.exit_code == 0 and "甲区教育委员会" in table.stdout


def test_seeds_central_unit(seed_docs: dict) -> None:
    """seeds/000 names 区教委 on 19 of its 20 measures (gold), far more than any other unit."""
    from kg.rdf import document_quads

    store = ox.Store()
    for doc in seed_docs.values():
        store.extend(document_quads(doc))
    report = analytics.summary(store, top=3)["co_responsibility"]
    assert report["top_by_strength"][0]["label"] == "黔江区教育委员会"
    assert report["top_by_betweenness"][0]["label"] == "黔江区教育委员会"


def test_node_scores_merge_into_other_projections(mini: ox.Store, tmp_path: Path) -> None:
    scores = analytics.node_scores(mini)
    edu = scores[EDU]
    assert (edu["co_strength"], edu["co_degree"], edu["co_community"]) == (6, 4, 0)
    assert edu["pg_strength"] == 4  # member, lead unit and office of the leading group, post of 李四
    assert "co_degree" not in scores["https://w3id.org/policy-kg/id/person/jia/%E5%BC%A0%E4%B8%89"]
    g = nx.Graph()
    g.add_node("bad\x01id", label="tab\tand\x0bvertical", aliases=["a\x00", "b"])
    analytics.write_graphml(g, tmp_path / "bad.graphml")
    back = nx.read_graphml(tmp_path / "bad.graphml")
    assert back.nodes["bad\ufffdid"]["aliases"] == "a\ufffd|b"

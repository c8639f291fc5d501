"""HTML views: offline, escaped, focused, capped; and drawn for real in headless Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import types
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner

from kg import viz
from kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
IMG = "<img src=x onerror=window.__xss=1>"
SCRIPT = "</script><script>window.__xss=1</script>"
PAYLOADS = (IMG, SCRIPT)


# --- graphs built by hand, in the attribute contract of kg.viz.view_graph ---------------------

def plan_graph() -> nx.MultiDiGraph:
    """Two plans sharing a bureau; names, a title and quotes carry script payloads."""
    g = nx.MultiDiGraph()
    g.add_node("doc:a", label="黔江区2023年教育工作方案", kind="document", document="a.txt")
    g.add_node("doc:b", label="黔江区卫生健康工作要点", kind="document", document="b.txt")
    g.add_node("org:jw", label="区教委", kind="organization", org_type="government_department",
               aliases=["教委", "区教育委员会"])
    g.add_node("org:cz", label="区财政局", kind="organization", org_type="government_department")
    g.add_node("org:zzb", label="区委组织部", kind="organization", org_type="party_department")
    g.add_node("org:evil", label=f"区人社局{IMG}", kind="organization", org_type="government_department")
    g.add_node("org:wj", label="区卫生健康委", kind="organization", org_type="government_department")
    g.add_node("grp", label="区教育工作领导小组", kind="group")
    g.add_node("p:zhang", label="张三", kind="person")
    g.add_node("m:1", label=f"实施学前教育普惠工程{SCRIPT}", kind="measure", document="a.txt",
               quote=f"新建幼儿园3所{IMG}", title="实施学前教育普惠工程")
    g.add_node("m:2", label="推进义务教育优质均衡", kind="measure", document="a.txt",
               quote="义务教育巩固率达到96%")
    g.add_node("m:3", label="加强基层医疗卫生服务", kind="measure", document="b.txt", quote="改扩建卫生院2所")
    g.add_node("i:1", label="学前三年毛入园率>=95%", kind="indicator", document="a.txt",
               quote="毛入园率达到95%")
    for m, doc in (("m:1", "doc:a"), ("m:2", "doc:a"), ("m:3", "doc:b")):
        g.add_edge(doc, m, label="包含")
    g.add_edge("org:jw", "m:1", role="lead")
    g.add_edge("org:cz", "m:1", role="support")
    g.add_edge("org:evil", "m:1", role="support")
    g.add_edge("org:jw", "m:2", role="lead")
    g.add_edge("org:zzb", "m:2", role="support")
    g.add_edge("org:wj", "m:3", role="lead")
    g.add_edge("org:jw", "m:3", role="support")
    g.add_edge("m:1", "i:1", label="指标")
    g.add_edge("org:jw", "grp", label="成员")
    g.add_edge("p:zhang", "grp", label="组长")
    return g


def star_graph(hubs: int, leaves_per_hub: int) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for h in range(hubs):
        g.add_node(f"h{h}", label=f"枢纽单位{h}", kind="organization", org_type="government_department")
        for leaf in range(leaves_per_hub):
            g.add_node(f"h{h}m{leaf}", label=f"措施{h}-{leaf}", kind="measure")
            g.add_edge(f"h{h}", f"h{h}m{leaf}", role="lead" if leaf % 2 else "support")
    return g


# --- reading pages back ----------------------------------------------------------------------

class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(page)
    return parser.tags


def status_of(dom: str) -> dict[str, str | None]:
    found = [attrs for tag, attrs in tags(dom) if attrs.get("id") == "kg-status"]
    assert len(found) == 1, "the page must have exactly one #kg-status element"
    return found[0]


def page_data(page: str) -> dict[str, Any]:
    """The nodes/edges/options the page's script hands to vis."""
    match = re.search(r"var DATA = (\{.*?\});\n", page, re.S)
    assert match, "no DATA in page"
    return json.loads(match.group(1))


# --- without a browser -----------------------------------------------------------------------

def test_page_makes_no_network_request_and_never_carries_a_raw_payload(tmp_path: Path) -> None:
    out = tmp_path / "plan.html"
    result = viz.render(plan_graph(), out, title=f"方案 {IMG}{SCRIPT}")
    page = out.read_text(encoding="utf-8")

    for tag, attrs in tags(page):
        for attr in ("src", "href", "action", "data", "poster"):
            value = attrs.get(attr) or ""
            assert not re.match(r"\s*(https?:)?//", value), f"<{tag} {attr}={value}> would hit the network"
        assert not (tag == "script" and attrs.get("src")), "every script is inlined"
        assert not (tag == "link" and attrs.get("rel") == "stylesheet"), "every stylesheet is inlined"
    for payload in PAYLOADS:
        assert payload not in page
    # vis-network and ours, nothing injected (vis itself spells its one "</"+"script>" in two halves)
    assert sum(tag == "script" for tag, _ in tags(page)) == page.count("</script>") == 2
    assert "&lt;img src=x onerror=window.__xss=1&gt;" in page  # the heading, shown as text
    csp = next(a["content"] for t, a in tags(page) if t == "meta" and a.get("http-equiv"))
    assert csp is not None and "default-src 'none'" in csp
    assert "unsafe-inline" not in csp.split("style-src")[0]  # scripts run by hash only

    data = page_data(page)
    names = {n["tip"][0][1] for n in data["nodes"]}
    assert f"区人社局{IMG}" in names  # carried as written, for textContent and the canvas
    assert result == viz.RenderResult(nodes_drawn=13, edges_drawn=13, capped=False, message="")
    assert len(data["nodes"]) == 13


def test_script_json_cannot_close_its_script_element() -> None:
    value = {"name": f"{SCRIPT}<!-- & \u2028\u2029"}
    text = viz.script_json(value)
    assert not set(text) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(text) == value


def test_tooltips_carry_kind_quote_and_document(tmp_path: Path) -> None:
    viz.render(plan_graph(), tmp_path / "p.html", title="t")
    # keyed by the full name (the tooltip's first row): drawn labels are shortened
    nodes = {n["tip"][0][1]: n for n in page_data((tmp_path / "p.html").read_text(encoding="utf-8"))["nodes"]}
    measure = dict(nodes[f"实施学前教育普惠工程{SCRIPT}"]["tip"][1:])
    assert measure["类型"] == "措施 (measure)"
    assert measure["原文"] == f"新建幼儿园3所{IMG}"
    assert measure["文件"] == "a.txt"
    assert measure["标题"] == "实施学前教育普惠工程"
    unit = nodes["区委组织部"]
    assert dict(unit["tip"][1:])["类型"] == "党委部门 (organization)"
    assert unit["legend"] == "organization:party_department"
    assert nodes["区教委"]["size"] > nodes["区财政局"]["size"]  # sized by degree


def test_edges_show_lead_and_support_differently(tmp_path: Path) -> None:
    viz.render(plan_graph(), tmp_path / "p.html", title="t")
    data = page_data((tmp_path / "p.html").read_text(encoding="utf-8"))
    by_label: dict[str, dict[str, Any]] = {}
    for edge in data["edges"]:
        by_label.setdefault(edge["label"], edge)
    assert by_label["牵头"]["color"]["color"] != by_label["配合"]["color"]["color"]
    assert by_label["配合"]["dashes"] is True and by_label["牵头"]["dashes"] is False
    page = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert "牵头 lead" in page and "配合 support" in page and "党委部门 Party department" in page  # legend


def test_view_graph_reads_the_projections_other_spellings() -> None:
    g = nx.MultiDiGraph()
    g.add_node("http://x/org/1", name="区教委", type="government_department", alt_labels=["教委"])
    g.add_node("http://x/m/1", rdf_type="http://kg/ontology#Measure", text="原文", doc="a.txt")
    g.add_node("http://x/g/1", name="领导小组", kind="Organization", type="leading_group")
    g.add_edge("http://x/org/1", "http://x/m/1", predicate="http://kg/ontology#leadUnit")
    view = viz.view_graph(g)
    unit = view.nodes["http://x/org/1"]
    assert (unit["label"], unit["kind"], unit["org_type"], unit["aliases"]) == (
        "区教委", "organization", "government_department", ["教委"])
    measure = view.nodes["http://x/m/1"]
    assert (measure["label"], measure["kind"], measure["quote"], measure["document"]) == (
        "1", "measure", "原文", "a.txt")
    assert view.nodes["http://x/g/1"]["kind"] == "group"
    (_, _, edge), = view.edges(data=True)
    assert edge == {"role": "lead", "label": "leadUnit"}
    assert nx.utils.graphs_equal(viz.view_graph(view), view)  # idempotent


def test_focus_unit_keeps_measures_partners_and_groups_but_not_other_plans() -> None:
    focus = viz.focus_unit(plan_graph(), "区财政局")
    labels = {d["label"] for _, d in focus.nodes(data=True)}
    assert labels == {"区财政局", f"实施学前教育普惠工程{SCRIPT}", "区教委", f"区人社局{IMG}",
                      "黔江区2023年教育工作方案", "学前三年毛入园率>=95%"}
    assert focus.nodes["org:cz"]["focus"] is True

    bureau = viz.focus_unit(plan_graph(), "教委", hops=1)  # an alias
    assert set(bureau) == {"org:jw", "m:1", "m:2", "m:3", "grp"}


def test_focus_unit_falls_back_to_substrings_and_suggests_names() -> None:
    assert set(viz.focus_unit(plan_graph(), "卫生健康", hops=1)) == {"org:wj", "m:3"}
    with pytest.raises(viz.NotFound, match="区教委"):
        viz.focus_unit(plan_graph(), "区教育局")


def test_focus_document_stays_inside_the_document() -> None:
    focus = viz.focus_document(plan_graph(), "a.txt")
    assert set(focus) == {"doc:a", "m:1", "m:2", "i:1", "org:jw", "org:cz", "org:evil", "org:zzb"}
    assert set(viz.focus_document(plan_graph(), "卫生健康工作要点")) == {"doc:b", "m:3", "org:wj", "org:jw"}
    with pytest.raises(viz.NotFound):
        viz.focus_document(plan_graph(), "no-such.txt")


def test_from_rows_links_name_columns_along_each_row() -> None:
    rows = [
        {"unit": "区教委", "role": "lead", "measure": "实施学前教育普惠工程", "deadline_year": 2025},
        {"unit": "区财政局", "role": "support", "measure": "实施学前教育普惠工程", "deadline_year": 2025},
        {"unit": "区教委", "role": "lead", "measure": "推进义务教育优质均衡", "deadline_year": None},
    ]
    g = viz.from_rows(rows)
    assert {(d["label"], d["kind"]) for _, d in g.nodes(data=True)} == {
        ("区教委", "organization"), ("区财政局", "organization"),
        ("实施学前教育普惠工程", "measure"), ("推进义务教育优质均衡", "measure")}
    roles = {(g.nodes[u]["label"], g.nodes[v]["label"], d["role"]) for u, v, d in g.edges(data=True)}
    assert roles == {("区教委", "实施学前教育普惠工程", "lead"),
                     ("区财政局", "实施学前教育普惠工程", "support"),
                     ("区教委", "推进义务教育优质均衡", "lead")}
    assert g.nodes["measure:实施学前教育普惠工程"]["quote"] == "role: lead; deadline_year: 2025"


def test_cap_keeps_the_most_connected_nodes_and_says_how_to_focus(tmp_path: Path) -> None:
    g = star_graph(hubs=3, leaves_per_hub=20)
    g.add_edge("h0", "h1", label="协作")
    result = viz.render(g, tmp_path / "big.html", title="t", max_nodes=10)
    assert (result.nodes_drawn, result.capped) == (10, True)
    assert all(hint in result.message for hint in ("--max-nodes 10", "--unit", "--document"))
    page = (tmp_path / "big.html").read_text(encoding="utf-8")
    labels = {n["label"] for n in page_data(page)["nodes"]}
    assert {"枢纽单位0", "枢纽单位1", "枢纽单位2"} <= labels
    assert "--max-nodes 10" in page


def test_big_graphs_get_a_fixed_layout_without_physics(tmp_path: Path) -> None:
    g = star_graph(hubs=4, leaves_per_hub=90)  # 364 nodes, past the physics limit
    viz.render(g, tmp_path / "a.html", title="t", max_nodes=1000)
    viz.render(g, tmp_path / "b.html", title="t", max_nodes=1000)
    a = page_data((tmp_path / "a.html").read_text(encoding="utf-8"))
    assert a["options"]["physics"]["enabled"] is False
    assert a == page_data((tmp_path / "b.html").read_text(encoding="utf-8"))  # seeded: same picture
    assert len({(n["x"], n["y"]) for n in a["nodes"]}) == len(a["nodes"])
    viz.render(plan_graph(), tmp_path / "s.html", title="t")
    small = page_data((tmp_path / "s.html").read_text(encoding="utf-8"))
    assert small["options"]["physics"]["enabled"] is True


def test_layout_past_networkx_dense_limit_places_every_node(tmp_path: Path) -> None:
    result = viz.render(star_graph(hubs=6, leaves_per_hub=100), tmp_path / "x.html", title="t", max_nodes=606)
    assert result.nodes_drawn == 606 and not result.capped
    nodes = page_data((tmp_path / "x.html").read_text(encoding="utf-8"))["nodes"]
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in nodes)


# --- the command -----------------------------------------------------------------------------

class FakeStore:
    closed = False

    def close(self) -> None:
        FakeStore.closed = True


@pytest.fixture
def fake_backend(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """kg.store / kg.analytics / kg.query stand-ins with the interfaces `kg viz` is written to."""
    store_mod = types.ModuleType("kg.store")
    store_mod.open_store = lambda path, read_only=False: FakeStore()  # type: ignore[attr-defined]
    analytics = types.ModuleType("kg.analytics")
    analytics.project = lambda store: plan_graph()  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "kg.store", store_mod)
    monkeypatch.setitem(sys.modules, "kg.analytics", analytics)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kg-store").mkdir()
    return tmp_path


def test_cli_writes_a_unit_view_to_exports(fake_backend: Path) -> None:
    FakeStore.closed = False
    result = CliRunner().invoke(main, ["viz", "--unit", "区财政局"])
    assert result.exit_code == 0, result.output
    out = Path("exports") / "unit-区财政局.html"
    assert result.output.strip() == f"{out}: 6 nodes, 5 edges"
    assert (fake_backend / out).is_file() and FakeStore.closed


def test_cli_reports_unknown_units_and_missing_parts(fake_backend: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    result = CliRunner().invoke(main, ["viz", "--unit", "区教育局"])
    assert result.exit_code == 1 and "no unit named '区教育局'" in result.output and "区教委" in result.output
    monkeypatch.setitem(sys.modules, "kg.query", None)  # as if kg.query were not written yet
    result = CliRunner().invoke(main, ["viz", "--query", "lead_units", "--param", "year=2025"])
    assert result.exit_code == 1 and "--query needs kg.query.run" in result.output
    result = CliRunner().invoke(main, ["viz", "--unit", "a", "--document", "b"])
    assert result.exit_code == 2 and "choose one of" in result.output
    result = CliRunner().invoke(main, ["viz", "--store", "nowhere"])
    assert result.exit_code == 1 and "no store at nowhere" in result.output


def test_cli_draws_query_rows(fake_backend: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    def run(store: object, name: str, params: dict[str, str]) -> list[dict[str, Any]]:
        seen.update(name=name, params=params)
        return [{"lead_unit": "区教委", "measure": "实施学前教育普惠工程"}]

    query = types.ModuleType("kg.query")
    query.run = run  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "kg.query", query)
    args = ["viz", "--query", "lead_units", "--param", "year=2025", "--out", "q.html"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "q.html: 2 nodes, 1 edges"
    assert seen == {"name": "lead_units", "params": {"year": "2025"}}


# --- in a real browser -----------------------------------------------------------------------

@pytest.fixture(scope="session")
def chromium() -> str:
    """Headless Chromium, installed by the project's own script when missing. In CI a missing
    browser fails the run: a skipped browser test there would hide a broken page."""
    script = ROOT / "scripts" / "install-chromium"
    proc = subprocess.run([str(script)], capture_output=True, text=True, timeout=900, check=False)
    binary = "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else shutil.which("chromium")
    if binary is None:
        reason = f"chromium unavailable: {proc.stderr.strip()[-400:]}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return binary


def run_chromium(binary: str, page: Path, tmp_path: Path, *extra: str) -> str:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    cmd = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           f"--user-data-dir={profile}", "--virtual-time-budget=5000", *extra, page.resolve().as_uri()]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


@pytest.mark.browser
def test_browser_draws_every_node_and_runs_no_payload(chromium: str, tmp_path: Path) -> None:
    out = tmp_path / "plan.html"
    result = viz.render(plan_graph(), out, title=f"方案 {IMG}{SCRIPT}")
    status = status_of(run_chromium(chromium, out, tmp_path, "--dump-dom"))
    assert status["data-drawn"] == "1", status
    assert status["data-nodes"] == status["data-expected"] == str(result.nodes_drawn) == "13"
    assert status["data-edges"] == str(result.edges_drawn)
    assert status["data-xss"] == "0"

    shot = tmp_path / "plan.png"
    run_chromium(chromium, out, tmp_path, f"--screenshot={shot}", "--window-size=1400,900")
    assert shot.stat().st_size > 20_000  # a drawn graph, not a blank page


HOVER_FIRST_MEASURE = """
  setTimeout(function () {
    var id = nodes.get().filter(function (n) { return n.legend === "measure"; })[0].id;
    var at = network.canvasToDOM(network.getPosition(id));
    var canvas = document.querySelector("#kg-network canvas");
    var box = canvas.getBoundingClientRect();
    canvas.dispatchEvent(new MouseEvent("mousemove",
      {clientX: box.left + at.x, clientY: box.top + at.y, bubbles: true}));
  }, 800);
"""


@pytest.mark.browser
def test_browser_tooltip_shows_quote_and_document_as_text(chromium: str, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A real hover (a mouse event on the canvas, added to the page's own script so the CSP
    hash still matches) opens the tooltip of the measure whose name and quote carry payloads."""
    anchor = "  setTimeout(report, 1500);"
    hover_js = viz._JS.replace(anchor, HOVER_FIRST_MEASURE + anchor)
    assert hover_js != viz._JS
    monkeypatch.setattr(viz, "_JS", hover_js)
    g = plan_graph()
    for node in ("m:2", "m:3"):
        g.remove_node(node)  # leave one measure, the one with the payloads
    out = tmp_path / "hover.html"
    viz.render(g, out, title="hover")
    dom = run_chromium(chromium, out, tmp_path, "--dump-dom")
    tooltip = dom[dom.index('<div class="vis-tooltip"'):]
    assert 'visibility: visible' in tooltip[:200]
    text = re.sub(r"<[^>]+>", " ", tooltip[: tooltip.index("连接")])
    assert "原文: 新建幼儿园3所&lt;img src=x onerror=window.__xss=1&gt;" in text
    assert "文件: a.txt" in text and "类型: 措施 (measure)" in text
    assert "实施学前教育普惠工程&lt;/script&gt;&lt;script&gt;window.__xss=1&lt;/script&gt;" in text
    assert status_of(dom)["data-xss"] == "0"


@pytest.mark.browser
def test_browser_xss_probe_catches_a_payload_that_runs(chromium: str, tmp_path: Path) -> None:
    """The probe itself: a page that does insert the payload raw must report it."""
    page = tmp_path / "unsafe.html"
    page.write_text(
        f'<!DOCTYPE html><html><body><h1>{IMG}</h1><div id="kg-status" data-xss="pending"></div>'
        '<script>setTimeout(function () { document.getElementById("kg-status")'
        '.setAttribute("data-xss", window.__xss ? "1" : "0"); }, 1500);</script></body></html>',
        encoding="utf-8")
    assert status_of(run_chromium(chromium, page, tmp_path, "--dump-dom"))["data-xss"] == "1"


@pytest.mark.browser
def test_browser_draws_a_capped_graph_with_a_fixed_layout(chromium: str, tmp_path: Path) -> None:
    out = tmp_path / "big.html"
    result = viz.render(star_graph(hubs=5, leaves_per_hub=80), out, title="大图", max_nodes=350)
    assert result.capped and result.nodes_drawn == 350
    status = status_of(run_chromium(chromium, out, tmp_path, "--dump-dom"))
    assert (status["data-drawn"], status["data-nodes"], status["data-xss"]) == ("1", "350", "0")

"""Interactive HTML views of the graph: one self-contained file per view.

pyvis builds the node/edge/option data, but the page around it is ours: pyvis's template
pulls vis-network and Bootstrap from CDNs (dead offline) and inserts the heading raw. Here
vis-network's JS/CSS are inlined from the pyvis package itself, a Content-Security-Policy
forbids every network request, and all document text (names, titles, quotes) reaches the page
either HTML-escaped or as JSON that the page's script only ever writes with `textContent`.

The graph may come from `kg.analytics.project(store)` or be built by hand; `view_graph()` is
the one place that knows the projection's attribute names (see its docstring for the contract).
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import html
import json
import math
import re
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import pyvis
from pyvis.network import Network

PHYSICS_NODE_LIMIT = 300  # past this, vis's live simulation makes the page sluggish
EDGE_LABEL_LIMIT = 80  # past this, edge labels overlap into noise; colour still tells the role
LAYOUT_SEED = 7
LAYOUT_CORE = 499  # networkx switches to a scipy-only algorithm at 500 nodes
_VIS_DIR = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
FONT_FACE = "'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Microsoft YaHei', 'PingFang SC', sans-serif"

KINDS = ("organization", "group", "person", "measure", "indicator", "document")

# Legend key -> (legend text, vis shape, fill colour). Organizations split by their type so an
# analyst can tell Party from government bureaus at a glance.
STYLES: dict[str, tuple[str, str, str]] = {
    "organization:party_department": ("党委部门 Party department", "dot", "#c62828"),
    "organization:government_department": ("政府部门 Government department", "dot", "#1565c0"),
    "organization:mass_organization": ("群团组织 Mass organization", "dot", "#00897b"),
    "organization:school": ("学校 School", "dot", "#2e7d32"),
    "organization:township": ("镇街 Township", "dot", "#8d6e63"),
    "organization:other": ("其他单位 Other unit", "dot", "#546e7a"),
    "group": ("领导小组/工作组 Group", "hexagon", "#6a1b9a"),
    "person": ("人员 Person", "star", "#ef6c00"),
    "measure": ("措施 Measure", "square", "#f9c846"),
    "indicator": ("指标 Indicator", "triangle", "#00acc1"),
    "document": ("文件 Document", "diamond", "#37474f"),
    "other": ("其他 Other", "dot", "#9e9e9e"),
}
KIND_NAMES = {"organization": "单位", "group": "领导小组/工作组", "person": "人员", "measure": "措施",
              "indicator": "指标", "document": "文件", "other": "其他"}
ORG_TYPE_NAMES = {"party_department": "党委部门", "government_department": "政府部门",
                  "mass_organization": "群团组织", "school": "学校", "township": "镇街",
                  "leading_group": "领导小组", "working_group": "工作组", "other": "其他单位"}
# Role -> (edge label, colour, dashed, width). Lead is the strongest visual claim on purpose.
ROLES: dict[str, tuple[str, str, bool, float]] = {
    "lead": ("牵头", "#c62828", False, 2.6),
    "responsible": ("负责", "#455a64", False, 1.8),
    "support": ("配合", "#1e88e5", True, 1.4),
    "": ("", "#b0bec5", False, 1.0),
}
ROLE_LEGEND = {"lead": "牵头 lead", "responsible": "负责 responsible", "support": "配合 support",
               "": "其他关系 other"}
_ROLE_RANK = {"lead": 3, "responsible": 2, "support": 1, "": 0}
_KIND_RANK = {k: i for i, k in enumerate((*KINDS, "other"))}


class NotFound(LookupError):
    """A focus name or document id that matches nothing; the message suggests close names."""


@dataclass(frozen=True)
class RenderResult:
    nodes_drawn: int
    edges_drawn: int
    capped: bool
    message: str


# --- the adapter: projection attributes -> the view's own ------------------------------------

_KIND_SYNONYMS = {
    "organization": "organization", "organisation": "organization", "org": "organization",
    "unit": "organization", "bureau": "organization",
    "group": "group", "leading_group": "group", "working_group": "group", "task_force": "group",
    "person": "person", "people": "person",
    "measure": "measure", "task": "measure", "commitment": "measure",
    "indicator": "indicator", "target": "indicator",
    "document": "document", "doc": "document", "plan": "document",
    # organization types standing in for the kind when a projection only sets `type`
    "party_department": "organization", "government_department": "organization",
    "mass_organization": "organization", "school": "organization", "township": "organization",
}


def _first(data: Mapping[str, Any], *keys: str) -> Any:
    for key in keys:
        value = data.get(key)
        if value not in (None, "", [], ()):
            return value
    return None


def _local_name(node: Hashable) -> str:
    text = str(node)
    return re.split(r"[#/]", text.rstrip("/#"))[-1] or text


def _kind(data: Mapping[str, Any]) -> str:
    raw = str(_first(data, "kind", "rdf_type", "class", "type") or "")
    key = re.sub(r"(?<=[a-z])(?=[A-Z])", "_", _local_name(raw)).lower()
    return _KIND_SYNONYMS.get(key, "other")


def _role(data: Mapping[str, Any]) -> str:
    raw = str(_first(data, "role", "label", "predicate", "rel", "type") or "").lower()
    for role in ("lead", "support", "responsib"):
        if role in raw:
            return "responsible" if role == "responsib" else role
    return {"牵头": "lead", "配合": "support", "负责": "responsible", "责任": "responsible"}.get(raw, "")


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        return [str(v) for v in value if v not in (None, "")]
    return [str(value)]


def view_graph(graph: nx.Graph) -> nx.MultiDiGraph:
    """The graph with the attributes this module draws, whatever the projection called them.

    Node attributes read (first present wins):
      label    Chinese name as written          <- label | name | pref_label | title | id's local name
      kind     organization|group|person|measure|indicator|document
                                                <- kind | rdf_type | class | type (IRI or CamelCase ok)
      org_type party_department|government_department|mass_organization|school|township|
               leading_group|working_group|other   <- org_type | type  (organizations only)
      title    full title (measures, documents)  <- title
      quote    source text quoted from the file  <- quote | text | span_text
      document document id the fact comes from   <- document | doc | doc_id | in_document
      aliases  other names, for --unit matching  <- aliases | alt_labels
      deadline, year (optional, shown in tooltips); focus (bool, drawn highlighted)
    Edge attributes: role lead|support|responsible <- role, or guessed from label/predicate;
      label    relation shown on the edge        <- label | predicate | rel | type
    Idempotent: a view graph passes through unchanged.
    """
    out = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        kind = _kind(data)
        org_type = str(_first(data, "org_type") or (data.get("type") if kind == "organization" else "") or "")
        if kind == "organization" and org_type in ("leading_group", "working_group"):
            kind = "group"  # a group registered as an organization is still drawn as a group
        out.add_node(node, **{
            "label": str(_first(data, "label", "name", "pref_label", "title") or _local_name(node)),
            "kind": kind,
            "org_type": _local_name(org_type) if org_type else "",
            "title": str(data.get("title") or ""),
            "quote": str(_first(data, "quote", "text", "span_text") or ""),
            "document": str(_first(data, "document", "doc", "doc_id", "in_document") or ""),
            "aliases": _as_list(_first(data, "aliases", "alt_labels")),
            "jurisdiction": str(data.get("jurisdiction") or ""),
            "deadline": str(_first(data, "deadline", "deadline_year") or ""),
            "year": str(data.get("year") or ""),
            "focus": bool(data.get("focus")),
        })
    edges = graph.edges(data=True)
    for u, v, data in edges:
        role = _role(data)
        label = str(_first(data, "label", "predicate", "rel", "type") or "")
        out.add_edge(u, v, role=role, label=_local_name(label) if label.startswith("http") else label)
    return out


# --- focus: the parts of a big graph an analyst asks about -----------------------------------

def _names(data: Mapping[str, Any]) -> list[str]:
    return [data["label"], *data["aliases"]]


def _suggest(g: nx.MultiDiGraph, query: str, kinds: tuple[str, ...]) -> str:
    names = sorted({data["label"] for _, data in g.nodes(data=True) if data["kind"] in kinds})
    close = difflib.get_close_matches(query, names, n=5, cutoff=0.3)
    return f" Close names: {', '.join(close)}." if close else ""


def _neighbourhood(g: nx.MultiDiGraph, seeds: Iterable[Hashable], hops: int,
                   keep: Callable[[Hashable], bool] = lambda _n: True) -> set[Hashable]:
    """Nodes within `hops` of the seeds, either direction. A document node is reached but not
    crossed: through it every measure of the plan would join a unit's neighbourhood."""
    seen = set(seeds)
    queue = deque((s, 0) for s in seen)
    while queue:
        node, depth = queue.popleft()
        if depth >= hops or (depth > 0 and g.nodes[node]["kind"] == "document"):
            continue
        for nb in (*g.successors(node), *g.predecessors(node)):
            if nb not in seen and keep(nb):
                seen.add(nb)
                queue.append((nb, depth + 1))
    return seen


def _focused(g: nx.MultiDiGraph, nodes: set[Hashable], seeds: set[Hashable]) -> nx.MultiDiGraph:
    sub = nx.MultiDiGraph(g.subgraph(nodes))
    for s in seeds:
        sub.nodes[s]["focus"] = True
    return sub


def unit_matches(graph: nx.Graph, name: str) -> dict[Hashable, tuple[str, str]]:
    """The units (bureaus or groups) `name` names: node -> (name, jurisdiction). The name or
    an alias exactly (every jurisdiction's unit of that name), else every unit whose name or
    alias contains it; empty when none does."""
    g = view_graph(graph)
    units = ("organization", "group")
    candidates = [(n, d) for n, d in g.nodes(data=True) if d["kind"] in units]
    seeds = {n for n, d in candidates if name in _names(d)}
    if not seeds:
        seeds = {n for n, d in candidates if any(name in alias for alias in _names(d))}
    return {n: (g.nodes[n]["label"], g.nodes[n]["jurisdiction"]) for n in seeds}


def unit_names(graph: nx.Graph) -> list[str]:
    """Every unit's name and alias: what an unknown name is compared with."""
    g = view_graph(graph)
    return sorted({x for _, d in g.nodes(data=True) if d["kind"] in ("organization", "group")
                   for x in _names(d)})


def focus_unit(graph: nx.Graph, name: str, hops: int = 2,
               keep: Iterable[tuple[str, str]] | None = None) -> nx.MultiDiGraph:
    """A unit (bureau or group) with its measures, partner units and groups, `hops` away.

    Matches as unit_matches does; `keep`: only the matches with these (name, jurisdiction)
    (one district's 区教委 of two). Raises NotFound with close names when nothing matches.
    """
    g = view_graph(graph)
    matches = unit_matches(g, name)
    if keep is not None:
        wanted = set(keep)
        matches = {n: u for n, u in matches.items() if u in wanted}
    seeds = set(matches)
    if not seeds:
        raise NotFound(f"no unit named {name!r} in the graph.{_suggest(g, name, ('organization', 'group'))}")
    return _focused(g, _neighbourhood(g, seeds, hops), seeds)


def focus_document(graph: nx.Graph, doc_id: str) -> nx.MultiDiGraph:
    """One document: its node, the facts that cite it, and the units, people and groups those
    facts name. Facts of other documents stay out even when they share a unit."""
    g = view_graph(graph)
    docs = {n for n, d in g.nodes(data=True)
            if d["kind"] == "document" and doc_id in (str(n), d["document"], d["label"], d["title"])}
    if not docs:
        docs = {n for n, d in g.nodes(data=True) if d["kind"] == "document"
                and any(doc_id in s for s in (str(n), d["document"], d["label"], d["title"]) if s)}
    keys = {doc_id} | {str(n) for n in docs} | {g.nodes[n]["document"] for n in docs} - {""}
    facts = {n for n, d in g.nodes(data=True) if d["document"] in keys and d["kind"] != "document"}
    seeds = docs | facts
    if not seeds:
        raise NotFound(f"no document {doc_id!r} in the graph.{_suggest(g, doc_id, ('document',))}")

    def same_document(node: Hashable) -> bool:
        data = g.nodes[node]
        return data["kind"] != "document" and (not data["document"] or data["document"] in keys)

    nodes = set(seeds)
    for seed in seeds:
        nodes |= _neighbourhood(g, [seed], 1, same_document)
    return _focused(g, nodes, docs or facts)


# --- canned-query rows drawn as a graph ------------------------------------------------------

_ROLE_COLUMNS = {"role", "角色", "职责"}
_COLUMN_KINDS = (  # column-name fragment -> node kind, checked in order
    (("group", "小组", "专班", "委员会"), "group"),
    (("unit", "org", "bureau", "单位", "部门", "lead", "support", "牵头", "配合", "责任"), "organization"),
    (("measure", "task", "措施", "任务", "举措"), "measure"),
    (("indicator", "target", "指标", "目标"), "indicator"),
    (("doc", "plan", "文件", "方案"), "document"),
    (("person", "people", "leader", "人", "姓名"), "person"),
)
_NOT_A_NAME = re.compile(r"^(https?:|[\d\s.,:/%+\-年月日]+$)")


def _column_kind(column: str) -> str:
    low = column.lower()
    for fragments, kind in _COLUMN_KINDS:
        if any(f in low for f in fragments):
            return kind
    return "other"


def _looks_like_name(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value.strip()) <= 80 and not _NOT_A_NAME.match(value.strip())


def _name_columns(rows: list[dict[str, Any]]) -> list[str]:
    """Columns whose values are mostly short strings that are not numbers, dates or IRIs."""
    columns: list[str] = []
    for row in rows:
        columns.extend(c for c in row if c not in columns)
    chosen = []
    for column in columns:
        if column.lower() in _ROLE_COLUMNS:
            continue
        values = [v for row in rows for v in _cells(row.get(column))]
        if values and sum(map(_looks_like_name, values)) * 2 > len(values):
            chosen.append(column)
    return chosen


def _cells(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple | set) else [value]


def from_rows(rows: list[dict[str, Any]]) -> nx.MultiDiGraph:
    """Rows of a canned query as a graph: each name-like cell becomes a node (kind guessed from
    the column name), linked along the row left to right; other cells go into the tooltips."""
    g = nx.MultiDiGraph()
    columns = _name_columns(rows)
    for row in rows:
        role = next((str(row[c]) for c in row if c.lower() in _ROLE_COLUMNS and row[c]), "")
        details = "; ".join(f"{c}: {row[c]}" for c in row if c not in columns and row[c] not in (None, ""))
        previous: list[str] = []
        for column in columns:
            kind = _column_kind(column)
            names = [str(v).strip() for v in _cells(row.get(column)) if _looks_like_name(v)]
            current = []
            for value in names:
                node = f"{kind}:{value}"
                if node not in g:
                    g.add_node(node, label=value, kind=kind)
                if details and kind in ("measure", "indicator") and not g.nodes[node].get("quote"):
                    g.nodes[node]["quote"] = details
                current.append(node)
                for prev in previous:
                    g.add_edge(prev, node, label=column, role=role)
            if current:
                previous = current
    return g


# --- drawing ---------------------------------------------------------------------------------

def _style_key(data: Mapping[str, Any]) -> str:
    kind = data["kind"]
    if kind == "organization":
        key = f"organization:{data['org_type']}"
        return key if key in STYLES else "organization:other"
    return kind if kind in STYLES else "other"


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _tip_rows(data: Mapping[str, Any], degree: int) -> list[list[str]]:
    kind = KIND_NAMES.get(data["kind"], data["kind"])
    if data["kind"] == "organization":
        kind = ORG_TYPE_NAMES.get(data["org_type"], kind)
    rows = [["", data["label"]], ["类型", f"{kind} ({data['kind']})"]]
    if data["title"] and data["title"] != data["label"]:
        rows.append(["标题", data["title"]])
    if data["aliases"]:
        rows.append(["别名", "、".join(data["aliases"])])
    if data["deadline"]:
        rows.append(["期限", data["deadline"]])
    if data["year"]:
        rows.append(["年份", data["year"]])
    if data["quote"]:
        rows.append(["原文", _short(data["quote"], 400)])
    if data["document"]:
        rows.append(["文件", data["document"]])
    rows.append(["连接", str(degree)])
    return rows


def _plain(rows: list[list[str]]) -> str:
    return "\n".join(f"{k}: {v}" if k else v for k, v in rows)


def _cap(g: nx.MultiDiGraph, max_nodes: int) -> list[Hashable]:
    """The nodes to draw: focus nodes first, then by degree; ties broken so runs are stable."""
    def rank(node: Hashable) -> tuple[int, int, int, str]:
        data = g.nodes[node]
        kind_rank = _KIND_RANK.get(data["kind"], 9)
        return (not data["focus"], -g.degree(node), kind_rank, data["label"] + str(node))
    return sorted(g.nodes, key=rank)[: max(max_nodes, 0)]


def _layout(g: nx.MultiDiGraph) -> dict[Hashable, tuple[float, float]]:
    """A fixed-seed spring layout. networkx needs scipy from 500 nodes on, which the project
    does not depend on, so past that the best-connected core is laid out and every other
    node is set on a small ring around its already placed neighbours."""
    n = g.number_of_nodes()
    if n == 0:
        return {}
    simple = nx.Graph(g.to_undirected())
    scale = 45 * math.sqrt(n) + 150  # tight enough that the whole graph fits at a legible zoom
    core = sorted(simple, key=lambda v: (-simple.degree(v), str(v)))[:LAYOUT_CORE]
    k = 1.6 / math.sqrt(len(core))
    raw = nx.spring_layout(simple.subgraph(core), seed=LAYOUT_SEED, k=k, iterations=80, scale=scale)
    pos = {v: (float(x), float(y)) for v, (x, y) in raw.items()}
    ring = 0
    for v in sorted(set(simple) - set(core), key=lambda v: (-simple.degree(v), str(v))):
        placed = [pos[u] for u in simple[v] if u in pos]
        ring += 1
        angle = ring * 2.39996  # the golden angle spreads siblings evenly around one hub
        if placed:
            cx, cy = sum(p[0] for p in placed) / len(placed), sum(p[1] for p in placed) / len(placed)
            radius = 60 + 25 * (ring % 4)
        else:
            cx, cy, radius = 0.0, 0.0, scale * 1.15 + 10 * (ring % 7)
        pos[v] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
    return {v: (round(x, 1), round(y, 1)) for v, (x, y) in pos.items()}


def _options(physics: bool, big: bool) -> dict[str, Any]:
    return {
        "nodes": {"borderWidth": 1.5, "font": {"face": FONT_FACE, "size": 14, "strokeWidth": 4,
                                               "strokeColor": "#ffffff", "color": "#1f2933"},
                  # zoomed out on a big graph only the (larger) unit names stay; zooming in
                  # brings the measure titles back
                  "scaling": {"label": {"drawThreshold": 9 if big else 5}}},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                  "smooth": False if big else {"type": "continuous", "roundness": 0.3},
                  "font": {"face": FONT_FACE, "size": 11, "align": "middle", "strokeWidth": 3,
                           "color": "#37474f"},
                  "color": {"inherit": False}, "selectionWidth": 2},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": big,
                        "multiselect": True},
        "physics": {"enabled": physics, "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -70, "springLength": 110,
                                         "springConstant": 0.06, "avoidOverlap": 0.5},
                    "stabilization": {"enabled": physics, "iterations": 250, "fit": True}},
        "layout": {"randomSeed": LAYOUT_SEED, "improvedLayout": False},
    }


def _network(g: nx.MultiDiGraph, keep: list[Hashable], physics: bool) -> tuple[Network, set[str]]:
    """The pyvis network of the kept nodes, and the legend keys it uses."""
    sub = g.subgraph(keep)
    ids = {node: i for i, node in enumerate(keep)}
    pos = _layout(sub)
    net = Network(directed=True, cdn_resources="in_line")
    used: set[str] = set()
    for node in keep:
        data = g.nodes[node]
        key = _style_key(data)
        used.add(key)
        _, shape, colour = STYLES[key]
        degree = sub.degree(node)
        rows = _tip_rows(data, g.degree(node))
        limit = 16 if data["kind"] in ("measure", "document", "indicator") else 22
        x, y = pos.get(node, (0.0, 0.0))
        net.add_node(
            ids[node], label=_short(data["label"], limit), shape=shape, title=_plain(rows),
            size=round(min(10 + 4.5 * math.sqrt(degree), 46), 1), x=x, y=y,
            color={"background": colour, "border": "#111111" if data["focus"] else "#ffffff",
                   "highlight": {"background": colour, "border": "#000000"},
                   "hover": {"background": colour, "border": "#000000"}},
            borderWidth=4 if data["focus"] else 1.5, tip=rows, legend=key,
            # units carry the story, so their names grow with their links and stay legible
            # when a big graph is zoomed out; measures keep a small font to leave them room
            font={"size": round(min(14 + 2.2 * math.sqrt(degree), 44), 1)
                  if data["kind"] in ("organization", "group") else 13},
            search=" ".join([data["label"], *data["aliases"], data["title"], data["document"]]).lower(),
        )
    show_labels = sub.number_of_edges() <= EDGE_LABEL_LIMIT
    opacity = 1.0 if show_labels else 0.45  # a dense mesh in full colour hides the nodes
    for (u, v), group in _merged_edges(sub).items():
        role = max((r for r, _ in group), key=lambda r: _ROLE_RANK.get(r, 0))
        _, colour, dashed, width = ROLES.get(role, ROLES[""])
        labels = sorted({ROLES.get(r, ROLES[""])[0] or lab for r, lab in group} - {""})
        label = "/".join(labels)
        used.add(f"edge:{role}")
        # hover/highlight keep the role colour: vis's default grey would erase lead vs support
        net.add_edge(ids[u], ids[v], dashes=dashed, width=width,
                     color={"color": colour, "hover": colour, "highlight": colour, "opacity": opacity},
                     label=label if show_labels else "",
                     title=f"{label or '关系'}: {g.nodes[u]['label']} → {g.nodes[v]['label']}")
    return net, used


def _merged_edges(g: nx.MultiDiGraph) -> dict[tuple[Hashable, Hashable], list[tuple[str, str]]]:
    """Parallel edges drawn as one: vis stacks them on the same curve, unreadable."""
    merged: dict[tuple[Hashable, Hashable], list[tuple[str, str]]] = {}
    for u, v, data in g.edges(data=True):
        merged.setdefault((u, v), []).append((data["role"], data["label"]))
    return merged


def render(graph: nx.Graph, out_path: Path | str, *, title: str, max_nodes: int = 500,
           physics: bool | None = None) -> RenderResult:
    """Write one self-contained HTML view of `graph`; `physics=None` turns the live layout
    on for graphs up to PHYSICS_NODE_LIMIT nodes (beyond, the pre-computed layout is kept)."""
    g = view_graph(graph)
    total = g.number_of_nodes()
    keep = _cap(g, max_nodes)
    capped = len(keep) < total
    use_physics = len(keep) <= PHYSICS_NODE_LIMIT if physics is None else physics
    net, used = _network(g, keep, use_physics)
    nodes, edges, _heading, _h, _w, _options_json = net.get_network_data()
    message = ""
    if capped:
        message = (f"Showing the {len(keep)} most connected of {total} nodes (cap: --max-nodes {max_nodes}). "
                   "Focus with `kg viz --unit NAME` or `kg viz --document ID` to see a part in full.")
    elif total == 0:
        message = "The graph is empty: nothing to draw."
    page = _page(title=title, nodes=nodes, edges=edges,
                 options=_options(use_physics, len(keep) > PHYSICS_NODE_LIMIT),
                 used=used, message=message, total=total)
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(out)  # a viewer never opens a half-written page
    return RenderResult(len(nodes), len(edges), capped, message)


# --- the page --------------------------------------------------------------------------------

_SCRIPT_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                                 "\u2028": "\\u2028", "\u2029": "\\u2029"})


def script_json(value: Any) -> str:
    """JSON that is safe inside <script>: no `</script>`, `<!--` or line separators survive."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")).translate(
        _SCRIPT_ESCAPES)


def _vendor(name: str) -> str:
    text = (_VIS_DIR / name).read_text(encoding="utf-8")
    if re.search(r"</(script|style)", text, re.IGNORECASE):
        raise RuntimeError(f"{name} from pyvis cannot be inlined safely: it contains a closing tag")
    return text


_SHAPES_SVG = {
    "dot": '<circle cx="8" cy="8" r="6.5"/>',
    "square": '<rect x="2" y="2" width="12" height="12"/>',
    "diamond": '<polygon points="8,1 15,8 8,15 1,8"/>',
    "triangle": '<polygon points="8,1.5 15,14.5 1,14.5"/>',
    "star": '<polygon points="8,1 9.9,6 15,6 10.9,9.2 12.4,14.5 8,11.3 3.6,14.5 5.1,9.2 1,6 6.1,6"/>',
    "hexagon": '<polygon points="4.3,1.6 11.7,1.6 15.4,8 11.7,14.4 4.3,14.4 0.6,8"/>',
}


def _legend(used: set[str]) -> str:
    items = []
    for key, (text, shape, colour) in STYLES.items():
        if key in used:
            svg = (f'<svg viewBox="0 0 16 16" width="16" height="16" fill="{colour}" '
                   f'stroke="#ffffff">{_SHAPES_SVG[shape]}</svg>')
            items.append(f'<li><label><input type="checkbox" checked data-legend="{html.escape(key)}">'
                         f"{svg}<span>{html.escape(text)}</span></label></li>")
    for role, text in ROLE_LEGEND.items():
        if f"edge:{role}" in used:
            _, colour, dashed, width = ROLES[role]
            dash = ' stroke-dasharray="4 3"' if dashed else ""
            svg = (f'<svg viewBox="0 0 28 10" width="28" height="10"><line x1="1" y1="5" x2="27" y2="5" '
                   f'stroke="{colour}" stroke-width="{width}"{dash}/></svg>')
            items.append(f'<li class="kg-edge">{svg}<span>{html.escape(text)}</span></li>')
    return "\n".join(items)


_CSS = """
html, body { margin: 0; height: 100%; font-family: %%FONT%%; color: #1f2933; background: #fff; }
body { display: flex; flex-direction: column; }
#kg-header { display: flex; align-items: center; gap: 14px; padding: 8px 14px;
  border-bottom: 1px solid #d9dee3; background: #f7f9fb; flex-wrap: wrap; }
#kg-header h1 { font-size: 18px; margin: 0; font-weight: 600; }
#kg-header .kg-stats { font-size: 13px; color: #52606d; }
#kg-tools { margin-left: auto; display: flex; gap: 8px; align-items: center; }
#kg-tools input { font: inherit; font-size: 14px; padding: 4px 8px; width: 220px; border: 1px solid #b8c2cc;
  border-radius: 4px; }
#kg-tools button { font: inherit; font-size: 13px; padding: 4px 10px; border: 1px solid #b8c2cc;
  border-radius: 4px; background: #fff; cursor: pointer; }
#kg-tools button[aria-pressed="true"] { background: #e3f2fd; border-color: #1e88e5; }
#kg-matches { font-size: 12px; color: #52606d; min-width: 70px; }
#kg-message { padding: 6px 14px; background: #fff8e1; border-bottom: 1px solid #ffe082; font-size: 13px; }
#kg-main { position: relative; flex: 1 1 auto; min-height: 300px; }
#kg-network { position: absolute; inset: 0; }
#kg-legend { position: absolute; top: 10px; right: 10px; background: rgba(255,255,255,0.93);
  border: 1px solid #d9dee3; border-radius: 6px; padding: 8px 10px; font-size: 13px; max-width: 260px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.08); z-index: 2; }
#kg-legend h2 { font-size: 13px; margin: 0 0 4px; font-weight: 600; }
#kg-legend ul { list-style: none; margin: 0; padding: 0; }
#kg-legend li { margin: 3px 0; display: flex; align-items: center; gap: 6px; }
#kg-legend label { display: flex; align-items: center; gap: 6px; cursor: pointer; }
#kg-legend input { margin: 0; }
#kg-legend li.kg-edge { padding-left: 2px; }
div.vis-tooltip { max-width: 420px; white-space: normal; font-family: %%FONT%%; font-size: 13px;
  line-height: 1.45; padding: 8px 10px; background: #fffef5; }
.kg-tip-head { font-weight: 600; font-size: 14px; margin-bottom: 2px; }
.kg-tip-key { color: #52606d; margin-right: 4px; }
.kg-tip-row { word-break: break-all; }
"""

_JS = """
(function () {
  "use strict";
  var DATA = %%DATA%%;
  var status = document.getElementById("kg-status");
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  // Tooltips as DOM built with textContent: vis would otherwise take the title string, and
  // document text must never be parsed as HTML.
  function tip(rows) {
    var box = el("div", "kg-tip");
    rows.forEach(function (row) {
      if (!row[0]) { box.appendChild(el("div", "kg-tip-head", row[1])); return; }
      var line = el("div", "kg-tip-row");
      line.appendChild(el("span", "kg-tip-key", row[0] + ":"));
      line.appendChild(document.createTextNode(row[1]));
      box.appendChild(line);
    });
    return box;
  }
  DATA.nodes.forEach(function (n) { if (n.tip) { n.title = tip(n.tip); delete n.tip; } });
  DATA.edges.forEach(function (e) { if (e.title) { e.title = tip([["", e.title]]); } });
  var nodes = new vis.DataSet(DATA.nodes);
  var edges = new vis.DataSet(DATA.edges);
  // Data goes in only after the listeners are on: a small graph can settle and paint
  // before a listener added after the constructor would hear of it.
  var network = new vis.Network(document.getElementById("kg-network"), {}, DATA.options);
  window.kgNetwork = network;
  window.kgNodes = nodes;
  var drawn = false;
  network.on("afterDrawing", function () {
    if (drawn) { return; }
    drawn = true;
    report();
    status.setAttribute("data-drawn", "1");
  });

  function report() {
    status.setAttribute("data-nodes", String(network.body.nodeIndices.length));
    status.setAttribute("data-edges", String(network.body.edgeIndices.length));
    status.setAttribute("data-xss", window.__xss ? "1" : "0");
  }

  var physicsButton = document.getElementById("kg-physics");
  var physicsOn = DATA.options.physics.enabled;
  function showPhysics() {
    physicsButton.setAttribute("aria-pressed", physicsOn ? "true" : "false");
    physicsButton.textContent = "物理布局 Physics: " + (physicsOn ? "on" : "off");
  }
  physicsButton.addEventListener("click", function () {
    physicsOn = !physicsOn;
    network.setOptions({physics: {enabled: physicsOn}});
    showPhysics();
  });
  showPhysics();
  // Stop the simulation once settled: a graph that keeps drifting cannot be read.
  network.once("stabilizationIterationsDone", function () {
    physicsOn = false;
    network.setOptions({physics: {enabled: false}});
    showPhysics();
    // Paint now: the frame vis asks for may never come in a background tab or headless run.
    network.redraw();
  });
  document.getElementById("kg-fit").addEventListener("click", function () { network.fit(); });

  var hiddenKinds = {};
  var query = "";
  var matches = document.getElementById("kg-matches");
  function applyFilter() {
    var shown = [];
    var changes = nodes.get().map(function (n) {
      var hide = !!hiddenKinds[n.legend] || (query !== "" && n.search.indexOf(query) < 0);
      if (!hide) { shown.push(n.id); }
      return {id: n.id, hidden: hide};
    });
    nodes.update(changes);
    matches.textContent = query || Object.keys(hiddenKinds).length ? shown.length + " shown" : "";
    return shown;
  }
  var search = document.getElementById("kg-search");
  search.addEventListener("input", function () { query = search.value.trim().toLowerCase(); applyFilter(); });
  search.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter") { return; }
    var shown = applyFilter();
    if (shown.length) { network.selectNodes(shown); network.fit({nodes: shown, animation: true}); }
  });
  Array.prototype.forEach.call(document.querySelectorAll("#kg-legend input[data-legend]"), function (box) {
    box.addEventListener("change", function () {
      var key = box.getAttribute("data-legend");
      if (box.checked) { delete hiddenKinds[key]; } else { hiddenKinds[key] = true; }
      applyFilter();
    });
  });

  network.setData({nodes: nodes, edges: edges});
  if (!physicsOn) { network.redraw(); }
  // Again later: an injected handler (onerror of a broken image) would fire after first paint.
  setTimeout(report, 1500);
})();
"""

_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="%%CSP%%">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%%TITLE%%</title>
<style>%%VIS_CSS%%</style>
<style>%%CSS%%</style>
<script>%%VIS_JS%%</script>
</head>
<body>
<div id="kg-header">
  <h1>%%TITLE%%</h1>
  <span class="kg-stats">%%STATS%%</span>
  <div id="kg-tools">
    <input id="kg-search" type="search" placeholder="搜索 filter: 名称 / name" aria-label="filter nodes">
    <span id="kg-matches"></span>
    <button id="kg-physics" type="button" aria-pressed="false">物理布局 Physics</button>
    <button id="kg-fit" type="button">适应窗口 Fit</button>
  </div>
</div>
%%MESSAGE%%
<div id="kg-main">
  <div id="kg-network"></div>
  <div id="kg-legend"><h2>图例 Legend</h2><ul>
%%LEGEND%%
  </ul></div>
</div>
<div id="kg-status" hidden data-nodes="" data-edges="" data-drawn="0" data-xss="pending"
     data-expected="%%EXPECTED%%"></div>
<script>%%APP_JS%%</script>
</body>
</html>
"""


def _fill(template: str, values: Mapping[str, str]) -> str:
    """One pass, so a value that happens to contain a %%TOKEN%% is never substituted again."""
    return re.sub(r"%%([A-Z_]+)%%", lambda m: values[m.group(1)], template)


def _csp(scripts: list[str]) -> str:
    """Only our own two scripts run (by hash, so no inline handler an injection could add),
    and nothing at all is fetched: the page must work offline and leak nothing."""
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(s.encode('utf-8')).digest()).decode()}'" for s in scripts)
    return (f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:; "
            "font-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'")


def _page(*, title: str, nodes: list[dict[str, Any]], edges: list[dict[str, Any]], options: dict[str, Any],
          used: set[str], message: str, total: int) -> str:
    vis_js = _vendor("vis-network.min.js")
    app_js = _fill(_JS, {"DATA": script_json({"nodes": nodes, "edges": edges, "options": options})})
    stats = f"{len(nodes)} nodes, {len(edges)} edges" + (f" (of {total} nodes)" if len(nodes) < total else "")
    return _fill(_PAGE, {
        "CSP": _csp([vis_js, app_js]),
        "TITLE": html.escape(title),
        "VIS_CSS": _vendor("vis-network.css"),
        "CSS": _fill(_CSS, {"FONT": FONT_FACE}),
        "VIS_JS": vis_js,
        "STATS": html.escape(stats),
        "MESSAGE": f'<div id="kg-message" role="status">{html.escape(message)}</div>' if message else "",
        "LEGEND": _legend(used),
        "EXPECTED": str(len(nodes)),
        "APP_JS": app_js,
    })

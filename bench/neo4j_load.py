"""Stage `neo4j`: `kg push` against rdflib-neo4j (the Neo4j-labs RDF loader) loading the same
N-Quads into the same local server, in the order kg, rdflib-neo4j, kg (so a server that
warms up or fills up over the run favours neither side)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from bench.context import KG, Context, Row, run_measured

# rdflib-neo4j as its documentation sets it up: an rdflib Graph over its Neo4jStore, batching
# on (5000 nodes or relationships per query), local names for labels, properties and types
# (IGNORE, the same naming kg uses), one value per property (its default). Our server runs
# without auth, so the store gets a ready driver instead of an auth dict. It reads N-Triples:
# rdflib's N-Quads parser wants a graph-aware store, which rdflib-neo4j's is not.
_RDFLIB_NEO4J = """
import json, sys, time
from neo4j import GraphDatabase
from rdflib import Graph
from rdflib_neo4j import HANDLE_VOCAB_URI_STRATEGY, Neo4jStore, Neo4jStoreConfig
driver = GraphDatabase.driver(sys.argv[2], auth=None)
config = Neo4jStoreConfig(handle_vocab_uri_strategy=HANDLE_VOCAB_URI_STRATEGY.IGNORE, batching=True)
t = time.perf_counter()
graph = Graph(store=Neo4jStore(config=config, neo4j_driver=driver))
graph.parse(sys.argv[1], format="nt")
graph.close(True)
secs = time.perf_counter() - t
driver.close()
print(json.dumps({"seconds": secs}))
"""


_PUSHED = re.compile(r" in ([0-9.]+)s;")


def push(ctx: Context, n: int) -> tuple[float, float]:
    """Replace whatever the bench server holds by the n-document store; (seconds, RSS MB).
    The seconds are kg push's own figure (from opening the store to the last commit), so
    that, like rdflib-neo4j's, they leave out interpreter start-up and imports."""
    store = ctx.store(n)
    with ctx.neo4j() as neo:
        neo.clear()
    m = run_measured([KG, "push", "--store", str(store)], env=ctx.push_env())
    ctx.neo4j_holds = n
    found = _PUSHED.search(m.stdout)
    return (float(found.group(1)) if found else m.seconds), m.peak_rss_mb


def _counts(ctx: Context) -> tuple[int, int]:
    with ctx.neo4j() as neo:
        return neo.counts()


def quads_in(path: object) -> int:
    with open(str(path), "rb") as f:
        return sum(1 for line in f if line.strip() and not line.startswith(b"#"))


def as_ntriples(nq: Path) -> Path:
    """Every quad of the export as a triple, in the same order (repeats kept: the same
    statements kg push sends, minus the graph name)."""
    import pyoxigraph as ox

    nt = nq.with_suffix(".nt")
    if not nt.exists():
        triples = (ox.Triple(q.subject, q.predicate, q.object)
                   for q in ox.parse(path=str(nq), format=ox.RdfFormat.N_QUADS))
        ox.serialize(triples, output=str(nt), format=ox.RdfFormat.N_TRIPLES)
    return nt


def bench_neo4j(ctx: Context) -> dict[str, list[Row]]:
    n = ctx.plan.neo4j
    nq = ctx.nquads(n)
    quads = quads_in(nq)
    nt = as_ntriples(nq)

    # A fresh server compiles its queries and grows its caches on the first load: one untimed
    # push first, or whichever loader went first would pay for it.
    push(ctx, n)
    kg1, kg_rss = push(ctx, n)
    kg_nodes, kg_rels = _counts(ctx)
    with ctx.neo4j() as neo:
        neo.clear()
    m = run_measured([sys.executable, "-c", _RDFLIB_NEO4J, str(nt), ctx.neo4j_uri])
    rl_s = json.loads(m.stdout.strip().splitlines()[-1])["seconds"]
    rl_nodes, rl_rels = _counts(ctx)
    kg2, _ = push(ctx, n)  # leaves kg's graph in place for the query stage

    kg_s = (kg1 + kg2) / 2
    ratio = rl_s / kg_s
    ok = "met" if ratio >= 3 else "MISSED"
    ctx.headline("kg push vs rdflib-neo4j", f"{ratio:.2f}x",
                 f"target >= 3: {ok}; {n:,} docs, {quads:,} quads")
    rows: list[Row] = [
        ("kg push", f"{quads / kg_s:,.0f} triples/s",
         f"mean of {kg1:.1f} s and {kg2:.1f} s (before and after rdflib-neo4j; after a warm-up "
         f"push); {kg_nodes:,} nodes, {kg_rels:,} relationships; client peak RSS {kg_rss:,.0f} MB"),
        ("rdflib-neo4j (Graph.parse into Neo4jStore)", f"{quads / rl_s:,.0f} triples/s",
         f"{rl_s:.1f} s; {rl_nodes:,} nodes, {rl_rels:,} relationships; client peak RSS "
         f"{m.peak_rss_mb:,.0f} MB"),
        ("ratio kg push / rdflib-neo4j", f"{ratio:.2f}x", f"target >= 3: {ok}"),
    ]
    return {f"Neo4j load: {n:,} documents, {quads:,} quads, same server": rows}

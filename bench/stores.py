"""Stages `store` (RDF build + load into the embedded store, against pyoxigraph's bulk loader
and rdflib's in-memory parser on the same N-Quads) and `memory` (peak RSS of `kg build`)."""

from __future__ import annotations

import json
import re
import shutil
import statistics
import sys
import time
from pathlib import Path

from bench.context import KG, Context, Row, run_measured

REPEATS = 3  # loads that are cheap to repeat are reported as the median of this many

# rdflib runs in its own process: its peak memory is part of the comparison, and a few GB of
# Python objects would otherwise stay in the bench process for every later stage.
_RDFLIB = """
import json, sys, time
import rdflib
t = time.perf_counter()
ds = rdflib.Dataset()
ds.parse(sys.argv[1], format="nquads")
secs = time.perf_counter() - t
print(json.dumps({"seconds": secs, "quads": sum(len(g) for g in ds.graphs())}))
"""

# pyoxigraph's own bulk loader, also in a child so its RocksDB memory is measured alone.
_BULK = """
import json, sys, time
import pyoxigraph as ox
t = time.perf_counter()
store = ox.Store(sys.argv[2])
store.bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS)
store.flush()
secs = time.perf_counter() - t
print(json.dumps({"seconds": secs, "quads": len(store)}))
"""


def _child(script: str, *args: str) -> tuple[dict[str, float], float]:
    m = run_measured([sys.executable, "-c", script, *args])
    return json.loads(m.stdout.strip().splitlines()[-1]), m.peak_rss_mb


def build_via_api(ctx: Context, n: int) -> dict[str, float]:
    """What `kg build` does per document (kg.cli.store.OxigraphSink.put: document_quads then
    put_graph), timed around those two calls only, so extraction does not count. workers=1:
    extraction in a pool would compete with the timed writes for the 2 cores."""
    import pyoxigraph as ox

    from kg.pipeline import iter_documents
    from kg.rdf import document_quads, graph_iri
    from kg.store import open_store

    path = ctx.run_dir / f"store-{n}-api"
    shutil.rmtree(path, ignore_errors=True)
    rdf_s = load_s = 0.0
    triples = docs = 0
    errors: list[object] = []
    kept: list[tuple[str, list[object]]] = []  # to replay the load alone (median of REPEATS)
    store = open_store(path)
    t = time.perf_counter()
    triples += store.load_ontology()
    load_s += time.perf_counter() - t
    from kg.ontology import ONTOLOGY_GRAPH, ontology_quads

    kept.append((ONTOLOGY_GRAPH, list(ontology_quads())))
    for doc in iter_documents([ctx.replica(n)], errors.append, workers=1):
        t0 = time.perf_counter()
        quads = document_quads(doc)
        t1 = time.perf_counter()
        triples += store.put_graph(graph_iri(doc.doc_id), quads)
        load_s += time.perf_counter() - t1
        rdf_s += t1 - t0
        docs += 1
        kept.append((graph_iri(doc.doc_id), quads))
    t = time.perf_counter()
    store.close()  # flushes: bulk_load's figure includes its flush too
    load_s += time.perf_counter() - t
    ctx.stores.setdefault(n, path)

    # The load again from the same quads, alternating with pyoxigraph's own transactional
    # insert (Store.extend, one transaction per document): the reference for what the SPARQL
    # text round trip in put_graph costs (bench/README.md, Findings).
    loads, extends = [load_s], []
    for i in range(REPEATS - 1):
        replay = ctx.run_dir / f"replay-{n}-{i}"
        t = time.perf_counter()
        with open_store(replay) as again:
            for graph, quads in kept:
                again.put_graph(graph, quads)  # type: ignore[arg-type]
        loads.append(time.perf_counter() - t)
        shutil.rmtree(replay, ignore_errors=True)
        t = time.perf_counter()
        raw = ox.Store(str(replay))
        for _, quads in kept:
            raw.extend(quads)  # type: ignore[arg-type]
        raw.flush()
        extends.append(time.perf_counter() - t)
        del raw
        shutil.rmtree(replay, ignore_errors=True)
    return {"docs": docs, "triples": triples, "rdf_s": rdf_s, "load_s": statistics.median(loads),
            "load_runs": len(loads), "extend_s": statistics.median(extends) if extends else 0.0,
            "errors": len(errors)}


def bench_store(ctx: Context) -> dict[str, list[Row]]:
    n = ctx.plan.store
    kg = build_via_api(ctx, n)
    t = time.perf_counter()
    nq = ctx.nquads(n)
    export_s = time.perf_counter() - t
    size_mb = nq.stat().st_size / 1e6

    bulk_runs, bulk_rss = [], 0.0
    for i in range(REPEATS):
        dest = ctx.run_dir / f"bulk-{n}-{i}"
        out, rss = _child(_BULK, str(nq), str(dest))
        bulk_runs.append(out["seconds"])
        bulk_quads = int(out["quads"])
        bulk_rss = max(bulk_rss, rss)
        shutil.rmtree(dest, ignore_errors=True)
    bulk_s = statistics.median(bulk_runs)
    rdflib_out, rdflib_rss = _child(_RDFLIB, str(nq))

    kg_s = kg["rdf_s"] + kg["load_s"]
    kg_tps = kg["triples"] / kg_s
    bulk_tps = bulk_quads / bulk_s
    rdflib_tps = rdflib_out["quads"] / rdflib_out["seconds"]
    ratio_bulk = kg_tps / bulk_tps
    ratio_rdflib = kg_tps / rdflib_tps
    ok = "met" if ratio_bulk >= 0.5 else "MISSED"
    ctx.headline("kg build+load vs pyoxigraph bulk_load", f"{ratio_bulk:.2f}x",
                 f"target >= 0.5: {ok}; {n:,} docs")
    ctx.headline("kg build+load vs rdflib Dataset.parse", f"{ratio_rdflib:.2f}x", f"in memory; {n:,} docs")
    rows: list[Row] = [
        ("kg RDF build + load (document_quads + put_graph)", f"{kg_tps:,.0f} triples/s",
         f"{kg['triples']:,} triples from {kg['docs']:,} docs in {kg_s:.1f} s "
         f"(build {kg['rdf_s']:.1f} s + load {kg['load_s']:.1f} s, load median of {kg['load_runs']}); "
         f"extraction excluded; {kg['errors']} files failed"),
        ("kg load only (put_graph)", f"{kg['triples'] / kg['load_s']:,.0f} triples/s",
         "one SPARQL UPDATE (DROP + INSERT DATA) per document"),
        ("pyoxigraph Store.extend, one call per document", f"{kg['triples'] / kg['extend_s']:,.0f} triples/s"
         if kg["extend_s"] else "n/a",
         f"the same quads; median of {REPEATS - 1}; reference for put_graph's SPARQL text path"),
        ("kg export --format nq", f"{size_mb:.0f} MB", f"{export_s:.1f} s; the file both baselines read"),
        ("pyoxigraph Store.bulk_load (on disk)", f"{bulk_tps:,.0f} triples/s",
         f"{bulk_quads:,} quads, median {bulk_s:.1f} s of {REPEATS}, peak RSS {bulk_rss:,.0f} MB"),
        ("rdflib Dataset.parse (in memory)", f"{rdflib_tps:,.0f} triples/s",
         f"{int(rdflib_out['quads']):,} quads in {rdflib_out['seconds']:.1f} s, "
         f"peak RSS {rdflib_rss:,.0f} MB"),
        ("ratio kg / bulk_load", f"{ratio_bulk:.2f}x", f"target >= 0.5: {ok}"),
        ("ratio kg / rdflib", f"{ratio_rdflib:.2f}x", "kg writes to disk, rdflib keeps it in memory"),
    ]
    if kg["triples"] != bulk_quads:
        rows.append(("check", "MISMATCH",
                     f"kg wrote {kg['triples']:,} triples, the export holds {bulk_quads:,}"))
    return {f"Embedded store: RDF build + load, {n:,} documents": rows}


_WRITTEN = re.compile(r"(\d+) triples written")
_FAILED = re.compile(r"(\d+) failed")


def bench_memory(ctx: Context) -> dict[str, list[Row]]:
    rows: list[Row] = []
    peaks: dict[tuple[int, int], float] = {}
    for workers in (1, 2):
        for n in ctx.plan.memory:
            folder = ctx.replica(n)
            path = ctx.run_dir / f"mem-{n}-w{workers}"
            # exit 1 means some files failed (reported below), not that the build did
            m = run_measured([KG, "build", str(folder), "--store", str(path), "--workers", str(workers)],
                             ok=(0, 1))
            found = _WRITTEN.search(m.stdout)
            triples = int(found.group(1)) if found else 0
            failed = _FAILED.search(m.stdout)
            if failed and int(failed.group(1)):
                ctx.note(f"kg build of {n:,} documents (--workers {workers}): {failed.group(1)} failed")
            # workers=1: the one process does everything; workers=2: the pool is separate processes
            peak = m.peak_rss_mb if workers == 1 else m.tree_rss_mb
            peaks[(workers, n)] = peak
            rows.append((f"kg build {n:,} docs, --workers {workers}", f"{peak:,.0f} MB peak RSS",
                         f"{'writer process (wait4)' if workers == 1 else 'sum over process tree, sampled'}; "
                         f"{m.seconds:.0f} s end to end, {n / m.seconds:,.0f} docs/s, "
                         f"{triples / m.seconds:,.0f} triples/s, store {_du_mb(path):,.0f} MB on disk"))
            if workers == 1:
                ctx.stores.setdefault(n, path)
            else:
                shutil.rmtree(path, ignore_errors=True)
    small, big = ctx.plan.memory[0], ctx.plan.memory[-1]
    for workers in (1, 2):
        growth = peaks[(workers, big)] / peaks[(workers, small)]
        verdict = "flat" if growth <= 1.25 else "GROWS"
        rows.append((f"peak RSS {big:,} / {small:,} docs, --workers {workers}", f"{growth:.2f}x",
                     f"{big // small}x the documents; flat means <= 1.25x: {verdict}"))
    growth1 = peaks[(1, big)] / peaks[(1, small)]
    ctx.headline(f"kg build peak RSS {big:,} vs {small:,} docs", f"{growth1:.2f}x",
                 f"{peaks[(1, small)]:,.0f} -> {peaks[(1, big)]:,.0f} MB; must stay flat (<= 1.25x): "
                 + ("met" if growth1 <= 1.25 else "MISSED"))
    return {"Memory: peak RSS of kg build": rows}


def _du_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6

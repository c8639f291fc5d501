"""Stage `queries`: p50/p95 latency of every canned query (kg.query.run) on the embedded store
and on Neo4j, at each size of the plan. Each query runs in a child (bench/query_worker.py)
that is killed after TIMEOUT_S, so one runaway query costs a row, not the run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.context import Context, Row, Table, percentile
from bench.neo4j_load import push

WORKER = str(Path(__file__).resolve().parent / "query_worker.py")
TIMEOUT_S = 180
TARGET_MS = 50.0
# Required parameters get a value that exists in every replica: a key most documents use
# for their first measure; `unit` is picked from the data (the unit with the most measures).
FIXED = {"measure": "1"}
FALLBACK_UNIT = "区教委"


def _time(engine: str, target: str, name: str, params: dict[str, Any]) -> dict[str, Any] | str:
    try:
        out = subprocess.run([sys.executable, WORKER, engine, target, name, json.dumps(params)],
                             capture_output=True, timeout=TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        return f"timeout > {TIMEOUT_S} s"
    if out.returncode:
        lines = out.stderr.decode(errors="replace").strip().splitlines()
        return "error: " + (lines[-1][:120] if lines else f"exit {out.returncode}")
    return json.loads(out.stdout.decode().strip().splitlines()[-1])


def _params(store_dir: Path) -> dict[str, dict[str, Any]]:
    from kg import query
    from kg.store import open_store

    unit = FALLBACK_UNIT
    try:
        with open_store(store_dir, read_only=True) as store:
            rows = query.run(store, "unit-workload")
        if rows:
            unit = max(rows, key=lambda r: r["total"] or 0)["unit"] or unit
    except Exception:  # a broken unit-workload shows up in its own row
        pass
    values = {**FIXED, "unit": unit}
    return {name: {p.name: values[p.name] for p in q.params if p.required}
            for name, q in query.load_manifest().items()}


def _cell(result: dict[str, Any] | str) -> tuple[str, float | None, int | None]:
    if isinstance(result, str):
        return result, None, None
    p50, p95 = percentile(result["ms"], 0.5), percentile(result["ms"], 0.95)
    return f"{p50:,.1f} / {p95:,.1f}", p50, result["rows"]


HEADER = ("query [required parameters]", "oxigraph p50 / p95 ms", "neo4j p50 / p95 ms",
          "rows oxigraph / neo4j")


def bench_queries(ctx: Context) -> dict[str, list[Row] | Table]:
    from kg import query

    sections: dict[str, list[Row] | Table] = {}
    # the size Neo4j already holds first: a 10k push costs minutes
    for n in sorted(ctx.plan.queries, key=lambda n: n != ctx.neo4j_holds):
        store_dir = ctx.store(n)
        rows: list[tuple[str, ...]] = []
        if ctx.neo4j_holds != n:
            secs, _ = push(ctx, n)
            ctx.note(f"kg push of {n:,} documents before the query stage: {secs:,.1f} s")
        with ctx.neo4j() as neo:
            neo.ensure_schema()
        params = _params(store_dir)
        missed: list[str] = []
        worst = {"oxigraph": 0.0, "neo4j": 0.0}
        for name in query.load_manifest():
            ox_text, ox_p50, ox_rows = _cell(_time("oxigraph", str(store_dir), name, params[name]))
            neo_text, neo_p50, neo_rows = _cell(_time("neo4j", ctx.neo4j_uri, name, params[name]))
            for engine, p50 in (("oxigraph", ox_p50), ("neo4j", neo_p50)):
                if p50 is None or p50 > TARGET_MS:
                    missed.append(f"{name} ({engine})")
                worst[engine] = max(worst[engine], p50 if p50 is not None else float("inf"))
            shown = ", ".join(f"{k}={v}" for k, v in params[name].items())
            parity = "" if ox_rows == neo_rows else " (row counts differ)"
            rows.append((name + (f" [{shown}]" if shown else ""), ox_text, neo_text,
                         f"{ox_rows} / {neo_rows}{parity}"))
        ok = "met" if not missed else f"MISSED by {len(missed)} of {2 * len(params)}"
        ctx.headline(f"canned query p50, {n:,} docs", f"worst {_ms(worst['oxigraph'])} (oxigraph), "
                     f"{_ms(worst['neo4j'])} (neo4j)", f"target <= {TARGET_MS:.0f} ms: {ok}")
        if missed:
            rows.append(("over the target", "", "", ", ".join(missed)))
        sections[f"Queries at {n:,} documents (p50 target <= {TARGET_MS:.0f} ms)"] = Table(HEADER, rows)
    return sections


def _ms(value: float) -> str:
    return "no answer" if value == float("inf") else f"{value:,.0f} ms"

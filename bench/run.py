"""policy-kg benchmarks: figures and ratios measured side by side in one run.

    .venv/bin/python bench/run.py [--quick] [--only extract,store,neo4j,queries,memory]

Writes bench/RESULTS.md. See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import ROOT, replicate, size_bytes, unpack  # noqa: E402

WORK = Path(os.environ.get("KG_BENCH_WORK", Path(tempfile.gettempdir()) / "policy-kg-bench"))
Row = tuple[str, str, str]  # (what, figure, note)


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def bench_extract(files: list[Path]) -> list[Row]:
    from kg.pipeline import iter_documents

    mb = size_bytes(files) / 1e6
    rows: list[Row] = []
    per_core = {}
    for workers in (1, 2):
        errors: list[object] = []
        secs, n = timed(lambda w=workers: sum(1 for _ in iter_documents(files, errors.append, workers=w)))
        per_core[workers] = mb / secs / workers
        rows.append((f"extract, {workers} worker(s)", f"{n / secs:,.0f} docs/s, {mb / secs:.2f} MB/s",
                     f"{len(files)} docs, {mb:.1f} MB, {per_core[workers]:.2f} MB/s per core "
                     f"(target >= 2), {len(errors)} unreadable"))
    rows.append(("extract speed-up, 2 workers vs 1", f"{per_core[2] * 2 / per_core[1]:.2f}x", "2 cores"))
    return rows


def peak_rss_mb(cmd: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of a child process, from /usr/bin/time or getrusage."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    secs = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return secs, max(after, before) / 1024


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(q * (len(values) - 1))))
    return values[k]


def write_results(sections: dict[str, list[Row]]) -> Path:
    lines = ["# Benchmark results", "",
             f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
             f"{platform.system()} {platform.release()}. Date: {date.today().isoformat()}.", "",
             "Medians of repeated runs where stated; ratios are measured in the same run.", ""]
    for title, rows in sections.items():
        lines += [f"## {title}", "", "| what | figure | note |", "|---|---|---|"]
        lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
        lines.append("")
    out = ROOT / "bench" / "RESULTS.md"
    out.write_text("\n".join(lines), encoding="utf-8")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    ap.add_argument("--only", default="extract,store,neo4j,queries,memory")
    args = ap.parse_args()
    only = set(args.only.split(","))
    WORK.mkdir(parents=True, exist_ok=True)
    files = unpack(WORK)
    if args.quick:
        files = files[:300]
    sections: dict[str, list[Row]] = {}
    if "extract" in only:
        sections["Extraction (read + normalize + parse + extract)"] = bench_extract(files)
    for name, fn in EXTRA:
        if name in only:
            sections.update(fn(files, args.quick))
    for title, rows in sections.items():
        print(f"\n{title}")
        for a, b, c in rows:
            print(f"  {a:45s} {b:28s} {c}")
    print(f"\nwritten to {write_results(sections)}")


# Later stages register here: (name, fn(files, quick) -> {section title: rows}).
EXTRA: list[tuple[str, Callable[[list[Path], bool], dict[str, list[Row]]]]] = []

if __name__ == "__main__":
    _ = replicate, statistics  # used by the store/query stages below
    main()

"""policy-kg benchmarks: figures and ratios measured side by side in one run.

    .venv/bin/python bench/run.py [--quick] [--only extract,memory,store,neo4j,queries,formats]
                                 [--scale 100000] [--baseline GIT-REF]

Writes bench/RESULTS.md. See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.context import Context, Plan, Row, Table, timed
from bench.corpus import ROOT, size_bytes, unpack

WORK = Path(os.environ.get("KG_BENCH_WORK", Path(tempfile.gettempdir()) / "policy-kg-bench"))
Section = list[Row] | Table


def bench_extract(files: list[Path]) -> list[Row]:
    from kg.pipeline import iter_documents

    mb = size_bytes(files) / 1e6
    rows: list[Row] = []
    per_core = {}
    for workers in (1, 2):
        errors: list[object] = []
        secs, n = timed(lambda w=workers, e=errors: sum(1 for _ in iter_documents(files, e.append,
                                                                                  workers=w)))
        per_core[workers] = mb / secs / workers
        rows.append((f"extract, {workers} worker(s)", f"{n / secs:,.0f} docs/s, {mb / secs:.2f} MB/s",
                     f"{len(files)} docs, {mb:.1f} MB, {per_core[workers]:.2f} MB/s per core "
                     f"(target >= 2), {len(errors)} unreadable"))
    rows.append(("extract speed-up, 2 workers vs 1", f"{per_core[2] * 2 / per_core[1]:.2f}x", "2 cores"))
    return rows


_TIME_ONE_PASS = """
import sys, time
from pathlib import Path
from kg.pipeline import iter_documents
files = [Path(p) for p in Path(sys.argv[1]).read_text('utf-8').split('\\0') if p]
t = time.perf_counter()
n = sum(1 for _ in iter_documents(files, lambda e: None, workers=1))
print(n, time.perf_counter() - t)
"""


def bench_extract_against(files: list[Path], ref: str, rounds: int = 2) -> list[Row]:
    """The same extraction by the code at git `ref` and by this tree, in alternating rounds
    (the machine's noise falls on both), one worker each: the ratio is what a change costs."""
    trees = {"this tree": ROOT}
    base = WORK / f"baseline-{ref}"
    if not base.exists():
        subprocess.run(["git", "worktree", "add", "--detach", str(base), ref], cwd=ROOT, check=True,
                       capture_output=True)
    trees[f"baseline {ref}"] = base
    listing = WORK / "baseline-files.txt"
    listing.write_text("\0".join(str(f) for f in files), "utf-8")
    best: dict[str, float] = {}
    for _ in range(rounds):
        for name, tree in trees.items():
            out = subprocess.run([sys.executable, "-c", _TIME_ONE_PASS, str(listing)], cwd=tree,
                                 env=dict(os.environ, PYTHONPATH=str(tree)), capture_output=True,
                                 text=True, check=True).stdout.split()
            best[name] = min(best.get(name, float("inf")), float(out[1]))
    mb = size_bytes(files) / 1e6
    rows: list[Row] = [(f"extract, 1 worker, {name}", f"{mb / secs:.2f} MB/s",
                        f"best of {rounds}, {secs:.1f} s") for name, secs in best.items()]
    ratio = best[f"baseline {ref}"] / best["this tree"]
    rows.append((f"speed, this tree vs {ref}", f"{ratio:.2f}x", "target >= 1.00 (no slower than before)"))
    return rows


def _git_commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "kg", "queries"], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
        return out + (" + uncommitted changes in kg/ or queries/" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    def cell(x: str) -> str:
        return str(x).replace("|", "\\|")

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in r) + " |" for r in rows]
    return lines


def write_results(sections: dict[str, Section], ctx: Context | None, args: str, minutes: float) -> Path:
    import pyoxigraph
    import rdflib

    versions = f"pyoxigraph {pyoxigraph.__version__}, rdflib {rdflib.__version__}"
    try:
        from importlib.metadata import version

        versions += f", neo4j driver {version('neo4j')}, rdflib-neo4j {version('rdflib-neo4j')}"
    except Exception:  # rdflib-neo4j is only in the bench extra
        pass
    lines = ["# Benchmark results", "",
             f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
             f"{platform.system()} {platform.release()}. Date: {date.today().isoformat()}. "
             f"Commit: {_git_commit()}.", "",
             f"Run: `bench/run.py {args}`, {minutes:.0f} min. {versions}; Neo4j Community 5.26 "
             "(scripts/neo4j-local, heap 2g, page cache 256m).", "",
             "Every ratio compares figures measured in this same run. How each figure is measured: "
             "bench/README.md.", ""]
    if ctx is not None and ctx.headlines:
        lines += ["## Headline ratios", "", *_table(("what", "figure", "note"), ctx.headlines), ""]
    for title, section in sections.items():
        header, rows = (section.header, section.rows) if isinstance(section, Table) \
            else (("what", "figure", "note"), section)
        lines += [f"## {title}", "", *_table(header, rows), ""]
    if ctx is not None and ctx.notes:
        lines += ["## Notes", "", *[f"- {n}" for n in ctx.notes], ""]
    out = ROOT / "bench" / "RESULTS.md"
    ran = {"Headline ratios", "Notes", *sections} if ctx is not None and ctx.headlines else set(sections)
    lines += _kept_sections(out, ran)
    out.write_text("\n".join(lines), encoding="utf-8")
    return out


def _kept_sections(path: Path, ran: set[str]) -> list[str]:
    """The sections of the previous results that this run did not measure (`--only`), kept
    and marked with the run they come from, so a partial run never loses the others."""
    if not path.exists():
        return []
    old = path.read_text(encoding="utf-8")
    stamp = re.search(r"Date: ([\d-]+)\. Commit: ([^.\n]+)", old)
    origin = (f"_From the run of {stamp.group(1)}, commit {stamp.group(2)}._" if stamp
              else "_From an earlier run._")
    out: list[str] = []
    for block in re.split(r"(?m)^(?=## )", old)[1:]:
        title = block.splitlines()[0][3:].strip()
        if title in ran:
            continue
        body = block.rstrip("\n").split("\n")
        if not any(line.startswith("_From ") for line in body[1:3]):
            body[1:1] = ["", origin]
        out += [*body, ""]
    return out


def _print(sections: dict[str, Section]) -> None:
    for title, section in sections.items():
        print(f"\n{title}")
        for row in section.rows if isinstance(section, Table) else section:
            print("  " + "  ".join(f"{c:<28}" if i < len(row) - 1 else c for i, c in enumerate(row)))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="a few hundred documents, a few minutes")
    ap.add_argument("--only", default="extract," + ",".join(name for name, _ in EXTRA))
    ap.add_argument("--baseline", default=None, metavar="REF",
                    help="also time extraction by the code at git REF, side by side with this tree")
    ap.add_argument("--scale", type=int, default=None,
                    help="also build this many documents (memory and store stages), e.g. 100000")
    args = ap.parse_args()
    only = set(args.only.split(","))
    started = time.perf_counter()
    WORK.mkdir(parents=True, exist_ok=True)
    files = unpack(WORK)
    ctx = Context(files, args.quick, WORK, Plan.make(args.quick, args.scale))
    sections: dict[str, Section] = {}
    try:
        if "extract" in only:
            sample = files[:300] if args.quick else files
            sections["Extraction (read + normalize + parse + extract)"] = bench_extract(sample)
            if args.baseline:
                sections[f"Extraction against {args.baseline}"] = bench_extract_against(sample, args.baseline)
        for name, fn in EXTRA:
            if name in only:
                print(f"[{time.perf_counter() - started:5.0f} s] stage {name}", file=sys.stderr, flush=True)
                sections.update(fn(ctx))
    finally:
        ctx.close()
    _print(sections)
    minutes = (time.perf_counter() - started) / 60
    print(f"\nwritten to {write_results(sections, ctx, ' '.join(sys.argv[1:]), minutes)}")


def _stages() -> list[tuple[str, Callable[[Context], dict[str, Section]]]]:
    from bench import formats, neo4j_load, queries, stores

    # Order matters: memory builds the stores the later stages reuse, neo4j leaves its
    # graph loaded for the queries at the same size.
    return [("memory", stores.bench_memory), ("store", stores.bench_store),
            ("neo4j", neo4j_load.bench_neo4j), ("queries", queries.bench_queries),
            ("formats", formats.bench_formats)]


# The stages after extraction: (name, fn(ctx) -> {section title: rows}).
EXTRA: list[tuple[str, Callable[[Context], dict[str, Section]]]] = _stages()

if __name__ == "__main__":
    main()

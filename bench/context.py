"""What the benchmark stages share within one run: the sizes to measure, the replicated
corpora, the stores built so far and one local Neo4j server.

Replicas (plain text, slow to write at 100k) are kept in the work folder between runs; stores,
exports and the Neo4j database live in a per-run folder that is removed at the end, because
the code that builds them is what is under test and a store from yesterday proves nothing.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.corpus import ROOT, replicate

KG = str(Path(sys.executable).with_name("kg"))


def _free_port(start: int = 7760) -> int:
    """The first port from `start` nobody listens on: other people's servers on this machine
    (tests, demos) sit on the usual ports, and the bench must never load into one of them."""
    import socket

    for port in range(start, start + 100):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError(f"no free port in {start}..{start + 99}; set KG_BENCH_NEO4J_PORT")


NEO4J_PORT = int(os.environ.get("KG_BENCH_NEO4J_PORT") or _free_port())
NEO4J_HEAP = os.environ.get("KG_BENCH_NEO4J_HEAP", "2g")

Row = tuple[str, str, str]  # (what, figure, note)


@dataclass
class Table:
    """A results section with its own columns (the default is what | figure | note)."""

    header: tuple[str, ...]
    rows: list[tuple[str, ...]]


@dataclass(frozen=True)
class Plan:
    """Document counts per stage. Full: the sizes issue 8 asks for; quick: a smoke run."""

    memory: tuple[int, ...]
    store: int
    neo4j: int
    queries: tuple[int, ...]

    @classmethod
    def make(cls, quick: bool, scale: int | None = None) -> Plan:
        plan = cls((100, 300), 300, 300, (300,)) if quick else cls((1000, 10000), 10000, 10000, (1000, 10000))
        if scale:
            plan = cls((*plan.memory, scale), scale, plan.neo4j, plan.queries)
        return plan


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile: with 20 samples p95 is the 19th, not an interpolation."""
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(q * (len(values) - 1))))
    return values[k]


def _tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants (worker pools included)."""
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


@dataclass
class Measured:
    seconds: float
    peak_rss_mb: float  # the largest single process (wait4), the writer for workers=1
    tree_rss_mb: float  # sampled sum over the process tree every 50 ms
    stdout: str


def run_measured(cmd: list[str], env: dict[str, str] | None = None, ok: tuple[int, ...] = (0,)) -> Measured:
    """Run a child to completion; its own peak RSS comes from wait4, which (unlike
    RUSAGE_CHILDREN) is per child, so a small run after a big one is not masked."""
    # output to files, not pipes: a chatty child must never block on a full pipe
    out_f, err_f = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=out_f, stderr=err_f, env=env)
    tree = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal tree
        while not done.is_set():
            tree = max(tree, _tree_rss(proc.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    secs = time.perf_counter() - t
    done.set()
    sampler.join()
    out_f.seek(0)
    err_f.seek(0)
    out, err = out_f.read(), err_f.read()
    if proc.returncode not in ok:
        tail = (err or b"").decode(errors="replace").strip().splitlines()[-5:]
        what = " ".join(c for c in cmd[:3] if "\n" not in c)  # not a whole -c script
        raise RuntimeError(f"{what} … exited {proc.returncode}: {' | '.join(tail)}")
    return Measured(secs, usage.ru_maxrss / 1024, tree / 2**20, out.decode(errors="replace"))


@dataclass
class Context:
    files: list[Path]
    quick: bool
    work: Path
    plan: Plan
    run_dir: Path = field(init=False)
    stores: dict[int, Path] = field(default_factory=dict)  # n -> an Oxigraph store of n documents
    neo4j_holds: int | None = None  # how many documents the bench Neo4j holds (kg push), if known
    headlines: list[Row] = field(default_factory=list)  # the ratios against their targets
    notes: list[str] = field(default_factory=list)  # what else a reader of RESULTS.md should know
    _neo4j_started: bool = False

    def __post_init__(self) -> None:
        self.run_dir = self.work / f"run-{os.getpid()}"
        self.run_dir.mkdir(parents=True, exist_ok=True)

    def headline(self, what: str, figure: str, note: str) -> None:
        self.headlines.append((what, figure, note))

    def note(self, text: str) -> None:
        self.notes.append(text)

    def replica(self, n: int) -> Path:
        return replicate(self.files, n, self.work)

    def store(self, n: int) -> Path:
        """A store of the n-document replica: one built earlier in this run, else `kg build`."""
        if n not in self.stores:
            path = self.run_dir / f"store-{n}"
            # exit 1: some files failed; the build of the rest stands (the memory stage counts them)
            run_measured([KG, "build", str(self.replica(n)), "--store", str(path), "--workers", "2"],
                         ok=(0, 1))
            self.stores[n] = path
        return self.stores[n]

    def nquads(self, n: int) -> Path:
        """The store of n documents exported by `kg export --format nq`."""
        out = self.run_dir / f"export-{n}.nq"
        if not out.exists():
            run_measured([KG, "export", "--store", str(self.store(n)), "--format", "nq", "--out", str(out)])
        return out

    # -- Neo4j ------------------------------------------------------------------------------

    @property
    def neo4j_uri(self) -> str:
        return f"bolt://127.0.0.1:{NEO4J_PORT}"

    def _neo4j_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
        env.update(KG_NEO4J_PORT=str(NEO4J_PORT), KG_NEO4J_DATA=str(self.run_dir / "neo4j"),
                   KG_NEO4J_HEAP=NEO4J_HEAP, KG_NEO4J_PASSWORD="")
        return env

    def neo4j(self) -> Any:
        """A Neo4jStore on the bench's own server (started on first use, auth off)."""
        from kg.store.neo4j import Neo4jStore, Settings

        if not self._neo4j_started:
            subprocess.run([str(ROOT / "scripts" / "neo4j-local"), "start"], env=self._neo4j_env(),
                           check=True, stdout=subprocess.DEVNULL)
            self._neo4j_started = True
        return Neo4jStore(Settings(uri=self.neo4j_uri))

    def push_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
        env["NEO4J_URI"] = self.neo4j_uri
        return env

    def close(self) -> None:
        if self._neo4j_started:
            subprocess.run([str(ROOT / "scripts" / "neo4j-local"), "stop"], env=self._neo4j_env(),
                           check=False, stdout=subprocess.DEVNULL)
            self._neo4j_started = False
        shutil.rmtree(self.run_dir, ignore_errors=True)


def self_peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

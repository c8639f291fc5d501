"""One canned query, timed in a child process so that a runaway query can be killed:
    python bench/query_worker.py oxigraph|neo4j STORE_DIR|BOLT_URI NAME PARAMS_JSON
Prints {"ms": [...], "rows": n} as one JSON line. The first run is a warm-up and not reported."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MAX_RUNS = 30
MIN_RUNS = 5
BUDGET_S = 10.0  # stop repeating after this much time, once MIN_RUNS are in
SERVER_TIMEOUT_S = 170.0  # the parent kills this worker after 180 s
SLOW_S = 2.0  # a query this slow gets only 3 timed runs: its p50 is far off the target anyway


def main() -> None:
    from kg import query

    engine, target, name, params = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
    if engine == "neo4j":
        from kg.store.neo4j import Neo4jStore, Settings
        from neo4j import Query

        class TimedNeo4jStore(Neo4jStore):
            """Killing this process would not stop a runaway query on the server (nor free the
            2 cores for the next one): give every transaction a server-side timeout."""

            def query(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
                q = Query(cypher, timeout=SERVER_TIMEOUT_S)
                with self.driver.session(database=self.settings.database) as session:
                    return [r.data() for r in session.run(q, params or {})]

        store: Any = TimedNeo4jStore(Settings(uri=target))
    else:
        from kg.store import open_store

        store = open_store(target, read_only=True)
    t = time.perf_counter()
    rows = len(query.run(store, name, params))
    warm = time.perf_counter() - t
    runs = 3 if warm > SLOW_S else MAX_RUNS
    ms: list[float] = []
    started = time.perf_counter()
    while len(ms) < runs and (len(ms) < MIN_RUNS or time.perf_counter() - started < BUDGET_S):
        t = time.perf_counter()
        query.run(store, name, params)
        ms.append((time.perf_counter() - t) * 1000)
    store.close()
    print(json.dumps({"ms": ms, "rows": rows, "warmup_ms": warm * 1000}))


if __name__ == "__main__":
    main()

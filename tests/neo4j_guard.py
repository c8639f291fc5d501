"""The Neo4j tests clear the database they reach; this makes sure it is one they started.

scripts/test starts its server with KG_NEO4J_TEST=1: scripts/neo4j-local then writes a random
token to KG_NEO4J_DATA/test-token and the server creates (:KgTestMarker {token}) in its
database. Before the tests touch a server, and before every clear, the marker must be there
with the token of that file; otherwise the server is somebody else's (a user's on a reused
port, another run's) and the tests refuse it, leaving its data alone.
"""

from __future__ import annotations

import os
from pathlib import Path

from kg.store.neo4j import Neo4jStore

MARKER = "KgTestMarker"


class NotOurs(Exception):
    """The server on the test port does not carry this run's marker: never clear it."""


def data_folder() -> Path:
    """KG_NEO4J_DATA as scripts/neo4j-local reads it, with its default."""
    default = Path.home() / ".cache" / "policy-kg" / "neo4j" / "data"
    return Path(os.environ.get("KG_NEO4J_DATA") or default)


def expected_token() -> str | None:
    try:
        token = (data_folder() / "test-token").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return token or None


def check(store: Neo4jStore) -> str:
    """This run's token, if the server holds exactly its marker; else NotOurs, naming why."""
    token = expected_token()
    where = f"Neo4j at {store.settings.display_uri}"
    if token is None:
        raise NotOurs(f"refusing to use {where}: no {data_folder() / 'test-token'}, so it was not started "
                      "for tests (KG_NEO4J_TEST=1 scripts/neo4j-local start, as scripts/test does)")
    found = [r["t"] for r in store.query(f"MATCH (m:{MARKER}) RETURN m.token AS t")]
    if found != [token]:
        what = "no test marker" if not found else "another run's test marker"
        raise NotOurs(f"refusing to use {where}: its database has {what}, "
                      f"not the token in {data_folder() / 'test-token'}")
    return token


def clear(store: Neo4jStore) -> None:
    """Empty our test database and put the marker back; refuse any other database untouched."""
    token = check(store)
    store.clear()
    # a crash between these two leaves no marker: the next run refuses, which is the safe side
    store.query(f"CREATE (:{MARKER} {{token: $t}})", {"t": token})

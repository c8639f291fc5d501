"""Where the graph lives. The default is an embedded Oxigraph store in a folder (no server);
`kg.store.neo4j` holds the same named graphs in Neo4j.

The tiny API every caller (build, stats, queries, analytics, viz, export) relies on:

    store = open_store("kg-store", read_only=True)
    store.put_document(doc)           # replace one document's named graph, atomically
    store.counts()                    # {"documents": …, "triples": …, "measures": …}
    store.graphs()                    # named graph IRIs
    store.sparql("SELECT …", {"x": …})  # rows as dicts of plain Python values
    store.close()                     # or use it as a context manager
"""

from __future__ import annotations

from pathlib import Path

from kg.store.oxigraph import OxigraphStore, StoreError, StoreLocked

DEFAULT_STORE = Path("kg-store")

__all__ = ["DEFAULT_STORE", "OxigraphStore", "StoreError", "StoreLocked", "open_store"]


def open_store(path: str | Path = DEFAULT_STORE, read_only: bool = False) -> OxigraphStore:
    """The on-disk store at `path` (created when writable and missing).

    Writable: one process at a time; a second writer gets StoreLocked ("store is locked by
    another process: PATH"). Read-only: any number of readers, also while a writer is at
    work; each reader sees the store as it was committed when it opened (see OxigraphStore).
    """
    return OxigraphStore(path, read_only=read_only)

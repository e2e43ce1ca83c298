"""Read-only store connections for the web server's threads.

FastAPI runs plain endpoint functions in a thread pool, and neither a DuckDB connection nor a transaction on one
PostgreSQL connection is meant to be shared by threads at once, so each thread gets its own: for DuckDB a cursor
of the one read-only database handle (cheap, and the file's lock is taken once), for PostgreSQL its own
connection in a read-only session, so that no endpoint can write even by mistake.
"""
from __future__ import annotations

import copy
import contextlib
import tempfile
import threading
from pathlib import Path
from typing import Iterator

from ..store import Store, open_store


# DuckDB keeps the blocks it has read in its buffer pool up to its memory limit (80% of RAM by default), so a
# server that streamed a whole 1 GB store out as CSV held most of it. 512 MB bounds that; the export's sort of
# 1,000,000 events runs in it, spilling to disk (256 MB was too little for its joins).
DUCKDB_MEMORY_LIMIT = "512MB"


def _read_only_session(store: Store) -> Store:
    if store.dialect == "postgres":
        store.backend.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    else:
        # A sort larger than the limit spills to disk: to the system's temporary folder, as the database's own
        # folder may not be writable for a read-only server.
        spill = Path(tempfile.gettempdir()) / "sitrep-duckdb-spill"
        store.backend.execute(f"SET memory_limit = '{DUCKDB_MEMORY_LIMIT}'")
        store.backend.execute(f"SET temp_directory = '{_sql_text(str(spill))}'")   # SET takes no parameters
    return store


def _sql_text(value: str) -> str:
    return value.replace("'", "''")


class StoreSource:
    """Hands each thread its own read-only Store over one target (a DuckDB path or a postgresql:// URL)."""

    def __init__(self, target: str):
        self.target = target
        # Opening the root store here makes a missing, locked or foreign database fail at start-up, not at the
        # first request.
        self.root = _read_only_session(open_store(target, read_only=True))
        self._local = threading.local()
        self._opened: list[Store] = []
        self._lock = threading.Lock()

    def _open(self) -> Store:
        if self.root.dialect == "duckdb":
            backend = copy.copy(self.root.backend)
            backend.con = self.root.backend.con.cursor()
            backend._in_tx = False
            store = Store(backend)
        else:
            store = _read_only_session(open_store(self.target, read_only=True))
        with self._lock:
            self._opened.append(store)
        return store

    def get(self) -> Store:
        """This thread's store."""
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = self._open()
        return store

    @contextlib.contextmanager
    def dedicated(self) -> Iterator[Store]:
        """A store of its own for a long streamed response, whose chunks may be read on different threads."""
        store = self._open()
        try:
            yield store
        finally:
            with self._lock:
                if store in self._opened:
                    self._opened.remove(store)
            store.close()

    def close(self) -> None:
        with self._lock:
            opened, self._opened = self._opened, []
        for store in opened:
            store.close()
        self.root.close()

"""Read-only store connections for the web server's threads.

FastAPI runs plain endpoint functions in a thread pool, and neither a DuckDB connection nor a transaction on one
PostgreSQL connection is meant to be shared by threads at once, so each thread gets its own: for DuckDB a cursor
of the one read-only database handle (cheap, and the file's lock is taken once), for PostgreSQL its own
connection in a read-only session, so that no endpoint can write even by mistake.
"""
from __future__ import annotations

import copy
import contextlib
import threading
from typing import Iterator

from ..store import Store, open_store


def _read_only_session(store: Store) -> Store:
    if store.dialect == "postgres":
        store.backend.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    return store


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

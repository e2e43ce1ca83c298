"""Database backends behind the Store: an embedded DuckDB file or a PostgreSQL server.

A backend knows how to connect, run a statement with `?` placeholders, bulk-insert rows, hold a transaction
and turn the driver's exceptions into StoreError. Everything else (the SQL itself) is shared.
"""
from __future__ import annotations

import contextlib
import itertools
import logging
from pathlib import Path
from typing import Any, Iterator, Sequence

from ..errors import StoreError, redact

LOGGER = logging.getLogger(__name__)

DEFAULT_DB = "sitrep.duckdb"


def is_postgres_url(target: str) -> bool:
    return target.startswith(("postgresql://", "postgres://"))


def _describe_os_error(exc: BaseException) -> str:
    text = str(exc)
    lowered = text.lower()
    if "no space left" in lowered or "disk full" in lowered or "file too large" in lowered:
        return "the disk is full (no space left on device)"
    # DuckDB's lock message also mentions "read-only mode" (as a way out), so the lock is recognised first.
    if "lock" in lowered and ("conflicting" in lowered or "could not set lock" in lowered):
        return ("the database file is locked by another process (close it, or wait for the other ingest or "
                "`sitrep serve` to finish)")
    if "read-only" in lowered or "permission denied" in lowered:
        return "the location is read-only (permission denied)"
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return first


class Backend:
    """What the Store needs from a database driver."""

    dialect = ""
    json_type = "TEXT"
    display = ""    # how messages name the database (never with a password)
    con: Any = None
    _in_tx = False

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        raise NotImplementedError

    def query(self, sql: str, params: Sequence[Any] = ()) -> tuple[list[str], list[tuple]]:
        """Rows and their column names."""
        raise NotImplementedError

    def stream(self, sql: str, params: Sequence[Any] = (), size: int = 10_000) -> Iterator[list[tuple]]:
        """The rows of a query in batches of `size`, read as they are consumed (a result of millions of rows is
        never held at once). Other statements may run on this backend between two batches."""
        raise NotImplementedError

    def insert_rows(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        raise NotImplementedError

    def lock_keys(self, keys: Sequence[str]) -> None:
        """Hold a lock on each key until the open transaction ends, so that two writers never decide about
        the same article at once. DuckDB needs none: one process at a time can open the file for writing."""

    @contextlib.contextmanager
    def schema_lock(self) -> Iterator[None]:
        """Held while migrating, so that processes opening a new database at once do not migrate it twice."""
        yield

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction; a nested call joins the one already open, which alone commits or rolls back."""
        if self._in_tx:
            yield
            return
        self._in_tx = True
        try:
            with self._transaction():
                yield
        finally:
            self._in_tx = False

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        """Begin, then commit, or roll back on any exception, in the driver's own way."""
        raise NotImplementedError
        yield  # pragma: no cover

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.con.close()


class DuckDBBackend(Backend):
    """An embedded DuckDB file (the default). DuckDB locks the file: one writing process at a time."""

    dialect = "duckdb"
    json_type = "JSON"

    def __init__(self, path: str, read_only: bool = False):
        import duckdb

        self._duckdb = duckdb
        self.path = path
        self.display = path
        if path != ":memory:":
            parent = Path(path).expanduser().resolve().parent
            if not parent.is_dir():
                raise StoreError(f"cannot open database {path}: directory {parent} does not exist")
            if read_only and not Path(path).exists():
                raise StoreError(f"no database at {path}; run `sitrep ingest` first")
        try:
            self.con = duckdb.connect(path, read_only=read_only)
        except (duckdb.Error, OSError) as exc:
            raise StoreError(f"cannot open database {path}: {_describe_os_error(exc)}") from None

    def _wrap(self, exc: BaseException, what: str) -> StoreError:
        if isinstance(exc, self._duckdb.InterruptException):
            raise KeyboardInterrupt      # Ctrl-C during a statement: the CLI's one "interrupted" line, exit 130
        return StoreError(f"database {self.path}: {what} failed: {_describe_os_error(exc)}")

    def execute(self, sql, params=()):
        try:
            cur = self.con.execute(sql, list(params))
            try:
                return cur.fetchall()
            except self._duckdb.InvalidInputError:
                return []
        except (self._duckdb.Error, OSError) as exc:
            raise self._wrap(exc, "statement") from None

    def query(self, sql, params=()):
        try:
            cur = self.con.execute(sql, list(params))
            columns = [d[0] for d in cur.description]
            return columns, cur.fetchall()
        except (self._duckdb.Error, OSError) as exc:
            raise self._wrap(exc, "query") from None

    def stream(self, sql, params=(), size=10_000):
        cur = self.con.cursor()      # a connection of its own, so statements between batches do not reset it
        try:
            try:
                res = cur.execute(sql, list(params))
                while True:
                    batch = res.fetchmany(size)
                    if not batch:
                        return
                    yield batch
            except (self._duckdb.Error, OSError) as exc:
                raise self._wrap(exc, "query") from None
        finally:
            cur.close()

    def insert_rows(self, table, columns, rows):
        if not rows:
            return
        import pyarrow as pa

        # A registered Arrow table inserts thousands of rows in one statement; executemany is row by row.
        arrays = {c: [r[i] for r in rows] for i, c in enumerate(columns)}
        data = pa.table({c: pa.array(vals) for c, vals in arrays.items()})
        name = f"_sitrep_rows_{table}"
        try:
            self.con.register(name, data)
            try:
                cols = ", ".join(columns)
                self.con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {name} ON CONFLICT DO NOTHING")
            finally:
                self.con.unregister(name)
        except (self._duckdb.Error, OSError) as exc:
            raise self._wrap(exc, f"insert into {table}") from None

    @contextlib.contextmanager
    def _transaction(self):
        try:
            self.con.execute("BEGIN TRANSACTION")
        except (self._duckdb.Error, OSError) as exc:
            raise self._wrap(exc, "begin") from None
        try:
            yield
        except BaseException:
            with contextlib.suppress(Exception):
                self.con.execute("ROLLBACK")
            raise
        try:
            self.con.execute("COMMIT")
        except (self._duckdb.Error, OSError) as exc:
            with contextlib.suppress(Exception):
                self.con.execute("ROLLBACK")
            raise self._wrap(exc, "commit") from None


class PostgresBackend(Backend):
    """A PostgreSQL server reached with psycopg 3."""

    dialect = "postgres"
    json_type = "JSONB"

    def __init__(self, url: str, connect_timeout: int = 5):
        import psycopg

        self._psycopg = psycopg
        self._streams = itertools.count()
        self.url = url
        self.display = _redact(url)
        try:
            self.con = psycopg.connect(url, connect_timeout=connect_timeout, autocommit=True)
        except psycopg.Error as exc:
            lines = [ln.strip() for ln in str(exc).strip().splitlines() if ln.strip()]
            reason = lines[0] if lines else type(exc).__name__
            if reason.startswith("connection failed: "):
                reason = reason[len("connection failed: "):]
            hint = " (is the server running?)" if "refused" in reason else ""
            raise StoreError(f"cannot connect to {self.display}: {reason}{hint}") from None

    @staticmethod
    def _sql(sql: str) -> str:
        return sql.replace("%", "%%").replace("?", "%s")

    def _wrap(self, exc: BaseException, what: str) -> StoreError:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return StoreError(f"database {self.display}: {what} failed: {reason}")

    def execute(self, sql, params=()):
        try:
            cur = self.con.execute(self._sql(sql), list(params))
            return cur.fetchall() if cur.description else []
        except self._psycopg.Error as exc:
            raise self._wrap(exc, "statement") from None

    def query(self, sql, params=()):
        try:
            cur = self.con.execute(self._sql(sql), list(params))
            return [d.name for d in cur.description], cur.fetchall()
        except self._psycopg.Error as exc:
            raise self._wrap(exc, "query") from None

    def stream(self, sql, params=(), size=10_000):
        # A server-side cursor WITH HOLD: the connection is in autocommit, and other statements run on it
        # between batches.
        name = f"sitrep_stream_{id(self):x}_{next(self._streams)}"
        try:
            with self.con.cursor(name=name, withhold=True) as cur:
                cur.execute(self._sql(sql), list(params))
                while True:
                    batch = cur.fetchmany(size)
                    if not batch:
                        return
                    yield batch
        except self._psycopg.Error as exc:
            raise self._wrap(exc, "query") from None

    def insert_rows(self, table, columns, rows):
        if not rows:
            return
        cols = ", ".join(columns)
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({cols}) VALUES ({marks}) ON CONFLICT DO NOTHING"
        try:
            with self.con.cursor() as cur:
                cur.executemany(sql, [list(r) for r in rows])
        except self._psycopg.Error as exc:
            raise self._wrap(exc, f"insert into {table}") from None

    def lock_keys(self, keys):
        # Transaction-scoped advisory locks on a 64-bit hash of each key, taken in one order (sorted keys) by
        # every writer, so two writers cannot wait on each other.
        for key in sorted(set(keys)):
            self.execute("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", [key])

    @contextlib.contextmanager
    def schema_lock(self):
        self.execute("SELECT pg_advisory_lock(?)", [SCHEMA_LOCK_KEY])
        try:
            yield
        finally:
            with contextlib.suppress(StoreError):
                self.execute("SELECT pg_advisory_unlock(?)", [SCHEMA_LOCK_KEY])

    @contextlib.contextmanager
    def _transaction(self):
        try:
            with self.con.transaction():
                yield
        except self._psycopg.Error as exc:
            raise self._wrap(exc, "transaction") from None


# The advisory lock key that serialises migrations (any fixed 64-bit number no other program is likely to use).
SCHEMA_LOCK_KEY = 0x5174_7265_7000_0001


def _redact(url: str) -> str:
    """The URL without its password, for messages."""
    return redact(url)


def connect(target: str | None, read_only: bool = False) -> Backend:
    """A backend for a DuckDB path (default ./sitrep.duckdb) or a postgresql:// URL."""
    target = target or DEFAULT_DB
    if is_postgres_url(target):
        return PostgresBackend(target)
    if "://" in target:
        raise StoreError(f"unsupported database URL {redact(target)!r}: use a file path or "
                         "postgresql://user@host:port/dbname")
    return DuckDBBackend(target, read_only=read_only)


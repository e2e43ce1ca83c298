"""The Store: one small API over the event database, whichever backend holds it.

Articles are versioned by content: the same text twice is stored once, a changed text for the same id is a new
version, and every query sees only each article's latest version. Each `write_batch` is one transaction.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field
from importlib import resources
from typing import Iterable, Optional, Sequence

from ..errors import StoreError
from ..model import Article, Event
from .backends import Backend, connect
from .filters import ESCAPE, EventFilter, _in_list, like_escape
from .commitment_rows import STATEMENT_COLUMNS, statement_rows
from .rows import ARTICLE_COLUMNS, EVENT_COLUMNS, SPAN_COLUMNS, article_row, content_hash, event_rows

LOGGER = logging.getLogger(__name__)

TABLES = ("articles", "events", "spans", "incidents", "incident_events")

# Only the latest version of each article is visible to queries.
LATEST_JOIN = "JOIN articles a ON a.article_id = e.article_id AND a.version = e.article_version AND a.is_latest"

# What incident merging compares about an event, and its article's outlet and date.
MERGE_COLUMNS = (
    "e.event_id, e.article_id, e.event_type, e.mode, e.date_start, e.date_end, e.date_precision, "
    "e.location_name, e.country, e.admin1, e.admin2, e.lat, e.lon, e.geo_precision, e.actor_name, "
    "e.actor_country, e.actor_sector, e.recipient_name, e.recipient_country, e.recipient_sector, "
    "e.fatalities_low, e.fatalities_best, e.fatalities_high, e.injuries_low, e.injuries_best, "
    "e.injuries_high, e.source_names, e.sentence, e.acled_event_type, e.acled_sub_event_type, "
    "e.is_primary, a.outlet, a.published, a.title, a.url"
)


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) of every migration file store/mNNN_name.sql, in order."""
    found = []
    for entry in resources.files(__package__).iterdir():
        name = entry.name
        if name.startswith("m") and name.endswith(".sql") and name[1:4].isdigit():
            found.append((int(name[1:4]), name[5:-4], entry.read_text(encoding="utf-8")))
    return sorted(found)


def split_sql(script: str) -> list[str]:
    lines = [ln for ln in script.splitlines() if not ln.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


@dataclass
class BatchResult:
    """What one write_batch did."""

    new_articles: int = 0
    new_versions: int = 0
    unchanged: int = 0
    events: int = 0


@dataclass
class StoreCounts:
    articles: int = 0          # distinct article ids
    article_versions: int = 0
    events: int = 0            # events of latest versions
    events_all: int = 0        # including older versions
    spans: int = 0
    incidents: int = 0
    extra: dict = field(default_factory=dict)


def _loads(value):
    if value is None or isinstance(value, (dict, list)):
        return value
    return json.loads(value)


def _chunks(ids: Sequence[str], size: int = 500) -> Iterable[list[str]]:
    """Id lists short enough for one `IN (...)` each."""
    for start in range(0, len(ids), size):
        yield list(ids[start:start + size])


class Store:
    """Articles, events, spans and incidents in DuckDB or PostgreSQL behind one API."""

    def __init__(self, backend: Backend):
        self.backend = backend

    @property
    def dialect(self) -> str:
        return self.backend.dialect

    def close(self) -> None:
        self.backend.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- schema ----------------------------------------------------------------------------------------------
    def schema_version(self) -> int:
        rows = self.backend.execute(
            "SELECT COUNT(*) FROM information_schema.tables "
            "WHERE table_name = 'schema_version' AND table_schema = current_schema()"
        )
        if not rows or not rows[0][0]:
            return 0
        rows = self.backend.execute("SELECT MAX(version) FROM schema_version")
        return int(rows[0][0] or 0)

    def migrate(self) -> list[int]:
        """Apply every migration newer than the schema_version table says, each in its own transaction, under
        the backend's schema lock (several processes may open a new PostgreSQL database at once)."""
        with self.backend.schema_lock():
            return self._migrate()

    def _migrate(self) -> list[int]:
        current = self.schema_version()
        if current == 0:
            self.backend.execute(
                "CREATE TABLE IF NOT EXISTS schema_version "
                "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMP NOT NULL)"
            )
        known = migrations()
        if known and current > known[-1][0]:
            raise StoreError(
                f"the database has schema version {current}, newer than this sitrep knows ({known[-1][0]}); "
                "upgrade sitrep"
            )
        applied = []
        for version, name, script in known:
            if version <= current:
                continue
            script = script.replace("${JSON}", self.backend.json_type)
            with self.backend.transaction():
                for statement in split_sql(script):
                    self.backend.execute(statement)
                self.backend.execute(
                    "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
                    [version, name, dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)],
                )
            LOGGER.info("applied schema migration %03d %s", version, name)
            applied.append(version)
        return applied

    # -- writing ---------------------------------------------------------------------------------------------
    def article_versions(self, article_ids: Iterable[str]) -> dict[str, list[tuple[int, str, bool]]]:
        """article_id -> [(version, content_hash, is_latest)] for the ids already stored."""
        found: dict[str, list[tuple[int, str, bool]]] = {}
        for chunk in _chunks(sorted(set(article_ids))):
            rows = self.backend.execute(
                "SELECT article_id, version, content_hash, is_latest FROM articles WHERE article_id IN "
                + _in_list(chunk) + " ORDER BY article_id, version",
                chunk,
            )
            for art_id, version, digest, latest in rows:
                found.setdefault(art_id, []).append((int(version), digest, bool(latest)))
        return found

    def is_stored(self, article: Article, known: dict[str, list[tuple[int, str, bool]]]) -> bool:
        """True when this exact text is already the latest version of the article."""
        digest = content_hash(article.text)
        return any(h == digest and latest for _v, h, latest in known.get(article.id, ()))

    def write_batch(self, pairs: Sequence[tuple[Article, list[Event]]]) -> BatchResult:
        """Store articles with their events and spans in one transaction (all of the batch or none of it)."""
        result = BatchResult()
        now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        with self.backend.transaction():
            # Another writer storing a new text of one of these articles now would pick the same version.
            self.backend.lock_keys([a.id for a, _ in pairs])
            known = self.article_versions(a.id for a, _ in pairs)
            art_rows, ev_rows, sp_rows, st_rows = [], [], [], []
            pending: dict[str, int] = {}   # article id -> index in art_rows of the row written in this batch

            def mark_latest(article_id: str, version: Optional[int]) -> None:
                # The UPDATE cannot see a row this batch has not inserted yet: keep that row in step with it.
                if article_id in pending:
                    i = pending[article_id]
                    art_rows[i] = art_rows[i][:3] + (art_rows[i][1] == version,) + art_rows[i][4:]

            for article, events in pairs:
                digest = content_hash(article.text)
                versions = list(known.get(article.id, []))
                if article.id in pending:
                    row = art_rows[pending[article.id]]
                    versions.append((row[1], row[2], row[3]))
                    versions = [(v, h, latest and v == row[1]) for v, h, latest in versions]
                match = [v for v, h, _latest in versions if h == digest]
                if match:
                    if any(h == digest and latest for _v, h, latest in versions):
                        result.unchanged += 1
                        continue
                    # The text went back to an earlier stored version: that one is the latest again.
                    self.backend.execute(
                        "UPDATE articles SET is_latest = (version = ?) WHERE article_id = ?", [match[0], article.id]
                    )
                    mark_latest(article.id, match[0])
                    known[article.id] = [(v, h, v == match[0]) for v, h, _l in known.get(article.id, [])]
                    result.new_versions += 1
                    continue
                version = max((v for v, _h, _l in versions), default=0) + 1
                if versions:
                    self.backend.execute(
                        "UPDATE articles SET is_latest = FALSE WHERE article_id = ? AND is_latest", [article.id]
                    )
                    mark_latest(article.id, None)
                    known[article.id] = [(v, h, False) for v, h, _l in known.get(article.id, [])]
                    result.new_versions += 1
                else:
                    result.new_articles += 1
                pending[article.id] = len(art_rows)
                art_rows.append(article_row(article, version, len(events), now))
                evs, sps = event_rows(article, events, version)
                ev_rows.extend(evs)
                sp_rows.extend(sps)
                st_rows.extend(statement_rows(article, version))
                result.events += len(evs)
            self.backend.insert_rows("articles", ARTICLE_COLUMNS, art_rows)
            self.backend.insert_rows("events", EVENT_COLUMNS, ev_rows)
            self.backend.insert_rows("spans", SPAN_COLUMNS, sp_rows)
            self.backend.insert_rows("commitment_statements", STATEMENT_COLUMNS, st_rows)
        return result

    # -- reading ---------------------------------------------------------------------------------------------
    def _rows(self, sql: str, params: Sequence = ()) -> list[dict]:
        columns, rows = self.backend.query(sql, params)
        return [dict(zip(columns, row)) for row in rows]

    def _record_rows(self, sql: str, params: Sequence = (), limit: Optional[int] = None) -> list[dict]:
        """Rows with their JSON 'record' column decoded (some drivers hand JSON back as text)."""
        if limit:
            sql += f" LIMIT {int(limit)}"
        rows = self._rows(sql, params)
        for row in rows:
            row["record"] = _loads(row["record"])
        return rows

    def query_events(self, flt: EventFilter | None = None) -> list[dict]:
        """Flat event rows (latest article versions), with the full record under 'record', oldest first."""
        flt = flt or EventFilter()
        where, params = flt.where()
        cols = ", ".join(f"e.{c}" for c in EVENT_COLUMNS)
        sql = (
            f"SELECT {cols}, a.outlet, a.published, a.title, a.url FROM events e {LATEST_JOIN} WHERE {where} "
            "ORDER BY COALESCE(e.date_start, a.published), e.article_id, e.event_id"
        )
        return self._record_rows(sql, params, flt.limit)

    def event_records(self, flt: EventFilter | None = None) -> list[dict]:
        return [row["record"] for row in self.query_events(flt)]

    def counts(self) -> StoreCounts:
        one = lambda sql: int(self.backend.execute(sql)[0][0])  # noqa: E731
        return StoreCounts(
            articles=one("SELECT COUNT(DISTINCT article_id) FROM articles"),
            article_versions=one("SELECT COUNT(*) FROM articles"),
            events=one(f"SELECT COUNT(*) FROM events e {LATEST_JOIN}"),
            events_all=one("SELECT COUNT(*) FROM events"),
            spans=one("SELECT COUNT(*) FROM spans"),
            incidents=one("SELECT COUNT(*) FROM incidents"),
        )

    def latest_article(self, article_id: str) -> Optional[dict]:
        rows = self._rows("SELECT * FROM articles WHERE article_id = ? AND is_latest", [article_id])
        return rows[0] if rows else None

    def spans_of(self, event_id: str) -> list[dict]:
        return self._rows("SELECT * FROM spans WHERE event_id = ? ORDER BY span_start, field", [event_id])

    def table(self, name: str) -> tuple[list[str], list[tuple]]:
        """A whole table (for exports). Articles and events: latest versions only."""
        if name not in TABLES:
            raise StoreError(f"unknown table {name!r}; tables: {', '.join(TABLES)}")
        if name == "articles":
            return self.backend.query("SELECT * FROM articles WHERE is_latest ORDER BY article_id")
        if name == "events":
            cols = ", ".join(f"e.{c}" for c in EVENT_COLUMNS)
            return self.backend.query(f"SELECT {cols} FROM events e {LATEST_JOIN} ORDER BY e.article_id, e.event_id")
        if name == "spans":
            return self.backend.query(
                f"SELECT s.* FROM spans s JOIN events e ON e.event_id = s.event_id {LATEST_JOIN} "
                "ORDER BY s.event_id, s.field"
            )
        order = "incident_id" if name == "incidents" else "incident_id, event_id"
        return self.backend.query(f"SELECT * FROM {name} ORDER BY {order}")

    # -- incidents -------------------------------------------------------------------------------------------
    def _candidates(self, condition: str = "TRUE", params: Sequence = ()) -> list[dict]:
        """Reported events of latest versions meeting `condition` (over `e` and `a`), with what merging
        compares and their article's outlet and date."""
        return self._rows(
            f"SELECT {MERGE_COLUMNS} FROM events e {LATEST_JOIN} WHERE e.status = 'reported' AND ({condition}) "
            "ORDER BY e.event_id",
            params,
        )

    def merge_candidates(self) -> list[dict]:
        """Every event that takes part in incidents."""
        return self._candidates()

    def merge_candidates_by_id(self, event_ids: Sequence[str]) -> list[dict]:
        """The given events, those of them that still take part in incidents."""
        found: list[dict] = []
        for chunk in _chunks(sorted(set(event_ids))):
            found.extend(self._candidates("e.event_id IN " + _in_list(chunk), chunk))
        return sorted(found, key=lambda r: r["event_id"])

    def merge_candidates_in(self, country: str, start_lo: dt.date, start_hi: dt.date,
                            published_lo: dt.date, published_hi: dt.date) -> list[dict]:
        """Events of one country whose date range starts within [start_lo, start_hi] (the start is date_start,
        or date_end when only that is known), and undated ones whose article was published within
        [published_lo, published_hi]."""
        # Three disjoint branches, each a range on one indexed column (m002): an OR across events and articles
        # would make PostgreSQL read every event of the country.
        branches = [
            ("e.date_start BETWEEN ? AND ?", [start_lo, start_hi]),
            ("e.date_start IS NULL AND e.date_end BETWEEN ? AND ?", [start_lo, start_hi]),
            ("e.date_start IS NULL AND e.date_end IS NULL AND a.published BETWEEN ? AND ?",
             [published_lo, published_hi]),
        ]
        sql = " UNION ALL ".join(
            f"SELECT {MERGE_COLUMNS} FROM events e {LATEST_JOIN} WHERE e.status = 'reported' AND e.country = ? "
            f"AND {condition}" for condition, _ in branches
        )
        return self._rows(sql + " ORDER BY event_id", [v for _, values in branches for v in [country] + values])

    def incident_drift(self) -> tuple[list[str], list[str]]:
        """How the incidents fall behind the events, found in one pass: (ids of events that take part in
        incidents but are in none, ids of incidents with a member that no longer takes part)."""
        rows = self.backend.execute(
            "SELECT v.event_id, ie.incident_id FROM "
            f"(SELECT e.event_id FROM events e {LATEST_JOIN} WHERE e.status = 'reported') v "
            "FULL OUTER JOIN incident_events ie ON ie.event_id = v.event_id "
            "WHERE v.event_id IS NULL OR ie.event_id IS NULL"
        )
        unassigned = sorted(event_id for event_id, _incident in rows if event_id is not None)
        stale = sorted({incident for event_id, incident in rows if event_id is None})
        return unassigned, stale

    def incident_members(self, incident_ids: Sequence[str]) -> list[str]:
        """Event ids of the given incidents."""
        found: list[str] = []
        for chunk in _chunks(sorted(set(incident_ids))):
            rows = self.backend.execute(
                "SELECT event_id FROM incident_events WHERE incident_id IN " + _in_list(chunk), chunk)
            found.extend(r[0] for r in rows)
        return sorted(found)

    def incidents_holding(self, event_ids: Sequence[str]) -> list[str]:
        """Ids of the incidents any of the given events belongs to."""
        found: set[str] = set()
        for chunk in _chunks(sorted(set(event_ids))):
            rows = self.backend.execute(
                "SELECT DISTINCT incident_id FROM incident_events WHERE event_id IN " + _in_list(chunk), chunk)
            found.update(r[0] for r in rows)
        return sorted(found)

    def _insert_incidents(self, incident_rows: Sequence[dict], members: Sequence[tuple[str, str, str]]) -> None:
        if incident_rows:
            columns = list(incident_rows[0].keys())
            self.backend.insert_rows("incidents", columns, [tuple(r[c] for c in columns) for r in incident_rows])
        self.backend.insert_rows("incident_events", ("incident_id", "event_id", "article_id"), list(members))

    def replace_incidents(self, incident_rows: Sequence[dict], members: Sequence[tuple[str, str, str]]) -> None:
        """Swap the whole incidents table for a freshly computed one, in one transaction."""
        with self.backend.transaction():
            self.backend.execute("DELETE FROM incident_events")
            self.backend.execute("DELETE FROM incidents")
            self._insert_incidents(incident_rows, members)

    def swap_incidents(self, drop_ids: Sequence[str], incident_rows: Sequence[dict],
                       members: Sequence[tuple[str, str, str]]) -> None:
        """Delete the given incidents with their members and insert recomputed ones, in one transaction."""
        with self.backend.transaction():
            for chunk in _chunks(sorted(set(drop_ids))):
                self.backend.execute("DELETE FROM incident_events WHERE incident_id IN " + _in_list(chunk), chunk)
                self.backend.execute("DELETE FROM incidents WHERE incident_id IN " + _in_list(chunk), chunk)
            self._insert_incidents(incident_rows, members)

    def has_incidents(self) -> bool:
        return bool(self.backend.execute("SELECT 1 FROM incidents LIMIT 1"))

    def incident_totals(self) -> tuple[int, int, int]:
        """(events in incidents, incidents, incidents reported by several articles)."""
        one = lambda sql: int(self.backend.execute(sql)[0][0])  # noqa: E731
        return (one("SELECT COUNT(*) FROM incident_events"), one("SELECT COUNT(*) FROM incidents"),
                one("SELECT COUNT(*) FROM incidents WHERE n_articles > 1"))

    def incidents(self, flt: EventFilter | None = None, min_articles: int = 1) -> list[dict]:
        """Incident rows (without the full record), newest first."""
        flt = flt or EventFilter()
        where, params = flt.incident_where(min_articles)
        sql = f"SELECT * FROM incidents WHERE {where} ORDER BY date_start DESC NULLS LAST, incident_id"
        return self._record_rows(sql, params, flt.limit)

    def incident(self, incident_id: str) -> Optional[dict]:
        rows = self._record_rows("SELECT * FROM incidents WHERE incident_id = ?", [incident_id])
        if not rows:
            # Let people type a unique prefix of a long id.
            rows = self._record_rows(f"SELECT * FROM incidents WHERE incident_id LIKE ? {ESCAPE} ORDER BY incident_id",
                                     [like_escape(incident_id) + "%"])
            if len(rows) != 1:
                return None
        return rows[0]

    def events_by_id(self, event_ids: Sequence[str]) -> dict[str, dict]:
        """event_id -> stored record."""
        found: dict[str, dict] = {}
        for chunk in _chunks(list(event_ids)):
            rows = self.backend.execute("SELECT event_id, record FROM events WHERE event_id IN " + _in_list(chunk),
                                        chunk)
            found.update({eid: _loads(rec) for eid, rec in rows})
        return found

    def incident_map(self) -> dict[str, str]:
        """event_id -> incident_id."""
        return dict(self.backend.execute("SELECT event_id, incident_id FROM incident_events"))

    def incident_of_event(self, event_id: str) -> Optional[str]:
        rows = self.backend.execute("SELECT incident_id FROM incident_events WHERE event_id = ?", [event_id])
        return rows[0][0] if rows else None


def open_store(target: str | None = None, read_only: bool = False) -> Store:
    """Open (and migrate) the store at a DuckDB path or a postgresql:// URL."""
    backend = connect(target, read_only=read_only)
    store = Store(backend)
    try:
        if read_only:
            if store.schema_version() == 0:
                raise StoreError(f"{backend.display} is not a sitrep database (no schema_version table); "
                                 "run `sitrep ingest` first")
        else:
            store.migrate()
    except BaseException:
        store.close()
        raise
    return store

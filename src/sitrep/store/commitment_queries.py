"""The commitment ledger's SQL: reading statements and candidate events, replacing the merged commitments and
their links, appending to the status history, and the queries the CLI and the API ask."""
from __future__ import annotations

import datetime as dt
import json
from typing import Optional, Sequence

from ..errors import ConfigError
from .core import LATEST_JOIN, Store
from .filters import ESCAPE, MAX_COUNT, like_escape
from .rows import dumps

STATUSES = ("not_rated", "in_progress", "kept", "compromised", "broken", "untestable")
COMMITMENT_COLUMNS = (
    "commitment_id", "holder_name", "holder_country", "holder_sector", "holder_code", "kind", "polarity",
    "threshold", "quantity", "start_date", "end_date", "date_precision", "testable", "area_country", "area_admin1",
    "n_statements", "n_articles", "status", "status_rule", "in_count", "baseline_count", "record",
)
LINK_COLUMNS = ("commitment_id", "event_id", "relation", "rule", "period", "evidence")
STATUS_COLUMNS = ("commitment_id", "seq", "status", "rule", "in_count", "baseline_count", "fatalities_best",
                  "checked_at", "detail")


def _loads(value):
    if value is None or isinstance(value, (dict, list)):
        return value
    return json.loads(value)


def _rows(store: Store, sql: str, params: Sequence = ()) -> list[dict]:
    columns, rows = store.backend.query(sql, params)
    return [dict(zip(columns, row)) for row in rows]


def latest_statements(store: Store) -> list[dict]:
    """Statements of the latest article versions, with their article's outlet and publication date."""
    rows = _rows(store, "SELECT s.*, a.outlet, a.published, a.title FROM commitment_statements s "
                        "JOIN articles a ON a.article_id = s.article_id AND a.version = s.article_version "
                        "AND a.is_latest ORDER BY COALESCE(s.said_on, a.published), s.statement_id")
    for r in rows:
        r["record"] = _loads(r["record"])
    return rows


def candidate_events(store: Store, types: Sequence[str], country: Optional[str], since: dt.date,
                     until: dt.date) -> list[dict]:
    """Reported events of latest versions of the given types (and country) whose day may fall in [since, until],
    with their incident and the trigger span that a verdict cites."""
    if not types:
        return []
    marks = ", ".join("?" * len(types))
    params: list = list(types)
    where = f"e.status = 'reported' AND e.event_type IN ({marks})"
    if country:
        where += " AND e.country = ?"
        params.append(country)
    where += " AND COALESCE(e.date_end, e.date_start, a.published) >= ? AND COALESCE(e.date_start, e.date_end, " \
             "a.published) <= ?"
    params += [since, until]
    rows = _rows(store, "SELECT e.event_id, e.article_id, e.event_type, e.mode, e.date_start, e.date_end, e.country, "
                        "e.admin1, e.actor_name, e.actor_country, e.actor_sector, e.fatalities_low, "
                        "e.fatalities_best, e.fatalities_high, e.sentence, e.source_names, a.published, "
                        "ie.incident_id, s.span_start, s.span_end "
                        f"FROM events e {LATEST_JOIN} LEFT JOIN incident_events ie ON ie.event_id = e.event_id "
                        "LEFT JOIN spans s ON s.event_id = e.event_id AND s.field = 'evidence' "
                        f"WHERE {where} ORDER BY e.event_id", params)
    for r in rows:
        r["span"] = [r.pop("span_start"), r.pop("span_end")] if r.get("span_start") is not None else None
    return rows


def events_in_sentences(store: Store, article_id: str, starts: Sequence[int]) -> list[dict]:
    """Events of an article's latest version whose sentence starts at one of the given offsets."""
    if not starts:
        return []
    marks = ", ".join("?" * len(starts))
    return _rows(store, f"SELECT e.event_id, e.event_type, s.span_start FROM events e {LATEST_JOIN} "
                        "JOIN spans s ON s.event_id = e.event_id AND s.field = 'evidence' "
                        f"WHERE e.article_id = ? AND s.span_start IN ({marks})", [article_id, *starts])


def horizon(store: Store) -> Optional[dt.date]:
    """The latest event day the store knows (a window that ended before it is closed)."""
    rows = store.backend.execute(f"SELECT MAX(COALESCE(e.date_end, e.date_start, a.published)) FROM events e "
                                 f"{LATEST_JOIN}")
    value = rows[0][0] if rows else None
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def replace_ledger(store: Store, commitments: list[tuple], members: list[tuple], links: list[tuple],
                   statuses: list[tuple]) -> None:
    """Swap the merged commitments, members and links for new ones and append status rows, in one transaction."""
    with store.backend.transaction():
        for table in ("commitment_links", "commitment_members", "commitments"):
            store.backend.execute(f"DELETE FROM {table}")
        store.backend.insert_rows("commitments", COMMITMENT_COLUMNS, commitments)
        store.backend.insert_rows("commitment_members", ("statement_id", "commitment_id", "article_id"), members)
        store.backend.insert_rows("commitment_links", LINK_COLUMNS, links)
        store.backend.insert_rows("commitment_status", STATUS_COLUMNS, statuses)


def latest_status_rows(store: Store) -> dict[str, dict]:
    """commitment_id -> its newest status row."""
    rows = _rows(store, "SELECT h.* FROM commitment_status h JOIN (SELECT commitment_id, MAX(seq) AS seq FROM "
                        "commitment_status GROUP BY commitment_id) m ON m.commitment_id = h.commitment_id "
                        "AND m.seq = h.seq")
    return {r["commitment_id"]: r for r in rows}


def has_ledger_table(store: Store) -> bool:
    return store.schema_version() >= 3


def list_commitments(store: Store, holder: Optional[str] = None, status: Optional[str] = None,
                     kind: Optional[str] = None, limit: Optional[int] = None) -> list[dict]:
    """Merged commitments, newest first. `holder` matches a holder code's start (AFGREB, AFG) or text in the
    holder's name; `status` one of STATUSES."""
    where, params = [], []
    if holder:
        holder = holder.strip()
        where.append(f"(holder_code LIKE ? {ESCAPE} OR holder_name ILIKE ? {ESCAPE})")
        params += [like_escape(holder.upper()) + "%", f"%{like_escape(holder)}%"]
    if status:
        where.append("status = ?")
        params.append(status)
    if kind:
        where.append("kind = ?")
        params.append(kind)
    sql = "SELECT * FROM commitments" + (" WHERE " + " AND ".join(where) if where else "") + \
        " ORDER BY start_date DESC NULLS LAST, commitment_id"
    if limit:
        sql += f" LIMIT {int(limit)}"
    rows = _rows(store, sql, params)
    for r in rows:
        r["record"] = _loads(r["record"])
    return rows


def check_listing(holder: Optional[str], status: Optional[str], limit: Optional[int]) -> None:
    """ConfigError on a bad filter value (before the store is opened)."""
    if status is not None and status not in STATUSES:
        raise ConfigError(f"unknown status {status!r}; choose from {', '.join(STATUSES)}")
    if holder is not None and (not holder.strip() or len(holder) > 200):
        raise ConfigError("--holder must be a holder code such as AFGREB or a name, at most 200 characters")
    if limit is not None and not 1 <= int(limit) <= MAX_COUNT:
        raise ConfigError(f"--limit must be between 1 and {MAX_COUNT:,}")


def get_commitment(store: Store, commitment_id: str) -> Optional[dict]:
    """One commitment with its statements, links (with the events' records) and status history; a unique prefix
    of the id is enough."""
    rows = _rows(store, "SELECT * FROM commitments WHERE commitment_id = ?", [commitment_id])
    if not rows:
        rows = _rows(store, f"SELECT * FROM commitments WHERE commitment_id LIKE ? {ESCAPE} ORDER BY commitment_id",
                     [like_escape(commitment_id) + "%"])
        if len(rows) != 1:
            return None
    row = rows[0]
    cid = row["commitment_id"]
    row["record"] = _loads(row["record"])
    statements = _rows(store, "SELECT s.*, a.outlet, a.published FROM commitment_members m "
                              "JOIN commitment_statements s ON s.statement_id = m.statement_id "
                              "JOIN articles a ON a.article_id = s.article_id AND a.version = s.article_version "
                              "WHERE m.commitment_id = ? ORDER BY COALESCE(s.said_on, a.published), s.statement_id",
                       [cid])
    for s in statements:
        s["record"] = _loads(s["record"])
    links = _rows(store, "SELECT l.*, e.event_type, e.date_start, e.date_end, e.actor_name, e.country, e.admin1, "
                         "e.fatalities_best, e.sentence, e.article_id FROM commitment_links l "
                         "JOIN events e ON e.event_id = l.event_id WHERE l.commitment_id = ? "
                         "ORDER BY l.period DESC, e.date_start, l.event_id", [cid])
    for link in links:
        link["evidence"] = _loads(link["evidence"])
    history = _rows(store, "SELECT * FROM commitment_status WHERE commitment_id = ? ORDER BY seq", [cid])
    for h in history:
        h["detail"] = _loads(h["detail"])
    row.update(statements=statements, links=links, history=history)
    return row


def daily_counts(detail: dict) -> list[dict]:
    """Events held against a commitment per day, from the start of its baseline to the end of its window (every
    day present, zero where none): the line the dashboard draws, with the window marked."""
    window = ((detail.get("record") or {}).get("check") or {}).get("window")
    if not window:
        return []
    start = dt.date.fromisoformat(window["baseline_start"])
    end = dt.date.fromisoformat(window["end"])
    if (end - start).days > 3660:
        return []
    per_day: dict[str, set] = {}
    for link in detail.get("links") or ():
        day = (link.get("evidence") or {}).get("day")
        if day and link["period"] in ("in", "baseline"):
            per_day.setdefault(day, set()).add(link["event_id"])
    out = []
    day = start
    while day <= end:
        key = day.isoformat()
        out.append({"day": key, "events": len(per_day.get(key, ())),
                    "period": "in" if key >= window["start"] else "baseline"})
        day += dt.timedelta(days=1)
    return out


def jsonable(value):
    """Dates as ISO strings, recursively, for JSON output."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


__all__ = ["STATUSES", "dumps"]

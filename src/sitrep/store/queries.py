"""Read-only queries the HTTP API asks of a Store: filtered pages of events (keyset), streams for exports, one
article with every span, incidents with their members, timelines and facet counts. All SQL is parameterised;
the only text put into SQL is chosen from fixed tables here (column names, date_trunc units).
"""
from __future__ import annotations

import base64
import datetime as dt
import json
import math
from dataclasses import dataclass, field
from typing import Iterator, Optional, Sequence

from ..errors import ConfigError
from .core import LATEST_JOIN, Store, _loads
from .filters import MAX_COUNT, EventFilter
from .rows import casualty_counts

# Sort key of an event: its date (start, else end, else its article's publication); undated ones sort last.
# The sentinel keeps keyset comparisons free of NULLs.
UNDATED = dt.date(1000, 1, 1)
SORT_KEY = "COALESCE(e.date_start, e.date_end, a.published, DATE '1000-01-01')"
DATE_KEY = "COALESCE(e.date_start, e.date_end, a.published)"

MAX_TEXT = 200            # longest accepted free-text parameter

# Facets /stats counts and the column each counts (over events `e` and articles `a`).
FACETS = {
    "event_type": "e.event_type",
    "country": "e.country",
    "admin1": "e.admin1",
    "acled_event_type": "e.acled_event_type",
    "acled_sub_event_type": "e.acled_sub_event_type",
    "status": "e.status",
    "actor": "e.actor_name",
    "recipient": "e.recipient_name",
    "outlet": "a.outlet",
}
TIMELINE_BY = {"event_type": "e.event_type", "country": "e.country", "status": "e.status",
               "acled_event_type": "e.acled_event_type"}
INTERVALS = ("day", "week", "month")
ROW_COLUMNS = "e.event_id, e.record, e.lat, e.lon, a.outlet, a.published, a.title, a.url, ie.incident_id"
INCIDENT_JOIN = "LEFT JOIN incident_events ie ON ie.event_id = e.event_id"
ROW_COLUMNS_NAMES = [c.strip().split(".")[-1] for c in ROW_COLUMNS.split(",")]


def check_text(name: str, value: Optional[str]) -> Optional[str]:
    """A free-text parameter, stripped; None when empty. ConfigError on text no database should be sent."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    if len(value) > MAX_TEXT:
        raise ConfigError(f"{name}: at most {MAX_TEXT} characters")
    if "\x00" in value or any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
        raise ConfigError(f"{name}: contains a NUL byte or a lone surrogate")
    return value


def check_count(name: str, value: Optional[int], low: int = 0, high: int = MAX_COUNT) -> Optional[int]:
    if value is None:
        return None
    if not low <= value <= high:
        raise ConfigError(f"{name} must be between {low} and {high}")
    return value


def _like(value: str) -> str:
    """A LIKE pattern matching `value` anywhere, its own % and _ taken literally."""
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def parse_bbox(value: Optional[str], name: str = "bbox") -> Optional[tuple[float, float, float, float]]:
    """'min_lon,min_lat,max_lon,max_lat' (WGS 84). min_lon > max_lon means the box crosses the antimeridian."""
    value = check_text(name, value)
    if value is None:
        return None
    parts = value.split(",")
    try:
        nums = tuple(float(p) for p in parts)
    except ValueError:
        nums = ()
    if len(nums) != 4 or not all(math.isfinite(n) for n in nums):
        raise ConfigError(f"{name}: expected four numbers min_lon,min_lat,max_lon,max_lat")
    w, s, e, n = nums
    if not (-180 <= w <= 180 and -180 <= e <= 180 and -90 <= s <= n <= 90):
        raise ConfigError(f"{name}: longitudes must lie in [-180, 180], latitudes in [-90, 90] with min <= max")
    return w, s, e, n


def _split(name: str, value: Optional[str]) -> tuple[str, ...]:
    value = check_text(name, value)
    return tuple(v.strip() for v in value.split(",") if v.strip()) if value else ()


@dataclass
class EventQuery:
    """Every filter of GET /events. The filters `sitrep events` knows are an EventFilter; the rest are here."""

    base: EventFilter = field(default_factory=EventFilter)
    actor: Optional[str] = None
    recipient: Optional[str] = None
    acled_event_types: tuple[str, ...] = ()
    acled_sub_event_types: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    bbox: Optional[tuple[float, float, float, float]] = None
    text: Optional[str] = None   # in the evidence sentence (EventFilter.search also looks at the title)

    @classmethod
    def build(cls, *, country=None, admin1=None, event_type=None, acled_event_type=None, acled_sub_event_type=None,
              actor=None, recipient=None, since=None, until=None, fatalities_min=None, status=None, bbox=None,
              q=None, outlet=None) -> "EventQuery":
        """Check user-given values (ConfigError on a bad one). Comma-separated lists are ORed."""
        countries = tuple(c.upper() for c in _split("country", country))
        bad = [c for c in countries if len(c) != 3 or not c.isascii() or not c.isalpha()]
        if bad:
            raise ConfigError(f"country {bad[0]!r}: expected ISO 3166-1 alpha-3 codes such as AFG or AFG,UKR")
        base = EventFilter.build(
            types=_split("event_type", event_type), admin1=check_text("admin1", admin1),
            since=check_text("since", since), until=check_text("until", until),
            min_fatalities=check_count("fatalities_min", fatalities_min),
            status=check_text("status", status) or "reported",
        )
        return cls(
            base=base, actor=check_text("actor", actor), recipient=check_text("recipient", recipient),
            acled_event_types=_split("acled_event_type", acled_event_type),
            acled_sub_event_types=_split("acled_sub_event_type", acled_sub_event_type),
            outlets=_split("outlet", outlet), countries=countries, bbox=parse_bbox(bbox), text=check_text("q", q),
        )

    def where(self) -> tuple[str, list]:
        """SQL condition and parameters over events `e` joined to their article `a`."""
        sql, params = self.base.where()
        parts, values = [sql], list(params)

        def add(condition: str, *args) -> None:
            parts.append(condition)
            values.extend(args)

        def any_of(column: str, items: Sequence[str]) -> None:
            if items:
                add(f"{column} IN (" + ", ".join("?" * len(items)) + ")", *items)

        any_of("e.country", self.countries)
        any_of("e.acled_event_type", self.acled_event_types)
        any_of("e.acled_sub_event_type", self.acled_sub_event_types)
        any_of("a.outlet", self.outlets)
        if self.actor:
            add("e.actor_name ILIKE ? ESCAPE '\\'", _like(self.actor))
        if self.recipient:
            add("e.recipient_name ILIKE ? ESCAPE '\\'", _like(self.recipient))
        if self.text:
            add("e.sentence ILIKE ? ESCAPE '\\'", _like(self.text))
        if self.bbox:
            w, s, e, n = self.bbox
            add("e.lat BETWEEN ? AND ?", s, n)
            if w <= e:
                add("e.lon BETWEEN ? AND ?", w, e)
            else:
                add("(e.lon >= ? OR e.lon <= ?)", w, e)
        return " AND ".join(parts), values


# -- cursors ---------------------------------------------------------------------------------------------------
def encode_cursor(key: dt.date, event_id: str) -> str:
    raw = json.dumps([key.isoformat(), event_id], separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: Optional[str]) -> Optional[tuple[dt.date, str]]:
    """(date, event_id) of a cursor from a `next` link; ConfigError for anything else."""
    cursor = check_text("cursor", cursor)
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key, event_id = json.loads(raw.decode("utf-8"))
        return dt.date.fromisoformat(key), str(event_id)
    except (ValueError, TypeError, UnicodeDecodeError):
        raise ConfigError("cursor: not a cursor this API gave out (follow the `next` link)") from None


# -- events ----------------------------------------------------------------------------------------------------
def _event_row(row: dict) -> dict:
    """A stored row as the API gives it: the schema record, plus its article and incident."""
    record = _loads(row["record"])
    published = row.get("published")
    record["article"] = {"title": row.get("title"), "outlet": row.get("outlet"), "url": row.get("url"),
                         "published": published.isoformat() if published else None}
    record["incident_id"] = row.get("incident_id")
    return record


def count_events(store: Store, query: EventQuery) -> int:
    where, params = query.where()
    return int(store.backend.execute(f"SELECT COUNT(*) FROM events e {LATEST_JOIN} WHERE {where}", params)[0][0])


def _page_rows(store: Store, query: EventQuery, after: Optional[tuple[dt.date, str]], limit: int) -> list[dict]:
    where, params = query.where()
    if after is not None:
        where += f" AND ({SORT_KEY} < ? OR ({SORT_KEY} = ? AND e.event_id < ?))"
        params = params + [after[0], after[0], after[1]]
    # The page's keys first, then its rows: sorting only (key, id) and fetching the wide JSON records of the
    # page alone is 3-5x faster on DuckDB than a top-N over the full rows (bench/bench_serve.py).
    sql = (f"WITH page AS (SELECT e.event_id, {SORT_KEY} AS sort_key FROM events e {LATEST_JOIN} WHERE {where} "
           f"ORDER BY sort_key DESC, e.event_id DESC LIMIT {int(limit)}) "
           f"SELECT {ROW_COLUMNS}, p.sort_key FROM page p JOIN events e ON e.event_id = p.event_id "
           f"JOIN articles a ON a.article_id = e.article_id AND a.version = e.article_version {INCIDENT_JOIN} "
           "ORDER BY p.sort_key DESC, e.event_id DESC")
    return store._rows(sql, params)


def _page(store: Store, query: EventQuery, cursor: Optional[str], limit: int
          ) -> tuple[list[dict], int, Optional[str]]:
    limit = check_count("limit", limit, 1, 1000)
    rows = _page_rows(store, query, decode_cursor(cursor), limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(_as_date(rows[-1]["sort_key"]), rows[-1]["event_id"]) if more else None
    return rows, count_events(store, query), next_cursor


def event_page(store: Store, query: EventQuery, cursor: Optional[str] = None, limit: int = 100
               ) -> tuple[list[dict], int, Optional[str]]:
    """(events newest first, total matching, cursor of the next page or None)."""
    rows, total, next_cursor = _page(store, query, cursor, limit)
    return [_event_row(r) for r in rows], total, next_cursor


def event_page_json(store: Store, query: EventQuery, cursor: Optional[str] = None, limit: int = 100
                    ) -> tuple[list[str], int, Optional[str]]:
    """event_page with each event as JSON text: the stored record's text with its article and incident spliced
    in. Decoding and re-encoding 1,000 wide records took most of a full page's time."""
    rows, total, next_cursor = _page(store, query, cursor, limit)
    return [_event_json(r) for r in rows], total, next_cursor


def _event_json(row: dict) -> str:
    """_event_row(row) as compact JSON text, without decoding the record when the driver gives it as text."""
    record = row["record"]
    text = record.strip() if isinstance(record, str) else ""
    if not (text.startswith("{") and text.endswith("}")):
        return json.dumps(_event_row(row), ensure_ascii=False, separators=(",", ":"))
    published = row.get("published")
    extra = {"article": {"title": row.get("title"), "outlet": row.get("outlet"), "url": row.get("url"),
                         "published": published.isoformat() if published else None},
             "incident_id": row.get("incident_id")}
    tail = json.dumps(extra, ensure_ascii=False, separators=(",", ":"))[1:]   # '"article":...}'
    return text + tail if text == "{}" else text[:-1] + "," + tail


def iter_events(store: Store, query: EventQuery, limit: Optional[int] = None, chunk: int = 5000
                ) -> Iterator[tuple[dict, dict]]:
    """(record, flat row) of every matching event, newest first, for exports of any size: one sorted query whose
    rows are streamed `chunk` at a time (Backend.stream), so Python holds one chunk and the database sorts within
    its own memory limit, spilling to disk. Measured alternatives on a 1,000,000-event store were far slower: a
    keyset page per chunk re-sorts every remaining row each time, and fetching each chunk's ids with IN (...)
    re-reads the whole record column each time."""
    where, params = query.where()
    top = f" LIMIT {int(limit)}" if limit is not None else ""
    sql = (f"SELECT {ROW_COLUMNS}, {SORT_KEY} AS sort_key FROM events e {LATEST_JOIN} {INCIDENT_JOIN} "
           f"WHERE {where} ORDER BY sort_key DESC, e.event_id DESC{top}")
    columns = ROW_COLUMNS_NAMES + ["sort_key"]
    for batch in store.backend.stream(sql, params, chunk):
        for values in batch:
            row = dict(zip(columns, values))
            yield _event_row(row), row


POINT_COLUMNS = ("event_id", "event_type", "fatalities", "date", "country", "lon", "lat")


def map_points(store: Store, query: EventQuery, limit: Optional[int] = None) -> dict[str, list]:
    """What the map draws of every matching event with coordinates, as columns (POINT_COLUMNS: coordinates to 5
    decimals, about a metre; date = the event's start, else its article's publication). Flat columns only, in one
    query, so 100,000 points take a fraction of a second; with `limit`, the newest `limit` events."""
    where, params = query.where()
    order = f" ORDER BY {SORT_KEY} DESC, e.event_id DESC LIMIT {int(limit)}" if limit is not None else ""
    rows = store.backend.execute(
        "SELECT e.event_id, e.event_type, e.fatalities_best, CAST(COALESCE(e.date_start, a.published) AS VARCHAR), "
        f"e.country, e.lon, e.lat FROM events e {LATEST_JOIN} "
        f"WHERE {where} AND e.lat IS NOT NULL AND e.lon IS NOT NULL{order}", params)
    columns = [list(col) for col in zip(*rows)] if rows else [[] for _ in POINT_COLUMNS]
    columns[2] = [int(v) if v is not None else None for v in columns[2]]
    columns[5] = [round(float(v), 5) for v in columns[5]]
    columns[6] = [round(float(v), 5) for v in columns[6]]
    return dict(zip(POINT_COLUMNS, columns))


def event_by_id(store: Store, event_id: str) -> Optional[dict]:
    """One event of a latest article version, any status."""
    rows = store._rows(f"SELECT {ROW_COLUMNS} FROM events e {LATEST_JOIN} {INCIDENT_JOIN} WHERE e.event_id = ?",
                       [event_id])
    return _event_row(rows[0]) if rows else None


def article_with_spans(store: Store, article_id: str) -> Optional[dict]:
    """The latest version of an article: its cleaned text, its events (any status) and every span of each."""
    art = store._rows("SELECT article_id, version, title, url, published, outlet, text, n_events, ingested_at "
                      "FROM articles WHERE article_id = ? AND is_latest", [article_id])
    if not art:
        return None
    article = {k: (v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v) for k, v in art[0].items()}
    rows = store._rows(
        f"SELECT {ROW_COLUMNS} FROM events e {LATEST_JOIN} {INCIDENT_JOIN} WHERE e.article_id = ? "
        "ORDER BY e.event_id", [article_id])
    spans = store._rows(
        f"SELECT s.event_id, s.field, s.span_start, s.span_end, s.text FROM spans s JOIN events e "
        f"ON e.event_id = s.event_id {LATEST_JOIN} WHERE e.article_id = ? ORDER BY s.span_start, s.field",
        [article_id])
    article["events"] = [_event_row(r) for r in rows]
    article["spans"] = [{"event_id": s["event_id"], "field": s["field"], "start": s["span_start"],
                         "end": s["span_end"], "text": s["text"]} for s in spans]
    return article


# -- aggregates ------------------------------------------------------------------------------------------------
def timeline(store: Store, query: EventQuery, interval: str = "week", by: str = "event_type") -> list[dict]:
    """Counts and fatalities per (bucket start, group); undated events (no date, no publication) are left out."""
    if interval not in INTERVALS:
        raise ConfigError(f"interval {interval!r}: choose day, week or month")
    if by not in TIMELINE_BY:
        raise ConfigError(f"by {by!r}: choose one of {', '.join(TIMELINE_BY)}")
    where, params = query.where()
    sql = (f"SELECT CAST(date_trunc('{interval}', {DATE_KEY}) AS DATE) AS bucket, {TIMELINE_BY[by]} AS grp, "
           f"COUNT(*) AS n, SUM(COALESCE(e.fatalities_best, 0)) AS fatalities FROM events e {LATEST_JOIN} "
           f"WHERE {where} AND {DATE_KEY} IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2")
    return [{"bucket": _as_date(r["bucket"]).isoformat(), "group": r["grp"], "events": int(r["n"]),
             "fatalities": int(r["fatalities"] or 0)} for r in store._rows(sql, params)]


def stats(store: Store, query: EventQuery, top: int = 20) -> dict:
    """Totals of the matching events and the `top` commonest values of each facet."""
    top = check_count("top", top, 1, 500)
    where, params = query.where()
    base = f"FROM events e {LATEST_JOIN} WHERE {where}"
    n, fatalities, articles, first, last = store.backend.execute(
        f"SELECT COUNT(*), SUM(COALESCE(e.fatalities_best, 0)), COUNT(DISTINCT e.article_id), MIN({DATE_KEY}), "
        f"MAX({DATE_KEY}) {base}", params)[0]
    # Every facet in one pass over the matching rows (GROUPING SETS), its top values picked by a window: one
    # scan instead of one per facet. GROUPING(column) is 0 in the set that groups by that column.
    names, columns = list(FACETS), list(FACETS.values())
    which = "CASE " + " ".join(f"WHEN GROUPING({c}) = 0 THEN {i}" for i, c in enumerate(columns)) + " END"
    value = "CASE " + " ".join(f"WHEN GROUPING({c}) = 0 THEN CAST({c} AS VARCHAR)" for c in columns) + " END"
    sets = ", ".join(f"({c})" for c in columns)
    rows = store.backend.execute(
        f"SELECT facet, value, n FROM (SELECT facet, value, n, ROW_NUMBER() OVER (PARTITION BY facet ORDER BY "
        f"n DESC, value) AS rank FROM (SELECT {which} AS facet, {value} AS value, COUNT(*) AS n {base} "
        f"GROUP BY GROUPING SETS ({sets})) grouped WHERE value IS NOT NULL) ranked WHERE rank <= {top} "
        "ORDER BY facet, rank", params)
    facets = {name: [] for name in names}
    for facet, value, count in rows:
        facets[names[int(facet)]].append({"value": value, "count": int(count)})
    return {"events": int(n), "fatalities": int(fatalities or 0), "articles": int(articles),
            "first_date": _iso(first), "last_date": _iso(last), "facets": facets}


def changes(store: Store, query: EventQuery, by: str = "country", end: Optional[dt.date] = None) -> dict:
    """Events in the week ending `end` (default: the newest event date) against the weekly mean of the four weeks
    before, per group."""
    if by not in TIMELINE_BY:
        raise ConfigError(f"by {by!r}: choose one of {', '.join(TIMELINE_BY)}")
    where, params = query.where()
    if end is None:
        last = store.backend.execute(f"SELECT MAX({DATE_KEY}) FROM events e {LATEST_JOIN} WHERE {where}", params)
        end = _as_date(last[0][0]) if last and last[0][0] else None
    if end is None:
        return {"week_end": None, "rows": []}
    week_start = end - dt.timedelta(days=6)
    base_start = week_start - dt.timedelta(days=28)
    sql = (f"SELECT {TIMELINE_BY[by]} AS grp, "
           f"SUM(CASE WHEN {DATE_KEY} >= ? THEN 1 ELSE 0 END) AS this_week, "
           f"SUM(CASE WHEN {DATE_KEY} < ? THEN 1 ELSE 0 END) AS before "
           f"FROM events e {LATEST_JOIN} WHERE {where} AND {DATE_KEY} BETWEEN ? AND ? GROUP BY 1")
    rows = store._rows(sql, [week_start, week_start] + params + [base_start, end])
    out = []
    for r in rows:
        mean = int(r["before"] or 0) / 4
        this = int(r["this_week"] or 0)
        out.append({"group": r["grp"], "this_week": this, "weekly_mean_before": mean,
                    "change": round(this - mean, 2)})
    out.sort(key=lambda r: (-abs(r["change"]), str(r["group"])))
    return {"week_start": week_start.isoformat(), "week_end": end.isoformat(), "rows": out}


# -- incidents -------------------------------------------------------------------------------------------------
INCIDENT_LIST_COLUMNS = (
    "incident_id, event_type, mode, date_start, date_end, date_precision, location_name, country, admin1, lat, "
    "lon, geo_precision, actor_name, recipient_name, n_events, n_articles, n_outlets, outlets, fatalities_low, "
    "fatalities_best, fatalities_high, injuries_low, injuries_best, injuries_high"
)


def incident_page(store: Store, flt: EventFilter, min_articles: int = 1, limit: int = 100, offset: int = 0
                  ) -> tuple[list[dict], int]:
    """(incidents newest first, total matching)."""
    limit = check_count("limit", limit, 1, 1000)
    offset = check_count("offset", offset, 0, MAX_COUNT)
    min_articles = check_count("min_articles", min_articles, 1, MAX_COUNT)
    where, params = flt.incident_where(min_articles)
    total = int(store.backend.execute(f"SELECT COUNT(*) FROM incidents WHERE {where}", params)[0][0])
    rows = store._rows(f"SELECT {INCIDENT_LIST_COLUMNS} FROM incidents WHERE {where} "
                       f"ORDER BY date_start DESC NULLS LAST, incident_id LIMIT {int(limit)} OFFSET {int(offset)}",
                       params)
    return [_plain(r) for r in rows], total


def incident_detail(store: Store, incident_id: str) -> Optional[dict]:
    """An incident with its claims and merge reasons (the record `sitrep incident` prints), its member events and
    the text explanation."""
    from ..incidents import explain_text

    row = store.incident(incident_id)
    if row is None:
        return None
    members = store._rows(
        f"SELECT {ROW_COLUMNS} FROM incident_events ie JOIN events e ON e.event_id = ie.event_id {LATEST_JOIN} "
        "WHERE ie.incident_id = ? ORDER BY a.published, e.event_id", [row["incident_id"]])
    out = _plain({k: v for k, v in row.items() if k != "record"})
    out["explanation"] = explain_text(row)
    out["record"] = row["record"]
    out["members"] = [_event_row(m) for m in members]
    return out


def casualty_best(cas: Optional[dict]) -> Optional[int]:
    """The best count of a casualties record (its total, or the sum of its groups), as the store flattens it."""
    return casualty_counts(cas)[1]


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _iso(value) -> Optional[str]:
    return _as_date(value).isoformat() if value is not None else None


def _plain(row: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v) for k, v in row.items()}

"""The watch state in the store (tables of migration m004): one FeedState per feed, one row per item URL met.

Plain functions over a Store's backend; the SQL is portable between DuckDB and PostgreSQL (upserts with
ON CONFLICT). Times are naive UTC, as elsewhere in the store.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, fields
from typing import Iterable, Optional

from ..store import Store

# Item outcomes: stored (its article is in the store), duplicate (same canonical URL or same text as a stored
# one), empty (no article text on the page), failed (fetching failed; retried), refused (robots.txt).
DONE_STATUSES = ("stored", "duplicate", "empty", "refused")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


@dataclass
class FeedState:
    feed_url: str
    kind: Optional[str] = None
    title: Optional[str] = None
    etag: Optional[str] = None
    last_modified: Optional[str] = None
    body_hash: Optional[str] = None
    status: str = "new"               # new | ok | not modified | unchanged | error
    error: Optional[str] = None
    errors: int = 0                   # failures in a row
    polls: int = 0
    not_modified: int = 0             # polls answered 304
    unchanged: int = 0                # polls whose body had the same hash as the last one
    items: int = 0                    # articles stored from this feed
    added_at: dt.datetime = None      # type: ignore[assignment]
    last_poll: Optional[dt.datetime] = None
    last_new: Optional[dt.datetime] = None
    next_poll: dt.datetime = None     # type: ignore[assignment]

    def __post_init__(self) -> None:
        now = utcnow()
        self.added_at = self.added_at or now
        self.next_poll = self.next_poll or now


COLUMNS = tuple(f.name for f in fields(FeedState))


def feed_states(store: Store, urls: Optional[Iterable[str]] = None) -> list[FeedState]:
    """The stored state of the given feeds (all feeds when None), ordered by URL."""
    sql = f"SELECT {', '.join(COLUMNS)} FROM feeds"
    params: list = []
    if urls is not None:
        params = sorted(set(urls))
        if not params:
            return []
        sql += " WHERE feed_url IN (" + ", ".join("?" * len(params)) + ")"
    rows = store.backend.execute(sql + " ORDER BY feed_url", params)
    return [FeedState(**dict(zip(COLUMNS, row))) for row in rows]


def save_feed(store: Store, state: FeedState) -> None:
    values = asdict(state)
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS if c not in ("feed_url", "added_at"))
    store.backend.execute(
        f"INSERT INTO feeds ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))}) "
        f"ON CONFLICT (feed_url) DO UPDATE SET {updates}",
        [values[c] for c in COLUMNS],
    )


def item_attempts(store: Store, item_urls: Iterable[str]) -> dict[str, tuple[str, int]]:
    """item_url -> (status, attempts) for the item URLs already met."""
    urls = sorted(set(item_urls))
    found: dict[str, tuple[str, int]] = {}
    for start in range(0, len(urls), 500):
        chunk = urls[start:start + 500]
        rows = store.backend.execute(
            "SELECT item_url, status, attempts FROM feed_items WHERE item_url IN (" + ", ".join("?" * len(chunk))
            + ")", chunk)
        found.update({url: (status, int(attempts)) for url, status, attempts in rows})
    return found


def record_item(store: Store, item_url: str, feed_url: str, status: str, *, attempts: int = 1,
                canonical_url: Optional[str] = None, article_id: Optional[str] = None,
                content_hash: Optional[str] = None, error: Optional[str] = None) -> None:
    store.backend.execute(
        "INSERT INTO feed_items (item_url, feed_url, canonical_url, article_id, content_hash, status, attempts, "
        "error, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (item_url) DO UPDATE SET "
        "canonical_url = EXCLUDED.canonical_url, article_id = EXCLUDED.article_id, "
        "content_hash = EXCLUDED.content_hash, status = EXCLUDED.status, attempts = EXCLUDED.attempts, "
        "error = EXCLUDED.error, seen_at = EXCLUDED.seen_at",
        [item_url, feed_url, canonical_url, article_id, content_hash, status, attempts, error, utcnow()],
    )


def known_page(store: Store, canonical_url: str, digest: str) -> Optional[str]:
    """Why a fetched page is already stored, or None: its canonical URL was stored from another item URL (or is
    an article id), or the same text was stored under another URL."""
    if store.backend.execute("SELECT 1 FROM feed_items WHERE canonical_url = ? AND status = 'stored' LIMIT 1",
                             [canonical_url]):
        return f"same canonical URL as a stored item ({canonical_url[:200]})"
    if store.backend.execute("SELECT 1 FROM articles WHERE article_id = ? LIMIT 1", [canonical_url]):
        return f"already stored as article {canonical_url[:200]}"
    if store.backend.execute("SELECT 1 FROM feed_items WHERE content_hash = ? AND status = 'stored' LIMIT 1",
                             [digest]):
        return "same text as a stored item"
    return None

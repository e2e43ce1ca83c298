"""The watch loop: poll each feed when it is due, fetch the pages of items not met before, extract and ingest
them (the store's own ingest path, so incidents are updated), and keep each feed's state in the store.

A failing feed (timeout, HTTP error, redirect loop, malformed XML, oversized body) is logged and backed off
(the interval doubled per failure in a row, up to a ceiling); the others go on. The loop stops between two
requests when the stop flag is set (the CLI sets it on SIGTERM/SIGINT), and a restart resumes from the stored
state: items already stored are never fetched again.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional
from urllib.parse import urlsplit

from ..errors import ConfigError, FeedError, FeedRefused, FeedStopped, InputError, StoreError
from ..ingest.pages import article_from_page, decode_html, normalize_url, page_meta
from ..model import Article
from ..options import Options
from ..store import Store, ingest_articles
from ..store.rows import content_hash
from .http import Fetcher, FetchSettings
from .parse import FeedItem, parse_feed
from .state import (DONE_STATUSES, FeedState, feed_states, item_attempts, known_page, record_item, save_feed,
                    utcnow)

LOGGER = logging.getLogger(__name__)

MIN_INTERVAL = 0.1           # seconds; a smaller interval is a typo that would hammer the sites
MIN_BACKOFF = 1.0            # the first retry of a failed feed waits at least this long
MAX_ITEM_ATTEMPTS = 3        # a page that failed this many times is given up
MAX_SITEMAPS = 20            # children of a sitemap index read per poll (news indexes list few)
PAGE_TYPES = ("html", "xml", "text/plain")   # Content-Types worth extracting; PDFs and images are skipped


@dataclass(frozen=True)
class WatchSettings:
    interval: float = 900.0              # seconds between two polls of one feed
    max_backoff: float = 6 * 3600.0      # the longest wait after failures in a row
    max_items: int = 200                 # new items fetched per feed and poll; the rest wait for the next poll
    fetch: FetchSettings = field(default_factory=FetchSettings)

    def check(self) -> "WatchSettings":
        if not MIN_INTERVAL <= self.interval <= 7 * 86400:
            raise ConfigError(f"--interval must be between {MIN_INTERVAL} s and 7 days, not {self.interval:g}")
        if not 1 <= self.max_items <= 100_000:
            raise ConfigError("--max-items must be between 1 and 100,000")
        self.fetch.check()
        return self


@dataclass
class FeedPoll:
    """What one poll of one feed did."""

    feed_url: str
    status: str = ""
    error: Optional[str] = None
    items: int = 0               # items listed
    new_items: int = 0           # items not met before (fetched now)
    stored: int = 0              # new articles stored
    duplicates: int = 0
    failed: int = 0
    events: int = 0
    retry_in: Optional[float] = None


@dataclass
class PollReport:
    """What the loop has done since it started."""

    polls: int = 0
    errors: int = 0
    stored: int = 0
    events: int = 0
    feeds: list[FeedPoll] = field(default_factory=list)

    def add(self, poll: FeedPoll) -> None:
        self.polls += 1
        self.errors += poll.status == "error"
        self.stored += poll.stored
        self.events += poll.events
        self.feeds.append(poll)


def read_sources(sources: Iterable[str]) -> list[str]:
    """Feed URLs from the command line: each SOURCE is an http(s) URL or a file listing them (one per line,
    '#' comments and blank lines ignored)."""
    urls: list[str] = []
    for source in sources:
        if urlsplit(source).scheme in ("http", "https"):
            urls.append(source.strip())
            continue
        path = Path(source)
        if not path.is_file():
            raise ConfigError(f"{source}: neither an http(s) URL nor a file listing feed URLs")
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{source}: cannot read the list of feeds ({exc})") from None
        for lineno, line in enumerate(lines, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            if urlsplit(line).scheme not in ("http", "https"):
                raise ConfigError(f"{source}:{lineno}: not an http(s) URL: {line[:200]!r}")
            urls.append(line)
    return list(dict.fromkeys(urls))


class Watcher:
    """Polls feeds into one store. `extractor` replaces the spaCy pipeline (tests); it is built on first need."""

    def __init__(self, store: Store, feed_urls: Iterable[str], settings: WatchSettings | None = None, *,
                 options: Options | None = None, extractor=None, stop: threading.Event | None = None,
                 on_poll: Optional[Callable[[FeedPoll], None]] = None):
        self.store = store
        self.settings = (settings or WatchSettings()).check()
        self.options = options or Options()
        self.extractor = extractor
        self.stop = stop or threading.Event()
        self.on_poll = on_poll or (lambda poll: None)
        self.fetcher = Fetcher(self.settings.fetch, stop=self.stop)
        urls = list(dict.fromkeys(feed_urls))
        known = {s.feed_url: s for s in feed_states(store, urls)}
        self.states = []
        for url in urls:
            state = known.get(url)
            if state is None:
                state = FeedState(feed_url=url)
                save_feed(store, state)
            self.states.append(state)
        self.report = PollReport()

    def close(self) -> None:
        self.fetcher.close()

    # -- the loop --------------------------------------------------------------------------------------------
    def due(self, state: FeedState, now: dt.datetime) -> dt.datetime:
        """When the feed should be polled next. A shorter --interval than the last run's applies at once."""
        if state.status != "error" and state.last_poll is not None:
            return min(state.next_poll, state.last_poll + dt.timedelta(seconds=self.settings.interval))
        return state.next_poll

    def run(self, once: bool = False) -> PollReport:
        """Poll until stopped; with `once`, poll every feed one time (except feeds backing off after a failure)
        and return."""
        if once:
            now = utcnow()
            for state in self.states:
                if self.stop.is_set():
                    break
                if state.status == "error" and state.next_poll > now:
                    LOGGER.warning("%s: backing off after %d failures; next try at %s UTC", state.feed_url,
                                   state.errors, state.next_poll.isoformat(timespec="seconds"))
                    continue
                self.poll(state)
            return self.report
        while not self.stop.is_set():
            now = utcnow()
            for state in sorted(self.states, key=lambda s: self.due(s, now)):
                if self.stop.is_set():
                    break
                if self.due(state, utcnow()) <= utcnow():
                    self.poll(state)
            if not self.states:
                break
            wake = min(self.due(s, utcnow()) for s in self.states)
            # Waits are sliced: a signal handler that sets the flag is noticed within half a second.
            while not self.stop.is_set():
                remaining = (wake - utcnow()).total_seconds()
                if remaining <= 0:
                    break
                self.stop.wait(min(remaining, 0.5))
        return self.report

    # -- one feed --------------------------------------------------------------------------------------------
    def poll(self, state: FeedState) -> FeedPoll:
        poll = FeedPoll(feed_url=state.feed_url)
        now = utcnow()
        state.polls += 1
        state.last_poll = now
        try:
            self._poll(state, poll)
        except FeedStopped:
            poll.status = "stopped"
            state.polls -= 1
            state.next_poll = now
        except FeedError as exc:
            self._fail(state, poll, str(exc), exc.retry_after)
        except StoreError:
            raise                       # the store is unusable: no other feed can be stored either
        except Exception as exc:  # noqa: BLE001 - a parser bug on one feed's bytes must not end the loop
            LOGGER.debug("%s: unexpected failure", state.feed_url, exc_info=True)
            self._fail(state, poll, f"unexpected {type(exc).__name__}: {str(exc)[:200]}", None)
        else:
            state.status, state.error, state.errors = poll.status, None, 0
            state.next_poll = now + dt.timedelta(seconds=self.settings.interval)
        save_feed(self.store, state)
        self.report.add(poll)
        self.on_poll(poll)
        return poll

    def _fail(self, state: FeedState, poll: FeedPoll, reason: str, retry_after: Optional[float]) -> None:
        state.errors += 1
        state.status, state.error = "error", reason
        delay = min(max(self.settings.interval, MIN_BACKOFF) * 2 ** (state.errors - 1), self.settings.max_backoff)
        if retry_after:
            delay = min(max(delay, retry_after), self.settings.max_backoff)
        state.next_poll = utcnow() + dt.timedelta(seconds=delay)
        poll.status, poll.error, poll.retry_in = "error", reason, delay
        LOGGER.warning("%s: %s; retrying in %s (failure %d in a row)", state.feed_url, reason, _duration(delay),
                       state.errors)

    def _poll(self, state: FeedState, poll: FeedPoll) -> None:
        response = self.fetcher.get(state.feed_url, etag=state.etag, last_modified=state.last_modified)
        if response.not_modified:
            state.not_modified += 1
            poll.status = "not modified"
            return
        state.etag = response.headers.get("etag")
        state.last_modified = response.headers.get("last-modified")
        digest = hashlib.sha256(response.body).hexdigest()
        if digest == state.body_hash:
            state.unchanged += 1
            poll.status = "unchanged"
            return
        parsed = parse_feed(response.body, response.url)
        state.kind = parsed.kind
        state.title = parsed.title or state.title
        items = list(parsed.items)
        for child in parsed.sitemaps[:MAX_SITEMAPS]:
            try:
                items.extend(parse_feed(self.fetcher.get(child).body, child).items)
            except FeedStopped:
                raise
            except FeedError as exc:
                LOGGER.warning("%s: sitemap %s: %s", state.feed_url, child[:200], exc)
        complete = self._take_items(state, items, poll)
        # A poll that left items for later (a cap, a stop) must not let the same body be skipped next time.
        state.body_hash = digest if complete else None
        poll.status = "ok"

    def _take_items(self, state: FeedState, items: list[FeedItem], poll: FeedPoll) -> bool:
        """Fetch, extract and store the items not met before; True when none is left for a later poll."""
        by_url: dict[str, FeedItem] = {}
        for item in items:
            by_url.setdefault(normalize_url(item.url), item)
        poll.items = len(by_url)
        met = item_attempts(self.store, by_url)
        todo = [(url, item, met.get(url, ("", 0))[1]) for url, item in by_url.items()
                if url not in met or (met[url][0] not in DONE_STATUSES and met[url][1] < MAX_ITEM_ATTEMPTS)]
        complete = len(todo) <= self.settings.max_items
        todo = todo[: self.settings.max_items]
        poll.new_items = len(todo)
        articles: list[tuple[str, Article, str, int]] = []     # (item url, article, canonical url, attempts)
        seen_canonical: set[str] = set()
        seen_hashes: set[str] = set()
        for url, item, attempts in todo:
            if self.stop.is_set():
                complete = False
                break
            try:
                article, canonical = self._fetch_page(url, item)
            except FeedStopped:
                complete = False
                break
            except FeedError as exc:
                refused = isinstance(exc, FeedRefused)
                poll.failed += not refused
                record_item(self.store, url, state.feed_url, "refused" if refused else "failed",
                            attempts=attempts + 1, error=str(exc)[:500])
                LOGGER.warning("%s: item %s: %s", state.feed_url, url[:200], exc)
                continue
            except InputError as exc:
                record_item(self.store, url, state.feed_url, "empty", attempts=attempts + 1, error=str(exc)[:500])
                LOGGER.info("%s", exc)
                continue
            except StoreError:
                raise
            except Exception as exc:  # noqa: BLE001 - one page's bug is that item's failure, not the loop's
                LOGGER.warning("%s: item %s: unexpected %s: %s", state.feed_url, url[:200], type(exc).__name__,
                               str(exc)[:200])
                poll.failed += 1
                record_item(self.store, url, state.feed_url, "failed", attempts=attempts + 1,
                            error=f"unexpected {type(exc).__name__}")
                continue
            digest = content_hash(article.text)
            why = ("same canonical URL as another item of this poll" if canonical in seen_canonical else
                   "same text as another item of this poll" if digest in seen_hashes else
                   known_page(self.store, canonical, digest))
            if why:
                poll.duplicates += 1
                record_item(self.store, url, state.feed_url, "duplicate", attempts=attempts + 1,
                            canonical_url=canonical, content_hash=digest, error=why)
                continue
            seen_canonical.add(canonical)
            seen_hashes.add(digest)
            articles.append((url, article, canonical, attempts + 1))
        if articles:
            self._store(state, poll, articles)
        # Failed pages are retried on the next poll, which must therefore read the feed even if it is unchanged.
        return complete and not poll.failed

    def _fetch_page(self, url: str, item: FeedItem) -> tuple[Article, str]:
        response = self.fetcher.get(url)
        kind = response.headers.get("content-type", "text/html").lower()
        if not any(t in kind for t in PAGE_TYPES):
            raise InputError(f"{url[:200]}: not a web page ({kind[:60]})")
        html = decode_html(response.body, kind)
        meta = page_meta(html, response.url)
        canonical = normalize_url(meta.canonical or response.url)
        fetched = response.fetched_at.date()
        article = article_from_page(html, canonical, title=item.title, published=item.published,
                                    fallback_date=fetched, meta=meta)
        return article, canonical

    def _store(self, state: FeedState, poll: FeedPoll, articles: list[tuple[str, Article, str, int]]) -> None:
        if self.extractor is None:
            from ..extract.pipeline import Extractor

            self.extractor = Extractor(self.options)
        report = ingest_articles(self.store, [a for _u, a, _c, _n in articles], options=self.options,
                                 extractor=self.extractor)
        # What the store now holds decides, not the report's messages: an article whose extraction or write
        # failed is not stored and its item is retried.
        known = self.store.article_versions(a.id for _u, a, _c, _n in articles)
        for url, article, canonical, attempts in articles:
            digest = content_hash(article.text)
            if not self.store.is_stored(article, known):
                poll.failed += 1
                record_item(self.store, url, state.feed_url, "failed", attempts=attempts, canonical_url=canonical,
                            article_id=article.id, error="extraction or storing failed")
                continue
            record_item(self.store, url, state.feed_url, "stored", canonical_url=canonical, article_id=article.id,
                        content_hash=digest)
            poll.stored += 1
        poll.events += report.events
        state.items += poll.stored
        if poll.stored:
            state.last_new = utcnow()


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"

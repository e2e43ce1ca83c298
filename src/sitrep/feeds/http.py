"""Polite HTTP fetching for feeds and pages: real timeouts, a cap on the body (streamed, never read whole),
redirects followed by hand (a loop is caught), robots.txt obeyed, and a minimum gap between two requests to one
host. Every failure is one FeedError with a short reason; the caller decides when to retry.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Optional
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from .. import __version__
from ..errors import FeedError, FeedRefused, FeedStopped

LOGGER = logging.getLogger(__name__)

DEFAULT_USER_AGENT = f"sitrep/{__version__} (news event extraction; polls feeds politely)"
MiB = 1024 * 1024


@dataclass(frozen=True)
class FetchSettings:
    """How politely and how patiently to fetch. The defaults suit public news sites."""

    user_agent: str = DEFAULT_USER_AGENT
    connect_timeout: float = 10.0     # seconds to open a connection
    read_timeout: float = 20.0        # seconds of silence between two pieces of a response
    total_timeout: float = 60.0       # a server that drips one byte at a time never trips read_timeout
    max_bytes: int = 20 * MiB         # a feed or page larger than this is refused (real ones are < 5 MiB)
    max_redirects: int = 5
    host_delay: float = 1.0           # seconds between two requests to one host
    robots_ttl: float = 3600.0        # seconds a host's robots.txt is trusted before it is fetched again
    robots_retry: float = 300.0       # a robots.txt that could not be fetched is asked again after this
    max_crawl_delay: float = 60.0     # a robots.txt Crawl-delay is obeyed up to this many seconds

    def check(self) -> "FetchSettings":
        for name in ("connect_timeout", "read_timeout", "total_timeout"):
            if not 0 < getattr(self, name) <= 3600:
                raise FeedError(f"{name.replace('_', '-')} must be between 0 and 3600 seconds")
        if not 0 <= self.host_delay <= 3600:
            raise FeedError("the per-host delay must be between 0 and 3600 seconds")
        if self.max_bytes < 1024:
            raise FeedError("the body size limit must be at least 1 KiB")
        if not self.user_agent.strip() or any(c in self.user_agent for c in "\r\n"):
            raise FeedError("the user agent must be one non-empty line")
        return self


@dataclass
class Response:
    """A response that arrived whole: 200 with its body, or 304 (not modified) without one."""

    url: str                          # after redirects
    status: int
    body: bytes = b""
    headers: dict = field(default_factory=dict)   # lower-case names
    fetched_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def _host(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def retry_after(value: Optional[str]) -> Optional[float]:
    """Seconds from a Retry-After header (a number or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, (when - dt.datetime.now(dt.timezone.utc)).total_seconds())


class Fetcher:
    """One HTTP client with its politeness state (last request per host, robots.txt per host).

    `stop` is the watch loop's stop flag: waits for a host's turn and long downloads end early when it is set."""

    def __init__(self, settings: FetchSettings | None = None, stop: threading.Event | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self.settings = (settings or FetchSettings()).check()
        self.stop = stop or threading.Event()
        self.clock = clock
        s = self.settings
        self.client = httpx.Client(
            follow_redirects=False,
            timeout=httpx.Timeout(connect=s.connect_timeout, read=s.read_timeout, write=s.read_timeout,
                                  pool=s.connect_timeout),
            headers={"User-Agent": s.user_agent},
        )
        self._last_request: dict[str, float] = {}
        self._host_delay: dict[str, float] = {}      # host -> seconds between requests (robots.txt may ask more)
        self._robots: dict[str, tuple[float, Optional[RobotFileParser], str]] = {}
        self.requests = 0

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- politeness ------------------------------------------------------------------------------------------
    def _wait_turn(self, url: str) -> None:
        host = _host(url)
        last = self._last_request.get(host)
        if last is not None:
            remaining = last + self._host_delay.get(host, self.settings.host_delay) - self.clock()
            if remaining > 0 and self.stop.wait(remaining):
                raise FeedStopped("stopped")
        self._last_request[host] = self.clock()

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets our user agent fetch the URL. A missing robots.txt (4xx) allows everything;
        one that cannot be fetched (5xx, timeout) allows nothing until it is asked again (RFC 9309): FeedError."""
        host = _host(url)
        now = self.clock()
        cached = self._robots.get(host)
        if cached is None or cached[0] <= now:
            self._robots[host] = cached = self._load_robots(host, now)
        expires, parser, problem = cached
        if parser is None:
            raise FeedError(f"robots.txt unavailable ({problem}); asking again later")
        return parser.can_fetch(self.settings.user_agent, url)

    def _load_robots(self, host: str, now: float) -> tuple[float, Optional[RobotFileParser], str]:
        parser = RobotFileParser()
        try:
            response = self._get(host + "/robots.txt", {}, check_robots=False)
        except FeedStopped:
            raise
        except FeedError as exc:
            if exc.status is not None and 400 <= exc.status < 500:
                parser.parse([])                       # no robots.txt: everything is allowed
                return now + self.settings.robots_ttl, parser, ""
            return now + self.settings.robots_retry, None, str(exc)
        parser.parse(response.body.decode("utf-8", errors="replace").splitlines())
        asked = parser.crawl_delay(self.settings.user_agent)
        try:
            asked = float(asked) if asked is not None else 0.0
        except (TypeError, ValueError):
            asked = 0.0
        self._host_delay[host] = max(self.settings.host_delay, min(asked, self.settings.max_crawl_delay))
        return now + self.settings.robots_ttl, parser, ""

    # -- fetching --------------------------------------------------------------------------------------------
    def get(self, url: str, etag: Optional[str] = None, last_modified: Optional[str] = None) -> Response:
        """GET a URL politely; a 304 comes back as a Response, every other failure as FeedError."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._get(url, headers, check_robots=True)

    def _get(self, url: str, headers: dict, check_robots: bool) -> Response:
        seen = {url}
        current = url
        for _hop in range(self.settings.max_redirects + 1):
            if urlsplit(current).scheme not in ("http", "https"):
                raise FeedError(f"{current[:200]}: not an http(s) URL")
            if check_robots and not self.allowed(current):
                raise FeedRefused("disallowed by robots.txt")
            status, location, response = self._request(current, headers)
            if location is None:
                return response
            target = urljoin(current, location)
            if target in seen:
                raise FeedError(f"redirect loop ({status} back to {target[:200]})")
            seen.add(target)
            current = target
        raise FeedError(f"more than {self.settings.max_redirects} redirects")

    def _request(self, url: str, headers: dict) -> tuple[int, Optional[str], Optional[Response]]:
        """(status, redirect target or None, response when there is no redirect)."""
        self._wait_turn(url)
        self.requests += 1
        started = self.clock()
        try:
            with self.client.stream("GET", url, headers=headers) as r:
                head = {k.lower(): v for k, v in r.headers.items()}
                if r.status_code in (301, 302, 303, 307, 308) and head.get("location"):
                    return r.status_code, head["location"], None
                if r.status_code == 304:
                    return 304, None, Response(url=str(r.url), status=304, headers=head)
                if r.status_code != 200:
                    raise FeedError(f"HTTP {r.status_code}", status=r.status_code,
                                    retry_after=retry_after(head.get("retry-after")))
                body = self._read_body(r, head, started)
                return 200, None, Response(url=str(r.url), status=200, body=body, headers=head)
        except httpx.TimeoutException as exc:
            raise FeedError(f"timed out ({type(exc).__name__})") from None
        except httpx.HTTPError as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise FeedError(f"cannot fetch: {reason[:200]}") from None

    def _read_body(self, r: httpx.Response, head: dict, started: float) -> bytes:
        cap = self.settings.max_bytes
        declared = head.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise FeedError(f"body of {int(declared) // MiB:,} MiB is over the {cap // MiB} MiB limit; not read")
        chunks: list[bytes] = []
        size = 0
        # Decoded bytes are counted, so a small gzip bomb is cut off as soon as its output passes the cap.
        for chunk in r.iter_bytes():
            size += len(chunk)
            if size > cap:
                raise FeedError(f"body is over the {cap // MiB} MiB limit; stopped reading")
            if self.clock() - started > self.settings.total_timeout:
                raise FeedError(f"timed out (the response took over {self.settings.total_timeout:g} s)")
            if self.stop.is_set():
                raise FeedStopped("stopped")
            chunks.append(chunk)
        return b"".join(chunks)

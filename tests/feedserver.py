"""A real HTTP server on 127.0.0.1 for the watch tests: routes serve feeds, sitemaps and pages, and the faulty
cases (a slow answer, 500, redirect loops, an endless body) misbehave for real over sockets.

Routes can change while the server runs (a feed gains an item); every request is recorded (path, headers) so
tests can assert what was fetched, how often and with which headers.
"""
from __future__ import annotations

import html
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Optional
from urllib.parse import urlsplit

CHUNK = 64 * 1024


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    etag: Optional[str] = None              # answer 304 to a matching If-None-Match
    last_modified: Optional[str] = None     # answer 304 to a matching If-Modified-Since
    delay: float = 0.0                      # seconds before answering
    redirect: Optional[str] = None          # answer 302 to this location
    endless_bytes: int = 0                  # stream this many bytes without a Content-Length
    headers: dict = field(default_factory=dict)


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict]] = []
        self.times: list[tuple[str, float]] = []
        self.sent_bytes: dict[str, int] = {}
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:    # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                path = self.path
                with server.lock:
                    server.requests.append((path, {k.lower(): v for k, v in self.headers.items()}))
                    server.times.append((path, time.monotonic()))
                    route = server.routes.get(path) or server.routes.get(urlsplit(path).path)
                if route is None:
                    return self._send(404, b"not found", "text/plain")
                if route.delay:
                    time.sleep(route.delay)
                if route.redirect:
                    return self._send(302, b"", "text/plain", {"Location": route.redirect})
                if route.status != 200:
                    return self._send(route.status, b"error", "text/plain", route.headers)
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    return self._send(304, None, None, {"ETag": route.etag})
                if route.last_modified and self.headers.get("If-Modified-Since") == route.last_modified:
                    return self._send(304, None, None, {"Last-Modified": route.last_modified})
                extra = dict(route.headers)
                if route.etag:
                    extra["ETag"] = route.etag
                if route.last_modified:
                    extra["Last-Modified"] = route.last_modified
                if route.endless_bytes:
                    return self._endless(path, route)
                self._send(200, route.body, route.content_type, extra)

            def _send(self, status, body, content_type, headers=None) -> None:
                self.send_response(status)
                if content_type:
                    self.send_header("Content-Type", content_type)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                if body:
                    self.wfile.write(body)

            def _endless(self, path: str, route: Route) -> None:
                self.send_response(200)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Connection", "close")
                self.end_headers()
                sent = 0
                chunk = b"<item>" + b"x" * (CHUNK - 6)
                try:
                    while sent < route.endless_bytes:
                        self.wfile.write(chunk)
                        sent += len(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                finally:
                    with server.lock:
                        server.sent_bytes[path] = sent
                    self.close_connection = True

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        # A client that hangs up early (the timeout and size tests do) is expected: no traceback on stderr.
        self.httpd.handle_error = lambda request, address: None
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "FeedServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}{path}"

    def hits(self, path: str) -> int:
        with self.lock:
            return sum(1 for p, _h in self.requests if p == path)

    def headers_of(self, path: str) -> list[dict]:
        with self.lock:
            return [h for p, h in self.requests if p == path]


# -- documents -----------------------------------------------------------------------------------------------
def page(title: str, paragraphs: list[str], canonical: Optional[str] = None, published: Optional[str] = None) -> bytes:
    head = f"<title>{html.escape(title)}</title>"
    if canonical:
        head += f'<link rel="canonical" href="{html.escape(canonical)}">'
    if published:
        head += f'<meta property="article:published_time" content="{published}">'
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (f"<!doctype html><html><head><meta charset='utf-8'>{head}</head><body><nav>Home | World</nav>"
            f"<article><h1>{html.escape(title)}</h1>{body}</article><footer>(c) Example</footer></body></html>"
            ).encode("utf-8")


def rss(title: str, items: list[tuple[str, str, str]]) -> bytes:
    """items: (link, title, RFC 822 date)."""
    entries = "".join(f"<item><title>{html.escape(t)}</title><link>{html.escape(link)}</link>"
                      f"<pubDate>{d}</pubDate></item>" for link, t, d in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{html.escape(title)}</title>'
            f"<link>http://example.org/</link><description>news</description>{entries}</channel></rss>").encode()


def atom(title: str, items: list[tuple[str, str, str]]) -> bytes:
    """items: (link, title, ISO timestamp)."""
    entries = "".join(f'<entry><title>{html.escape(t)}</title><link href="{html.escape(link)}"/>'
                      f"<id>{html.escape(link)}</id><updated>{d}</updated></entry>" for link, t, d in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{html.escape(title)}</title><id>urn:x</id><updated>2024-01-01T00:00:00Z</updated>"
            f"{entries}</feed>").encode()


def news_sitemap(items: list[tuple[str, str, str]]) -> bytes:
    """items: (loc, title, publication date)."""
    urls = "".join(f"<url><loc>{html.escape(loc)}</loc><news:news><news:publication><news:name>Example"
                   f"</news:name><news:language>en</news:language></news:publication>"
                   f"<news:publication_date>{d}</news:publication_date><news:title>{html.escape(t)}</news:title>"
                   f"</news:news></url>" for loc, t, d in items)
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>').encode()


def sitemap_index(locs: list[str]) -> bytes:
    entries = "".join(f"<sitemap><loc>{html.escape(loc)}</loc></sitemap>" for loc in locs)
    return ('<?xml version="1.0" encoding="UTF-8"?><sitemapindex '
            f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>').encode()


def http_date(ts: float) -> str:
    return formatdate(ts, usegmt=True)

"""Feed bytes -> items: RSS and Atom through feedparser, news sitemaps (and sitemap indexes, gzipped or not)
through lxml. Malformed XML that yields nothing is a FeedError; a feed with a small flaw that still lists its
items is read (feedparser is lenient on purpose)."""
from __future__ import annotations

import datetime as dt
import gzip
import io
import logging
import warnings
from dataclasses import dataclass, field
from typing import Optional
from urllib.parse import urljoin

from ..errors import ConfigError, FeedError
from ..ingest.readers import publication_date

LOGGER = logging.getLogger(__name__)

MAX_UNZIPPED = 50 * 1024 * 1024      # a gzipped sitemap may not unpack to more than this (sitemaps.org: 50 MB)
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


@dataclass
class FeedItem:
    url: str
    title: Optional[str] = None
    published: Optional[dt.date] = None


@dataclass
class ParsedFeed:
    kind: str                                    # rss | atom | sitemap | sitemapindex
    title: Optional[str] = None
    items: list[FeedItem] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)     # the children of a sitemap index


def _date(value) -> Optional[dt.date]:
    if not value:
        return None
    try:
        return publication_date(str(value).strip()[:10])
    except ConfigError:
        return None


def _gunzip(body: bytes) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as fh:
            data = fh.read(MAX_UNZIPPED + 1)
    except (OSError, EOFError) as exc:
        raise FeedError(f"malformed gzip data ({exc})") from None
    if len(data) > MAX_UNZIPPED:
        raise FeedError(f"unpacks to more than {MAX_UNZIPPED // (1024 * 1024)} MiB")
    return data


def _root_name(body: bytes) -> Optional[str]:
    """The local name of the document's root element, or None when the bytes are not XML."""
    from lxml import etree

    try:
        for _event, element in etree.iterparse(io.BytesIO(body), events=("start",), resolve_entities=False,
                                               no_network=True, load_dtd=False):
            return etree.QName(element).localname
    except etree.XMLSyntaxError:
        return None
    return None


def parse_feed(body: bytes, base_url: str = "") -> ParsedFeed:
    """Read feed or sitemap bytes (relative links resolved against `base_url`); FeedError when they are not a
    feed at all."""
    if body[:2] == b"\x1f\x8b":
        body = _gunzip(body)
    if not body.strip():
        raise FeedError("empty response")
    root = _root_name(body)
    feed = _parse_sitemap(body, root) if root in ("urlset", "sitemapindex") else _parse_syndication(body)
    for item in feed.items:
        item.url = urljoin(base_url, item.url)
    feed.sitemaps = [urljoin(base_url, u) for u in feed.sitemaps]
    return feed


def _parse_sitemap(body: bytes, root_name: str) -> ParsedFeed:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise FeedError(f"malformed sitemap XML ({exc})") from None

    def text(node, path: str) -> Optional[str]:
        found = node.find(path, {"s": SITEMAP_NS, "n": NEWS_NS})
        return found.text.strip() if found is not None and found.text and found.text.strip() else None

    feed = ParsedFeed(kind="sitemapindex" if root_name == "sitemapindex" else "sitemap")
    if feed.kind == "sitemapindex":
        feed.sitemaps = [loc for node in root.iterfind("s:sitemap", {"s": SITEMAP_NS})
                         if (loc := text(node, "s:loc"))]
        return feed
    for node in root.iterfind("s:url", {"s": SITEMAP_NS}):
        loc = text(node, "s:loc")
        if not loc:
            continue
        feed.items.append(FeedItem(
            url=loc, title=text(node, "n:news/n:title"),
            published=_date(text(node, "n:news/n:publication_date")) or _date(text(node, "s:lastmod")),
        ))
    return feed


def _parse_syndication(body: bytes) -> ParsedFeed:
    import feedparser

    parsed = feedparser.parse(body)
    # A flawed feed that still lists linked items is read; one that yields none is an error (it may be cut off).
    if parsed.bozo and not any(entry.get("link") for entry in parsed.entries):
        reason = parsed.get("bozo_exception")
        raise FeedError(f"malformed feed XML ({str(reason).strip()[:200] or 'not a feed'})")
    if not parsed.version and not parsed.entries:
        raise FeedError("not an RSS or Atom feed, nor a sitemap")
    if parsed.bozo:
        LOGGER.debug("feed read despite a flaw: %s", parsed.get("bozo_exception"))
    feed = ParsedFeed(kind="atom" if str(parsed.version).startswith("atom") else "rss",
                      title=(parsed.feed.get("title") or "").strip() or None)
    for entry in parsed.entries:
        link = (entry.get("link") or "").strip()
        if not link:
            continue
        with warnings.catch_warnings():
            # feedparser warns that it maps updated_parsed onto published_parsed: both are read explicitly here
            warnings.simplefilter("ignore", DeprecationWarning)
            stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        published = None
        if stamp:
            try:
                published = publication_date(dt.date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday))
            except (ConfigError, ValueError):
                published = None
        feed.items.append(FeedItem(url=link, title=(entry.get("title") or "").strip() or None,
                                   published=published))
    return feed

"""Web pages as articles: bytes decoded by their declared charset, the main text (trafilatura, via
readers.html_to_text), and what the page's <head> says about its headline, outlet, publication date and canonical
URL. Used for pages `sitrep watch` fetches and for HTML responses in WARC archives, so both read a page the same
way. Which <meta> tags count and which URL parameters are tracking noise is data (data/web_pages.yaml).
"""
from __future__ import annotations

import codecs
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from ..data import load_yaml
from ..errors import ConfigError, InputError
from ..model import Article
from .clean import make_article
from .language import check_language
from .readers import MAX_ARTICLE_CHARS, MAX_ID_CHARS, html_to_text, publication_date, scrub

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)


@dataclass(frozen=True)
class PageRules:
    published_meta: tuple[tuple[str, str], ...]
    title_meta: tuple[tuple[str, str], ...]
    site_name_meta: tuple[tuple[str, str], ...]
    tracking_exact: frozenset[str]
    tracking_prefixes: tuple[str, ...]


@lru_cache(maxsize=1)
def page_rules() -> PageRules:
    spec = load_yaml("web_pages.yaml")
    pairs = lambda key: tuple((str(a).lower(), str(v).lower()) for a, v in spec[key])  # noqa: E731
    params = [str(p).lower() for p in spec["tracking_parameters"]]
    return PageRules(
        published_meta=pairs("published_meta"), title_meta=pairs("title_meta"),
        site_name_meta=pairs("site_name_meta"),
        tracking_exact=frozenset(p for p in params if not p.endswith("*")),
        tracking_prefixes=tuple(p[:-1] for p in params if p.endswith("*")),
    )


def decode_html(body: bytes, content_type: Optional[str] = None) -> str:
    """Text of an HTML body: the charset of the Content-Type header, else of a <meta charset>, else UTF-8.
    Undecodable bytes become U+FFFD: one bad byte must not lose a page."""
    names = []
    if content_type:
        m = _HEADER_CHARSET.search(content_type)
        if m:
            names.append(m.group(1))
    m = _CHARSET.search(body[:4096])
    if m:
        names.append(m.group(1).decode("ascii", "replace"))
    for name in names + ["utf-8"]:
        try:
            codecs.lookup(name)
        except LookupError:
            continue
        return body.decode(name, errors="replace").lstrip("\ufeff")
    return body.decode("utf-8", errors="replace")  # pragma: no cover - utf-8 always exists


def normalize_url(url: str) -> str:
    """The URL as compared for duplicates: scheme and host in lower case, default port, fragment and tracking
    parameters dropped; path and the other parameters kept as they are (servers may care about their case)."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    port = parts.port if parts.port and (parts.scheme, parts.port) not in (("http", 80), ("https", 443)) else None
    netloc = host + (f":{port}" if port else "")
    rules = page_rules()
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k.lower() not in rules.tracking_exact and not k.lower().startswith(rules.tracking_prefixes)]
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", urlencode(query), ""))


def outlet_of(url: Optional[str]) -> Optional[str]:
    """An outlet name from a URL: its host without a leading www."""
    host = (urlsplit(url).hostname or "") if url else ""
    return host[4:] if host.startswith("www.") else (host or None)


@dataclass
class PageMeta:
    title: Optional[str] = None
    site_name: Optional[str] = None
    published: Optional[dt.date] = None
    canonical: Optional[str] = None


def page_meta(html: str, url: Optional[str] = None) -> PageMeta:
    """What the page's <head> says about it (meta tags per data/web_pages.yaml, <title>, rel=canonical)."""
    from lxml import etree, html as lxml_html

    meta = PageMeta()
    try:
        parser = lxml_html.HTMLParser(remove_comments=True, no_network=True)
        root = lxml_html.document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError, etree.XMLSyntaxError):
        return meta
    found: dict[tuple[str, str], str] = {}
    for node in root.iter("meta"):
        content = (node.get("content") or "").strip()
        if not content:
            continue
        for attr in ("property", "name", "itemprop"):
            value = (node.get(attr) or "").strip().lower()
            if value:
                found.setdefault((attr, value), content)
    rules = page_rules()
    first = lambda keys: next((found[k] for k in keys if k in found), None)  # noqa: E731
    title = first(rules.title_meta)
    if not title:
        node = root.find(".//title")
        title = node.text_content() if node is not None else None
    meta.title = " ".join(title.split()) if title and title.strip() else None
    meta.site_name = first(rules.site_name_meta)
    for key in rules.published_meta:
        if key in found:
            try:
                # The date part only: the publisher's local date is the one the article means by "today".
                meta.published = publication_date(found[key].strip()[:10])
            except ConfigError:
                continue
            if meta.published:
                break
    for node in root.iter("link"):
        if "canonical" in (node.get("rel") or "").lower().split() and node.get("href"):
            target = urljoin(url or "", node.get("href").strip())
            if urlsplit(target).scheme in ("http", "https"):
                meta.canonical = target
            break
    return meta


def article_from_page(html: str, url: str, *, article_id: Optional[str] = None, title: Optional[str] = None,
                      published: Optional[dt.date] = None, outlet: Optional[str] = None,
                      fallback_date: Optional[dt.date] = None, meta: Optional[PageMeta] = None) -> Article:
    """An Article from a web page. What the caller knows (a feed's title and date) wins over what the page
    says; the page's own publication date wins over `fallback_date` (the crawl or fetch date). The id is the
    URL unless given. InputError when the page has no text."""
    warnings: list[str] = []
    where = url[:200]
    html = scrub(html, warnings, where, "html")
    meta = meta or page_meta(html, url)
    text = html_to_text(html)
    if not text.strip():
        raise InputError(f"{where}: no article text found in the HTML")
    if len(text) > MAX_ARTICLE_CHARS:
        warnings.append(f"{where}: text cut to {MAX_ARTICLE_CHARS} characters")
        text = text[:MAX_ARTICLE_CHARS]
    art_id = article_id or url
    if len(art_id) > MAX_ID_CHARS:
        raise InputError(f"{where}...: the URL is {len(art_id):,} characters; ids can have at most {MAX_ID_CHARS:,}")
    article = make_article(
        art_id, text, title=title or meta.title, url=url,
        published=published or meta.published or fallback_date,
        outlet=outlet or meta.site_name or outlet_of(url),
    )
    article.warnings.extend(warnings)
    check_language(article, where)
    return article

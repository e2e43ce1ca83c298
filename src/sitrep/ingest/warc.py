"""WARC archives (.warc, .warc.gz) as articles: every HTML response (status 200) becomes one article, read like
a fetched page (ingest/pages.py): its id and URL are the record's target URI, its outlet the page's site name or
the URL's host, its publication date the page's own or else the crawl date (WARC-Date).

The archive is streamed record by record (warcio), so its size is not limited by memory; one record's body is
capped like an input file. A record that cannot be read is reported and the next one is read; an archive that
breaks off (a truncated gzip member) ends with one error.
"""
from __future__ import annotations

import logging
from typing import Callable, Iterator

from ..errors import ConfigError, InputError
from ..model import Article
from .pages import article_from_page, decode_html
from .readers import MAX_FILE_BYTES, parse_date

LOGGER = logging.getLogger(__name__)

WARC_SUFFIXES = (".warc", ".warc.gz")
HTML_TYPES = ("text/html", "application/xhtml+xml")


def is_warc(path: str) -> bool:
    return path.lower().endswith(WARC_SUFFIXES)


def warc_articles(path: str, on_error: Callable[[InputError], None]) -> Iterator[Article]:
    """Articles from the HTML responses of one WARC file; other records (requests, metadata, images,
    redirects, revisits) are skipped."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        fh = open(path, "rb")
    except FileNotFoundError:
        on_error(InputError(f"{path}: no such file"))
        return
    except OSError as exc:
        on_error(InputError(f"{path}: cannot read ({exc.strerror or exc})"))
        return
    with fh:
        if not _starts_like_warc(fh):
            on_error(InputError(f"{path}: not a readable WARC file (it does not begin with a WARC/1.x record)"))
            return
        n = 0
        try:
            for record in ArchiveIterator(fh):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                n += 1
                where = f"{path}: record {n}"
                article = _record_article(record, where, on_error)
                if article is not None:
                    yield article
        except ArchiveLoadFailed as exc:
            on_error(InputError(f"{path}: not a readable WARC file ({str(exc).strip()[:200]})"))
        except (OSError, EOFError, ValueError) as exc:
            # zlib errors and truncated members surface as these from inside the iterator
            on_error(InputError(f"{path}: the archive breaks off after record {max(n - 1, 0)} "
                                f"({type(exc).__name__}: {str(exc)[:200]})"))


def _starts_like_warc(fh) -> bool:
    """Whether the file's first bytes (inside gzip when gzipped) are a WARC version line. Without this check
    warcio reads any text as a string of damaged records, with a warning per line."""
    import gzip
    import zlib

    head = fh.read(2)
    fh.seek(0)
    try:
        if head == b"\x1f\x8b":
            with gzip.GzipFile(fileobj=fh) as inner:
                start = inner.read(8)
        else:
            start = fh.read(8)
    except (OSError, EOFError, zlib.error):
        start = b""
    fh.seek(0)
    return start.startswith(b"WARC/")


def _record_article(record, where: str, on_error: Callable[[InputError], None]) -> Article | None:
    url = (record.rec_headers.get_header("WARC-Target-URI") or "").strip().strip("<>")
    status = record.http_headers.get_statuscode()
    content_type = record.http_headers.get_header("Content-Type") or ""
    if status != "200" or not any(t in content_type.lower() for t in HTML_TYPES):
        return None
    if not url:
        on_error(InputError(f"{where}: HTML response without a WARC-Target-URI"))
        return None
    body = record.content_stream().read(MAX_FILE_BYTES + 1)
    # warcio hands out a record cut off by the end of the file without complaint: bytes its Content-Length
    # promised that never came mean the archive breaks off here.
    if len(body) <= MAX_FILE_BYTES and getattr(record.raw_stream, "limit", 0):
        raise EOFError("the last record is incomplete")
    if len(body) > MAX_FILE_BYTES:
        on_error(InputError(f"{where} ({url[:200]}): page larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB"))
        return None
    crawled = None
    try:
        crawled = parse_date(record.rec_headers.get_header("WARC-Date"))
    except ConfigError:
        pass
    try:
        return article_from_page(decode_html(body, content_type), url, fallback_date=crawled)
    except InputError as exc:
        # Index pages, galleries and videos have no article text: normal in a crawl, not an input error.
        LOGGER.info("%s: skipped (%s)", where, exc)
        return None

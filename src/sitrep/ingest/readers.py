"""Reading inputs: .txt, .html/.htm, .jsonl article records and '-' (stdin) become Articles.

Problems with one input (missing, empty, binary, not UTF-8, a malformed JSONL line) are reported through
`on_error` as InputError and the rest of the batch goes on.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
import sys
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from ..errors import ConfigError, InputError
from ..model import Article, as_date
from .clean import make_article

LOGGER = logging.getLogger(__name__)

MAX_FILE_BYTES = 200 * 1024 * 1024     # a single input file larger than this is refused
MAX_ARTICLE_CHARS = 1_000_000          # longer article texts are cut (with a warning on the article)
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


def parse_date(value, *, where: str = "") -> Optional[dt.date]:
    """YYYY-MM-DD (or an ISO timestamp) -> date; None for empty; ConfigError otherwise."""
    date = as_date(value)
    if date is None and value not in (None, ""):
        raise ConfigError(f"{where}invalid date {str(value).strip()!r}: expected YYYY-MM-DD")
    return date


def _decode(data: bytes, name: str) -> str:
    if not data.strip():
        raise InputError(f"{name}: file is empty")
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not valid UTF-8 (byte {exc.start}); convert it first, e.g. iconv -f latin1 -t utf-8"
        ) from None


def _read_bytes(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such file")
    if p.is_dir():
        raise InputError(f"{path}: is a directory")
    size = p.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(f"{path}: file is {size // (1024 * 1024)} MiB, larger than the {MAX_FILE_BYTES // (1024 * 1024)} MiB limit; split it")
    try:
        return p.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None


def html_to_text(html: str) -> str:
    """Main text of an HTML page (trafilatura), paragraphs separated by newlines."""
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_recall=True)
    return text or ""


def _cap(article_text: str, name: str, warnings: list[str]) -> str:
    if len(article_text) > MAX_ARTICLE_CHARS:
        warnings.append(f"{name}: text cut to {MAX_ARTICLE_CHARS} characters")
        return article_text[:MAX_ARTICLE_CHARS]
    return article_text


_SURROGATES = re.compile("[\ud800-\udfff]")


def scrub(value: str, warnings: list[str], where: str, field: str) -> str:
    """Lone surrogates (JSON allows "\\ud800"; no encoder does) become U+FFFD, with a warning."""
    if _SURROGATES.search(value):
        warnings.append(f"{where}: '{field}' has invalid characters (lone surrogates), replaced with U+FFFD")
        return _SURROGATES.sub("\ufffd", value)
    return value


def _kind(value) -> str:
    return {bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "an object"}.get(
        type(value), type(value).__name__)


def _text_field(rec: dict, field: str, where: str, warnings: list[str]) -> Optional[str]:
    """An optional string field of a record: numbers are read as their text, lists and objects are dropped."""
    value = rec.get(field)
    if value is None or isinstance(value, str):
        return scrub(value, warnings, where, field) if value else None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    warnings.append(f"{where}: '{field}' is {_kind(value)}, not a string; ignored")
    return None


def article_from_record(rec: dict, where: str) -> Article:
    """One JSONL article record {id, text|html, title, url, published, outlet} -> Article."""
    if not isinstance(rec, dict):
        raise InputError(f"{where}: not a JSON object")
    warnings: list[str] = []
    for field in ("text", "html"):
        if rec.get(field) is not None and not isinstance(rec[field], str):
            raise InputError(f"{where}: '{field}' is {_kind(rec[field])}, not a string")
    text = rec.get("text")
    if not text and rec.get("html"):
        text = html_to_text(scrub(rec["html"], warnings, where, "html"))
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{where}: record has no 'text' or 'html'")
    art_id = rec.get("id")
    if art_id in (None, ""):
        raise InputError(f"{where}: record has no 'id'")
    if not isinstance(art_id, (str, int)) or isinstance(art_id, bool):
        raise InputError(f"{where}: 'id' is {_kind(art_id)}, not a string")
    text = _cap(scrub(text, warnings, where, "text"), where, warnings)
    published = None
    try:
        published = parse_date(rec.get("published"), where=f"{where}: ")
    except ConfigError as exc:
        warnings.append(str(exc))
    article = make_article(
        scrub(str(art_id), warnings, where, "id"), text,
        title=_text_field(rec, "title", where, warnings), url=_text_field(rec, "url", where, warnings),
        published=published, outlet=_text_field(rec, "outlet", where, warnings),
    )
    article.warnings.extend(warnings)
    return article


def _jsonl_articles(text: str, name: str, on_error: Callable[[InputError], None]) -> Iterator[Article]:
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{name}:{lineno}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            on_error(InputError(f"{where}: malformed JSON ({exc.msg})"))
            continue
        try:
            yield article_from_record(rec, where)
        except InputError as exc:
            on_error(exc)


def file_article_id(path: str, text: str) -> str:
    """A plain-text or HTML article's id: its path as given (normalised), so that d1/a.txt and d2/a.txt are two
    articles and an edited file is a new version of the same one; text piped to stdin has no better key than its
    content."""
    if path == "-":
        return "stdin-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
    return os.path.normpath(path)


def split_headline(text: str) -> tuple[Optional[str], str]:
    """A plain-text article that opens with a short line without final punctuation, then a blank line, has a
    headline: it becomes the title, so its words do not report the lede's events a second time."""
    head, sep, rest = text.lstrip().partition("\n\n")
    head = head.strip()
    if sep and rest.strip() and "\n" not in head and len(head) <= 200 and head[-1:] not in '.!?:"\'':
        return head, rest
    return None, text


def looks_like_jsonl(text: str) -> bool:
    """Content sniffing for stdin and unnamed pipes: the first non-blank line is a JSON object."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    if not first.lstrip().startswith("{"):
        return False
    try:
        return isinstance(json.loads(first), dict)
    except json.JSONDecodeError:
        return False


def read_path(path: str, published: Optional[dt.date], on_error: Callable[[InputError], None]) -> Iterator[Article]:
    """Articles from one input path ('-' = stdin, JSONL if it parses as records, else plain text)."""
    try:
        data = _read_bytes(path)
        name = "<stdin>" if path == "-" else path
        text = _decode(data, name)
    except InputError as exc:
        on_error(exc)
        return
    suffix = Path(path).suffix.lower() if path != "-" else ""
    if suffix in {".jsonl", ".ndjson"} or (suffix not in {".txt", ".text"} | HTML_SUFFIXES and looks_like_jsonl(text)):
        yield from _jsonl_articles(text, name, on_error)
        return
    if suffix in HTML_SUFFIXES or (suffix == "" and text.lstrip()[:15].lower().startswith(("<!doctype", "<html"))):
        text = html_to_text(text)
        if not text.strip():
            on_error(InputError(f"{name}: no article text found in the HTML"))
            return
    warnings: list[str] = []
    text = _cap(text, name, warnings)
    title, text = split_headline(text)
    art_id = file_article_id(path, text)
    article = make_article(art_id, text, title=title, published=published)
    article.warnings.extend(warnings)
    yield article


def iter_articles(
    paths: Iterable[str],
    published: Optional[dt.date] = None,
    on_error: Optional[Callable[[InputError], None]] = None,
) -> Iterator[Article]:
    """All articles from all inputs, in order; `published` applies to plain-text and HTML files."""
    def log_error(exc: InputError) -> None:
        LOGGER.error("%s", exc)

    handler = on_error or log_error
    for path in paths:
        yield from read_path(path, published, handler)

"""Reading inputs: .txt, .html/.htm, .jsonl article records, .warc/.warc.gz archives (ingest/warc.py) and '-'
(stdin) become Articles.

Problems with one input (missing, empty, binary, not UTF-8, a malformed JSONL line) are reported through
`on_error` as InputError and the rest of the batch goes on.
"""
from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import logging
import os
import re
import stat
import sys
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from ..errors import ConfigError, InputError
from ..model import Article, as_date
from .clean import make_article
from .language import check_language

LOGGER = logging.getLogger(__name__)

MAX_FILE_BYTES = 200 * 1024 * 1024     # a single input file larger than this is refused
MAX_ARTICLE_CHARS = 1_000_000          # longer article texts are cut (with a warning on the article)
# Article ids are keys in both stores; PostgreSQL cannot index a key much over 2.7 KB, so both refuse longer ids.
MAX_ID_CHARS = 1000
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
# Publication years outside this range are feed placeholders ("0001-01-01" is the zero time) or typos; date
# arithmetic near the calendar's ends overflows, so such dates are read as "no date".
MIN_YEAR = 1800

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(value, *, where: str = "") -> Optional[dt.date]:
    """YYYY-MM-DD or a whole ISO timestamp -> date; None for empty; ConfigError for anything else (the whole
    value is checked: "2020-01-01garbage" is refused)."""
    if value in (None, ""):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return as_date(value)
    text = str(value).strip()
    date = None
    if isinstance(value, str) and _ISO_DATE.match(text):
        try:
            date = dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(
                text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text).date()
        except ValueError:
            date = None
    if date is None:
        raise ConfigError(f"{where}invalid date {text[:40]!r}: expected YYYY-MM-DD")
    return date


def publication_date(value, *, where: str = "") -> Optional[dt.date]:
    """A publication date: a valid date (parse_date) within MIN_YEAR .. next year; ConfigError otherwise."""
    date = parse_date(value, where=where)
    if date is not None and not MIN_YEAR <= date.year <= dt.date.today().year + 1:
        raise ConfigError(f"{where}publication date {date.isoformat()} is out of range "
                          f"({MIN_YEAR} to next year); read as no date")
    return date


# What a file that is not text most likely is, by its first bytes: named in the error so people know what to do.
_MAGIC = (
    (b"%PDF-", "a PDF file, not text; convert it first, e.g. pdftotext"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx document), not text; unpack or convert it first"),
    (b"\x1f\x8b", "a gzip-compressed file, not text; decompress it first, e.g. gunzip"),
    (b"\x89PNG", "a PNG image, not text"),
    (b"\xff\xd8\xff", "a JPEG image, not text"),
    (b"GIF8", "a GIF image, not text"),
)


def _utf16(data: bytes) -> Optional[str]:
    """The encoding of UTF-16 text: by its byte-order mark, or (without one) by NUL bytes in every other place."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    head = data[:4096]
    if len(head) >= 16:
        odd, even = head[1::2], head[0::2]
        if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
            return "utf-16-le"
        if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
            return "utf-16-be"
    return None


def _decode(data: bytes, name: str) -> str:
    if not data.strip():
        raise InputError(f"{name}: file is empty")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"{name}: looks like {what}")
    encoding = _utf16(data)
    if encoding:
        try:
            return data.decode(encoding).lstrip("\ufeff")
        except UnicodeDecodeError:
            raise InputError(f"{name}: looks like UTF-16 text but does not decode; convert it first, "
                             "e.g. iconv -f utf-16 -t utf-8") from None
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not valid UTF-8 (byte {exc.start}); convert it first, e.g. iconv -f latin1 -t utf-8"
        ) from None


def _too_big(name: str) -> InputError:
    return InputError(f"{name}: more than the {MAX_FILE_BYTES // (1024 * 1024)} MiB limit of one input; split it")


def _read_capped(fh, name: str) -> bytes:
    """At most MAX_FILE_BYTES from a stream: stdin and devices have no size to check beforehand."""
    data = fh.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise _too_big(name)
    return data


_NOT_A_FILE = {stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFSOCK: "a socket", stat.S_IFBLK: "a block device"}


def _read_bytes(path: str) -> bytes:
    if path == "-":
        return _read_capped(sys.stdin.buffer, "<stdin>")
    try:
        st = os.stat(path)
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR) or not path:
            raise InputError(f"{path}: no such file") from None
        raise InputError(f"{path[:200]}: cannot read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{path}: is a directory")
    kind = _NOT_A_FILE.get(stat.S_IFMT(st.st_mode))
    if kind:
        # Opening a FIFO blocks until someone writes to it; pipes belong on stdin, where '-' reads them.
        raise InputError(f"{path}: is {kind}, not a file; pipe its content to '-' instead")
    if stat.S_ISREG(st.st_mode) and st.st_size > MAX_FILE_BYTES:
        raise InputError(f"{path}: file is {st.st_size // (1024 * 1024)} MiB, larger than the "
                         f"{MAX_FILE_BYTES // (1024 * 1024)} MiB limit; split it")
    try:
        with open(path, "rb") as fh:
            return _read_capped(fh, path)     # character devices (/dev/zero) never end
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None


def html_to_text(html: str) -> str:
    """Main text of an HTML page (trafilatura), paragraphs separated by newlines. When trafilatura finds
    nothing (it gives up on pages nested deeper than about 250 elements), the page's visible text is taken
    with lxml instead, one block per line."""
    import trafilatura

    try:
        text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_recall=True)
    except Exception:  # noqa: BLE001 - a parser failure on one page leaves the plain fallback
        LOGGER.debug("trafilatura failed", exc_info=True)
        text = None
    return text or plain_html_text(html)


_BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "article", "section", "blockquote",
           "pre", "td", "dd", "dt", "header", "footer", "table", "ul", "ol"}
_SKIP = {"script", "style", "noscript", "template", "head", "nav", "svg", "math", "iframe", "object"}


def plain_html_text(html: str) -> str:
    """Visible text of an HTML page without any structure: block elements end lines, scripts are dropped.
    Walks the tree without recursion, so nesting depth does not matter."""
    from lxml import etree, html as lxml_html

    if not html.strip():
        return ""
    try:
        parser = lxml_html.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True, no_network=True)
        root = lxml_html.document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError, etree.XMLSyntaxError):
        return ""
    out: list[str] = []
    stack = [(root, False)]
    while stack:
        node, closing = stack.pop()
        tag = node.tag if isinstance(node.tag, str) else ""
        if closing:
            if tag in _BLOCKS:
                out.append("\n")
            if node.tail:
                out.append(node.tail)
            continue
        if tag in _SKIP:
            if node.tail:
                out.append(node.tail)
            continue
        if tag in _BLOCKS:
            out.append("\n")
        if node.text and tag:
            out.append(node.text)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))
    lines = (" ".join(line.split()) for line in "".join(out).splitlines())
    return "\n".join(line for line in lines if line)


def _cap(article_text: str, name: str, warnings: list[str]) -> str:
    if len(article_text) > MAX_ARTICLE_CHARS:
        warnings.append(f"{name}: text cut to {MAX_ARTICLE_CHARS} characters")
        return article_text[:MAX_ARTICLE_CHARS]
    return article_text


_SURROGATES = re.compile("[\ud800-\udfff]")


def scrub(value: str, warnings: list[str], where: str, field: str) -> str:
    """Lone surrogates (JSON allows "\\ud800"; no encoder does) become U+FFFD, and NUL characters (PostgreSQL
    refuses them in text; DuckDB would keep them) are removed, each with a warning, so that both stores hold
    the same text."""
    if _SURROGATES.search(value):
        warnings.append(f"{where}: '{field}' has invalid characters (lone surrogates), replaced with U+FFFD")
        value = _SURROGATES.sub("\ufffd", value)
    if "\x00" in value:
        warnings.append(f"{where}: '{field}' has NUL characters, removed")
        value = value.replace("\x00", "")
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
    art_id = scrub(str(art_id), warnings, where, "id")
    if not art_id.strip():
        raise InputError(f"{where}: record has no 'id'")
    if len(art_id) > MAX_ID_CHARS:
        raise InputError(f"{where}: 'id' is {len(art_id):,} characters; ids can have at most {MAX_ID_CHARS:,}")
    text = _cap(scrub(text, warnings, where, "text"), where, warnings)
    if not text.strip():
        raise InputError(f"{where}: record has no 'text' or 'html'")
    published = None
    try:
        published = publication_date(rec.get("published"), where=f"{where}: ")
    except ConfigError as exc:
        warnings.append(str(exc))
    article = make_article(
        art_id, text,
        title=_text_field(rec, "title", where, warnings), url=_text_field(rec, "url", where, warnings),
        published=published, outlet=_text_field(rec, "outlet", where, warnings),
    )
    article.warnings.extend(warnings)
    check_language(article, where)
    return article


def _jsonl_articles(text: str, name: str, on_error: Callable[[InputError], None],
                    first_line: int = 1) -> Iterator[Article]:
    # Lines end at "\n" only: str.splitlines() also breaks at U+2028, U+0085 and form feeds, which JSON allows
    # unescaped inside strings, and would cut a valid record in two.
    for lineno, line in enumerate(text.split("\n"), first_line):
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
    first = next((line for line in text.split("\n") if line.strip()), "")
    if not first.lstrip().startswith("{"):
        return False
    try:
        return isinstance(json.loads(first), dict)
    except json.JSONDecodeError:
        return False


def read_input(path: str) -> tuple[bytes, str]:
    """The bytes of one input and their decoded text, checked as `read_path` checks them (InputError when the
    input cannot be read as text)."""
    data = _read_bytes(path)
    return data, _decode(data, "<stdin>" if path == "-" else path)


def is_jsonl_input(path: str, text: str) -> bool:
    """Whether an input is read as JSONL article records: by its suffix, else by its first line."""
    suffix = Path(path).suffix.lower() if path != "-" else ""
    return suffix in {".jsonl", ".ndjson"} or (suffix not in {".txt", ".text"} | HTML_SUFFIXES
                                               and looks_like_jsonl(text))


def read_jsonl_part(path: str, start: int, end: int, first_line: int,
                    on_error: Callable[[InputError], None]) -> Iterator[Article]:
    """The articles of the lines in bytes [start, end) of a UTF-8 JSONL file (cut at line ends), numbered from
    `first_line` in error messages: a part of a large file that is read where it lies (sitrep spark)."""
    try:
        with open(path, "rb") as fh:
            fh.seek(start)
            data = fh.read(end - start)
    except OSError as exc:
        on_error(InputError(f"{path}: cannot read ({exc.strerror or exc})"))
        return
    try:
        text = data.decode("utf-8-sig" if start == 0 else "utf-8")
    except UnicodeDecodeError as exc:
        on_error(InputError(f"{path}: not valid UTF-8 (byte {start + exc.start}); convert it first, "
                            "e.g. iconv -f latin1 -t utf-8"))
        return
    yield from _jsonl_articles(text, path, on_error, first_line)


def read_path(path: str, published: Optional[dt.date], on_error: Callable[[InputError], None]) -> Iterator[Article]:
    """Articles from one input path ('-' = stdin, JSONL if it parses as records, a WARC archive by its suffix,
    else plain text)."""
    from .warc import is_warc, warc_articles

    if path != "-" and is_warc(path):
        yield from warc_articles(path, on_error)     # streamed: an archive may be far larger than memory
        return
    try:
        data = _read_bytes(path)
        name = "<stdin>" if path == "-" else path
        text = _decode(data, name)
    except InputError as exc:
        on_error(exc)
        return
    suffix = Path(path).suffix.lower() if path != "-" else ""
    if is_jsonl_input(path, text):
        yield from _jsonl_articles(text, name, on_error)
        return
    warnings: list[str] = []
    text = scrub(text, warnings, name, "text")
    if suffix in HTML_SUFFIXES or (suffix == "" and text.lstrip()[:15].lower().startswith(("<!doctype", "<html"))):
        text = html_to_text(text)
        if not text.strip():
            on_error(InputError(f"{name}: no article text found in the HTML"))
            return
    text = _cap(text, name, warnings)
    title, text = split_headline(text)
    art_id = file_article_id(path, text)
    if len(art_id) > MAX_ID_CHARS:
        on_error(InputError(f"{name[:200]}...: the path is {len(art_id):,} characters, longer than the "
                            f"{MAX_ID_CHARS:,} an article id can have; move or rename the file"))
        return
    article = make_article(art_id, text, title=title, published=published)
    article.warnings.extend(warnings)
    check_language(article, name)
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

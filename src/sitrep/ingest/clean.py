"""Cleaning of article text: page artifacts out, quotes and whitespace normalised, offsets mapped back.

Every rewrite keeps `offset_map` (cleaned offset -> raw offset) so a span over the cleaned text can be shown
in the original page. The artifact patterns are data (`data/cleaning.yaml`).
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache
from typing import Optional

from ..data import load_yaml
from ..model import Article


@lru_cache(maxsize=1)
def _rules() -> tuple[tuple[re.Pattern, str], ...]:
    spec = load_yaml("cleaning.yaml")
    rules = []
    for rule in spec["artifacts"]:
        flags = re.MULTILINE | (re.IGNORECASE if rule.get("ignore_case") else 0)
        rules.append((re.compile(rule["pattern"], flags), rule.get("replace", "")))
    return tuple(rules)


@lru_cache(maxsize=1)
def _char_map() -> dict[str, str]:
    return dict(load_yaml("cleaning.yaml")["characters"])


def _sub(text: str, offsets: list[int], pattern: re.Pattern, repl: str) -> tuple[str, list[int]]:
    """re.sub that carries the offset map along: replacement characters map to the match start."""
    out: list[str] = []
    out_map: list[int] = []
    pos = 0
    for m in pattern.finditer(text):
        out.append(text[pos:m.start()])
        out_map.extend(offsets[pos:m.start()])
        replacement = m.expand(repl) if repl else ""
        if len(replacement) == m.end() - m.start():
            out_map.extend(offsets[m.start():m.end()])
        else:
            out_map.extend([offsets[m.start()]] * len(replacement))
        out.append(replacement)
        pos = m.end()
    out.append(text[pos:])
    out_map.extend(offsets[pos:])
    return "".join(out), out_map


def clean_text(raw: str) -> tuple[str, list[int]]:
    """Return the cleaned text and its offset map (len(text) + 1 entries, the last one len(raw))."""
    chars = _char_map()
    text = unicodedata.normalize("NFC", raw)
    # NFC can change lengths; map through it only when it did not (the common case) and otherwise
    # fall back to the normalised string as the raw reference.
    if len(text) != len(raw):
        raw = text
    text = "".join(chars.get(c, c) for c in text)
    offsets = list(range(len(text)))
    for pattern, repl in _rules():
        text, offsets = _sub(text, offsets, pattern, repl)
    # Trim leading/trailing whitespace.
    lead = len(text) - len(text.lstrip())
    text = text.strip()
    offsets = offsets[lead:lead + len(text)]
    offsets.append(len(raw))
    return text, offsets


def make_article(
    article_id: str,
    raw_text: str,
    *,
    title: Optional[str] = None,
    url: Optional[str] = None,
    published: Optional[dt.date] = None,
    outlet: Optional[str] = None,
) -> Article:
    text, offsets = clean_text(raw_text)
    return Article(
        id=article_id, text=text, title=title, url=url, published=published, outlet=outlet,
        raw_text=raw_text, offset_map=offsets,
    )

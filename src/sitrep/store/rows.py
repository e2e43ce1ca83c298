"""Flattening: an Article and its Events become the rows of the articles, events and spans tables (the date and
JSON conversions here serve the incidents rows too)."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any, Optional

from ..model import Article, Event, as_date

ARTICLE_COLUMNS = (
    "article_id", "version", "content_hash", "is_latest", "title", "url", "published", "outlet", "text",
    "n_events", "warnings", "ingested_at",
)

EVENT_COLUMNS = (
    "event_id", "article_id", "article_version", "event_type", "mode", "status", "is_primary",
    "acled_event_type", "acled_sub_event_type", "cameo_code", "date_start", "date_end", "date_precision",
    "location_name", "geonames_id", "country", "admin1", "admin2", "lat", "lon", "geo_precision",
    "actor_name", "actor_country", "actor_sector", "recipient_name", "recipient_country", "recipient_sector",
    "fatalities_low", "fatalities_best", "fatalities_high", "injuries_low", "injuries_best", "injuries_high",
    "source_names", "sentence", "confidence", "record",
)

SPAN_COLUMNS = ("event_id", "field", "span_start", "span_end", "text")


def dumps(value) -> str:
    """JSON for a JSON column; sorted keys keep equal records byte-equal."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def content_hash(text: str) -> str:
    """What makes two texts of one article the same version."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def article_row(article: Article, version: int, n_events: int, now: dt.datetime) -> tuple:
    return (
        article.id, version, content_hash(article.text), True, article.title, article.url, article.published,
        article.outlet, article.text, n_events, dumps(list(article.warnings)), now,
    )


def casualty_counts(cas: Optional[dict]) -> tuple[Optional[int], Optional[int], Optional[int]]:
    """(low, best, high) of a casualties record: the total, or the sum of the groups when no total is given."""
    if not cas:
        return None, None, None
    total = cas.get("total")
    if total and any(total.get(k) is not None for k in ("low", "best", "high")):
        return total.get("low"), total.get("best"), total.get("high")
    groups = [cas.get(k) for k in ("civilians", "security_forces", "militants", "unknown")]
    groups = [g for g in groups if g and g.get("best") is not None]
    if not groups:
        return None, None, None
    best = sum(g["best"] for g in groups)
    low = sum(g.get("low") if g.get("low") is not None else g["best"] for g in groups)
    highs = [g.get("high") for g in groups]
    high = sum(highs) if all(h is not None for h in highs) else None
    return low, best, high


def event_row(record: dict, version: int) -> tuple:
    loc = record.get("location") or {}
    date = record.get("date") or {}
    actor = record.get("actor") or {}
    recipient = record.get("recipient") or {}
    f_low, f_best, f_high = casualty_counts(record.get("fatalities"))
    i_low, i_best, i_high = casualty_counts(record.get("injuries"))
    sources = "; ".join(s["name"] for s in record.get("sources") or [] if s.get("name")) or None
    evidence = record.get("evidence") or {}
    return (
        record["event_id"], record["article_id"], version, record["event_type"], record.get("mode"),
        record["status"], bool(record.get("is_primary")), record.get("acled_event_type"),
        record.get("acled_sub_event_type"), record.get("cameo_code"), as_date(date.get("start")),
        as_date(date.get("end")), date.get("precision") if date else None, loc.get("name") or loc.get("text"),
        loc.get("geonames_id"), loc.get("country"), loc.get("admin1"), loc.get("admin2"), loc.get("lat"),
        loc.get("lon"), loc.get("precision") if loc else None, actor.get("name") or actor.get("text"),
        actor.get("country"), actor.get("sector"), recipient.get("name") or recipient.get("text"),
        recipient.get("country"), recipient.get("sector"), f_low, f_best, f_high, i_low, i_best, i_high, sources,
        evidence.get("sentence") or "", float(record.get("confidence") or 0.0), dumps(record),
    )


def span_rows(record: dict, text: str) -> list[tuple]:
    """Every span of the record, one row per field ('actor', 'sources[0]', 'evidence.trigger' ...)."""
    found: list[tuple[str, Any]] = []
    for name in ("actor", "recipient", "date", "location", "fatalities", "injuries"):
        part = record.get(name)
        if part and part.get("span"):
            found.append((name, part["span"]))
    for i, source in enumerate(record.get("sources") or []):
        if source.get("span"):
            found.append((f"sources[{i}]", source["span"]))
    evidence = record.get("evidence") or {}
    if evidence.get("span"):
        found.append(("evidence", evidence["span"]))
    trigger = evidence.get("trigger") or {}
    if trigger.get("span"):
        found.append(("evidence.trigger", trigger["span"]))
    rows = []
    for name, (start, end) in found:
        rows.append((record["event_id"], name, int(start), int(end), text[start:end]))
    return rows


def event_rows(article: Article, events: list[Event], version: int) -> tuple[list[tuple], list[tuple]]:
    ev_rows, sp_rows = [], []
    for event in events:
        record = event.to_record()
        ev_rows.append(event_row(record, version))
        sp_rows.extend(span_rows(record, article.text))
    return ev_rows, sp_rows

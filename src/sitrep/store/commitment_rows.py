"""Flattening: an article's commitment statements become rows of commitment_statements."""
from __future__ import annotations

from ..model import Article, as_date
from .rows import dumps

STATEMENT_COLUMNS = (
    "statement_id", "article_id", "article_version", "statement", "holder_name", "holder_country", "holder_sector",
    "holder_code", "kind", "polarity", "threshold", "quantity", "start_date", "deadline", "duration_days",
    "said_on", "date_precision", "testable", "said_by", "source_mode", "area_country", "area_admin1", "sentence",
    "record",
)


def _value(words):
    return words.value if words is not None else None


def statement_rows(article: Article, version: int) -> list[tuple]:
    rows = []
    for c in getattr(article, "commitments", None) or ():
        rec = c.to_record()
        rec["outlet"] = article.outlet
        h = c.holder
        quantity = _value(c.quantity)
        rows.append((
            c.commitment_id, article.id, version, c.statement, h.name or h.text if h else None,
            h.country if h else None, h.sector if h else None, c.holder_code(), c.kind.value, c.polarity.value,
            c.threshold.value, int(quantity) if isinstance(quantity, (int, float)) else None,
            as_date(_value(c.start)), as_date(_value(c.deadline)),
            int(_value(c.duration_days)) if c.duration_days is not None else None, as_date(_value(c.said_on)),
            c.date_precision, bool(c.testable.value), c.source.said_by, c.source.mode, c.pattern.area_country,
            c.pattern.area_admin1, c.sentence, dumps(rec),
        ))
    return rows

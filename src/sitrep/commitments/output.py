"""Flat views of commitment statements and ledger entries, for tables and CSV."""
from __future__ import annotations

# (column, path into a statement record) for `sitrep extract --commitments --format table|csv`
STATEMENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("article_id", "article_id"),
    ("commitment_id", "commitment_id"),
    ("statement", "statement"),
    ("holder", "holder.name|holder.text"),
    ("holder_code", "holder_code"),
    ("addressee", "addressee.name|addressee.text"),
    ("kind", "kind.value"),
    ("polarity", "polarity.value"),
    ("threshold", "threshold.value"),
    ("quantity", "quantity.value"),
    ("start", "start.value"),
    ("deadline", "deadline.value"),
    ("duration_days", "duration_days.value"),
    ("testable", "testable.value"),
    ("untestable_reason", "untestable_reason"),
    ("said_by", "source.said_by"),
    ("mode", "source.mode"),
    ("area", "pattern.area_admin1|pattern.area_country"),
    ("trigger", "trigger.text"),
    ("sentence", "sentence"),
)
STATEMENT_TABLE = ("statement", "holder", "kind", "polarity", "threshold", "start", "deadline", "testable",
                   "said_by", "mode", "trigger")

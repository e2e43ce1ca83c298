"""Writing records for people (a table) and for programs (JSONL, JSON, CSV)."""
from __future__ import annotations

import csv
import io
import json
import re
from typing import Iterable, Sequence

FORMATS = ("table", "jsonl", "json", "csv")

# Flat columns of an event for CSV and table output: (column, path into the record).
EVENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("article_id", "article_id"),
    ("event_id", "event_id"),
    ("primary", "is_primary"),
    ("event_type", "event_type"),
    ("mode", "mode"),
    ("acled_sub_event_type", "acled_sub_event_type"),
    ("cameo", "cameo_code"),
    ("status", "status"),
    ("actor", "actor.name|actor.text"),
    ("actor_country", "actor.country"),
    ("actor_sector", "actor.sector"),
    ("recipient", "recipient.name|recipient.text"),
    ("recipient_country", "recipient.country"),
    ("recipient_sector", "recipient.sector"),
    ("date_start", "date.start"),
    ("date_end", "date.end"),
    ("date_precision", "date.precision"),
    ("location", "location.name|location.text"),
    ("admin1", "location.admin1"),
    ("country", "location.country"),
    ("lat", "location.lat"),
    ("lon", "location.lon"),
    ("geo_precision", "location.precision"),
    ("killed", "fatalities.total.best"),
    ("wounded", "injuries.total.best"),
    ("sources", "sources[].name"),
    ("confidence", "confidence"),
    ("trigger", "evidence.trigger.text"),
    ("sentence", "evidence.sentence"),
)

# `extract --explain-places`: the columns above and why each place was chosen (the JSON records always carry it
# as location.explanation).
EXPLAIN_PLACE_COLUMNS: tuple[tuple[str, str], ...] = EVENT_COLUMNS + (
    ("admin2", "location.admin2"),
    ("geonames_id", "location.geonames_id"),
    ("place_explanation", "location.explanation"),
)

TABLE_COLUMNS = ("primary", "event_type", "acled_sub_event_type", "status", "actor", "recipient",
                 "date_start", "location", "killed", "wounded", "sources", "trigger")


def lookup(record: dict, path: str):
    """Value at a dotted path; 'a|b' takes the first non-null; 'x[].name' joins a list's names."""
    for alt in path.split("|"):
        if "[]." in alt:
            head, tail = alt.split("[].", 1)
            items = lookup(record, head) or []
            value = "; ".join(str(i.get(tail)) for i in items if isinstance(i, dict) and i.get(tail))
            value = value or None
        else:
            value = record
            for part in alt.split("."):
                value = value.get(part) if isinstance(value, dict) else None
        if value is not None:
            return value
    return None


def flatten(record: dict, columns=EVENT_COLUMNS) -> dict:
    return {name: lookup(record, path) for name, path in columns}


# C0 and C1 control characters (ESC starts terminal escape sequences), DEL, and the bidirectional overrides
# that reorder what a terminal shows.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str, keep_newlines: bool = False) -> str:
    """Text safe to print on a terminal: control characters removed (tabs and, if asked, newlines kept as
    such). Article text is untrusted: an escape sequence in it could retitle or recolour the terminal."""
    if keep_newlines:
        return "\n".join(printable(line) for line in text.split("\n"))
    return _CONTROL.sub(lambda m: " " if m.group() in "\t\r\n" else "", text)


def one_line(text: str) -> str:
    """A message as exactly one line: control characters shown as escapes (\\n, \\x1b)."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


# Spreadsheets run a cell that opens with one of these as a formula (=HYPERLINK(...), +cmd|...); tab and CR
# hide such an opening. A plain number (a negative longitude) is no formula and stays as it is.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")


def csv_cell(value):
    """A value for a CSV cell, safe to open in a spreadsheet: text that would start a formula gets a leading
    apostrophe (OWASP's advice for CSV injection). Every CSV sitrep writes goes through this function."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def write_jsonl(records: Iterable[dict], fh) -> None:
    for rec in records:
        fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


def write_csv(rows: Sequence[dict], fh, fieldnames: Sequence[str] | None = None) -> None:
    fieldnames = list(fieldnames or (rows[0].keys() if rows else []))
    writer = csv.DictWriter(fh, fieldnames=fieldnames, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: csv_cell(v) for k, v in row.items()})


def format_table(rows: Sequence[dict], columns: Sequence[str], max_width: int = 28) -> str:
    """A plain-text table with a header rule; long cells are cut with an ellipsis."""
    def cell(v) -> str:
        if v is None:
            return ""
        if isinstance(v, bool):
            return "*" if v else ""
        s = printable(str(v))
        return s if len(s) <= max_width else s[: max_width - 1] + "…"

    cells = [[cell(r.get(c)) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    out = io.StringIO()
    out.write("  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for row in cells:
        out.write("  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip() + "\n")
    return out.getvalue()


def format_place_explanations(rows: Sequence[dict]) -> str:
    """One line per table row: the place chosen and the evidence that chose it (`extract --explain-places`)."""
    out = io.StringIO()
    out.write("\nwhy these places:\n")
    for i, r in enumerate(rows, start=1):
        where = ", ".join(str(r[k]) for k in ("location", "admin2", "admin1", "country") if r.get(k)) or "no place"
        why = r.get("place_explanation") or ("no place named" if not r.get("location") else "no explanation")
        precision = r.get("geo_precision") or "unknown"
        out.write(printable(f"{i:>3}. {where} [{precision}]: {why}") + "\n")
    return out.getvalue()

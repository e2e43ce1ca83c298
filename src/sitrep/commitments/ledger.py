"""The ledger: commitment statements merged across articles into commitments, each held against the stored events
(check.py), with a status history that grows with every ingest.

Merging (rules in data/commitment_rules.yaml): a statement that makes a commitment (pledge, declaration,
extension, condition) joins the commitment of the same holder, kind and polarity whose start is at most
`merge_days` from its own; an extension joins the holder's earlier commitment of its kind and moves its end.
A reference back (invocation, violation claim, denial, point left open) joins the commitment of the same holder
and kind in force at its date; with none, it stands as a commitment of its own. A point left open ("did not
specify violence levels") makes the commitment it joins untestable on that point. Competing claims (a party's
denial, a ministry's count) stay side by side as the commitment's statements.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from typing import Optional

from ..model import as_date
from ..store.commitment_queries import (candidate_events, events_in_sentences, horizon, latest_statements,
                                        latest_status_rows, replace_ledger)
from ..store.rows import dumps
from .check import CheckRules, check_commitment, load_rules, window_of
from .model import MAKING

LOGGER = logging.getLogger(__name__)


@dataclass
class LedgerSummary:
    commitments: int = 0
    statements: int = 0
    links: int = 0
    status_changes: int = 0


def holder_key(row: dict) -> Optional[str]:
    """Who is bound, as merging compares it: the name, else country + sector, else None (no named holder)."""
    name = (row.get("holder_name") or "").strip().lower()
    if name.startswith("the "):
        name = name[4:]
    if row.get("holder_country") or row.get("holder_sector"):
        named = row.get("holder_name") and row.get("holder_code")
        return name if named else f"{row.get('holder_country')}|{row.get('holder_sector')}"
    return name or None


def _day(row: dict) -> Optional[dt.date]:
    return as_date(row.get("start_date")) or as_date(row.get("said_on")) or as_date(row.get("published"))


def _end(row: dict) -> Optional[dt.date]:
    if row.get("deadline"):
        return as_date(row["deadline"])
    start = _day(row)
    if start and row.get("duration_days"):
        return start + dt.timedelta(days=int(row["duration_days"]) - 1)
    return None


def merge(statements: list[dict], rules: CheckRules) -> list[dict]:
    """Ledger entries (dicts) from statement rows, in date order."""
    entries: list[dict] = []

    def compatible(entry: dict, row: dict) -> bool:
        if entry["kind"] != row["kind"]:
            return False
        key = holder_key(row)
        if key is None and row["statement"] not in MAKING:
            # "the agreement did not specify ...": a reference naming no party belongs to an agreement between
            # parties (a holder without one code), never to one party's own pledge
            return not entry["holder"].get("code") and entry["area_country"] == row.get("area_country")
        if key is None or entry["key"] is None:
            return key == entry["key"] and entry["area_country"] == row.get("area_country")
        return entry["key"] == key

    # a day's statements that make commitments come before the references to them made that day
    ordered = sorted(statements, key=lambda r: (_day(r) or dt.date.min, r["statement"] not in MAKING,
                                                r["statement"] == "extension", r["statement_id"]))
    for row in ordered:
        day = _day(row)
        target = None
        if row["statement"] in MAKING and row["statement"] != "extension":
            target = next((e for e in entries if compatible(e, row) and e["polarity"] == row["polarity"]
                           and day and e["start_date"] and abs((day - e["start_date"]).days) <= rules.merge_days),
                          None)
        else:
            # an extension or a reference joins the latest compatible commitment that started by its date
            fitting = [e for e in entries if compatible(e, row) and (not day or not e["start_date"]
                                                                    or e["start_date"] <= day)]
            target = fitting[-1] if fitting else None
        if target is None:
            target = _new_entry(row, day)
            entries.append(target)
        _join(target, row, day)
    for e in entries:
        e["commitment_id"] = "C" + hashlib.sha1(e["statements"][0]["statement_id"].encode()).hexdigest()[:11]
    return entries


def _new_entry(row: dict, day: Optional[dt.date]) -> dict:
    return {"key": holder_key(row), "kind": row["kind"], "polarity": row["polarity"],
            "threshold": row.get("threshold"), "quantity": row.get("quantity"), "start_date": day,
            "end_date": _end(row), "date_precision": row.get("date_precision"),
            "holder": {"name": row.get("holder_name"), "country": row.get("holder_country"),
                       "sector": row.get("holder_sector"), "code": row.get("holder_code")},
            # every party bound ("Israel and Hamas agreed to a truce"): an event by any of them counts
            "holders": _parties(row),
            "area_country": row.get("area_country"), "area_admin1": row.get("area_admin1"),
            "statements": [], "testable": False, "untestable_reason": None, "makes": False}


def _join(entry: dict, row: dict, day: Optional[dt.date]) -> None:
    entry["statements"].append(row)
    st = row["statement"]
    if st == "extension":
        # "extended by another seven days": from the end it had; "extended until 30 June": to that date
        if row.get("deadline"):
            new_end = as_date(row["deadline"])
        elif row.get("duration_days") and entry["end_date"]:
            new_end = entry["end_date"] + dt.timedelta(days=int(row["duration_days"]))
        else:
            new_end = _end(row)
        if new_end and (entry["end_date"] is None or new_end > entry["end_date"]):
            entry["end_date"] = new_end
    if st in MAKING and not entry["makes"]:
        # the first statement that makes the commitment sets its terms
        entry.update(makes=True, threshold=row.get("threshold"), quantity=row.get("quantity"),
                     polarity=row["polarity"], date_precision=row.get("date_precision"))
        if day:
            entry["start_date"] = day
        if _end(row):
            entry["end_date"] = _end(row)
    if not entry["holder"]["name"] and row.get("holder_name"):
        entry["holder"] = {"name": row.get("holder_name"), "country": row.get("holder_country"),
                           "sector": row.get("holder_sector"), "code": row.get("holder_code")}
        entry["holders"] = _parties(row)
    testable_rows = [s for s in entry["statements"] if s["testable"]]
    open_points = [s for s in entry["statements"] if s["statement"] == "unspecified"]
    entry["testable"] = bool(testable_rows) and not open_points
    if open_points:
        rec = open_points[0]["record"]
        entry["untestable_reason"] = f"{rec.get('untestable_reason')}: \"{(rec.get('testable') or {}).get('text')}\""
    elif not testable_rows:
        entry["untestable_reason"] = entry["statements"][0]["record"].get("untestable_reason")


def _parties(row: dict) -> list[dict]:
    return [{"name": h.get("name") or h.get("text"), "country": h.get("country"), "sector": h.get("sector")}
            for h in (row["record"].get("holders") or [])]


def update_ledger(store, rules: CheckRules | None = None, now: dt.datetime | None = None) -> LedgerSummary:
    """Recompute the merged commitments and their links from the stored statements and events, and append a
    status row for every commitment whose verdict or counts changed since its last one."""
    rules = rules or load_rules()
    now = now or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    statements = latest_statements(store)
    entries = merge(statements, rules)
    last = latest_status_rows(store)
    edge = horizon(store)
    rows, members, links, statuses = [], [], [], []
    for e in entries:
        spec = rules.patterns.get(e["kind"]) or {}
        events: list[dict] = []
        window = window_of(e["start_date"], e["end_date"], e["date_precision"], rules)
        if e["testable"] and window is not None and spec:
            events = candidate_events(store, spec.get("event_types", ()), e["area_country"], window.baseline_start,
                                      window.end)
        result = check_commitment(e, events, rules, edge)
        for event_id, relation, rule, period, evidence in result.links:
            links.append((e["commitment_id"], event_id, relation, rule, period, dumps(evidence)))
        links.extend(_statement_links(store, e))
        for s in e["statements"]:
            members.append((s["statement_id"], e["commitment_id"], s["article_id"]))
        record = _record(e, result)
        rows.append((e["commitment_id"], e["holder"]["name"], e["holder"]["country"], e["holder"]["sector"],
                     e["holder"]["code"], e["kind"], e["polarity"], e["threshold"], e["quantity"], e["start_date"],
                     result.window.end if result.window else e["end_date"], e["date_precision"], e["testable"],
                     e["area_country"], e["area_admin1"], len(e["statements"]),
                     len({s["article_id"] for s in e["statements"]}), result.status, result.rule,
                     result.in_window.events, result.baseline.events, dumps(record)))
        prev = last.get(e["commitment_id"])
        state = (result.status, result.rule, result.in_window.events, result.baseline.events,
                 result.in_window.fatalities_best)
        if prev is None or (prev["status"], prev["rule"], prev["in_count"], prev["baseline_count"],
                            prev["fatalities_best"]) != state:
            statuses.append((e["commitment_id"], (prev["seq"] + 1) if prev else 1, result.status, result.rule,
                             result.in_window.events, result.baseline.events, result.in_window.fatalities_best,
                             now, dumps(result.as_dict())))
    unique_links = list({(l[0], l[1], l[2]): l for l in links}.values())
    replace_ledger(store, rows, members, unique_links, statuses)
    return LedgerSummary(commitments=len(rows), statements=len(statements), links=len(unique_links),
                         status_changes=len(statuses))


def _statement_links(store, entry: dict) -> list[tuple]:
    """Events read from a statement's own sentence ('promised', 'called on ... to uphold'): linked as invocations,
    and as disputes when the statement is a denial."""
    out = []
    by_article: dict[str, list[dict]] = {}
    for s in entry["statements"]:
        by_article.setdefault(s["article_id"], []).append(s)
    for article_id, rows in by_article.items():
        starts = {r["record"]["sentence_span"][0]: r for r in rows}
        for ev in events_in_sentences(store, article_id, list(starts)):
            s = starts[ev["span_start"]]
            relation = "dispute" if s["statement"] == "denial" else "invocation"
            evidence = {"statement_id": s["statement_id"], "statement": s["statement"],
                        "span": s["record"]["sentence_span"], "trigger": s["record"]["trigger"]}
            out.append((entry["commitment_id"], ev["event_id"], relation, f"same-sentence-{s['statement']}",
                        "statement", dumps(evidence)))
    return out


def _record(entry: dict, result) -> dict:
    """What a commitment shows: its terms, its statements side by side (the claims), and the check."""
    claims = []
    for s in entry["statements"]:
        rec = s["record"]
        claims.append({"statement_id": s["statement_id"], "statement": s["statement"], "article_id": s["article_id"],
                       "outlet": s.get("outlet"), "published": s["published"].isoformat() if s.get("published")
                       else None, "said_by": rec["source"]["said_by"], "mode": rec["source"]["mode"],
                       "sentence": rec["sentence"], "span": rec["sentence_span"], "trigger": rec["trigger"],
                       "holder": (rec.get("holder") or {}).get("name") or (rec.get("holder") or {}).get("text")})
    first = next((s for s in entry["statements"] if s["statement"] in MAKING), entry["statements"][0])["record"]
    return {
        "holder": entry["holder"], "holders": entry["holders"], "kind": entry["kind"], "polarity": entry["polarity"],
        "threshold": entry["threshold"], "quantity": entry["quantity"],
        "start": entry["start_date"].isoformat() if entry["start_date"] else None,
        "end": entry["end_date"].isoformat() if entry["end_date"] else None,
        "testable": entry["testable"], "untestable_reason": None if entry["testable"] else entry["untestable_reason"],
        "statement": first, "claims": claims, "check": result.as_dict(),
    }

"""Holding one commitment against events: its window and the baseline window of the same length before it, the
events that match its pattern in each (counts, fatalities low/best/high), and a verdict from the rules of
data/commitment_rules.yaml. Plain functions over plain rows, so the same check runs on any store."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from ..data import load_yaml
from ..errors import LexiconError

RULES = "commitment_rules.yaml"
CONDITIONS = {"relation", "threshold", "polarity", "in_min", "in_max", "in_gt_baseline", "in_ge_baseline",
              "in_lt_baseline", "quantity_met", "window_closed"}


@dataclass(frozen=True)
class CheckRules:
    patterns: dict
    verdicts: tuple
    open_window_days: int
    undated_lookback_days: int
    merge_days: int
    unattributed: bool
    released_count: Optional[re.Pattern]


@lru_cache(maxsize=1)
def load_rules() -> CheckRules:
    raw = load_yaml(RULES) or {}
    try:
        verdicts = tuple(raw["verdicts"])
        for v in verdicts:
            unknown = set(v["when"]) - CONDITIONS
            if unknown or not v.get("name") or not v.get("status"):
                raise LexiconError(f"{RULES}: verdict {v.get('name')!r}: unknown condition(s) {sorted(unknown)} "
                                   f"or missing name/status; conditions: {', '.join(sorted(CONDITIONS))}")
        pattern = raw.get("released_count_pattern")
        return CheckRules(
            patterns=dict(raw["patterns"]), verdicts=verdicts, open_window_days=int(raw["open_window_days"]),
            undated_lookback_days=int(raw["undated_lookback_days"]), merge_days=int(raw["merge_days"]),
            unattributed=bool(raw.get("unattributed_in_holder_article")),
            released_count=re.compile(pattern, re.IGNORECASE) if pattern else None)
    except (KeyError, TypeError, ValueError, re.error) as exc:
        raise LexiconError(f"{RULES}: missing or malformed setting ({type(exc).__name__}: {exc})") from None


@dataclass
class Window:
    start: dt.date
    end: dt.date
    baseline_start: dt.date
    baseline_end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def as_dict(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "days": self.days,
                "baseline_start": self.baseline_start.isoformat(), "baseline_end": self.baseline_end.isoformat()}


def window_of(start: Optional[dt.date], end: Optional[dt.date], precision: Optional[str],
              rules: CheckRules) -> Optional[Window]:
    """[start, end] and the baseline of the same length just before it; None without a start."""
    if start is None:
        return None
    if precision == "report":
        start = start - dt.timedelta(days=rules.undated_lookback_days)
    if end is None or end < start:
        end = start + dt.timedelta(days=rules.open_window_days - 1)
    length = (end - start).days + 1
    return Window(start, end, start - dt.timedelta(days=length), start - dt.timedelta(days=1))


def event_day(ev: dict) -> Optional[dt.date]:
    """The day an event is held at: its start, else its end, else its article's publication."""
    for key in ("date_start", "date_end", "published"):
        value = ev.get(key)
        if value:
            return value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else \
                dt.date.fromisoformat(str(value)[:10])
    return None


def _norm(name: Optional[str]) -> str:
    n = (name or "").lower().strip()
    return n[4:] if n.startswith("the ") else n


def actor_matches(ev: dict, holder: dict) -> bool:
    """The event's actor is the holder: the same name, or (a generic holder) the same country and sector."""
    if not holder.get("name") and not holder.get("country"):
        return True         # a commitment with no named holder (a truce that "took effect") binds every party
    if holder.get("name") and _norm(ev.get("actor_name")) == _norm(holder["name"]):
        return True
    return bool(holder.get("country") and holder.get("sector") and ev.get("actor_country") == holder["country"]
                and ev.get("actor_sector") == holder["sector"])


def pattern_matches(ev: dict, spec: dict, area: dict) -> bool:
    """Type, mode and area of the event fit the pattern (the actor is checked apart)."""
    if ev.get("event_type") not in spec.get("event_types", ()):
        return False
    if spec.get("modes") and ev.get("mode") not in spec["modes"] and ev.get("event_type") != "AID":
        return False
    if area.get("country") and ev.get("country") and ev["country"] != area["country"]:
        return False
    if area.get("country") and not ev.get("country"):
        return False
    if area.get("admin1") and ev.get("admin1") and ev["admin1"].lower() != area["admin1"].lower():
        return False
    return True


@dataclass
class Counts:
    events: int = 0
    fatalities_low: Optional[int] = None
    fatalities_best: Optional[int] = None
    fatalities_high: Optional[int] = None

    def add(self, ev: dict) -> None:
        self.events += 1
        for part in ("low", "best", "high"):
            # an event with no low or high bound of its own is bounded by its best estimate
            value = ev.get(f"fatalities_{part}")
            if value is None and part != "best":
                value = ev.get("fatalities_best")
            if value is not None:
                key = f"fatalities_{part}"
                setattr(self, key, (getattr(self, key) or 0) + int(value))

    def as_dict(self) -> dict:
        return {"events": self.events, "fatalities": {"low": self.fatalities_low, "best": self.fatalities_best,
                                                      "high": self.fatalities_high}}


@dataclass
class Check:
    """The result of holding one commitment against the events."""
    status: str
    rule: Optional[str]
    window: Optional[Window] = None
    in_window: Counts = field(default_factory=Counts)
    baseline: Counts = field(default_factory=Counts)
    links: list = field(default_factory=list)      # (event_id, relation, rule, period, evidence)
    quantity_done: Optional[int] = None
    reason: Optional[str] = None

    def as_dict(self) -> dict:
        return {"status": self.status, "rule": self.rule, "reason": self.reason,
                "window": self.window.as_dict() if self.window else None,
                "in_window": self.in_window.as_dict(), "baseline": self.baseline.as_dict(),
                "quantity_done": self.quantity_done}


def released_count(ev: dict, rules: CheckRules) -> Optional[int]:
    """'freed 150 prisoners': the number an event of release names, read from its sentence."""
    if rules.released_count is None:
        return None
    m = rules.released_count.search(ev.get("sentence") or "")
    if not m:
        return None
    try:
        return int(m.group(1).replace(",", ""))
    except ValueError:
        return None


def verdict(relation: str, threshold: str, polarity: str, in_count: int, baseline_count: int,
            quantity_met: Optional[bool], window_closed: bool, rules: CheckRules) -> tuple[str, Optional[str]]:
    """(status, rule name): the first verdict rule whose conditions all hold."""
    facts = {"relation": relation, "threshold": threshold, "polarity": polarity}
    for rule in rules.verdicts:
        ok = True
        for key, want in rule["when"].items():
            if key in facts:
                ok = facts[key] == want
            elif key == "in_min":
                ok = in_count >= int(want)
            elif key == "in_max":
                ok = in_count <= int(want)
            elif key == "in_gt_baseline":
                ok = (in_count > baseline_count) == bool(want)
            elif key == "in_ge_baseline":
                ok = (in_count >= baseline_count) == bool(want)
            elif key == "in_lt_baseline":
                ok = (in_count < baseline_count) == bool(want)
            elif key == "quantity_met":
                ok = bool(quantity_met) == bool(want)
            elif key == "window_closed":
                ok = window_closed == bool(want)
            if not ok:
                break
        if ok:
            return rule["status"], rule["name"]
    return "not_rated", None


def check_commitment(entry: dict, events: list[dict], rules: CheckRules, horizon: Optional[dt.date]) -> Check:
    """Hold one ledger entry (ledger.py) against candidate events (rows with event_id, type, mode, actor, place,
    dates, fatalities, sentence, article_id, incident_id). `horizon` is the latest event day the store knows:
    a window that ends before it is closed."""
    if not entry["testable"]:
        return Check("untestable", "untestable", reason=entry.get("untestable_reason"))
    spec = rules.patterns.get(entry["kind"])
    window = window_of(entry["start_date"], entry["end_date"], entry["date_precision"], rules)
    if spec is None or window is None:
        return Check("not_rated", None, window, reason="no event pattern" if spec is None else "no start date")
    holder = entry["holder"]
    parties = entry.get("holders") or [holder]
    area = {"country": entry.get("area_country"), "admin1": entry.get("area_admin1")}
    matching = [ev for ev in events if pattern_matches(ev, spec, area)]
    by_holder = [ev for ev in matching if any(actor_matches(ev, p) for p in parties)]
    attributed_articles = {ev["article_id"] for ev in by_holder if ev.get("actor_name")}
    linked: list[tuple[dict, str]] = [(ev, "actor-is-holder" if holder.get("name") or holder.get("country")
                                       else "any-actor-in-area") for ev in by_holder]
    if rules.unattributed and (holder.get("name") or holder.get("country")):
        linked += [(ev, "unattributed-in-holder-article") for ev in matching
                   if not ev.get("actor_name") and ev["article_id"] in attributed_articles]
    result = Check("not_rated", None, window)
    seen_incidents: dict[str, set] = {"in": set(), "baseline": set()}
    done = 0
    for ev, rule in sorted(linked, key=lambda pair: (event_day(pair[0]) or dt.date.min, pair[0]["event_id"])):
        day = event_day(ev)
        if day is None:
            continue
        period = "in" if window.start <= day <= window.end else (
            "baseline" if window.baseline_start <= day <= window.baseline_end else None)
        if period is None:
            continue
        evidence = {"sentence": ev.get("sentence"), "span": ev.get("span"), "day": day.isoformat(),
                    "rule": rule, "sources": ev.get("source_names")}
        result.links.append((ev["event_id"], spec["relation"] if period == "in" else "baseline", rule, period,
                             evidence))
        # reports of one happening (an incident) count once
        key = ev.get("incident_id") or ev["event_id"]
        if key in seen_incidents[period]:
            continue
        seen_incidents[period].add(key)
        (result.in_window if period == "in" else result.baseline).add(ev)
        if period == "in" and spec["relation"] == "fulfilment":
            done += released_count(ev, rules) or 0
    quantity = entry.get("quantity")
    quantity_met = None
    if entry.get("threshold") == "absolute" and quantity:
        result.quantity_done = done
        quantity_met = done >= int(quantity)
    closed = horizon is not None and window.end < horizon
    result.status, result.rule = verdict(spec["relation"], entry.get("threshold") or "any",
                                         entry.get("polarity") or "act", result.in_window.events,
                                         result.baseline.events, quantity_met, closed, rules)
    return result

"""Grouping events into incidents (complete linkage over compatible pairs) and the rows that store them."""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Optional, Sequence

from ..model import as_date
from ..store.rows import dumps
from .comparing import Comparison, compare, date_range
from .merge_rules import MergeRules, default_rules
from .pairs import PairClasses, type_blocks

PRECISION_RANK = {"point": 0, "area": 1, "admin2": 2, "admin1": 3, "region": 4, "country": 5, "water": 6,
                  "unknown": 7, None: 8}

RECONCILE_RULE = (
    "low = min of claims' low/best; high = max of claims' high/best; best = median of claims' best "
    "(lower middle when even)"
)


@dataclass
class Incident:
    incident_id: str
    members: list[dict]
    links: list[Comparison] = field(default_factory=list)


def _pairing_range(ev: dict, rules: MergeRules) -> Optional[tuple[dt.date, dt.date]]:
    """The date range an event is paired by, or None when it can never merge (no country, no date, or a range
    too long to merge on): such an event is always an incident of its own."""
    rng = date_range(ev, rules)
    if ev.get("country") and rng and (rng[1] - rng[0]).days <= rules.max_date_range_days:
        return rng
    return None


def _incident_id(members: list[dict]) -> str:
    """Named after its earliest-published report, so later reports joining it keep the id."""
    anchor = min(members, key=lambda m: (str(as_date(m.get("published")) or "9999-12-31"), m["event_id"]))
    return "I" + hashlib.sha1(anchor["event_id"].encode()).hexdigest()[:11]


def cluster(events: Sequence[dict], rules: MergeRules | None = None) -> list[Incident]:
    """Group events into incidents (every event ends up in exactly one, singletons included).

    Compatible pairs come from pairs.PairClasses: one comparison per pair of distinct merge keys, so
    an archive's copies of one text cost what one copy costs; the grouping is the same as comparing all pairs."""
    rules = rules or default_rules()
    events = sorted(events, key=lambda e: e["event_id"])
    classes = PairClasses(events, partial(compare, rules=rules), partial(_pairing_range, rules=rules),
                          partial(date_range, rules=rules), _type_blocks(rules), rules.date_slack_days)
    group_of = list(range(len(events)))
    groups: dict[int, list[int]] = {i: [i] for i in range(len(events))}
    kinds: dict[int, set[int]] = {i: {classes.class_of[i]} for i in range(len(events))}   # classes in a group
    links: dict[int, list[Comparison]] = {i: [] for i in range(len(events))}
    for _score, _km, i, j in classes.compatible_pairs():
        gi, gj = group_of[i], group_of[j]
        if gi == gj:
            continue
        arts_i = {events[k]["article_id"] for k in groups[gi]}
        if any(events[k]["article_id"] in arts_i for k in groups[gj]):
            continue
        # complete linkage: every cross pair compatible; with no article shared, the class verdicts decide
        if not all(classes.verdict(x, y) is not None for x in kinds[gi] for y in kinds[gj]):
            continue
        keep, drop = min(gi, gj), max(gi, gj)
        for k in groups[drop]:
            group_of[k] = keep
        groups[keep].extend(groups.pop(drop))
        kinds[keep] |= kinds.pop(drop)
        links[keep].extend(links.pop(drop))
        links[keep].append(compare(events[i], events[j], rules))
    incidents = []
    for g, idx in groups.items():
        members = [events[k] for k in sorted(idx, key=lambda k: events[k]["event_id"])]
        incidents.append(Incident(_incident_id(members), members, links[g]))
    incidents.sort(key=lambda inc: inc.incident_id)
    return incidents


@lru_cache(maxsize=8)
def _type_blocks(rules: MergeRules) -> dict[str, str]:
    return type_blocks(rules.compatible_types)


def reconcile(claims: Sequence[tuple[Optional[int], Optional[int], Optional[int]]]) -> dict:
    """low/best/high across claims of (low, best, high); see the module docstring for the rule."""
    bests = sorted(b if b is not None else lo for lo, b, _hi in claims if b is not None or lo is not None)
    if not bests:
        return {"low": None, "best": None, "high": None, "n_claims": 0}
    lows = [lo if lo is not None else b for lo, b, _hi in claims if lo is not None or b is not None]
    highs = [h for _lo, _b, h in claims if h is not None]
    best = bests[(len(bests) - 1) // 2]
    return {"low": min(lows), "best": best, "high": max(bests + highs), "n_claims": len(bests)}


def _combined_dates(members: list[dict], rules: MergeRules) -> tuple[Optional[dt.date], Optional[dt.date], str]:
    dated = [(as_date(m.get("date_start")), as_date(m.get("date_end"))) for m in members]
    dated = [(s or e, e or s) for s, e in dated if s or e]
    if not dated:
        return None, None, "unknown"
    start, end = max(s for s, _ in dated), min(e for _, e in dated)
    if start > end:  # widened ranges can overlap pairwise only through the slack: take their union
        start, end = min(s for s, _ in dated), max(e for _, e in dated)
    days = (end - start).days
    precision = "day" if days == 0 else "days" if days <= 6 else "week" if days <= 7 else (
        "month" if days <= 31 else "year")
    return start, end, precision


def _representative(members: list[dict]) -> dict:
    """The member that places the incident best: finest place precision, then primary, then earliest id."""
    return min(members, key=lambda m: (PRECISION_RANK.get(m.get("geo_precision"), 8), not m.get("is_primary"),
                                       m["event_id"]))


def incident_rows(incidents: Sequence[Incident], rules: MergeRules | None = None
                  ) -> tuple[list[dict], list[tuple[str, str, str]]]:
    """Rows for the incidents and incident_events tables."""
    rules = rules or default_rules()
    rows, members_out = [], []
    for inc in incidents:
        ms = inc.members
        rep = _representative(ms)
        # Name, sector and country of a side come together from the first report (representative first) naming it.
        ordered = [rep] + [m for m in ms if m is not rep]
        actor = next((m for m in ordered if m.get("actor_name") or m.get("actor_sector")), rep)
        recipient = next((m for m in ordered if m.get("recipient_name") or m.get("recipient_sector")), rep)
        start, end, precision = _combined_dates(ms, rules)
        outlets = sorted({m.get("outlet") or f"(no outlet: {m['article_id']})" for m in ms})
        named_outlets = sorted({m["outlet"] for m in ms if m.get("outlet")})
        fat = reconcile([(m.get("fatalities_low"), m.get("fatalities_best"), m.get("fatalities_high")) for m in ms])
        inj = reconcile([(m.get("injuries_low"), m.get("injuries_best"), m.get("injuries_high")) for m in ms])
        claims = [
            {
                "event_id": m["event_id"], "article_id": m["article_id"], "outlet": m.get("outlet"),
                "published": str(as_date(m.get("published"))) if m.get("published") else None,
                "title": m.get("title"), "url": m.get("url"), "sources": m.get("source_names"),
                "fatalities": {"low": m.get("fatalities_low"), "best": m.get("fatalities_best"),
                               "high": m.get("fatalities_high")},
                "injuries": {"low": m.get("injuries_low"), "best": m.get("injuries_best"),
                             "high": m.get("injuries_high")},
                "sentence": m.get("sentence"),
            }
            for m in ms
        ]
        record = {
            "incident_id": inc.incident_id,
            "event_ids": [m["event_id"] for m in ms],
            "representative_event": rep["event_id"],
            "claims": claims,
            "fatalities": fat,
            "injuries": inj,
            "reconcile_rule": RECONCILE_RULE,
            "links": [
                {"event_a": c.a, "event_b": c.b, "score": c.score, "distance_km": c.distance_km,
                 "criteria": [k.as_dict() for k in c.criteria]}
                for c in inc.links
            ],
            "acled_event_type": rep.get("acled_event_type"),
            "acled_sub_event_type": rep.get("acled_sub_event_type"),
            "actor_sector": actor.get("actor_sector"),
            "actor_country": actor.get("actor_country"),
            "recipient_sector": recipient.get("recipient_sector"),
            "recipient_country": recipient.get("recipient_country"),
        }
        rows.append({
            "incident_id": inc.incident_id,
            "event_type": rep["event_type"],
            "mode": rep.get("mode"),
            "date_start": start,
            "date_end": end,
            "date_precision": precision,
            "location_name": rep.get("location_name"),
            "country": rep.get("country"),
            "admin1": rep.get("admin1"),
            "admin2": rep.get("admin2"),
            "lat": rep.get("lat"),
            "lon": rep.get("lon"),
            "geo_precision": rep.get("geo_precision"),
            "actor_name": actor.get("actor_name"),
            "recipient_name": recipient.get("recipient_name"),
            "n_events": len(ms),
            "n_articles": len({m["article_id"] for m in ms}),
            "n_outlets": len(named_outlets) if named_outlets else len(outlets),
            "outlets": "; ".join(named_outlets) or None,
            "fatalities_low": fat["low"], "fatalities_best": fat["best"], "fatalities_high": fat["high"],
            "injuries_low": inj["low"], "injuries_best": inj["best"], "injuries_high": inj["high"],
            "record": dumps(record),
        })
        members_out.extend((inc.incident_id, m["event_id"], m["article_id"]) for m in ms)
    return rows, members_out

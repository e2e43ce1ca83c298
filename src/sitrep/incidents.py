"""Incidents: events from different articles that report the same happening, merged and reconciled.

Only `reported` events of each article's latest version take part. Two events are *compatible* when they come
from different articles, have compatible types and modes, overlapping (slightly widened) date ranges, the same
country and a place within `max_distance_km` (or the same admin1 when either is coarser than a point), and actors
and recipients that do not contradict each other (rules in data/incident_rules.yaml).

Grouping is agglomerative and deterministic: compatible pairs are taken best-first (most positive evidence, then
shortest distance, then ids) and two groups join only when *every* cross pair is compatible and they share no
article (complete linkage). So a vague report cannot chain two distinct incidents together, and events from one
article never merge. Incidents are brought up to date from events after each ingest (`update_incidents`
reclusters only the events new or changed reports can affect, with the result of a full `recompute_incidents`),
which makes merging reversible: a new report can split or join groups, and the result depends only on what is
stored.

Counts are reconciled across claims (one claim per event: its article, outlet and sources keep their own toll):
low = the smallest claimed `best` (or its `low` when given), high = the largest claimed `best` (or `high`),
best = the median of the claimed `best` values, the lower middle one when their number is even (conservative,
in the spirit of ACLED's "most conservative" count).
"""
from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import logging
import math
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Optional, Sequence

from .data import load_yaml
from .incident_pairs import KeyVerdicts, PairClasses, merge_key, type_blocks
from .model import as_date
from .store.rows import dumps

LOGGER = logging.getLogger(__name__)

PRECISION_RANK = {"point": 0, "area": 1, "admin2": 2, "admin1": 3, "region": 4, "country": 5, "water": 6,
                  "unknown": 7, None: 8}

RECONCILE_RULE = (
    "low = min of claims' low/best; high = max of claims' high/best; best = median of claims' best "
    "(lower middle when even)"
)


@dataclass(frozen=True)
class MergeRules:
    max_distance_km: float = 25.0
    date_slack_days: int = 1
    max_date_range_days: int = 7
    undated_window_days: int = 2
    point_precisions: frozenset = frozenset({"point", "area", "admin2"})
    vague_precisions: frozenset = frozenset({"country", "water", "unknown"})
    compatible_types: tuple = ()
    mode_groups: tuple = ()
    generic_actor_words: frozenset = frozenset()

    @classmethod
    def load(cls) -> "MergeRules":
        spec = load_yaml("incident_rules.yaml")
        return cls(
            max_distance_km=float(spec["max_distance_km"]),
            date_slack_days=int(spec["date_slack_days"]),
            max_date_range_days=int(spec["max_date_range_days"]),
            undated_window_days=int(spec["undated_window_days"]),
            point_precisions=frozenset(spec["point_precisions"]),
            vague_precisions=frozenset(spec["vague_precisions"]),
            compatible_types=tuple(frozenset(g) for g in spec.get("compatible_types") or ()),
            mode_groups=tuple(frozenset(g) for g in spec.get("mode_groups") or ()),
            generic_actor_words=frozenset(w.lower() for w in spec.get("generic_actor_words") or ()),
        )


@lru_cache(maxsize=1)
def default_rules() -> MergeRules:
    return MergeRules.load()


@dataclass
class Criterion:
    name: str
    ok: bool
    detail: str
    weight: int = 0          # positive evidence used to rank merges; 0 = merely not contradicting

    def as_dict(self) -> dict:
        return {"criterion": self.name, "ok": self.ok, "detail": self.detail, "weight": self.weight}


@dataclass
class Comparison:
    a: str
    b: str
    criteria: list[Criterion]
    distance_km: Optional[float] = None

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.criteria)

    @property
    def score(self) -> int:
        return sum(c.weight for c in self.criteria if c.ok)

    def failed(self) -> list[Criterion]:
        return [c for c in self.criteria if not c.ok]


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(h)))


def _norm(name: Optional[str]) -> str:
    text = (name or "").strip().lower()
    for prefix in ("the ",):
        if text.startswith(prefix):
            text = text[len(prefix):]
    return " ".join(text.split())


def date_range(ev: dict, rules: MergeRules) -> Optional[tuple[dt.date, dt.date]]:
    """The event's date range; for an undated event, the days just before its article was published."""
    start, end = as_date(ev.get("date_start")), as_date(ev.get("date_end"))
    if start or end:
        return (start or end, end or start)
    published = as_date(ev.get("published"))
    if published:
        return (published - dt.timedelta(days=rules.undated_window_days), published)
    return None


NUMBER_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "dozens", "hundreds",
                "several", "many", "some", "at", "least", "more", "than", "a", "an", "the"}


def is_proper_name(name: Optional[str], generic: frozenset = frozenset()) -> bool:
    """'Taliban', 'Islamic State' are names; 'gunmen', '12 people', 'Russian artillery' are descriptions."""
    tokens = (name or "").split()
    while tokens and (tokens[0].lower() in NUMBER_WORDS or tokens[0][:1].isdigit()):
        tokens = tokens[1:]
    if not tokens:
        return False
    if any(t[:1].isupper() for t in tokens[1:]):
        return True
    if len(tokens) == 1:
        return tokens[0][:1].isupper() and tokens[0].lower() not in generic
    return False


def _participant(prefix: str, a: dict, b: dict, generic: frozenset = frozenset()) -> tuple[bool, int, str]:
    """(compatible, weight, detail) for the actor or recipient of two events."""
    an, bn = _norm(a.get(f"{prefix}_name")), _norm(b.get(f"{prefix}_name"))
    asec, bsec = a.get(f"{prefix}_sector"), b.get(f"{prefix}_sector")
    actry, bctry = a.get(f"{prefix}_country"), b.get(f"{prefix}_country")
    if actry and bctry and actry != bctry:
        return False, 0, f"countries differ: {actry} vs {bctry}"
    if an and bn:
        if an == bn or (len(an) > 3 and an in bn) or (len(bn) > 3 and bn in an):
            return True, 1, f"same: {a.get(prefix + '_name')!r} ~ {b.get(prefix + '_name')!r}"
        if asec and bsec and asec != bsec:
            return False, 0, f"sectors differ: {a.get(prefix + '_name')!r} ({asec}) vs {b.get(prefix + '_name')!r} ({bsec})"
        if asec and bsec:
            return True, 0, f"same sector {asec}: {a.get(prefix + '_name')!r} / {b.get(prefix + '_name')!r}"
        if is_proper_name(a.get(f"{prefix}_name"), generic) and is_proper_name(b.get(f"{prefix}_name"), generic):
            return False, 0, f"differ: {a.get(prefix + '_name')!r} vs {b.get(prefix + '_name')!r}"
        return True, 0, f"other wording: {a.get(prefix + '_name')!r} / {b.get(prefix + '_name')!r}"
    if asec and bsec and asec != bsec:
        return False, 0, f"sectors differ: {asec} vs {bsec}"
    return True, 0, "unknown on at least one side"


def _sides(a: dict, b: dict, generic: frozenset = frozenset()) -> list[Criterion]:
    """Actor and recipient checks; a report that names the sides the other way round still matches."""
    direct = [("actor", "actor", "actor"), ("recipient", "recipient", "recipient")]
    crossed = [("actor", "actor", "recipient"), ("recipient", "recipient", "actor")]
    results = []
    for plan in (direct, crossed):
        crits = []
        for label, pa, pb in plan:
            bb = {f"{pa}_{k}": b.get(f"{pb}_{k}") for k in ("name", "sector", "country")}
            ok, weight, detail = _participant(pa, a, bb, generic)
            suffix = "" if pa == pb else " (sides swapped)"
            crits.append(Criterion(label, ok, detail + suffix, weight))
        results.append(crits)
    direct_c, crossed_c = results
    if all(c.ok for c in direct_c):
        return direct_c
    if all(c.ok for c in crossed_c) and sum(c.weight for c in crossed_c) > 0:
        return crossed_c
    return direct_c


def _place(a: dict, b: dict, rules: MergeRules) -> tuple[Criterion, Optional[float]]:
    ca, cb = a.get("country"), b.get("country")
    if not ca or not cb:
        return Criterion("place", False, "no country on at least one side"), None
    if ca != cb:
        return Criterion("place", False, f"countries differ: {ca} vs {cb}"), None
    pa, pb = a.get("geo_precision"), b.get("geo_precision")
    if pa in rules.vague_precisions or pb in rules.vague_precisions or pa is None or pb is None:
        return Criterion("place", False, f"place too vague to merge on ({pa} / {pb})"), None
    have_coords = all(v is not None for v in (a.get("lat"), a.get("lon"), b.get("lat"), b.get("lon")))
    if pa in rules.point_precisions and pb in rules.point_precisions and have_coords:
        km = haversine_km(a["lat"], a["lon"], b["lat"], b["lon"])
        if km <= rules.max_distance_km:
            weight = 2 if km <= 5 else 1
            return Criterion("place", True, f"{km:.1f} km apart ({a.get('location_name')} / "
                                            f"{b.get('location_name')}), limit {rules.max_distance_km:g} km",
                             weight), km
        return Criterion("place", False, f"{km:.1f} km apart, more than {rules.max_distance_km:g} km"), km
    a1, b1 = _norm(a.get("admin1")), _norm(b.get("admin1"))
    if a1 and b1 and a1 == b1:
        return Criterion("place", True, f"same admin1 {a.get('admin1')!r} ({pa} / {pb})", 1), None
    if _norm(a.get("location_name")) and _norm(a.get("location_name")) == _norm(b.get("location_name")):
        return Criterion("place", True, f"same place name {a.get('location_name')!r}", 1), None
    return Criterion("place", False, f"admin1 differs or unknown: {a.get('admin1')!r} vs {b.get('admin1')!r}"), None


def compare(a: dict, b: dict, rules: MergeRules) -> Comparison:
    """Every criterion for merging two events, with the values that decided it."""
    crits = []
    crits.append(Criterion("articles", a["article_id"] != b["article_id"],
                           f"{a['article_id']} / {b['article_id']}"))
    ta, tb = a["event_type"], b["event_type"]
    type_ok = ta == tb or any(ta in g and tb in g for g in rules.compatible_types)
    crits.append(Criterion("type", type_ok, f"{ta} / {tb}", 1 if ta == tb else 0))
    ma, mb = a.get("mode"), b.get("mode")
    if ma and mb:
        if ma == mb:
            crits.append(Criterion("mode", True, f"same mode {ma}", 1))
        elif any(ma in g and mb in g for g in rules.mode_groups):
            crits.append(Criterion("mode", True, f"related modes {ma} / {mb}"))
        else:
            crits.append(Criterion("mode", False, f"modes differ: {ma} vs {mb}"))
    else:
        crits.append(Criterion("mode", True, f"unknown on at least one side ({ma} / {mb})"))
    ra, rb = date_range(a, rules), date_range(b, rules)
    if ra is None or rb is None:
        crits.append(Criterion("date", False, "no date and no publication date on at least one side"))
    elif max((ra[1] - ra[0]).days, (rb[1] - rb[0]).days) > rules.max_date_range_days:
        crits.append(Criterion("date", False, f"{ra[0]}..{ra[1]} / {rb[0]}..{rb[1]}: a range longer than "
                                              f"{rules.max_date_range_days} days is too vague to merge on"))
    else:
        slack = dt.timedelta(days=rules.date_slack_days)
        overlap = ra[0] <= rb[1] + slack and rb[0] <= ra[1] + slack
        same_day = ra[0] == ra[1] == rb[0] == rb[1]
        detail = f"{ra[0]}..{ra[1]} / {rb[0]}..{rb[1]}" + ("" if overlap else
                                                           f" do not overlap (slack {rules.date_slack_days} d)")
        crits.append(Criterion("date", overlap, detail, 1 if same_day else 0))
    place, km = _place(a, b, rules)
    crits.append(place)
    crits.extend(_sides(a, b, rules.generic_actor_words))
    return Comparison(a["event_id"], b["event_id"], crits, km)


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

    Compatible pairs come from incident_pairs.PairClasses: one comparison per pair of distinct merge keys, so
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


@dataclass
class IncidentSummary:
    events: int                 # events in incidents (every reported event of a latest article version)
    incidents: int
    multi_article: int
    reclustered: int = 0        # events this call clustered: all of them for a full recompute


def recompute_incidents(store, rules: MergeRules | None = None) -> IncidentSummary:
    """Recompute every incident from the stored events and replace the incidents tables (one transaction).

    Needed after the merge rules (data/incident_rules.yaml) change: `update_incidents` trusts that the stored
    incidents were made by the rules in force."""
    rules = rules or default_rules()
    events = store.merge_candidates()
    incidents = cluster(events, rules)
    rows, members = incident_rows(incidents, rules)
    store.replace_incidents(rows, members)
    multi = sum(1 for r in rows if r["n_articles"] > 1)
    LOGGER.info("incidents: %d events -> %d incidents (%d reported by several articles)",
                len(events), len(rows), multi)
    return IncidentSummary(len(events), len(rows), multi, len(events))


# -- incremental maintenance --------------------------------------------------------------------------------
# cluster() decomposes over the connected components of the graph of compatible pairs (compare().ok): a merge
# needs a compatible pair across the two groups, so every group stays inside one component; the order of pairs
# is global (score, distance, ids); and a group's key and its links' order follow its members' event-id order,
# which any subset keeps. So reclustering whole components gives exactly what a full recompute gives for them,
# and every other stored incident is already right as long as its component did not change. A component changes
# only by gaining an event that is in no incident yet, or by losing one (its article got another latest
# version), which makes that event's incident stale. Components of candidate pairs (same country, near dates)
# would do too, but in a country with news every day they chain into one spanning the whole store; compatible
# pairs chain only through reports of the same kind of happening at the same place on consecutive days.

Interval = tuple[dt.date, dt.date]


def _neighbour_starts(rng: Interval, rules: MergeRules) -> Interval:
    """Where the range of an event paired with one ranging over `rng` can start (see
    `PairClasses.class_pairs`; a compatible pair is always a candidate pair): an earlier partner ends at most
    `slack` days before `rng` starts and is at most `max_date_range_days` long; a later one starts no earlier
    than `rng` and at most `slack` days after it ends."""
    start, end = rng
    slack = dt.timedelta(days=rules.date_slack_days)
    return start - slack - dt.timedelta(days=rules.max_date_range_days), max(start, end + slack)


def _union(intervals: Sequence[Interval]) -> list[Interval]:
    """Sorted disjoint intervals covering the same days (touching ones joined)."""
    merged: list[Interval] = []
    for lo, hi in sorted(intervals):
        if merged and lo <= merged[-1][1] + dt.timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def _uncovered(need: Sequence[Interval], covered: Sequence[Interval]) -> list[Interval]:
    """The days of `need` outside `covered`, as intervals (both arguments sorted and disjoint)."""
    day = dt.timedelta(days=1)
    gaps = []
    for lo, hi in need:
        for c_lo, c_hi in covered:
            if c_hi < lo or c_lo > hi:
                continue
            if c_lo > lo:
                gaps.append((lo, c_lo - day))
            lo = max(lo, c_hi + day)
            if lo > hi:
                break
        if lo <= hi:
            gaps.append((lo, hi))
    return gaps


def _components_in_country(store, country: str, seeds: Sequence[dict], rules: MergeRules) -> list[dict]:
    """The seeds (all of `country`, all able to pair) and every event connected to them by compatible pairs.

    A breadth-first search: before testing the newest members against the stored events, it loads those of the
    country whose range starts where a partner of theirs could start, unless an earlier round loaded them.
    Events are tested a class of equal merge keys at a time (incident_pairs): an archive's copies of one text
    cost one comparison, not one per pair of copies; an event joins when a class verdict allows it and a
    newest member of the class comes from another article."""
    undated = dt.timedelta(days=rules.undated_window_days)
    key_of = partial(merge_key, date_range=partial(date_range, rules=rules))
    verdicts = KeyVerdicts(partial(compare, rules=rules))
    members = {ev["event_id"]: ev for ev in seeds}
    frontier = list(members.values())
    loaded: dict[str, dict] = {}
    classes: dict[tuple, list[str]] = {}           # merge key -> ids of the loaded events with it
    by_start: list[tuple[dt.date, int]] = []       # (pairing start, class number), sorted
    class_keys: list[tuple] = []
    covered: list[Interval] = []
    while frontier:
        newest: dict[tuple, list[dict]] = {}
        for m in frontier:
            newest.setdefault(key_of(m), []).append(m)
        windows = {key: _neighbour_starts(_pairing_range(ms[0], rules), rules) for key, ms in newest.items()}
        gaps = _uncovered(_union(list(windows.values())), covered)
        for lo, hi in gaps:
            # An undated event's range starts `undated_window_days` before its article's publication.
            for ev in store.merge_candidates_in(country, lo, hi, lo + undated, hi + undated):
                if _pairing_range(ev, rules) and ev["event_id"] not in loaded:
                    loaded[ev["event_id"]] = ev
                    classes.setdefault(key_of(ev), []).append(ev["event_id"])
        if gaps:
            covered = _union(covered + gaps)
            class_keys = list(classes)
            by_start = sorted((_pairing_range(loaded[classes[k][0]], rules)[0], n) for n, k in enumerate(class_keys))
        found = []
        for key, ms in newest.items():
            lo, hi = windows[key]
            articles = {m["article_id"] for m in ms}
            at = bisect.bisect_left(by_start, (lo, -1))
            while at < len(by_start) and by_start[at][0] <= hi:
                other_key = class_keys[by_start[at][1]]
                at += 1
                ids = [eid for eid in classes[other_key] if eid not in members]
                if not ids or not verdicts.ok(key, ms[0], other_key, loaded[ids[0]]):
                    continue
                for eid in ids:
                    other = loaded[eid]
                    if eid not in members and articles - {other["article_id"]}:
                        members[eid] = other
                        found.append(other)
        frontier = found
    return list(members.values())


def _affected_events(store, seeds: Sequence[dict], rules: MergeRules) -> list[dict]:
    """The seeds and every stored event in the same component as one, sorted by event id."""
    found: dict[str, dict] = {}
    by_country: dict[str, list[dict]] = {}
    for ev in seeds:
        if _pairing_range(ev, rules):
            by_country.setdefault(ev["country"], []).append(ev)
        else:
            found[ev["event_id"]] = ev      # pairs with nothing: an incident of its own
    for country, group in sorted(by_country.items()):
        found.update((ev["event_id"], ev) for ev in _components_in_country(store, country, group, rules))
    return sorted(found.values(), key=lambda e: e["event_id"])


def _totals(store, reclustered: int) -> IncidentSummary:
    events, incidents, multi = store.incident_totals()
    return IncidentSummary(events, incidents, multi, reclustered)


def update_incidents(store, rules: MergeRules | None = None) -> IncidentSummary:
    """Bring the stored incidents up to date with the stored events, giving what `recompute_incidents` would.

    Needs no record of what changed, so it also repairs what an ingest killed before this step left behind:
    the seeds are the events in no incident yet, plus the still valid members of stale incidents (those with a
    member that no longer takes part). Only the seeds' components are reclustered; in one transaction the stale
    incidents and those holding a reclustered event are replaced by the new ones. With no seed and nothing
    stale it writes nothing."""
    rules = rules or default_rules()
    if not store.has_incidents():
        # Every event is a seed: one pass over them all gives the same and saves a query per date window.
        stale: list[str] = []
        seeds = events = store.merge_candidates()
    else:
        unassigned, stale = store.incident_drift()
        if not unassigned and not stale:
            return _totals(store, 0)
        seeds = store.merge_candidates_by_id(unassigned + store.incident_members(stale))
        events = _affected_events(store, seeds, rules) if seeds else []
    if not events and not stale:
        return _totals(store, 0)
    rows, members = incident_rows(cluster(events, rules), rules)
    replaced = sorted(set(stale) | set(store.incidents_holding([ev["event_id"] for ev in events])))
    store.swap_incidents(replaced, rows, members)
    summary = _totals(store, len(events))
    LOGGER.info("incidents: %d new or changed events, %d reclustered -> %d incidents replacing %d; "
                "%d incidents (%d reported by several articles)", len(seeds), len(events), len(rows),
                len(replaced), summary.incidents, summary.multi_article)
    return summary


def _count(c: dict) -> str:
    if not c or c.get("best") is None:
        return "-"
    return "/".join("?" if c.get(k) is None else str(c[k]) for k in ("low", "best", "high"))


def explain_text(row: dict) -> str:
    """A stored incident as text: where and when, every report's claim, and why each merge was allowed."""
    rec = row["record"]
    place = ", ".join(str(x) for x in (row.get("location_name"), row.get("admin1"), row.get("country")) if x)
    when = str(row.get("date_start") or "date unknown")
    if row.get("date_end") and row.get("date_end") != row.get("date_start"):
        when += f"..{row['date_end']}"
    mode = f" ({row['mode']})" if row.get("mode") else ""
    lines = [
        f"Incident {row['incident_id']}: {row['event_type']}{mode} on {when} at {place or 'place unknown'}",
        f"  actor: {row.get('actor_name') or '-'}; recipient: {row.get('recipient_name') or '-'}",
        f"  reported by {row['n_articles']} article(s) from {row['n_outlets']} outlet(s): {row.get('outlets') or '-'}",
        f"  fatalities low/best/high: {_count(rec['fatalities'])}; injuries: {_count(rec['injuries'])}",
        f"  ({rec['reconcile_rule']})",
        "",
        "Claims:",
    ]
    for c in rec["claims"]:
        lines.append(
            f"  {c['event_id']}  article {c['article_id']} ({c.get('outlet') or 'no outlet'}, {c.get('published') or '-'})"
            f": killed {_count(c['fatalities'])}, wounded {_count(c['injuries'])}"
            + (f", according to {c['sources']}" if c.get("sources") else "")
        )
        lines.append(f"      \"{' '.join((c.get('sentence') or '').split())}\"")
    lines.append("")
    if not rec["links"]:
        lines.append("Merges: none (a single report)")
    else:
        lines.append("Merges (in the order they were made):")
        for link in rec["links"]:
            lines.append(f"  {link['event_a']} + {link['event_b']} (evidence score {link['score']}):")
            for crit in link["criteria"]:
                mark = "ok" if crit["ok"] else "NO"
                lines.append(f"      {mark:2}  {crit['criterion']:<9} {crit['detail']}")
    return "\n".join(lines) + "\n"

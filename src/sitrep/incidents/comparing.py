"""Whether two events may report the same happening: every criterion, with the values that decided it."""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Optional

from ..model import as_date
from .merge_rules import MergeRules


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

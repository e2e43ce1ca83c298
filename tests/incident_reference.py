"""The incident grouping as it was before compatible pairs were found per class of equal merge keys: every
candidate pair of events compared on its own. Kept for the tests only, as the reference the faster grouping must
equal (incident ids, members and the merges that joined them)."""
from __future__ import annotations

import datetime as dt
from typing import Sequence

from sitrep.incidents import Comparison, Incident, MergeRules, compare
from sitrep.incidents.grouping import _incident_id, _pairing_range


def candidate_pairs(events: Sequence[dict], rules: MergeRules) -> list[tuple[int, int]]:
    by_country: dict[str, list[tuple[dt.date, dt.date, int]]] = {}
    for i, ev in enumerate(events):
        rng = _pairing_range(ev, rules)
        if rng:
            by_country.setdefault(ev["country"], []).append((rng[0], rng[1], i))
    slack = dt.timedelta(days=rules.date_slack_days)
    pairs = []
    for items in by_country.values():
        items.sort()
        for k, (_s, end, i) in enumerate(items):
            for s2, _e2, j in items[k + 1:]:
                if s2 > end + slack:
                    break
                pairs.append((min(i, j), max(i, j)))
    return pairs


def reference_cluster(events: Sequence[dict], rules: MergeRules) -> list[Incident]:
    events = sorted(events, key=lambda e: e["event_id"])
    cache: dict[tuple[int, int], Comparison] = {}

    def cmp(i: int, j: int) -> Comparison:
        key = (min(i, j), max(i, j))
        if key not in cache:
            cache[key] = compare(events[key[0]], events[key[1]], rules)
        return cache[key]

    good = [(i, j) for i, j in candidate_pairs(events, rules) if cmp(i, j).ok]
    good.sort(key=lambda p: (-cmp(*p).score, cmp(*p).distance_km if cmp(*p).distance_km is not None else 1e9,
                             events[p[0]]["event_id"], events[p[1]]["event_id"]))
    group_of = list(range(len(events)))
    groups: dict[int, list[int]] = {i: [i] for i in range(len(events))}
    links: dict[int, list[Comparison]] = {i: [] for i in range(len(events))}
    for i, j in good:
        gi, gj = group_of[i], group_of[j]
        if gi == gj:
            continue
        arts_i = {events[k]["article_id"] for k in groups[gi]}
        if any(events[k]["article_id"] in arts_i for k in groups[gj]):
            continue
        if not all(cmp(x, y).ok for x in groups[gi] for y in groups[gj]):
            continue
        keep, drop = min(gi, gj), max(gi, gj)
        for k in groups[drop]:
            group_of[k] = keep
        groups[keep].extend(groups.pop(drop))
        links[keep].extend(links.pop(drop))
        links[keep].append(cmp(i, j))
    incidents = []
    for g, idx in groups.items():
        members = [events[k] for k in sorted(idx, key=lambda k: events[k]["event_id"])]
        incidents.append(Incident(_incident_id(members), members, links[g]))
    incidents.sort(key=lambda inc: inc.incident_id)
    return incidents

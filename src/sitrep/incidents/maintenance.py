"""Keeping the stored incidents up to date: a full recompute, or reclustering only what new reports can affect."""
from __future__ import annotations

import bisect
import datetime as dt
import logging
from dataclasses import dataclass
from functools import partial
from typing import Sequence

from .comparing import compare, date_range
from .grouping import _pairing_range, cluster, incident_rows
from .merge_rules import MergeRules, default_rules
from .pairs import KeyVerdicts, merge_key

LOGGER = logging.getLogger(__name__)


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
    Events are tested a class of equal merge keys at a time (pairs.py): an archive's copies of one text
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

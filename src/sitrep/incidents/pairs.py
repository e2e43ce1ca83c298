"""The compatible pairs of a set of events, found without comparing every copy of a text with every other.

An archive holds the same story many times over: syndicated copies, mirrors, a page crawled twice. Their events
are equal in every field the merge rules read; only the article and event ids differ. Such events form one
*class* (same merge key), and one comparison of two classes decides every pair of their events: the pair is
compatible when the classes are and the two events come from different articles. So the comparisons are made per
pair of classes, and only within a block that can hold compatible pairs: same country, types that may describe
one happening (incident_rules.yaml), date ranges near each other (a sorted sweep per block). The result is the
same set of compatible pairs that comparing every pair of events gives; what it costs grows with the number of
distinct events, not with the number of copies. A class verdict is kept as a small tuple (ok, score, distance),
never as the full Comparison with its texts.
"""
from __future__ import annotations

import datetime as dt
from typing import Callable, Iterator, Optional, Sequence

# Fields compare() reads besides article_id and event_id (the date through date_range()).
MERGE_FIELDS = ("event_type", "mode", "country", "geo_precision", "lat", "lon", "admin1", "location_name",
                "actor_name", "actor_sector", "actor_country", "recipient_name", "recipient_sector",
                "recipient_country")

Verdict = Optional[tuple[int, float]]       # (score, distance or 1e9) when compatible, None when not


def merge_key(ev: dict, date_range: Callable) -> tuple:
    """What compare() sees of an event besides its ids: events with equal keys are interchangeable in it."""
    return (date_range(ev),) + tuple(ev.get(f) for f in MERGE_FIELDS)


def class_verdict(compare: Callable, a: dict, b: dict) -> Verdict:
    """compare(a, b) ignoring the articles criterion, as (score, distance) when compatible, None when not."""
    result = compare(a, b)
    if not all(c.ok for c in result.criteria if c.name != "articles"):
        return None
    return result.score, 1e9 if result.distance_km is None else result.distance_km


class KeyVerdicts:
    """Class verdicts keyed by the merge keys themselves, for callers that meet events a few at a time (the
    incremental update's search of a component)."""

    def __init__(self, compare: Callable):
        self.compare = compare
        self.cache: dict[tuple, bool] = {}

    def ok(self, key_a: tuple, a: dict, key_b: tuple, b: dict) -> bool:
        pair = (key_a, key_b)
        found = self.cache.get(pair)
        if found is None:
            found = self.cache[pair] = self.cache[(key_b, key_a)] = class_verdict(self.compare, a, b) is not None
        return found


def type_blocks(compatible_types: Sequence[frozenset]) -> dict[str, str]:
    """type -> the name of its block: types joined (transitively) by `compatible_types` share a block, so two
    events of different blocks never have compatible types."""
    parent: dict[str, str] = {}

    def root(t: str) -> str:
        while parent.get(t, t) != t:
            t = parent[t]
        return t

    for group in compatible_types:
        members = sorted(group)
        for t in members[1:]:
            a, b = root(members[0]), root(t)
            if a != b:
                parent[max(a, b)] = min(a, b)
    return {t: root(t) for t in parent}


class PairClasses:
    """The events (sorted by event id) grouped into classes of equal merge keys, with a cache of class
    verdicts. `compare(a, b)` is incidents.compare with the rules bound; `pairing_range(ev)` the range an event
    is paired by (None: it pairs with nothing)."""

    def __init__(self, events: Sequence[dict], compare: Callable, pairing_range: Callable,
                 date_range: Callable, blocks: dict[str, str], slack_days: int):
        self.events, self.compare, self.slack = events, compare, dt.timedelta(days=slack_days)
        self.class_of: list[int] = []
        self.members: list[list[int]] = []         # class -> indexes of its events, ascending
        self.ranges: list[Optional[tuple]] = []     # class -> pairing range
        self.blocks: list[tuple] = []               # class -> (country, type block)
        self.verdicts: dict[tuple[int, int], Verdict] = {}
        index: dict[tuple, int] = {}
        for i, ev in enumerate(events):
            key = merge_key(ev, date_range)
            c = index.get(key)
            if c is None:
                c = index[key] = len(self.members)
                self.members.append([])
                self.ranges.append(pairing_range(ev))
                self.blocks.append((ev.get("country"), blocks.get(ev["event_type"], ev["event_type"])))
            self.class_of.append(c)
            self.members[c].append(i)

    def verdict(self, c1: int, c2: int) -> Verdict:
        """Whether events of the two classes from different articles are compatible, and how well."""
        key = (c1, c2) if c1 <= c2 else (c2, c1)
        if key not in self.verdicts:
            a, b = self.events[self.members[key[0]][0]], self.events[self.members[key[1]][0]]
            self.verdicts[key] = class_verdict(self.compare, a, b)
        return self.verdicts[key]

    def ok(self, i: int, j: int) -> bool:
        """compare(events[i], events[j]).ok, from the class verdict."""
        return self.events[i]["article_id"] != self.events[j]["article_id"] and \
            self.verdict(self.class_of[i], self.class_of[j]) is not None

    def class_pairs(self) -> Iterator[tuple[int, int]]:
        """Pairs of classes (a class with itself too) whose events may be compatible: same block, date ranges
        near each other: the earlier of two classes in (start, end) order pairs with the later one when the later
        starts at most `date_slack_days` after the earlier ends (incidents._neighbour_starts relies on this rule)."""
        by_block: dict[tuple, list[tuple]] = {}
        for c, rng in enumerate(self.ranges):
            if rng:
                by_block.setdefault(self.blocks[c], []).append((rng[0], rng[1], c))
        for items in by_block.values():
            items.sort()
            for k, (_s, end, c) in enumerate(items):
                if len(self.members[c]) > 1:
                    yield c, c
                for s2, _e2, c2 in items[k + 1:]:
                    if s2 > end + self.slack:
                        break
                    yield c, c2

    def compatible_pairs(self) -> list[tuple[int, float, int, int]]:
        """Every compatible pair of events as (-score, distance, i, j) with i < j: sorted, best first, in the
        order incidents.cluster merges them (ids break ties, and index order is id order)."""
        events = self.events
        found = []
        for c1, c2 in self.class_pairs():
            verdict = self.verdict(c1, c2)
            if verdict is None:
                continue
            score, km = verdict
            first, second = self.members[c1], self.members[c2]
            for x in first:
                art = events[x]["article_id"]
                for y in (second if c1 != c2 else ()):
                    if events[y]["article_id"] != art:
                        found.append((-score, km, min(x, y), max(x, y)))
            if c1 == c2:
                for n, x in enumerate(first):
                    art = events[x]["article_id"]
                    found.extend((-score, km, x, y) for y in first[n + 1:] if events[y]["article_id"] != art)
        found.sort()
        return found

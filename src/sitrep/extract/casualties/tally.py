"""Combining an incident's mentions into its killed and wounded totals: the same victims told again (the
largest figure wins, a later 'rose to' wins over all), named victims added up, the hit whose outcome is unsaid
counted as wounded unless reported killed."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ...model import Casualties, Count
from .counting import Mention, best_of, exact_count
from .lexicon import GROUPS

@dataclass
class Tally:
    """The combined mentions of one incident, per outcome."""
    mentions: dict[str, list[Mention]] = field(default_factory=lambda: {"killed": [], "injured": [], "harmed": []})

    def add(self, m: Mention) -> None:
        self.mentions[m.outcome].append(m)

    def casualties(self, outcome: str) -> Optional[Casualties]:
        if outcome == "injured":
            return self._injured()
        return self._killed()

    def _killed(self) -> Optional[Casualties]:
        killed = self._combine([m for m in self.mentions["killed"] if not m.all_harmed])
        everyone = [m for m in self.mentions["killed"] if m.all_harmed]
        if everyone and killed is None:
            # "two teens were shot ... their deaths", "two guards were wounded; they later died"
            # (with a figure for the dead already given, "both died" is about those dead)
            for hit in (self._combine(self.mentions["harmed"]), self._combine(self.mentions["injured"])):
                if hit is not None and best_of(hit.total) > best_of(killed.total if killed else None):
                    killed = hit
        return killed

    @staticmethod
    def _combine(mentions: list[Mention]) -> Optional[Casualties]:
        usable = [m for m in mentions if not m.implausible]
        # "kills 14 citizens and raises the death toll to 225": the running total is not this incident's toll
        usable = [m for m in usable if not m.running_total] or usable
        if not usable:
            return None
        strong = [m for m in usable if not m.weak] or usable
        # Figures for one outcome are the same victims told again, so the largest wins, and a later revision
        # ("rose to") wins over all. "Two other people were wounded" is counted the same way: in news
        # reports such "others" are far more often the ones already counted, told again, than new victims.
        updates = [m for m in strong if m.update]
        if updates:
            base = max(updates, key=lambda m: m.anchor)       # the latest revision
        else:
            base = max(strong, key=lambda m: best_of(m.total))
        total = base.total
        groups = dict(base.groups)
        for m in strong if not updates else []:
            if m is base:
                continue
            for g, c in m.groups.items():
                if g != "unknown" and best_of(c) > best_of(groups.get(g)):
                    groups[g] = c
        # Named victims told one by one add up, unless the article gives a figure for them.
        people = distinct_people([n for m in strong for n in m.names])
        if people > max(best_of(total), 0) and not any(m.numeric for m in strong):
            total = exact_count(people)               # "Smith was pronounced dead ... Jones was pronounced dead"
        known = sum(max(best_of(groups.get(g)), 0) for g in GROUPS if g != "unknown")
        if total is not None and known > best_of(total) and "unknown" not in groups:
            total = Count(low=known, best=known, high=None)  # a breakdown larger than the stated total
        span = base.span
        cas = Casualties(total=total, span=span)
        for g in GROUPS:
            setattr(cas, g, groups.get(g))
        if cas.unknown is not None and all(getattr(cas, g) is None for g in GROUPS if g != "unknown"):
            cas.unknown = None                       # nothing known about who they were: just a total
        return cas

    def _injured(self) -> Optional[Casualties]:
        injured = self._combine(self.mentions["injured"])
        if injured is not None and any(m.all_harmed for m in self.mentions["killed"]):
            killed = self._killed()
            if killed is not None and best_of(killed.total) >= best_of(injured.total):
                injured = None                   # the wounded later died
        harmed = self._combine(self.mentions["harmed"])
        if harmed is None:
            return injured
        killed = self._killed()
        killed_n = max(best_of(killed.total), 0) if killed is not None else 0
        rest = best_of(harmed.total) - killed_n
        if rest <= 0:
            return injured                     # everyone hit died: no injuries reported
        if injured is None or best_of(injured.total) < rest:
            groups = {g: getattr(harmed, g) for g in GROUPS}
            if killed is not None:                # victims who died are not also wounded
                for g in GROUPS:
                    if groups[g] is not None and getattr(killed, g) is not None:
                        left = best_of(groups[g]) - best_of(getattr(killed, g))
                        groups[g] = exact_count(left) if left > 0 else None
            cas = Casualties(total=exact_count(rest) if killed_n else harmed.total, span=harmed.span)
            for g in GROUPS:
                setattr(cas, g, groups[g])
            return cas
        return injured


def distinct_people(names: list[frozenset]) -> int:
    """Count names that are different people: 'Joe Martinez Jr.' and 'Martinez' are one ('Martinez' is a subset),
    and so are two transliterations of one name ('Hamza bin Laden' and 'Hamza bin Ladin')."""
    kept: list[frozenset] = []
    for name in sorted((n for n in names if n), key=len, reverse=True):
        if not any(all(any(_same_word(w, x) for x in k) for w in name) for k in kept):
            kept.append(name)
    return len(kept)


def _same_word(a: str, b: str) -> bool:
    """The same word, or one spelled one letter apart in a word of five letters or more ('Ladin', 'Laden')."""
    if a == b:
        return True
    if len(a) != len(b) or len(a) < 5:
        return False
    return sum(x != y for x, y in zip(a, b)) == 1


def copy_casualties(c: Optional[Casualties]) -> Optional[Casualties]:
    if c is None:
        return None
    return Casualties(
        total=_copy_count(c.total), civilians=_copy_count(c.civilians),
        security_forces=_copy_count(c.security_forces), militants=_copy_count(c.militants),
        unknown=_copy_count(c.unknown), span=c.span)


def _copy_count(c: Optional[Count]) -> Optional[Count]:
    return None if c is None else Count(low=c.low, best=c.best, high=c.high)

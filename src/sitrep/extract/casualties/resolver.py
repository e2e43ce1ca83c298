"""The casualty stage: finds every mention, attaches each to a violent event, groups the events that report
one incident and gives each event its incident's combined counts."""
from __future__ import annotations

import datetime as dt
import logging
from typing import Optional

from ...model import Event
from ..context import DocContext
from ..status import StatusResolver
from .counting import Mention
from .lexicon import load_lexicon
from .phrases import MentionFinder
from .tally import Tally, copy_casualties

LOGGER = logging.getLogger(__name__)


class CasualtyResolver:
    """Fills event.fatalities and event.injuries for violent events."""

    def __init__(self):
        self.lex = load_lexicon()
        self.finder = MentionFinder(self.lex)
        # A count under "would", "could", "threatened to" is not a count of what happened.
        self.modality = StatusResolver()

    def __call__(self, ctx: DocContext, events: list[Event]) -> None:
        violent = [e for e in events if self._can_carry(e)]
        if not violent:
            return
        mentions = self.mentions(ctx)
        if not mentions:
            return
        for m in mentions:
            self._check_plausible(m)
        attached = self._attach(ctx, violent, mentions)
        # A protest or an arrest keeps the counts of its own sentence; only violent events pool an incident's.
        strict = self.lex["violent_in_sentence"] | self.lex["carry_if_alone"]
        pooled = [e for e in violent if e.event_type not in strict]
        incidents = self._incidents(ctx, pooled, attached) + [[e] for e in violent if e.event_type in strict]
        for incident in incidents:
            tally = Tally()
            for ev in incident:
                for m in attached.get(id(ev), []):
                    tally.add(m)
            fatalities = tally.casualties("killed")
            injuries = tally.casualties("injured")
            implausible = [m for ev in incident for m in attached.get(id(ev), []) if m.implausible]
            for ev in incident:
                ev.fatalities = copy_casualties(fatalities)
                ev.injuries = copy_casualties(injuries)
                if implausible:
                    ev.warnings.append(
                        f"casualty figure not believable, left out: '{ctx.article.text[slice(*implausible[0].span)]}'")
                    ev.confidence = max(0.0, ev.confidence - 0.15)

    def mentions(self, ctx: DocContext) -> list[Mention]:
        """Every casualty mention in the article, in text order."""
        out = []
        for i, sent in enumerate(ctx.sents):
            out.extend(m for m in self.finder.find(sent, i) if not self._unrealised(ctx.doc[m.anchor]))
        out.sort(key=lambda m: (m.sent_index, m.anchor))
        return out

    def _unrealised(self, anchor) -> bool:
        """A harm verb under 'would', 'could', 'threatened to': not a count of what happened. (Nouns are left
        alone: 'wanted for a double homicide' is not a wish.)"""
        return anchor.pos_ in ("VERB", "AUX") and self.modality.status_of(anchor) in ("hypothetical", "future")

    def _can_carry(self, ev: Event) -> bool:
        return ev.event_type in self.lex["violent"] or ev.event_type in self.lex["violent_in_sentence"] \
            or ev.event_type in self.lex["carry_if_alone"]

    def _check_plausible(self, m: Mention) -> None:
        limit = self.lex["max_plausible"]
        counts = [m.total] + list(m.groups.values())
        if any(c is not None and max(x or 0 for x in (c.low, c.best, c.high)) > limit for c in counts):
            m.implausible = True
            LOGGER.debug("implausible casualty figure at %s", m.span)

    def _attach(self, ctx: DocContext, violent: list[Event], mentions: list[Mention]) -> dict[int, list[Mention]]:
        """Mention -> event: the trigger it hangs from, else the nearest in its sentence, else the paragraph's,
        else (last resort) an event of its sentence that carries a toll only when nothing else can."""
        by_sent: dict[int, list[Event]] = {}
        last_resorts: dict[int, list[Event]] = {}
        for ev in violent:
            into = last_resorts if ev.event_type in self.lex["carry_if_alone"] else by_sent
            into.setdefault(ev.sent_index, []).append(ev)
        strict = self.lex["violent_in_sentence"] | self.lex["carry_if_alone"]
        attached: dict[int, list[Mention]] = {}
        for m in mentions:
            target = None
            in_sent = by_sent.get(m.sent_index, [])
            if in_sent:
                target = self._by_dependency(ctx, in_sent, m) or min(
                    in_sent, key=lambda e: abs(e.trigger_index - m.anchor))
            else:
                target = self._by_paragraph(ctx, [e for e in violent if e.event_type not in strict], m)
            if target is None:
                last_resort = last_resorts.get(m.sent_index, [])
                if last_resort:
                    target = min(last_resort, key=lambda e: abs(e.trigger_index - m.anchor))
            if target is not None:
                attached.setdefault(id(target), []).append(m)
        return attached

    @staticmethod
    def _by_dependency(ctx: DocContext, events: list[Event], m: Mention) -> Optional[Event]:
        if len(events) == 1:
            return events[0]
        doc = ctx.doc
        anchor = doc[m.anchor]
        ancestors = [anchor] + list(anchor.ancestors)
        for depth, tok in enumerate(ancestors):
            for ev in events:
                if ev.trigger_index == tok.i:
                    return ev
        # the trigger hangs from the harm word: "in one attack, eight soldiers were killed"
        for ev in events:
            if ev.trigger_index >= 0 and anchor in doc[ev.trigger_index].ancestors:
                return ev
        return None

    def _by_paragraph(self, ctx: DocContext, events: list[Event], m: Mention) -> Optional[Event]:
        """The nearest preceding violent event of the paragraph, else the next one, within a few sentences
        (web pages come as one paragraph, and a death told far from any attack is often another story)."""
        text = ctx.article.text
        reach = self.lex["attach_within"]
        start = ctx.sents[m.sent_index].start_char
        para_start = text.rfind("\n", 0, start) + 1
        para_end = text.find("\n", start)
        para_end = len(text) if para_end < 0 else para_end
        before = [e for e in events if m.sent_index - reach <= e.sent_index < m.sent_index
                  and e.sentence_span[0] >= para_start]
        if before:
            return max(before, key=lambda e: (e.sent_index, e.trigger_index))
        after = [e for e in events if m.sent_index < e.sent_index <= m.sent_index + reach
                 and e.sentence_span[1] <= para_end]
        if after:
            return min(after, key=lambda e: (e.sent_index, e.trigger_index))
        return None

    def _incidents(self, ctx: DocContext, violent: list[Event],
                   attached: dict[int, list[Mention]]) -> list[list[Event]]:
        """Group consecutive violent events that report the same incident.

        A new incident starts at a marker ("In another attack", "Separately"), or at an aggregate ("30 attacks").
        Places and days do not split on their own: a story tells where the victim was treated and when the
        suspect was charged, and merging two incidents costs less (the larger figure) than splitting one (the
        main event loses its count).
        """
        incidents: list[list[Event]] = []
        current: list[Event] = []
        current_aggregate = False
        ordered = sorted(violent, key=lambda e: (e.sent_index, e.trigger_index))
        last_sent = None
        for ev in ordered:
            aggregate = self._is_aggregate(ctx, ev)
            earlier = self._antecedent(ctx, ev, incidents, current)
            if earlier is not None:
                earlier.append(ev)                   # "the U.S. airstrike" told again after another incident
                continue
            if not current:
                current, current_aggregate = [ev], aggregate
            elif ev.sent_index == last_sent and aggregate == current_aggregate:
                current.append(ev)
            elif ev.sent_index == last_sent and (aggregate or current_aggregate):
                # one sentence, one incident: "30 attacks that killed..." and its "killed"
                current.append(ev)
                current_aggregate = True
            elif (aggregate or current_aggregate or self._separated(ctx, last_sent, ev)
                  or _far_apart(current, ev)):
                incidents.append(current)
                current, current_aggregate = [ev], aggregate
            else:
                current.append(ev)
            last_sent = ev.sent_index
        if current:
            incidents.append(current)
        return incidents

    @staticmethod
    def _antecedent(ctx: DocContext, ev: Event, incidents: list[list[Event]],
                    current: list[Event]) -> Optional[list[Event]]:
        """An earlier incident that a definite mention ('the airstrike') names again, if not the current one."""
        if ev.trigger_index < 0 or not incidents:
            return None
        trig = ctx.doc[ev.trigger_index]
        if not any(c.dep_ in ("det", "poss") and c.lower_ in ("the", "that", "this", "its", "their")
                   for c in trig.children):
            return None
        lemma = trig.lemma_.lower()

        def names_it(incident: list[Event]) -> bool:
            # any word of the incident's sentences: "In one attack in Kunduz, eight were killed" names an attack
            return any(t.lemma_.lower() == lemma and t.tag_ == trig.tag_
                       for e in incident for t in ctx.sents[e.sent_index] if t.i != trig.i)

        if names_it(current):
            return None
        for incident in reversed(incidents):
            if names_it(incident):
                return incident
        return None

    @staticmethod
    def _is_aggregate(ctx: DocContext, ev: Event) -> bool:
        """A trigger that counts several events: '30 attacks', 'a series of attacks', 'dozens of strikes'."""
        if ev.trigger_index < 0:
            return False
        trig = ctx.doc[ev.trigger_index]
        if trig.tag_ != "NNS":
            return False
        return any(c.dep_ == "nummod" or c.lower_ in ("several", "multiple", "numerous", "many")
                   for c in trig.children) or (trig.head.lower_ in ("series", "wave", "string", "spate", "dozens"))

    def _separated(self, ctx: DocContext, last_sent: Optional[int], ev: Event) -> bool:
        """The event's sentence, or the one leading into it, opens with a new-incident marker: 'In another
        attack', 'Separately', 'In 2012,' (a time frame of its own)."""
        first = max(ev.sent_index - 1, ev.sent_index if last_sent is None else last_sent + 1)
        return any(self.lex["separator"].match(ctx.sents[i].text.lstrip(" \"'(").lower())
                   for i in range(first, ev.sent_index + 1))


def _far_apart(incident: list[Event], ev: Event) -> bool:
    """Both dated to known days more than a week apart: 'a 2015 killing' told in a story about last night."""
    if ev.date is None or ev.date.start is None or ev.date.text is None:
        return False
    start, end = dt.date.fromisoformat(ev.date.start), dt.date.fromisoformat(ev.date.end or ev.date.start)
    for other in incident:
        w = other.date
        if w is None or w.start is None or w.text is None:
            continue
        o_start, o_end = dt.date.fromisoformat(w.start), dt.date.fromisoformat(w.end or w.start)
        gap = max((start - o_end).days, (o_start - end).days)
        if gap > 7:
            return True
    return False

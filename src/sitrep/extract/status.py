"""Event status: did the event itself happen? reported, negated, hypothetical or future.

Read from the trigger's own modifiers (auxiliaries, negation, "if" clauses, "a planned attack") and from the
verbs that govern it through a complement ("denied carrying out the attack", "threatened to strike",
"plans to visit"). A THREATEN or REQUEST event is itself reported: only what is threatened or requested is
hypothetical. 'historical' needs the resolved date and is set by the DateResolver, which runs after this
stage. Lexicon: `data/status.yaml`.
"""
from __future__ import annotations

import logging
from functools import lru_cache
from typing import Optional

from ..data import load_yaml
from ..model import Event
from .context import DocContext

LOGGER = logging.getLogger(__name__)

# Arcs through which a governing verb puts its complement in a status ("threatened [to strike]").
_CLAUSAL = {"xcomp", "ccomp", "pcomp"}
# A nominal trigger can also be the object of the governing verb ("denied the attack", "planned an attack").
_NOMINAL = {"dobj", "pobj", "nsubjpass"}
_MAX_STEPS = 3


@lru_cache(maxsize=1)
def _lexicon() -> dict:
    raw = load_yaml("status.yaml")
    governing = {}
    for status, words in raw["governing"].items():
        for w in words:
            governing.setdefault(tuple(str(w).split()), status)
    return {
        "future_aux": frozenset(raw["future_aux"]),
        "hypothetical_aux": frozenset(raw["hypothetical_aux"]),
        "negation": frozenset(str(w) for w in raw["negation_words"]),
        "governing": governing,
        "noun_future": frozenset(raw["noun_modifiers"]["future"]),
        "noun_hypothetical": frozenset(raw["noun_modifiers"]["hypothetical"]),
        "conditional": frozenset(str(w) for w in raw["conditional_marks"]),
        "penalty": {k: float(v) for k, v in raw["confidence_penalty"].items()},
        "modal_exempt": frozenset(raw["modal_exempt_types"]),
        "elapsed_marks": frozenset(raw["elapsed"]["marks"]),
        "elapsed_units": frozenset(raw["elapsed"]["units"]),
    }


class StatusResolver:
    """Sets event.status (default 'reported') and lowers confidence for non-reported statuses."""

    def __init__(self):
        self.lex = _lexicon()

    def __call__(self, ctx: DocContext, events: list[Event]) -> None:
        for ev in events:
            if ev.trigger_index < 0:
                continue
            trigger = ctx.trigger_of(ev)
            status = self.status_of(trigger)
            if status is None and elapsed_duration(trigger) is not None:
                status = "historical"
            if status in ("future", "hypothetical") and ev.event_type in self.lex["modal_exempt"]:
                status = None
            if status is not None and ev.status == "reported":
                ev.status = status
                ev.confidence = max(0.0, ev.confidence - self.lex["penalty"].get(status, 0.0))

    def status_of(self, trigger) -> Optional[str]:
        """The status the words around a trigger token give it, or None for a plain report."""
        own = self._own(trigger)
        if own == "negated":
            return own
        governed = self._governed(trigger)
        if governed == "negated":
            return governed
        return own or governed

    # ------------------------------------------------------------ the trigger's own words

    def _own(self, trigger) -> Optional[str]:
        lex = self.lex
        found: set[str] = set()
        carriers = [trigger]
        # "will meet and sign": the second verb shares the first one's auxiliaries
        if trigger.dep_ == "conj" and trigger.head.pos_ in ("VERB", "AUX") and not any(
                c.dep_ in ("aux", "auxpass") for c in trigger.children):
            carriers.append(trigger.head)
        for tok in carriers:
            for c in tok.children:
                low = c.lower_
                if c.dep_ == "neg" or (low in lex["negation"] and c.dep_ in ("advmod", "det", "preconj", "prep")):
                    found.add("negated")
                elif c.dep_ in ("aux", "auxpass") and low in lex["future_aux"]:
                    found.add("future")
                elif c.dep_ in ("aux", "auxpass") and low in lex["hypothetical_aux"]:
                    found.add("hypothetical")
                elif c.dep_ == "mark" and low in lex["conditional"]:
                    found.add("hypothetical")
                elif c.dep_ in ("nsubj", "nsubjpass") and any(
                        d.dep_ == "det" and d.lower_ == "no" for d in c.children) or low in ("nobody", "none"):
                    if c.dep_ in ("nsubj", "nsubjpass"):
                        found.add("negated")       # "no soldiers were killed"
                elif c.dep_ == "amod" and trigger.pos_ == "NOUN":
                    if low in lex["noun_future"]:
                        found.add("future")
                    elif low in lex["noun_hypothetical"]:
                        found.add("hypothetical")
        for status in ("negated", "hypothetical", "future"):
            if status in found:
                return status
        return None

    # ------------------------------------------------------------ governing verbs

    def _governed(self, trigger) -> Optional[str]:
        """Status from a verb above the trigger: 'denied carrying out the attack', 'threatened to strike'."""
        node = trigger
        for step in range(_MAX_STEPS):
            dep = node.dep_
            head = node.head
            if head.i == node.i:            # spaCy makes a new Token object per access: compare indices
                return None
            if dep == "pobj" and head.dep_ == "prep":
                head = head.head               # "called off [the plans for] an attack"
            if not (dep in _CLAUSAL or (dep in _NOMINAL and node.pos_ in ("NOUN", "PROPN")) or
                    (dep == "conj" and step == 0)):
                return None
            if dep == "conj":
                node = head
                continue
            status = self._governing_status(head, node)
            if status is not None:
                return status
            # the governing verb's own modality reaches its complement: "would not have attacked" stays above
            if any(c.dep_ == "neg" for c in head.children) and dep in _CLAUSAL:
                return None
            node = head
        return None

    def _governing_status(self, head, complement) -> Optional[str]:
        lex = self.lex
        lemma = head.lemma_.lower()
        particles = [c.lower_ for c in head.children if c.dep_ == "prt"]
        for p in particles:
            status = lex["governing"].get((lemma, p))
            if status is not None:
                return status
        if lemma == "be" and complement.dep_ == "xcomp":
            return "future"                    # "the president is to visit Kabul"
        if lemma == "go" and head.tag_ != "VBG":
            return None                        # "went to attack": motion, not the going-to future
        status = lex["governing"].get((lemma,))
        if status in ("hypothetical", "future") and complement.dep_ == "ccomp":
            # "warned that they would attack" carries its own modal; a bare that-clause under "want" or
            # "hope" is more often a misparse than a wish
            return None
        return status


def elapsed_duration(trigger):
    """The span "six days" when a trigger is an earlier event told with the time elapsed since: "six days after
    a suicide bombing killed 12", "reopened two weeks after the bombing"; else None."""
    lex = _lexicon()
    anchors = [trigger]
    if trigger.dep_ == "pobj":
        anchors.append(trigger.head)                            # after [the bombing]
    if trigger.dep_ in ("nsubj", "nsubjpass", "dobj") and trigger.head.pos_ in ("VERB", "AUX"):
        anchors.append(trigger.head)                            # after [a bombing] killed 12
    for anchor in anchors:
        mark = anchor if anchor.dep_ == "prep" else next((c for c in anchor.children if c.dep_ == "mark"), None)
        if mark is None or mark.lower_ not in lex["elapsed_marks"] or mark.i == 0:
            continue
        # the duration stands right before the mark ("six days after"), wherever the parser hangs it
        unit = mark.doc[mark.i - 1]
        if unit.lemma_.lower() in lex["elapsed_units"] and unit.dep_ in ("npadvmod", "obl", "advmod", "dobj", "pobj"):
            first = min((c.i for c in unit.children if c.dep_ in ("nummod", "det") and c.i < unit.i), default=unit.i)
            return mark.doc[first:unit.i + 1]
    return None

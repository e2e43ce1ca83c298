"""Event locations: which mention in or before an event's sentence is where it happened."""
from __future__ import annotations

import bisect
import logging
import re
from dataclasses import replace
from typing import Optional

from ...model import Event
from ...resolve.gazetteer import KIND_COUNTRY, name_key
from ..context import DocContext
from .lexicon import LATER_MENTION_SENTENCES, PRECISION_ORDER
from .mention import Mention

LOGGER = logging.getLogger(__name__)


# ------------------------------------------------------------------------------------------ event places


def _tree_distance(a, b) -> int:
    """Edges between two tokens of one sentence in the dependency tree."""
    if a.sent.start != b.sent.start:
        return 99
    pa = {a.i: 0}
    d = 0
    t = a
    while t.head.i != t.i:
        t = t.head
        d += 1
        pa[t.i] = d
    d = 0
    t = b
    while t.i not in pa:
        if t.head.i == t.i:
            return 99
        t = t.head
        d += 1
    return d + pa[t.i]


def _overlaps(m: Mention, span) -> bool:
    return span is not None and m.char_start < span[1] and span[0] < m.char_end


def locatable(m: Mention, placed_by_hierarchy: bool = False) -> bool:
    """Can the mention be where an event happened? Not a demonym, a subject, or a country used as an adjective
    ("the U.S. airstrike"); a town as one can ("the Kalamazoo shooting"). A name the index lacks, placed by the
    hierarchy written after it ("X village (Jowhar, ...)"), counts only where `placed_by_hierarchy` says so (it
    has no GeoNames entry for the article-level reasoning)."""
    if m.place is None or m.place.precision == "unknown":
        return False
    if m.resolved is None and not (placed_by_hierarchy and m.role == "place"):
        return False
    if m.role == "modifier":
        return m.resolved is not None and m.resolved.kind != KIND_COUNTRY
    return m.role == "place"


def pick_in_sentence(ev: Event, sent_mentions: list[Mention], ctx: DocContext) -> Optional[Mention]:
    best, best_key = None, None
    eligible: list[Mention] = []
    trig = ctx.trigger_of(ev) if 0 <= ev.trigger_index < len(ctx.doc) else None
    for m in sent_mentions:
        if not locatable(m, placed_by_hierarchy=True) or m.in_dateline:
            continue
        participant_spans = [p.span for p in (ev.actor, ev.recipient) if p is not None]
        town_of_participant = m.role == "modifier" and m.resolved is not None and m.resolved.kind != KIND_COUNTRY
        # "Lagos residents", "New York City police officers": the town that qualifies a participant places
        # the event; a country in the phrase ("Afghan forces") says whose they are, not where they were.
        if m.cue is None and not town_of_participant and any(_overlaps(m, s) for s in participant_spans):
            continue
        eligible.append(m)
        root = ctx.doc[m.start:m.end].root
        dist = _tree_distance(trig, root) if trig is not None else 50
        key = (m.role != "place", m.cue is None, dist, PRECISION_ORDER[m.place.precision])
        if best_key is None or key < best_key:
            best, best_key = m, key
    # "Myanmar junta executes Sagaing resistance fighters": a country named without a preposition says whose
    # the parties are; a division or town of that country the sentence names is where
    if best is not None and best.cue is None and best.resolved is not None and best.resolved.kind == KIND_COUNTRY:
        inside = [m for m in eligible if m.resolved is not None and m.resolved.kind != KIND_COUNTRY
                  and m.resolved.country == best.resolved.country]
        if inside:
            best = min(inside, key=lambda m: PRECISION_ORDER[m.place.precision])
    # "in Moura, in the Djenne cercle of Mopti region": a place the text writes inside the chosen one is finer
    for m in eligible:
        up, depth = m.container, 0
        while up is not None and depth < 3:
            if up is best and m.role == "place":
                return m
            up, depth = up.container, depth + 1
    return best


def headline_keys(title: str) -> set[str]:
    words = re.findall(r"[A-Z][\w'’.-]*", title)
    keys = set()
    for n in (1, 2, 3):
        for i in range(len(words) - n + 1):
            keys.add(name_key(" ".join(words[i:i + n])))
    return keys


def sent_index(starts: list[int], tok_i: int) -> int:
    return bisect.bisect_right(starts, tok_i) - 1


def refine_coarse(events: list[Event], ctx: DocContext, by_sent: dict) -> None:
    """'an airstrike in southern Afghanistan' ... 'The U.S. strike was carried out after ... in Helmand': a later
    definite mention of the same happening (same head noun, or its last part) that names a finer place inside
    the coarse one gives the event that place."""
    doc = ctx.doc
    for ev in events:
        loc = ev.location
        if loc is None or loc.precision not in ("region", "country") or loc.country is None \
                or not (0 <= ev.trigger_index < len(doc)):
            continue
        trig = doc[ev.trigger_index].lemma_.lower()
        if len(trig) < 4:
            continue
        # A later mention of the same happening comes within a few paragraphs (and a bound keeps long texts linear).
        for k in range(ev.sent_index + 1, min(len(ctx.sents), ev.sent_index + 1 + LATER_MENTION_SENTENCES)):
            anaphor = next((t for t in ctx.sents[k] if t.pos_ == "NOUN" and len(t.lemma_) >= 4
                            and (t.lemma_.lower() == trig or trig.endswith(t.lemma_.lower()))
                            and any(c.dep_ in ("det", "poss", "compound", "nmod") and
                                    (c.lower_ in ("the", "this", "that") or c.dep_ != "det") for c in t.children)),
                           None)
            if anaphor is None:
                continue
            finer = [m for m in by_sent.get(k, []) if locatable(m) and m.resolved.country == loc.country
                     and PRECISION_ORDER[m.place.precision] < PRECISION_ORDER["region"]]
            if finer:
                best = min(finer, key=lambda m: _tree_distance(anaphor, doc[m.start:m.end].root))
                ev.location = replace(best.place)
            break

"""Event coreference within one article: later mentions of an event already reported are merged into it.

"The United States conducted an airstrike ..." and, two paragraphs later, "The U.S. strike Wednesday was carried
out after ..." report one airstrike. A later *nominal* mention that is definite ("the attack", "the U.S. strike",
"the deal's signing") and agrees in type, mode and participants is folded into the earlier event: its gaps are
filled (date, place, counts, recipient) and its sources are added.
"""
from __future__ import annotations

from ..model import Event
from .context import DocContext

DEFINITE = {"the", "this", "that", "these", "those"}
# Modes one report may tell of the same act: a suicide bomber "detonated his explosives".
MODE_GROUPS = ({"explosives", "suicide-attack"}, {"aerial", "drone"})
# Agents named by their act, who in "the X" point back to an event told before.
ANAPHORIC_AGENTS = {"attacker", "attackers", "bomber", "bombers", "gunman", "gunmen", "assailant", "assailants",
                    "shooter", "shooters", "perpetrator", "perpetrators", "kidnappers", "abductors", "raiders"}
# Types whose backgrounded first mention ("hours after Trump spoke by phone to ...") may be merged into a later
# full report; material events in such clauses ("after fighters attacked an outpost") are events of their own.
FORWARD_MERGE_TYPES = {"CONSULT", "AGREE", "SUPPORT", "REQUEST", "ACCUSE", "REJECT", "THREATEN", "CONCEDE"}
BACKGROUND_MARKS = {"after", "before", "since", "when", "as", "while", "until"}


def is_definite_mention(ctx: DocContext, ev: Event) -> bool:
    """"the attack", "the U.S. strike", or an act told of someone already introduced: "the attacker detonated
    his explosives", "the gunman fled"."""
    tok = ctx.trigger_of(ev)
    if tok.pos_ not in ("NOUN", "PROPN"):
        subj = next((c for c in tok.children if c.dep_ == "nsubj" and c.pos_ == "NOUN"), None)
        if subj is not None and any(c.dep_ == "det" and c.lower_ in DEFINITE for c in subj.children) and (
                ev.actor is None or not ev.actor.span[0] <= subj.idx < ev.actor.span[1]):
            return True     # "the strike hit a compound": the act told before, now with what it hit
        if ev.actor is None or ev.actor.span is None:
            return False
        agent = ctx.doc.char_span(*ev.actor.span, alignment_mode="expand")
        head = agent.root if agent is not None else None
        return head is not None and head.lower_ in ANAPHORIC_AGENTS and any(
            c.dep_ == "det" and c.lower_ in DEFINITE for c in head.children)
    for child in tok.children:
        if child.dep_ == "det" and child.lower_ in DEFINITE:
            return True
        if child.dep_ == "poss":
            return True
    return False


def _same(a, b) -> bool:
    if a is None or b is None:
        return True
    an = (a.name or a.text or "").lower()
    bn = (b.name or b.text or "").lower()
    return an == bn or an in bn or bn in an


def compatible(first: Event, later: Event, loose: bool = False) -> bool:
    """Same type, no conflicting mode or actor; `loose` lets the recipients be worded differently."""
    if first.event_type != later.event_type:
        return False
    if first.mode and later.mode and first.mode != later.mode \
            and not any({first.mode, later.mode} <= group for group in MODE_GROUPS):
        return False
    # "the attacker" stands for whoever the first report named
    anaphoric = later.actor is not None and (later.actor.text or "").lower().split()[-1:] \
        and (later.actor.text or "").lower().split()[-1] in ANAPHORIC_AGENTS
    if anaphoric:
        return True     # what the attacker is said to have used or hit is detail of the same act
    return _same(first.actor, later.actor) and (loose or _same(first.recipient, later.recipient))


def absorb(host: Event, other: Event) -> None:
    # Mode and ACLED type are not carried over: a later mention's weapon words describe its own sentence.
    for name in ("actor", "recipient", "date", "location", "fatalities", "injuries"):
        if getattr(host, name) is None and getattr(other, name) is not None:
            setattr(host, name, getattr(other, name))
    known = {s.name for s in host.sources}
    host.sources.extend(s for s in other.sources if s.name not in known)
    host.confidence = min(1.0, host.confidence + 0.05)


def is_backgrounded(ctx: DocContext, ev: Event) -> bool:
    """An event in a temporal clause of another ("... just hours after Trump spoke by phone to ...")."""
    tok = ctx.trigger_of(ev)
    return tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in BACKGROUND_MARKS for c in tok.children)


def agreement(host: Event, ev: Event) -> tuple:
    """How well a candidate host fits: same mode, then a named actor in common, then the most recent."""
    same_mode = bool(host.mode and host.mode == ev.mode)
    same_actor = bool(host.actor and ev.actor and _same(host.actor, ev.actor))
    return (same_mode, same_actor, host.sentence_span[0])


def merge_mentions(ctx: DocContext, events: list[Event]) -> list[Event]:
    """Events in text order; repeated mentions merged into the closest compatible event that is reported
    in its own right (earlier ones first, then later ones for a backgrounded first mention)."""
    ordered = sorted(events, key=lambda e: (e.sentence_span[0], e.trigger_span or (0, 0)))
    mention = {id(e): is_definite_mention(ctx, e) or is_backgrounded(ctx, e) for e in ordered}
    kept: list[Event] = []
    for i, ev in enumerate(ordered):
        if not mention[id(ev)]:
            kept.append(ev)
            continue
        # a definite mention may name the target differently ("eight people" / "a compound used by militants")
        earlier = [k for k in kept if compatible(k, ev, loose=True)]
        host = max(earlier, key=lambda k: agreement(k, ev), default=None)
        if host is None and is_backgrounded(ctx, ev) and ev.event_type in FORWARD_MERGE_TYPES:
            host = next((k for k in ordered[i + 1:] if not mention[id(k)] and compatible(k, ev, loose=True)), None)
        if host is None:
            kept.append(ev)
        else:
            absorb(host, ev)
    return kept

"""Event finding: trigger words -> PLOVER type and mode; actor and recipient from the dependency parse.

For each sentence: match trigger lemmas (data/triggers.yaml), check each match's constraint on the parse, drop
triggers that name no event of their own (modifiers, "the sound of gunfire", restatements, commentary), find
actor and recipient from the parse so that "X attacked Y" and "Y was attacked by X" agree, and merge triggers of
one happening ("30 attacks that killed four civilians") into one event.
"""
from __future__ import annotations

import logging
from dataclasses import replace

from ..model import Event
from .context import DocContext
from .event_filters import EventFilters
from .lexicon import Lexicon, load_lexicon
from .parse import (OBJECT_DEPS, SUBJECT_DEPS, TOLL_VERBS, WEAPON_INDEPENDENT_ACLED, Match, depth, in_quotes, is_ancestor,
                    lemma)
from .roles import RoleFinding, compatible_actor, governing_verb, split_pair
from .triggers import TriggerMatching, contains_phrase

LOGGER = logging.getLogger(__name__)


class EventFinder(TriggerMatching, EventFilters, RoleFinding):
    """Finds events in a parsed article; the lexicon is loaded once. Trigger matching, filtering and role finding
    live in their own modules (triggers.py, event_filters.py, roles.py); this class builds and merges events."""

    def __init__(self, lexicon: Lexicon | None = None):
        self.lex = lexicon or load_lexicon()

    def __call__(self, ctx: DocContext) -> list[Event]:
        events: list[Event] = []
        for sent_index, sent in enumerate(ctx.sents):
            if self.is_commentary(sent):
                continue
            matches = []
            for m in self.match_triggers(sent):
                if not self.satisfies(m):
                    continue
                if self.names_event(m):
                    matches.append(m)
                else:
                    ctx.no_event_words.add(m.head.i)
            ctx.no_event_words.update(self.enactments(sent))
            matches = self.drop_embedded(matches)
            sent_events = [self.make_event(ctx, sent, sent_index, m) for m in matches]
            requests = self.obligation_requests(ctx, sent, sent_index)
            # what one party says another must do is the content of a request, not an event of its own
            demanded = {e.trigger_index for e in requests}
            sent_events = [e for e in sent_events if e.trigger_index not in demanded] + requests
            events.extend(self.merge_in_sentence(ctx, sent_events))
        return events

    # ---- building events ---------------------------------------------------------------------------------

    def make_event(self, ctx: DocContext, sent, sent_index: int, m: Match) -> Event:
        doc = ctx.doc
        entry = m.entry
        event_type = entry.event_type
        actor_tok, recipient_tok = self.find_roles(m.head, event_type, m)
        trig = doc[m.start:m.end]
        intent = self.stated_intent(m.head)
        if intent == "conditional" and event_type not in ("AGREE", "CONSULT", "THREATEN", "REJECT", "REQUEST", "ACCUSE"):
            event_type = "THREATEN"
        elif intent and event_type in self.lex.to_agree:
            event_type = "AGREE"
        elif intent and event_type in self.lex.to_threaten:
            event_type = "THREATEN"
        stopped = event_type in ("AID", "COOPERATE", "CONSULT") and m.head.dep_ in OBJECT_DEPS \
            and lemma(m.head.head) in self.lex.stop_verbs
        if stopped:
            event_type = "SANCTION"
        elif event_type == "COERCE" and lemma(m.head) in self.lex.sentencing_verbs and actor_tok is not None \
                and lemma(actor_tok) in self.lex.courts:
            # "a court jailed the businessman for five years": a conviction, not an arrest
            event_type = "SANCTION"
            entry = replace(entry, mode="convict", cameo="173", acled=None)
        elif event_type == "COERCE" and lemma(m.head) in self.lex.stop_verbs and self.stops_cooperation(m.head):
            # "suspended part of a military aid program": a cooperation stopped is a sanction, not repression
            event_type = "SANCTION"
            entry = replace(entry, mode="withdraw", cameo="16", acled=None)
        ev = Event(
            article_id=ctx.article.id,
            event_type=event_type,
            sentence=sent.text,
            sentence_span=(sent.start_char, sent.end_char),
            trigger_text=trig.text,
            trigger_span=(trig.start_char, trig.end_char),
            mode=entry.mode,
            context=list(entry.context),
            acled_sub_event_type=entry.acled,
            cameo_code=entry.cameo,
            confidence=entry.confidence,
            sent_index=sent_index,
            trigger_index=m.head.i,
            stated_intent=bool(intent) and event_type != entry.event_type,
            clause_depth=self.clause_depth(m.head),
            phrase_depth=sum(1 for a in [m.head, *m.head.ancestors] if a.dep_ == "pobj"),
        )
        if stopped:
            ev.mode, ev.cameo_code, ev.acled_sub_event_type = "discontinue", "16", None
            ev.trigger_index = m.head.head.i
            ev.trigger_text = m.head.head.text
            ev.trigger_span = (m.head.head.idx, m.head.head.idx + len(m.head.head.text))
            actor_tok, recipient_tok = self.find_roles(m.head.head, event_type)
            ev.actor = self.participant(ctx, actor_tok)
            if recipient_tok is not None:
                ev.recipient = self.participant(ctx, recipient_tok)
        if ev.stated_intent:
            ev.mode = "violence" if event_type == "THREATEN" else None
            ev.acled_sub_event_type = None
            ev.cameo_code = "130" if event_type == "THREATEN" else "030"
            ev.context = []
        ev.actor = self.participant(ctx, actor_tok)
        ev.recipient = self.participant(ctx, recipient_tok)
        if ev.actor is not None and ev.recipient is None and event_type in self.lex.symmetric_types:
            ev.actor, ev.recipient = split_pair(ev.actor)
        if ev.actor is not None and ev.recipient is not None and ev.actor.span == ev.recipient.span:
            ev.recipient = None
        if event_type == "ASSAULT" and not ev.stated_intent:
            self.refine_mode(ev, sent)
        elif event_type == "CONSULT" and ev.mode is None:
            ev.mode = consult_mode(sent)
        if ev.actor is not None:
            ev.confidence = min(1.0, ev.confidence + 0.1)
        if ev.recipient is not None:
            ev.confidence = min(1.0, ev.confidence + 0.05)
        return ev

    def obligation_requests(self, ctx: DocContext, sent, sent_index: int) -> list[Event]:
        """'X said Y must/should do Z' (or the same in a quote) is a REQUEST by X to Y."""
        out = []
        for tok in sent:
            if tok.dep_ != "aux" or tok.lower_ not in self.lex.obligation_modals:
                continue
            verb = tok.head
            speech = verb.dep_ in ("ccomp", "acl") and (lemma(verb.head) in self.lex.reporting_verbs
                                                        or lemma(verb.head) in self.lex.announcers
                                                        or lemma(verb.head) in ("reminder", "demand", "warning"))
            if not (speech or in_quotes(verb)):
                continue
            subj = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
            if subj is None or subj.lower_ in ("i", "we", "you"):
                continue
            speaker = None
            if speech:
                speaker_verb = verb.head
                while speaker_verb.pos_ == "NOUN" and speaker_verb.head.i != speaker_verb.i:
                    speaker_verb = speaker_verb.head
                speaker = next((c for c in speaker_verb.children if c.dep_ in SUBJECT_DEPS), None)
            ev = Event(
                article_id=ctx.article.id, event_type="REQUEST", sentence=sent.text,
                sentence_span=(sent.start_char, sent.end_char), trigger_text=f"{tok.text} {verb.text}",
                trigger_span=(tok.idx, verb.idx + len(verb.text)), cameo_code="10", confidence=0.55,
                sent_index=sent_index, trigger_index=verb.i, clause_depth=self.clause_depth(verb),
            )
            ev.actor = self.participant(ctx, speaker)
            ev.recipient = self.participant(ctx, subj)
            out.append(ev)
        return out

    def stated_intent(self, head):
        """'conditional' ("will withdraw unless ..."), True ("will support", "plans to impose") or False."""
        if head.pos_ in ("NOUN", "PROPN") and head.dep_ in OBJECT_DEPS and head.head.pos_ == "VERB":
            head = head.head        # "will extend the curfew", "is prepared to impose martial law"
        if head.pos_ not in ("VERB", "AUX"):
            return False
        node, modal = head, False
        for _ in range(3):
            kids = list(node.children)
            if any(c.dep_ == "aux" and c.lower_ in self.lex.intent_modals for c in kids):
                modal = True
            infinitive = node.dep_ == "xcomp" or (node.dep_ == "advcl" and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in kids))      # "have sworn to fight" (misparsed)
            if infinitive and lemma(node.head) in self.lex.intent_verbs:
                modal = True
            if node.dep_ != "xcomp":
                break
            node = node.head
        if not modal:
            return False
        for tok in node.subtree:
            if tok.dep_ == "mark" and tok.lower_ in self.lex.conditional_marks and tok.head.i != node.i:
                return "conditional"
        return True

    def clause_depth(self, tok) -> int:
        """Clauses between the trigger and the main verb, not counting verbs of saying."""
        depth = 0
        node = tok
        while node.head.i != node.i:
            if node.dep_ in ("ccomp", "xcomp", "advcl", "relcl", "acl", "pcomp", "csubj") \
                    and lemma(node.head) not in self.lex.reporting_verbs:
                depth += 1
            node = node.head
        return depth

    def refine_mode(self, ev: Event, sent) -> None:
        """The ASSAULT mode from weapon cues in the sentence; a specific trigger mode stands unless outranked."""
        if ev.acled_sub_event_type in WEAPON_INDEPENDENT_ACLED:
            return
        words = [lemma(t) for t in sent]
        lowers = [t.lower_ for t in sent]
        vocabulary = set(words) | set(lowers)
        ranks = [wm.mode for wm in self.lex.weapon_modes]
        for rank, wm in enumerate(self.lex.weapon_modes):
            if any(cue[0] in vocabulary and (len(cue) == 1 or contains_phrase(words, cue) or contains_phrase(lowers, cue))
                   for cue in wm.cues):
                current = ranks.index(ev.mode) if ev.mode in ranks else len(ranks)
                if rank < current or ev.mode is None or ev.mode in ("firearms",):
                    if ev.mode in ("abduct", "sexual", "destroy", "beat") and wm.mode in ("firearms", "primitive"):
                        return
                    ev.mode = wm.mode
                    # a weapon cue outranks the generic reading of the trigger, not a specific one
                    if wm.acled and (ev.acled_sub_event_type is None or rank < current):
                        ev.acled_sub_event_type = wm.acled
                return

    # ---- merging -----------------------------------------------------------------------------------------

    def merge_in_sentence(self, ctx: DocContext, events: list[Event]) -> list[Event]:
        """Triggers of one type linked in the parse ("30 attacks that have killed four civilians and wounded 18")
        report one happening: keep the governing trigger and fill its gaps from the others."""
        doc = ctx.doc
        kept: list[Event] = []
        for ev in sorted(events, key=lambda e: depth(doc[e.trigger_index])):
            host = None
            for k in kept:
                if k.event_type != ev.event_type:
                    continue
                frame = self.report_frame(doc[k.trigger_index])
                other_frame = self.report_frame(doc[ev.trigger_index])
                if (is_ancestor(doc[k.trigger_index], doc[ev.trigger_index])
                        or is_ancestor(governing_verb(doc[k.trigger_index]), doc[ev.trigger_index])
                        or (frame is not None and other_frame is not None and frame.i == other_frame.i)) \
                        and compatible_actor(k, ev):
                    host = k
                    break
            if host is None:
                kept.append(ev)
                continue
            if host.actor is None:
                host.actor = ev.actor
            if host.recipient is None and (ev.recipient is None or ev.actor is None
                                           or host.actor is None or ev.recipient.span != host.actor.span):
                host.recipient = ev.recipient
            if host.mode is None or (ev.mode and host.mode == "firearms" and ev.mode != "firearms"):
                host.mode = ev.mode
            if host.acled_sub_event_type is None:
                host.acled_sub_event_type = ev.acled_sub_event_type
            host.confidence = min(1.0, max(host.confidence, ev.confidence) + 0.05)
        return self.merge_tolls(ctx, kept)

    def report_frame(self, tok):
        """The outermost of linked reporting verbs a trigger is told under: in "residents told reporters a strike
        killed 11, while the military said it had targeted militants" both acts are accounts of one strike."""
        while tok.dep_ in ("ccomp", "conj") and tok.head.i != tok.i and lemma(tok.head) not in self.lex.reporting_verbs:
            tok = tok.head
        if tok.dep_ != "ccomp" or lemma(tok.head) not in self.lex.reporting_verbs:
            return None
        frame = tok.head
        while frame.dep_ in ("advcl", "conj") and lemma(frame.head) in self.lex.reporting_verbs:
            frame = frame.head
        return frame

    def merge_tolls(self, ctx: DocContext, events: list[Event]) -> list[Event]:
        """A toll stated beside an attack in one sentence is that attack's toll, even where the parse does not
        link them: "Gunmen stormed the hotel; 20 people were killed". An actor-less killing joins the sentence's
        other ASSAULT (the first one that is not itself a bare toll)."""
        doc = ctx.doc
        attacks = [e for e in events if e.event_type == "ASSAULT"
                   and lemma(doc[e.trigger_index]) not in TOLL_VERBS]
        if not attacks:
            return events
        kept = []
        for ev in events:
            if ev.event_type == "ASSAULT" and ev.actor is None and lemma(doc[ev.trigger_index]) in TOLL_VERBS \
                    and ev not in attacks:
                host = attacks[0]
                if host.recipient is None:
                    host.recipient = ev.recipient
                continue
            kept.append(ev)
        return kept



CONSULT_MODE_CUES = (("phone", ("phone", "telephone", "call", "video", "videoconference")),
                     ("visit", ("visit", "trip", "arrive", "travel", "tour")),
                     ("multilateral", ("summit", "conference", "forum")))


def consult_mode(sent):
    lemmas = {t.lemma_.lower() for t in sent}
    for mode, cues in CONSULT_MODE_CUES:
        if lemmas.intersection(cues):
            return mode
    return None

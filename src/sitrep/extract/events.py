"""Event finding: trigger words -> PLOVER type and mode; actor and recipient from the dependency parse.

For each sentence: match trigger lemmas (data/triggers.yaml), check each match's constraint on the parse, drop
triggers that name no event of their own (modifiers, "the sound of gunfire", restatements, commentary), find
actor and recipient from the parse so that "X attacked Y" and "Y was attacked by X" agree, and merge triggers of
one happening ("30 attacks that killed four civilians") into one event.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Optional

from ..nlp import entities_before, entity_at
from ..model import Event, Participant
from .context import DocContext
from .lexicon import Lexicon, TriggerEntry, load_lexicon

LOGGER = logging.getLogger(__name__)

SUBJECT_DEPS = {"nsubj", "csubj"}
PASSIVE_SUBJECT_DEPS = {"nsubjpass", "csubjpass"}
OBJECT_DEPS = {"dobj", "obj"}
MODAL_WORDS = {"will", "would", "shall", "'ll", "wo"}
RELATIVE_PRONOUNS = {"that", "who", "which", "whom"}
GROUP_PRONOUNS = {"it", "they", "them", "its", "their"}
THEME_OBJECT_TYPES = {"AID"}
# Verbs that state a toll rather than an act: "20 people were killed".
TOLL_VERBS = {"kill", "wound", "injure", "die", "hurt", "maim"}
PURPOSE_VERBS = {"demand", "protest", "denounce", "condemn", "oppose", "urge", "press", "call"}
# ACLED types the trigger word settles whatever weapon is named ("captured five villages" near "chemical attack").
WEAPON_INDEPENDENT_ACLED = {"Government regains territory", "Non-state actor overtakes territory",
                            "Abduction/forced disappearance", "Sexual violence", "Looting/property destruction",
                            "Disrupted weapons use", "Protest with intervention"}
NP_LEFT_DEPS = {"compound", "amod", "nmod", "poss", "nummod", "quantmod", "npadvmod", "case"}
ENTITY_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"}
VERBAL_TYPES = {"AGREE", "REQUEST", "ACCUSE", "SUPPORT", "CONCEDE", "REJECT", "THREATEN", "CONSULT"}


@dataclass
class Match:
    entry: TriggerEntry
    start: int          # token index of the first token of the phrase
    end: int            # exclusive
    head: object        # spaCy Token: the phrase token whose head lies outside the phrase


def lemma(tok) -> str:
    return tok.lemma_.lower()


def lemma_forms(tok) -> set[str]:
    """The lemma and plain de-inflections of the word: the small model lemmatises "staged" as "stag"."""
    low = tok.lower_
    forms = {lemma(tok), low}
    if low.endswith("ed"):
        forms.update((low[:-1], low[:-2]))
    elif low.endswith("s"):
        forms.add(low[:-1])
    return forms


class EventFinder:
    """Finds events in a parsed article; the lexicon is loaded once."""

    def __init__(self, lexicon: Lexicon | None = None):
        self.lex = lexicon or load_lexicon()

    def __call__(self, ctx: DocContext) -> list[Event]:
        events: list[Event] = []
        for sent_index, sent in enumerate(ctx.sents):
            if self.is_commentary(sent):
                continue
            matches = [m for m in self.match_triggers(sent) if self.satisfies(m) and self.names_event(m)]
            matches = self.drop_embedded(matches)
            sent_events = [self.make_event(ctx, sent, sent_index, m) for m in matches]
            requests = self.obligation_requests(ctx, sent, sent_index)
            # what one party says another must do is the content of a request, not an event of its own
            demanded = {e.trigger_index for e in requests}
            sent_events = [e for e in sent_events if e.trigger_index not in demanded] + requests
            events.extend(self.merge_in_sentence(ctx, sent_events))
        return events

    # ---- trigger matching -------------------------------------------------------------------------------

    def match_triggers(self, sent) -> list[Match]:
        doc = sent.doc
        matches: list[Match] = []
        i = sent.start
        while i < sent.end:
            tok = doc[i]
            found = None
            for key in {lemma(tok), tok.lower_}:
                for entry in self.lex.triggers.get(key, ()):
                    n = len(entry.phrase)
                    if n == 1:
                        if tok.pos_ in entry.pos or (not entry.pos):
                            found = found or Match(entry, i, i + 1, tok)
                        continue
                    toks = phrase_tokens(doc, i, sent.end, entry.phrase)
                    if toks and (found is None or (found.end - found.start) < toks[-1].i + 1 - i):
                        found = Match(entry, i, toks[-1].i + 1, phrase_head(toks))
            if found is None:
                i += 1
                continue
            # Alternatives for the same head word (e.g. "strike" as ASSAULT or PROTEST) are all kept here;
            # constraints choose among them in satisfies().
            alts = [found]
            if found.end - found.start == 1 or found.entry.unless:
                alts = [Match(e, i, i + 1, tok) for key in {lemma(tok), tok.lower_}
                        for e in self.lex.triggers.get(key, ()) if len(e.phrase) == 1 and tok.pos_ in e.pos]
                alts = list({(m.entry.event_type, m.entry.mode, m.entry.needs): m for m in alts}.values())
            matches.append(self.choose(alts))
            i = found.end
        return [m for m in matches if m is not None]

    def choose(self, alts: list[Match]) -> Optional[Match]:
        """Among readings of one word, the first whose constraint holds; constrained readings before free ones."""
        ordered = sorted(alts, key=lambda m: m.entry.needs is None)
        for m in ordered:
            if m.entry.unless and any(t.lower_ in m.entry.unless for t in m.head.sent):
                continue
            if self.satisfies(m):
                return m
        return None

    # ---- constraints --------------------------------------------------------------------------------------

    def satisfies(self, m: Match) -> bool:
        needs = m.entry.needs
        head = m.head
        if needs is None:
            return True
        kids = list(head.children)
        obj = next((c for c in kids if c.dep_ in OBJECT_DEPS), None)
        if needs == "object":
            return obj is not None or any(c.dep_ == "prep" for c in kids) if head.pos_ == "VERB" else True
        if needs == "no_object":
            return obj is None
        if needs.startswith("prep:"):
            preps = set(needs[5:].split("|"))
            return any(c.dep_ in ("prep", "dative") and c.lower_ in preps for c in kids) or (
                m.end - m.start > 1 and any(w in preps for w in m.entry.phrase))
        if needs == "modal":
            return has_modal(head)
        if needs == "person_object":
            target = obj or next((c for c in kids if c.dep_ == "nsubjpass"), None)
            return target is not None and self.is_people(target)
        if needs == "place_object":
            target = obj or next((c for c in kids if c.dep_ == "nsubjpass"), None)
            if target is None:
                return False
            return target.ent_type_ in ("GPE", "LOC", "FAC") or lemma(target) in self.lex.place_nouns
        if needs == "complement":
            # a noun's that-clause is an acl to spaCy: "the demand that Israel ease restrictions"
            return any(c.dep_ in ("xcomp", "ccomp") or (c.dep_ == "prep" and c.lower_ == "to") or (
                head.pos_ == "NOUN" and c.dep_ == "acl" and any(g.dep_ == "mark" and g.lower_ == "that"
                                                               for g in c.children)) for c in kids) \
                or obj is not None
        if needs == "partner":
            if head.dep_ in OBJECT_DEPS and not lemma_forms(head.head).isdisjoint(self.lex.light_verbs):
                # "gave a warm welcome to X", "held talks with X": the partner hangs on the light verb
                kids = kids + [c for c in head.head.children if c.dep_ in ("prep", "dative")]
            if obj is not None or any(c.dep_ in ("prep", "dative") and c.lower_ in ("with", "between", "to")
                                      for c in kids):
                return True
            subj = next((c for c in kids if c.dep_ in SUBJECT_DEPS), None)
            if subj is not None and any(c.dep_ == "conj" for c in subj.children):
                return True
            # a nominal "talks"/"meeting" modified by a hyphenated pair ("U.S.-Taliban talks")
            return head.pos_ == "NOUN" and any(c.dep_ in ("compound", "amod") and c.ent_type_ for c in kids)
        if needs == "aid_object":
            if head.pos_ != "VERB":
                return True
            return obj is not None and (lemma(obj) in self.lex.aid_goods or any(
                lemma(t) in self.lex.aid_goods for t in obj.subtree))
        if needs in ("weapon_object", "base_object"):
            target = obj or next((c for c in kids if c.dep_ == "nsubjpass"), None)
            nouns = self.lex.weapon_nouns if needs == "weapon_object" else self.lex.base_nouns
            return target is not None and any(lemma(t) in nouns or t.lower_ in nouns for t in target.subtree)
        if needs == "visit":
            # "arrived in Amman on a visit", "flew to Cairo for talks": travel made for a meeting
            return any(c.dep_ == "prep" and c.lower_ in ("on", "for") and any(
                g.dep_ == "pobj" and lemma(g) in self.lex.visit_nouns for g in c.children) for c in kids)
        if needs == "stopped_cooperation":
            return self.stops_cooperation(head)
        if needs == "announced":
            return any(lemma(a) in self.lex.announcers for a in head.ancestors)
        return True

    def stops_cooperation(self, head) -> bool:
        """Does the object (or of-phrase) of a stopping word name aid or cooperation ("suspension of air links")?"""
        targets = [c for c in head.children if c.dep_ in OBJECT_DEPS]
        targets += [g for c in head.children if c.dep_ == "prep" and c.lower_ == "of"
                    for g in c.children if g.dep_ == "pobj"]
        return any(lemma(t) in self.lex.cooperation_nouns or lemma(t) in self.lex.aid_goods
                   for target in targets for t in target.subtree)

    def is_people(self, tok) -> bool:
        if tok.ent_type_ in ("PERSON", "NORP", "ORG"):
            return True
        if lemma(tok) in self.lex.people_nouns:
            return True
        return any(lemma(c) in self.lex.people_nouns for c in tok.children if c.dep_ in ("compound", "amod"))

    # ---- filters -----------------------------------------------------------------------------------------

    def is_commentary(self, sent) -> bool:
        for tok in sent:
            if lemma(tok) in self.lex.opinion_verbs and tok.pos_ == "VERB":
                subj = next((c for c in tok.children if c.dep_ in SUBJECT_DEPS), None)
                if subj is not None and subj.lower_ in self.lex.opinion_subjects and not in_quotes(tok):
                    return True
        return False

    def names_event(self, m: Match) -> bool:
        head = m.head
        if head.pos_ in ("NOUN", "PROPN"):
            # a modifier of another noun: "attack helicopter", "protest movement" (not "rape incidents")
            if head.dep_ in ("compound", "amod") and head.head.i >= m.end \
                    and lemma(head.head) not in self.lex.event_container_nouns:
                return False
            # "the sound of gunfire", "the threat of violence"
            if head.dep_ == "pobj" and head.head.lower_ == "of" and lemma(head.head.head) in self.lex.non_event_governors:
                return False
            # "This was a defensive strike": a restatement of an event already reported
            if head.dep_ == "attr" and lemma(head.head) == "be":
                subj = next((c for c in head.head.children if c.dep_ in SUBJECT_DEPS), None)
                if subj is not None and subj.pos_ in ("PRON", "DET"):
                    return False
        else:
            if head.dep_ in ("amod", "compound"):
                return False        # "long-threatened invasion"
            if any(c.dep_ == "mark" and c.lower_ in self.lex.non_event_marks for c in head.children):
                return False
            if m.entry.event_type == "ACCUSE" and lemma(head) in self.lex.reporting_verbs and any(
                    c.dep_ == "ccomp" for c in head.children):
                return False        # "a rights group charged that soldiers abused ...": a report, not the event
            obj = next((c for c in head.children if c.dep_ in OBJECT_DEPS), None)
            if obj is not None and obj.lower_ in self.lex.reflexive_objects and m.entry.mode != "suicide-attack":
                return False
            subj = next((c for c in head.children if c.dep_ in SUBJECT_DEPS), None)
            if subj is not None and any(lemma(t) in self.lex.natural_forces for t in subject_words(subj)):
                return False        # "floods hit parts of Japan", "an outbreak of cholera killed 40": no one acted
            # "the right to defend", "the ability to strike"
            if head.dep_ in ("acl", "xcomp") and lemma(head.head) in self.lex.non_event_governors \
                    and head.head.pos_ == "NOUN":
                return False
        return True

    def drop_embedded(self, matches: list[Match]) -> list[Match]:
        """Remove triggers inside the complement of a verbal trigger whose policy is `suppress`."""
        kept = []
        for m in matches:
            suppressed = False
            for other in matches:
                policy = self.lex.embedded.get(other.entry.event_type)
                if other.head.i == m.head.i or policy not in ("suppress", "keep-named"):
                    continue
                if other.entry.event_type == m.entry.event_type:
                    continue
                if other.head.dep_ == "acl":
                    continue    # "a suspect accused of killing a man": a description, the killing is the news
                if self.in_complement(m.head, other.head, alleged_only=policy == "keep-named"):
                    suppressed = True
                    break
            if not suppressed:
                kept.append(m)
        return kept

    def in_complement(self, tok, governor, alleged_only: bool = False) -> bool:
        """True when `tok` sits below `governor` through a complement (not an adjunct) dependency; with
        `alleged_only`, only through "of"/"for" ("accused X of backing", "blamed Y for the blast")."""
        node = tok
        while node.head.i != node.i:
            if node.head.i == governor.i:
                if alleged_only:
                    return node.dep_ == "prep" and node.lower_ in ("of", "for")
                if node.dep_ not in self.lex.complement_deps:
                    return False
                if node.dep_ == "prep" and node.lower_ in self.lex.adjunct_preps:
                    return False
                return True
            node = node.head
        return False

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

    def find_roles(self, head, event_type: str, m: Optional[Match] = None):
        """(actor token, recipient token) for a trigger head; either may be None."""
        kids = list(head.children)
        actor = recipient = None
        preps = m.entry.recipient_preps if m is not None and m.entry.recipient_preps else \
            self.lex.recipient_preps_for(event_type)

        if head.pos_ in ("VERB", "AUX", "ADJ"):
            passive = any(c.dep_ in PASSIVE_SUBJECT_DEPS or c.dep_ == "auxpass" for c in kids) or (
                # "six people were killed and dozens wounded": the second participle shares the passive
                head.dep_ == "conj" and head.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass") for c in kids)
                and any(c.dep_ == "auxpass" for c in head.head.children))
            subj = next((c for c in kids if c.dep_ in SUBJECT_DEPS), None)
            pass_subj = next((c for c in kids if c.dep_ in PASSIVE_SUBJECT_DEPS), None)
            obj = next((c for c in kids if c.dep_ in OBJECT_DEPS), None)
            agent = next((c for c in kids if c.dep_ == "agent"), None)
            stative = passive and agent is None and event_type in VERBAL_TYPES and any(
                c.dep_ in ("xcomp", "ccomp") or (c.dep_ == "prep" and c.lower_ == "to") for c in kids)
            if stative:
                # "the group is committed to ...", "X is prepared to ...": the subject acts
                actor = pass_subj
                recipient = obj
            elif passive:
                recipient = pass_subj
                if agent is not None:
                    actor = next((c for c in agent.children if c.dep_ == "pobj"), None)
            else:
                actor = subj
                recipient = obj
            if actor is None and not passive:
                actor = inherited_subject(head)
            if actor is not None and actor.lower_ in RELATIVE_PRONOUNS and head.dep_ != "relcl":
                actor = relative_antecedent(actor)
            if head.dep_ == "acl" and head.head.pos_ in ("NOUN", "PROPN") and recipient is None:
                # "a convoy ambushed by gunmen"
                recipient = head.head
            if head.dep_ == "relcl" and actor is not None and actor.lower_ in RELATIVE_PRONOUNS:
                actor = head.head
            if recipient is None:
                recipient = prep_object(kids, preps)
            if recipient is None:
                dative = next((c for c in kids if c.dep_ == "dative"), None)
                if dative is not None:
                    recipient = next((c for c in dative.children if c.dep_ == "pobj"), dative)
        else:
            poss = next((c for c in kids if c.dep_ == "poss"), None)
            by = next((c for c in kids if c.dep_ == "prep" and c.lower_ == "by"), None)
            if by is not None:
                actor = next((c for c in by.children if c.dep_ == "pobj"), None)
            if actor is None and poss is not None:
                actor = poss
            mods = [c for c in kids if c.dep_ in ("compound", "amod", "nmod") and c.i < head.i
                    and (c.ent_type_ in ENTITY_LABELS or c.pos_ == "PROPN")]
            if actor is None and mods:
                actor = mods[0]
                # "a U.S.-Taliban deal": the second member of a hyphenated pair is the counterpart
                if len(mods) > 1 and event_type in self.lex.symmetric_types:
                    recipient = mods[1]
            if recipient is None:
                recipient = prep_object(kids, preps)
            if actor is None and head.dep_ in OBJECT_DEPS | {"nsubjpass"} \
                    and not lemma_forms(head.head).isdisjoint(self.lex.light_verbs):
                verb = head.head
                if head.dep_ == "nsubjpass":
                    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
                    actor = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
                else:
                    actor = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None) or inherited_subject(verb)
                if recipient is None:
                    recipient = prep_object(list(verb.children), preps)
            if actor is None and head.dep_ == "pobj" and head.head.lower_ in ("in", "into") \
                    and lemma(head.head.head) in self.lex.participation_verbs:
                verb = head.head.head
                actor = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS), None)
            if head.dep_ in SUBJECT_DEPS and lemma(head.head) in self.lex.effect_verbs:
                recipient = next((c for c in head.head.children if c.dep_ in OBJECT_DEPS), None)
            if recipient is None:
                recipient = prep_object(kids, preps)
            if actor is not None and actor.lower_ in RELATIVE_PRONOUNS:
                actor = None

        if recipient is not None and m is not None and m.start <= recipient.i < m.end \
                and not self.names_party(recipient):
            # a phrase trigger's own noun ("issued a stern reminder to Iraq") is not its target
            trigger_kids = [c for t in head.doc[m.start:m.end] for c in t.children]
            recipient = prep_object(trigger_kids, preps) or next(
                (g for c in trigger_kids if c.dep_ == "dative" for g in c.children if g.dep_ == "pobj"), None)
        if recipient is not None and event_type == "ASSAULT" and head.pos_ == "VERB" \
                and recipient.dep_ in OBJECT_DEPS and lemma(recipient) in self.lex.weapon_nouns:
            # "fired tear gas at the crowd", "fired rockets to disperse protesters", "launched artillery and
            # rocket fire against camps": the weapon is not the target
            recipient = prep_object(kids, preps) or prep_object(
                [c for t in recipient.subtree for c in t.children], preps) or self.purpose_object(head)
        if recipient is None and event_type == "REQUEST":
            recipient = self.addressee_of_demand(head, m)
        if event_type == "SANCTION" and (recipient is None or not self.names_party(recipient)):
            # "a suspension of air links with Serbia", "cut aid to the regime": the partner of what is stopped
            recipient = next((g for t in head.subtree if t.dep_ == "prep" and t.lower_ in ("with", "to", "for")
                              and (t.head.i == head.i or lemma(t.head) in self.lex.cooperation_nouns
                                   or lemma(t.head) in self.lex.aid_goods)
                              for g in t.children if g.dep_ == "pobj"), recipient)
        if recipient is not None and recipient.pos_ == "NOUN" and lemma(recipient) in self.lex.message_nouns:
            # "rejected an offer from Kabul", "welcomed President X's statement": the author is the counterpart
            recipient = self.party_of(recipient) or recipient
        if recipient is not None and recipient.pos_ == "NOUN" and self.is_event_noun(recipient):
            # "resumed operations against X": the target of the activity, when it is named
            recipient = prep_object(list(recipient.children), preps) or (
                None if event_type in ("AGREE", "CONSULT", "COOPERATE") else recipient)
        if event_type in THEME_OBJECT_TYPES and head.pos_ == "VERB":
            # "donated ten million dollars to flood victims": the object is what is given
            recipient = prep_object(kids, preps) or recipient
        if recipient is None and event_type in ("PROTEST", "REQUEST", "ASSAULT"):
            recipient = self.target_in_purpose(head)
        if actor is not None and actor.pos_ == "NOUN" and self.is_event_noun(actor):
            actor = None
        if actor is not None:
            actor = of_object(actor)
        if recipient is not None:
            recipient = of_object(recipient)
        if event_type in self.lex.symmetric_types and actor is not None and recipient is None:
            conj = next((c for c in actor.children if c.dep_ == "conj"), None)
            if conj is not None:
                recipient = conj
        return actor, recipient

    def purpose_object(self, head):
        """The object of a purpose clause: "fired tear gas to disperse the crowd" -> crowd."""
        for c in head.children:
            if c.dep_ in ("xcomp", "advcl") and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children):
                obj = next((g for g in c.children if g.dep_ in OBJECT_DEPS), None)
                if obj is not None:
                    return obj
        return None

    def addressee_of_demand(self, head, m: Optional[Match]):
        """Who is told to act, when no object names them: the subject of the demanded clause ("demanding that
        President X abandon the policy", "a reminder to Iraq that it must cooperate")."""
        tokens = head.doc[m.start:m.end] if m is not None else [head]
        for tok in tokens:
            for clause in tok.children:
                if clause.dep_ not in ("ccomp", "acl"):
                    continue
                subj = next((c for c in clause.children if c.dep_ in SUBJECT_DEPS), None)
                if subj is not None and subj.lower_ not in ("i", "we", "it", "there", "this", "that") or (
                        subj is not None and subj.lower_ == "it" and previous_group(head.doc, subj) is not None):
                    return subj
        return None

    def names_party(self, tok) -> bool:
        """A person, group, organisation or country, as opposed to a thing ("a fresh offer", "the plan")."""
        return tok.ent_type_ in ENTITY_LABELS or tok.pos_ == "PROPN" or self.is_people(tok)

    def party_of(self, thing):
        """The party a thing belongs to: "Sweden's decision", "the resignation of President X"."""
        for c in thing.children:
            if c.dep_ == "poss" and c.pos_ != "PRON":
                return c
            if c.dep_ == "prep" and c.lower_ in ("of", "by", "from"):
                pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if pobj is not None and self.names_party(pobj):
                    return pobj
        return None

    def target_in_purpose(self, head):
        """Whom a protest or demand is aimed at, when no object names it: "rallies against the party's leader",
        "a hunger strike to demand the resignation of President X", "to protest President Y's failure"."""
        for tok in head.subtree:
            if tok.i == head.i:
                continue
            if tok.dep_ == "prep" and tok.lower_ == "against" and tok.head.i == head.i or (
                    tok.dep_ == "prep" and tok.lower_ == "against" and lemma(tok.head) in PURPOSE_VERBS):
                pobj = next((g for g in tok.children if g.dep_ == "pobj"), None)
                if pobj is not None:
                    return pobj if self.names_party(pobj) else (self.party_of(pobj) or pobj)
            if tok.dep_ in ("xcomp", "advcl", "acl", "relcl") and lemma(tok) in PURPOSE_VERBS:
                obj = next((c for c in tok.children if c.dep_ in OBJECT_DEPS), None)
                if obj is not None:
                    return obj if self.names_party(obj) else self.party_of(obj)
        return None

    def is_event_noun(self, tok) -> bool:
        return lemma(tok) in self.lex.activity_nouns or any(
            len(e.phrase) == 1 and "NOUN" in e.pos for e in self.lex.triggers.get(lemma(tok), ()))

    def participant(self, ctx: DocContext, tok) -> Optional[Participant]:
        if tok is None:
            return None
        if tok.pos_ == "PRON":
            if tok.lower_ in self.lex.person_pronouns:
                antecedent = previous_person(ctx.doc, tok)
                if antecedent is not None:
                    return Participant(text=antecedent.text, span=(antecedent.start_char, antecedent.end_char))
            if tok.lower_ in GROUP_PRONOUNS:
                antecedent = clause_subject(tok) if tok.dep_ == "poss" else None
                antecedent = antecedent or previous_group(ctx.doc, tok)
                if antecedent is not None:
                    return Participant(text=antecedent.text, span=(antecedent.start_char, antecedent.end_char))
            return Participant(text=tok.text, span=(tok.idx, tok.idx + len(tok.text)))
        span = noun_phrase(tok)
        return Participant(text=span.text, span=(span.start_char, span.end_char))

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


# ---- parse helpers (plain functions over spaCy tokens) ---------------------------------------------------

SKIPPABLE_IN_PHRASE = {"det", "poss", "predet", "amod", "nummod", "compound"}


def phrase_tokens(doc, start: int, limit: int, phrase: tuple[str, ...]):
    """The tokens matching `phrase` from `start` on (articles and possessives skipped), or None."""
    toks = []
    j = start
    for k, word in enumerate(phrase):
        # skip modifiers ("cut economic aid"), but not the word sought ("suspended aid deliveries")
        while k > 0 and j < limit and doc[j].dep_ in SKIPPABLE_IN_PHRASE and word not in (lemma(doc[j]), doc[j].lower_):
            j += 1
        if j >= limit:
            return None
        tok = doc[j]
        if word not in (lemma(tok), tok.lower_):
            return None
        toks.append(tok)
        j += 1
    return toks


def phrase_head(toks):
    ids = {t.i for t in toks}
    for t in toks:
        if t.head.i not in ids or t.head.i == t.i:
            return t
    return toks[-1]


def contains_phrase(words: list[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    if n == 1:
        return phrase[0] in words
    return any(tuple(words[i:i + n]) == phrase for i in range(len(words) - n + 1))


def has_modal(tok) -> bool:
    node = tok
    for _ in range(3):
        if any(c.dep_ == "aux" and c.lower_ in MODAL_WORDS for c in node.children):
            return True
        if node.dep_ in ("xcomp", "conj") and node.head.i != node.i:
            node = node.head
        else:
            break
    return False


def inherited_subject(tok):
    """The subject a verb shares with the verb it depends on: "X threatened to attack", "X attacked and killed"."""
    node = tok
    for _ in range(4):
        if node.dep_ not in ("xcomp", "conj", "advcl") or node.head.i == node.i:
            return None
        node = node.head
        subj = next((c for c in node.children if c.dep_ in SUBJECT_DEPS), None)
        if subj is not None:
            return subj
        if node.dep_ == "relcl" and node.head.pos_ in ("NOUN", "PROPN"):
            return node.head
    return None


def prep_object(kids, preps):
    for c in kids:
        # spaCy labels the "to" of "gave a welcome to X" dative rather than prep
        if c.dep_ in ("prep", "dative") and c.lower_ in preps:
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None and pobj.ent_type_ not in ("DATE", "TIME"):
                return pobj
    return None


def of_object(tok):
    """"one of the group's leaders" -> leaders; "dozens of protesters" -> protesters."""
    if tok.pos_ in ("NUM", "PRON", "DET") or tok.lower_ in ("dozens", "hundreds", "thousands", "scores", "some",
                                                              "group", "number", "members", "member", "part"):
        of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        if of is not None:
            pobj = next((c for c in of.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
    return tok


def noun_phrase(tok):
    """The words naming a participant: the entity it belongs to, or the head with its left modifiers."""
    doc = tok.doc
    if tok.ent_type_ in ENTITY_LABELS and tok.ent_iob_ in ("B", "I"):
        ent = entity_at(tok)
        if ent is not None:
            start = ent.start
            # keep a leading modifier chain ("Taliban political leader Abdul Ghani Baradar")
            while start > 0 and doc[start - 1].dep_ in ("compound", "amod") and doc[start - 1].head.i >= start - 1 \
                    and doc[start - 1].head.i < ent.end and doc[start - 1].pos_ in ("PROPN", "NOUN", "ADJ"):
                start -= 1
            return doc[start:ent.end]
    start = tok.i
    for c in tok.lefts:
        if c.dep_ in NP_LEFT_DEPS:
            start = min(start, c.left_edge.i)
    end = tok.i + 1
    # "Ministry of Interior Affairs", "members of the security forces"
    for c in tok.rights:
        if c.dep_ == "prep" and c.lower_ == "of" and (tok.pos_ == "PROPN" or tok.lower_ in ("ministry", "members")):
            end = max(end, c.right_edge.i + 1)
        elif c.dep_ in ("compound", "flat") :
            end = max(end, c.i + 1)
    while start < tok.i and doc[start].dep_ == "case":
        start += 1
    return doc[start:end]


def previous_person(doc, pronoun):
    """The closest PERSON entity before the pronoun (same or earlier sentences)."""
    best = None
    for ent in entities_before(doc, pronoun.i):
        if ent.label_ == "PERSON":
            best = ent
    return best


def in_quotes(tok) -> bool:
    sent = tok.sent
    before = sent.doc.text[sent.start_char:tok.idx]
    return before.count('"') % 2 == 1


def depth(tok) -> int:
    d = 0
    while tok.head.i != tok.i:
        tok = tok.head
        d += 1
    return d


def is_ancestor(anc, tok) -> bool:
    return any(a.i == anc.i for a in tok.ancestors)


def compatible_actor(host: Event, ev: Event) -> bool:
    if host.actor is None or ev.actor is None:
        return True
    if ev.actor.text.lower() in RELATIVE_PRONOUNS or spans_overlap(ev.actor.span, host.trigger_span):
        return True
    a, b = host.actor.text.lower(), ev.actor.text.lower()
    # "a US drone strike killed 11 ... the US military said it had targeted militants"
    return host.actor.span == ev.actor.span or a == b or a in b.split() or b in a.split() \
        or a.startswith(b + " ") or b.startswith(a + " ")


def governing_verb(tok):
    """The verb a nominal trigger is the subject or object of ("began a hunger strike" -> began); else itself."""
    if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ in ("dobj", "nsubj", "nsubjpass", "attr") \
            and tok.head.pos_ in ("VERB", "AUX"):
        return tok.head
    return tok


def spans_overlap(a, b) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def relative_antecedent(tok):
    """The noun a relative pronoun stands for: "fighters who attacked" -> fighters."""
    clause = tok.head
    if clause.dep_ == "relcl":
        return clause.head
    return tok


def subject_words(subj) -> list:
    """A subject's head, its conjuncts and its of-object: "rains and floods", "an outbreak of cholera"."""
    words = [subj] + [c for c in subj.children if c.dep_ == "conj"]
    return words + [g for c in subj.children if c.dep_ == "prep" and c.lower_ == "of"
                    for g in c.children if g.dep_ == "pobj"]


def clause_subject(pronoun):
    """"The union repeated its demand": a possessive is bound by the subject of its clause."""
    verb = pronoun.head
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < pronoun.i
                 and c.pos_ in ("NOUN", "PROPN")), None)
    return noun_phrase(subj) if subj is not None else None


def previous_group(doc, pronoun):
    """The closest organisation, nationality or country named before 'it'/'they' (same or previous sentence)."""
    sent_start = pronoun.sent.start
    prev_start = doc[sent_start - 1].sent.start if sent_start > 0 else sent_start
    best = None
    for ent in entities_before(doc, pronoun.i):
        if ent.start >= prev_start and ent.label_ in ("ORG", "NORP", "GPE"):
            best = ent
    if best is not None and best.root.dep_ in ("compound", "amod", "nmod", "poss") \
            and best.root.head.pos_ in ("NOUN", "PROPN") and best.root.head.i < pronoun.i:
        # "New York City police officers ... them": the officers, not the city that qualifies them
        return noun_phrase(best.root.head)
    return best


def split_pair(p: Participant):
    """"U.S.-Taliban" (one token) -> actor U.S., recipient Taliban; anything else unchanged."""
    text = p.text or ""
    if "-" in text and " " not in text and p.span is not None:
        left, _, right = text.partition("-")
        if left[:1].isupper() and right[:1].isupper():
            start = p.span[0]
            return (Participant(text=left, span=(start, start + len(left))),
                    Participant(text=right, span=(start + len(left) + 1, p.span[1])))
    return p, None


CONSULT_MODE_CUES = (("phone", ("phone", "telephone", "call", "video", "videoconference")),
                     ("visit", ("visit", "trip", "arrive", "travel", "tour")),
                     ("multilateral", ("summit", "conference", "forum")))


def consult_mode(sent):
    lemmas = {t.lemma_.lower() for t in sent}
    for mode, cues in CONSULT_MODE_CUES:
        if lemmas.intersection(cues):
            return mode
    return None

"""Role finding: actor and recipient of a trigger from the dependency parse, so that "X attacked Y" and "Y was
attacked by X" agree; nominal events take their actor from light verbs, possessives and modifiers."""
from __future__ import annotations

from typing import Optional

from ..model import Event, Participant
from ..nlp import entities_before, entity_at
from .context import DocContext
from .dateline import dateline_end
from .parse import (ENTITY_LABELS, GROUP_PRONOUNS, NP_LEFT_DEPS, OBJECT_DEPS, PASSIVE_SUBJECT_DEPS, PURPOSE_VERBS,
                    RELATIVE_PRONOUNS, SUBJECT_DEPS, THEME_OBJECT_TYPES, VERBAL_TYPES, Match, lemma, lemma_forms)


class RoleFinding:
    """Actor and recipient tokens for trigger heads; needs `self.lex` (a Lexicon)."""

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
        if m is not None and m.entry.needs == "body_object":
            if actor is not None and actor.dep_ == "nsubj" and recipient is None \
                    and lemma(head) in self.lex.finding_verbs:
                actor, recipient = None, actor      # "two men found dead": the headline's subject is the dead
            if lemma(head) in self.lex.finding_verbs:
                actor = None                        # who found the bodies did not kill
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
                # an unresolved "they" names nobody: no actor, rather than an actor called "They"
                return None
            return Participant(text=tok.text, span=(tok.idx, tok.idx + len(tok.text)))
        span = noun_phrase(tok)
        start = dateline_end(ctx.article.text) if span.start_char < 100 else 0
        if start and span.start_char < start:
            # "KABUL, Afghanistan - NATO troops": the dateline is no part of the actor
            if tok.idx < start:
                tok = after_dateline(tok, start)
                if tok is None:
                    return None
                span = noun_phrase(tok)
            span = tok.doc[next(t.i for t in span if t.idx >= start):span.end]
        return Participant(text=span.text, span=(span.start_char, span.end_char))


# ---- parse helpers (plain functions over spaCy tokens) ---------------------------------------------------

def after_dateline(tok, start: int):
    """The noun a dateline swallowed ("LAGOS, Nigeria (AP) - Police arrested": the parse makes "Nigeria" the
    subject and "Police" its modifier): the highest noun of tok's subtree after the dateline, or None."""
    nouns = [t for t in tok.subtree if t.idx >= start and t.pos_ in ("NOUN", "PROPN", "PRON", "NUM")]
    if not nouns:
        # "KABUL, Afghanistan - NATO troops killed": the dateline is a subject of its own; take the other one
        return next((c for c in tok.head.children if c.dep_ == tok.dep_ and c.idx >= start), None)
    return min(nouns, key=lambda t: (depth_below(t, tok), t.i), default=None)


def depth_below(t, top) -> int:
    n = 0
    while t.i != top.i and t.head.i != t.i:
        t, n = t.head, n + 1
    return n


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

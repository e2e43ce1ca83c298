"""Filtering: triggers that name no event of their own (modifiers, "the sound of gunfire", restatements,
commentary) and triggers inside the complement of a request or accusation."""
from __future__ import annotations

from .non_human import load_agent_words, names_non_human
from .parse import OBJECT_DEPS, SUBJECT_DEPS, Match, in_quotes, lemma, subject_words


class EventFilters:
    """Decides which trigger matches report events; needs `self.lex` (a Lexicon)."""

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
            # "a cardiac arrest", "a heart attack"
            if any(c.dep_ in ("amod", "compound") and lemma(c) in self.lex.medical_modifiers for c in head.children):
                return False
            # "the sound of gunfire", "the threat of violence"
            if head.dep_ == "pobj" and head.head.lower_ == "of" and lemma(head.head.head) in self.lex.non_event_governors:
                return False
            if m.entry.event_type == "ASSAULT" and not self.names_violence(head):
                return False
            if m.entry.event_type == "THREATEN" and any(
                    c.dep_ in ("amod", "compound") and lemma(c) in self.lex.danger_modifiers for c in head.children):
                return False        # "citing terrorist threats": a danger, not a threat someone made
            # "This was a defensive strike": a restatement of an event already reported
            if head.dep_ == "attr" and lemma(head.head) == "be":
                subj = next((c for c in head.head.children if c.dep_ in SUBJECT_DEPS), None)
                if subj is not None and subj.pos_ in ("PRON", "DET"):
                    return False
        else:
            if head.dep_ in ("amod", "compound"):
                return False        # "long-threatened invasion"
            if m.entry.event_type == "ASSAULT" and self.plays(head):
                return False        # "fought back from two goals down", "hit the post"
            if m.entry.event_type == "ASSAULT" and head.dep_ == "pcomp" and head.head.lower_ in ("of", "for") \
                    and lemma(head.head.head) in self.lex.charge_governors:
                return False        # "if convicted of killing him": the charge, not the news
            if not self.between_parties(m):
                return False
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

    def enactments(self, sent) -> list[int]:
        """Token indices of verbs that pass or sign a law ("parliament passed a law"): a state's own act."""
        return [tok.i for tok in sent if tok.pos_ in ("VERB", "AUX") and lemma(tok) in self.lex.enacting_verbs
                and any(c.dep_ in OBJECT_DEPS and lemma(c) in self.lex.legislative_objects for c in tok.children)]

    def between_parties(self, m: Match) -> bool:
        """A verb trigger that is a state's own act or a courtesy names no event between parties: passing or signing
        a law ("signed a bill") and what the law does ("passed a law to allow ..."), courtesies ("offered
        condolences"), restricting an illness ("prevent the spread of the virus"), withdrawing from a contest or
        an aim ("withdrew from the championship")."""
        lex, head, kind = self.lex, m.head, m.entry.event_type
        obj = next((c for c in head.children if c.dep_ in OBJECT_DEPS), None)
        if obj is not None and lemma(obj) in lex.legislative_objects and lemma(head) in lex.enacting_verbs \
                and kind in ("AGREE", "SUPPORT"):
            return False
        if kind.lower() in lex.law_content_types:
            if head.dep_ in ("acl", "relcl") and lemma(head.head) in lex.legislative_objects:
                return False    # "a law allowing shops to open"
            if head.dep_ in ("advcl", "xcomp") and any(
                    c.dep_ in OBJECT_DEPS and lemma(c) in lex.legislative_objects for c in head.head.children):
                return False    # "passed a law to allow ..."
        if obj is not None and lemma(obj) in lex.ceremonial_objects and kind in ("AGREE", "SUPPORT"):
            return False
        if kind == "COERCE" and obj is not None and any(names_non_human(t, load_agent_words()) for t in [obj, *(
                g for c in obj.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children)]):
            return False        # "to prevent the spread of the virus", "banned to stop cholera": no one coerced
        if kind == "RETREAT" and any(g.head.lower_ in ("from", "of") and lemma(g) in lex.withdrawn_from_non_events
                                     for g in prepositional_objects(head)):
            return False
        return True

    def plays(self, head) -> bool:
        """Is a violent word's object, or the object of one of its prepositions, a term of sport ("hit the post",
        "fought back from two goals down", "a clash with the referee")?"""
        # the object, or that of a preposition of the play itself (not "shot three fans after the match")
        objects = [c for c in head.children if c.dep_ in OBJECT_DEPS] + [
            o for o in prepositional_objects(head) if o.head.lower_ in PLAY_PREPS]
        if any(lemma(o) in self.lex.sport_terms for o in objects):
            return True
        # a score: "beat City 3-2"
        return any(t.like_num and t.i + 2 < len(t.doc) and t.nbor(1).text in ("-", "–") and t.nbor(2).like_num
                   for t in head.subtree)

    def names_violence(self, head) -> bool:
        """An ASSAULT noun names violence that happened, unless it is a charge or what a penalty punishes ("counts
        of homicide", "sentenced for murder"), a figurative fight ("a court battle", "a political attack") or an
        attack on an idea ("an attack on national dignity")."""
        lex = self.lex
        if self.plays(head):
            return False
        if head.dep_ == "pobj" and head.head.lower_ in ("of", "for", "to") \
                and lemma(head.head.head) in lex.charge_governors:
            return False
        if any(c.dep_ in ("amod", "compound") and lemma(c) in lex.figurative_modifiers for c in head.children):
            return False
        return not any(c.dep_ == "prep" and c.lower_ in ("on", "against") and any(
            g.dep_ == "pobj" and lemma(g) in lex.abstract_targets for g in c.children) for c in head.children)

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


PLAY_PREPS = {"from", "for", "with", "against", "into", "over", "off"}


def prepositional_objects(head) -> list:
    """The objects of a word's prepositions, also through a particle or an adverb: "fought back from two goals
    down", "pulled out of the tournament"."""
    found = []
    for c in head.children:
        if c.dep_ == "prep":
            found += [g for g in c.children if g.dep_ == "pobj"]
        if c.dep_ in ("prt", "advmod", "prep"):
            found += [g for p in c.children if p.dep_ == "prep" for g in p.children if g.dep_ == "pobj"]
    return found

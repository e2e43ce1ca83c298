"""Trigger matching: trigger lemmas and phrases (data/triggers.yaml) found in a sentence, each checked against
its constraint on the parse (`needs: object`, `prep:to|with`, `person_object`, ...)."""
from __future__ import annotations

from typing import Optional

from .parse import OBJECT_DEPS, SUBJECT_DEPS, MODAL_WORDS, Match, lemma, lemma_forms


class TriggerMatching:
    """Finds trigger matches and checks their constraints; needs `self.lex` (a Lexicon)."""

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
                # a phrase ruled out by a word of its `unless` falls back on the readings of its first word
                # ("shot down the airliner, killing 298": the attack), and stands when none rules it out
                phrase = [found] if found.end - found.start > 1 else []
                alts = phrase + [Match(e, i, i + 1, tok) for key in {lemma(tok), tok.lower_}
                                 for e in self.lex.triggers.get(key, ()) if len(e.phrase) == 1 and tok.pos_ in e.pos]
                alts = list({(m.entry.event_type, m.entry.mode, m.entry.needs): m for m in alts}.values())
            matches.append(self.choose(alts))
            i = found.end
        return [m for m in matches if m is not None]

    def choose(self, alts: list[Match]) -> Optional[Match]:
        """Among readings of one word, the first whose constraint holds; constrained readings before free ones."""
        ordered = sorted(alts, key=lambda m: (m.end - m.start == 1, m.entry.needs is None))
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
        if needs == "body_object":
            return self.names_body(head, obj, kids)
        if needs == "visit":
            # "arrived in Amman on a visit", "flew to Cairo for talks": travel made for a meeting
            return any(c.dep_ == "prep" and c.lower_ in ("on", "for") and any(
                g.dep_ == "pobj" and lemma(g) in self.lex.visit_nouns for g in c.children) for c in kids)
        if needs == "stopped_cooperation":
            return self.stops_cooperation(head)
        if needs == "infinitive":
            # "told the cardinal not to cut the funding": an object and a to-infinitive ("told reporters" is not)
            return obj is not None and any(c.dep_ in ("xcomp", "ccomp") and any(
                g.dep_ == "aux" and g.lower_ == "to" for g in c.children) for c in kids)
        if needs == "announced":
            return any(lemma(a) in self.lex.announcers for a in head.ancestors)
        return True

    def names_body(self, head, obj, kids) -> bool:
        """Is what was found or left a body ("found three bodies", "two men found dead", "a lifeless man was
        located")? Headlines drop the auxiliary, so a subject counts when the verb is a participle."""
        target = obj or next((c for c in kids if c.dep_ == "nsubjpass"), None)
        if target is None and head.tag_ == "VBN":
            target = next((c for c in kids if c.dep_ == "nsubj"), None)
        if target is None and head.tag_ == "VBN" and head.dep_ == "acl" and head.head.pos_ in ("NOUN", "PROPN"):
            target = head.head                  # a reduced relative: "Severed body found on highway"
        if target is None and head.pos_ == "NOUN":
            target = next((g for c in kids if c.dep_ == "prep" and c.lower_ == "of"
                           for g in c.children if g.dep_ == "pobj"), None)     # "the discovery of two corpses"
        if any(c.dep_ == "prep" and c.lower_ == "without" and any(lemma(g) == "life" for g in c.children)
               for c in kids):
            return target is not None           # "they find two people without life"
        if any(c.dep_ in ("oprd", "acomp", "xcomp", "ccomp") and c.lower_ in self.lex.death_states for c in kids):
            return target is not None or obj is None     # "found dead", "found two men dead"
        if target is None:
            return False
        target = next((g for c in target.children if c.dep_ == "prep" and c.lower_ == "of"
                       for g in c.children if g.dep_ == "pobj" and (target.pos_ in ("NUM", "PRON") or lemma(target) in self.lex.quantity_nouns)), target)
        if lemma(target) in self.lex.body_nouns or target.lower_ in self.lex.body_nouns:
            return True
        return any(c.dep_ in ("amod", "acl", "compound") and (c.lower_ in self.lex.death_states or lemma(c) in
                                                            self.lex.death_states) for c in target.children)

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



# ---- phrase helpers --------------------------------------------------------------------------------

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

"""The phrase patterns that state a toll: harm verbs ('killed four civilians', 'two men were shot, one
fatally'), adjectives ('three dead'), nouns ('six deaths'), tolls ('the death toll rose to 12'), lost lives and
the aftermath ('was rushed to a hospital'). Each match gives a `Mention` of one sentence."""
from __future__ import annotations

from .counting import Mention, VictimCounter, exact_count
from .lexicon import OBJECT_DEPS, SUBJECT_DEPS
from .surface import SurfaceReader

# how a fatal modifier hangs from its verb: "fatally shot", "shot dead", "found dead"
FATAL_DEPS = frozenset({"advmod", "oprd", "acomp", "xcomp", "dep", "amod", "npadvmod", "attr"})


class MentionFinder:
    """Finds casualty mentions in one sentence."""

    def __init__(self, lex: dict):
        self.lex = lex
        self.counter = VictimCounter(lex)
        self.surface = SurfaceReader(lex, self.counter)

    def find(self, sent, sent_index: int) -> list[Mention]:
        lex = self.lex
        mentions: list[Mention] = []
        for tok in sent:
            lemma = tok.lemma_.lower()
            found: list[Mention] = []
            if tok.pos_ in ("VERB", "AUX") or tok.tag_ in ("VBN", "VBD", "VBG"):
                if lemma in lex["verb_outcome"]:
                    found.extend(self._verb(tok, lex["verb_outcome"][lemma]))
                elif lemma in lex["intransitive"] or any(
                        (lemma, c.lower_) in lex["phrasal"] for c in tok.children if c.dep_ in ("prt", "advmod")):
                    found.extend(self._intransitive(tok))
                elif lemma in lex["killed_if_fatal"]:
                    if self._is_fatal(tok, lex["fatal_if_mod"]):
                        found.extend(self._verb(tok, "killed"))     # "burned four guerrillas alive"
                elif lemma == "claim":
                    found.extend(self._claimed_lives(tok))
                else:
                    # "lost their lives", "his life was taken"; else "was taken to a hospital"
                    lives = self._lost_lives(tok) if lemma in lex["lose_life_verbs"] | lex["life_taken_verbs"] else []
                    found.extend(lives or self._aftermath(tok, lemma))
            # "20 injured", "three dead": an adjective, or a participle that carries its own number
            # (a participle used as a verb was read above).
            if tok.lower_ in lex["adj_outcome"] and (tok.pos_ in ("ADJ", "NOUN") or (
                    tok.pos_ == "VERB" and any(c.dep_ == "nummod" for c in tok.children))):
                found.extend(self._adjective(tok, lex["adj_outcome"][tok.lower_]))
            # a toll noun that is also a count ("casualties rise to 21", "3 casualties") is read as a toll first
            tolls = self._toll(tok) if tok.pos_ == "NOUN" and lemma in lex["toll"] else []
            found.extend(tolls)
            noun_key = lemma if lemma in lex["noun_outcome"] else tok.lower_
            if tok.pos_ == "NOUN" and noun_key in lex["noun_outcome"] and not tolls:
                found.extend(self._noun(tok, lex["noun_outcome"][noun_key]))
            if tok.pos_ == "NOUN" and lemma in lex["of_nouns"]:
                found.extend(self._noun(tok, "killed", of_only=True))
            if tok.pos_ == "NOUN" and lemma in lex["body_parts"] and any(
                    c.lower_ in lex["body_part_states"] for c in tok.children if c.dep_ in ("amod", "compound")):
                found.extend(self._noun(tok, "killed"))
            if tok.pos_ == "NOUN" and (lemma in lex["fatal_event_noun"] or (lemma in lex["fatal_event_heads"] and any(
                    c.lower_ in lex["fatal_event_adj"] for c in tok.children if c.dep_ == "amod"))):
                found.extend(self._fatal_event(tok))
            running = self._in_running_total(tok)
            for m in found:
                m.anchor = tok.i
                m.sent_index = sent_index
                m.running_total = m.running_total or running
            mentions.extend(found)
        mentions = self._dedupe(mentions)
        # where the parse gave no figure for an outcome, the word order may (headline grammar, surface.py)
        stated = {m.outcome for m in mentions if m.total is not None and not m.weak}
        missing = frozenset(("killed", "injured")) - stated
        if missing:
            mentions.extend(self.surface.find(sent, sent_index, missing))
        return mentions

    def _in_running_total(self, tok) -> bool:
        """Is the word the new level of a toll another act raised: "raises/brings the death toll to 225 casualties"
        (the toll the object of a verb that is no update of its own subject)?"""
        prep = tok.head if tok.dep_ == "pobj" else None
        if prep is None or prep.lower_ != "to" or prep.head.pos_ not in ("VERB", "AUX"):
            return False
        verb = prep.head
        return verb.lemma_.lower() in self.lex["raise_verbs"] and any(
            c.dep_ in OBJECT_DEPS and c.lemma_.lower() in self.lex["toll"] for c in verb.children)

    @staticmethod
    def _dedupe(mentions: list[Mention]) -> list[Mention]:
        """One victim phrase read twice (by 'shot' and by 'dead') keeps its strongest reading."""
        rank = {"killed": 0, "injured": 1, "harmed": 2}
        by_span: dict = {}
        for m in mentions:
            key = m.span
            old = by_span.get(key)
            if old is None or (rank[m.outcome], m.weak) < (rank[old.outcome], old.weak):
                by_span[key] = m
        return list(by_span.values())

    # -- verbs

    def _is_negated(self, verb) -> bool:
        return any(c.dep_ == "neg" for c in verb.children)

    def _is_fatal(self, verb, modifiers: frozenset = frozenset()) -> bool:
        """"fatally shot", "shot dead", "stabbed to death"; with `modifiers`, those words too, also read from a
        clause of their own ("burned four guerrillas alive": 'alive' is an adverbial clause to the parser)."""
        lex = self.lex
        deps = FATAL_DEPS | ({"advcl"} if modifiers else set())
        # "alive" may hang from the victims: "burns three captured rebels alive"
        after_object = [g for c in verb.children if c.dep_ in OBJECT_DEPS for g in c.children
                        if modifiers and g.dep_ == "amod" and g.i > c.i]
        for c in list(verb.children) + after_object:
            if c.i < verb.i and c.pos_ != "ADV":
                continue                        # "fatally shot", but not "4 Dead, 9 wounded": "Dead" is no manner
            if c.lower_ in (modifiers or lex["fatal_mod"]) and (c.dep_ in deps or c in after_object):
                return True
            if c.dep_ == "prep" and c.lower_ == "to" and any(
                    p.lemma_.lower() in lex["fatal_pobj"] for p in c.children if p.dep_ == "pobj"):
                return True
        return False

    def _subject(self, verb):
        """The subject of a verb, borrowed from the verb it is coordinated with ("was shot and killed")."""
        v = verb
        for _ in range(4):
            # the subject nearest the verb: a dateline parsed as a second subject comes first
            subjects = [c for c in v.children if c.dep_ in SUBJECT_DEPS]
            if subjects:
                c = min(subjects, key=lambda t: abs(t.i - v.i))
                return c, c.dep_ == "nsubjpass" or any(a.dep_ == "auxpass" for a in v.children)
            if v.dep_ in ("conj", "xcomp") and v.head.pos_ in ("VERB", "AUX"):
                v = v.head                       # "appeared to have been struck": the one who appeared
                continue
            if v.dep_ == "pcomp" and v.head.dep_ == "prep" and v.head.head.pos_ in ("VERB", "AUX") and any(
                    c.dep_ == "auxpass" for c in v.children):
                v = v.head.head                  # "is recovering after being shot": the recovering one
                continue
            if v.dep_ in ("ccomp", "oprd", "dep", "advcl", "xcomp") and v.tag_ == "VBN" \
                    and v.head.lemma_.lower() in self.lex["result_verbs"] \
                    and not any(c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass") for c in v.children):
                obj = next((c for c in v.head.children if c.dep_ in OBJECT_DEPS and c.i < v.i), None)
                if obj is not None:
                    return obj, True             # "leaves 2 people from one family killed"
            if v.dep_ == "advcl" and v.tag_ == "VBN" and v.head.pos_ in ("VERB", "AUX") \
                    and not any(c.dep_ in ("mark", "nsubj", "nsubjpass") for c in v.children):
                v = v.head                       # "three men found tortured, murdered": the men found
                continue
            if v.dep_ in ("acl", "relcl") and (v.tag_ == "VBN" or v.dep_ == "acl" and v.tag_ == "VBD") \
                    and v.head.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
                # (a headline's participle is often tagged as a past tense: "Juarez: 7 killed in a bar")
                # "a man shot in the chest", "the man who was killed"
                head = v.head
                if v.dep_ == "acl" and head.dep_ in ("conj", "appos") and head.head.pos_ in ("NOUN", "PROPN") \
                        and all(any(c.dep_ == "nummod" for c in h.children) for h in (head, head.head)):
                    # "Three soldiers and five militants killed", "Four soldiers, 12 rebels killed": the parse
                    # hangs the participle on the last conjunct, but it tells the toll of both sides
                    head = head.head
                return head, True
            break
        return None, False

    def _verb(self, verb, outcome: str) -> list[Mention]:
        lex = self.lex
        if outcome in ("harmed", "injured") and self._is_fatal(verb):
            outcome = "killed"                  # "fatally shot", "fatally wounded", "stabbed to death"
        # A bare participle is passive too: "two dead and four others injured", "a man shot in the chest".
        passive = any(c.dep_ == "auxpass" for c in verb.children) or (
            verb.tag_ == "VBN" and not any(c.dep_ in OBJECT_DEPS for c in verb.children)
            and not any(c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children))
        out = []
        victim = None
        if not passive:
            objs = [c for c in verb.children if c.dep_ in OBJECT_DEPS]
            if objs:
                victim = objs[0]
            if victim is None:
                subj, subj_passive = self._subject(verb)
                # "found Smith shot to death", headline "Man shot dead in Antioch": a fatal verb without an
                # object reads as a passive even when tagged active
                if subj is not None and (subj_passive or (self._is_fatal(verb) and verb.lemma_.lower() != "kill")):
                    victim = subj
        else:
            subj, _ = self._subject(verb)
            victim = subj
        if victim is None:
            # "shot and killed a man": the object sits on the last conjunct only
            for c in verb.children:
                if c.dep_ == "conj" and c.lemma_.lower() in lex["verb_outcome"]:
                    objs = [o for o in c.children if o.dep_ in OBJECT_DEPS]
                    if objs:
                        victim = objs[0]
                        break
        if victim is not None and not (passive and self._shot_at(verb)):
            m = self.counter.count_victims(victim)
            if m is not None:
                if self._is_negated(verb):
                    m.total, m.groups = exact_count(0), {}
                m.outcome = outcome
                out.append(m)
        # "two men were shot, one fatally"
        for c in verb.children:
            if c.dep_ in ("npadvmod", "appos", "conj", "dep", "nsubj") and c.like_num and c.i > verb.i and any(
                    g.lower_ in lex["fatal_mod"] for g in c.children):
                count = self.counter.count_from_number(c)
                if count is not None:
                    out.append(Mention(outcome="killed", total=count, groups={"unknown": count},
                                       span=(c.idx, c.right_edge.idx + len(c.right_edge.text))))
        return out

    @staticmethod
    def _shot_at(verb) -> bool:
        """'they were shot at': fired on, not hit (a stranded 'at' with no object of its own)."""
        return any(c.dep_ == "prep" and c.lower_ == "at" and not any(p.dep_ == "pobj" for p in c.children)
                   for c in verb.children)

    def _intransitive(self, verb) -> list[Mention]:
        subj, _ = self._subject(verb)
        if subj is None:
            return []
        if subj.lower_ in self.lex["plural_pron"] and not self._is_negated(verb):
            return [self._all_harmed(subj)]      # "they both died"
        m = self.counter.count_victims(subj)
        if m is None:
            return []
        if self._is_negated(verb):
            m.total, m.groups = exact_count(0), {}
        m.outcome = "killed"
        return [m]

    def _aftermath(self, verb, lemma: str) -> list[Mention]:
        """'was rushed to a hospital', 'is in critical condition', 'suffered a gunshot wound': hit, outcome unsaid."""
        lex = self.lex
        hit = False
        if lemma in lex["hospital_verbs"]:
            hit = any(c.dep_ == "prep" and c.lower_ in ("to", "at", "in") and any(
                p.lemma_.lower() in lex["hospital_nouns"] for p in c.subtree) for c in verb.children)
        if not hit and lemma in lex["suffer_verbs"]:
            hit = any(c.dep_ in OBJECT_DEPS and (c.lemma_.lower() in lex["wound_nouns"] or any(
                x.lemma_.lower() in lex["wound_nouns"] for x in c.children if x.dep_ == "compound"))
                for c in verb.children)
        outcome = "harmed"
        if not hit and lemma in lex["alive_verbs"]:
            # "is in critical condition", "remains in the hospital": hit and alive, so wounded
            hit = any(c.dep_ == "prep" and c.lower_ == "in" and any(
                (p.lemma_.lower() in lex["condition_nouns"] and any(
                    a.lower_ in lex["condition_words"] for a in p.children))
                or p.lemma_.lower() in lex["hospital_nouns"]
                for p in c.children if p.dep_ == "pobj") for c in verb.children)
            outcome = "injured"
        if not hit and lemma in lex["hit_verbs"]:
            # "was hit by a stray bullet", "struck by gunfire"
            hit = any(c.dep_ == "agent" and any(p.lemma_.lower() in lex["projectiles"] for p in c.children)
                      for c in verb.children)
            outcome = "harmed"
        if not hit or self._is_negated(verb):
            return []
        subj, _ = self._subject(verb)
        if subj is None:
            return []
        m = self.counter.count_victims(subj)
        if m is None:
            return []
        m.outcome = outcome
        return [m]

    def _claimed_lives(self, verb) -> list[Mention]:
        """'claimed the lives of 20 people', 'claimed 12 lives'."""
        for c in verb.children:
            if c.dep_ in OBJECT_DEPS and c.lemma_.lower() == "life":
                return self._noun(c, "killed")
        return []

    def _lost_lives(self, verb) -> list[Mention]:
        """'three soldiers lost their lives' (the subject); 'a young woman's life was cut short' (the owner)."""
        lex = self.lex
        life = next((c for c in verb.children if c.lemma_.lower() == "life"
                     and c.dep_ in ("dobj", "nsubjpass", "nsubj")), None)
        if life is None:
            return []
        if life.dep_ == "dobj" and verb.lemma_.lower() in lex["lose_life_verbs"]:
            subj, _ = self._subject(verb)
            m = self.counter.count_victims(subj) if subj is not None else None
        elif life.dep_ != "dobj" and verb.lemma_.lower() in lex["life_taken_verbs"]:
            owner = next((c for c in life.children if c.dep_ == "poss" and c.pos_ in ("NOUN", "PROPN")), None)
            m = self.counter.count_victims(owner, with_conjuncts=False) if owner is not None else None
        else:
            m = None
        if m is None or self._is_negated(verb):
            return []
        m.outcome = "killed"
        return [m]

    def _adjective(self, adj, outcome: str) -> list[Mention]:
        """'three dead', 'left 20 injured', 'a woman was found dead', 'found a man dead'."""
        lex = self.lex
        numbers = [c for c in adj.children if c.dep_ == "nummod" or (c.like_num and c.i < adj.i)]
        if numbers:
            count = self.counter.count_from_number(numbers[0])
            if count is not None:
                return [Mention(outcome=outcome, total=count, groups={"unknown": count},
                                span=(numbers[0].left_edge.idx, adj.idx + len(adj.text)))]
        # "found a man dead", "a dead man": the noun it describes
        if adj.dep_ == "amod" and adj.head.pos_ in ("NOUN", "PROPN", "NUM"):
            # only the noun it describes: "a man dead from gunshots and two others with wounds"
            m = self.counter.count_victims(adj.head, with_conjuncts=False)
            if m is not None:
                m.outcome = outcome
                return [m]
        # predicative: "was found dead", "pronounced dead", "left one person dead"
        if adj.dep_ in ("oprd", "acomp", "xcomp", "advcl", "ccomp", "attr") and adj.head.pos_ in ("VERB", "AUX"):
            head_lemma = adj.head.lemma_.lower()
            if head_lemma in lex["verb_outcome"]:
                return []                         # "shot dead": read by the verb
            objs = [c for c in adj.head.children if c.dep_ in OBJECT_DEPS]
            if objs:
                m = self.counter.count_victims(objs[0])
                if m is not None:
                    m.outcome = outcome
                    return [m]
                return []
            subj, _ = self._subject(adj.head)
            if subj is None and adj.head.dep_ in ("acl", "relcl"):
                subj = adj.head.head
            if subj is not None:
                m = self.counter.count_victims(subj)
                if m is not None:
                    m.outcome = outcome
                    return [m]
        # "the wounded were taken to hospital": no figure.
        return []

    def _noun(self, noun, outcome: str, of_only: bool = False) -> list[Mention]:
        """'six deaths', 'the deaths of two friends', 'the lives of 20 people', 'his death' (with `of_only`,
        only the of-phrase, and only a figure: 'the massacre of six civilians', not 'the 1968 assassination of
        the senator', a background the story names far more often than it reports one)."""
        lex = self.lex
        for c in ([] if of_only else noun.children):
            if c.dep_ == "nummod" or (c.like_num and c.dep_ in ("amod", "compound")):
                count = self.counter.count_from_number(c)
                if count is not None:
                    return [Mention(outcome=outcome, total=count, groups={"unknown": count},
                                    span=(c.left_edge.idx, noun.idx + len(noun.text)))]
        # the victims of a killing may also follow "against" ("an execution against two people"), never the dead
        # of "six deaths against the odds"
        preps = lex["of_noun_preps"] if of_only else ("of",)
        for prep in (c for c in _with_agent_preps(noun) if c.dep_ == "prep" and c.lower_ in preps):
            for pobj in (p for p in prep.children if p.dep_ == "pobj"):
                m = self.counter.count_victims(pobj)
                if m is not None and (m.numeric or not of_only):
                    m.outcome = outcome
                    return [m]
        if of_only:
            return []
        if outcome == "killed" and noun.lemma_.lower() == "death" and any(
                c.dep_ == "poss" and c.lower_ == "their" for c in noun.children):
            return [self._all_harmed(noun)]      # "what led to their deaths"
        if outcome == "killed" and noun.lemma_.lower() == "death" and noun.tag_ == "NN":
            poss = [c for c in noun.children if c.dep_ == "poss"]
            if poss and poss[0].pos_ in ("NOUN", "PROPN"):
                m = self.counter.count_victims(poss[0], with_conjuncts=False)   # "his daughter's death"
                if m is not None:
                    m.outcome = "killed"
                    return [m]
            if poss and (poss[0].lower_ in lex["singular_pron"] or poss[0].lower_ in ("his", "her")
                         or poss[0].ent_type_ == "PERSON"):
                return [Mention(outcome="killed", total=exact_count(1), groups={"unknown": exact_count(1)},
                                span=(poss[0].idx, noun.idx + len(noun.text)), weak=True)]
        return []

    @staticmethod
    def _all_harmed(tok) -> Mention:
        """A plural reference to the victims already counted: they all died."""
        return Mention(outcome="killed", total=None, span=(tok.idx, tok.idx + len(tok.text)), weak=True,
                       all_harmed=True)

    def _toll(self, toll) -> list[Mention]:
        """'the death toll rose to 12', 'the toll stands at 30', 'a death toll of 40'."""
        lex = self.lex
        compounds = {c.lemma_.lower() for c in toll.children if c.dep_ in ("compound", "amod")}
        outcome = "injured" if compounds & {"injury", "wounded", "injured"} else "killed"
        candidates = []
        for prep in (c for c in toll.children if c.dep_ == "prep" and c.lower_ == "of"):
            candidates.extend(p for p in prep.children if p.dep_ == "pobj")
        update = running = False
        verb = toll.head if toll.dep_ in SUBJECT_DEPS else None
        if toll.dep_ in OBJECT_DEPS and toll.head.lemma_.lower() in lex["raise_verbs"]:
            verb, running = toll.head, True     # "the bombing raised the death toll to 40": a running total
        if verb is not None:
            update = verb.lemma_.lower() in lex["update"]
            for c in verb.children:
                if c.dep_ in ("attr", "dobj", "npadvmod") and c.like_num:
                    candidates.append(c)
                if c.dep_ == "prep" and c.lower_ in ("to", "at"):
                    candidates.extend(p for p in c.children if p.dep_ == "pobj")
        for cand in candidates:
            num = cand if cand.like_num else next((c for c in cand.children if c.dep_ == "nummod"), None)
            if num is None:
                continue
            count = self.counter.count_from_number(num)
            if count is not None:
                return [Mention(outcome=outcome, total=count, groups={"unknown": count},
                                span=(toll.left_edge.idx, cand.idx + len(cand.text)), update=update,
                                running_total=running)]
        return []

    def _fatal_event(self, noun) -> list[Mention]:
        """'a fatal shooting', 'the homicide': someone died, no figure given ('a double homicide': two)."""
        n = None
        for c in noun.children:
            if c.dep_ in ("amod", "compound") and c.lower_ in self.lex["multiples"]:
                n = self.lex["multiples"][c.lower_]
        # "a double homicide" gives a figure; "a fatal shooting" only says someone died
        return [Mention(outcome="killed", total=exact_count(n or 1), groups={"unknown": exact_count(n or 1)},
                        span=(noun.left_edge.idx, noun.idx + len(noun.text)), weak=n is None,
                        numeric=n is not None)]


def _with_agent_preps(noun) -> list:
    """The noun's children, and the phrases hung on its agent: in "the execution by a military council of/against
    two people" the model attaches the victims' phrase to "council", the nearest noun."""
    kids = list(noun.children)
    for by in (c for c in kids if c.dep_ == "prep" and c.lower_ == "by"):
        for agent in (p for p in by.children if p.dep_ == "pobj"):
            kids.extend(agent.children)
    return kids

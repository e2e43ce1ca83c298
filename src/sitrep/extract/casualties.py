"""Killed and wounded counts by group, read from the dependency parse and attached to violent events.

Every sentence is scanned for harm words (killed, wounded, shot, died, death toll ...; `data/casualties.yaml`).
Each gives a `Mention`: an outcome (killed, injured, or harmed = hit with the outcome unsaid), the victims'
count split by group, and the character span it came from. Mentions attach to the violent event whose
trigger they hang from, else to the nearest violent event of the sentence, else to the nearest preceding one in
the paragraph. Consecutive events that report the same incident (an article that says "shot", then "the
shooting", then "the victim died") form one incident, and every event of an incident carries the incident's
combined counts: figures for the same outcome are the same victims told again (the largest wins, a later
"rose to" update wins over everything); victims named one by one add up when no figure is given; victims
hit with the outcome unsaid ("was shot") count as wounded unless the incident reports them killed.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from ..nlp import entity_at
from ..data import load_yaml
from ..model import Casualties, Count, Event, Span
from .context import DocContext
from .status import StatusResolver

LOGGER = logging.getLogger(__name__)

GROUPS = ("civilians", "security_forces", "militants", "unknown")
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
# Heads of quantity phrases whose of-phrase names the victims: "dozens of people", "a handful of soldiers".
QUANTITY_HEADS = {"dozens", "scores", "hundreds", "thousands", "tens", "handful", "number", "couple", "dozen",
                  "score", "several", "many", "both", "few", "all", "some", "none", "each"}
# Numbers inside these entities are dates, times, money or ranks, not people.
NOT_COUNTS = {"DATE", "TIME", "MONEY", "PERCENT", "ORDINAL", "QUANTITY"}
OBJECT_DEPS = {"dobj", "obj"}
_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+$")
_DECIMAL = re.compile(r"^\d+(?:\.\d+)?$")


@lru_cache(maxsize=1)
def _lexicon() -> dict:
    """The YAML lexicon with lists turned into sets, built once per process."""
    raw = load_yaml("casualties.yaml")
    verbs = raw["verbs"]
    groups = []
    for group, words in raw["groups"].items():
        for phrase in words:
            groups.append((group, tuple(str(phrase).lower().split())))
    return {
        "violent": frozenset(raw["violent_types"]),
        "violent_in_sentence": frozenset(raw.get("violent_if_in_sentence", [])),
        "verb_outcome": {
            **{v: "killed" for v in verbs["killed"]},
            **{v: "injured" for v in verbs["injured"]},
            **{v: "harmed" for v in verbs["harmed"]},
        },
        "intransitive": frozenset(verbs["killed_intransitive"]),
        "phrasal": {tuple(p) for p in raw.get("phrasal_killed", [])},
        "fatal_mod": frozenset(raw["fatal_modifiers"]),
        "fatal_pobj": frozenset(raw["fatal_prep_objects"]),
        "adj_outcome": {
            **{a: "killed" for a in raw["adjectives"]["killed"]},
            **{a: "injured" for a in raw["adjectives"]["injured"]},
        },
        "noun_outcome": {
            **{n: "killed" for n in raw["nouns"]["killed"]},
            **{n: "injured" for n in raw["nouns"]["injured"]},
        },
        "toll": frozenset(raw["toll_nouns"]),
        "update": frozenset(raw["update_verbs"]),
        "fatal_event_adj": frozenset(raw["fatal_event_adjectives"]),
        "fatal_event_noun": frozenset(raw["fatal_event_nouns"]),
        "fatal_event_heads": frozenset(raw["fatal_event_heads"]),
        "plural_pron": frozenset(raw["plural_pronouns"]),
        "multiples": {str(k): int(v) for k, v in raw["multiples"].items()},
        "bounds": {tuple(k.split()): v for k, v in raw["bounds"].items()},
        "vague": {tuple(k.split()): v for k, v in raw["vague_amounts"].items()},
        "numbers": {str(k): int(v) for k, v in raw["number_words"].items()},
        "max_plausible": int(raw["max_plausible"]),
        "zero": frozenset(raw["zero_words"]),
        "singular_det": frozenset(raw["singular_determiners"]),
        "singular_pron": frozenset(raw["singular_pronouns"]),
        "breakdown": frozenset(raw["breakdown_words"]),
        "groups": tuple(groups),
        "hospital_verbs": frozenset(raw["hospital_verbs"]),
        "hospital_nouns": frozenset(raw["hospital_nouns"]),
        "condition_nouns": frozenset(raw["condition_nouns"]),
        "condition_words": frozenset(raw["condition_words"]),
        "suffer_verbs": frozenset(raw["suffer_verbs"]),
        "alive_verbs": frozenset(raw["alive_verbs"]),
        "hit_verbs": frozenset(raw["hit_verbs"]),
        "projectiles": frozenset(raw["projectiles"]),
        "wound_nouns": frozenset(raw["wound_nouns"]),
        "not_victims": frozenset(raw["not_victims"]),
        "attach_within": int(raw["attach_within_sentences"]),
        "separator": re.compile("|".join(f"(?:{p})" for p in raw["incident_separators"])),
        "lose_life_verbs": frozenset(raw["lose_life_verbs"]),
        "life_taken_verbs": frozenset(raw["life_taken_verbs"]),
    }


# ---------------------------------------------------------------- mentions

@dataclass
class Mention:
    """One statement in the text of how many people were killed, wounded or hit."""
    outcome: str                                  # killed | injured | harmed
    total: Optional[Count]
    groups: dict[str, Count] = field(default_factory=dict)
    span: Optional[Span] = None
    anchor: int = -1                              # token index of the harm word
    sent_index: int = -1
    update: bool = False                          # "rose to": a revised figure
    weak: bool = False                            # "a fatal shooting": at least one, no figure given
    implausible: bool = False
    names: frozenset = frozenset()                # named victims (each a set of name words), to count people
    numeric: bool = False                         # a figure was given ("two men"), not only "a man"/"Smith"
    all_harmed: bool = False                      # "they died", "their deaths": everyone hit was killed


def _add(a: Optional[Count], b: Optional[Count]) -> Optional[Count]:
    if a is None:
        return b
    if b is None:
        return a

    def plus(x, y):
        return None if x is None or y is None else x + y

    return Count(low=plus(a.low, b.low), best=plus(a.best, b.best), high=plus(a.high, b.high))


def _best(c: Optional[Count]) -> int:
    if c is None:
        return -1
    if c.best is not None:
        return c.best
    if c.low is not None:
        return c.low
    return c.high if c.high is not None else -1


def _exact(n: int) -> Count:
    return Count(low=n, best=n, high=n)


class _Counter:
    """Reads the number of people in a victim phrase."""

    def __init__(self, lex: dict):
        self.lex = lex

    def number_value(self, tok) -> Optional[int]:
        """The integer a number token (with its compound parts: 'twenty - five', '1.2 million') stands for."""
        text = tok.text.lower().replace("\u2009", "")
        parts = [c for c in tok.children if c.dep_ in ("compound", "quantmod", "nummod") and c.i < tok.i
                 and (c.like_num or c.lower_ in self.lex["numbers"])]
        value = self._word_value(text)
        if value is None:
            return None
        for part in parts:
            pv = self._word_value(part.lower_)
            if pv is None:
                continue
            if value in (100, 1000, 1000000, 1000000000):
                value = int(pv * value) if pv < value else value
            elif pv >= 20 and pv % 10 == 0 and value < 10:
                value = pv + value                 # "twenty - five"
        return value

    def _word_value(self, text: str) -> Optional[float]:
        text = text.lstrip("-")                    # a dash glued to a dateline: "(AP) -One man"
        if _DIGITS.match(text):
            return int(text.replace(",", ""))
        if _DECIMAL.match(text):
            return float(text)
        if "-" in text:                            # "twenty-five" kept as one token
            pieces = text.split("-")
            if all(p in self.lex["numbers"] for p in pieces):
                return sum(self.lex["numbers"][p] for p in pieces)
        return self.lex["numbers"].get(text)

    def bounds_of(self, num) -> Optional[str]:
        """The bound given by modifiers of a number token: 'at least', 'up to', 'more than'..."""
        mods = [c for c in num.children if c.dep_ in ("advmod", "quantmod", "amod", "nmod", "det") and c.i < num.i]
        # Bounds are often attached to each other ("at" -> "least"): take every word left of the number
        # inside its modifiers' subtrees.
        words = []
        for m in mods:
            words.extend(t.lower_ for t in m.subtree if t.i < num.i)
        if not words:
            # The parser sometimes hangs "more than" on the noun, not the number.
            head = num.head
            words = [t.lower_ for t in head.children if t.i < num.i and t.dep_ in ("advmod", "quantmod", "amod")
                     for t in t.subtree]
        for n in (3, 2, 1):
            if len(words) >= n and tuple(words[-n:]) in self.lex["bounds"]:
                return self.lex["bounds"][tuple(words[-n:])]
        return None

    def count_from_number(self, num) -> Optional[Count]:
        if num.ent_type_ in NOT_COUNTS:
            return None                           # "a 2014 shooting death", "the 1st strike"
        value = self.number_value(num)
        if value is None:
            return None
        value = int(value)
        bound = self.bounds_of(num)
        if bound == "low":
            return Count(low=value, best=value, high=None)
        if bound == "low_exclusive":
            return Count(low=value + 1, best=value + 1, high=None)
        if bound == "high":
            return Count(low=None, best=None, high=value)
        if bound == "high_exclusive":
            return Count(low=None, best=max(value - 1, 0), high=max(value - 1, 0))
        if bound == "approx":
            return Count(low=None, best=value, high=None)
        return _exact(value)

    def vague_count(self, tokens) -> Optional[Count]:
        words = [t.lower_ for t in tokens]
        for n in (2, 1):
            for i in range(len(words) - n + 1):
                key = tuple(words[i:i + n])
                if key in self.lex["vague"]:
                    spec = self.lex["vague"][key]
                    return Count(low=spec.get("low"), best=spec.get("best"), high=spec.get("high"))
        return None

    def group_of(self, head) -> str:
        """The victims' group from the lemmas of the phrase's head and its compounds/modifiers."""
        words = [t.lemma_.lower() for t in head.subtree
                 if t.i <= head.i and t.dep_ in ("compound", "amod", "nmod") or t.i == head.i]
        words += [t.lower_ for t in head.subtree if t.i <= head.i]
        text = " " + " ".join(words) + " "
        for group, phrase in self.lex["groups"]:
            if " " + " ".join(phrase) + " " in text:
                return group
        return "unknown"

    def count_phrase(self, head) -> tuple[Optional[Count], bool]:
        """(count, numeric?) of one victim phrase without its conjuncts; numeric = a figure was given."""
        lex = self.lex
        lower = head.lower_
        children = list(head.children)
        before = head.doc[head.i - 1].lower_ if head.i > 0 else ""
        if lower in lex["zero"] or (before in lex["zero"] and head.dep_ != "pobj") or any(
                c.lower_ in lex["zero"] for c in children if c.dep_ in ("det", "neg", "advmod")):
            return _exact(0), True
        if head.pos_ == "NUM" or (head.like_num and head.dep_ != "nummod"):
            count = self.count_from_number(head)
            if count is not None:
                return count, True
        # "dozens of people", "a handful of soldiers", "scores were killed"
        if lower in QUANTITY_HEADS:
            prefix = [t for t in head.subtree if t.i <= head.i]
            vague = self.vague_count(prefix)
            if vague is not None:
                return vague, True
        for child in children:
            if child.dep_ == "nummod" or (child.dep_ in ("amod", "quantmod", "compound") and child.like_num):
                count = self.count_from_number(child)
                if count is not None:
                    return count, True
        prev = head.doc[head.i - 1] if head.i > 0 else None
        if prev is not None and prev.pos_ == "NUM" and prev.dep_ in ("ROOT", "dep", "punct", "npadvmod") \
                and not any(c.dep_ == "det" for c in children):
            count = self.count_from_number(prev)      # a number cut off by a dateline dash: "(AP) -One man"
            if count is not None:
                return count, True
        vague = self.vague_count([c for c in children if c.i < head.i and c.dep_ in ("amod", "det", "predet")])
        if vague is not None:
            return vague, True
        if head.pos_ == "PRON":
            if lower in lex["singular_pron"]:
                return _exact(1), False
            return None, False
        if head.pos_ == "PROPN" and head.ent_type_ == "PERSON":
            return _exact(1), False
        if head.tag_ in ("NN", "NNP") and head.pos_ in ("NOUN", "PROPN"):
            dets = [c for c in children if c.dep_ in ("det", "poss")]
            if any(d.lower_ in lex["singular_det"] or d.dep_ == "poss" for d in dets):
                return _exact(1), False
            if head.dep_ == "conj":                # "a father and son"
                return _exact(1), False
        if lower == "one" or (head.tag_ not in ("NNS", "NNPS") and any(
                c.dep_ == "det" and c.lower_ in ("a", "an") for c in children)):
            return _exact(1), False              # "an 18-year-old was shot"
        return None, False

    def count_victims(self, head, with_conjuncts: bool = True) -> Optional[Mention]:
        """Count the victim phrase headed by `head`, with its conjuncts ("four civilians and 11 soldiers")."""
        lex = self.lex
        # A relative pronoun stands for the noun the clause hangs from ("a man who was shot").
        if head.lower_ in ("who", "that", "which") and head.head.dep_ == "relcl":
            head = head.head.head
        # "a handful of soldiers": the group is in the of-phrase.
        heads = [head]
        if with_conjuncts:
            heads.extend(t for t in head.conjuncts if t.i > head.i)
        mention = Mention(outcome="", total=None)
        any_count = False
        spans = []
        for h in heads:
            if h.lemma_.lower() in lex["not_victims"]:
                continue
            count, numeric = self.count_phrase(h)
            group_head = h
            of_phrase = [c for c in h.children if c.dep_ == "prep" and c.lower_ == "of"]
            if of_phrase:
                pobj = [c for c in of_phrase[0].children if c.dep_ == "pobj"]
                if pobj:
                    group_head = pobj[0]
                    if count is None and (h.like_num or h.lower_ in QUANTITY_HEADS):
                        count, numeric = self.count_phrase(pobj[0])
            if count is None:
                continue
            any_count = True
            group = self.group_of(group_head)
            mention.groups[group] = _add(mention.groups.get(group), count)
            mention.total = _add(mention.total, count)
            mention.numeric = mention.numeric or numeric
            spans.append(self._phrase_span(h))
            if h.ent_type_ == "PERSON" and h.pos_ == "PROPN":
                mention.names = mention.names | {_person_name(h)}
        if not any_count:
            return None
        mention.span = (min(s[0] for s in spans), max(s[1] for s in spans))
        # "15 people, including four children": a breakdown inside the total, not more victims.
        for h in heads:
            for c in h.children:
                if c.dep_ == "prep" and c.lower_ in lex["breakdown"]:
                    for pobj in (x for x in c.children if x.dep_ == "pobj"):
                        sub = self.count_victims(pobj)
                        if sub is None:
                            continue
                        for group, cnt in sub.groups.items():
                            if group != "unknown" and group not in mention.groups:
                                mention.groups[group] = cnt
        return mention

    @staticmethod
    def _phrase_span(head) -> Span:
        """Span of a victim phrase: the head and what precedes it in its subtree (not relative clauses)."""
        start = min(t.idx for t in head.subtree if t.i <= head.i)
        return (start, head.idx + len(head.text))


class _MentionFinder:
    """Finds casualty mentions in one sentence."""

    def __init__(self, lex: dict):
        self.lex = lex
        self.counter = _Counter(lex)

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
            if tok.pos_ == "NOUN" and lemma in lex["noun_outcome"]:
                found.extend(self._noun(tok, lex["noun_outcome"][lemma]))
            if tok.pos_ == "NOUN" and lemma in lex["toll"]:
                found.extend(self._toll(tok))
            if tok.pos_ == "NOUN" and (lemma in lex["fatal_event_noun"] or (lemma in lex["fatal_event_heads"] and any(
                    c.lower_ in lex["fatal_event_adj"] for c in tok.children if c.dep_ == "amod"))):
                found.extend(self._fatal_event(tok))
            for m in found:
                m.anchor = tok.i
                m.sent_index = sent_index
            mentions.extend(found)
        return self._dedupe(mentions)

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

    def _is_fatal(self, verb) -> bool:
        lex = self.lex
        for c in verb.children:
            if c.lower_ in lex["fatal_mod"] and c.dep_ in ("advmod", "oprd", "acomp", "xcomp", "dep", "amod",
                                                           "npadvmod", "attr"):
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
            if v.dep_ in ("acl", "relcl") and v.tag_ == "VBN" and v.head.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
                # "a man shot in the chest", "the man who was killed"
                return v.head, True
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
                    m.total, m.groups = _exact(0), {}
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
            m.total, m.groups = _exact(0), {}
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

    def _noun(self, noun, outcome: str) -> list[Mention]:
        """'six deaths', 'the deaths of two friends', 'the lives of 20 people', 'his death'."""
        lex = self.lex
        for c in noun.children:
            if c.dep_ == "nummod" or (c.like_num and c.dep_ in ("amod", "compound")):
                count = self.counter.count_from_number(c)
                if count is not None:
                    return [Mention(outcome=outcome, total=count, groups={"unknown": count},
                                    span=(c.left_edge.idx, noun.idx + len(noun.text)))]
        for prep in (c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"):
            for pobj in (p for p in prep.children if p.dep_ == "pobj"):
                m = self.counter.count_victims(pobj)
                if m is not None:
                    m.outcome = outcome
                    return [m]
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
                return [Mention(outcome="killed", total=_exact(1), groups={"unknown": _exact(1)},
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
        update = False
        verb = toll.head if toll.dep_ in SUBJECT_DEPS else None
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
                                span=(toll.left_edge.idx, cand.idx + len(cand.text)), update=update)]
        return []

    def _fatal_event(self, noun) -> list[Mention]:
        """'a fatal shooting', 'the homicide': someone died, no figure given ('a double homicide': two)."""
        n = None
        for c in noun.children:
            if c.dep_ in ("amod", "compound") and c.lower_ in self.lex["multiples"]:
                n = self.lex["multiples"][c.lower_]
        # "a double homicide" gives a figure; "a fatal shooting" only says someone died
        return [Mention(outcome="killed", total=_exact(n or 1), groups={"unknown": _exact(n or 1)},
                        span=(noun.left_edge.idx, noun.idx + len(noun.text)), weak=n is None,
                        numeric=n is not None)]


# ---------------------------------------------------------------- combining

@dataclass
class _Tally:
    """The combined mentions of one incident, per outcome."""
    mentions: dict[str, list[Mention]] = field(default_factory=lambda: {"killed": [], "injured": [], "harmed": []})

    def add(self, m: Mention) -> None:
        self.mentions[m.outcome].append(m)

    def casualties(self, outcome: str) -> Optional[Casualties]:
        if outcome == "injured":
            return self._injured()
        return self._killed()

    def _killed(self) -> Optional[Casualties]:
        killed = self._combine([m for m in self.mentions["killed"] if not m.all_harmed])
        everyone = [m for m in self.mentions["killed"] if m.all_harmed]
        if everyone and killed is None:
            # "two teens were shot ... their deaths", "two guards were wounded; they later died"
            # (with a figure for the dead already given, "both died" is about those dead)
            for hit in (self._combine(self.mentions["harmed"]), self._combine(self.mentions["injured"])):
                if hit is not None and _best(hit.total) > _best(killed.total if killed else None):
                    killed = hit
        return killed

    @staticmethod
    def _combine(mentions: list[Mention]) -> Optional[Casualties]:
        usable = [m for m in mentions if not m.implausible]
        if not usable:
            return None
        strong = [m for m in usable if not m.weak] or usable
        # Figures for one outcome are the same victims told again, so the largest wins, and a later revision
        # ("rose to") wins over all. "Two other people were wounded" is counted the same way: in news
        # reports such "others" are far more often the ones already counted, told again, than new victims.
        updates = [m for m in strong if m.update]
        if updates:
            base = max(updates, key=lambda m: m.anchor)       # the latest revision
        else:
            base = max(strong, key=lambda m: _best(m.total))
        total = base.total
        groups = dict(base.groups)
        for m in strong if not updates else []:
            if m is base:
                continue
            for g, c in m.groups.items():
                if g != "unknown" and _best(c) > _best(groups.get(g)):
                    groups[g] = c
        # Named victims told one by one add up, unless the article gives a figure for them.
        people = _distinct_people([n for m in strong for n in m.names])
        if people > max(_best(total), 0) and not any(m.numeric for m in strong):
            total = _exact(people)               # "Smith was pronounced dead ... Jones was pronounced dead"
        known = sum(max(_best(groups.get(g)), 0) for g in GROUPS if g != "unknown")
        if total is not None and known > _best(total) and "unknown" not in groups:
            total = Count(low=known, best=known, high=None)  # a breakdown larger than the stated total
        span = base.span
        cas = Casualties(total=total, span=span)
        for g in GROUPS:
            setattr(cas, g, groups.get(g))
        if cas.unknown is not None and all(getattr(cas, g) is None for g in GROUPS if g != "unknown"):
            cas.unknown = None                       # nothing known about who they were: just a total
        return cas

    def _injured(self) -> Optional[Casualties]:
        injured = self._combine(self.mentions["injured"])
        if injured is not None and any(m.all_harmed for m in self.mentions["killed"]):
            killed = self._killed()
            if killed is not None and _best(killed.total) >= _best(injured.total):
                injured = None                   # the wounded later died
        harmed = self._combine(self.mentions["harmed"])
        if harmed is None:
            return injured
        killed = self._killed()
        killed_n = max(_best(killed.total), 0) if killed is not None else 0
        rest = _best(harmed.total) - killed_n
        if rest <= 0:
            return injured                     # everyone hit died: no injuries reported
        if injured is None or _best(injured.total) < rest:
            groups = {g: getattr(harmed, g) for g in GROUPS}
            if killed is not None:                # victims who died are not also wounded
                for g in GROUPS:
                    if groups[g] is not None and getattr(killed, g) is not None:
                        left = _best(groups[g]) - _best(getattr(killed, g))
                        groups[g] = _exact(left) if left > 0 else None
            cas = Casualties(total=_exact(rest) if killed_n else harmed.total, span=harmed.span)
            for g in GROUPS:
                setattr(cas, g, groups[g])
            return cas
        return injured


# ---------------------------------------------------------------- the stage

class CasualtyResolver:
    """Fills event.fatalities and event.injuries for violent events."""

    def __init__(self):
        self.lex = _lexicon()
        self.finder = _MentionFinder(self.lex)
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
        strict = self.lex["violent_in_sentence"]
        pooled = [e for e in violent if e.event_type not in strict]
        incidents = self._incidents(ctx, pooled, attached) + [[e] for e in violent if e.event_type in strict]
        for incident in incidents:
            tally = _Tally()
            for ev in incident:
                for m in attached.get(id(ev), []):
                    tally.add(m)
            fatalities = tally.casualties("killed")
            injuries = tally.casualties("injured")
            implausible = [m for ev in incident for m in attached.get(id(ev), []) if m.implausible]
            for ev in incident:
                ev.fatalities = _copy(fatalities)
                ev.injuries = _copy(injuries)
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
        return ev.event_type in self.lex["violent"] or ev.event_type in self.lex["violent_in_sentence"]

    def _check_plausible(self, m: Mention) -> None:
        limit = self.lex["max_plausible"]
        counts = [m.total] + list(m.groups.values())
        if any(c is not None and max(x or 0 for x in (c.low, c.best, c.high)) > limit for c in counts):
            m.implausible = True
            LOGGER.debug("implausible casualty figure at %s", m.span)

    def _attach(self, ctx: DocContext, violent: list[Event], mentions: list[Mention]) -> dict[int, list[Mention]]:
        """Mention -> event: the trigger it hangs from, else the nearest in its sentence, else the paragraph's."""
        by_sent: dict[int, list[Event]] = {}
        for ev in violent:
            by_sent.setdefault(ev.sent_index, []).append(ev)
        strict = self.lex["violent_in_sentence"]
        attached: dict[int, list[Mention]] = {}
        for m in mentions:
            target = None
            in_sent = by_sent.get(m.sent_index, [])
            if in_sent:
                target = self._by_dependency(ctx, in_sent, m) or min(
                    in_sent, key=lambda e: abs(e.trigger_index - m.anchor))
            else:
                target = self._by_paragraph(ctx, [e for e in violent if e.event_type not in strict], m)
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


_NAME_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr."}


def _person_name(tok) -> frozenset:
    """The words of the PERSON entity a token belongs to, without titles and suffixes."""
    ent = entity_at(tok)
    words = [t.lower_ for t in (ent if ent is not None else [tok])]
    return frozenset(w for w in words if w not in _NAME_SUFFIXES and w.isalpha() or "-" in w)


def _distinct_people(names: list[frozenset]) -> int:
    """Count names that are different people: 'Joe Martinez Jr.' and 'Martinez' are one ('Martinez' is a subset)."""
    kept: list[frozenset] = []
    for name in sorted((n for n in names if n), key=len, reverse=True):
        if not any(name <= k for k in kept):
            kept.append(name)
    return len(kept)


def _copy(c: Optional[Casualties]) -> Optional[Casualties]:
    if c is None:
        return None
    return Casualties(
        total=_copy_count(c.total), civilians=_copy_count(c.civilians),
        security_forces=_copy_count(c.security_forces), militants=_copy_count(c.militants),
        unknown=_copy_count(c.unknown), span=c.span)


def _copy_count(c: Optional[Count]) -> Optional[Count]:
    return None if c is None else Count(low=c.low, best=c.best, high=c.high)

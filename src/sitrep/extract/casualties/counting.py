"""Reading how many people a victim phrase names and who they were: numbers ('twenty-five', '1.2 million'),
bounds ('at least eight'), vague amounts ('dozens'), victim groups ('soldiers' -> security forces), and the
`Mention` each harm word yields."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from ...model import Count, Span
from ...nlp import entity_at
from .lexicon import NOT_COUNTS, QUANTITY_HEADS

_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+$")
_DECIMAL = re.compile(r"^\d+(?:\.\d+)?$")


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
    running_total: bool = False                   # "raises the death toll to 225": several incidents' sum


def add_counts(a: Optional[Count], b: Optional[Count]) -> Optional[Count]:
    if a is None:
        return b
    if b is None:
        return a

    def plus(x, y):
        return None if x is None or y is None else x + y

    return Count(low=plus(a.low, b.low), best=plus(a.best, b.best), high=plus(a.high, b.high))


def best_of(c: Optional[Count]) -> int:
    if c is None:
        return -1
    if c.best is not None:
        return c.best
    if c.low is not None:
        return c.low
    return c.high if c.high is not None else -1


def exact_count(n: int) -> Count:
    return Count(low=n, best=n, high=n)


def count_with_bound(value: int, bound: Optional[str]) -> Count:
    """A figure with the bound its modifiers give (data/casualties.yaml `bounds`): 'at least 8' is low 8, best 8."""
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
    return exact_count(value)


class VictimCounter:
    """Reads the number of people in a victim phrase."""

    def __init__(self, lex: dict):
        self.lex = lex

    def number_value(self, tok) -> Optional[int]:
        """The integer a number token (with its compound parts: 'twenty - five', '1.2 million') stands for."""
        text = tok.text.lower().replace("\u2009", "")
        parts = [c for c in tok.children if c.dep_ in ("compound", "quantmod", "nummod") and c.i < tok.i
                 and (c.like_num or c.lower_ in self.lex["numbers"])]
        value = self.word_value(text)
        if value is None:
            return None
        for part in parts:
            pv = self.word_value(part.lower_)
            if pv is None:
                continue
            if value in (100, 1000, 1000000, 1000000000):
                value = int(pv * value) if pv < value else value
            elif pv >= 20 and pv % 10 == 0 and value < 10:
                value = pv + value                 # "twenty - five"
        return value

    def word_value(self, text: str) -> Optional[float]:
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
        return count_with_bound(int(value), self.bounds_of(num))

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
            return exact_count(0), True
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
                return exact_count(1), False
            return None, False
        if head.pos_ == "PROPN" and head.ent_type_ == "PERSON":
            return exact_count(1), False
        if head.tag_ in ("NN", "NNP") and head.pos_ in ("NOUN", "PROPN"):
            dets = [c for c in children if c.dep_ in ("det", "poss")]
            if any(d.lower_ in lex["singular_det"] or d.dep_ == "poss" for d in dets):
                return exact_count(1), False
            if head.dep_ == "conj" and head.tag_ == "NN":     # "a father and son" (not "jihadis", mis-tagged)
                return exact_count(1), False
        if lower == "one" or (head.tag_ not in ("NNS", "NNPS") and any(
                c.dep_ == "det" and c.lower_ in ("a", "an") for c in children)):
            return exact_count(1), False              # "an 18-year-old was shot"
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
            heads.extend(self._other_side(head))
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
                    elif h.lemma_.lower() in lex["collective"]:
                        # "a unit of six fighters": the members, when the of-phrase gives a figure
                        members, members_numeric = self.count_phrase(pobj[0])
                        if members is not None and members_numeric:
                            count, numeric = members, True
            if count is None:
                continue
            any_count = True
            group = self.group_of(group_head)
            mention.groups[group] = add_counts(mention.groups.get(group), count)
            mention.total = add_counts(mention.total, count)
            mention.numeric = mention.numeric or numeric
            spans.append(self._phrase_span(h))
            if h.ent_type_ == "PERSON" and h.pos_ == "PROPN":
                mention.names = mention.names | {person_name(h)}
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

    def _other_side(self, head) -> list:
        """"Four soldiers, 12 rebels killed": a comma-joined count of another side, which the parse reads as an
        apposition. Only between two known sides (soldiers, rebels, civilians): "five people, three children and
        two women" is a breakdown of the five, not more dead."""
        if not any(c.dep_ == "nummod" for c in head.children):
            return []
        side = self.group_of(head)
        if side == "unknown":
            return []
        return [c for c in head.children if c.dep_ == "appos" and c.i > head.i
                and any(n.dep_ == "nummod" for n in c.children)
                and self.group_of(c) not in ("unknown", side)]

    @staticmethod
    def _phrase_span(head) -> Span:
        """Span of a victim phrase: the head and what precedes it in its subtree (not relative clauses)."""
        start = min(t.idx for t in head.subtree if t.i <= head.i)
        return (start, head.idx + len(head.text))


_NAME_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr."}


def person_name(tok) -> frozenset:
    """The words of the PERSON entity a token belongs to, without titles and suffixes."""
    ent = entity_at(tok)
    words = [t.lower_ for t in (ent if ent is not None else [tok])]
    return frozenset(w for w in words if w not in _NAME_SUFFIXES and w.isalpha() or "-" in w)

"""Who or what did it: the agent of a killing read from the parse, for the accident filter (accidents.py).

PLOVER's ASSAULT needs a human or organised attacker. "The coronavirus has killed two", "the town was hit by an
earthquake", "a quake that hit on Monday", "three were killed in a fire", "she died of pneumonia" name a
non-human agent or cause; "an engineer was killed while working on the line" names a mishap. Word lists are
data (data/non_human.yaml).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..data import load_yaml
from .parse import PASSIVE_SUBJECT_DEPS, RELATIVE_PRONOUNS, SUBJECT_DEPS, lemma

# the words of a noun phrase that may name what it is ("the 2019-nCoV coronavirus", "a coal mine fire")
_NOUN_PARTS = ("compound", "appos", "conj", "amod", "nmod")


@dataclass(frozen=True)
class AgentWords:
    non_human: frozenset[str]
    economic: frozenset[str]        # agents only: "prices hit exporters", never "killed in the market"
    cause_preps: frozenset[str]
    death_words: frozenset[str]
    mishap_activities: frozenset[str]


@lru_cache(maxsize=1)
def load_agent_words() -> AgentWords:
    spec = load_yaml("non_human.yaml")

    def words(key):
        return frozenset(str(w).lower() for w in spec[key])
    return AgentWords(non_human=words("non_human_agents"), economic=words("economic_agents"), cause_preps=words("cause_preps"),
                      death_words=words("death_words"), mishap_activities=words("mishap_activities"))


def names_non_human(tok, words: AgentWords, as_agent: bool = True) -> bool:
    """Does the noun phrase headed by `tok` name a force of nature, an illness or a mishap (or, as an agent, the
    economy)? Its head, its compounds and appositions ("the coronavirus 2019-nCoV"), and two-word names ("heart
    attack")."""
    vocabulary = words.non_human | words.economic if as_agent else words.non_human
    parts = [tok] + [c for c in tok.children if c.dep_ in _NOUN_PARTS]
    for part in parts:
        if part.pos_ not in ("NOUN", "PROPN"):
            continue
        if lemma(part) in vocabulary or part.lower_ in vocabulary:
            return True
    pairs = {f"{c.lower_} {lemma(tok)}" for c in tok.children if c.dep_ in ("compound", "amod", "nmod")}
    return bool(pairs & vocabulary)


def agents(trigger) -> list:
    """The tokens that name who or what acted: the subject (a relative pronoun stands for its noun, a participle
    clause takes its governor's subject: "the quake struck, killing seven"), and the passive "by" agent."""
    found = []
    node = trigger
    for _ in range(2):
        subj = next((c for c in node.children if c.dep_ in SUBJECT_DEPS), None)
        if subj is not None:
            if subj.lower_ in RELATIVE_PRONOUNS and node.dep_ == "relcl":
                subj = node.head            # "a quake that hit on Monday"
            found.append(subj)
            break
        if node.dep_ in ("advcl", "xcomp", "conj") and node.tag_ in ("VBG", "VBD", "VBZ", "VBP") \
                and node.head.i != node.i:
            node = node.head                # "the storm swept the coast, killing twelve"
            continue
        break
    found += [g for c in trigger.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    return found


def causes(trigger, words: AgentWords) -> list:
    """For a word of death, the nouns naming its cause: "died of pneumonia", "killed in a fire", "dead after a
    fall", "died due to complications"."""
    if lemma(trigger) not in words.death_words and trigger.lower_ not in words.death_words:
        return []
    found = []
    for c in trigger.children:
        if c.dep_ not in ("prep", "agent"):
            continue
        prep = c.lower_
        if prep == "due" or prep == "owing":
            prep = prep + " to"
            c = next((g for g in c.children if g.lower_ == "to"), c)
        if prep not in words.cause_preps:
            continue
        found += [g for g in c.children if g.dep_ == "pobj"]
    # "was found dead": the cause hangs on the state word
    for c in trigger.children:
        if c.dep_ in ("oprd", "acomp", "xcomp") and lemma(c) in words.death_words:
            found += causes(c, words)
    return found


def non_human_agent(trigger, words: AgentWords | None = None) -> bool:
    """Is the act's agent or a death's cause nature, illness or a mishap (and no person named as its agent)?"""
    words = words or load_agent_words()
    named = agents(trigger)
    if any(t.dep_ not in PASSIVE_SUBJECT_DEPS and names_non_human(t, words) for t in named):
        return True
    return any(names_non_human(t, words, as_agent=False) for t in causes(trigger, words))


def mishap(trigger, words: AgentWords | None = None) -> bool:
    """"killed while working on the track": a death during work or play (the caller checks for intent)."""
    words = words or load_agent_words()
    if lemma(trigger) not in words.death_words:
        return False
    return any(c.dep_ == "advcl" and lemma(c) in words.mishap_activities
               and any(m.dep_ == "mark" and m.lower_ in ("while", "when") for m in c.children)
               for c in trigger.children)

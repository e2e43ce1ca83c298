"""Shared vocabulary of the event finder: dependency labels, the trigger match, lemma helpers, tree walks."""
from __future__ import annotations

from dataclasses import dataclass

from .lexicon import TriggerEntry

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


def subject_words(subj) -> list:
    """A subject's head, its conjuncts and its of-object: "rains and floods", "an outbreak of cholera"."""
    words = [subj] + [c for c in subj.children if c.dep_ == "conj"]
    return words + [g for c in subj.children if c.dep_ == "prep" and c.lower_ == "of"
                    for g in c.children if g.dep_ == "pobj"]

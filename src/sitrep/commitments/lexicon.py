"""The commitment lexicon (data/commitments.yaml), loaded once and checked on load."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..data import load_yaml
from ..errors import LexiconError

NAME = "commitments.yaml"
REQUIRED = ("pledge_verbs", "ceasefire_nouns", "commitment_nouns", "declare_verbs", "extend_verbs", "violate_verbs",
            "invoke_verbs", "collapse_verbs", "deny_verbs", "accuse_verbs", "violation_phrases", "effect_phrases",
            "not_a_commitment_heads", "not_a_commitment_nouns", "condition_marks", "condition_phrases",
            "response_verbs", "unspecified_patterns", "speech_verbs", "first_person", "kinds", "thresholds",
            "start_words", "deadline_words", "duration_units", "number_words", "future_aux", "not_pledged",
            "cancelling_heads")


@dataclass(frozen=True)
class KindRule:
    verbs: frozenset
    nouns: frozenset
    with_: frozenset
    negated: bool


@dataclass(frozen=True)
class Kind:
    name: str
    polarity: str
    rules: tuple


class CommitmentLexicon:
    """Word sets (frozensets of lemmas) and compiled patterns of commitments.yaml."""

    def __init__(self, raw: dict):
        missing = [k for k in REQUIRED if k not in (raw or {})]
        if missing:
            raise LexiconError(f"{NAME}: missing section(s) {', '.join(missing)}")
        _check_strings(raw)
        words = lambda key: frozenset(str(w).lower() for w in raw[key])  # noqa: E731
        self.pledge_verbs = words("pledge_verbs")
        self.not_pledged = words("not_pledged")
        self.cancelling_heads = words("cancelling_heads")
        self.future_aux = words("future_aux")
        self.ceasefire_nouns = words("ceasefire_nouns")
        self.commitment_nouns = words("commitment_nouns")
        self.declare_verbs = words("declare_verbs")
        self.extend_verbs = words("extend_verbs")
        self.violate_verbs = words("violate_verbs")
        self.invoke_verbs = words("invoke_verbs")
        self.collapse_verbs = words("collapse_verbs")
        self.deny_verbs = words("deny_verbs")
        self.accuse_verbs = words("accuse_verbs")
        self.violation_phrases = tuple(str(p).lower() for p in raw["violation_phrases"])
        self.effect_phrases = tuple(tuple(str(p).lower().split()) for p in raw["effect_phrases"])
        self.not_a_commitment_heads = words("not_a_commitment_heads")
        self.not_a_commitment_nouns = words("not_a_commitment_nouns")
        self.condition_marks = words("condition_marks")
        self.condition_phrases = tuple(str(p).lower() for p in raw["condition_phrases"])
        self.response_verbs = words("response_verbs")
        try:
            self.unspecified = tuple(re.compile(p, re.IGNORECASE) for p in raw["unspecified_patterns"])
        except re.error as exc:
            raise LexiconError(f"{NAME}: bad pattern in unspecified_patterns: {exc}") from None
        self.speech_verbs = words("speech_verbs")
        self.first_person = words("first_person")
        kinds = []
        for k in raw["kinds"]:
            if not isinstance(k, dict) or "name" not in k or k.get("polarity") not in ("act", "refrain"):
                raise LexiconError(f"{NAME}: each kind needs a name and a polarity act|refrain: {k!r}")
            rules = tuple(KindRule(verbs=frozenset(r.get("verbs") or ()), nouns=frozenset(r.get("nouns") or ()),
                                   with_=frozenset(r.get("with") or ()), negated=bool(r.get("negated")))
                          for r in k.get("rules") or ())
            kinds.append(Kind(k["name"], k["polarity"], rules))
        self.kinds = tuple(kinds)
        self.kind_verbs = frozenset(v for k in kinds for r in k.rules for v in r.verbs)
        self.zero_words = frozenset(raw["thresholds"]["zero"])
        self.relative_words = frozenset(raw["thresholds"]["relative"])
        self.start_words = tuple(str(w).lower() for w in raw["start_words"])
        self.deadline_words = tuple(str(w).lower() for w in raw["deadline_words"])
        self.duration_units = {str(k): float(v) for k, v in raw["duration_units"].items()}
        self.number_words = {str(k).lower(): int(v) for k, v in raw["number_words"].items()}
        units = "|".join(self.duration_units)
        numbers = "|".join(sorted(self.number_words, key=len, reverse=True))
        # "three-day", "72-hour", "week-long", "for two weeks", "within 60 days", "by another two weeks"
        self.duration = re.compile(
            rf"\b(?:(?P<num>\d+|{numbers})[- ](?P<unit>{units})s?(?:-long)?|(?P<unit2>{units})-long)\b",
            re.IGNORECASE)


def _check_strings(value, where: str = NAME) -> None:
    """YAML reads a bare no, yes, on or off as true/false: in a word list that is a silent error, so it is refused."""
    if isinstance(value, bool):
        raise LexiconError(f"{where}: {value!r} is read as a boolean; quote the word (\"no\", \"on\")")
    if isinstance(value, dict):
        for k, v in value.items():
            if k in ("negated",):
                continue
            _check_strings(v, f"{where}: {k}")
    elif isinstance(value, list):
        for v in value:
            _check_strings(v, where)


@lru_cache(maxsize=1)
def load_commitment_lexicon() -> CommitmentLexicon:
    return CommitmentLexicon(load_yaml(NAME))


def negated_token(tok) -> bool:
    return any(c.dep_ == "neg" or c.lower_ in ("never", "no") for c in tok.children)


def rule_hit(rule: KindRule, scope) -> "list | None":
    """The tokens of `scope` that satisfy one kind rule, or None."""
    if rule.verbs:
        for t in scope:
            if t.lemma_.lower() in rule.verbs and t.pos_ in ("VERB", "AUX", "NOUN") \
                    and (not rule.negated or negated_token(t)):
                if rule.with_:
                    w = next((x for x in scope if x.lemma_.lower() in rule.with_ and x is not t), None)
                    if w is None:
                        continue
                    return [t, w]
                return [t]
        return None
    if rule.nouns:
        n = next((t for t in scope if t.lemma_.lower() in rule.nouns), None)
        if n is None:
            return None
        if rule.with_:
            w = next((x for x in scope if x.lemma_.lower() in rule.with_ and x is not n), None)
            return [n, w] if w is not None else None
        return [n]
    return None


def find_kind(lex: CommitmentLexicon, scope) -> "tuple[Kind, list] | None":
    """The first kind (in the lexicon's order) one of whose rules the scope satisfies, with the matching tokens."""
    for kind in lex.kinds:
        for rule in kind.rules:
            hit = rule_hit(rule, scope)
            if hit is not None:
                return kind, hit
    return None

"""The casualty lexicon (`data/casualties.yaml`) and the parse labels the casualty readers share."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ...data import load_yaml

GROUPS = ("civilians", "security_forces", "militants", "unknown")
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
# Heads of quantity phrases whose of-phrase names the victims: "dozens of people", "a handful of soldiers".
QUANTITY_HEADS = {"dozens", "scores", "hundreds", "thousands", "tens", "handful", "number", "couple", "dozen",
                  "score", "several", "many", "both", "few", "all", "some", "none", "each"}
# Numbers inside these entities are dates, times, money or ranks, not people.
NOT_COUNTS = {"DATE", "TIME", "MONEY", "PERCENT", "ORDINAL", "QUANTITY"}
OBJECT_DEPS = {"dobj", "obj"}


@dataclass(frozen=True)
class SurfaceRules:
    after_count: dict[tuple[str, ...], str]   # words -> outcome: "3 cops killed", "5 casualties", "shot dead"
    before_count: dict[str, str]       # word form -> outcome: "kills 5", "murder four"
    max_gap: int                       # victims' words allowed between a count and its harm word
    gap_pos: frozenset[str]            # parts of speech of those words
    not_victim_words: frozenset[str]   # lemmas that make the words between something else than people
    not_before_count: frozenset[str]   # a count after these is not a victim count ("in 3 days", "of 2")
    multipliers: dict[str, int]        # "two dozen", "three hundred"
    vague_words: frozenset[str]        # vague amounts that stand as a count on their own: "dozens killed"
    toll_words: frozenset[str]         # "Casualties ... rise to 21": a toll named before ...
    toll_updates: frozenset[tuple[str, ...]]   # ... and revised
    running_total_after: tuple[tuple[str, ...], ...]  # a count followed by these is a tally: "so far this year"


def load_surface_rules(raw: dict) -> SurfaceRules:
    spec = raw["surface"]

    def forms(section: dict) -> dict[str, str]:
        return {str(w).lower(): outcome for outcome, words in section.items() for w in words}

    return SurfaceRules(
        after_count={tuple(k.split()): v for k, v in forms(spec["after_count"]).items()},
        before_count=forms(spec["before_count"]),
        max_gap=int(spec["max_gap"]),
        gap_pos=frozenset(spec["gap_pos"]),
        not_victim_words=frozenset(str(w).lower() for w in spec["not_victim_words"]) | frozenset(raw["not_victims"]),
        not_before_count=frozenset(str(w).lower() for w in spec["not_before_count"]),
        multipliers={str(k): int(v) for k, v in spec["multipliers"].items()},
        vague_words=frozenset(str(w).lower() for w in spec["vague_words"]),
        toll_words=frozenset(str(w).lower() for w in spec["toll_words"]),
        toll_updates=frozenset(tuple(str(w).lower().split()) for w in spec["toll_updates"]),
        running_total_after=tuple(tuple(str(w).lower().split()) for w in spec.get("running_total_after") or ()),
    )


@lru_cache(maxsize=1)
def load_lexicon() -> dict:
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
        "carry_if_alone": frozenset(raw.get("carry_if_alone", [])),
        "verb_outcome": {
            **{v: "killed" for v in verbs["killed"]},
            **{v: "injured" for v in verbs["injured"]},
            **{v: "harmed" for v in verbs["harmed"]},
        },
        "intransitive": frozenset(verbs["killed_intransitive"]),
        "killed_if_fatal": frozenset(verbs["killed_if_fatal"]),
        "fatal_if_mod": frozenset(raw["fatal_if_modifiers"]) | frozenset(raw["fatal_modifiers"]),
        "collective": frozenset(raw["collective_heads"]),
        "result_verbs": frozenset(raw["result_verbs"]),
        "raise_verbs": frozenset(raw["raise_verbs"]),
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
        "of_nouns": frozenset(raw["killed_of_nouns"]),
        "of_noun_preps": frozenset(str(w).lower() for w in raw.get("killed_of_noun_preps") or ("of",)),
        "body_parts": frozenset(raw["body_parts"]),
        "body_part_states": frozenset(raw["body_part_states"]),
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
        "surface": load_surface_rules(raw),
    }

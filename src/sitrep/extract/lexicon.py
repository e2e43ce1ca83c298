"""The trigger lexicon and the word lists of the event finder, compiled once from data/*.yaml."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from ..data import load_yaml
from ..errors import LexiconError

EVENT_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
    "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
KNOWN_NEEDS = {None, "object", "no_object", "modal", "person_object", "place_object", "complement", "partner",
               "aid_object", "announced", "weapon_object", "base_object", "body_object", "visit", "stopped_cooperation",
               "infinitive"}


@dataclass(frozen=True)
class TriggerEntry:
    event_type: str
    phrase: tuple[str, ...]           # lemmas
    pos: frozenset[str]
    mode: Optional[str] = None
    cameo: Optional[str] = None
    acled: Optional[str] = None
    context: tuple[str, ...] = ()
    needs: Optional[str] = None       # a constraint name, or "prep:a|b"
    confidence: float = 0.7
    unless: frozenset[str] = frozenset()
    recipient_preps: frozenset[str] = frozenset()   # overrides the type's own ("arrived in Amman for talks")


@dataclass(frozen=True)
class WeaponMode:
    mode: str
    acled: Optional[str]
    cues: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Lexicon:
    # first lemma -> entries whose phrase starts with it, longest phrases first
    triggers: dict[str, tuple[TriggerEntry, ...]]
    weapon_modes: tuple[WeaponMode, ...]
    light_verbs: frozenset[str]
    effect_verbs: frozenset[str]
    recipient_preps: dict[str, frozenset[str]]
    symmetric_types: frozenset[str]
    people_nouns: frozenset[str]
    place_nouns: frozenset[str]
    aid_goods: frozenset[str]
    announcers: frozenset[str]
    person_pronouns: frozenset[str]
    participation_verbs: frozenset[str]
    reporting_verbs: frozenset[str]
    stop_verbs: frozenset[str]
    weapon_nouns: frozenset[str]
    base_nouns: frozenset[str]
    body_nouns: frozenset[str]
    quantity_nouns: frozenset[str]
    death_states: frozenset[str]
    finding_verbs: frozenset[str]
    obligation_modals: frozenset[str]
    intent_verbs: frozenset[str]
    intent_modals: frozenset[str]
    to_agree: frozenset[str]
    to_threaten: frozenset[str]
    conditional_marks: frozenset[str]
    activity_nouns: frozenset[str]
    non_event_governors: frozenset[str]
    opinion_verbs: frozenset[str]
    opinion_subjects: frozenset[str]
    embedded: dict[str, str]
    complement_deps: frozenset[str]
    adjunct_preps: frozenset[str]
    non_event_marks: frozenset[str]
    event_container_nouns: frozenset[str]
    reflexive_objects: frozenset[str]
    message_nouns: frozenset[str]
    visit_nouns: frozenset[str]
    cooperation_nouns: frozenset[str]
    natural_forces: frozenset[str]
    medical_modifiers: frozenset[str]
    charge_governors: frozenset[str]
    figurative_modifiers: frozenset[str]
    abstract_targets: frozenset[str]
    legislative_objects: frozenset[str]
    enacting_verbs: frozenset[str]
    law_content_types: frozenset[str]
    ceremonial_objects: frozenset[str]
    withdrawn_from_non_events: frozenset[str]
    danger_modifiers: frozenset[str]
    sport_terms: frozenset[str]
    courts: frozenset[str]
    sentencing_verbs: frozenset[str]

    def recipient_preps_for(self, event_type: str) -> frozenset[str]:
        return self.recipient_preps.get(event_type, frozenset()) | self.recipient_preps.get("*", frozenset())


# Lexicon field -> (data file, key path) for the plain lowercase word sets.
WORD_SETS: dict[str, tuple[str, tuple[str, ...]]] = {
    **{name: ("roles", (name,)) for name in (
        "light_verbs", "effect_verbs", "people_nouns", "place_nouns", "aid_goods", "announcers", "person_pronouns",
        "participation_verbs", "reporting_verbs", "stop_verbs", "weapon_nouns", "base_nouns", "body_nouns", "quantity_nouns",
        "death_states", "finding_verbs", "obligation_modals",
        "activity_nouns", "message_nouns", "visit_nouns", "cooperation_nouns")},
    "intent_verbs": ("roles", ("intent", "verbs")),
    "intent_modals": ("roles", ("intent", "modals")),
    "conditional_marks": ("roles", ("intent", "conditional_marks")),
    **{name: ("filters", (name,)) for name in (
        "non_event_governors", "opinion_verbs", "opinion_subjects", "complement_deps", "adjunct_preps",
        "non_event_marks", "event_container_nouns", "reflexive_objects", "natural_forces",
        "medical_modifiers", "charge_governors", "figurative_modifiers", "abstract_targets",
        "legislative_objects", "enacting_verbs", "law_content_types", "ceremonial_objects",
        "withdrawn_from_non_events", "danger_modifiers", "sport_terms", "courts", "sentencing_verbs")},
}


def _dig(spec: dict, path: tuple[str, ...]):
    for key in path:
        if not isinstance(spec, dict) or key not in spec:
            raise LexiconError(f"data file lacks the list {'.'.join(path)!r}")
        spec = spec[key]
    return spec


def _phrase(words: str) -> tuple[str, ...]:
    return tuple(w for w in words.lower().replace("-", " - ").split() if w)


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    triggers_spec = load_yaml("triggers.yaml")
    roles = load_yaml("roles.yaml")
    filters = load_yaml("event_filters.yaml")
    weapons = load_yaml("weapons.yaml")

    index: dict[str, list[TriggerEntry]] = {}
    for event_type, groups in triggers_spec.items():
        if event_type not in EVENT_TYPES:
            raise LexiconError(f"triggers.yaml: unknown PLOVER type {event_type!r}; expected one of {', '.join(EVENT_TYPES)}")
        for group in groups:
            needs = group.get("needs")
            if needs not in KNOWN_NEEDS and not str(needs).startswith("prep:"):
                raise LexiconError(f"triggers.yaml: {event_type}: unknown constraint needs={needs!r}")
            for words in group["words"]:
                phrase = _phrase(str(words))
                entry = TriggerEntry(
                    event_type=event_type,
                    phrase=phrase,
                    pos=frozenset(group.get("pos") or ()),
                    mode=group.get("mode"),
                    cameo=str(group["cameo"]) if group.get("cameo") is not None else None,
                    acled=group.get("acled"),
                    context=tuple(group.get("context") or ()),
                    needs=needs,
                    confidence=float(group.get("confidence", 0.7)),
                    unless=frozenset(str(w).lower() for w in group.get("unless") or ()),
                    recipient_preps=frozenset(str(w).lower() for w in group.get("recipient_preps") or ()),
                )
                index.setdefault(phrase[0], []).append(entry)
    triggers = {k: tuple(sorted(v, key=lambda e: -len(e.phrase))) for k, v in index.items()}

    weapon_modes = tuple(
        WeaponMode(mode=m["mode"], acled=m.get("acled"), cues=tuple(_phrase(c) for c in m["cues"]))
        for m in weapons["modes"]
    )

    def fs(values) -> frozenset[str]:
        for v in values or ():
            if not isinstance(v, str):
                raise LexiconError(f"data file value {v!r} is not a string; quote it in the YAML (e.g. \"on\")")
        return frozenset(v.lower() for v in values or ())

    sources = {"roles": roles, "filters": filters}
    word_sets = {name: fs(_dig(sources[src], path)) for name, (src, path) in WORD_SETS.items()}
    return Lexicon(
        triggers=triggers,
        weapon_modes=weapon_modes,
        recipient_preps={k: fs(v) for k, v in roles["recipient_preps"].items()},
        symmetric_types=frozenset(roles["symmetric_types"]),
        to_agree=frozenset(roles["intent"]["cooperative_to_agree"]),
        to_threaten=frozenset(roles["intent"]["conflictual_to_threaten"]),
        embedded={k: str(v) for k, v in filters["embedded"].items()},
        **word_sets,
    )

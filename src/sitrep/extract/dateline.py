"""Where a wire story's dateline or credit line ends: "KABUL, Afghanistan (AP) - NATO troops ...",
"NAIROBI: Gunmen ...", "ISLAMABAD, Jan 5 (Reuters) - ...", "Reuters - Rebels ...", and a headline's lead label
("Chihuahua: Confrontation leaves 5 dead").

The parser reads such an opening as part of the first noun phrase ("Afghanistan - NATO troops" as one actor), so
the stages that name participants ask `dateline_end(text)` and leave the words before it out (roles.py). The
dateline's place still counts as a place of the story (places/finding.py reads it on its own terms).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..data import load_yaml


@dataclass(frozen=True)
class DatelineRules:
    pattern: re.Pattern        # a dateline or credit line at the start of a text
    max_chars: int


@lru_cache(maxsize=1)
def load_dateline_rules() -> DatelineRules:
    spec = load_yaml("datelines.yaml")
    agencies = "|".join(re.escape(str(a)) for a in sorted(spec["agencies"], key=len, reverse=True))
    # a single hyphen needs spaces around it ("KABUL - NATO"), not a hyphenated word ("Al-Shabab")
    seps = "|".join(r"\s-\s" if s == "-" else r"\s*" + re.escape(s) + (r"\s" if s == ":" else r"\s*")
                    for s in sorted(spec["separators"], key=len, reverse=True))
    credit = rf"\(?(?:{agencies})\)?"
    # CITY in capitals (a word of two letters or more), then up to two ", Country/State/Jan 5" parts
    place = r"[A-Z][A-Z.'\u2019]+(?:[ -][A-Z][A-Z.'\u2019]+)*(?:\s*,\s*[A-Z][\w.'\u2019]*(?:\s+[\w.'\u2019]+){0,2}){0,2}"
    # a headline's lead label in Title Case before a colon: "Tijuana:", "San Luis Potosi, SLP:", "Guaymas/San
    # Carlos Sonora:" (the places stage reads it as the story's place; it is no actor)
    word = r"[A-Z][\w.'\u2019-]*"
    lead = rf"{word}(?:[ /]{word}){{0,3}}(?:\s*,\s*{word}(?:\s+{word}){{0,2}})?\s*:{{1,2}}\s"
    pattern = re.compile(rf"^\s*(?:(?:(?:{place})(?:\s*{credit})?|{credit})(?:{seps})|{lead})\s*")
    return DatelineRules(pattern=pattern, max_chars=int(spec["max_chars"]))


def dateline_end(text: str, rules: DatelineRules | None = None) -> int:
    """The offset where the story starts after its dateline or credit line; 0 when it has none."""
    rules = rules or load_dateline_rules()
    m = rules.pattern.match(text[:rules.max_chars + 10])
    if m is None or m.end() > rules.max_chars or m.end() >= len(text.rstrip()):
        return 0
    return m.end()

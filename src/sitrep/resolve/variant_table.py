"""The shape the name tables share (admin_names, district_names, town_names .yaml): per country, an English name and
the other spellings analysts write, read into lookups in both directions."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

from ..errors import LexiconError
from .gazetteer_core import name_key


@dataclass(frozen=True)
class VariantTable:
    english_of: dict            # (ISO3, folded spelling) -> English name (the headings fold to themselves)
    spellings: dict             # (ISO3, English name) -> every spelling, the English one first

    def english(self, country: Optional[str], names: Iterable[str]) -> Optional[str]:
        """The English name of the country's unit known by any of `names` (tried in order)."""
        for n in names:
            if n:
                hit = self.english_of.get((country, name_key(n)))
                if hit is not None:
                    return hit
        return None

    def is_spelling_of(self, country: Optional[str], written: str, english: str) -> bool:
        """Whether the table lists `written` as a spelling of the unit it calls `english`."""
        return self.english_of.get((country, name_key(written))) == english


def listed_names(file_name: str, iso3: str, heading: str, variants) -> list:
    """The heading and its spellings, each checked to be text."""
    names = [heading, *(variants or [])]
    if not all(isinstance(n, str) and n.strip() for n in names):
        raise LexiconError(f"{file_name}: {iso3} {heading!r} has an empty or non-text spelling")
    return names


def read_variants(file_name: str, section: Optional[dict]) -> tuple[dict, dict]:
    """(english_of, spellings) of a section laid out ISO3 -> {English name: [other spellings]}; a spelling
    listed under two English names of one country is an error. The caller catches a malformed layout."""
    english_of: dict = {}
    spellings: dict = {}
    for iso3, table in (section or {}).items():
        for english, variants in (table or {}).items():
            names = listed_names(file_name, iso3, english, variants)
            spellings[(iso3, english)] = tuple(names)
            for n in names:
                key = (iso3, name_key(n))
                if english_of.get(key, english) != english:
                    raise LexiconError(f"{file_name}: {iso3} {n!r} is listed under both "
                                       f"{english_of[key]!r} and {english!r}")
                english_of[key] = english
    return english_of, spellings

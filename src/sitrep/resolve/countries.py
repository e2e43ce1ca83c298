"""The country lexicon (data/countries.yaml): names, demonyms and metonyms of every country, as lookup tables."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from ..data import load_yaml
from ..errors import LexiconError
from .gazetteer import name_key

LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class Country:
    iso3: str
    name: str
    names: tuple[str, ...]          # every name, canonical first
    demonyms: tuple[str, ...]
    metonyms: tuple[tuple[str, str], ...]   # (text, sector)
    wikidata: Optional[str]


@dataclass(frozen=True)
class CountryLexicon:
    by_iso3: dict[str, Country]
    # Exact surface text -> ISO3. Case matters: "US" is the country, "us" is not.
    names: dict[str, str]
    demonyms: dict[str, str]
    metonyms: dict[str, tuple[str, str]]        # text -> (ISO3, sector)
    # Folded keys of names of five letters or more, for spellings like "AFGHANISTAN" in datelines.
    folded_names: dict[str, str]
    max_words: int                  # longest entry in words, bounds the n-gram scan
    # The first one to three characters of every name, demonym and metonym: a token that starts none of them
    # starts no match, so the n-gram scans skip it without building its spans.
    starts: frozenset = frozenset()

    def country_of(self, text: str) -> Optional[str]:
        """ISO3 for a country name or demonym written exactly as in the text, else None."""
        return self.names.get(text) or self.demonyms.get(text)


def _as_list(value, field: str, iso3: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LexiconError(f"countries.yaml: '{field}' of {iso3} must be a list of strings")
    return value


@lru_cache(maxsize=1)
def load_countries() -> CountryLexicon:
    data = load_yaml("countries.yaml")
    if not isinstance(data, dict) or not isinstance(data.get("countries"), list):
        raise LexiconError("countries.yaml must hold a 'countries' list")
    by_iso3: dict[str, Country] = {}
    names: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    metonyms: dict[str, tuple[str, str]] = {}
    folded: dict[str, str] = {}
    max_words = 1
    for row in data["countries"]:
        iso3 = row.get("iso3") if isinstance(row, dict) else None
        if not iso3 or not isinstance(iso3, str) or len(iso3) != 3 or not row.get("name"):
            raise LexiconError(f"countries.yaml: bad entry {row!r} (needs iso3 and name)")
        if iso3 in by_iso3:
            raise LexiconError(f"countries.yaml: {iso3} is listed twice")
        all_names = [row["name"], *_as_list(row.get("names"), "names", iso3)]
        dems = _as_list(row.get("demonyms"), "demonyms", iso3)
        mets = row.get("metonyms") or {}
        if not isinstance(mets, dict):
            raise LexiconError(f"countries.yaml: 'metonyms' of {iso3} must be a mapping text: sector")
        by_iso3[iso3] = Country(iso3, row["name"], tuple(all_names), tuple(dems),
                                tuple((str(k), str(v)) for k, v in mets.items()), row.get("wikidata"))
        for n in all_names:
            # First listing wins, so a name shared by two lines keeps the country written first in the file.
            names.setdefault(n, iso3)
            if len(name_key(n)) >= 5:
                folded.setdefault(name_key(n), iso3)
            max_words = max(max_words, len(n.split()))
        for d in dems:
            demonyms.setdefault(d, iso3)
            max_words = max(max_words, len(d.split()))
        for m, sector in mets.items():
            metonyms.setdefault(str(m), (iso3, str(sector)))
            max_words = max(max_words, len(str(m).split()))
    LOGGER.debug("country lexicon: %d countries, %d names, %d demonyms", len(by_iso3), len(names), len(demonyms))
    return CountryLexicon(by_iso3, names, demonyms, metonyms, folded, max_words,
                          name_starts([*names, *demonyms, *metonyms]))


def name_starts(names) -> frozenset:
    """Every prefix of one to three characters of the names (see CountryLexicon.starts)."""
    return frozenset(n[:k] for n in names for k in (1, 2, 3) if n)


def may_start_name(token_text: str, starts: frozenset) -> bool:
    """Whether a text beginning with this token can equal one of the names (a span's text begins with its first
    token's text, so it shares that token's first characters)."""
    return token_text[:3] in starts

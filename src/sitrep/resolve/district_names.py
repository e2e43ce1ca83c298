"""The variant table of second-level units (data/district_names.yaml): districts as analysts write them.

GeoNames and the packages the index is built from name many second-level units in a form nobody writes
("Wanla Weyn", "Shibirghan", "Nassriya", "Cercle de Niono", "Mezam Division", "Pokrovskyi"); ACLED, UCDP and
newsrooms write "Wanlaweyn", "Sheberghan", "Nasiriyah", "Niono", "Mezam", "Pokrovsk". At build time
(gazetteer_build) a district found under any listed spelling is renamed to the table's English name and gets
every spelling as an alias, so that both "Wanla Weyn" and "Wanlaweyn district" find it and the output says
"Wanlaweyn". Three more things come from the same file:
- kind words the index's names carry that the name in use drops ("Cercle de", "Division");
- Ukraine's adjectival raion names ("Pokrovskyi", "Sumskyy") are written as the town they are named after
  ("Pokrovsk", "Sumy"), when that town lies in the raion;
- seats: a town whose district the packages leave empty or get wrong takes the district it is the seat of
  ("Bamenda" -> Mezam).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional

from ..data import load_yaml
from ..errors import LexiconError
from .gazetteer_core import name_key
from .toponyms import plain
from .variant_table import VariantTable, listed_names, read_variants


@dataclass(frozen=True)
class DistrictNames(VariantTable):
    seats: dict                 # (ISO3, folded town name) -> English name of the district it is the seat of
    kind_prefixes: tuple        # "Cercle de " ... (longest first)
    kind_words: tuple           # trailing words or phrases, lower case: "division", "local government area"
    adjectival: dict            # ISO3 -> folded suffixes of adjectival unit names ("skyi", "skyy")

    def bare(self, name: str) -> str:
        """The name without a kind word the table lists: 'Cercle de Niono' -> 'Niono', 'Mezam Division' ->
        'Mezam'; unchanged when nothing would be left."""
        core = name
        for prefix in self.kind_prefixes:
            if core.startswith(prefix) and len(core) > len(prefix) + 2:
                core = core[len(prefix):]
                break
        low = core.lower()
        for phrase in self.kind_words:              # a word or several ("local government area")
            if low.endswith(" " + phrase) and len(core) > len(phrase) + 3:
                return core[:-len(phrase) - 1].rstrip()
        return core


def parse_district_names(data: dict) -> DistrictNames:
    seats: dict = {}
    try:
        english_of, spellings = read_variants("district_names.yaml", data.get("admin2"))
        for iso3, table in (data.get("seats") or {}).items():
            for district, towns in (table or {}).items():
                for town in listed_names("district_names.yaml", iso3, district, towns)[1:]:
                    seats[(iso3, name_key(town))] = district
        prefixes = tuple(sorted((p + " " if not p.endswith("'") else p for p in data.get("kind_prefixes") or ()),
                                key=len, reverse=True))
        kind_words = tuple(sorted((w.lower() for w in data.get("kind_words") or ()), key=len, reverse=True))
        adjectival = {iso3: tuple(sorted((name_key(s) for s in suffixes), key=len, reverse=True))
                      for iso3, suffixes in (data.get("adjectival_suffixes") or {}).items()}
    except (AttributeError, TypeError) as exc:
        raise LexiconError(f"district_names.yaml is malformed: {exc!r}") from exc
    return DistrictNames(english_of, spellings, seats, prefixes, kind_words, adjectival)


@lru_cache(maxsize=1)
def load_district_names() -> DistrictNames:
    return parse_district_names(load_yaml("district_names.yaml"))


def _adjectival_town(sub: dict, towns: list, suffixes: tuple) -> Optional[str]:
    """'Pokrovskyi' -> 'Pokrovsk' where Pokrovsk is the raion's most populous place that starts as its name
    does (the stem less its last two letters: 'Sumskyy' -> Sumy, 'Romenskyy' -> Romny, 'Prylutskyy' ->
    Pryluky). `towns`: (population, name) of the places in the raion."""
    key = name_key(sub["name"])
    suffix = next((s for s in suffixes if key.endswith(s) and len(key) - len(s) >= 3), None)
    if suffix is None:
        return None
    stem = key[:-len(suffix)]
    start = stem[:max(3, len(stem) - 2)]
    for _pop, town in sorted(towns, reverse=True):
        if name_key(town).startswith(start):
            return plain(town)
    return None


def apply_district_names(subdivisions: dict, table: DistrictNames, city_rows: Iterable[list]) -> None:
    """Rename second-level units to the names in use and give them every listed spelling as an alias
    (`subdivisions`: the build's dicts, see gazetteer_build; `city_rows`: the package's cities.tsv rows, for the
    towns adjectival raions are named after)."""
    towns_in: dict[int, list] = {}
    if table.adjectival:
        wanted = {idx for idx, sub in subdivisions.items()
                  if sub["level"] == 2 and sub["country"] in table.adjectival}
        for row in city_rows:
            name, _gid, subs, _country, pop = row[:5]
            for sid in (int(s) for s in subs.split("|") if s):
                if sid in wanted:
                    towns_in.setdefault(sid, []).append((int(pop), name))
    for idx, sub in subdivisions.items():
        if sub["level"] != 2:
            continue
        old = sub["name"]
        english = table.english(sub["country"], (sub["native"], old))
        if english is None:
            bare = table.bare(old)
            english = table.english(sub["country"], (bare,))
            if english is None and bare != old:
                english = bare
        if english is None and sub["country"] in table.adjectival:
            english = _adjectival_town(sub, towns_in.get(idx, []), table.adjectival[sub["country"]])
        if english is None or english == old:
            continue
        known = {name_key(a) for a in sub["aliases"]}
        listed = (old, *table.spellings.get((sub["country"], english), (english,)))
        sub["aliases"] = sub["aliases"] + [s for s in dict.fromkeys(listed) if name_key(s) not in known]
        sub["name"] = english


def seat_districts(subdivisions: dict, table: DistrictNames) -> dict:
    """(ISO3, folded town name) -> the district the table says the town is the seat of, as its build dict."""
    by_name: dict = {}
    for sub in subdivisions.values():
        if sub["level"] == 2 and sub["id"]:
            by_name.setdefault((sub["country"], sub["name"]), sub)
    out = {}
    for (iso3, town_key), district in table.seats.items():
        sub = by_name.get((iso3, district))
        if sub is not None:         # (a district the packages lack: its seat keeps what they give)
            out[(iso3, town_key)] = sub
    return out


def apply_seats(entries: list, subdivisions: dict, table: DistrictNames, kind_place: str) -> None:
    """Give each listed seat town (the most populous place of that name in the district's first-level unit) its
    district, and a town with no district the one named as it is now named (the town table renames "Jisr ash
    Shughur" to "Jisr al-Shughur", the name of its district). `entries`: the build's entry rows (see
    gazetteer_build), replaced in place."""
    seats = seat_districts(subdivisions, table)
    named: dict = {}                        # (admin1 GeoNames id, folded district name) -> district
    for sub in subdivisions.values():
        parent = subdivisions.get(sub["parent"]) if sub["parent"] else None
        if sub["level"] == 2 and sub["id"] and parent is not None and parent["id"]:
            for n in (sub["name"], sub["native"]):
                named.setdefault((parent["id"], name_key(n)), sub)
    best: dict = {}                         # (ISO3, town key) -> (population, row index)
    for i, e in enumerate(entries):
        if e[2] != kind_place:
            continue
        if e[8] is None and e[7] is not None:
            sub = named.get((e[7], name_key(e[1])))
            if sub is not None:
                e = entries[i] = (*e[:6], sub["name"], e[7], sub["id"], *e[9:])
        for n in (e[1], e[12]):
            if not n:
                continue
            key = (e[4], name_key(n))
            sub = seats.get(key)
            if sub is None:
                continue
            parent = subdivisions.get(sub["parent"]) if sub["parent"] else None
            if parent is not None and parent["id"] != e[7]:
                continue                    # a namesake in another province
            if e[9] > best.get(key, (-1, None))[0]:
                best[key] = (e[9], i)
    for key, (_pop, i) in best.items():
        sub = seats[key]
        e = entries[i]
        entries[i] = (*e[:6], sub["name"], e[7], sub["id"], *e[9:])

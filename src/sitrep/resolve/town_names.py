"""The variant table of towns and cities (data/town_names.yaml): the names wires and analysts use.

GeoNames' name of a town is often not the one in use ("Chattogram", "Kalemyo", "Dara", "Wad Medani",
"Avdiyivka"), and the spellings a wire writes are not always among its alternate names ("Korat", "Muqdisho").
At build time (gazetteer_build) the most populous place of the country known by any listed spelling is renamed
to the table's English name (the GeoNames name is kept as its native name) and gets every spelling as a name.
At extraction (extract/places/naming.py) a spelling the table lists is not "the text's own spelling" to
output: "Korat (Nakhon Ratchasima province)" is output as Nakhon Ratchasima.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Callable

from ..data import load_yaml
from ..errors import LexiconError
from .gazetteer_core import name_key
from .variant_table import VariantTable, read_variants


class TownNames(VariantTable):
    """English town names and their spellings (no more than the shared shape)."""


def parse_town_names(data: dict) -> TownNames:
    try:
        english_of, spellings = read_variants("town_names.yaml", data.get("towns"))
    except (AttributeError, TypeError) as exc:
        raise LexiconError(f"town_names.yaml is malformed: {exc!r}") from exc
    return TownNames(english_of, spellings)


@lru_cache(maxsize=1)
def load_town_names() -> TownNames:
    return parse_town_names(load_yaml("town_names.yaml"))


def apply_town_names(entries: list, table: TownNames, kind_place: str,
                     add_names: Callable[[int, str, list, list], None]) -> None:
    """Rename the town each table heading means (the most populous place of its country whose name or GeoNames
    name is one of the listed spellings) and give it every spelling as a name. `entries`: the build's entry rows
    (see gazetteer_build), replaced in place; `add_names(gid, canonical, aliases, also_primary)` adds name rows."""
    best: dict = {}                         # (ISO3, English) -> (population, row index)
    for i, e in enumerate(entries):
        if e[2] != kind_place:
            continue
        for n in (e[1], e[12]):
            english = table.english_of.get((e[4], name_key(n))) if n else None
            if english is not None:
                key = (e[4], english)
                if e[9] > best.get(key, (-1, None))[0]:
                    best[key] = (e[9], i)
                break
    for (iso3, english), (_pop, i) in best.items():
        e = entries[i]
        native = e[12] or e[1]
        entries[i] = (*e[:1], english, *e[2:12], native if native != english else None)
        add_names(e[0], english, list(table.spellings[(iso3, english)][1:]), [])

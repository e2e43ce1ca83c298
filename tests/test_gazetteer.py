"""The GeoNames index: built from the packaged data into a temp cache dir, opened fast, rebuilt when broken."""
from __future__ import annotations

import shutil
import sqlite3
import time

import pytest

from sitrep.errors import ConfigError
from sitrep.resolve import gazetteer as gz
from sitrep.resolve import gazetteer_build as gzb
from sitrep.resolve.admin_names import parse_admin_names


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One real build per test run, in a temp dir (never the user's cache)."""
    directory = tmp_path_factory.mktemp("sitrep-cache")
    path = gz.build_gazetteer(gz.gazetteer_path(directory))
    return path


@pytest.mark.parametrize("text, key", [
    ("Lashkar Gah", "lashkargah"),
    ("Lashkar-Gah", "lashkargah"),
    ("Lashkargāh", "lashkargah"),
    ("SANA'A", "sanaa"),
    ("Köln", "koln"),
])
def test_name_key_folds_case_accents_and_separators(text, key):
    assert gz.name_key(text) == key


def test_cache_dir_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SITREP_CACHE_DIR", str(tmp_path))
    assert gz.gazetteer_path().parent == tmp_path
    assert gz.gazetteer_path().name == gz.FILE_NAME


def test_build_leaves_only_the_finished_file(built):
    leftovers = [p.name for p in built.parent.iterdir() if p.name.startswith(".gazetteer-")]
    assert built.exists() and leftovers == []


def test_opens_fast_enough_to_use_per_process(built):
    start = time.perf_counter()
    g = gz.Gazetteer(built)
    g.lookup("kabul")
    elapsed = time.perf_counter() - start
    g.close()
    # Opening is milliseconds in practice; the bound only guards against loading the whole table.
    assert elapsed < 2.0


def test_transliterations_reach_the_same_town(built):
    g = gz.Gazetteer(built)
    spaced = {h.entry.geonames_id for h in g.lookup(gz.name_key("Lashkar Gah")) if h.entry.kind == "place"}
    joined = {h.entry.geonames_id for h in g.lookup(gz.name_key("Lashkargah")) if h.entry.kind == "place"}
    assert spaced and spaced == joined
    town = g.get(next(iter(spaced)))
    assert (town.country, town.admin1) == ("AFG", "Helmand")


def test_a_name_can_be_town_province_and_district(built):
    g = gz.Gazetteer(built)
    kinds = {h.entry.kind for h in g.lookup("kunduz") if h.entry.country == "AFG"}
    assert {"place", "admin1"} <= kinds


def test_divisions_and_countries_have_codes_and_coordinates(built):
    g = gz.Gazetteer(built)
    helmand = next(h.entry for h in g.lookup("helmand") if h.entry.kind == "admin1")
    assert helmand.feature_code == "ADM1" and helmand.country == "AFG" and helmand.lat is not None
    afg = g.country("AFG")
    assert afg.feature_code == "PCLI" and 29 < afg.lat < 39 and 60 < afg.lon < 75
    # A capital is marked as such.
    assert any(h.entry.feature_code == "PPLC" for h in g.lookup("kabul"))


def test_us_counties_are_admin2_with_their_state(built):
    g = gz.Gazetteer(built)
    county = next(h.entry for h in g.lookup("kalamazoocounty") if h.entry.kind == "admin2")
    assert (county.country, county.admin1) == ("USA", "Michigan")


def test_corrupt_or_partial_files_are_detected(built, tmp_path):
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"not a database at all" * 100)
    with pytest.raises(sqlite3.DatabaseError):
        gz.Gazetteer(garbage)

    partial = tmp_path / "partial.sqlite"
    shutil.copy(built, partial)
    con = sqlite3.connect(partial)
    con.execute("DELETE FROM meta")        # an interrupted build never wrote its meta row
    con.commit()
    con.close()
    with pytest.raises(sqlite3.DatabaseError):
        gz.Gazetteer(partial)
    with pytest.raises(ConfigError):
        gz.open_gazetteer(partial, build=False)


def test_a_broken_cache_is_rebuilt(built, tmp_path, monkeypatch):
    target = tmp_path / gz.FILE_NAME
    target.write_bytes(b"\x00" * 4096)
    calls = []

    def fake_build(path=None):
        # Stands in for the real build (seconds): the point is that open_gazetteer replaces the bad file.
        calls.append(path)
        shutil.copy(built, path)
        return path

    monkeypatch.setattr(gz, "build_gazetteer", fake_build)
    g = gz.open_gazetteer(target)
    assert calls == [target]
    assert g.lookup("kabul")


def test_a_missing_cache_is_built_or_reported(tmp_path, monkeypatch, built):
    target = tmp_path / "sub" / gz.FILE_NAME
    with pytest.raises(ConfigError):
        gz.open_gazetteer(target, build=False)
    monkeypatch.setattr(gz, "build_gazetteer", lambda path=None: shutil.copy(built, path) and path)
    target.parent.mkdir()
    assert gz.open_gazetteer(target).lookup("helmand")


# ------------------------------------------------------------------------------- English names, dumps (issue 10)

def test_divisions_carry_english_and_native_names(built):
    g = gz.Gazetteer(built)
    luhansk = [h.entry for h in g.lookup("luhansk") if h.entry.kind == gz.KIND_ADMIN1]
    assert luhansk and luhansk[0].name == "Luhansk" and luhansk[0].native_name == "Luhanska oblast"
    # the short form is the town's own name, not a weaker alias
    acapulco = [h for h in g.lookup("acapulco") if h.entry.country == "MEX" and h.entry.kind == gz.KIND_PLACE]
    assert acapulco and acapulco[0].primary and acapulco[0].entry.name == "Acapulco"
    assert acapulco[0].entry.native_name == "Acapulco de Juárez"


def test_names_that_differ_in_doubled_letters_meet(built):
    g = gz.Gazetteer(built)
    assert any(h.entry.country == "SOM" and h.entry.kind == gz.KIND_ADMIN1 for h in g.lookup("middleshabelle"))
    assert gz.loose_key("raqqah") == gz.loose_key("raqqa")


def _dump_line(gid, name, alternates, lat, lon, cls, code, cc, a1, a2, pop):
    return "\t".join([str(gid), name, name, alternates, str(lat), str(lon), cls, code, cc, "", a1, a2, "", "",
                      str(pop), "", "100", "Africa/Mogadishu", "2020-01-01"]) + "\n"


def test_a_geonames_dump_adds_villages_and_division_points(tmp_path):
    dump = tmp_path / "SO.txt"
    dump.write_text(
        _dump_line(90000001, "Qoryooley Yar", "Qoryoley Yar", 1.8, 44.5, "P", "PPL", "SO", "14", "", 0)
        + _dump_line(90000002, "Ruined Fort", "", 1.9, 44.6, "S", "FRT", "SO", "14", "", 0)
        + _dump_line(90000003, "Old Camp", "", 1.7, 44.4, "P", "PPLQ", "SO", "14", "", 0)
        + _dump_line(90000004, "Shabeellaha Hoose", "", 1.75, 44.25, "A", "ADM1", "SO", "14", "", 0),
        encoding="utf-8")
    region = {"id": 51966, "name": "Lower Shabelle", "level": 1, "point": None}
    added = []
    gzb._add_dump(dump, lambda *row: added.append(row), {"SO.14": region}, {"SO": "SOM"}, set())
    assert [(r[1], r[2], r[3]["name"]) for r in added] == [("Qoryooley Yar", "SOM", "Lower Shabelle")]
    assert region["point"] == (1.75, 44.25)


def test_a_file_that_is_not_a_dump_is_refused_at_once(tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("these are my notes\n", encoding="utf-8")
    with pytest.raises(gz.DumpError):
        gz.build_gazetteer(tmp_path / "g.sqlite", dump=bad)
    with pytest.raises(gz.DumpError):
        gz.build_gazetteer(tmp_path / "g.sqlite", dump=tmp_path / "missing.zip")


def test_a_town_without_a_district_code_gets_the_district_named_after_it(built):
    g = gz.Gazetteer(built)
    towns = [h.entry for h in g.lookup("jowhar") if h.entry.kind == gz.KIND_PLACE and h.entry.country == "SOM"]
    assert towns and towns[0].admin2 == "Jowhar" and towns[0].admin2_id is not None


def test_a_district_with_no_place_assigned_takes_its_seats_coordinates(built):
    # The packages assign no populated place to Somalia's Baidoa district (written "Baydhaba"); its coordinates are
    # those of the town it is named after, in the same region (the seat), not none.
    g = gz.Gazetteer(built)
    district = next(h.entry for h in g.lookup("baydhaba") if h.entry.kind == gz.KIND_ADMIN2)
    town = max((h.entry for h in g.lookup("baidoa") if h.entry.kind == gz.KIND_PLACE and h.entry.country == "SOM"),
               key=lambda e: e.population)
    assert district.admin1 == "Bay" and district.population == 0
    assert (district.lat, district.lon) == (town.lat, town.lon)


# ------------------------------------------------------------------ the variant table of division names (issue 10)

def _admin1(g, name, country):
    return [h.entry for h in g.lookup(gz.name_key(name)) if h.entry.kind == gz.KIND_ADMIN1
            and h.entry.country == country]


@pytest.mark.parametrize("written, country, english", [
    ("Lower Shabeelle", "SOM", "Lower Shabelle"),       # GeoNames' spelling
    ("Shabeellaha Hoose", "SOM", "Lower Shabelle"),     # the Somali name
    ("Tombouctou", "MLI", "Timbuktu"),
    ("Gezira", "SDN", "Al Jazirah"),
    ("Nord-Ouest", "CMR", "Northwest"),
    ("Catalunya", "ESP", "Catalonia"),
    ("Autonomous Region in Muslim Mindanao", "PHL", "Bangsamoro"),
    ("Al Hudaydah", "YEM", "Hodeidah"),
])
def test_every_spelling_in_the_table_finds_the_division_under_its_english_name(built, written, country, english):
    found = _admin1(gz.Gazetteer(built), written, country)
    assert [e.name for e in found] == [english]


def test_towns_in_a_renamed_division_carry_its_english_name(built):
    g = gz.Gazetteer(built)
    afgooye = [h.entry for h in g.lookup("afgooye") if h.entry.kind == gz.KIND_PLACE and h.entry.country == "SOM"]
    assert afgooye and afgooye[0].admin1 == "Lower Shabelle"


def test_the_capital_and_the_state_of_mexico_stay_apart(built):
    g = gz.Gazetteer(built)
    assert [e.name for e in _admin1(g, "Ciudad de Mexico", "MEX")] == ["Ciudad de México"]
    assert [e.name for e in _admin1(g, "Edomex", "MEX")] == ["State of Mexico"]


def test_a_grouping_unit_gives_way_to_the_governorates_below_it(built):
    # Iraq's Kurdistan Region: Erbil is a first-level unit for GeoNames, ACLED and UCDP, and so for the index.
    g = gz.Gazetteer(built)
    assert _admin1(g, "Erbil", "IRQ") and not _admin1(g, "Iqlim Kurdistan", "IRQ")
    town = [h.entry for h in g.lookup("erbil") if h.entry.kind == gz.KIND_PLACE and h.entry.country == "IRQ"]
    assert town and town[0].admin1 == "Erbil"


def test_a_spelling_listed_under_two_names_is_refused():
    from sitrep.errors import LexiconError
    with pytest.raises(LexiconError, match="both"):
        parse_admin_names({"admin1": {"SOM": {"Lower Shabelle": ["Shabelle"], "Middle Shabelle": ["Shabelle"]}}})
    table = parse_admin_names({"admin1": {"SOM": {"Lower Shabelle": ["Lower Shabeelle"]}}})
    assert table.english("SOM", ["Lower Shabeelle"]) == "Lower Shabelle"
    assert table.english("KEN", ["Lower Shabeelle"]) is None      # the table is per country

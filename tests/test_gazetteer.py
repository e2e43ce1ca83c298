"""The GeoNames index: built from the packaged data into a temp cache dir, opened fast, rebuilt when broken."""
from __future__ import annotations

import shutil
import sqlite3
import time

import pytest

from sitrep.errors import ConfigError
from sitrep.resolve import gazetteer as gz


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

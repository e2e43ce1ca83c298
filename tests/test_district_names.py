"""The district table (data/district_names.yaml): second-level units under the names analysts write, matched by
every listed spelling, and the seats that give a town its district. Every sentence is written for these tests."""
from __future__ import annotations

import json

import pytest

from sitrep.cli import main
from sitrep.errors import LexiconError
from sitrep.resolve.district_names import (apply_district_names, apply_seats, load_district_names,
                                           parse_district_names)
from sitrep.resolve.gazetteer import KIND_ADMIN2, KIND_PLACE, load_gazetteer, name_key


def _sub(idx, name, level=2, country="UKR", parent=None, native=None, gid=None):
    return {"idx": idx, "id": gid or 1000 + idx, "name": name, "native": native or name, "level": level,
            "country": country, "parent": parent, "aliases": []}


def test_a_spelling_listed_under_two_districts_is_refused():
    with pytest.raises(LexiconError, match="both"):
        parse_district_names({"admin2": {"SOM": {"Marka": ["Merca"], "Merka": ["Merca"]}}})
    with pytest.raises(LexiconError, match="empty"):
        parse_district_names({"admin2": {"SOM": {"Marka": [""]}}})
    with pytest.raises(LexiconError, match="malformed"):
        parse_district_names({"admin2": ["SOM"]})


def test_kind_words_the_index_carries_are_dropped():
    table = parse_district_names({"kind_prefixes": ["Cercle de", "Caza de", "Département d'"],
                                  "kind_words": ["division", "local government area"]})
    assert table.bare("Cercle de Niono") == "Niono"
    assert table.bare("Caza de Tyr") == "Tyr"
    assert table.bare("Département d'Illéla") == "Illéla"
    assert table.bare("Mezam Division") == "Mezam"
    assert table.bare("Buruku Local Government Area") == "Buruku"
    assert table.bare("Division") == "Division"           # nothing would be left
    assert table.bare("Cercle de") == "Cercle de"


def test_a_district_is_renamed_to_its_heading_and_keeps_every_spelling():
    table = parse_district_names({"admin2": {"SOM": {"Wanlaweyn": ["Wanla Weyn", "Wanle Weyne"]}},
                                  "kind_prefixes": ["Cercle de"]})
    subs = {1: _sub(1, "Wanla Weyn", country="SOM"), 2: _sub(2, "Cercle de Niono", country="MLI"),
            3: _sub(3, "Lower Shabelle", level=1, country="SOM")}
    apply_district_names(subs, table, [])
    assert subs[1]["name"] == "Wanlaweyn"
    assert {name_key(a) for a in subs[1]["aliases"]} >= {"wanlaweyn", "wanleweyne"}
    assert subs[2]["name"] == "Niono" and "Cercle de Niono" in subs[2]["aliases"]
    assert subs[3]["name"] == "Lower Shabelle"             # first-level units are the admin table's business


def test_an_adjectival_raion_takes_the_name_of_the_town_it_is_named_after():
    table = parse_district_names({"adjectival_suffixes": {"UKR": ["skyi", "skyy"]}})
    subs = {1: _sub(1, "Pokrovskyi"), 2: _sub(2, "Romenskyy"), 3: _sub(3, "Podilskyi"), 4: _sub(4, "Bakhmut")}
    # cities.tsv rows: name, geonames id, subdivision indexes, country, population
    rows = [["Pokrovske", "1", "1", "1", "900"], ["Pokrovsk", "2", "1", "1", "60000"],
            ["Myrhorod", "3", "1", "1", "40000"], ["Romny", "4", "2", "1", "38000"], ["Kyiv", "5", "3", "1", "9"]]
    apply_district_names(subs, table, rows)
    assert [subs[i]["name"] for i in (1, 2, 3, 4)] == ["Pokrovsk", "Romny", "Podilskyi", "Bakhmut"]
    assert "Pokrovskyi" in subs[1]["aliases"]


def test_a_seat_town_takes_its_district_but_a_namesake_in_another_province_does_not():
    table = parse_district_names({"seats": {"CMR": {"Meme": ["Kumba"]}}})
    subs = {1: _sub(1, "Southwest", level=1, country="CMR", gid=11),
            2: _sub(2, "Meme", country="CMR", parent=1, gid=22),
            3: _sub(3, "Centre", level=1, country="CMR", gid=33)}
    # entry rows: id, name, kind, feature, country, admin1, admin2, admin1 id, admin2 id, population, lat, lon, native
    entries = [(5, "Kumba", KIND_PLACE, "PPL", "CMR", "Southwest", None, 11, None, 150000, 4.6, 9.4, None),
               (6, "Kumba", KIND_PLACE, "PPL", "CMR", "Centre", None, 33, None, 900000, 4.0, 11.0, None),
               (7, "Kumba", KIND_PLACE, "PPL", "CMR", "Southwest", None, 11, None, 300, 4.7, 9.5, None)]
    apply_seats(entries, subs, table, KIND_PLACE)
    assert [(e[6], e[8]) for e in entries] == [("Meme", 22), (None, None), (None, None)]


def test_the_shipped_table_loads_and_its_seats_name_districts_the_index_has():
    table = load_district_names()
    assert table.english("AFG", ["Shibirghan"]) == "Sheberghan"
    assert table.english("SOM", ["Wanla Weyn"]) == "Wanlaweyn"
    assert table.english("KEN", ["Wanla Weyn"]) is None            # the table is per country
    gz = load_gazetteer()
    for (iso3, _town), district in table.seats.items():
        assert any(h.entry.kind == KIND_ADMIN2 and h.entry.country == iso3 and h.entry.name == district
                   for h in gz.lookup(name_key(district))), (iso3, district)


def _places(tmp_path, capsys, text):
    src = tmp_path / "note.txt"
    src.write_text(text, encoding="utf-8")
    assert main(["extract", str(src), "--published", "2021-05-04", "--format", "jsonl"]) == 0
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert events, text
    return next(e for e in events if e.get("is_primary", True))["location"]


@pytest.mark.parametrize("text, country, admin2", [
    # GeoNames: "Shibirghan" (district), "Cercle de Niono", "Sumskyy" raion, "Nassriya" district
    ("Gunmen shot dead two prosecutors in Sheberghan, the capital of Jowzjan province, on Monday.", "AFG",
     "Sheberghan"),
    ("Jihadists attacked a gendarmerie post in Niono on Sunday night, killing three gendarmes.", "MLI", "Niono"),
    ("A Russian drone struck a power substation in Sumy on Friday, wounding four workers.", "UKR", "Sumy"),
    ("Riot police fired tear gas at protesters in Nasiriyah on Thursday, wounding dozens.", "IRQ", "Nasiriyah"),
])
def test_the_output_names_the_district_as_analysts_write_it(tmp_path, capsys, text, country, admin2):
    loc = _places(tmp_path, capsys, text)
    assert (loc["country"], loc["admin2"]) == (country, admin2)


def test_a_town_the_packages_leave_without_a_district_gets_the_one_it_is_the_seat_of(tmp_path, capsys):
    loc = _places(tmp_path, capsys, "Separatist fighters set fire to a secondary school in Kumba on Tuesday, "
                                    "officials said.")
    assert (loc["country"], loc["admin1"], loc["admin2"]) == ("CMR", "Southwest", "Meme")


def test_a_district_written_in_a_listed_spelling_is_output_under_its_heading(tmp_path, capsys):
    # The note writes the district "Wanle Weyne"; the table lists it as a spelling of Wanlaweyn.
    loc = _places(tmp_path, capsys, "On 2 June 2021, Al-Shabaab militants ambushed a convoy near Wanlaweyn town "
                                    "(Wanle Weyne district, Lower Shabelle region).")
    assert (loc["country"], loc["admin1"], loc["admin2"]) == ("SOM", "Lower Shabelle", "Wanlaweyn")

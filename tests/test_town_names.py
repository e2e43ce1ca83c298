"""The town table (data/town_names.yaml): towns under the names wires and analysts use, found by every listed
spelling, output under the English name even where the text's own spelling is otherwise kept. Every sentence
is written for these tests."""
from __future__ import annotations

import json

import pytest

from sitrep.cli import main
from sitrep.errors import LexiconError
from sitrep.resolve.gazetteer import KIND_PLACE
from sitrep.resolve.town_names import apply_town_names, load_town_names, parse_town_names


def test_a_spelling_listed_under_two_towns_is_refused():
    with pytest.raises(LexiconError, match="both"):
        parse_town_names({"towns": {"UKR": {"Kyiv": ["Kiev"], "Kyiv Oblast": ["Kiev"]}}})
    with pytest.raises(LexiconError, match="malformed"):
        parse_town_names({"towns": {"UKR": ["Kyiv"]}})
    table = parse_town_names({"towns": {"MMR": {"Yangon": ["Rangoon"]}}})
    assert table.is_spelling_of("MMR", "Rangoon", "Yangon") and not table.is_spelling_of("THA", "Rangoon", "Yangon")


def test_the_most_populous_place_of_the_country_is_renamed_and_keeps_its_geonames_name():
    table = parse_town_names({"towns": {"BGD": {"Chittagong": ["Chattogram"]}}})
    # entry rows: id, name, kind, feature, country, admin1, admin2, admin1 id, admin2 id, population, lat, lon, native
    entries = [(1, "Chattogram", KIND_PLACE, "PPL", "BGD", "Chittagong", None, 9, None, 3_900_000, 22.3, 91.8, None),
               (2, "Chattogram", KIND_PLACE, "PPL", "BGD", "Dhaka", None, 8, None, 700, 23.0, 90.0, None),
               (3, "Chattogram", KIND_PLACE, "PPL", "IND", "Assam", None, 7, None, 9_000_000, 26.0, 92.0, None),
               (4, "Chittagong", "admin1", "ADM1", "BGD", "Chittagong", None, 9, None, 7_000_000, 22.0, 91.0, None)]
    added = []
    apply_town_names(entries, table, KIND_PLACE, lambda gid, canonical, aliases, primary: added.append(
        (gid, canonical, aliases)))
    assert [(e[1], e[12]) for e in entries] == [("Chittagong", "Chattogram"), ("Chattogram", None),
                                                ("Chattogram", None), ("Chittagong", None)]
    assert added == [(1, "Chittagong", ["Chattogram"])]


def _place(tmp_path, capsys, text):
    src = tmp_path / "wire.txt"
    src.write_text(text, encoding="utf-8")
    assert main(["extract", str(src), "--published", "2022-03-04", "--format", "jsonl"]) == 0
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert events, text
    return next(e for e in events if e.get("is_primary", True))["location"]


@pytest.mark.parametrize("text, country, name", [
    # GeoNames: "Kalemyo", "Chattogram", "Dar‘ā" (index: "Dara"), "Wad Medani", "Al Ḩudaydah"
    ("Resistance fighters attacked a police station in Kalemyo on Sunday, killing two officers.", "MMR", "Kalay"),
    ("Police fired rubber bullets at protesting garment workers in Chattogram on Monday.", "BGD", "Chittagong"),
    ("A car bomb exploded near a checkpoint in Daraa city on Wednesday, killing three soldiers.", "SYR", "Daraa"),
    ("Paramilitary fighters shelled a market in Wad Medani on Saturday, killing nine people.", "SDN", "Wad Madani"),
    ("Air strikes hit the port of Hodeidah overnight, killing six dock workers, residents said.", "YEM", "Hodeidah"),
    # wire spellings only the table gives
    ("A suicide bomber killed eight people at a restaurant in Muqdisho on Friday, police said.", "SOM",
     "Mogadishu"),
])
def test_the_output_names_the_town_as_wires_write_it(tmp_path, capsys, text, country, name):
    loc = _place(tmp_path, capsys, text)
    assert (loc["country"], loc["name"]) == (country, name)
    assert loc["geonames_id"] is not None and loc["lat"] is not None


def test_a_listed_spelling_in_the_notes_convention_is_output_under_the_english_name(tmp_path, capsys):
    # "X (Y, Z)" keeps the note's own spelling of a town, unless the table lists it as a spelling of the town.
    loc = _place(tmp_path, capsys, "On 3 March 2022, a gunman opened fire on shoppers in Korat (Nakhon Ratchasima "
                                   "province), killing four.")
    assert (loc["country"], loc["name"]) == ("THA", "Nakhon Ratchasima")


def test_the_shipped_table_loads():
    table = load_town_names()
    assert table.is_spelling_of("UKR", "Kharkov", "Kharkiv")
    assert table.is_spelling_of("MMR", "Rangoon", "Yangon")

"""English conventional names from GeoNames names and alternate names (resolve/toponyms.py), issue 10."""
from __future__ import annotations

import pytest

from sitrep.resolve.toponyms import english_name, plain, short_forms, strip_type


@pytest.mark.parametrize("native, aliases, division, expected", [
    # an English alias with a type word wins over a romanisation, and the closest spelling among several
    ("Ḩamāh", ["Hama", "Hama Governorate", "Hamah Governorate"], True, "Hamah"),
    ("Luhanska oblast", ["Luhansk", "Luhansk Oblast", "Luganskaya Oblast’"], True, "Luhansk"),
    ("Ḩayfā", ["Haifa", "Haifa District"], True, "Haifa"),
    ("Tall Abīb", ["Tel Aviv", "Tel Aviv District"], True, "Tel Aviv"),
    ("Ḩalab", ["Aleppo", "Aleppo Governorate"], True, "Aleppo"),
    # the same name spelt as the canonical one: the canonical without marks, with its own spacing
    ("Al Ḩasakah", ["Al-Hasakah Governorate"], True, "Al Hasakah"),
    ("Ma’rib", ["Marib Governorate"], True, "Marib"),
    # a direction and a type word are one name
    ("Ash Shamālī", ["Northern District"], True, "Northern District"),
    # a short form the canonical name starts with
    ("Michoacán de Ocampo", ["Estado de Michoacán de Ocampo", "Michoacán"], True, "Michoacán"),
    ("Acapulco de Juárez", ["Acapulco", "Acapulco de Juarez"], False, "Acapulco"),
    # no English alias: transliteration marks dropped, ordinary accents kept
    ("Mahārāshtra", [], True, "Maharashtra"),
    ("Diyālá", [], True, "Diyala"),
    ("Nuevo León", ["Estado de Nuevo León"], True, "Nuevo León"),
    ("Los Angeles County", [], True, "Los Angeles County"),
    ("N’Djamena", [], False, "N’Djamena"),
])
def test_english_name(native, aliases, division, expected):
    assert english_name(native, aliases, division=division) == expected


def test_plain_drops_only_transliteration_marks():
    assert plain("Ţarţūs") == "Tartus"
    assert plain("‘Adan") == "Adan"
    assert plain("Querétaro") == "Querétaro"


def test_strip_type_keeps_names_that_are_only_a_direction():
    assert strip_type("Sanaa Governorate") == ("Sanaa", True)
    assert strip_type("State of Mexico") == ("Mexico", True)
    assert strip_type("Southern District") == ("Southern District", False)


def test_short_forms_need_a_linking_word():
    assert short_forms("Zamora de Hidalgo", ["Zamora", "Zamo", "Hidalgo"]) == ["Zamora"]
    assert short_forms("Santa Rosa", ["Santa"]) == []


def test_a_translated_position_word_marks_the_english_name():
    assert english_name("Nord-Kivu", ["North Kivu", "Kivu du Nord"], division=True) == "North Kivu"
    assert english_name("Shabeellaha Hoose", ["Lower Shabeelle", "Shabeele Hoose Region"], division=True) \
        == "Lower Shabeelle"
    # a name that is itself a position word keeps its own rule
    assert english_name("Northern Cape", ["Northern Cape Province"], division=True) == "Northern Cape"


def test_local_type_words_are_dropped_for_the_bare_name():
    assert english_name("Kurskaya oblast'", ["Kursk vilayəti"], division=True) == "Kursk"
    assert english_name("Amphoe Rueso", [], division=True) == "Rueso"
    # an alias the local form does not start with is another language's name, not the English one
    assert english_name("Belgorodskaya oblast'", ["Belqorod vilayəti"], division=True) == "Belgorodskaya oblast"
    # the canonical name is the bare one: keep it rather than an alias with a type word
    assert english_name("South-West", ["South-West Province", "Sud-Ouest"], division=True) == "South-West"


@pytest.mark.parametrize("name, expected", [
    ("Al Tarmia District", "Al Tarmia"),
    ("Ansongo Cercle", "Ansongo"),
    ("Bajaur Agency", "Bajaur"),
    ("Qada Samarra", "Samarra"),
    ("Chuhuiv Raion", "Chuhuiv"),
    # the kind word is part of the name in use, or nothing is left without it
    ("Central District", "Central District"),
    ("Cook County", "Cook County"),
    ("Zone", "Zone"),
])
def test_second_level_units_drop_the_kind_word_the_index_carries(name, expected):
    from sitrep.resolve.toponyms import bare_district_name

    assert bare_district_name(name) == expected

"""Conflict monitors' way of naming a province (issue 10): "the Hama countryside", "the eastern countryside of
Homs", "Raqqa province witnesses clashes". A kind word next to a name says the name is a place even where the
model tags it as an organisation or a common noun. Every sentence is written for these tests."""
from __future__ import annotations

import pytest


def primary_place(extract, text):
    events = extract(text)
    assert events, text
    return next(e for e in events if e.is_primary).location


@pytest.mark.parametrize("text, admin1", [
    ("Government warplanes bombed the Hama countryside, killing four civilians.", "Hama"),
    ("Artillery shelling killed two farmers in the eastern countryside of Homs.", "Homs"),
    ("Raqqa province witnesses renewed clashes between rival factions", "Raqqa"),
])
def test_a_kind_word_next_to_a_name_places_the_event_in_the_division(extract, text, admin1):
    loc = primary_place(extract, text)
    assert (loc.country, loc.admin1, loc.precision) == ("SYR", admin1, "admin1")


def test_a_kind_word_does_not_make_a_common_word_a_place(extract):
    # "the province of fear" names no place: the kind word only helps a name the gazetteer knows
    events = extract("Gunmen killed three traders in what residents call the province of fear.")
    primary = next(e for e in events if e.is_primary)
    assert primary.location is None or primary.location.precision == "country"


@pytest.mark.parametrize("text, name, admin1", [
    # a lead label the model reads as a person's name
    ("Ensenada: Two men shot dead outside a taco stand", "Ensenada", "Baja California"),
    # a lead label with its state written after it without a comma
    ("Guaymas Sonora: Gunmen kill three at a car wash", "Guaymas", "Sonora"),
])
def test_a_headline_lead_label_is_the_place_of_the_story(extract, text, name, admin1):
    loc = primary_place(extract, text)
    assert (loc.country, loc.name, loc.admin1) == ("MEX", name, admin1)


@pytest.mark.parametrize("text, admin1", [
    # the model tags the division as a verb form and it only qualifies a noun
    ("Myanmar junta troops raid Sagaing resistance camp", "Sagaing"),
    ("Myanmar junta detains 12 during Tanintharyi house searches", "Tanintharyi"),
    # read as a person's name, with the kind word after it
    ("Landmine kills farmer in Myanmar's Chin state", "Chin"),
])
def test_a_division_of_a_country_the_text_names_places_the_event(extract, text, admin1):
    loc = primary_place(extract, text)
    assert (loc.country, loc.admin1) == ("MMR", admin1)


def test_a_division_name_needs_its_country_named(extract):
    # without Myanmar (or a Burmese anything) in the text, a bare qualifier that is also an ordinary word or
    # another country's unit ("Mon": a Myanmar state, an Indian district) is no evidence of a place. (A name that
    # is one division of one country only, like "Sagaing", is evidence on its own: the sole-division rule.)
    events = extract("Troops raid Mon resistance camp")
    primary = next(e for e in events if e.is_primary)
    assert primary.location is None or primary.location.admin1 != "Mon"
    named = extract("Myanmar troops raid Mon resistance camp")
    assert next(e for e in named if e.is_primary).location.admin1 == "Mon"


def test_a_town_qualifying_civilians_places_the_event(extract):
    # "Kawkareik civilians" as "Lagos residents": the people of a town are hit there
    loc = primary_place(extract, "Myanmar junta shelling kills two Kawkareik civilians")
    assert (loc.country, loc.name) == ("MMR", "Kawkareik")


def test_a_village_written_inside_a_named_district_stays_the_place(extract):
    # "in Sofara, in the Djenne cercle of Mopti region": the district found must not replace the village in it
    loc = primary_place(extract, "Soldiers killed 30 men in Sofara, in the Djenne cercle of Mopti region, "
                                 "residents said.")
    assert (loc.country, loc.name, loc.admin1) == ("MLI", "Sofara", "Mopti")


def test_a_kind_word_after_a_name_read_as_a_person_keeps_the_whole_name(extract):
    # NER reads "Maidan Wardak" as a person; the province is the whole name, not "Wardak"
    loc = primary_place(extract, "A roadside bomb killed three soldiers in Afghanistan's Maidan Wardak province "
                                 "on Monday.")
    assert (loc.country, loc.admin1, loc.precision) == ("AFG", "Maidan Wardak", "admin1")

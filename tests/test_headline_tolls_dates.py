"""Conflict headlines, second pass (issues 9/10): counts of killings told as "homicides", the victims of a killing
named after "against" or hung on its agent, tallies over a period that are no event's toll, and dates that only
start a period ("since January 1st"). Every sentence is written for these tests; they run through the real
pipeline."""
from __future__ import annotations

import pytest

from eventcheck import killed, primary


@pytest.mark.parametrize("text, dead", [
    # a headline's count of killings: each homicide is one death
    ("Three homicides with a knife reported overnight in the port city", 3),
    # the victims of a killing after "against", and hung on the agent of the act by the parse
    ("The massacre against nine farmers shocked the valley", 9),
    ("An execution by a rebel tribunal against three traders in the hills", 3),
])
def test_counts_of_killings(extract, text, dead):
    ev = primary(extract(text))
    assert ev is not None and ev.event_type == "ASSAULT"
    assert killed(ev) == dead


@pytest.mark.parametrize("text", [
    "Port city passes 900 homicides so far this year",
    "River town records 75 deaths since January",
])
def test_a_tally_over_a_period_is_no_toll(extract, text):
    ev = primary(extract(text))
    assert killed(ev) not in (900, 75)


def test_a_number_of_homicides_in_an_article_without_a_period_still_counts(extract):
    # the word is read only where the parse gave no figure: an article's own toll wins
    ev = primary(extract("Gunmen killed four guards at the depot on Monday. Police said the two homicides "
                         "last month were unrelated."))
    assert killed(ev) == 4


def test_since_starts_a_period_and_dates_no_event(extract):
    # an undated headline is the publication day; "since" names where the tally starts, not the event's day
    ev = primary(extract("Shelling kills two in the old city, the sixth deadly attack since the beginning of "
                         "this month", published="2020-03-20"))
    assert (ev.date.start, ev.date.end) == ("2020-03-20", "2020-03-20")
    ev = primary(extract("Shelling killed two in the old city on Tuesday", published="2020-03-20"))
    assert (ev.date.start, ev.date.end, ev.date.text) == ("2020-03-17", "2020-03-17", "Tuesday")


# ---- a text that is one headline says where its event is, as a title does (places/stage.py)

def _country(ev):
    return ev.location.country if ev is not None and ev.location is not None else None


@pytest.mark.parametrize("text, country", [
    # the town before a division the headline adds ("X Karen State"): the division's words may be dropped
    ("Three farmers killed in Hpa-an Karen State", "MMR"),
])
def test_headline_where_gives_the_country(extract, text, country):
    assert _country(primary(extract(text))) == country


@pytest.mark.parametrize("text, wrong", [
    # the first word of a longer name is another place ("San", a town in Mali)
    ("Shooting in San Bartolo Tlaltenango leaves two dead", "MLI"),
    # a demonym after "in the" is the attacker's, not where the event is
    ("Four wounded in the Russian strike in Kafr Zita town", "RUS"),
])
def test_headline_where_takes_no_namesake_or_demonym(extract, text, wrong):
    assert _country(primary(extract(text))) != wrong


@pytest.mark.parametrize("text, country", [
    # a group's home country places a headline that names no place the index holds (data/actors.yaml)
    ("Two soldiers killed in PDF ambush on a supply convoy", "MMR"),
    ("Eleven insurgents killed in ANDSF operations overnight", "AFG"),
    ("al-Islam Army fighters shell a checkpoint, killing two", "SYR"),
])
def test_group_home_country_places_a_headline(extract, text, country):
    assert _country(primary(extract(text))) == country


@pytest.mark.parametrize("text, dead", [
    # both sides' dead are the toll: coordinated, comma-joined, or told in a clause of their own
    ("Three soldiers and five militants killed in clash near the border post", 8),
    ("Four soldiers, 12 rebels killed in fighting near the dam", 16),
    ("Ambush on a convoy leaves three soldiers dead; five militants also killed", 8),
    # a lead label is no second side: the count is the victims' own
    ("Sonora: 4 suspected thieves beaten and killed by gunmen", 4),
])
def test_tolls_of_both_sides_are_summed(extract, text, dead):
    assert killed(primary(extract(text))) == dead


def test_a_breakdown_is_not_summed(extract):
    # the parts of a toll are no second side
    assert killed(primary(extract("Six villagers, including two children, killed in raid near the river"))) == 6


@pytest.mark.parametrize("text, name", [
    # a city written as the English name of the province it names is output in that spelling, not the index's
    ("A car bomb kills three in Daraa city", "Daraa"),
    ("Airstrikes on Raqqa city kill four", "Raqqa"),
])
def test_city_named_as_its_province_keeps_the_written_spelling(extract, text, name):
    ev = primary(extract(text))
    assert ev.location is not None and ev.location.name == name and ev.location.precision == "point"


def test_since_in_an_article_keeps_its_date(extract):
    # in an article "since" tells background, whose date keeps the event out of the day's news
    ev = primary(extract("Shelling has killed 40 people in the old city since January 5. Residents fled west.",
                         published="2020-03-20"))
    assert ev.date is not None and ev.date.start == "2020-01-05"


def test_two_spellings_of_one_name_are_one_dead(extract):
    ev = primary(extract("Officials said Hamid Karimov, a senior commander, was killed in a drone strike near the "
                         "border. The army confirmed that Hamid Karimow was killed with a guided missile."))
    assert killed(ev) == 1

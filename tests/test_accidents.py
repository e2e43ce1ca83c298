"""Accidents and disasters are not attacks (issue 9, part 3). Sentences written for these tests."""
from __future__ import annotations

import datetime as dt

import pytest

from sitrep.model import Article


def assaults(extractor, text, title=None):
    events = extractor.extract(Article(id="t", text=text, title=title, published=dt.date(2020, 3, 4)))
    return [e for e in events if e.event_type == "ASSAULT"]


@pytest.mark.parametrize("text", [
    "A tour bus overturned on a mountain road on Sunday, killing nine passengers.",
    "A gas explosion destroyed a restaurant in the city centre on Friday, killing four people.",
    "The virus has killed three people in the province this week.",
    "A medical helicopter struck power lines and crashed in a field.",
    "Two people drowned when their boat capsized off the coast.",
    "A fire at a textile factory killed eleven workers overnight.",
])
def test_accident_is_not_an_attack(extractor, text):
    assert assaults(extractor, text) == []


def test_toll_of_an_accident_story_is_not_an_attack(extractor):
    text = "Officials said it killed six people and injured 20 more. Firefighters worked through the night."
    assert assaults(extractor, text, title="Fire kills six in apartment block") == []


@pytest.mark.parametrize("text", [
    "Gunmen set fire to a bus on the highway, killing five passengers.",
    "A bomb blast in a crowded market killed twelve people on Monday.",
    "The building collapsed after an air strike hit it, killing ten.",
    "Militants attacked the convoy, and one truck overturned in the ditch.",
])
def test_attack_with_an_accident_word_stays_an_attack(extractor, text):
    assert assaults(extractor, text)


def test_an_attack_story_keeps_its_bare_tolls(extractor):
    text = "Police said the attack killed six people. It injured 20 more."
    assert assaults(extractor, text, title="Bomb attack on bus kills six")


def coerced(extractor, text, title=None):
    events = extractor.extract(Article(id="t", text=text, title=title, published=dt.date(2020, 3, 4)))
    return [e for e in events if e.event_type == "COERCE"]


@pytest.mark.parametrize("text", [
    "The governor declared a state of emergency on Tuesday as a hurricane closed in on the coast.",
    "Health authorities declared a state of emergency over a cholera outbreak in the northern districts.",
])
def test_a_state_of_emergency_for_a_disaster_is_not_coercion(extractor, text):
    assert coerced(extractor, text) == []


def test_a_state_of_emergency_for_a_disaster_named_in_the_headline_is_not_coercion(extractor):
    assert coerced(extractor, "The governor declared a state of emergency for three counties on Thursday.",
                   title="Floods swamp river towns as rain keeps falling") == []


@pytest.mark.parametrize("text", [
    "The president declared a state of emergency in the capital after two nights of riots.",
    "The government declared a state of emergency in the province on Monday and banned all gatherings.",
])
def test_a_state_of_emergency_against_unrest_stays_coercion(extractor, text):
    assert coerced(extractor, text)


@pytest.mark.parametrize("text", [
    "Three traders were killed in the market on Tuesday, the police said.",
    "Two farmers were shot dead at the cattle market near the border.",
])
def test_a_killing_in_a_market_is_no_economic_mishap(extractor, text):
    # the economy acts ("prices hit exporters") but is never where a death's cause is read: "in the market" is a place
    assert assaults(extractor, text)


def test_a_death_caused_by_a_fire_is_still_no_attack(extractor):
    assert assaults(extractor, "Three traders were killed in a fire at the market on Tuesday.") == []

"""Failure patterns of unseen news text (issue 9, part 3), on sentences written for these tests."""
from __future__ import annotations

import pytest


from eventcheck import injured, killed, primary  # noqa: E402


@pytest.mark.parametrize("text, dead", [
    ("Four bodies were found in a ditch outside the town on Sunday.", 4),
    ("Villagers discovered the bodies of three farmers near the river.", 3),
    ("Two men found dead on the road to the airport", 2),
    ("They locate three lifeless men in a field near Irapuato", 3),
    ("Gunmen dumped two bodies outside the police station", 2),
])
def test_bodies_found_are_a_killing(extract, text, dead):
    ev = primary(extract(text))
    assert ev is not None and ev.event_type == "ASSAULT"
    assert killed(ev) == dead


def test_who_finds_the_bodies_is_not_the_actor(extract):
    ev = primary(extract("Police found the bodies of five men in an abandoned truck."))
    assert ev.event_type == "ASSAULT"
    assert ev.actor is None


def test_a_found_weapons_cache_is_still_a_seizure(extract):
    ev = primary(extract("Soldiers found a cache of rifles and grenades in the house."))
    assert ev.event_type == "COERCE"


@pytest.mark.parametrize("text, dead, wounded", [
    ("Six soldiers killed, nine wounded in ambush near the border", 6, 9),
    ("Eight prisoners executed in the northern province", 8, None),
    ("Three fighters killed, two policemen injured in clashes", 3, 2),
])
def test_headline_passive_without_auxiliary(extract, text, dead, wounded):
    ev = primary(extract(text))
    assert ev is not None and ev.event_type == "ASSAULT"
    assert killed(ev) == dead
    assert injured(ev) == wounded
    # the dead are the recipients, never the actor
    assert ev.actor is None or not ev.actor.text.split()[0].lower() in ("six", "eight", "three")


@pytest.mark.parametrize("text, dead", [
    ("The junta executed four resistance fighters in the village.", 4),
    ("Police executed a search warrant at the house on Tuesday and found a rifle.", None),
])
def test_execute_kills_people_not_warrants(extract, text, dead):
    events = extract(text)
    assert all(killed(e) in (None, 0) for e in events) if dead is None else killed(primary(events)) == dead


@pytest.mark.parametrize("text, event_type, actor, recipient", [
    ("Insurgents set off a car bomb outside the governor's office.", "ASSAULT", "Insurgents", None),
    ("Border guards exchanged fire with smugglers on Tuesday night.", "ASSAULT", "guards", "smugglers"),
    ("The two navies exchanged artillery fire near the disputed islands.", "ASSAULT", "navies", None),
    ("The deposed premier was placed under house arrest by the army.", "COERCE", "army", "premier"),
    # victims of a kidnapping are recipients, never actors
    ("Four engineers were kidnapped on the road to the mine.", "ASSAULT", None, "engineers"),
])
def test_missed_wordings(extract, text, event_type, actor, recipient):
    ev = primary(extract(text))
    assert ev is not None and ev.event_type == event_type
    if actor is None:
        assert ev.actor is None
    else:
        assert ev.actor is not None and actor in ev.actor.text
    if recipient is not None:
        assert ev.recipient is not None and recipient in ev.recipient.text


def test_setting_off_on_a_trip_is_no_bombing(extract):
    assert all(e.event_type != "ASSAULT" for e in extract("The delegation set off for the capital at dawn."))


@pytest.mark.parametrize("text", ["They shot dead two men outside a bar in Celaya.",
                                  "They attacked the police post at dawn, killing three officers."])
def test_an_unresolved_they_is_no_actor(extract, text):
    # with nobody named before it, "they" names nobody: no actor called "They" for the facets and exports
    ev = primary(extract(text))
    assert ev is not None and ev.event_type == "ASSAULT"
    assert ev.actor is None


def test_a_they_with_a_group_before_it_is_that_group(extract):
    text = "Al-Shabaab fighters stormed the base on Monday. They killed four soldiers."
    ev = next(e for e in extract(text) if text[e.trigger_span[0]:e.trigger_span[1]] == "killed")
    assert ev.actor is not None and ev.actor.text == "Al-Shabaab fighters" and ev.actor.country == "SOM"

"""ACLED sub-event types and CAMEO codes of finished events, on sentences written for these tests."""
from __future__ import annotations

import pytest

from sitrep.data import load_yaml

ACLED_CASES = [
    # text, expected ACLED sub-event type of the primary event
    ("Rebels clashed with soldiers near the border town on Sunday.", "Armed clash"),
    ("Gunmen attacked an army checkpoint on the highway, killing three soldiers.", "Armed clash"),
    ("Gunmen stormed a village and killed 12 farmers.", "Attack"),
    ("Militants set off a roadside bomb as a police convoy passed, wounding four officers.",
     "Remote explosive/landmine/IED"),
    ("Insurgents detonated explosives under a bridge on the main highway.", "Remote explosive/landmine/IED"),
    ("Fighter jets bombed rebel positions in the hills overnight.", "Air/drone strike"),
    ("A drone strike hit a car carrying two militant commanders.", "Air/drone strike"),
    ("Artillery shelled residential districts of the city for a second day.", "Shelling/artillery/missile attack"),
    ("A suicide bomber blew himself up at a checkpoint, killing five guards.", "Suicide bomb"),
    ("Gunmen kidnapped two engineers from a construction site.", "Abduction/forced disappearance"),
    ("Thousands of teachers marched peacefully through the capital to demand higher pay.", "Peaceful protest"),
    ("Police fired tear gas to disperse hundreds of students protesting against fee increases.",
     "Protest with intervention"),
    ("Security forces opened fire on protesters in the capital, killing six demonstrators.",
     "Excessive force against protesters"),
    ("Rioters torched cars and threw stones at police during a protest over fuel prices.", "Violent demonstration"),
    ("Troops opened fire on peaceful protesters in the capital, killing four, amid growing unrest.",
     "Excessive force against protesters"),
    ("Police arrested 14 suspected members of a kidnapping gang in a dawn raid.", "Arrests"),
    ("Soldiers defused a bomb planted near the market.", "Disrupted weapons use"),
    ("The army recaptured the town from the rebels after a week of fighting.", "Government regains territory"),
    ("Rebels seized control of the district headquarters after the army withdrew.",
     "Non-state actor overtakes territory"),
    ("The government and the rebels exchanged 40 prisoners on Tuesday.", "Agreement"),
]


@pytest.mark.parametrize("text, expected", ACLED_CASES)
def test_acled_sub_event_type_of_primary_event(extract, text, expected):
    primary = [e for e in extract(text) if e.is_primary]
    assert primary, text
    assert primary[0].acled_sub_event_type == expected


def test_acled_sub_event_types_belong_to_their_event_types(extract):
    spec = load_yaml("acled.yaml")
    types_of = {sub: etype for etype, subs in spec["event_types"].items() for sub in subs}
    for text, _expected in ACLED_CASES:
        for ev in extract(text):
            if ev.acled_sub_event_type is not None:
                assert types_of[ev.acled_sub_event_type] == ev.acled_event_type, (text, ev.acled_sub_event_type)


def test_remote_violence_is_coded_by_the_weapon_whoever_is_hit(extract):
    soldiers = next(e for e in extract("Militants detonated a bomb beside an army truck.") if e.is_primary)
    villagers = next(e for e in extract("Militants detonated a bomb in a crowded village market.") if e.is_primary)
    assert soldiers.acled_sub_event_type == villagers.acled_sub_event_type == "Remote explosive/landmine/IED"


def test_cameo_code_follows_the_mode(extract):
    strike = next(e for e in extract("Warplanes bombed a weapons depot near the airport.") if e.is_primary)
    assert strike.mode == "aerial" and strike.cameo_code == "195"

"""Conflict headlines (issue 9): tolls in headline grammar, the wordings of conflict monitors, counts told as
bodies and body parts, accusations of killing, and datelines and credit lines that are never actors. Every
sentence is written for these tests; they run through the real pipeline (and the CLI where the output matters)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"


from eventcheck import injured, killed, primary  # noqa: E402


# ---- tolls the parse misreads: word order (casualties/surface.py)

@pytest.mark.parametrize("text, dead, wounded", [
    # a comma-joined toll the parser hangs the attack under
    ("Rebels attack police post in Tillaberi, 5 gendarmes killed", 5, None),
    # Title Case: "Dead" is no manner of "Wounded" (not "9 killed")
    ("4 Dead, 9 Wounded as Gunmen Attack Market in Northern Town", 4, 9),
    # a harm verb the parser tags as a plural noun
    ("The blast of a roadside mine planted by militants kills at least 7 members of a patrol near Gao", 7, None),
    # "one dies" after a shooting told in a clause of its own
    ("Gunmen attack three farmers near Jos; one dies in hospital", 1, None),
])
def test_headline_tolls_read_from_word_order(extract, text, dead, wounded):
    ev = primary(extract(text))
    assert ev is not None and ev.event_type == "ASSAULT"
    assert killed(ev) == dead
    assert injured(ev) == wounded


def test_word_order_does_not_count_acts_or_times(extract):
    # "12 raids" and "3 days" are not the dead; the parse's own toll stands
    ev = primary(extract("Warplanes carried out 12 raids in 3 days that killed 40 people in the province"))
    assert killed(ev) == 40
    ev = primary(extract("Troops killed 3 days after the ceasefire began a rebel commander in the hills"))
    assert killed(ev) != 3


@pytest.mark.parametrize("text, dead", [
    ("6 casualties at least in artillery shelling on the town of Kafr Nabl", 6),
    ("Shelling on the old city leaves 4 martyrs and several wounded", 4),
    ("Casualties of the car bomb in the market rise to 17", 17),
    ("12 civilians were martyred in air strikes on the eastern suburbs", 12),
])
def test_monitor_wordings_casualties_and_martyrs(extract, text, dead):
    ev = primary(extract(text))
    assert ev is not None and ev.event_type == "ASSAULT"
    assert killed(ev) == dead


def test_more_than_gives_the_stated_figure(extract):
    ev = primary(extract("More than 30 fighters were killed in clashes near the dam on Sunday."))
    assert killed(ev) == 30
    assert ev.fatalities.total.low == 30 and ev.fatalities.total.high is None


@pytest.mark.parametrize("text, dead", [
    ("Militia fighters commit a massacre of 9 herders near the river", 9),
    ("Ambush on the Tula road leaves 3 beaten and decapitated", 3),
    ("Shelling on the market leaves 4 people from one street killed and others injured", 4),
    ("Five farmers found tortured, murdered after raid on hill village", 5),
    ("Neighbours' alarm leads to the discovery of three charred corpses in Apaseo", 3),
    ("Army burns three captured rebels alive in a village of the north", 3),
    ("Soldiers kill a squad of five guerrilla fighters on the highway", 5),
    ("Police find 3 decapitated heads on a bridge near the toll road", 3),
])
def test_killing_wordings(extract, text, dead):
    ev = primary(extract(text))
    assert ev is not None and ev.event_type == "ASSAULT"
    assert killed(ev) == dead


def test_background_assassination_is_not_a_toll(extract):
    ev = primary(extract("The prisoner, serving a life term for the 1980 assassination of a governor, was stabbed "
                         "in the yard on Monday."))
    assert killed(ev) is None


@pytest.mark.parametrize("text", [
    "Farmers burned 200 hectares of stubble in the fields.",
    "The family buried the dead on Sunday after prayers.",
])
def test_burning_and_burying_kill_only_when_said(extract, text):
    assert all(killed(e) is None for e in extract(text))


def test_a_reduced_relative_body_find_is_a_killing(extract):
    ev = primary(extract("Mutilated body found on the Tepic highway"))
    assert ev is not None and ev.event_type == "ASSAULT"
    ev = primary(extract("Dozens of human remains discovered in a ravine near Tala"))
    assert ev is not None and ev.event_type == "ASSAULT"


# ---- an accusation of killing carries its toll only when nothing else can

@pytest.mark.parametrize("text, dead", [
    ("Villagers accuse the army of murdering six farmers near Kalay", 6),
    ("Seven civilian deaths blamed on the border police", 7),
])
def test_accusation_of_killing_carries_the_toll(extract, text, dead):
    ev = primary(extract(text))
    assert ev is not None
    assert killed(ev) == dead


def test_a_charge_leaves_the_shooting_its_toll(extract):
    events = extract("A man was charged with murder in connection with the death of a 40-year-old driver. "
                     "The driver was found fatally shot in a parking lot on Monday.")
    charge = next(e for e in events if e.event_type == "ACCUSE")
    assert killed(charge) is None
    assert any(e.event_type == "ASSAULT" and killed(e) == 1 for e in events)


# ---- datelines and credit lines are never actors

@pytest.mark.parametrize("text, actor", [
    ("KANDAHAR, Afghanistan - Coalition troops killed five insurgents in a night raid in Zhari district.",
     "Coalition troops"),
    ("ABUJA, Nigeria (AP) — Police arrested 30 protesters outside the parliament on Monday.", "Police"),
    ("BEIRUT, March 3 (Reuters) - Israeli jets bombed a weapons depot near the Syrian border, killing four.",
     "Israeli jets"),
    ("ALEPPO, Syria -- Syrian warplanes bombed rebel-held villages near Atarib, killing 6 civilians.",
     "Syrian warplanes"),
    ("Reuters - Rebels captured the town of Bunia after two days of fighting with government troops.", "Rebels"),
    ("KAMPALA: Gunmen attacked a bus in the north of the country, killing two passengers.", "Gunmen"),
    ("Zacatecas: Gunmen Kill Four at a Party in Fresnillo", "Gunmen"),
])
def test_datelines_are_never_actors(extract, text, actor):
    ev = primary(extract(text))
    assert ev is not None and ev.actor is not None
    assert ev.actor.text == actor
    assert not any(e.actor is not None and ("Reuters" in e.actor.text or "(AP)" in e.actor.text
                                            or e.actor.text.isupper()) for e in extract(text))


def test_capitalised_subject_without_dash_is_no_dateline():
    from sitrep.extract.dateline import dateline_end

    assert dateline_end("NATO troops killed two fighters in the valley.") == 0
    assert dateline_end("Al-Shabab fighters stormed a base.") == 0
    assert dateline_end("Army kills 22 militants: ministry") == 0     # a closing attribution is no dateline
    # a headline's lead label: the places stage reads it as the story's place, the actor is after it
    assert dateline_end("Culiacan, Sinaloa: gunmen kill four") == len("Culiacan, Sinaloa: ")
    assert dateline_end("KABUL, Afghanistan (AP) - NATO said") == len("KABUL, Afghanistan (AP) - ")


def test_cli_codes_headline_toll_and_dateline(tmp_path):
    """Through the CLI: a JSONL of headlines in, events with the toll and a clean actor out."""
    src = tmp_path / "in.jsonl"
    rows = [{"id": "h1", "text": "Insurgents raid army post near Dori, 11 soldiers killed", "published": "2021-05-02"},
            {"id": "h2", "text": "MOPTI, Mali - Jihadist fighters killed 8 villagers in an attack on a market.",
             "published": "2021-05-02"}]
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    out = tmp_path / "out.jsonl"
    subprocess.run([sys.executable, "-m", "sitrep.cli", "extract", str(src), "--format", "jsonl", "-o", str(out)],
                   check=True, env={**os.environ, "PYTHONPATH": str(SRC)}, capture_output=True)
    events = [json.loads(line) for line in out.read_text().splitlines()]
    prim = {e["article_id"]: e for e in events if e["is_primary"]}
    assert prim["h1"]["fatalities"]["total"]["best"] == 11
    assert prim["h2"]["fatalities"]["total"]["best"] == 8
    assert prim["h2"]["actor"]["text"] == "Jihadist fighters"


@pytest.mark.parametrize("text, dead, actor", [
    ("Troops kill 14 insurgents near Dori: defence ministry", 14, "Troops"),
    ("At least 19 killed in attack on village in Ituri - local official", 19, None),
    ("Death toll in bus station bombing rises to 23: police", 23, None),
])
def test_colon_and_dash_attribution_is_a_source_not_an_actor(extract, text, dead, actor):
    ev = primary(extract(text))
    assert ev is not None and ev.event_type == "ASSAULT"
    assert killed(ev) == dead
    assert (ev.actor.text if ev.actor is not None else None) == actor


@pytest.mark.parametrize("text, dead", [
    # the running total of a campaign is not the incident's own toll ...
    ("A car bomb killed six people on Friday, bringing the death toll from this month's attacks to 48.", 6),
    ("Airstrike kills 9 villagers and raises the death toll to about 130 during 5 days of bombing", 9),
    # ... unless it is the only figure given
    ("The market bombing raised the death toll to 35.", 35),
])
def test_running_totals(extract, text, dead):
    ev = primary(extract(text))
    assert ev is not None and ev.event_type == "ASSAULT"
    assert killed(ev) == dead

"""CasualtyResolver on sentences written for these tests: numbers, bounds, vague amounts, groups, totals
versus breakdowns, aggregates, passive and nominal forms, single victims, updates and attachment to events."""
from __future__ import annotations

import datetime as dt

import pytest

from sitrep.data import load_yaml
from sitrep.extract.casualties import CasualtyResolver
from sitrep.extract.context import DocContext
from sitrep.ingest.clean import make_article
from sitrep.model import Event


def build(nlp, text, triggers, published="2020-03-04"):
    """Parse `text` and make one event per (trigger word, type[, occurrence]) by hand."""
    article = make_article("t", text, published=dt.date.fromisoformat(published) if published else None)
    doc = nlp(article.text)
    sents = list(doc.sents)
    events = []
    for spec in triggers:
        word, etype = spec[0], spec[1]
        nth = spec[2] if len(spec) > 2 else 0
        tok = [t for t in doc if t.text == word][nth]
        si = next(i for i, s in enumerate(sents) if s.start <= tok.i < s.end)
        sent = sents[si]
        events.append(Event(article_id="t", event_type=etype, sentence=sent.text,
                            sentence_span=(sent.start_char, sent.end_char), trigger_text=tok.text,
                            trigger_span=(tok.idx, tok.idx + len(tok.text)), sent_index=si, trigger_index=tok.i,
                            confidence=0.8))
    return DocContext(article=article, doc=doc, sents=sents), events


@pytest.fixture(scope="module")
def resolve(nlp):
    resolver = CasualtyResolver()

    def run(text, triggers, published="2020-03-04"):
        ctx, events = build(nlp, text, triggers, published)
        resolver(ctx, events)
        return events

    return run


def best(cas):
    return None if cas is None or cas.total is None else cas.total.best


def vague(word):
    return load_yaml("casualties.yaml")["vague_amounts"][word]["best"]


# (text, trigger, killed best, injured best)
KILLED_INJURED = [
    ("Rebels killed four villagers in the raid.", "killed", 4, None),
    ("Gunmen killed 11 people near the market on Friday.", "killed", 11, None),
    ("The bombing killed 1,200 people, the governor said.", "bombing", 1200, None),
    ("Twenty-five people died and 40 were hurt when the bomb went off.", "bomb", 25, 40),
    ("The explosion claimed the lives of six workers at the depot.", "explosion", 6, None),
    ("The blast left three dead and 14 injured near the bus station.", "blast", 3, 14),
    ("The death toll from the bombing stood at 9 on Tuesday.", "bombing", 9, None),
    ("Eight soldiers were killed when the convoy was ambushed.", "ambushed", 8, None),
    ("Police said two people were wounded in the shooting.", "shooting", None, 2),
    ("A man was shot and killed outside a bar on Friday.", "shot", 1, None),
    ("A teenager was shot dead in the park late on Sunday.", "shot", 1, None),
    ("Two men were shot, one fatally, outside the nightclub.", "shot", 1, 1),
    ("An officer shot and killed a 23-year-old man during the traffic stop.", "shot", 1, None),
    ("A woman was stabbed in the parking lot and is in stable condition.", "stabbed", None, 1),
    ("No one was hurt in the shooting at the warehouse.", "shooting", None, 0),
    ("The gunman shot five people, killing two of them.", "shot", 2, 3),
]


@pytest.mark.parametrize("text,trigger,killed,injured", KILLED_INJURED)
def test_casualties_killed_and_injured(resolve, text, trigger, killed, injured):
    (ev,) = resolve(text, [(trigger, "ASSAULT")])
    assert best(ev.fatalities) == killed
    assert best(ev.injuries) == injured


@pytest.mark.parametrize("text,low,best_,high", [
    ("At least eight policemen were killed in the ambush.", 8, 8, None),
    ("Up to 30 people were killed in the raid on the village.", None, None, 30),
    # the stated figure is the most conservative count (as ACLED and UCDP code "more than 20"): 20, not 21
    ("More than 20 people were killed in the raid on the village.", 20, 20, None),
    ("Nearly 50 people were killed in the raid on the village.", None, 49, 49),
])
def test_casualties_bounds(resolve, text, low, best_, high):
    (ev,) = resolve(text, [("raid" if "raid" in text else "ambush", "ASSAULT")])
    total = ev.fatalities.total
    assert (total.low, total.best, total.high) == (low, best_, high)


@pytest.mark.parametrize("text,word,outcome", [
    ("Dozens of people were wounded in the blast.", "dozens", "injuries"),
    ("Scores of protesters were killed in the blast.", "scores", "fatalities"),
    ("Several villagers were hurt in the blast.", "several", "injuries"),
    ("A handful of soldiers were injured in the blast.", "a handful", "injuries"),
])
def test_casualties_vague_amounts_use_documented_figures(resolve, text, word, outcome):
    (ev,) = resolve(text, [("blast", "ASSAULT")])
    assert best(getattr(ev, outcome)) == vague(word)


def test_casualties_total_with_breakdown_is_not_summed(resolve):
    (ev,) = resolve("The militia killed 15 people, including four children, in the attack.", [("attack", "ASSAULT")])
    assert best(ev.fatalities) == 15
    assert ev.fatalities.civilians.best == 4


def test_casualties_aggregate_splits_groups(resolve):
    (ev,) = resolve("Insurgents carried out 12 attacks that killed three civilians and nine police officers.",
                    [("attacks", "ASSAULT")])
    assert best(ev.fatalities) == 12
    assert ev.fatalities.civilians.best == 3
    assert ev.fatalities.security_forces.best == 9
    assert ev.fatalities.militants is None


def test_casualties_perpetrator_losses_go_to_their_group(resolve):
    (ev,) = resolve("Troops repelled the assault and five militants were killed.", [("assault", "ASSAULT")])
    assert ev.fatalities.militants.best == 5
    assert best(ev.fatalities) == 5


def test_casualties_later_update_wins(resolve):
    events = resolve("A car bomb exploded at a market, killing seven people. "
                     "By evening the death toll had risen to 12.", [("bomb", "ASSAULT")])
    assert best(events[0].fatalities) == 12


def test_casualties_count_without_event_attaches_to_preceding_event(resolve):
    (ev,) = resolve("Militants stormed a police station on Monday. Six officers died in the fighting.",
                    [("stormed", "ASSAULT")])
    assert best(ev.fatalities) == 6
    assert ev.fatalities.security_forces.best == 6


def test_casualties_victim_dies_later_is_killed_not_injured(resolve):
    (ev,) = resolve("A 23-year-old man was shot in the leg on Main Street. "
                    "He was taken to a hospital, where he died.", [("shot", "ASSAULT")])
    assert best(ev.fatalities) == 1
    assert best(ev.injuries) is None


def test_casualties_victim_named_later_counts_once(resolve):
    (ev,) = resolve("A woman was shot on Elm Street. The victim died at the hospital.", [("shot", "ASSAULT")])
    assert best(ev.fatalities) == 1
    assert best(ev.injuries) is None


def test_casualties_other_victims_add(resolve):
    (ev,) = resolve("A man was killed in the shooting. Two other people were wounded.", [("shooting", "ASSAULT")])
    assert best(ev.fatalities) == 1
    assert best(ev.injuries) == 2


def test_casualties_multi_event_article_keeps_counts_apart(resolve):
    text = ("Gunmen attacked a checkpoint in the north, killing four soldiers.\n"
            "In another attack, a roadside bomb killed two civilians in the south.")
    first, second = resolve(text, [("attacked", "ASSAULT"), ("bomb", "ASSAULT")])
    assert best(first.fatalities) == 4 and first.fatalities.security_forces.best == 4
    assert best(second.fatalities) == 2 and second.fatalities.civilians.best == 2


def test_casualties_same_incident_told_twice_shares_counts(resolve):
    text = "Three people were shot outside a school on Friday. The shooting happened after a basketball game."
    first, second = resolve(text, [("shot", "ASSAULT"), ("shooting", "ASSAULT")])
    assert best(first.injuries) == 3 and best(second.injuries) == 3


def test_casualties_only_violent_events_carry_counts(resolve):
    (ev,) = resolve("The minister met the envoy in Kabul. Three people were killed in a blast.",
                    [("met", "CONSULT")])
    assert ev.fatalities is None and ev.injuries is None


def test_casualties_absurd_figure_is_dropped_with_warning(resolve):
    (ev,) = resolve("The strike killed 1,000,000,000 people, the statement said.", [("strike", "ASSAULT")])
    assert ev.fatalities is None
    assert any("not believable" in w for w in ev.warnings)
    assert ev.confidence < 0.8


def test_casualties_span_points_at_the_count(resolve):
    (ev,) = resolve("Rebels killed four villagers in the raid.", [("killed", "ASSAULT")])
    start, end = ev.fatalities.span
    assert "four villagers" in "Rebels killed four villagers in the raid."[start:end]


def test_casualties_no_count_reported_is_null(resolve):
    (ev,) = resolve("Rebels attacked the army base near the border.", [("attacked", "ASSAULT")])
    assert ev.fatalities is None and ev.injuries is None


def test_casualties_end_to_end_primary_carries_article_totals(extract):
    events = extract("A gunman opened fire at a bus stop in Dayton on Saturday night. "
                     "Two people were killed and three others were wounded, police said. "
                     "One of the wounded later died at a hospital.")
    assaults = [e for e in events if e.event_type == "ASSAULT" and e.fatalities is not None]
    assert assaults, "the finder should find the shooting"
    assert max(best(e.fatalities) for e in assaults) >= 2


@pytest.mark.parametrize("text,trigger,killed,injured", [
    ("A cyclist was shot near the bridge and is in critical condition.", "shot", None, 1),
    ("A boy was hit by a stray bullet while walking home.", "hit", None, 1),
    ("The shooting left one man dead. One woman remains in the hospital.", "shooting", 1, 1),
    ("Police are investigating the shooting. Her brother said the woman's death devastated the family.",
     "shooting", 1, None),
    ("Two guards were wounded in the raid. They later died at the clinic.", "raid", 2, None),
    ("Three men were fatally wounded in the raid.", "raid", 3, None),
])
def test_casualties_aftermath_and_references(resolve, text, trigger, killed, injured):
    (ev,) = resolve(text, [(trigger, "ASSAULT")])
    assert best(ev.fatalities) == killed
    assert best(ev.injuries) == injured


def test_casualties_named_victims_add_up_without_a_figure(resolve):
    (ev,) = resolve("Gunmen opened fire on a car. Maria Gomez was pronounced dead at the scene. "
                    "Peter Hall was pronounced dead at the hospital.", [("fire", "ASSAULT")])
    assert best(ev.fatalities) == 2


def test_casualties_events_dated_far_apart_are_separate_incidents(nlp):
    from sitrep.model import When
    ctx, (old, new) = build(nlp, "Rebels ambushed a convoy, killing nine soldiers. "
                                 "The rebels attacked the same road again, wounding two drivers.",
                            [("ambushed", "ASSAULT"), ("attacked", "ASSAULT")])
    old.date = When(start="2019-05-02", end="2019-05-02", precision="day", text="in May 2019")
    new.date = When(start="2020-03-03", end="2020-03-03", precision="day", text="Tuesday")
    CasualtyResolver()(ctx, [old, new])
    assert best(old.fatalities) == 9 and old.injuries is None
    assert best(new.injuries) == 2 and new.fatalities is None


@pytest.mark.parametrize("text,trigger", [
    ("The militants threatened to kill 20 hostages after the raid.", "raid"),
    ("Officials warned that the storm of rockets could kill hundreds in the raid.", "raid"),
])
def test_casualties_counts_that_did_not_happen_are_ignored(resolve, text, trigger):
    (ev,) = resolve(text, [(trigger, "ASSAULT")])
    assert ev.fatalities is None


@pytest.mark.parametrize("text,trigger,killed", [
    ("Three soldiers lost their lives in the ambush.", "ambush", 3),
    ("A young teacher's life was cut short by a stray bullet in the crossfire.", "crossfire", 1),
    ("Police are investigating two slayings after the shooting.", "shooting", 2),
])
def test_casualties_lives_lost_and_slayings(resolve, text, trigger, killed):
    (ev,) = resolve(text, [(trigger, "ASSAULT")])
    assert best(ev.fatalities) == killed


def test_casualties_story_from_another_year_is_a_separate_incident(resolve):
    text = ("A gunman shot two people outside a bar on Friday, police said. "
            "In 2012, a teenager opened fire at the same corner, killing three men.")
    first, second = resolve(text, [("shot", "ASSAULT"), ("fire", "ASSAULT")])
    assert first.fatalities is None and best(first.injuries) == 2
    assert best(second.fatalities) == 3


def test_casualties_far_away_death_is_not_pooled(resolve):
    filler = " ".join(f"Residents described the street as quiet on day {n}." for n in range(10))
    (ev,) = resolve("Gunmen opened fire on a bus near the market. " + filler + " A retired judge died on Sunday.",
                    [("fire", "ASSAULT")])
    assert ev.fatalities is None

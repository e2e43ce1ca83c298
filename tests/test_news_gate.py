"""The news gate: articles that report no political event give no events (sport, business, science), with a
warning; violence, protest and coercion stay whoever reports them; a political story keeps its events."""
from __future__ import annotations

import datetime as dt

import pytest

from sitrep.extract.news_gate import first_sentence, load_news_gate, names_violence
from sitrep.extract.pipeline import Extractor
from sitrep.ingest.clean import make_article
from sitrep.options import Options

PUB = dt.date(2021, 6, 2)


@pytest.fixture(scope="module")
def gated():
    # the sentence typer's gate of news_gate.py (the MiniLM default replaces its typer part: test_doc_typer.py)
    return Extractor(Options(event_typer="off", news_gate=True, typer_backend="spacy"))


@pytest.fixture(scope="module")
def ungated():
    return Extractor(Options(event_typer="off", news_gate=False))


def run(extractor, title, text):
    article = make_article("g", text, title=title, published=PUB)
    return article, extractor.extract(article)


SPORT = ("Rovers beat City 3-1 to keep the league title",
         "Rovers' captain signed a new contract with the club on Sunday, and the coach met the players after the "
         "match. Speaking to reporters, the coach praised the fans and called for calm before the final.")


def test_a_sports_story_gives_no_events_and_says_why(gated, ungated):
    article, events = run(ungated, *SPORT)
    assert events, "the rules alone find trigger words in this story (what the gate is for)"
    article, events = run(gated, *SPORT)
    assert events == []
    assert any("set aside" in w and "headline" in w for w in article.warnings)


def test_a_political_story_keeps_its_events(gated):
    _, events = run(gated, "Kenya and Somalia agree to reopen border talks",
                    "The foreign ministers of Kenya and Somalia agreed on Tuesday to resume talks on their "
                    "maritime border, the Kenyan foreign ministry said.")
    assert any(e.event_type == "AGREE" for e in events)


def test_violence_is_kept_whatever_the_headline(gated):
    _, events = run(gated, "Market day ends early in Riverton",
                    "Gunmen shot dead three traders at a market in Riverton on Monday, police said.")
    assert any(e.event_type == "ASSAULT" for e in events)


def test_first_sentence():
    assert first_sentence("Police arrested two men. They were freed later.") == "Police arrested two men."
    assert first_sentence("A headline line\nThe lede follows.") == "A headline line"
    assert first_sentence("No end") == "No end"


def test_gate_settings_are_data():
    gate = load_news_gate()
    assert 0.5 < gate.headline_none <= 1.0 and "GOV" in gate.political_sectors and "ASSAULT" in gate.always_kept


def test_a_headline_that_reads_as_no_event_sets_aside_its_own_violent_words(gated):
    """The only event is the headline's "beat" (a rule ASSAULT); the headline reads as sport, so it goes too."""
    article, events = run(gated, "Rovers beat City 3-1 to keep the league title",
                          "The match at the old stadium was watched by forty thousand fans.")
    assert [e for e in events if e.from_title] == []


def test_under_a_no_event_headline_violence_in_the_background_is_set_aside(gated, ungated):
    """A sports story whose later sentence recalls a war: the bombing is background, not the news."""
    title = "Rovers beat City 3-1 to keep the league title"
    text = ("The match at the old stadium was watched by forty thousand fans on Saturday. The ground was bombed "
            "by German aircraft in 1941, killing twelve people, and rebuilt after the war.")
    _, events = run(ungated, title, text)
    assert any(e.event_type == "ASSAULT" and not e.from_title for e in events), "the rules find the bombing"
    article, events = run(gated, title, text)
    assert events == []
    assert any("set aside" in w for w in article.warnings)


def test_under_a_no_event_headline_violence_in_the_lede_stays(gated):
    _, events = run(gated, "Rovers beat City 3-1 to keep the league title",
                    "Gunmen shot dead three fans outside the stadium in Riverton after the match on Saturday, "
                    "police said. The home side's captain scored twice.")
    assert any(e.event_type == "ASSAULT" for e in events)


def test_under_a_no_event_headline_a_leagues_suspension_is_no_coercion(gated, ungated):
    title = "Hawks fans left waiting as league halts basketball season"
    text = ("The national basketball league suspended its season on Thursday because of a flu outbreak among "
            "players, the league said.")
    _, events = run(ungated, title, text)
    assert any(e.event_type == "COERCE" for e in events), "the rules read 'suspended' as coercion"
    _, events = run(gated, title, text)
    assert not any(e.event_type == "COERCE" for e in events)


def test_under_a_no_event_headline_a_passive_arrest_in_the_lede_stays(gated):
    _, events = run(gated, "Rovers beat City 3-1 to keep the league title",
                    "Two men were arrested outside the stadium after the match on Saturday, police said.")
    assert any(e.event_type == "COERCE" for e in events)


@pytest.mark.parametrize("headline", ["Two Students Fatally Shot at Riverside High School in Maplewood",
                                      "Gunman opens fire at Hillcrest bakery"])
def test_a_headline_naming_a_violent_act_is_never_judged_no_event(gated, headline):
    # The typer may read such a headline as no event (it read one school shooting so, P=0.97); the words the rules
    # know for violence outrank it, so the story's later violence is not set aside as background.
    text = ("The deaths of two close friends on Friday morning appear to have been a murder-suicide, police said. "
            "Their bodies were found near the cafeteria. Investigators believe one girl shot the other and then "
            "killed herself.")
    assert names_violence(headline, load_news_gate())
    article, events = run(gated, headline, text)
    assert any(e.event_type == "ASSAULT" for e in events)
    assert not any("set aside" in w and "headline reads" in w for w in article.warnings)


def test_names_violence_reads_words_not_substrings():
    gate = load_news_gate()
    assert not names_violence("Shotgun wedding: the comedy returns to the stage", gate)
    assert not names_violence("Rovers beat City 3-1", gate)
    assert names_violence("Shooting at a mall in the north", gate)


def test_an_article_whose_events_are_all_below_its_lede_reports_none(gated, ungated):
    # a feature story: the only trigger word is in its fourth sentence, an aside about the past
    title = "Harbour town celebrates its summer regatta"
    text = ("Hundreds of boats sailed into the harbour of Port Ellis on Saturday for the annual summer regatta. "
            "Crews from twelve clubs took part in the races. The mayor opened the festival with a short speech. "
            "In 1944 the town was shelled by warships, a history the festival's museum retells.")
    _, events = run(ungated, title, text)
    assert any(e.event_type == "ASSAULT" for e in events), "the rules alone find the aside"
    article, events = run(gated, title, text)
    assert events == []
    assert any("first 3 sentences" in w for w in article.warnings)


def test_an_event_in_the_lede_keeps_the_article_events(gated):
    title = "Troops shell rebel positions near Port Ellis"
    text = ("Government troops shelled rebel positions outside Port Ellis on Saturday, the army said. "
            "Residents fled the area. The rebels said they would hit back. In 1944 the town was shelled by warships.")
    _, events = run(gated, title, text)
    assert any(e.event_type == "ASSAULT" for e in events)


def test_a_crime_headline_keeps_a_shooting_told_late_but_a_fire_story_does_not(gated):
    intro = ("Neighbours gathered on Elm Street on Monday evening. Many had known the family for years. "
             "The street was quiet by midnight. ")
    _, events = run(gated, "Young man killed by stray bullet on Elm Street",
                    intro + "Police said a gunman opened fire from a passing car, killing a 24-year-old man.")
    assert any(e.event_type == "ASSAULT" for e in events)
    article, events = run(gated, "Warehouse fire kills two on Elm Street",
                          intro + "An activist told reporters that arson has been used to clear the street.")
    assert events == []

"""The headline is text (issue 9, part 3): events and tolls stated in the title, and the title's say in the
primary event. Sentences written for these tests."""
from __future__ import annotations

import datetime as dt

from sitrep.model import Article


def run(extractor, title, text, article_id="t"):
    article = Article(id=article_id, text=text, title=title, published=dt.date(2020, 3, 4))
    return extractor.extract(article)


def primary(events):
    return next(e for e in events if e.is_primary)


def test_title_event_counts_when_the_text_has_none(extractor):
    title = "Three bombs explode in crowded market"
    events = run(extractor, title, "Police said the market was crowded at the time.")
    ev = primary(events)
    assert ev.event_type == "ASSAULT" and ev.from_title
    rec = ev.to_record()
    assert rec["evidence"]["field"] == "title"
    start, end = rec["evidence"]["trigger"]["span"]
    assert title[start:end] == ev.trigger_text


def test_title_toll_goes_to_the_lede_event(extractor):
    events = run(extractor, "Car bomb kills twelve in northern town",
                 "A car bomb exploded near a checkpoint in the northern town on Tuesday, police said.")
    ev = primary(events)
    assert not ev.from_title and ev.fatalities.total.best == 12
    assert ev.fatalities.span is None          # the number was read from the title, not from the text


def test_headline_picks_the_lede_event_of_its_kind_over_background(extractor):
    text = ("The governor was murdered a few weeks after he took office. Rebel fighters captured the town of Kora "
            "on Tuesday, residents said.")
    ev = primary(run(extractor, "Rebels seize town after heavy fighting", text))
    assert ev.trigger_text == "captured"


def test_headline_event_wins_over_lede_background_of_another_kind(extractor):
    text = ("All 50 people on board were killed when the airliner came down last week. The ministry said on "
            "Saturday that its air defences had fired by mistake.")
    ev = primary(run(extractor, "Government admits air defences downed airliner by mistake", text))
    assert ev.event_type == "CONCEDE" and ev.from_title


def test_text_spans_of_text_events_unchanged_by_title(extractor):
    text = "Soldiers arrested the mayor of the town on Monday."
    ev = primary(run(extractor, "Unrelated words here for a title", text))
    start, end = ev.trigger_span
    assert text[start:end] == ev.trigger_text and not ev.from_title


def test_title_repeated_as_the_first_line_is_read_once(extractor):
    text = "Troops arrest mayor\n\nSoldiers arrested the mayor of the town on Monday."
    events = run(extractor, "Troops arrest mayor", text)
    assert not any(e.from_title for e in events)

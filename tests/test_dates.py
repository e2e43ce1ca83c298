"""DateResolver on expressions and sentences written for these tests (publication 2020-03-04, a Wednesday)."""
from __future__ import annotations

import datetime as dt

import pytest

from sitrep.extract.context import DocContext
from sitrep.extract.dates import DateResolver
from sitrep.ingest.clean import make_article
from sitrep.model import Event

PUB = dt.date(2020, 3, 4)


@pytest.fixture(scope="module")
def resolver():
    return DateResolver()


# (expression, start, end, precision)
EXPRESSIONS = [
    ("on Wednesday", "2020-03-04", "2020-03-04", "day"),
    ("Tuesday", "2020-03-03", "2020-03-03", "day"),
    ("early Monday morning", "2020-03-02", "2020-03-02", "day"),
    ("last Wednesday", "2020-02-26", "2020-02-26", "day"),
    ("Thursday night", "2020-02-27", "2020-02-27", "day"),
    ("yesterday", "2020-03-03", "2020-03-03", "day"),
    ("today", "2020-03-04", "2020-03-04", "day"),
    ("overnight", "2020-03-03", "2020-03-04", "days"),
    ("over the past 24 hours", "2020-03-03", "2020-03-04", "days"),
    ("in recent days", "2020-02-27", "2020-03-04", "days"),
    ("last week", "2020-02-24", "2020-03-01", "week"),
    ("earlier this month", "2020-03-01", "2020-03-04", "month"),
    ("last month", "2020-02-01", "2020-02-29", "month"),
    ("three days ago", "2020-03-01", "2020-03-01", "day"),
    ("on March 4", "2020-03-04", "2020-03-04", "day"),
    ("Feb. 20", "2020-02-20", "2020-02-20", "day"),
    ("25 February", "2020-02-25", "2020-02-25", "day"),
    ("on December 30", "2019-12-30", "2019-12-30", "day"),
    ("March 4, 2019", "2019-03-04", "2019-03-04", "day"),
    ("2020-02-15", "2020-02-15", "2020-02-15", "day"),
    ("in February", "2020-02-01", "2020-02-29", "month"),
    ("in 2019", "2019-01-01", "2019-12-31", "year"),
]


@pytest.mark.parametrize("expr,start,end,precision", EXPRESSIONS)
def test_dates_resolve_expression(resolver, expr, start, end, precision):
    when, warning = resolver.resolve(expr, PUB)
    assert (when.start, when.end, when.precision) == (start, end, precision)
    assert warning is None


@pytest.mark.parametrize("expr", ["two hours", "11 days", "a 25-year-old", "around midnight", "the attack"])
def test_dates_non_dates_resolve_to_nothing(resolver, expr):
    when, _ = resolver.resolve(expr, PUB)
    assert when is None


def test_dates_impossible_day_keeps_month_with_warning(resolver):
    when, warning = resolver.resolve("February 30", PUB)
    assert (when.start, when.end, when.precision) == ("2020-02-01", "2020-02-29", "month")
    assert "impossible" in warning


def test_dates_without_publication_relative_stays_unresolved(resolver):
    when, _ = resolver.resolve("on Tuesday", None)
    assert when.start is None and when.end is None


def test_dates_without_publication_absolute_still_resolves(resolver):
    when, _ = resolver.resolve("March 4, 2019", None)
    assert when.start == "2019-03-04"


def build(nlp, text, triggers, published=PUB, statuses=None):
    article = make_article("t", text, published=published)
    doc = nlp(article.text)
    sents = list(doc.sents)
    events = []
    for n, (word, etype) in enumerate(triggers):
        tok = next(t for t in doc if t.text == word)
        si = next(i for i, s in enumerate(sents) if s.start <= tok.i < s.end)
        s = sents[si]
        ev = Event(article_id="t", event_type=etype, sentence=s.text, sentence_span=(s.start_char, s.end_char),
                   trigger_text=tok.text, trigger_span=(tok.idx, tok.idx + len(tok.text)),
                   sent_index=si, trigger_index=tok.i, confidence=0.8)
        if statuses:
            ev.status = statuses[n]
        events.append(ev)
    return DocContext(article=article, doc=doc, sents=sents), events


def test_dates_event_takes_the_date_of_its_clause(nlp, resolver):
    ctx, (ev,) = build(nlp, "The army said on Friday that rebels attacked the town on Tuesday.",
                       [("attacked", "ASSAULT")])
    resolver(ctx, [ev])
    assert ev.date.start == "2020-03-03"
    assert "Tuesday" in ev.date.text
    start, end = ev.date.span
    assert "Tuesday" in ctx.article.text[start:end]


def test_dates_event_without_date_inherits_from_paragraph(nlp, resolver):
    ctx, events = build(nlp, "Rebels attacked the base on Monday. They also burned a bridge.",
                        [("attacked", "ASSAULT"), ("burned", "ASSAULT")])
    resolver(ctx, events)
    assert events[1].date.start == "2020-03-02" == events[0].date.start


def test_dates_undated_event_gets_the_days_before_publication(nlp, resolver):
    ctx, (ev,) = build(nlp, "Rebels burned a bridge near the border.", [("burned", "ASSAULT")])
    resolver(ctx, [ev])
    assert ev.date.start <= "2020-03-04" == ev.date.end
    assert ev.date.precision in ("days", "week") and ev.date.text is None


def test_dates_undated_headline_is_dated_to_its_publication_day(nlp, resolver):
    # a text that is one headline reports the day's news: one day, not the week before
    ctx, (ev,) = build(nlp, "Army kills 22 militants in border raid: ministry", [("kills", "ASSAULT")])
    resolver(ctx, [ev])
    assert (ev.date.start, ev.date.end, ev.date.precision) == ("2020-03-04", "2020-03-04", "day")
    assert ev.date.text is None


def test_dates_headline_with_a_weekday_keeps_the_weekday(nlp, resolver):
    ctx, (ev,) = build(nlp, "Gunmen kill four traders at cattle market on Sunday", [("kill", "ASSAULT")])
    resolver(ctx, [ev])
    assert (ev.date.start, ev.date.end, ev.date.text) == ("2020-03-01", "2020-03-01", "Sunday")


def test_dates_a_two_line_text_is_no_headline(nlp, resolver):
    ctx, (ev,) = build(nlp, "Rebels burn a bridge near the border\nThe bridge linked two villages",
                       [("burn", "ASSAULT")])
    resolver(ctx, [ev])
    assert ev.date.start < ev.date.end == "2020-03-04"


def test_dates_future_event_takes_the_coming_weekday(nlp, resolver):
    ctx, (ev,) = build(nlp, "The two leaders will meet on Monday in Geneva.", [("meet", "CONSULT")],
                       statuses=["future"])
    resolver(ctx, [ev])
    assert ev.date.start == "2020-03-09"


def test_dates_old_reported_event_becomes_historical(nlp, resolver):
    ctx, (ev,) = build(nlp, "The group attacked the embassy in 2001.", [("attacked", "ASSAULT")])
    resolver(ctx, [ev])
    assert ev.status == "historical"
    assert ev.date.precision == "year"


def test_dates_recent_event_stays_reported(nlp, resolver):
    ctx, (ev,) = build(nlp, "The group attacked the embassy last week.", [("attacked", "ASSAULT")])
    resolver(ctx, [ev])
    assert ev.status == "reported"


@pytest.mark.parametrize("published", ["not a date", "2020-13-45", dt.date(2031, 1, 1), None])
def test_dates_odd_publication_dates_do_not_crash(nlp, resolver, published):
    ctx, (ev,) = build(nlp, "Rebels attacked the town on Tuesday.", [("attacked", "ASSAULT")])
    ctx.article.published = published
    resolver(ctx, [ev])
    assert ev.date is not None and ev.date.text == "Tuesday"


def test_dates_undated_without_publication_is_null(nlp, resolver):
    ctx, (ev,) = build(nlp, "Rebels burned a bridge near the border.", [("burned", "ASSAULT")], published=None)
    resolver(ctx, [ev])
    assert ev.date is None


def test_dates_impossible_date_in_text_warns_on_event(nlp, resolver):
    ctx, (ev,) = build(nlp, "Rebels attacked the town on February 30.", [("attacked", "ASSAULT")])
    resolver(ctx, [ev])
    assert ev.date.precision == "month"
    assert any("impossible" in w for w in ev.warnings)


def test_dates_end_to_end_headline_without_date(extract):
    events = extract("Suspected herders kill 10 villagers in central Nigeria")
    primary = next(e for e in events if e.is_primary)
    assert (primary.date.start, primary.date.end, primary.date.precision) == ("2020-03-04", "2020-03-04", "day")


def test_dates_end_to_end_yesterday(extract):
    events = extract("Militants attacked a police checkpoint in Kandahar yesterday, killing three officers.")
    assaults = [e for e in events if e.event_type == "ASSAULT"]
    assert assaults and assaults[0].date.start == "2020-03-03"


def test_dates_an_event_told_with_the_time_elapsed_since_is_dated_before_its_anchor(extract):
    events = extract("Traders reopened the fruit market in Kandahar on Monday, six days after a car bomb there "
                     "killed 12 people.")
    bombing = next(e for e in events if e.event_type == "ASSAULT")
    reopening = next(e for e in events if e.event_type != "ASSAULT")
    assert bombing.status == "historical" and reopening.status == "reported"
    gap = dt.date.fromisoformat(reopening.date.start) - dt.date.fromisoformat(bombing.date.start)
    assert gap.days == 6 and bombing.date.precision == "day" and bombing.date.text == "six days"


def test_dates_a_title_event_takes_the_date_the_story_gives(extractor):
    # the title states no date; the text dates its happening: the headline's event borrows it
    article = make_article("t", "On Monday, police arrested two suspects in the town. Traders said they feared "
                                "for their lives.", title="Gunmen kill three traders at cattle market", published=PUB)
    events = extractor.extract(article)
    head = next(e for e in events if e.from_title)
    assert (head.date.start, head.date.end, head.date.text) == ("2020-03-02", "2020-03-02", "Monday")
    assert head.date.span is None       # the words are the text's, not the title's


def test_dates_a_title_event_without_dated_story_is_dated_to_publication(extractor):
    article = make_article("t", "The market stays closed. Traders mourned their colleagues.",
                           title="Gunmen kill three traders at cattle market", published=PUB)
    head = next(e for e in extractor.extract(article) if e.from_title)
    assert (head.date.start, head.date.end, head.date.precision) == ("2020-03-04", "2020-03-04", "day")

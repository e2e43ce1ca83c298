"""Long texts: read in parts with spans on the whole text; entity look-ups agree with spaCy's own."""
from __future__ import annotations

import datetime as dt

import pytest

from sitrep.extract.pipeline import Extractor, split_parts
from sitrep.ingest.clean import make_article
from sitrep.nlp import entities, entities_before, entities_in, entity_at
from sitrep.options import Options

PARAGRAPHS = [
    "Gunmen attacked a police post in Kunduz on Monday, killing four officers, a provincial spokesman said.",
    "Prices of wheat rose again in the capital this month, traders said.",
    "Hundreds of people marched through Lagos on Tuesday to demand the release of detained activists.",
    "A roadside bomb exploded near a market in Mogadishu, killing six civilians, police said.",
]


def long_text(n_paragraphs: int) -> str:
    return "\n\n".join(PARAGRAPHS[i % len(PARAGRAPHS)] for i in range(n_paragraphs))


def test_parts_cover_the_text_and_cut_at_paragraph_ends():
    text = long_text(60)
    parts = split_parts(text, 1000)
    assert "".join(p for _, p in parts) == text
    assert all(len(p) <= 1000 for _, p in parts)
    assert all(text[off:off + len(p)] == p for off, p in parts)
    assert all(p.endswith("\n\n") for _, p in parts[:-1])
    assert split_parts("short", 1000) == [(0, "short")]


def test_a_text_without_breaks_is_still_cut_within_the_limit():
    text = "x" * 2500
    parts = split_parts(text, 1000)
    assert [len(p) for _, p in parts] == [1000, 1000, 500]


def test_long_article_events_carry_spans_of_the_whole_text():
    text = long_text(40)
    extractor = Extractor(Options(part_chars=1500))
    article = make_article("long", text, published=dt.date(2020, 3, 4))
    events = extractor.extract(article)
    assert any("read in" in w and "parts" in w for w in article.warnings)
    assert max(e.sentence_span[0] for e in events) > 1500          # events from later parts are there
    for ev in events:
        start, end = ev.sentence_span
        assert article.text[start:end] == ev.sentence
        if ev.trigger_span:
            assert article.text[ev.trigger_span[0]:ev.trigger_span[1]] == ev.trigger_text
        for part in (ev.actor, ev.recipient, ev.location):
            if part is not None and part.span is not None:
                assert article.text[part.span[0]:part.span[1]] == part.text
    assert len({e.event_id for e in events}) == len(events)
    assert sum(e.is_primary for e in events) == 1


def test_parts_give_the_events_one_reading_gives(extractor):
    """Cutting between paragraphs loses no event a paragraph reports on its own."""
    text = long_text(8)
    whole = extractor.extract(make_article("a", text, published=dt.date(2020, 3, 4)))
    parted = Extractor(Options(part_chars=300)).extract(make_article("a", text, published=dt.date(2020, 3, 4)))
    assert sorted((e.trigger_span, e.event_type) for e in parted) == \
        sorted((e.trigger_span, e.event_type) for e in whole)


@pytest.fixture(scope="module")
def doc(nlp):
    return nlp(long_text(12) + "\n\nPresident Joe Biden met Chancellor Olaf Scholz in Berlin on Friday.")


def test_entity_lookups_agree_with_spacy(doc):
    assert entities(doc) == tuple(doc.ents)
    for sent in doc.sents:
        assert entities_in(doc, sent.start, sent.end) == tuple(sent.ents)
    for tok in doc:
        brute = next((e for e in doc.ents if e.start <= tok.i < e.end), None)
        assert entity_at(tok) == brute
        assert entities_before(doc, tok.i) == tuple(e for e in doc.ents if e.start < tok.i)

"""Headline grammar (issue 9): Title Case and shouted lines are parsed from a sentence-cased copy."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def rules(extractor):
    return extractor.headline_rules


@pytest.mark.parametrize("line, copy", [
    ("Rebels Shell Army Post, Kill Four Soldiers", "Rebels shell army post, kill four soldiers"),
    # names the model's word lists share with common words keep their capitals when sitrep knows them
    ("Taliban Fighters Storm Checkpoint in Kandahar", "Taliban fighters storm checkpoint in Kandahar"),
    # an acronym keeps its capitals, a place before "State" too
    ("KNU Troops Ambush Convoy in Karen State", "KNU troops ambush convoy in Karen State"),
    # a shouted line: unknown words read as names
    ("MILITANTS BOMB BRIDGE NEAR ZALINGEI", "Militants bomb bridge near Zalingei"),
    # "-ing" and "-ed" only strip to a verb
    ("Police Detain Protesters Marching Through Sagaing", "Police detain protesters marching through Sagaing"),
])
def test_parse_copy_sentence_cases_title_lines(rules, line, copy):
    from sitrep.extract.headline import parse_copy

    assert parse_copy(line, rules) == copy


@pytest.mark.parametrize("text", [
    "Soldiers fired on a crowd in the capital on Monday, witnesses said.",
    "Rebels shell army post, kill four soldiers",
    "President Barack Obama said the United Nations Security Council would meet.",
])
def test_parse_copy_leaves_ordinary_sentences(rules, text):
    from sitrep.extract.headline import parse_copy

    assert parse_copy(text, rules) is None


def test_title_case_headline_yields_its_event_with_original_words(extract):
    text = "Gunmen Raid Village Market, Kill Nine Traders"
    events = extract(text)
    primary = next(e for e in events if e.is_primary)
    assert primary.event_type == "ASSAULT"
    assert primary.fatalities is not None and primary.fatalities.total.best == 9
    # spans and words are the article's own, capitals included
    assert text[primary.trigger_span[0]:primary.trigger_span[1]] == primary.trigger_text
    assert primary.trigger_text[0].isupper()


def test_number_and_participle_read_as_noun_is_a_dropped_passive(extract):
    # the model reads "Two shot" as "two shots": the headline's shooting and its toll would be lost
    events = extract("Two shot at a cattle market; one dies")
    primary = next(e for e in events if e.is_primary)
    assert primary.event_type == "ASSAULT" and primary.trigger_text == "shot"
    assert primary.fatalities is not None and primary.fatalities.total.best == 1


def test_a_noun_shot_with_an_article_stays_a_noun(extractor):
    from sitrep.extract.headline import mark_dropped_passives

    doc = extractor.nlp("The first shot was fired at dawn")
    shot = next(t for t in doc if t.lower_ == "shot")
    before = (shot.tag_, shot.lemma_)
    mark_dropped_passives(doc, extractor.headline_rules)
    assert (shot.tag_, shot.lemma_) == before

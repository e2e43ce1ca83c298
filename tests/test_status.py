"""StatusResolver on sentences written for these tests: negated, hypothetical, future, reported."""
from __future__ import annotations

import pytest

from sitrep.extract.context import DocContext
from sitrep.extract.status import StatusResolver
from sitrep.ingest.clean import make_article
from sitrep.model import Event


@pytest.fixture(scope="module")
def status_of(nlp):
    resolver = StatusResolver()

    def run(text, word, etype="ASSAULT"):
        article = make_article("t", text)
        doc = nlp(article.text)
        sents = list(doc.sents)
        tok = next(t for t in doc if t.text == word)
        si = next(i for i, s in enumerate(sents) if s.start <= tok.i < s.end)
        s = sents[si]
        ev = Event(article_id="t", event_type=etype, sentence=s.text, sentence_span=(s.start_char, s.end_char),
                   trigger_text=tok.text, trigger_span=(tok.idx, tok.idx + len(tok.text)), sent_index=si,
                   trigger_index=tok.i, confidence=0.8)
        resolver(DocContext(article=article, doc=doc, sents=sents), [ev])
        return ev

    return run


# (sentence, trigger, type, expected status)
CASES = [
    ("Rebels attacked the army base near the border.", "attacked", "ASSAULT", "reported"),
    ("The rebels did not attack the convoy.", "attack", "ASSAULT", "negated"),
    ("The militia never fired on the crowd.", "fired", "ASSAULT", "negated"),
    ("No civilians were killed in the operation.", "killed", "ASSAULT", "negated"),
    ("The group denied carrying out the bombing.", "bombing", "ASSAULT", "negated"),
    ("Police foiled an attack on the stadium.", "attack", "ASSAULT", "negated"),
    ("The army would strike the camps if the rebels advanced.", "strike", "ASSAULT", "hypothetical"),
    ("The rebels could attack the city within days.", "attack", "ASSAULT", "hypothetical"),
    ("The militia threatened to attack the town.", "attack", "ASSAULT", "hypothetical"),
    ("The militia threatened to attack the town.", "threatened", "THREATEN", "reported"),
    ("The envoy called on the group to stop attacks.", "called", "REQUEST", "reported"),
    ("We will defend our partners when required.", "defend", "THREATEN", "reported"),
    ("The two foreign ministers will meet on Monday.", "meet", "CONSULT", "future"),
    ("The president plans to visit the flooded region.", "visit", "CONSULT", "future"),
    ("Talks are scheduled to resume next week in Doha.", "resume", "CONSULT", "future"),
    ("The government is to sign the accord in May.", "sign", "AGREE", "future"),
    ("The army said it had killed five militants.", "killed", "ASSAULT", "reported"),
    ("Shops reopened on Monday, six days after a car bomb killed 12 people.", "killed", "ASSAULT", "historical"),
    ("Students returned to the campus two weeks after the shooting.", "shooting", "ASSAULT", "historical"),
    ("Protests resumed a month after police killed a student.", "killed", "ASSAULT", "historical"),
    ("Police arrived hours later, after gunmen had stormed the bank.", "stormed", "ASSAULT", "reported"),
]


@pytest.mark.parametrize("text,word,etype,expected", CASES)
def test_status_of_trigger(status_of, text, word, etype, expected):
    assert status_of(text, word, etype).status == expected


def test_status_non_reported_lowers_confidence(status_of):
    assert status_of("The rebels did not attack the convoy.", "attack").confidence < 0.8
    assert status_of("Rebels attacked the convoy.", "attacked").confidence == 0.8


def test_status_end_to_end_negation(extract):
    events = extract("The rebel group denied that its fighters attacked the convoy on Monday.")
    assaults = [e for e in events if e.event_type == "ASSAULT"]
    assert assaults and all(e.status == "negated" for e in assaults)

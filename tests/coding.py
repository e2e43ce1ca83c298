"""Helpers for the actor-coding tests: code one phrase of a sentence, or build one event with its context."""
from __future__ import annotations

from sitrep.extract.context import DocContext
from sitrep.model import Article, Event, Participant


def code(nlp, coder, text, phrase, focus=None, military=False, year=None, nth=0):
    """The coded Participant for the `nth` occurrence of `phrase` in `text`."""
    doc = nlp(text)
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return coder.code_participant((start, start + len(phrase)), doc, focus, military=military, year=year)


def event_in_context(nlp, text, trigger, event_type, actor=None, recipient=None, focus=None, published=None):
    """One event over `text` with the given trigger word and participant phrases, and its DocContext."""
    doc = nlp(text)
    tok = next(t for t in doc if t.text == trigger)

    def part(words):
        if words is None:
            return None
        start = text.index(words)
        return Participant(text=words, span=(start, start + len(words)))

    ev = Event(article_id="t", event_type=event_type, sentence=text, sentence_span=(0, len(text)),
               sent_index=0, trigger_index=tok.i, actor=part(actor), recipient=part(recipient))
    article = Article(id="t", text=text, published=published)
    return ev, DocContext(article=article, doc=doc, sents=list(doc.sents), focus_country=focus)

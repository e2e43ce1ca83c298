"""DocContext: one parsed article and what the stages have learnt about it so far."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from ..model import Article, Event, Place


@dataclass
class DocContext:
    article: Article
    doc: Any                        # spacy.tokens.Doc over article.text
    sents: list = field(default_factory=list)   # list(doc.sents), indexed by Event.sent_index
    # Filled by PlaceResolver: every toponym found in the text, in order, and the article's focus country.
    places: list[Place] = field(default_factory=list)
    focus_country: Optional[str] = None
    # Filled by EventFinder: token indices of trigger words a filter judged to name no event ("signed a bill",
    # "a court battle"); the event typer's guess is not let in through the same word (pipeline.py).
    no_event_words: set[int] = field(default_factory=set)

    def sent_of(self, event: Event):
        return self.sents[event.sent_index]

    def trigger_of(self, event: Event):
        return self.doc[event.trigger_index]

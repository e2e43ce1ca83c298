"""The headline is text: events and tolls stated in the article's title, and the title's say in the primary event.

The title is parsed as a document of its own (a few words, batched with the texts: no second parse of a text),
and its events are found and resolved like the text's. Then, with H the headline's main event:

- the primary event is the earliest event of the lede (its first `lede_sentences` sentences, data/headlines.yaml)
  whose type is H's: the headline tells what the story is about, the lede may open with background ("X was
  murdered weeks after ...") or restate it in other words;
- when the lede has no event of H's kind, H itself is kept as an event of the article and made primary;
- a toll stated only in the headline ("Three Bombs Explode in Market; Two Officers Hurt") goes to the event
  that stands for it when that event has none.

Spans: an event read from the title has `from_title` set (exported as `evidence.field: "title"`), and every span
it carries indexes the title, which a user sees next to the text. Values it borrows from the text (a place, a date
resolved with the whole story's context) and tolls an event of the text borrows from the title keep their words
and numbers but have span None: a span always indexes the string its event's evidence names.
"""
from __future__ import annotations

import copy
from dataclasses import replace
from typing import Optional

from ..model import Article, Event

# Values of an event whose spans say where the words were.
SPANNED = ("actor", "recipient", "date", "location", "fatalities", "injuries")


def usable_title(article: Article) -> Optional[str]:
    """The title to read as text, or None: no title, or one the text already opens with (a plain-text file whose
    first line is its headline keeps it in the text, and it is read there)."""
    title = (article.title or "").strip()
    if not title:
        return None
    if article.text.lstrip()[:len(title) + 20].lower().startswith(title.lower()):
        return None
    return article.title


def title_article(article: Article, title: str) -> Article:
    """The article as the title stages see it: the title is its text, and it has no title of its own."""
    return replace(article, text=title, title=None, raw_text=None, offset_map=None, warnings=[])


def headline_event(title_events: list[Event]) -> Optional[Event]:
    """What the headline reports: its reported event in the main clause, the first one when several are."""
    reported = [e for e in title_events if e.status == "reported"]
    if not reported:
        return None
    return min(reported, key=lambda e: (e.clause_depth, e.phrase_depth, e.trigger_span or (0, 0)))


def closer_kind(ev: Event, head: Event) -> bool:
    """The same act as the headline's in finer terms: the same ACLED sub-event type, or the same mode."""
    if head.acled_sub_event_type and ev.acled_sub_event_type == head.acled_sub_event_type:
        return True
    return bool(head.mode) and ev.mode == head.mode


def _unspanned(value):
    if value is None:
        return None
    value = copy.deepcopy(value)
    if hasattr(value, "span"):
        value.span = None
    return value


def apply_headline(events: list[Event], title_events: list[Event], lede_sentences: int) -> Optional[Event]:
    """Adds the headline's event to `events` where the lede lacks it; returns the event that must be primary
    (None: the headline reports no event, and the usual choice stands)."""
    head = headline_event(title_events)
    if head is None:
        return None
    same = [e for e in events if e.event_type == head.event_type and e.status == "reported"
            and e.sent_index < lede_sentences]
    if same:
        # the lede's own wording of the headline's act first ("Rebels seize town" -> "captured the town", not
        # the murder told as background), then the earliest of the type
        chosen = min(same, key=lambda e: (not closer_kind(e, head), e.sentence_span[0], e.trigger_span or (0, 0)))
        for name in ("fatalities", "injuries"):
            own, told = getattr(chosen, name), getattr(head, name)
            if (own is None or own.total is None) and told is not None and told.total is not None:
                setattr(chosen, name, _unspanned(told))
        return chosen
    head.from_title = True
    # the place is the story's (the places stage reads the title's names with the whole text's context, the
    # title alone is coded without a focus country), and so is a date the title does not state: borrow them from
    # the text's first event of the kind the headline reports, else from the text's first event, without span
    donors = sorted(events, key=lambda e: (e.event_type != head.event_type, e.sentence_span[0]))
    for name in ("location", "date"):
        if name == "location" or getattr(head, name) is None:
            donor = next((e for e in donors if getattr(e, name) is not None), None)
            if donor is not None:
                setattr(head, name, _unspanned(getattr(donor, name)))
    events.append(head)
    return head

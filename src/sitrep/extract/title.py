"""The headline is text: events and tolls stated in the article's title, and the title's say in the primary event.

The title is parsed as a document of its own (a few words, batched with the texts: no second parse of a text),
and its events are found and resolved like the text's. Then, with H the headline's main event:

- the primary event is an event of the text whose type is one the headline reports: the headline tells what the
  story is about, the lede may open with background ("X was murdered weeks after ...") or restate it in other
  words. Among them: those of the lede (its first `lede_sentences` sentences, data/headlines.yaml) first, then the
  text's own wording of the headline's act (same ACLED sub-type or mode), then the usual order (primary_score);
- when the text has no event of any kind the headline reports, H itself is kept as an event of the article and
  made primary;
- a toll stated only in the headline ("Three Bombs Explode in Market; Two Officers Hurt") goes to the event
  that stands for it when that event has none.

Spans: an event read from the title has `from_title` set (exported as `evidence.field: "title"`), and every span
it carries indexes the title, which a user sees next to the text. Values it borrows from the text (a place, a date
resolved with the whole story's context) and tolls an event of the text borrows from the title keep their words
and numbers but have span None: a span always indexes the string its event's evidence names.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Optional

from ..data import load_yaml
from ..model import Article, Event
from .ranking import primary_score

# Values of an event whose spans say where the words were.
SPANNED = ("actor", "recipient", "date", "location", "fatalities", "injuries")


@dataclass(frozen=True)
class TitleRules:
    """How the headline weighs in (data/headlines.yaml)."""
    lede_sentences: int                 # the lede: this many opening sentences of the text
    toll_words: frozenset[str]          # a headline with one of these states a toll
    aftermath: frozenset[str]           # event types that only follow violence (an arrest, a charge)
    headline_max_words: int             # a longer line is not a headline


@lru_cache(maxsize=1)
def load_title_rules() -> TitleRules:
    spec = load_yaml("headlines.yaml")
    return TitleRules(int(spec["lede_sentences"]), frozenset(str(w).lower() for w in spec["toll_words"]),
                      frozenset(str(w) for w in spec["aftermath_types"]), int(spec["max_words"]))


def states_toll(doc, rules: TitleRules) -> bool:
    """Does the (headline) doc state deaths or injuries: 'Wife charged in husband's fatal shooting'?"""
    return any(t.lemma_.lower() in rules.toll_words or t.lower_ in rules.toll_words for t in doc)


def headline_with_toll(doc, rules: TitleRules) -> bool:
    """A text that is one headline (a single line of at most `max_words` words without a closing full stop, as RSS
    items and headline lists deliver) stating a toll: like an article's title, it is about its toll ("Villagers
    accuse army of murdering six farmers" is coded as the killing of six)."""
    return is_headline_text(doc.text, rules.headline_max_words) and states_toll(doc, rules)


def is_headline_text(text: str, max_words: int) -> bool:
    """Is the whole text one headline: a single line of at most `max_words` words without a closing full stop,
    as RSS items and headline lists deliver ("Army kills 22 militants: ministry")?"""
    text = text.strip()
    return bool(text) and "\n" not in text and text[-1] not in ".!?\"'”" and len(text.split()) <= max_words


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
    if ev.event_type != head.event_type:
        return False
    if head.acled_sub_event_type and ev.acled_sub_event_type == head.acled_sub_event_type:
        return True
    return bool(head.mode) and ev.mode == head.mode


def counted(ev: Event) -> bool:
    return any(c is not None and c.total is not None for c in (ev.fatalities, ev.injuries))


def _unspanned(value):
    if value is None:
        return None
    value = copy.deepcopy(value)
    if hasattr(value, "span"):
        value.span = None
    return value


def apply_headline(events: list[Event], title_events: list[Event], rules: TitleRules,
                   prefer_casualties: bool = False, headline_doc=None, voted: Optional[str] = None) -> Optional[Event]:
    """Adds the headline's event to `events` where the text lacks it; returns the event that must be primary
    (None: the headline reports no event, and the usual choice stands). `voted` is the type the event typer
    reads the whole headline as, when it is sure of it: the text's events of that type come first (its words
    need not be a trigger: "Paris court jails two police" is a sentence, SANCTION, not an arrest)."""
    aftermath = rules.aftermath
    if prefer_casualties and voted and voted != "ASSAULT" and any(e.event_type == "ASSAULT" and counted(e)
                                                                     for e in events):
        voted = None    # a story with a toll is about the toll ("Vigil held for ...", "Detectives apprehend ...")
    head = headline_event(title_events)
    told = [e for e in title_events if e.status == "reported"]
    kinds = {e.event_type for e in told} | ({voted} if voted else set())
    voted_head = next((e for e in told if e.event_type == voted), None) if voted else None
    if voted_head is not None and not any(e.event_type == voted and e.status == "reported" for e in events):
        # the text words the headline's act in no trigger of that type: the headline's own event stands for it
        head, told, kinds = voted_head, [voted_head], {voted}
    if head is None:
        if voted is None:
            return None
        same = [e for e in events if e.event_type == voted and e.status == "reported"]
        return max(same, key=lambda e: (e.sent_index < rules.lede_sentences, primary_score(e, prefer_casualties)),
                   default=None)
    # a headline that states deaths or injuries ("Wife charged in husband's fatal shooting") is about them too:
    # the text's toll comes first
    tolled = headline_doc is not None and states_toll(headline_doc, rules)
    if tolled:
        kinds.add("ASSAULT")
    if prefer_casualties and kinds <= aftermath and any(e.event_type == "ASSAULT" and counted(e) for e in events):
        return None     # "Police investigate shooting", "Man charged": the story is still the violence's toll
    same = [e for e in events if e.event_type in kinds and e.status == "reported"]
    if same:
        # under a headline that states a toll, an event with one; the lede first (else the rest of the text); then the text's own wording of one of the headline's acts ("Rebels seize town" -> "captured the
        # town", not the murder told as background), then the usual order (the main clause, the earliest)
        chosen = max(same, key=lambda e: (tolled and counted(e),
                                          tolled and e.fatalities is not None and e.fatalities.total is not None,
                                          e.event_type == voted,
                                          e.sent_index < rules.lede_sentences,
                                          any(closer_kind(e, t) for t in told if t.event_type == e.event_type),
                                          primary_score(e, prefer_casualties)))
        match = next((t for t in told if t.event_type == chosen.event_type), head)
        for name in ("fatalities", "injuries"):
            own, stated = getattr(chosen, name), getattr(match, name)
            if (own is None or own.total is None) and stated is not None and stated.total is not None:
                setattr(chosen, name, _unspanned(stated))
        return chosen
    head.from_title = True
    # the place is the story's (the places stage reads the title's names with the whole text's context, the
    # title alone is coded without a focus country), and so is a date the title does not state: borrow them from
    # the text's first event of the kind the headline reports, else from the text's first event, without span
    donors = sorted(events, key=lambda e: (e.event_type != head.event_type, e.sentence_span[0]))
    for name in ("location", "date"):
        # (a title's own undated event carries the default of an undated headline, no text: the story's date wins)
        if name == "location" or head.date is None or head.date.text is None:
            donor = next((e for e in donors if getattr(e, name) is not None), None)
            if donor is not None:
                setattr(head, name, _unspanned(getattr(donor, name)))
    events.append(head)
    return head

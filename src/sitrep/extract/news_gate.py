"""Does an article report a political event at all? (the first question of a coder reading a news stream)

Rules find trigger words; sport, business and accident news are full of them. The event typer (typer.py) reads
the headline and the first sentence as a whole; with the participants the rules coded, it sets aside the events
of articles that report no political event. Thresholds and the political sectors are data (news_gate.yaml).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from ..data import load_yaml
from ..model import Article, Event
from .accidents import load_accident_words
from .typer import NONE, EventTyper

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n")


@dataclass(frozen=True)
class NewsGate:
    headline_none: float
    lede_none: float
    political_sectors: frozenset[str]
    always_kept: frozenset[str]
    lede_sentences: int = 1     # under a headline that reads as no event, `always_kept` holds in these only
    state_acts: frozenset[str] = frozenset()    # ... and for these types, only with no actor or a political one
    violent_headline_words: frozenset[str] = frozenset()   # a headline naming one is never judged "no event"
    lede_overrules_headline: float = 0.0    # P(none) of the lede below which it outweighs the headline's verdict
    news_sentences: int = 0     # an article with no event in its headline or this many first sentences has none
    toll_headline_words: frozenset[str] = frozenset()   # ... unless its headline states a death or a wound
    accident_words: frozenset[str] = frozenset()   # ... and no accident or disaster (accidents.yaml's words)


def accident_headline_words() -> frozenset[str]:
    """The words that name an accident or a disaster (accidents.yaml)."""
    words = load_accident_words()
    return frozenset(words.nouns | words.fires | words.disasters | words.verbs)


@dataclass(frozen=True)
class Lede:
    """The opening of an article's text: its first sentence, and where its first `lede_sentences` sentences end
    (a character offset in the text, as event spans are)."""
    sentence: str
    end: int


@dataclass(frozen=True)
class Verdict:
    """Why an article is judged to report no political event; `by_headline` when its headline alone says so."""
    why: str
    by_headline: bool


@lru_cache(maxsize=1)
def load_news_gate() -> NewsGate:
    raw = load_yaml("news_gate.yaml")
    return NewsGate(float(raw["headline_none"]), float(raw["lede_none"]),
                    frozenset(raw["political_sectors"]), frozenset(raw["always_kept"]), int(raw["lede_sentences"]),
                    frozenset(raw.get("state_acts") or ()),
                    frozenset(str(w).lower() for w in raw.get("violent_headline_words") or ()),
                    float(raw.get("lede_overrules_headline") or 0.0), int(raw.get("news_sentences") or 0),
                    frozenset(str(w).lower() for w in raw.get("toll_headline_words") or ()),
                    accident_headline_words())


_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def names_violence(headline: str, gate: NewsGate) -> bool:
    """Does the headline name a violent act in words the rules know ("2 Students Fatally Shot at ...")?"""
    return any(w in gate.violent_headline_words for w in _WORD.findall(headline.lower()))


def first_sentence(text: str) -> str:
    """The text up to its first sentence end or line break."""
    text = text.strip()
    m = _SENTENCE_END.search(text)
    return text[:m.start()] if m else text


def states_toll(headline: str, gate: NewsGate) -> bool:
    """Does the headline state a death or a wound ("Young woman killed by stray bullet"), and no accident or
    disaster ("Hotel fire kills 17": the accident filter's question)?"""
    words = set(_WORD.findall(headline.lower()))
    return bool(words & gate.toll_headline_words) and not words & gate.accident_words


def has_political_participant(events: list[Event], gate: NewsGate) -> bool:
    return any(p is not None and p.sector in gate.political_sectors
               for ev in events for p in (ev.actor, ev.recipient))


def states_on_states(events: list[Event], gate: NewsGate) -> bool:
    """Is there an event between two political participants ("the UK urged the US ...")?"""
    return any(ev.actor is not None and ev.recipient is not None and ev.actor.sector in gate.political_sectors
               and ev.recipient.sector in gate.political_sectors for ev in events)


def set_aside(typer: EventTyper, article: Article, events: list[Event], gate: NewsGate,
              lede: Optional[Lede] = None) -> tuple[list[Event], str]:
    """(events kept, why the others were set aside) for an article that reports no political event; (events, "")
    when it may report one. Rule events of the types in `always_kept` stay either way, unless the headline reads
    as no event and they were found in the headline itself ("Rovers beat City 3-1") or after the lede (the
    background of an obituary, a disaster or a campaign story: "the district was recaptured in 2016", "the
    quake left thousands dead"). `lede` is the parsed text's opening (the pipeline's sentences); without it, the
    first sentence is cut by punctuation."""
    lede = lede or Lede(first_sentence(article.text), len(first_sentence(article.text)))
    title = (article.title or "").strip()
    if gate.news_sentences and title and events and not names_violence(title, gate) \
            and not states_toll(title, gate) \
            and not any(ev.from_title or ev.sent_index < gate.news_sentences for ev in events):
        return [], f"no event in the headline or the first {gate.news_sentences} sentences"

    def kept_anyway(ev: Event, headline_says_none: bool) -> bool:
        return kept_whatever_the_verdict(ev, gate, lede, headline_says_none)

    # Events kept even when the headline says "no event" are kept whatever the verdict: no need to ask the typer.
    if all(kept_anyway(ev, headline_says_none=True) for ev in events):
        return events, ""
    verdict = no_political_event(typer, article, events, gate, lede.sentence)
    if verdict is None:
        return events, ""
    return [ev for ev in events if kept_anyway(ev, verdict.by_headline)], verdict.why


def kept_whatever_the_verdict(ev: Event, gate: NewsGate, lede: Lede, headline_says_none: bool = True) -> bool:
    """Is a rule event kept in an article judged to report no political event (`always_kept`, see set_aside)?"""
    # a type the model guessed where no trigger word matched is no evidence of its own
    if ev.event_type not in gate.always_kept or ev.typed_by_model:
        return False
    if headline_says_none:
        if ev.from_title or ev.sentence_span[0] >= lede.end:
            return False
        # a league suspending its season, a federation banning two players: coercion is a state's act
        named = ev.actor is not None and (ev.actor.text or ev.actor.name)
        return not (ev.event_type in gate.state_acts and named and ev.actor.sector not in gate.political_sectors)
    return True


def no_political_event(typer: EventTyper, article: Article, events: list[Event], gate: NewsGate,
                       first: Optional[str] = None) -> Optional[Verdict]:
    """Why the article reports no political event, or None when it may report one. The typer is only asked about
    articles that have events."""
    if not events or (gate.headline_none > 1 and gate.lede_none > 1):
        return None     # no events, or the typer's verdict is off (the document typer gives it: story.py)
    title = (article.title or "").strip()
    if not title:
        # a bare sentence or snippet: one sentence is too little for the typer to overrule the rules on
        return None
    # the typer may read a headline as no event; it never overrules a violent act the headline names outright
    p_none = typer.predict([title])[0][NONE]
    political = has_political_participant(events, gate)
    lede_none = None
    if p_none >= gate.headline_none and not names_violence(title, gate):
        # a state acting on a state, in a lede that reads as an event, outweighs a terse headline ("UK urges US
        # to waive immunity", "Envoy arrives in region"): the typer reads many such headlines as no event
        if gate.lede_overrules_headline > 0 and states_on_states(events, gate):
            lede_none = typer.predict([first if first is not None else first_sentence(article.text)])[0][NONE]
            if lede_none < gate.lede_overrules_headline:
                return None
        return Verdict(f"the headline reads as no political event (P={p_none:.2f})", by_headline=True)
    if political:
        return None
    p_none = lede_none if lede_none is not None else \
        typer.predict([first if first is not None else first_sentence(article.text)])[0][NONE]
    if p_none >= gate.lede_none:
        return Verdict(f"no political participant, and the first sentence reads as no political event "
                       f"(P={p_none:.2f})", by_headline=False)
    return None

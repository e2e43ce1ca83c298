"""The extraction pipeline: Article -> parsed doc -> events -> resolvers -> finished Event records.

The stages run in a fixed order, each a callable `(ctx, events) -> None` that fills fields of the events:
places first (the focus country informs actor coding), then actors, status, dates, casualties, sources.
Then later mentions of one event are merged (mentions.py) and the ACLED/CAMEO codes are set (codes/).
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import replace
from itertools import groupby, islice
from typing import Any, Callable, Iterable, Iterator

from ..errors import StageError
from ..model import Article, Event
from ..nlp import load_nlp
from ..options import Options
from ..codes.mapping import CodeMapper
from ..resolve.actors import ActorCoder
from .casualties import CasualtyResolver
from .context import DocContext
from .dates import DateResolver
from .events import EventFinder
from .headline import common_words, load_rules, mark_dropped_passives, parse_copy, with_original_words
from .mentions import merge_mentions
from .places import PlaceResolver
from .sources import SourceResolver
from .status import StatusResolver
from .typer import apply_typer, check_mode, load_typer

LOGGER = logging.getLogger(__name__)


class Extractor:
    """Holds the loaded model and lexicons; turns articles into events."""

    def __init__(self, options: Options | None = None):
        self.options = options or Options()
        self.nlp = load_nlp(self.options.spacy_model)
        self.finder = EventFinder()
        self.typer_mode = check_mode(self.options.event_typer)
        self.typer = load_typer() if self.typer_mode != "off" else None
        self.headline_rules = load_rules(*common_words(self.nlp))
        self.stages = [
            ("places", PlaceResolver()),
            ("actors", ActorCoder()),
            ("status", StatusResolver()),
            ("dates", DateResolver()),
            ("casualties", CasualtyResolver()),
            ("sources", SourceResolver()),
        ]
        self.codes = CodeMapper()

    def extract(self, article: Article) -> list[Event]:
        return next(iter(self.extract_many([article])))[1]

    def extract_many(
        self, articles: Iterable[Article], on_error: Callable[[StageError], None] | None = None,
    ) -> Iterator[tuple[Article, list[Event]]]:
        """Parse with nlp.pipe (batched) and yield each article with its events, in input order.

        A stage that fails on one article raises, unless `on_error` is given: then the failure is passed to it
        as a StageError and the article is skipped, so one odd text does not stop an archive run.
        A text longer than `options.part_chars` is parsed in parts cut at paragraph ends (see `split_parts`)."""
        events: list[Event] = []
        failed = several = False
        for doc, (article, offset, last) in self._parse(articles):
            original = article.text[offset:offset + len(doc.text)]
            if doc.text != original:
                doc = with_original_words(doc, original)    # a headline parsed from its sentence-cased copy
            mark_dropped_passives(doc, self.headline_rules)
            if not failed:
                try:
                    # A one-sentence text is coded by its main clause, a longer story by its toll (finish_events).
                    several = several or offset > 0 or next(islice(doc.sents, 1, 2), None) is not None
                    part = article if offset == 0 and last else replace(article, text=doc.text)
                    events.extend(shift_spans(e, offset) for e in self.events_from_doc(part, doc))
                except Exception as exc:  # noqa: BLE001 - any stage bug becomes a reported, per-article error
                    if on_error is None:
                        raise
                    LOGGER.debug("stage failure on %s", article.id, exc_info=True)
                    on_error(StageError(f"article {article.id}: extraction failed ({type(exc).__name__}: {exc}); "
                                        f"skipped - please report it with the text"))
                    failed = True
            if last:
                if not failed:
                    finish_events(article, events, several_sentences=several)
                    yield article, events
                events, failed, several = [], False, False

    def _parse(self, articles: Iterable[Article]) -> Iterator[tuple[Any, tuple[Article, int, bool]]]:
        """(doc, (article, offset of the part, last part?)) for every part of every article, in order. Articles
        of ordinary length are parsed in batches; a long one part by part, so that memory holds one part."""
        limit = self.options.part_chars
        for long, run in groupby(articles, key=lambda a: len(a.text) > limit):
            if not long:
                # Title Case and shouted headlines are parsed from a sentence-cased copy of the same length
                pairs = ((self._parse_text(a.text), (a, 0, True)) for a in run)
                yield from self.nlp.pipe(pairs, as_tuples=True, batch_size=self.options.batch_size)
                continue
            for article in run:
                pieces = split_parts(article.text, limit)
                article.warnings.append(
                    f"article {article.id}: {len(article.text):,} characters, read in {len(pieces)} parts of at "
                    f"most {limit:,}; events are not linked across parts")
                pairs = ((self._parse_text(text), (article, offset, n == len(pieces) - 1))
                         for n, (offset, text) in enumerate(pieces))
                yield from self.nlp.pipe(pairs, as_tuples=True, batch_size=1)

    def _parse_text(self, text: str) -> str:
        """What spaCy parses: the text, or its copy with headline-cased lines sentence-cased (headline.py)."""
        return parse_copy(text, self.headline_rules) or text

    def events_from_doc(self, article: Article, doc) -> list[Event]:
        """The events of one parsed text, not yet given ids or a primary (see finish_events)."""
        ctx = DocContext(article=article, doc=doc, sents=list(doc.sents))
        events = self.finder(ctx)
        if self.typer is not None:
            events = apply_typer(self.typer, ctx, events, self.typer_mode, self.finder)
        for _name, stage in self.stages:
            stage(ctx, events)
            if _name == "status":
                for ev in events:
                    if ev.stated_intent and ev.status in ("future", "hypothetical"):
                        ev.status = "reported"
        events = merge_mentions(ctx, events)
        self.codes(ctx, events)
        return [e for e in events if e.confidence >= self.options.min_confidence]


def split_parts(text: str, limit: int) -> list[tuple[int, str]]:
    """(offset, text) parts of at most `limit` characters, cut after a paragraph break where there is one
    (else a line break, a sentence end, a space). spaCy's time and memory grow faster than linearly with one
    document's length, and no news story is this long: a longer text is an archive dump or a page of many
    stories, whose parts are as independent as the articles of a feed."""
    if len(text) <= limit:
        return [(0, text)]
    parts, start = [], 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cut = -1
        for sep in ("\n\n", "\n", ". ", " "):
            cut = window.rfind(sep, limit // 2)
            if cut != -1:
                cut += len(sep)
                break
        end = start + (cut if cut > 0 else limit)
        parts.append((start, text[start:end]))
        start = end
    parts.append((start, text[start:]))
    return parts


def shift_spans(event: Event, offset: int) -> Event:
    """Move every span of an event found in a part of a text to the whole text's offsets."""
    if offset == 0:
        return event

    def moved(span):
        return (span[0] + offset, span[1] + offset) if span is not None else None

    event.sentence_span = moved(event.sentence_span)
    event.trigger_span = moved(event.trigger_span)
    for value in (event.actor, event.recipient, event.date, event.location, event.fatalities, event.injuries,
                  *event.sources):
        if value is not None and getattr(value, "span", None) is not None:
            value.span = moved(value.span)
    return event


def finish_events(article: Article, events: list[Event], several_sentences: bool = False) -> None:
    """Stable ids and exactly one primary event."""
    events.sort(key=lambda e: (e.sentence_span[0], e.trigger_span or (0, 0), e.event_type))
    seen: dict[str, int] = {}
    text_hash = hashlib.sha1(article.text.encode("utf-8")).hexdigest()[:10]
    for ev in events:
        key = f"{article.id}|{text_hash}|{ev.trigger_span}|{ev.event_type}"
        n = seen.get(key, 0)
        seen[key] = n + 1
        ev.event_id = hashlib.sha1(f"{key}|{n}".encode()).hexdigest()[:16]
        ev.is_primary = False
    if events:
        # A one-sentence text is coded by its main clause; a story of several sentences is about its toll.
        primary = max(events, key=lambda e: primary_score(e, prefer_casualties=several_sentences))
        primary.is_primary = True


def primary_score(ev: Event, prefer_casualties: bool = False) -> tuple:
    """What a headline would be about: a reported event; in a story of several sentences, one with a toll (the
    arrest or the accusation that follows a shooting is not the headline); early in the article (the lede); in its
    sentence's main clause, and not inside one of its phrases ("complained over air raids"); then the most
    confident. (Preferring ACLED-codable events after the main clause cost
    PLOVER type accuracy on short sentences, 0.71 -> 0.69, for no gain in ACLED sub-type F1.)"""
    counted = prefer_casualties and any(c is not None and c.total is not None for c in (ev.fatalities, ev.injuries))
    return (
        ev.status == "reported",
        counted,
        -min(ev.sent_index, 2),
        -ev.clause_depth,
        -ev.phrase_depth,
        ev.confidence,
        -ev.sentence_span[0],
    )

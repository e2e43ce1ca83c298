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
from typing import Any, Callable, Iterable, Iterator, Optional

from ..errors import StageError
from ..model import Article, Event
from ..nlp import load_nlp
from ..options import Options
from ..codes.mapping import CodeMapper
from ..commitments.model import assign_ids
from ..commitments.reader import CommitmentReader, shift_commitment
from ..resolve.actors import ActorCoder
from .accidents import AccidentFilter
from .casualties import CasualtyResolver
from .context import DocContext
from .dates import DateResolver
from .events import EventFinder
from .headline import common_words, load_rules, mark_dropped_passives, parse_copy, with_original_words
from .mentions import merge_mentions
from .places import PlaceResolver
from .sources import SourceResolver
from .status import StatusResolver
from .news_gate import Lede, load_news_gate, set_aside
from .ranking import primary_score
from .title import apply_headline, headline_with_toll, load_title_rules, title_article, usable_title
from .minilm_typer import gate_with_thresholds, load_backend, typer_settings
from .story import StoryReader
from .typer import apply_typer, check_mode, headline_type, model_event

LOGGER = logging.getLogger(__name__)
TITLE = -1      # the "offset" of an article's title among the parts _parse yields
MIN_LEDE_WORDS = 5  # a shorter "sentence" at the top of a text is a dateline or a credit line


class Extractor:
    """Holds the loaded model and lexicons; turns articles into events."""

    def __init__(self, options: Options | None = None):
        self.options = options or Options()
        self.nlp = load_nlp(self.options.spacy_model)
        self.finder = EventFinder()
        self.typer_mode = check_mode(self.options.event_typer)
        self.typer = (load_backend(self.options.typer_backend, self.options.minilm_head)
                      if self.typer_mode != "off" or self.options.news_gate else None)
        self.typer_settings = typer_settings(self.typer)
        self.news_gate = gate_with_thresholds(load_news_gate(), self.typer)
        # the document typer reads the headline and lede together: it takes over the sentence typer's part of the
        # news gate and chooses the primary event (story.py)
        self.story = StoryReader.for_typer(self.typer, self.options)
        if self.story is not None:
            self.news_gate = self.story.sentence_gate_off(self.news_gate)
        self.accidents = AccidentFilter()
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
        self.title_rules = load_title_rules()
        stages = dict(self.stages)
        self.commitment_reader = CommitmentReader(stages["actors"], stages["sources"], stages["dates"])

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
        commitments: list = []
        title_doc = lede = None
        failed = several = False
        for doc, (article, offset, last) in self._parse(articles):
            source = article.title if offset == TITLE else article.text
            original = source[max(offset, 0):max(offset, 0) + len(doc.text)]
            if doc.text != original:
                doc = with_original_words(doc, original)    # a headline parsed from its sentence-cased copy
            mark_dropped_passives(doc, self.headline_rules)
            if offset == TITLE:
                title_doc = doc
                continue
            if offset == 0:
                lede = self._lede(doc)
            if not failed:
                try:
                    # A one-sentence text is coded by its main clause, a longer story by its toll (finish_events).
                    several = several or offset > 0 or next(islice(doc.sents, 1, 2), None) is not None \
                        or headline_with_toll(doc, self.title_rules)
                    part = article if offset == 0 and last else replace(article, text=doc.text, commitments=[])
                    found: Optional[list] = [] if self.options.commitments else None
                    events.extend(shift_spans(e, offset) for e in self.events_from_doc(part, doc, title_doc, found))
                    commitments.extend(shift_commitment(c, offset) for c in found or ())
                except Exception as exc:  # noqa: BLE001 - any stage bug becomes a reported, per-article error
                    if on_error is None:
                        raise
                    LOGGER.debug("stage failure on %s", article.id, exc_info=True)
                    on_error(StageError(f"article {article.id}: extraction failed ({type(exc).__name__}: {exc}); "
                                        f"skipped - please report it with the text"))
                    failed = True
            if last:
                if not failed:
                    primary = None
                    if title_doc is not None:
                        try:
                            primary = self.read_title(article, title_doc, events, several)
                        except Exception as exc:  # noqa: BLE001 - as above
                            if on_error is None:
                                raise
                            LOGGER.debug("title failure on %s", article.id, exc_info=True)
                            article.warnings.append(f"article {article.id}: title not read ({type(exc).__name__})")
                    found_any = bool(events)
                    events = self._gate(article, events, lede)
                    if primary is not None and not any(e is primary for e in events):
                        primary = None
                    if self.story is not None:
                        events, primary = self.story.read(article, events, lede, primary, several,
                                                          fill=self._fill_from_title(article, title_doc)
                                                          if not found_any else None)
                    finish_events(article, events, several_sentences=several, primary=primary)
                    assign_ids(article.text, commitments)
                    article.commitments = commitments
                    yield article, events
                events, commitments, failed, several, title_doc, lede = [], [], False, False, None, None

    def _fill_from_title(self, article: Article, title_doc):
        """A maker of an event of a given type from the headline's main verb (for a story the rules found no event
        in), run through every stage as the headline's own events are; None without a parsed headline."""
        if title_doc is None:
            return None

        def make(label: str) -> list[Event]:
            made = self.events_from_doc(title_article(article, title_doc.text), title_doc, title_doc,
                                        headline_type=label)
            return [e for e in made if e.event_type == label]
        return make

    def _lede(self, doc) -> Optional[Lede]:
        """The parsed opening of a text, for the news gate: its first sentence, and the end of its lede."""
        # a dateline that spaCy parsed as a sentence of its own ("VALLEJO, Calif.") is not the lede
        sents = [s for s in doc.sents if sum(t.is_alpha for t in s) >= MIN_LEDE_WORDS]
        sents = sents[:self.news_gate.lede_sentences] or list(islice(doc.sents, 1))
        return Lede(sents[0].text, sents[-1].end_char) if sents else None

    def _gate(self, article: Article, events: list[Event], lede: Optional[Lede] = None) -> list[Event]:
        """Set aside the events of an article that reports no political event (news_gate.py), with a warning."""
        if self.typer is None or not self.options.news_gate:
            return events
        kept, why = set_aside(self.typer, article, events, self.news_gate, lede)
        if why:
            article.warnings.append(f"article {article.id}: {len(events) - len(kept)} event(s) set aside: {why}")
        return kept

    def _parse(self, articles: Iterable[Article]) -> Iterator[tuple[Any, tuple[Article, int, bool]]]:
        """(doc, (article, offset of the part, last part?)) for every part of every article, in order. Articles
        of ordinary length are parsed in batches; a long one part by part, so that memory holds one part."""
        limit = self.options.part_chars
        for long, run in groupby(articles, key=lambda a: len(a.text) > limit):
            if not long:
                # Title Case and shouted headlines are parsed from a sentence-cased copy of the same length;
                # a title is parsed just before its text (offset TITLE)
                pairs = (pair for a in run for pair in (*self._title_pair(a), (self._parse_text(a.text), (a, 0, True))))
                yield from self.nlp.pipe(pairs, as_tuples=True, batch_size=self.options.batch_size)
                continue
            for article in run:
                pieces = split_parts(article.text, limit)
                article.warnings.append(
                    f"article {article.id}: {len(article.text):,} characters, read in {len(pieces)} parts of at "
                    f"most {limit:,}; events are not linked across parts")
                pairs = ((self._parse_text(text), (article, offset, n == len(pieces) - 1))
                         for n, (offset, text) in enumerate(pieces))
                yield from self.nlp.pipe((*self._title_pair(article), *pairs), as_tuples=True, batch_size=1)

    def _title_pair(self, article: Article) -> tuple:
        title = usable_title(article)
        return ((self._parse_text(title), (article, TITLE, False)),) if title is not None else ()

    def read_title(self, article: Article, doc, events: list[Event], several: bool = False) -> Optional[Event]:
        """Find the title's events (title.py), add the headline's event where the lede lacks it, and return the
        event that must be primary (None: the usual choice)."""
        voted = None
        if self.typer is not None and self.typer_mode == "combined" and events:
            voted = headline_type(self.typer, article.title, self.typer_settings)
        title_events = self.events_from_doc(title_article(article, doc.text), doc, doc, headline_type=voted)
        return apply_headline(events, title_events, self.title_rules, prefer_casualties=several, headline_doc=doc,
                              voted=voted)

    def _parse_text(self, text: str) -> str:
        """What spaCy parses: the text, or its copy with headline-cased lines sentence-cased (headline.py)."""
        return parse_copy(text, self.headline_rules) or text

    def events_from_doc(self, article: Article, doc, headline_doc=None, commitments: list | None = None,
                        headline_type: Optional[str] = None) -> list[Event]:
        """The events of one parsed text, not yet given ids or a primary (see finish_events); `headline_doc`, the
        parsed title, tells whether the story is one of an accident (accidents.py). When a `commitments` list is
        given, the text's commitment statements are added to it (commitments/reader.py). `headline_type`: for a
        title, the type the event typer is sure it reports; an event of that type is made from its main verb when
        no trigger of the rules reads it ("Paris court jails two police": a sentence, not an arrest)."""
        ctx = DocContext(article=article, doc=doc, sents=list(doc.sents))
        events = self.finder(ctx)
        if headline_type is not None and ctx.sents and not any(e.event_type == headline_type for e in events):
            events.append(model_event(ctx, self.finder, 0, headline_type))
        if self.typer is not None and self.typer_mode != "off" and headline_doc is not doc:
            # the typer reads texts; a title's own events come from the rules (title.py weighs them)
            events = apply_typer(self.typer, ctx, events, self.typer_mode, self.finder, self.typer_settings)
            # the model's guess made from a word the rules judged to name no event ("signed a bill") is no event
            events = [e for e in events if not (e.typed_by_model and e.trigger_index in ctx.no_event_words)]
        events = self.accidents(ctx, events, headline_doc)
        for _name, stage in self.stages:
            stage(ctx, events)
            if _name == "status":
                for ev in events:
                    if ev.stated_intent and ev.status in ("future", "hypothetical"):
                        ev.status = "reported"
        if commitments is not None:
            try:
                commitments.extend(self.commitment_reader(ctx))
            except Exception as exc:  # noqa: BLE001 - a reading of its own: its failure must not cost the events
                LOGGER.debug("commitment reading failed on %s", article.id, exc_info=True)
                article.warnings.append(f"article {article.id}: commitments not read ({type(exc).__name__}: {exc}); "
                                        "please report it with the text")
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


def finish_events(article: Article, events: list[Event], several_sentences: bool = False,
                  primary: Optional[Event] = None) -> None:
    """Stable ids and exactly one primary event (`primary` when given: the headline chose it, title.py)."""
    events.sort(key=lambda e: (not e.from_title, e.sentence_span[0], e.trigger_span or (0, 0), e.event_type))
    seen: dict[str, int] = {}
    text_hash = hashlib.sha1(article.text.encode("utf-8")).hexdigest()[:10]
    for ev in events:
        key = f"{article.id}|{text_hash}|{'title|' if ev.from_title else ''}{ev.trigger_span}|{ev.event_type}"
        n = seen.get(key, 0)
        seen[key] = n + 1
        ev.event_id = hashlib.sha1(f"{key}|{n}".encode()).hexdigest()[:16]
        ev.is_primary = False
    if primary is not None and any(e is primary for e in events):
        primary.is_primary = True
    elif events:
        # A one-sentence text is coded by its main clause; a story of several sentences is about its toll, and
        # so is a text that is a headline stating a toll (title.headline_with_toll).
        primary = max(events, key=lambda e: primary_score(e, prefer_casualties=several_sentences))
        primary.is_primary = True

"""The records that flow through sitrep: Article in, Event out.

Plain dataclasses. Offsets in every `span` index the article's cleaned text (end exclusive), except in an event
read from the headline (`Event.from_title`, exported as `evidence.field: "title"`): its spans index the title.
`Event.to_record()` is the one place an event becomes the JSON of `event.schema.json`.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Optional

Span = tuple[int, int]


def as_date(value) -> Optional[dt.date]:
    """A date, datetime or ISO string (timestamps allowed) as a date; None when empty or not a date."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


@dataclass
class Article:
    id: str
    text: str                      # cleaned text: what spans index
    title: Optional[str] = None
    url: Optional[str] = None
    published: Optional[dt.date] = None
    outlet: Optional[str] = None
    raw_text: Optional[str] = None  # text before cleaning
    # offset_map[i] = offset in raw_text of cleaned character i (len = len(text) + 1)
    offset_map: Optional[list[int]] = None
    warnings: list[str] = field(default_factory=list)
    # Commitment statements found by extraction (commitments/reader.py); not part of the event output.
    commitments: list = field(default_factory=list)


@dataclass
class Participant:
    text: Optional[str] = None
    span: Optional[Span] = None
    name: Optional[str] = None
    country: Optional[str] = None   # ISO3
    sector: Optional[str] = None    # PLOVER sector code
    wikidata: Optional[str] = None


@dataclass
class When:
    start: Optional[str] = None     # ISO date
    end: Optional[str] = None
    precision: str = "unknown"      # day, days, week, month, year, unknown
    text: Optional[str] = None
    span: Optional[Span] = None


@dataclass
class Place:
    text: Optional[str] = None
    span: Optional[Span] = None
    name: Optional[str] = None
    geonames_id: Optional[int] = None
    feature_code: Optional[str] = None
    admin1: Optional[str] = None
    admin2: Optional[str] = None
    country: Optional[str] = None   # ISO3
    lat: Optional[float] = None
    lon: Optional[float] = None
    precision: str = "unknown"      # point, area, admin2, admin1, region, country, water, unknown
    native_name: Optional[str] = None   # the GeoNames name when `name` is its English form ("Ḩamāh" / "Hamah")
    # Why this place: the evidence the resolver weighed ("hierarchy in text: Jowhar < Middle Shabelle; ...")
    explanation: Optional[str] = None


@dataclass
class Count:
    low: Optional[int] = None
    best: Optional[int] = None
    high: Optional[int] = None


@dataclass
class Casualties:
    total: Optional[Count] = None
    civilians: Optional[Count] = None
    security_forces: Optional[Count] = None
    militants: Optional[Count] = None
    unknown: Optional[Count] = None
    span: Optional[Span] = None


@dataclass
class Source:
    name: str
    role: Optional[str] = None
    organization: Optional[str] = None
    channel: Optional[str] = None
    quote: Optional[str] = None
    span: Optional[Span] = None


@dataclass
class Event:
    article_id: str
    event_type: str
    sentence: str
    sentence_span: Span
    trigger_text: Optional[str] = None
    trigger_span: Optional[Span] = None
    mode: Optional[str] = None
    context: list[str] = field(default_factory=list)
    acled_event_type: Optional[str] = None
    acled_sub_event_type: Optional[str] = None
    cameo_code: Optional[str] = None
    status: str = "reported"
    is_primary: bool = False
    actor: Optional[Participant] = None
    recipient: Optional[Participant] = None
    date: Optional[When] = None
    location: Optional[Place] = None
    fatalities: Optional[Casualties] = None
    injuries: Optional[Casualties] = None
    sources: list[Source] = field(default_factory=list)
    confidence: float = 0.5
    event_id: str = ""
    # Read from the article's title (an event stated only in the headline; exported as evidence.field "title").
    # Every span of such an event indexes the title; a value it borrowed from the text keeps its words but has
    # span None, so no span ever indexes the wrong string.
    from_title: bool = False
    # Working state for the resolvers (not exported): where the event sits in the parsed doc.
    sent_index: int = -1
    trigger_index: int = -1         # token index of the trigger head in the doc
    # The event is a stated intention ("will support" -> AGREE, "would boycott unless" -> THREATEN): the
    # statement itself is what happened, so its status stays 'reported' whatever the modal verb says.
    stated_intent: bool = False
    clause_depth: int = 0           # how many clauses below the sentence's main verb the trigger sits
    phrase_depth: int = 0           # how many prepositional phrases down ("complained over [air raids]")
    typed_by_model: bool = False    # made by the event typer where no trigger word matched (extract/typer.py)
    warnings: list[str] = field(default_factory=list)

    def to_record(self) -> dict:
        """The event as a JSON-ready dict following event.schema.json."""
        def opt(obj):
            if obj is None:
                return None
            d = asdict(obj)
            if "span" in d and d["span"] is not None:
                d["span"] = list(d["span"])
            return d

        return {
            "event_id": self.event_id,
            "article_id": self.article_id,
            "event_type": self.event_type,
            "mode": self.mode,
            "context": list(self.context),
            "acled_event_type": self.acled_event_type,
            "acled_sub_event_type": self.acled_sub_event_type,
            "cameo_code": self.cameo_code,
            "status": self.status,
            "is_primary": self.is_primary,
            "actor": opt(self.actor),
            "recipient": opt(self.recipient),
            "date": opt(self.date),
            "location": opt(self.location),
            "fatalities": _casualties_record(self.fatalities),
            "injuries": _casualties_record(self.injuries),
            "sources": [opt(s) for s in self.sources],
            "evidence": {
                "sentence": self.sentence,
                "span": list(self.sentence_span),
                "trigger": (
                    {"text": self.trigger_text, "span": list(self.trigger_span)}
                    if self.trigger_text is not None and self.trigger_span is not None
                    else None
                ),
                **({"field": "title"} if self.from_title else {}),
            },
            "confidence": round(float(self.confidence), 3),
        }


def _casualties_record(c: Optional[Casualties]) -> Optional[dict]:
    if c is None:
        return None
    d = asdict(c)
    if d["span"] is not None:
        d["span"] = list(d["span"])
    return d

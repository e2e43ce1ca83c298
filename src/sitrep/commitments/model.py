"""The record of one commitment statement in one article. Every field keeps the words it was read from and their
span (offsets into the article's cleaned text, end exclusive: the convention of events, model.py)."""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict, dataclass, field
from typing import Optional

from ..model import Participant, Span

STATEMENTS = ("pledge", "declaration", "extension", "condition", "invocation", "violation_claim", "denial",
              "unspecified")
# Statements that make a commitment; the others refer back to one.
MAKING = ("pledge", "declaration", "extension", "condition")
KINDS = ("ceasefire", "reduce_violence", "release_prisoners", "withdraw", "allow_access", "negotiate", "other")
STATUSES = ("not_rated", "in_progress", "kept", "compromised", "broken", "untestable")


@dataclass
class Words:
    """A value and the words of the text it was read from."""
    value: object = None
    text: Optional[str] = None
    span: Optional[Span] = None


@dataclass
class Pattern:
    """What would count as breach or fulfilment, as an event pattern."""
    relation: Optional[str] = None          # breach | fulfilment | None (no pattern: untestable)
    event_types: list[str] = field(default_factory=list)
    acled_event_types: list[str] = field(default_factory=list)
    modes: list[str] = field(default_factory=list)
    actor: Optional[str] = None             # the holder's name
    actor_country: Optional[str] = None
    actor_sector: Optional[str] = None
    area_country: Optional[str] = None
    area_admin1: Optional[str] = None
    area_text: Optional[str] = None
    area_span: Optional[Span] = None


@dataclass
class SourceChain:
    """Who made the commitment, who said so, who reported it, and how (direct quote, reported speech, narration)."""
    said_by: Optional[str] = None
    said_by_role: Optional[str] = None
    said_by_organization: Optional[str] = None
    said_by_span: Optional[Span] = None
    mode: str = "narration"                 # direct_quote | reported_speech | narration
    quote: Optional[str] = None
    quote_span: Optional[Span] = None
    reported_by: Optional[str] = None       # the outlet
    holder_speaks: bool = False             # the speaker is (or speaks for) the holder


@dataclass
class Commitment:
    article_id: str
    statement: str                          # one of STATEMENTS
    sentence: str
    sentence_span: Span
    trigger: Words = field(default_factory=Words)
    holders: list[Participant] = field(default_factory=list)
    addressee: Optional[Participant] = None
    kind: Words = field(default_factory=lambda: Words("other"))
    polarity: Words = field(default_factory=lambda: Words("act"))
    threshold: Words = field(default_factory=lambda: Words("any"))     # zero | relative | absolute | any
    quantity: Optional[Words] = None        # absolute threshold: "release 5,000"
    pattern: Pattern = field(default_factory=Pattern)
    said_on: Optional[Words] = None         # ISO date of the statement
    start: Optional[Words] = None           # ISO date; `precision` below
    deadline: Optional[Words] = None
    duration_days: Optional[Words] = None
    date_precision: str = "unknown"         # day, days, week, month, year, report (undated: the report's date)
    condition: Optional[Words] = None
    refers_to: Optional[Words] = None       # the commitment a reference points back to ("the truce")
    testable: Words = field(default_factory=lambda: Words(False))
    untestable_reason: Optional[str] = None
    source: SourceChain = field(default_factory=SourceChain)
    published: Optional[str] = None
    confidence: float = 0.6
    commitment_id: str = ""

    @property
    def holder(self) -> Optional[Participant]:
        return self.holders[0] if self.holders else None

    def holder_code(self) -> Optional[str]:
        """ISO3 + PLOVER sector of the holder ("AFGREB"), the code `--holder` filters on."""
        h = self.holder
        if h is None or not (h.country or h.sector):
            return None
        return f"{h.country or '---'}{h.sector or ''}"

    def to_record(self) -> dict:
        d = asdict(self)
        d["holder"] = d["holders"][0] if d["holders"] else None
        d["holder_code"] = self.holder_code()
        return _lists(d)


def _lists(value):
    """Spans as lists (JSON has no tuples), recursively."""
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_lists(v) for v in value]
    return value


def assign_ids(article_text: str, commitments: list[Commitment]) -> None:
    """Stable ids from the article, its text and where each statement sits."""
    text_hash = hashlib.sha1(article_text.encode("utf-8")).hexdigest()[:10]
    for c in commitments:
        key = f"{c.article_id}|{text_hash}|{c.trigger.span}|{c.statement}"
        c.commitment_id = "S" + hashlib.sha1(key.encode()).hexdigest()[:15]


def iso(day: Optional[dt.date]) -> Optional[str]:
    return day.isoformat() if day else None

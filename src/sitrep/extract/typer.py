"""The learned event typer: per sentence (or headline), "none" or one of the 16 PLOVER types.

A spaCy `textcat` (exclusive classes, no pretrained vectors) trained by `training/train_event_typer.py` on the
project's own synthetic sentences and shipped in `sitrep/models/event_typer/` (see its MODEL_CARD.md). It is loaded
once, lazily, on the first call, and runs on the sentence texts the rules already split.

`apply_typer()` is how the extractor uses it (Options.event_typer):
  off       rules alone
  model     the model's type for each sentence the rules found an event in; the first sentence when they found
            none ("model alone" in the ablation)
  gate      rules, minus weak rule events in sentences the model is sure report no event (measured, not used:
            it cost PLOVER type accuracy on the dev set and gained nothing elsewhere)
  combined  rules; where they found no event at all, an event of the type the model is sure of for the opening
            sentence (a headline or a lede), with roles read from that sentence's main verb
"""
from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

from ..errors import ConfigError
from ..model import Event
from .context import DocContext

LOGGER = logging.getLogger(__name__)

MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "event_typer"
NONE = "none"
LABELS = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
    "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT", NONE,
)
MODES = ("off", "model", "gate", "combined")

_DIGITS = re.compile(r"\d")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """What the classifier sees, in training and at run time alike: lower case, digits as 0, one space.
    Case is dropped so that Title Case Headlines and ordinary sentences share their words."""
    return _SPACES.sub(" ", _DIGITS.sub("0", text.lower())).strip()


@dataclass(frozen=True)
class TyperSettings:
    """Thresholds for using the model beside the rules (calibrated on the dev ablation, see MODEL_CARD.md)."""
    gate_none: float = 0.99         # P(none) above which a weak rule event is dropped
    gate_max_confidence: float = 0.6  # rule events at or above this confidence are never dropped
    fill_min: float = 0.8           # P(type) above which an event is added where the rules found none
    headline_vote: float = 0.9      # P(type) of a headline above which the text's events of that type lead
    fill_none_max: float = 0.0      # ... or P(none) at or below which the likeliest type is filled all the same
    #                                 (unless the rules judged a trigger word of the sentence to name no event)


class EventTyper:
    """The trained classifier. `predict(texts)` -> one {label: probability} dict per text."""

    def __init__(self, path: Path = MODEL_DIR):
        self.path = Path(path)
        self._nlp = None

    @property
    def meta(self) -> dict:
        meta_path = self.path / "sitrep_meta.json"
        return json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}

    def _load(self):
        if self._nlp is None:
            import spacy

            if not (self.path / "config.cfg").exists():
                raise ConfigError(f"event typer model not found in {self.path}; run `make train` to build it")
            self._nlp = spacy.load(self.path)
            LOGGER.debug("loaded event typer from %s", self.path)
        return self._nlp

    def predict(self, texts: Iterable[str]) -> list[dict[str, float]]:
        nlp = self._load()
        return [dict(doc.cats) for doc in nlp.pipe((normalise(t) for t in texts), batch_size=64)]

    def label(self, text: str) -> tuple[str, float]:
        return best_of(self.predict([text])[0])


@lru_cache(maxsize=2)
def load_typer(path: Optional[str] = None) -> EventTyper:
    """One typer per process (the model itself loads on first use)."""
    return EventTyper(Path(path) if path else MODEL_DIR)


def check_mode(mode: str) -> str:
    if mode not in MODES:
        raise ConfigError(f"unknown event typer mode {mode!r}; choose one of: {', '.join(MODES)}")
    return mode


def best_of(cats: dict[str, float]) -> tuple[str, float]:
    best = max(cats, key=cats.get)
    return best, cats[best]


def apply_typer(typer: EventTyper, ctx: DocContext, events: list[Event], mode: str, finder,
                settings: TyperSettings = TyperSettings()) -> list[Event]:
    """Use the model beside the rule events of one parsed article (see the module docstring for the modes).
    Runs right after the event finder, so every later stage (roles, places, casualties, codes) sees the result."""
    if mode == "off" or not ctx.sents or (mode == "combined" and events):
        return events        # combined only acts where the rules found nothing: no model call otherwise
    wanted = sorted({e.sent_index for e in events} | {0})
    cats = dict(zip(wanted, typer.predict(ctx.sents[i].text for i in wanted)))
    if mode == "model":
        kept = []
        for ev in events:
            label, _p = best_of(cats[ev.sent_index])
            if label == NONE:
                continue
            if label != ev.event_type:
                retype(ev, label)
            kept.append(ev)
        if not kept:
            label, _p = best_of(cats[0])
            if label != NONE:
                kept.append(model_event(ctx, finder, 0, label))
        return kept
    if mode == "gate":
        return [ev for ev in events
                if not (cats[ev.sent_index][NONE] >= settings.gate_none and ev.confidence < settings.gate_max_confidence)]
    label, p = best_of(cats[0])     # combined, and the rules found no event
    sent = ctx.sents[0]
    # the rules judged the sentence to report no event: commentary, or a trigger word naming none ("convicted of
    # killing him")
    judged = finder.is_commentary(sent) or any(sent.start <= i < sent.end for i in ctx.no_event_words)
    if label != NONE and (p >= settings.fill_min or (cats[0][NONE] <= settings.fill_none_max and not judged)):
        return [model_event(ctx, finder, 0, label)]
    return events


def headline_type(typer: EventTyper, headline: Optional[str],
                  settings: TyperSettings = TyperSettings()) -> Optional[str]:
    """The event type the model is sure a headline reports (None: unsure, or no event)."""
    if not (headline or "").strip():
        return None
    label, p = best_of(typer.predict([headline])[0])
    return label if label != NONE and p >= settings.headline_vote else None


def retype(ev: Event, label: str) -> None:
    """The model's type replaces the rule's; the type-specific codes are left to the later stages."""
    ev.event_type = label
    ev.mode = None
    ev.acled_sub_event_type = None
    ev.cameo_code = None
    ev.context = []
    ev.warnings.append("type from the event classifier")


def model_event(ctx: DocContext, finder, sent_index: int, label: str) -> Event:
    """An event of the model's type where no trigger word matched: the sentence's main verb stands in for the
    trigger, so actor and recipient come from the parse as they do for rule events."""
    from .events import Match
    from .lexicon import TriggerEntry

    sent = ctx.sents[sent_index]
    head = sent.root
    entry = TriggerEntry(event_type=label, phrase=(head.lemma_.lower(),), pos=frozenset({head.pos_}),
                         confidence=0.45)
    ev = finder.make_event(ctx, sent, sent_index, Match(entry, head.i, head.i + 1, head))
    ev.warnings.append("type from the event classifier; no trigger word matched")
    ev.typed_by_model = True
    return ev

"""What is a news story about? A document-level event classifier over its headline and lede (MiniLM, numpy).

A story's event is told by its headline and its first sentence together; the rules find many events in both
(the new happening, its background, the reactions). This classifier reads the two as one: the all-MiniLM-L6-v2
embeddings (embedder.py) of the headline and of the lede's first sentence, concatenated (768 numbers), and a
multinomial logistic regression head (768 x 17: "none" or one of the 16 PLOVER types) trained by
`training/train_doc_typer.py` and shipped in `sitrep/models/doc_typer/` (head.npz + meta.json, see MODEL_CARD.md).
A text with no headline is read as its first sentence twice, as the training sentences are.

The pipeline uses it twice per article (thresholds in data/doc_typer.yaml, fitted on the blind set's tune half by
cross-validation):
  - the news gate: a story it reads as "no event" (P(none) >= none_min) has its events set aside, unless its
    headline names a violent act outright (news_gate.names_violence);
  - the primary choice: among the rule events, the one whose type it finds likeliest (the rules' own choice
    gets a small bonus); where it is sure of another type than that event's (P >= retype_min), the primary
    event takes its type; where the rules found no event at all, an event of the type it is sure of
    (P >= fill_min) is read from the headline or lede's main verb.
"""
from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

import numpy as np

from ..data import load_yaml
from ..errors import ConfigError
from ..model import Event
from . import embedder
from .linear_head import head_meta, load_head
from .typer import LABELS, NONE

LOGGER = logging.getLogger(__name__)

HEAD_DIR = Path(__file__).resolve().parent.parent / "models" / "doc_typer"
CACHE_SIZE = 64


@dataclass(frozen=True)
class DocTyperSettings:
    none_min: float             # P(none) at or above which the story reports no political event
    rule_primary_bonus: float   # added to P(type) of the event the rules would make primary
    retype_min: float           # P(type) at or above which the primary event takes the classifier's type
    fill_min: float             # P(type) at or above which an event is made where the rules found none


@lru_cache(maxsize=1)
def load_settings() -> DocTyperSettings:
    raw = load_yaml("doc_typer.yaml")
    try:
        return DocTyperSettings(float(raw["none_min"]), float(raw["rule_primary_bonus"]), float(raw["retype_min"]),
                                float(raw["fill_min"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"doc_typer.yaml: {exc}") from exc


def features(headline_vec: Optional[np.ndarray], lede_vec: Optional[np.ndarray]) -> np.ndarray:
    """[headline, lede] embeddings side by side; a missing one is replaced by the other (as in training)."""
    if headline_vec is None and lede_vec is None:
        raise ValueError("a document needs a headline or a lede")
    first = headline_vec if headline_vec is not None else lede_vec
    second = lede_vec if lede_vec is not None else headline_vec
    return np.concatenate([first, second]).astype(np.float32)


def softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


class DocTyper:
    """`predict(headline, lede)` -> {label: probability}. The head loads lazily, the encoder once per process."""

    def __init__(self, path: Path = HEAD_DIR):
        self.path = Path(path)
        self.settings = load_settings()
        self._head: Optional[tuple[np.ndarray, np.ndarray]] = None
        # recent texts' embeddings: a headline is read with its lede and, where it holds a rule event, alone
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()

    @property
    def meta(self) -> dict:
        return head_meta(self.path)

    def _load(self) -> tuple[np.ndarray, np.ndarray]:
        if self._head is None:
            self._head = load_head(self.path, "document typer")
        return self._head

    def predict(self, headline: Optional[str], lede: Optional[str]) -> dict[str, float]:
        texts = [" ".join((t or "").split()) for t in (headline, lede)]
        present = [t for t in texts if t]
        if not present:
            return {label: float(label == NONE) for label in LABELS}
        weights, bias = self._load()
        todo = list(dict.fromkeys(t for t in present if t not in self._recent))
        for text, vector in zip(todo, embedder.load_embedder().embed(todo) if todo else ()):
            self._recent[text] = vector
            if len(self._recent) > CACHE_SIZE:
                self._recent.popitem(last=False)
        x = features(self._recent.get(texts[0]), self._recent.get(texts[1]))
        return {label: float(p) for label, p in zip(LABELS, softmax(x @ weights + bias))}


def available() -> bool:
    return embedder.available()


@lru_cache(maxsize=2)
def load_doc_typer(path: Optional[str] = None) -> DocTyper:
    return DocTyper(Path(path) if path else HEAD_DIR)


def reads_no_event(probs: dict[str, float], settings: DocTyperSettings) -> bool:
    return probs[NONE] >= settings.none_min


def choose_primary(probs: dict[str, float], events: list[Event], rule_primary: Optional[Event],
                   settings: DocTyperSettings) -> tuple[Optional[Event], Optional[str]]:
    """(the primary event, the type it should take instead of its own or None). The event whose type the
    classifier finds likeliest, the rules' choice breaking near-ties; its type is replaced by the classifier's
    when that is far likelier than its own."""
    if not events:
        return None, None
    best = max(events, key=lambda e: (probs.get(e.event_type, 0.0)
                                      + (settings.rule_primary_bonus if e is rule_primary else 0.0),
                                      e is rule_primary))
    label, p = top_type(probs)
    if p >= settings.retype_min and label != best.event_type and p > probs.get(best.event_type, 0.0):
        return best, label
    return best, None


def top_type(probs: dict[str, float]) -> tuple[str, float]:
    """The likeliest event type ("none" aside)."""
    label = max((k for k in probs if k != NONE), key=probs.get)
    return label, probs[label]

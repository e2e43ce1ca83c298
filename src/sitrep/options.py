"""Options: every setting of a run, built in one place and passed in explicitly."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Optional

from .nlp import DEFAULT_MODEL


@dataclass(frozen=True)
class Options:
    spacy_model: str = DEFAULT_MODEL
    batch_size: int = 32
    min_confidence: float = 0.0
    # How the learned event typer is used beside the rules: off | model | gate | combined (extract/typer.py)
    event_typer: str = "combined"
    # Which typer: minilm (sentence embeddings + a linear head, extract/minilm_typer.py, and the document typer over
    # headline + lede for the news gate and the primary event, extract/doc_typer.py; the spaCy typer when the weights
    # package is missing), ensemble (MiniLM and spaCy averaged, with the document typer), spacy (extract/typer.py)
    # or hybrid, the default: the spaCy typer for sentences and the document typer for headline + lede (the MiniLM
    # sentence typer drops events of untitled conflict sentences: eval/geo tune country 0.907 -> 0.881 with it)
    typer_backend: str = "hybrid"
    # Another MiniLM head folder than the shipped one (the cross-validation runs of training/ablate_minilm_cv.py)
    minilm_head: Optional[str] = None
    # Another document typer head folder than the shipped one (extract/doc_typer.py; cross-validation runs)
    doc_head: Optional[str] = None
    # Set aside the events of articles that report no political event (extract/news_gate.py; needs the typer).
    news_gate: bool = True
    # A longer text is parsed in parts of at most this many characters, cut at paragraph ends (pipeline.split_parts).
    part_chars: int = 50_000
    # Read commitment statements too (commitments/; about 9% of extraction time). The store keeps them; a plain
    # `sitrep extract` asks for them only with --commitments.
    commitments: bool = True

    @classmethod
    def from_env(cls, **overrides) -> "Options":
        """Defaults, then SITREP_* environment settings, then explicit overrides (the CLI's flags)."""
        values = {}
        if os.environ.get("SITREP_SPACY_MODEL"):
            values["spacy_model"] = os.environ["SITREP_SPACY_MODEL"]
        if os.environ.get("SITREP_EVENT_TYPER"):
            values["event_typer"] = os.environ["SITREP_EVENT_TYPER"]
        if os.environ.get("SITREP_TYPER_BACKEND"):
            values["typer_backend"] = os.environ["SITREP_TYPER_BACKEND"].strip().lower()
        if os.environ.get("SITREP_MINILM_HEAD"):
            values["minilm_head"] = os.environ["SITREP_MINILM_HEAD"]
        if os.environ.get("SITREP_DOC_HEAD"):
            values["doc_head"] = os.environ["SITREP_DOC_HEAD"]
        if os.environ.get("SITREP_NEWS_GATE"):
            values["news_gate"] = os.environ["SITREP_NEWS_GATE"].strip().lower() not in ("0", "off", "false", "no")
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

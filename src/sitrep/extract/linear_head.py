"""The linear heads over MiniLM embeddings (minilm_typer.py, doc_typer.py): weights and bias in head.npz, what they
were trained on in meta.json, both written by the training scripts under training/."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..errors import ConfigError
from .typer import LABELS


def head_meta(path: Path) -> dict:
    meta_path = path / "meta.json"
    return json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}


def load_head(path: Path, what: str) -> tuple[np.ndarray, np.ndarray]:
    """(weights, bias) of the head in `path`; ConfigError when it is missing or scores other labels."""
    head = path / "head.npz"
    if not head.exists():
        raise ConfigError(f"{what} head not found in {path}; run `make train` to build it")
    with np.load(head) as data:
        loaded = (data["weights"], data["bias"])
    if head_meta(path).get("labels", list(LABELS)) != list(LABELS):
        raise ConfigError(f"{what} head in {path} has other labels than {', '.join(LABELS)}")
    return loaded

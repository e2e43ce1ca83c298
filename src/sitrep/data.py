"""Loads the analyst-editable data files under sitrep/data once per process, checked at load time."""
from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from .errors import LexiconError

DATA_DIR = Path(str(resources.files("sitrep") / "data"))


def data_path(name: str) -> Path:
    path = DATA_DIR / name
    if not path.exists():
        available = ", ".join(sorted(p.name for p in DATA_DIR.iterdir()))
        raise LexiconError(f"data file '{name}' not found in {DATA_DIR}; available: {available}")
    return path


@lru_cache(maxsize=None)
def load_yaml(name: str):
    """Parse a YAML data file (cached: callers must not mutate the result)."""
    path = data_path(name)
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except yaml.YAMLError as exc:
        raise LexiconError(f"data file '{name}' is not valid YAML: {exc}") from exc


@lru_cache(maxsize=None)
def load_csv(name: str) -> tuple[dict, ...]:
    """Read a CSV data file as a tuple of row dicts (cached)."""
    path = data_path(name)
    with path.open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(row for row in fh if not row.startswith("#")))

"""Shared fixtures: the spaCy pipeline and the Extractor are loaded once per test session."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def nlp():
    from sitrep.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def extractor():
    from sitrep.extract.pipeline import Extractor

    return Extractor()


@pytest.fixture(scope="session")
def extract(extractor):
    """extract(text, published='2020-03-04') -> list[Event] for a one-article text written in the test."""
    from sitrep.ingest.clean import make_article

    def run(text: str, published: str | None = "2020-03-04", article_id: str = "t"):
        pub = dt.date.fromisoformat(published) if published else None
        return extractor.extract(make_article(article_id, text, published=pub))

    return run


@pytest.fixture(scope="session")
def shared_dir():
    if not SHARED.is_dir():
        pytest.skip("../shared is not present (it exists in CI and the team's checkout)")
    return SHARED

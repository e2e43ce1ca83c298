"""The free-written news documents of training/event_typer/synthetic_docs_b.jsonl keep the shape the event typer's
loader and the data card promise: one JSON object a line, labels the project knows, unique ids and headlines, ledes
of news length, every world region and a real share of hard negatives. A malformed line added later fails here
before it can reach `make train`."""
from __future__ import annotations

import collections
import json
from pathlib import Path

import pytest

from sitrep.extract.lexicon import EVENT_TYPES

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "training" / "event_typer" / "synthetic_docs_b.jsonl"
KEYS = {"id", "label", "headline", "lede", "domain", "region", "style"}
STYLES = {"wire", "local", "rss", "broadcast", "press-release", "feature"}
REGIONS = {"Africa", "Middle East", "South Asia", "Southeast Asia", "East Asia", "Latin America", "Europe",
           "North America", "Oceania", "Central Asia"}


@pytest.fixture(scope="module")
def docs() -> list[dict]:
    lines = DOCS.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_every_line_is_a_document_with_the_promised_keys(docs):
    assert len(docs) >= 700
    for doc in docs:
        assert set(doc) == KEYS, doc.get("id")
        assert all(isinstance(doc[k], str) and doc[k].strip() for k in KEYS), doc["id"]


def test_labels_styles_and_regions_are_known(docs):
    allowed = set(EVENT_TYPES) | {"none"}
    assert {d["label"] for d in docs} <= allowed
    assert {d["style"] for d in docs} <= STYLES
    assert {d["region"] for d in docs} == REGIONS


def test_ids_and_headlines_are_unique(docs):
    ids = [d["id"] for d in docs]
    assert len(set(ids)) == len(ids)
    assert all(i.startswith("b-") and i[2:].isdigit() for i in ids)
    heads = [d["headline"].strip().lower() for d in docs]
    duplicated = [h for h, n in collections.Counter(heads).items() if n > 1]
    assert not duplicated


def test_ledes_are_news_length_and_differ_from_their_headline(docs):
    for doc in docs:
        words = len(doc["lede"].split())
        assert 25 <= words <= 80, (doc["id"], words)
        assert doc["lede"].strip().lower() != doc["headline"].strip().lower()
    ledes = [d["lede"].strip().lower() for d in docs]
    assert len(set(ledes)) == len(ledes)


def test_hard_negatives_and_the_verbal_types_are_all_there(docs):
    counts = collections.Counter(d["label"] for d in docs)
    assert counts["none"] >= 0.25 * len(docs)
    for label in ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "REQUEST", "ACCUSE", "REJECT"):
        assert counts[label] >= 20, label
    none_domains = {d["domain"] for d in docs if d["label"] == "none"}
    assert {"sport", "business", "science", "health", "weather", "culture", "obituary", "opinion", "preview",
            "courts", "elections", "disaster"} <= none_domains


def test_no_story_is_repeated_in_another_writers_file(docs):
    """Writers are sessions of one model and converge on the same stories; a story in two files would sit on both
    sides of a held-out split. Skips while this is the only file (before the other writers' branches merge)."""
    others = [p for p in sorted(DOCS.parent.glob("synthetic_docs_*.jsonl")) if p != DOCS]
    if not others:
        pytest.skip("no other writer's synthetic_docs_*.jsonl here yet")
    ours = {d["headline"].strip().lower() for d in docs} | {d["lede"].strip().lower() for d in docs}
    for path in others:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                other = json.loads(line)
                assert other["headline"].strip().lower() not in ours, (path.name, other["headline"])
                assert other["lede"].strip().lower() not in ours, (path.name, other["id"])

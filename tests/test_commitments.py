"""Commitment statements through the real extractor: the example article's patterns and sentences of our own."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from sitrep.ingest.clean import make_article

GOLD = Path(__file__).parent / "data" / "commitments" / "helmand-gold.json"


@pytest.fixture(scope="module")
def commitments(extractor):
    def run(text: str, published: str = "2024-05-10", article_id: str = "c"):
        article = make_article(article_id, text, published=dt.date.fromisoformat(published))
        got, _events = next(iter(extractor.extract_many([article])))
        return [c.to_record() for c in got.commitments]
    return run


def _holder_texts(rec) -> list[str]:
    return [s.lower() for h in rec["holders"] for s in (h.get("text"), h.get("name")) if s]


def _matches(gold: dict, rec: dict, text: str) -> bool:
    at = text.find(gold["words"])
    return at >= 0 and rec["sentence_span"][0] <= at < rec["sentence_span"][1]


def test_example_article_statements_against_hand_coding(shared_dir, commitments):
    text = (shared_dir / "examples" / "helmand-airstrike.txt").read_text(encoding="utf-8")
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    found = commitments(text, gold["published"], "helmand")
    from sitrep.ingest.clean import make_article as mk
    clean = mk("helmand", text).text
    matched, right = 0, 0
    for g in gold["statements"]:
        rec = next((r for r in found if _matches(g, r, clean)), None)
        if rec is None:
            continue
        matched += 1
        holder_ok = not g["holder"] or any(h.lower() in t or t in h.lower() for h in g["holder"]
                                           for t in _holder_texts(rec))
        right += (holder_ok and rec["statement"] == g["statement"] and rec["kind"]["value"] == g["kind"]
                  and rec["testable"]["value"] == g["testable"] and rec["source"]["said_by"] == g["said_by"]
                  and rec["source"]["mode"] == g["mode"])
    precision = matched / len(found)
    recall = matched / len(gold["statements"])
    assert precision >= 0.9 and recall >= 0.9, (precision, recall, [r["sentence"] for r in found])
    assert right / len(gold["statements"]) >= 0.9


def test_reduce_violence_promise_is_a_testable_relative_refrain(commitments):
    [rec] = commitments('Leggett said Taliban leadership promised the international community it would '
                        '"reduce violence and not increase attacks."')
    assert rec["statement"] == "pledge"
    assert rec["holder"]["name"] == "Taliban" and rec["holder_code"] == "AFGREB"
    assert rec["addressee"]["text"] == "the international community"
    assert (rec["kind"]["value"], rec["polarity"]["value"], rec["threshold"]["value"]) == \
        ("reduce_violence", "refrain", "relative")
    assert rec["kind"]["text"] == "reduce violence"
    assert rec["testable"]["value"] is True
    assert rec["pattern"]["relation"] == "breach" and rec["pattern"]["event_types"] == ["ASSAULT"]
    assert rec["source"]["said_by"] == "Leggett" and rec["source"]["mode"] == "reported_speech"
    assert rec["source"]["quote"] == "reduce violence and not increase attacks."


def test_spans_index_the_cleaned_text(commitments):
    text = "The rebels promised to release all 40 hostages by Friday, a mediator said."
    [rec] = commitments(text)
    for field in ("trigger", "kind", "threshold", "quantity", "deadline"):
        words = rec[field]
        assert text[words["span"][0]:words["span"][1]] == words["text"], field
    assert rec["holder"]["text"] == text[rec["holder"]["span"][0]:rec["holder"]["span"][1]] == "The rebels"
    assert rec["kind"]["value"] == "release_prisoners" and rec["threshold"]["value"] == "absolute"
    assert rec["quantity"]["value"] == 40
    assert rec["deadline"]["value"] == "2024-05-10" or rec["deadline"]["value"] > "2024-05-10"


def test_committed_to_act_on_the_deal_is_other_and_untestable(commitments):
    [rec] = commitments('Taliban spokesman Suhail Shaheen said the group "is committed to act on all parts of the '
                        'deal one by one to control the intensity of war."')
    assert rec["statement"] == "pledge" and rec["kind"]["value"] == "other"
    assert rec["testable"]["value"] is False
    assert rec["holder"]["name"] == "Taliban"
    assert rec["source"]["mode"] == "direct_quote" and rec["source"]["said_by"] == "Suhail Shaheen"


def test_uphold_their_commitments_binds_the_party_called_on(commitments):
    [rec] = commitments('Sonny Leggett called on the Taliban to "stop needless attacks and uphold their commitments."')
    assert rec["statement"] == "invocation"
    assert rec["holder"]["name"] == "Taliban"
    assert rec["kind"]["value"] == "reduce_violence"


def test_unspecified_violence_levels_are_untestable(commitments):
    [rec] = commitments("The agreement did not specify violence levels moving forward.")
    assert rec["statement"] == "unspecified" and rec["testable"]["value"] is False
    assert rec["testable"]["text"].startswith("did not specify violence levels")
    assert rec["untestable_reason"]


def test_three_day_ceasefire_has_start_and_duration(commitments):
    [rec] = commitments("The army declared a three-day ceasefire starting on Monday.", published="2024-05-10")
    assert rec["statement"] == "declaration" and rec["kind"]["value"] == "ceasefire"
    assert rec["threshold"]["value"] == "zero" and rec["polarity"]["value"] == "refrain"
    assert rec["duration_days"]["value"] == 3 and rec["duration_days"]["text"] == "three-day"
    assert rec["start"]["value"] == "2024-05-13"      # the coming Monday after Friday 10 May


@pytest.mark.parametrize("text,statement", [
    ("The government extended the ceasefire by another two weeks on Sunday.", "extension"),
    ("Both sides accused each other of violating the truce overnight.", "violation_claim"),
    ("The militia denied breaking the ceasefire.", "denial"),
    ("If our positions are attacked, we will respond with force, a military spokesman said.", "condition"),
])
def test_statement_kinds(commitments, text, statement):
    assert [r["statement"] for r in commitments(text)] == [statement]


@pytest.mark.parametrize("text", [
    "The United Nations called for an immediate ceasefire in the region.",
    "The opposition threatened to boycott the vote.",
    "Talks on a possible ceasefire are expected to start next week.",
    "Gunmen killed five villagers in an attack on a market, residents said.",
    "The government has refused to commit to any direct assistance.",
])
def test_not_commitments(commitments, text):
    assert commitments(text) == []


def _cli(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "sitrep.cli", *args], capture_output=True, text=True, input=stdin)


def test_extract_commitments_flag_and_unchanged_event_output(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("The rebels promised to release all 40 hostages by Friday, a mediator said. "
                   "Gunmen killed two guards in the town.", encoding="utf-8")
    plain = _cli("extract", str(src), "--published", "2024-05-10", "--format", "jsonl")
    with_flag = _cli("extract", str(src), "--published", "2024-05-10", "--format", "jsonl", "--commitments")
    assert plain.returncode == 0 and with_flag.returncode == 0
    events = [json.loads(x) for x in plain.stdout.splitlines()]
    assert events and all("event_type" in e and "commitments" not in e for e in events)
    statements = [json.loads(x) for x in with_flag.stdout.splitlines()]
    assert [s["statement"] for s in statements] == ["pledge"]
    as_json = _cli("extract", str(src), "--published", "2024-05-10", "--format", "json", "--commitments")
    doc = json.loads(as_json.stdout)[0]
    assert [e["event_id"] for e in doc["events"]] == [e["event_id"] for e in events]
    assert doc["commitments"][0]["commitment_id"] == statements[0]["commitment_id"]
    table = _cli("extract", str(src), "--published", "2024-05-10", "--format", "table", "--commitments")
    assert table.stdout.splitlines()[0].split()[:3] == ["statement", "holder", "kind"]
    assert "release_prisoners" in table.stdout


def test_lexicon_refuses_bare_yaml_booleans():
    from sitrep.commitments.lexicon import CommitmentLexicon
    from sitrep.data import load_yaml
    from sitrep.errors import LexiconError

    raw = dict(load_yaml("commitments.yaml"))
    raw["thresholds"] = {"zero": [False, "not"], "relative": ["reduce"]}
    with pytest.raises(LexiconError, match="quote the word"):
        CommitmentLexicon(raw)

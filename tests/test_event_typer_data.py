"""The loader of the synthetic news documents the event typer trains on (training/event_typer_data.py, issue 9)."""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "training"))
try:
    import event_typer_data
    from event_typer_data import SyntheticDocError, load_synthetic_docs
finally:
    sys.path.remove(str(REPO / "training"))


def _write(path: Path, docs: list[dict | str]) -> Path:
    lines = [d if isinstance(d, str) else json.dumps(d) for d in docs]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _doc(doc_id: str, label: str, headline: str, lede: str) -> dict:
    return {"id": doc_id, "label": label, "headline": headline, "lede": lede, "domain": "test", "region": "Europe",
            "style": "wire"}


def test_load_synthetic_docs_gives_a_headline_and_a_lede_per_document(tmp_path):
    path = _write(tmp_path / "synthetic_docs_t.jsonl", [
        _doc("t-0001", "COERCE", "Police detain 12 after raid on opposition office",
             "Police in the capital detained 12 party workers on Monday, a spokesman said."),
        "",
        _doc("t-0002", "none", "Rovers fight back to snatch draw in derby",
             "Rovers came from two goals down to draw 2-2 at home on Saturday."),
    ])
    samples = load_synthetic_docs([path])
    assert [(s.kind, s.label, s.template) for s in samples] == [
        ("headline", "COERCE", "COERCE/synthdoc/t-0001"),
        ("body", "COERCE", "COERCE/synthdoc/t-0001"),
        ("headline", "none", "none/synthdoc/t-0002"),
        ("body", "none", "none/synthdoc/t-0002"),
    ]
    assert samples[0].text == "Police detain 12 after raid on opposition office"
    assert samples[3].text == "Rovers came from two goals down to draw 2-2 at home on Saturday."


def test_load_synthetic_docs_reads_every_file_of_the_data_dir_by_default(tmp_path, monkeypatch):
    _write(tmp_path / "synthetic_docs_x.jsonl", [_doc("x-0001", "PROTEST", "Nurses strike", "Nurses walked out.")])
    _write(tmp_path / "synthetic_docs_y.jsonl", [_doc("y-0001", "ASSAULT", "Gunmen kill 3", "Gunmen killed three.")])
    _write(tmp_path / "other.jsonl", [_doc("z-0001", "AID", "Not a synthetic doc file", "Ignored.")])
    monkeypatch.setattr(event_typer_data, "DATA_DIR", tmp_path)
    assert sorted({s.template for s in load_synthetic_docs()}) == ["ASSAULT/synthdoc/y-0001",
                                                                    "PROTEST/synthdoc/x-0001"]


@pytest.mark.parametrize("bad, message", [
    ('{"id": "t-0002", "label": "COERCE", "headline": "Cut off', "not a JSON object"),
    ('["a list"]', "not a JSON object"),
    (json.dumps(_doc("t-0002", "ARREST", "Police arrest 3", "Police arrested three.")), "unknown label 'ARREST'"),
    (json.dumps(_doc("t-0002", "COERCE", "", "Police arrested three.")), "missing headline"),
    (json.dumps(_doc("t-0001", "COERCE", "Police arrest 3", "Police arrested three.")), "id 't-0001' repeats"),
])
def test_load_synthetic_docs_names_the_file_and_line_of_a_bad_record(tmp_path, bad, message):
    path = _write(tmp_path / "synthetic_docs_t.jsonl", [
        _doc("t-0001", "none", "Storm brings snow to the hills", "Snow fell overnight across the hills."), bad])
    with pytest.raises(SyntheticDocError) as err:
        load_synthetic_docs([path])
    assert "synthetic_docs_t.jsonl:2" in str(err.value) and message in str(err.value)


def test_shipped_synthetic_docs_are_valid_and_distinct():
    paths = sorted(event_typer_data.DATA_DIR.glob("synthetic_docs_*.jsonl"))
    if not paths:
        pytest.skip("no synthetic document file shipped")
    samples = load_synthetic_docs(paths)  # raises on bad JSON, unknown labels and repeated ids
    headlines = Counter(s.text.lower() for s in samples if s.kind == "headline")
    assert [h for h, n in headlines.items() if n > 1] == []
    for path in paths:
        letter = path.stem.rsplit("_", 1)[1]
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                doc = json.loads(line)
                assert doc["id"].startswith(f"{letter}-"), (path.name, doc["id"])
                assert doc.get("style") in {"wire", "local", "rss", "broadcast", "press-release", "feature"}, doc["id"]

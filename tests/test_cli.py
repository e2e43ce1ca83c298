"""`sitrep extract` end to end: formats, bad input, exit codes (the real command in a subprocess)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SITREP = [sys.executable, "-m", "sitrep.cli"]
ARTICLE = "Police arrested twelve protesters in Harare on Monday, a spokesman said.\n"


def run(*args, stdin: str | bytes | None = None):
    data = stdin.encode() if isinstance(stdin, str) else stdin
    proc = subprocess.run([*SITREP, *args], input=data, capture_output=True, cwd=REPO, timeout=300)
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


def test_extract_jsonl_from_stdin_is_schema_valid(shared_dir):
    import jsonschema

    schema = json.loads((shared_dir / "schema" / "event.schema.json").read_text())
    code, out, err = run("extract", "-", "--published", "2024-01-15", "--format", "jsonl", stdin=ARTICLE)
    assert code == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    assert any(r["event_type"] == "COERCE" for r in records)
    for rec in records:
        jsonschema.validate(rec, schema)


def test_extract_formats(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE)
    code, out, _ = run("extract", str(src), "--format", "table")
    assert code == 0 and "event_type" in out.splitlines()[0] and "COERCE" in out
    code, out, _ = run("extract", str(src), "--format", "csv")
    assert code == 0 and out.startswith("article_id,event_id")
    target = tmp_path / "out.json"
    code, _, _ = run("extract", str(src), "--format", "json", "-o", str(target))
    doc = json.loads(target.read_text())[0]
    assert code == 0 and doc["id"] == str(src) and doc["text"].startswith("Police")


def test_html_input_uses_main_text(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><body><nav>Home | Sport</nav><article><p>" + ARTICLE.strip() + "</p>"
                    "<p>The arrests followed a week of demonstrations over prices in the capital.</p></article></body></html>")
    code, out, err = run("extract", str(page), "--format", "jsonl")
    assert code == 0, err
    assert any(json.loads(l)["event_type"] == "COERCE" for l in out.splitlines())


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (b"\x00\x01\x02binary\x00", "binary"),
    ("Les policiers ont arr\u00eat\u00e9 douze manifestants.".encode("latin-1"), "UTF-8"),
])
def test_bad_files_give_one_line_errors(tmp_path, content, message):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    code, out, err = run("extract", str(bad), "--format", "jsonl")
    assert code != 0
    assert message in err and "bad.txt" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 2  # the file's error + "nothing read"


def test_missing_file_and_rest_of_batch(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE)
    code, out, err = run("extract", str(tmp_path / "nope.txt"), str(good), "--format", "jsonl")
    assert code == 1                                     # some input failed ...
    assert "nope.txt: no such file" in err
    assert any(json.loads(l)["article_id"] == str(good) for l in out.splitlines())  # ... the rest was done


def test_malformed_jsonl_line_is_reported_and_skipped(tmp_path):
    src = tmp_path / "batch.jsonl"
    src.write_text(json.dumps({"id": "a1", "text": ARTICLE}) + "\n{not json\n"
                   + json.dumps({"id": "a2", "text": "Rebels attacked a convoy near Goma."}) + "\n")
    code, out, err = run("extract", str(src), "--format", "jsonl")
    assert code == 1 and "batch.jsonl:2: malformed JSON" in err
    assert {json.loads(l)["article_id"] for l in out.splitlines()} == {"a1", "a2"}


@pytest.mark.parametrize("args, message", [
    (["--format", "xml"], "unknown format 'xml'"),
    (["--published", "2020-02-30"], "invalid date"),
])
def test_bad_options(tmp_path, args, message):
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE)
    code, _, err = run("extract", str(src), *args)
    assert code == 1 and message in err and "Traceback" not in err


def test_artifacts_are_cleaned(extract):
    events = extract('"The attack started at midnight," he said.AD\nAD\nPolice arrested two men.')
    assert all("AD" not in e.sentence for e in events)

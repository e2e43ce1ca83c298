"""Ingest: idempotent, versioned, parallel, resumable after SIGKILL; and the store commands of the CLI."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pg import FakeExtractor, fake_extractor_factory, pg_server, store, store_url  # noqa: F401 - fixtures

from sitrep.cli import main
from sitrep.errors import ConfigError
from sitrep.store import ingest_paths, open_store

INCIDENTS = Path(__file__).parent / "data" / "incidents" / "articles.jsonl"


def _jsonl(path: Path, records) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


def _records(n: int, prefix: str = "n"):
    return [{"id": f"{prefix}{i}", "text": f"Gunmen attacked village {i} on Monday. Police said so.",
             "published": "2024-03-05", "outlet": f"Outlet {i % 3}"} for i in range(n)]


def _counts(s):
    c = s.counts()
    return (c.articles, c.article_versions, c.events, c.spans, c.incidents)


def test_ingest_twice_stores_once(store, tmp_path):
    src = _jsonl(tmp_path / "a.jsonl", _records(30))
    first = ingest_paths(store, [src], extractor=FakeExtractor(), batch_size=7)
    before = _counts(store)
    second = ingest_paths(store, [src], extractor=FakeExtractor(), batch_size=7)
    assert (first.read, first.new_articles, first.events) == (30, 30, 30)
    assert (second.read, second.skipped, second.new_articles, second.events) == (30, 30, 0, 0)
    assert _counts(store) == before == (30, 30, 30, before[3], 30)


def test_ingest_changed_text_is_a_new_version(store, tmp_path):
    recs = _records(5)
    ingest_paths(store, [_jsonl(tmp_path / "a.jsonl", recs)], extractor=FakeExtractor())
    recs[2]["text"] = "Gunmen attacked village 2 again on Tuesday. Police said so."
    report = ingest_paths(store, [_jsonl(tmp_path / "b.jsonl", recs)], extractor=FakeExtractor())
    assert (report.skipped, report.new_versions) == (4, 1)
    assert _counts(store)[:3] == (5, 6, 5)
    assert "again" in store.query_events()[2]["sentence"] or any(
        "again" in r["sentence"] for r in store.query_events())


def test_ingest_corrupted_line_is_reported_and_the_rest_stored(store, tmp_path):
    path = tmp_path / "bad.jsonl"
    lines = [json.dumps(r) for r in _records(4)]
    lines.insert(2, '{"id": "broken", "text": "unterminated')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = ingest_paths(store, [str(path)], extractor=FakeExtractor())
    assert report.errors == [f"{path}:3: malformed JSON (Unterminated string starting at)"]
    assert report.new_articles == 4
    again = ingest_paths(store, [str(path)], extractor=FakeExtractor())
    assert again.new_articles == 0 and _counts(store)[:2] == (4, 4)


class _Flaky(FakeExtractor):
    def extract(self, article):
        if "village 3 " in article.text:
            raise ValueError("parser blew up")
        return super().extract(article)


def test_ingest_failing_article_is_skipped_and_retried_later(store, tmp_path):
    src = _jsonl(tmp_path / "a.jsonl", _records(6))
    report = ingest_paths(store, [src], extractor=_Flaky())
    assert report.failed == 1 and report.failures == ["n3: extraction failed: ValueError: parser blew up"]
    assert report.new_articles == 5 and not report.ok
    report = ingest_paths(store, [src], extractor=FakeExtractor())
    assert (report.skipped, report.new_articles) == (5, 1)


def test_ingest_workers_give_the_same_store(tmp_path):
    src = _jsonl(tmp_path / "a.jsonl", _records(40))
    results = []
    for workers in (1, 2):
        with open_store(str(tmp_path / f"w{workers}.duckdb")) as s:
            report = ingest_paths(s, [src], workers=workers, batch_size=5, extractor_factory=fake_extractor_factory)
            assert report.new_articles == 40
            results.append((_counts(s), [r["event_id"] for r in s.query_events()]))
    assert results[0] == results[1]


def test_ingest_rejects_bad_worker_count(store, tmp_path):
    with pytest.raises(ConfigError, match="--workers"):
        ingest_paths(store, [_jsonl(tmp_path / "a.jsonl", _records(1))], workers=0, extractor=FakeExtractor())


# -- the CLI, with the real extractor -------------------------------------------------------------------------
def test_cli_ingest_then_query(tmp_path, capsys):
    db = str(tmp_path / "cli.duckdb")
    assert main(["ingest", str(INCIDENTS), "--db", db, "--no-progress"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("ingested 11 articles: 11 new, 0 new versions, 0 unchanged, 0 failed;")
    assert main(["ingest", str(INCIDENTS), "--db", db, "--no-progress"]) == 0
    assert capsys.readouterr().err.startswith("ingested 11 articles: 0 new, 0 new versions, 11 unchanged, 0 failed;")

    assert main(["events", "--db", db, "--format", "jsonl", "--type", "PROTEST"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert records and all(r["event_type"] == "PROTEST" for r in records)
    assert {r["article_id"] for r in records} >= {"gp-56"}

    assert main(["events", "--db", db, "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("article_id,event_id,primary,event_type")
    assert len(out) > 11

    assert main(["incidents", "--db", db, "--format", "jsonl"]) == 0
    incidents = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert incidents
    some = incidents[0]["incident_id"]
    assert main(["incident", some, "--db", db]) == 0
    text = capsys.readouterr().out
    assert text.startswith(f"Incident {some}: ") and "Claims:" in text and "Merges" in text


def test_cli_store_errors_are_one_line(tmp_path, capsys):
    db = str(tmp_path / "e.duckdb")
    assert main(["events", "--db", db]) == 1
    assert capsys.readouterr().err == f"Error: no database at {db}; run `sitrep ingest` first\n"
    assert main(["ingest", str(INCIDENTS), "--db", db, "--no-progress"]) == 0
    capsys.readouterr()
    assert main(["events", "--db", db, "--since", "2024-02-30"]) == 1
    assert capsys.readouterr().err == "Error: --since: invalid date '2024-02-30': expected YYYY-MM-DD\n"
    assert main(["events", "--db", db, "--format", "xml"]) == 1
    assert capsys.readouterr().err == "Error: unknown format 'xml'; choose one of: table, jsonl, csv\n"
    assert main(["incident", "Inope", "--db", db]) == 1
    assert capsys.readouterr().err == "Error: no incident 'Inope' (list them with `sitrep incidents`)\n"
    assert main(["ingest", str(INCIDENTS), "--db", "postgresql://x@127.0.0.1:1/db", "--no-progress"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Error: cannot connect to postgresql://x@127.0.0.1:1/db:") and err.count("\n") == 1
    assert main(["ingest", str(INCIDENTS), "--db", db, "--workers", "0"]) == 1
    assert capsys.readouterr().err == "Error: --workers must be between 1 and 256, not 0\n"


def test_cli_ingest_bad_line_exits_1_and_stores_the_rest(tmp_path, capsys):
    src = tmp_path / "mixed.jsonl"
    good = INCIDENTS.read_text(encoding="utf-8").splitlines()[:2]
    src.write_text(good[0] + "\n{not json\n" + good[1] + "\n", encoding="utf-8")
    db = str(tmp_path / "m.duckdb")
    assert main(["ingest", str(src), "--db", db, "--no-progress"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"Error: {src}:2: malformed JSON")
    assert err[1].startswith("ingested 2 articles: 2 new")
    with open_store(db, read_only=True) as s:
        assert s.counts().articles == 2


# -- killed half-way ------------------------------------------------------------------------------------------
def _slice(shared_dir: Path, tmp_path: Path, n: int) -> str:
    lines = []
    for name in ("plover-gsr.jsonl", "case2021-dev.jsonl"):
        lines += (shared_dir / "eval-data" / "dev" / name).read_text(encoding="utf-8").splitlines()[: n // 2]
    path = tmp_path / "slice.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _ingest_cmd(src: str, db: str) -> list[str]:
    return [sys.executable, "-m", "sitrep.cli", "ingest", src, "--db", db, "--batch-size", "8", "--no-progress"]


def _run_ingest(src: str, db: str) -> None:
    # Exit 1 only says some articles failed extraction; they fail the same way in every run.
    proc = subprocess.run(_ingest_cmd(src, db), capture_output=True, text=True, timeout=600)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]


def _store_counts(db: str):
    with open_store(db) as s:
        return _counts(s)


def test_ingest_sigkill_then_rerun_matches_uninterrupted_run_postgres(shared_dir, tmp_path):
    import psycopg

    src = _slice(shared_dir, tmp_path, 96)
    server = pg_server()
    full, killed = server.new_database(), server.new_database()
    _run_ingest(src, full)
    expected = _store_counts(full)

    proc = subprocess.Popen(_ingest_cmd(src, killed), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stored = 0
    try:
        deadline = time.time() + 300
        while time.time() < deadline and proc.poll() is None:
            try:
                with psycopg.connect(killed, autocommit=True) as con:
                    stored = con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
            except psycopg.Error:
                stored = 0      # the schema is not there yet
            if stored >= 16:
                break
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert 0 < stored < expected[0], "the ingest was not caught half-way"
    partial = _store_counts(killed)
    assert partial[0] < expected[0] and partial[4] == 0     # incidents come after the last batch
    _run_ingest(src, killed)
    assert _store_counts(killed) == expected


def test_ingest_sigkill_then_rerun_matches_uninterrupted_run_duckdb(shared_dir, tmp_path):
    import re
    import threading

    src = _slice(shared_dir, tmp_path, 96)
    full, killed = str(tmp_path / "full.duckdb"), str(tmp_path / "killed.duckdb")
    _run_ingest(src, full)
    expected = _store_counts(full)
    # The progress bar counts articles once their batch is committed: kill after two batches of 8.
    cmd = [c for c in _ingest_cmd(src, killed) if c != "--no-progress"] + ["--progress"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    reached = threading.Event()

    def watch():
        seen = b""
        while not reached.is_set():
            chunk = proc.stderr.read1(4096)
            if not chunk:
                return
            seen = (seen + chunk)[-200:]
            done = [int(n) for n in re.findall(rb"ingest: (\d+)art ", seen)]
            if done and max(done) >= 16:
                reached.set()

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    reached.wait(timeout=300)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert reached.is_set(), "the ingest was not caught half-way"
    partial = _store_counts(killed)
    assert 16 <= partial[0] < expected[0] and partial[4] == 0
    _run_ingest(src, killed)
    assert _store_counts(killed) == expected


def test_ingest_twice_an_input_with_two_texts_of_one_article_changes_nothing(store, tmp_path):
    """The later text is the latest version; ingesting the same input again must not make the earlier text
    the latest (and then the later one again): nothing is written the second time."""
    recs = _records(3)
    recs.append(dict(recs[1], text="Gunmen attacked village 1 again on Tuesday. Police said so."))
    src = _jsonl(tmp_path / "a.jsonl", recs)
    first = ingest_paths(store, [src], extractor=FakeExtractor())
    latest = store.latest_article("n1")
    second = ingest_paths(store, [src], extractor=FakeExtractor())
    assert (first.new_articles, first.new_versions) == (3, 1)
    assert (second.skipped, second.new_articles, second.new_versions, second.events) == (4, 0, 0, 0)
    assert latest["version"] == 2 and "again" in latest["text"]
    assert store.latest_article("n1") == latest

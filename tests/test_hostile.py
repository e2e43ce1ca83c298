"""Hostile and odd input through the real CLI: nothing lost, nothing stalled (the reliability issue's cases).

Each test is one reproduction of a defect a hostile probe found; where the store is involved it runs on both
backends (the `store_url` fixture: a DuckDB file, then a fresh PostgreSQL database)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pg import pg_server, store_url  # noqa: F401 - fixtures

from sitrep.store import open_store

REPO = Path(__file__).resolve().parents[1]
SITREP = [sys.executable, "-m", "sitrep.cli"]
ATTACK = "Gunmen attacked a police post in Kunduz on Monday, killing four officers, a spokesman said."
PROTEST = "Hundreds of people marched through Lagos on Tuesday to demand the release of detained activists."


def run(*args, stdin: str | bytes | None = None, cwd: Path = REPO):
    data = stdin.encode("utf-8", "surrogatepass") if isinstance(stdin, str) else stdin
    proc = subprocess.run([*SITREP, *args], input=data, capture_output=True, cwd=cwd, timeout=300)
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


def jsonl(path: Path, lines: list) -> str:
    """Write records (dicts) or raw lines (str) to a JSONL file."""
    path.write_text("".join((l if isinstance(l, str) else json.dumps(l)) + "\n" for l in lines), encoding="utf-8")
    return str(path)


def _stored_articles(s) -> list[str]:
    cols, rows = s.backend.query("SELECT article_id FROM articles WHERE is_latest", [])
    return [r[0] for r in rows]


# -- 2: a record with a non-string outlet/url/title ------------------------------------------------------------
def test_non_string_fields_do_not_abort_the_ingest(store_url, tmp_path):
    src = jsonl(tmp_path / "odd.jsonl", [
        {"id": "a1", "text": ATTACK, "outlet": 5, "url": 7.5, "published": "2024-03-05"},
        {"id": "a2", "text": PROTEST, "outlet": ["x"], "url": {"u": 1}, "title": 12},
        {"id": "a3", "text": ATTACK, "title": ["not", "a", "title"], "outlet": True},
    ])
    later = jsonl(tmp_path / "later.jsonl", [{"id": "a4", "text": PROTEST, "outlet": "Daily"}])
    code, out, err = run("ingest", src, later, "--db", store_url, "--no-progress")
    assert code == 0, err
    assert "Traceback" not in err
    assert {"a1", "a2", "a3", "a4"} <= set(_ids(store_url))
    with open_store(store_url, read_only=True) as s:
        cols, rows = s.backend.query("SELECT article_id, outlet, url, title FROM articles ORDER BY article_id", [])
    by_id = {r[0]: r[1:] for r in rows}
    assert by_id["a1"][:2] == ("5", "7.5")          # numbers read as their text
    assert by_id["a2"] == (None, None, "12")         # lists and objects dropped, with a warning
    assert by_id["a3"][2] is None


def _ids(db: str) -> list[str]:
    with open_store(db, read_only=True) as s:
        return _stored_articles(s)


def test_a_number_as_text_is_named_as_such(tmp_path):
    src = jsonl(tmp_path / "n.jsonl", [{"id": "x", "text": 5}, {"id": "y", "text": ATTACK}])
    code, out, err = run("extract", src, "--format", "jsonl")
    assert code == 1
    assert f"{src}:1: 'text' is a number, not a string" in err
    assert "Traceback" not in err
    assert any(json.loads(l)["article_id"] == "y" for l in out.splitlines())


# -- 3: lone surrogates --------------------------------------------------------------------------------------
def test_lone_surrogate_in_jsonl_text_is_replaced_not_fatal(store_url, tmp_path):
    raw = '{"id": "s1", "text": "' + ATTACK + ' \\ud800 More later.", "title": "Bad \\udc00 title"}'
    src = jsonl(tmp_path / "s.jsonl", [raw, {"id": "s2", "text": PROTEST}])
    code, out, err = run("extract", src, "--format", "jsonl")
    assert code == 0 and "Traceback" not in err, err
    records = [json.loads(l) for l in out.splitlines()]
    assert {r["article_id"] for r in records} == {"s1", "s2"}
    assert "lone surrogates" in err
    code, out, err = run("ingest", src, "--db", store_url, "--no-progress")
    assert code == 0 and "Traceback" not in err, err
    assert set(_ids(store_url)) == {"s1", "s2"}


# -- 4: plain-text ids are unique per source -------------------------------------------------------------------
def test_same_file_name_in_two_folders_are_two_articles(store_url, tmp_path):
    for d, text in (("d1", ATTACK), ("d2", PROTEST)):
        (tmp_path / d).mkdir()
        (tmp_path / d / "article.txt").write_text(text, encoding="utf-8")
    code, out, err = run("ingest", "d1/article.txt", "d2/article.txt", "--db", store_url, "--no-progress",
                         cwd=tmp_path)
    assert code == 0, err
    assert set(_ids(store_url)) == {"d1/article.txt", "d2/article.txt"}
    with open_store(store_url, read_only=True) as s:
        types: dict[str, set] = {}
        for r in s.event_records():
            types.setdefault(r["article_id"], set()).add(r["event_type"])
    assert "ASSAULT" in types["d1/article.txt"] and "PROTEST" in types["d2/article.txt"]


def test_an_edited_file_is_a_new_version_of_the_same_article(store_url, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(ATTACK, encoding="utf-8")
    assert run("ingest", "a.txt", "--db", store_url, "--no-progress", cwd=tmp_path)[0] == 0
    path.write_text(PROTEST, encoding="utf-8")
    assert run("ingest", "a.txt", "--db", store_url, "--no-progress", cwd=tmp_path)[0] == 0
    with open_store(store_url, read_only=True) as s:
        cols, rows = s.backend.query("SELECT article_id, version, is_latest FROM articles ORDER BY version", [])
        assert [tuple(r) for r in rows] == [("a.txt", 1, False), ("a.txt", 2, True)]
        types = {r["event_type"] for r in s.event_records()}
        assert "PROTEST" in types and "ASSAULT" not in types      # only the latest version's events are seen


def test_two_texts_piped_to_stdin_are_two_articles(store_url, tmp_path):
    for text in (ATTACK, PROTEST):
        code, out, err = run("ingest", "-", "--db", store_url, "--no-progress", stdin=text)
        assert code == 0, err
    ids = _ids(store_url)
    assert len(ids) == 2 and all(i.startswith("stdin-") for i in ids)
    code, out, err = run("ingest", "-", "--db", store_url, "--no-progress", stdin=ATTACK)
    assert len(_ids(store_url)) == 2                  # the same text again is the same article

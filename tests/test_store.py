"""The Store over DuckDB and PostgreSQL: migrations, idempotent versioned writes, queries, faults."""
from __future__ import annotations

import contextlib
import copy
import datetime as dt
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from pg import gold_pairs, make_event, store, store_url  # noqa: F401 - fixtures

from sitrep.errors import ConfigError, StoreError
from sitrep.ingest.clean import make_article
from sitrep.model import Casualties, Count, Place, When
from sitrep.store import EventFilter, open_store
from sitrep.store.core import migrations


def _article(aid="a1", text="Gunmen killed three villagers in Kunduz on Monday. Police said.", **kw):
    kw.setdefault("published", dt.date(2024, 3, 5))
    kw.setdefault("outlet", "Test Wire")
    return make_article(aid, text, **kw)


def _event(article, phrase="killed", **kw):
    kw.setdefault("date", When(start="2024-03-04", end="2024-03-04", precision="day"))
    kw.setdefault("location", Place(name="Kunduz", country="AFG", admin1="Kunduz", lat=36.73, lon=68.86,
                                    precision="point"))
    kw.setdefault("fatalities", Casualties(total=Count(3, 3, None)))
    ev = make_event(article, phrase, **kw)
    ev.event_id = f"{article.id}-{uuid.uuid5(uuid.NAMESPACE_URL, article.text).hex[:8]}-{phrase}"
    return ev


def test_store_migrations_recorded_once(store_url):
    with open_store(store_url) as s:
        assert s.schema_version() == migrations()[-1][0]
    with open_store(store_url) as s:
        assert s.migrate() == []
        assert s.backend.execute("SELECT COUNT(*) FROM schema_version")[0][0] == len(migrations())


def test_store_new_migration_is_applied_in_order_on_open(store_url, monkeypatch):
    import sitrep.store.core as core

    open_store(store_url).close()
    known = migrations()
    extra = known + [(known[-1][0] + 1, "add_notes", "CREATE TABLE notes (note_id INTEGER PRIMARY KEY, body TEXT);"
                      "INSERT INTO notes VALUES (1, 'migrated')")]
    monkeypatch.setattr(core, "migrations", lambda: extra)
    with open_store(store_url) as s:
        assert s.schema_version() == known[-1][0] + 1
        assert s.backend.execute("SELECT body FROM notes")[0][0] == "migrated"
        names = [r[0] for r in s.backend.execute("SELECT name FROM schema_version ORDER BY version")]
        assert names[-1] == "add_notes"


def test_store_newer_schema_than_code_is_refused(store_url):
    with open_store(store_url) as s:
        s.backend.execute("INSERT INTO schema_version VALUES (999, 'future', CURRENT_TIMESTAMP)")
    with pytest.raises(StoreError, match="schema version 999, newer than this sitrep knows"):
        open_store(store_url)


def test_store_same_article_twice_is_stored_once(store):
    a = _article()
    first = store.write_batch([(a, [_event(a)])])
    second = store.write_batch([(a, [_event(a)])])
    assert (first.new_articles, first.events) == (1, 1)
    assert (second.new_articles, second.unchanged, second.events) == (0, 1, 0)
    counts = store.counts()
    assert (counts.articles, counts.article_versions, counts.events) == (1, 1, 1)


def test_store_changed_text_is_new_version_and_queries_see_latest(store):
    a1 = _article()
    store.write_batch([(a1, [_event(a1)])])
    a2 = _article(text="Gunmen killed five villagers in Kunduz on Monday. Police said.")
    result = store.write_batch([(a2, [_event(a2, fatalities=Casualties(total=Count(5, 5, None)))])])
    assert result.new_versions == 1
    counts = store.counts()
    assert (counts.articles, counts.article_versions, counts.events, counts.events_all) == (1, 2, 1, 2)
    rows = store.query_events()
    assert [r["fatalities_best"] for r in rows] == [5]
    assert store.latest_article("a1")["version"] == 2
    # The old text coming back makes version 1 the latest again, without storing it twice.
    result = store.write_batch([(a1, [_event(a1)])])
    assert result.new_versions == 1 and store.counts().article_versions == 2
    assert [r["fatalities_best"] for r in store.query_events()] == [3]


def test_store_two_texts_of_one_id_in_one_batch_keep_the_later(store):
    a1, a2 = _article(), _article(text="Gunmen killed five villagers in Kunduz on Monday. Police said.")
    store.write_batch([(a1, [_event(a1)]), (a2, [_event(a2)])])
    rows = store.backend.execute("SELECT version, is_latest FROM articles ORDER BY version")
    assert [tuple(r) for r in rows] == [(1, False), (2, True)]


def test_store_spans_index_the_cleaned_text(store):
    a = _article()
    ev = _event(a)
    store.write_batch([(a, [ev])])
    spans = {s["field"]: s for s in store.spans_of(ev.event_id)}
    assert spans["evidence.trigger"]["text"] == "killed"
    assert a.text[spans["evidence"]["span_start"]:spans["evidence"]["span_end"]] == ev.sentence


def _three(store):
    a = _article("a", "Gunmen killed three villagers in Kunduz. Police said.")
    b = _article("b", "Protesters marched in Herat against prices. Shops closed.", outlet="Herat News")
    c = _article("c", "Rebels might attack the base in Kunduz, officials warned.")
    store.write_batch([
        (a, [_event(a, actor=None)]),
        (b, [_event(b, "marched", event_type="PROTEST", fatalities=None,
                    date=When(start="2024-02-01", end="2024-02-01", precision="day"),
                    location=Place(name="Herat", country="AFG", admin1="Herat", precision="point"))]),
        (c, [_event(c, "attack", status="hypothetical", fatalities=None,
                    date=When(start="2024-03-10", end="2024-03-10", precision="day"))]),
    ])


@pytest.mark.parametrize("filters, expected", [
    ({}, ["b", "a"]),
    ({"status": "all"}, ["b", "a", "c"]),
    ({"status": "hypothetical"}, ["c"]),
    ({"types": "PROTEST"}, ["b"]),
    ({"types": "assault,protest"}, ["b", "a"]),
    ({"admin1": "kunduz"}, ["a"]),
    ({"country": "afg"}, ["b", "a"]),
    ({"country": "PAK"}, []),
    ({"since": "2024-03-01"}, ["a"]),
    ({"until": "2024-02-15"}, ["b"]),
    ({"min_fatalities": 3}, ["a"]),
    ({"min_fatalities": 4}, []),
    ({"search": "MARCHED"}, ["b"]),
    ({"limit": 1}, ["b"]),
])
def test_store_query_events_filters(store, filters, expected):
    _three(store)
    rows = store.query_events(EventFilter.build(**filters))
    assert [r["article_id"] for r in rows] == expected


def test_store_query_events_by_actor(store):
    a = _article("a", "Taliban fighters killed three villagers in Kunduz. Police said.")
    from sitrep.model import Participant

    store.write_batch([(a, [_event(a, actor=Participant(name="Taliban", sector="REB"))])])
    assert len(store.query_events(EventFilter.build(actor="talib"))) == 1
    assert store.query_events(EventFilter.build(actor="army")) == []


@pytest.mark.parametrize("filters, message", [
    ({"since": "2024-13-01"}, "--since: invalid date '2024-13-01'"),
    ({"until": "yesterday"}, "--until: invalid date 'yesterday'"),
    ({"since": "2024-05-01", "until": "2024-04-01"}, "is after"),
    ({"types": "BOMB"}, "unknown event type 'BOMB'"),
    ({"status": "maybe"}, "unknown status 'maybe'"),
    ({"country": "Afghanistan"}, "alpha-3"),
    ({"min_fatalities": -1}, "between 0 and"),
])
def test_event_filter_rejects_bad_values(filters, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace("'", "'")):
        EventFilter.build(**filters)


def test_store_batch_is_all_or_nothing(store, monkeypatch):
    a = _article()
    store.write_batch([(a, [_event(a)])])
    b = _article("b", "Rebels killed two soldiers in Kunduz. Army said.")
    real = store.backend.insert_rows

    def failing(table, columns, rows):
        if table == "spans":
            raise StoreError("simulated failure after articles and events were inserted")
        return real(table, columns, rows)

    monkeypatch.setattr(store.backend, "insert_rows", failing)
    with pytest.raises(StoreError, match="simulated"):
        store.write_batch([(b, [_event(b)])])
    monkeypatch.undo()
    counts = store.counts()
    assert (counts.articles, counts.events, counts.spans) == (1, 1, len(store.spans_of(_event(a).event_id)))
    store.write_batch([(b, [_event(b)])])          # and the batch goes in once retried
    assert store.counts().articles == 2


def test_store_unreachable_postgres_is_one_line_store_error():
    with pytest.raises(StoreError) as info:
        open_store("postgresql://sitrep@127.0.0.1:1/nowhere")
    message = str(info.value)
    assert message.startswith("cannot connect to postgresql://sitrep@127.0.0.1:1/nowhere")
    assert "\n" not in message


def test_store_url_password_is_not_shown():
    with pytest.raises(StoreError) as info:
        open_store("postgresql://sitrep:secret@127.0.0.1:1/nowhere")
    assert "secret" not in str(info.value)


def test_store_unknown_url_scheme():
    with pytest.raises(StoreError, match="unsupported database URL"):
        open_store("mysql://x@localhost/db")


def test_store_missing_directory(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        open_store(str(tmp_path / "no" / "such" / "sitrep.duckdb"))


def test_store_read_only_open_of_missing_file(tmp_path):
    with pytest.raises(StoreError, match="run `sitrep ingest` first"):
        open_store(str(tmp_path / "none.duckdb"), read_only=True)


def test_store_locked_duckdb_file(tmp_path):
    db = tmp_path / "locked.duckdb"
    with open_store(str(db)) as s:
        a = _article()
        s.write_batch([(a, [_event(a)])])
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', flush=True);"
         " time.sleep(60)", str(db)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreError) as info:
            open_store(str(db))
        assert "locked by another process" in str(info.value)
        assert "\n" not in str(info.value)
    finally:
        holder.kill()
        holder.wait()
    with open_store(str(db)) as s:                  # nothing was lost
        assert s.counts().articles == 1


@contextlib.contextmanager
def _tmpfs(path: Path, size: str):
    path.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True)
    if proc.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN)")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def _copies(pairs, i):
    out = []
    for a, evs in pairs:
        a2 = copy.deepcopy(a)
        a2.id = f"{a.id}-{i}"
        out.append((a2, []))
    return out


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small filesystem needs root")
def test_store_full_disk_keeps_committed_batches(tmp_path):
    with _tmpfs(tmp_path / "small", "300k") as mnt:
        db = str(mnt / "full.duckdb")
        pairs = gold_pairs()
        committed = 0
        with open_store(db) as s:
            with pytest.raises(StoreError) as info:
                for i in range(1000):
                    s.write_batch(_copies(pairs, i))
                    committed += len(pairs)
            assert "disk is full" in str(info.value)
            assert "\n" not in str(info.value)
        with open_store(db, read_only=True) as s:
            counts = s.counts()
        assert counts.articles == counts.article_versions == committed > 0


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a read-only filesystem needs root")
def test_store_read_only_location(tmp_path):
    with _tmpfs(tmp_path / "ro", "4m") as mnt:
        db = str(mnt / "ro.duckdb")
        with open_store(db) as s:
            a = _article()
            s.write_batch([(a, [_event(a)])])
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
        with pytest.raises(StoreError) as info:
            open_store(str(mnt / "new.duckdb"))
        assert "\n" not in str(info.value)
        with pytest.raises(StoreError) as info:
            open_store(db)                           # writing needs a writable location
        assert "\n" not in str(info.value)
        with open_store(db, read_only=True) as s:    # reading still works, and nothing was lost
            assert s.counts().articles == 1


def test_store_reading_a_database_that_is_not_a_store(store_url):
    if "://" not in store_url:
        import duckdb

        duckdb.connect(store_url).close()
    with pytest.raises(StoreError, match="is not a sitrep database"):
        open_store(store_url, read_only=True)

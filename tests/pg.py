"""Store test helpers: a throwaway PostgreSQL server, a store fixture over both backends, hand-built events.

The server (initdb + pg_ctl in a temp dir, a free localhost port, trust auth) starts once per test process on
first use and stops at exit. PostgreSQL refuses to run as root, so as root it runs as the `postgres` system
user, or `nobody` when that user does not exist. The binaries are found with `pg_binaries()`: $SITREP_PG_BIN,
then the newest /usr/lib/postgresql/*/bin, then the PATH. PG tests skip only when no `initdb` is found.
"""
from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import glob
import json
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Optional

import pytest

from sitrep.ingest.clean import make_article
from sitrep.model import Article, Casualties, Count, Event, Participant, Place, Source, When

INCIDENTS_DIR = Path(__file__).parent / "data" / "incidents"


def pg_binaries() -> Optional[Path]:
    """The directory holding initdb/pg_ctl, or None."""
    env = os.environ.get("SITREP_PG_BIN")
    if env and (Path(env) / "initdb").exists():
        return Path(env)

    def version(path: str) -> float:
        try:
            return float(Path(path).parent.parent.name)
        except ValueError:
            return 0.0

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=version)
    if found:
        return Path(found[-1]).parent
    which = shutil.which("initdb")
    return Path(which).parent if which else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    """A PostgreSQL cluster in a temp dir; `new_database()` gives each test a fresh, empty store URL."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="sitrep-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.prefix: list[str] = []
        if os.geteuid() == 0:
            user = "postgres"
            try:
                pwd.getpwnam(user)
            except KeyError:
                user = "nobody"
            shutil.chown(self.root, user=user)
            os.chmod(self.root, 0o700)
            self.prefix = ["runuser", "-u", user, "--"]
        self._run("initdb", "-D", str(self.data), "-U", "sitrep", "--auth=trust", "-E", "UTF8", "--no-sync")
        opts = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-o", opts, "-w", "-t", "60", "start")
        self.url = f"postgresql://sitrep@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str) -> None:
        cmd = self.prefix + [str(self.bindir / tool), *args]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            raise RuntimeError(f"{tool} failed: {proc.stderr.strip() or proc.stdout.strip()}")

    def new_database(self) -> str:
        """A URL whose connections see only a new, empty schema (much cheaper than CREATE DATABASE)."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url, autocommit=True) as con:
            con.execute(f"CREATE SCHEMA {name}")
        return f"{self.url}?options=-csearch_path%3D{name}"

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


_SERVER: dict[str, PgServer] = {}


def pg_server() -> PgServer:
    """The process's PostgreSQL server, started on first use (skips the test when PostgreSQL is absent)."""
    if "server" not in _SERVER:
        bindir = pg_binaries()
        if bindir is None:
            pytest.skip("PostgreSQL binaries (initdb, pg_ctl) are not installed")
        server = PgServer(bindir)
        atexit.register(server.stop)
        _SERVER["server"] = server
    return _SERVER["server"]


@pytest.fixture(params=["duckdb", "postgres"])
def store_url(request, tmp_path) -> str:
    """A fresh, empty store location: a DuckDB file, then a new PostgreSQL database."""
    if request.param == "duckdb":
        return str(tmp_path / "sitrep.duckdb")
    return pg_server().new_database()


@pytest.fixture
def store(store_url):
    from sitrep.store import open_store

    s = open_store(store_url)
    yield s
    s.close()


# -- hand-built events ---------------------------------------------------------------------------------------
def make_event(article: Article, phrase: str, event_type: str = "ASSAULT", **fields) -> Event:
    """An Event whose evidence is the sentence containing `phrase` of the article's text."""
    text = article.text
    at = text.find(phrase)
    assert at >= 0, f"{phrase!r} not in article {article.id}"
    start = max(text.rfind(". ", 0, at) + 2, 0) if text.rfind(". ", 0, at) >= 0 else 0
    end = text.find(". ", at)
    end = len(text) if end < 0 else end + 1
    ev = Event(article_id=article.id, event_type=event_type, sentence=text[start:end], sentence_span=(start, end),
               trigger_text=phrase, trigger_span=(at, at + len(phrase)), **fields)
    return ev


def _participant(d: Optional[dict], text: str) -> Optional[Participant]:
    if not d:
        return None
    at = text.find(d["name"])
    span = (at, at + len(d["name"])) if at >= 0 else None
    return Participant(text=d["name"] if at >= 0 else None, span=span, name=d["name"], country=d.get("country"),
                       sector=d.get("sector"))


def gold_articles(path: Path = INCIDENTS_DIR / "articles.jsonl") -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def gold_pairs(records: list[dict] | None = None) -> list[tuple[Article, list[Event]]]:
    """The test articles with the events a correct extractor would give (their `gold_events`)."""
    from sitrep.extract.pipeline import finish_events

    pairs = []
    for rec in records if records is not None else gold_articles():
        article = make_article(rec["id"], rec["text"], title=rec.get("title"), url=rec.get("url"),
                               published=dt.date.fromisoformat(rec["published"]), outlet=rec.get("outlet"))
        events = []
        for g in rec["gold_events"]:
            loc = dict(g["location"])
            at = article.text.find(loc["name"])
            place = Place(text=loc["name"] if at >= 0 else None, span=(at, at + len(loc["name"])) if at >= 0 else None,
                          **loc)
            ev = make_event(
                article, g["trigger"], g["event_type"], mode=g.get("mode"), acled_event_type=g.get("acled_event_type"),
                acled_sub_event_type=g.get("acled_sub_event_type"), location=place,
                date=When(**g["date"]) if g.get("date") else None,
                actor=_participant(g.get("actor"), article.text), recipient=_participant(g.get("recipient"), article.text),
                fatalities=Casualties(total=Count(g["killed"], g["killed"], None)) if g.get("killed") is not None else None,
                injuries=Casualties(total=Count(g["wounded"], g["wounded"], None)) if g.get("wounded") is not None else None,
                sources=[Source(name=s) for s in g.get("sources", [])],
                status=g.get("status", "reported"),
                confidence=0.9,
            )
            ev.warnings.append(g["incident"])   # the expected incident label travels with the event
            events.append(ev)
        finish_events(article, events)
        pairs.append((article, events))
    return pairs


def expected_groups(pairs) -> set[frozenset[str]]:
    """The expected incidents as sets of event ids (reported events sharing a gold `incident` label)."""
    groups: dict[str, set[str]] = {}
    for _article, events in pairs:
        for ev in events:
            if ev.status != "reported":
                continue
            groups.setdefault(ev.warnings[-1], set()).add(ev.event_id)
    return {frozenset(g) for g in groups.values()}


class FakeExtractor:
    """Stands in for the spaCy Extractor: one ASSAULT event per article, on its first sentence."""

    def __init__(self, options=None):
        self.options = options

    def extract(self, article: Article) -> list[Event]:
        from sitrep.extract.pipeline import finish_events

        end = article.text.find(".") + 1 or len(article.text)
        ev = Event(article_id=article.id, event_type="ASSAULT", sentence=article.text[:end], sentence_span=(0, end),
                   trigger_text=article.text[:1], trigger_span=(0, 1),
                   date=When(start=str(article.published), end=str(article.published), precision="day")
                   if article.published else None)
        events = [ev]
        finish_events(article, events)
        return events

    def extract_many(self, articles):
        for article in articles:
            yield article, self.extract(article)


def fake_extractor_factory(options=None) -> FakeExtractor:
    return FakeExtractor(options)

"""Events extracted elsewhere: the Parquet output of `sitrep spark extract` read back as (Article, events)
pairs, in the run's input order, for the store to write as it writes what it extracts itself.

Nothing is extracted again: the store's rows come from each event's record (the `record` column), so the store
holds what a single-process `sitrep ingest` of the same inputs holds. DuckDB reads the part files and joins each
article to its events (by article id and text hash) without holding the run in memory.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Callable, Iterator

from ..errors import InputError
from ..model import Article
from ..spark.schema import ARTICLE_TABLE, EVENT_TABLE, FORMAT, MANIFEST, table_files

FETCH = 256     # articles fetched from DuckDB at a time


@dataclass
class RecordEvent:
    """An event extracted earlier, as its event.schema.json record: all the store needs of an Event."""

    record: dict

    def to_record(self) -> dict:
        return self.record


def _files_sql(files: list[str]) -> str:
    return "[" + ", ".join("'" + f.replace("'", "''") + "'" for f in files) + "]"


def check_manifest(path: str) -> dict:
    try:
        with open(f"{path}/{MANIFEST}", encoding="utf-8") as fh:
            manifest = json.load(fh)
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read its {MANIFEST} ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InputError(f"{path}: {MANIFEST} does not describe a sitrep spark output")
    return manifest


def read_run(path: str, on_error: Callable[[InputError], None]) -> Iterator[tuple[Article, list[RecordEvent]]]:
    """(article, events) for every article of a run's output; a missing or unreadable part is reported through
    `on_error` and nothing of that output is read."""
    import duckdb

    try:
        check_manifest(path)
    except InputError as exc:
        on_error(exc)
        return
    articles = table_files(path, ARTICLE_TABLE)
    events = table_files(path, EVENT_TABLE)
    if not articles:
        return
    # Parts are read in file order and rows in file order: the run's input order, which decides which of two
    # texts of one article id is its latest version.
    scan = "read_parquet({}, filename = true, file_row_number = true)"
    joined = (
        f"WITH e AS (SELECT article_id, content_hash, list(record ORDER BY filename, file_row_number) AS records "
        f"FROM {scan.format(_files_sql(events))} GROUP BY article_id, content_hash) "
        "SELECT a.article_id, a.title, a.url, a.published, a.outlet, a.text, a.warnings, e.records "
        f"FROM {scan.format(_files_sql(articles))} a "
        "LEFT JOIN e ON e.article_id = a.article_id AND e.content_hash = a.content_hash "
        "ORDER BY a.filename, a.file_row_number"
    ) if events else (
        "SELECT article_id, title, url, published, outlet, text, warnings, NULL "
        f"FROM {scan.format(_files_sql(articles))} ORDER BY filename, file_row_number"
    )
    con = duckdb.connect()
    try:
        try:
            cursor = con.execute(joined)
        except duckdb.Error as exc:
            on_error(InputError(f"{path}: cannot read the Spark output ({str(exc).splitlines()[0]})"))
            return
        while True:
            try:
                rows = cursor.fetchmany(FETCH)
            except duckdb.Error as exc:
                on_error(InputError(f"{path}: cannot read the Spark output ({str(exc).splitlines()[0]})"))
                return
            if not rows:
                return
            for art_id, title, url, published, outlet, text, warnings, records in rows:
                article = Article(id=art_id, text=text, title=title, url=url, published=published, outlet=outlet,
                                  warnings=list(json.loads(warnings)) if warnings else [])
                yield article, _events(records or [])
    finally:
        con.close()


def _events(records: list[str]) -> list[RecordEvent]:
    """The events of one article; an article given twice in the run (the same text) has its events twice in
    the events table, and once in the store."""
    seen: set[str] = set()
    out = []
    for text in records:
        record = json.loads(text)
        if record["event_id"] not in seen:
            seen.add(record["event_id"])
            out.append(RecordEvent(record))
    return out

"""What runs in Spark's Python workers: a task reads its pieces, extracts their articles with the worker's
Extractor, and returns rows tagged with where they go (a table, or the driver's error and warning lines).

Plain Python, no pyspark: the same function runs in a test without Spark.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Callable, Iterable, Iterator, Optional

from ..errors import SitrepError
from ..ingest.readers import read_jsonl_part, read_path
from ..model import Article
from ..options import Options
from ..store.rows import content_hash, dumps, event_row
from .plan import Piece
from .schema import ARTICLE_TABLE, EVENT_TABLE, typed

ERROR = "error"
WARNING = "warning"


@lru_cache(maxsize=2)
def worker_extractor(options: Options, factory: Optional[Callable] = None):
    """The Extractor of this Python worker process, built on its first task: spaCy and the lexicons load once
    per worker, and Spark's worker reuse (spark.python.worker.reuse) keeps the process, and with it the
    Extractor, for the worker's next tasks."""
    if factory is not None:
        return factory(options)
    from ..extract.pipeline import Extractor

    return Extractor(options)


def piece_articles(piece: Piece, published: Optional[dt.date],
                   on_error: Callable[[SitrepError], None]) -> Iterator[Article]:
    if piece.end is None:
        yield from read_path(piece.path, published, on_error)
    else:
        yield from read_jsonl_part(piece.path, piece.start, piece.end, piece.first_line, on_error)


def article_row(article: Article, n_events: int) -> tuple:
    """The article as a row of the articles table (the store's own columns left empty)."""
    return typed(ARTICLE_TABLE, (
        article.id, None, content_hash(article.text), None, article.title, article.url, article.published,
        article.outlet, article.text, n_events, dumps(list(article.warnings)), None,
    ))


def run_task(pieces: Iterable[Piece], options: Options, published: Optional[dt.date] = None,
             factory: Optional[Callable] = None) -> Iterator[tuple[str, tuple | str]]:
    """(table, row) for each article and event of the pieces, in input order, and (ERROR, message) for each
    input or article that failed, (WARNING, message) for each article warning. Extraction is that of
    `sitrep extract`: the same Extractor over the same articles gives the same event ids and records."""
    extractor = worker_extractor(options, factory)
    problems: list[SitrepError] = []

    def articles() -> Iterator[Article]:
        for piece in pieces:
            yield from piece_articles(piece, published, problems.append)

    for article, events in extractor.extract_many(articles(), on_error=problems.append):
        while problems:
            yield ERROR, str(problems.pop(0))
        digest = content_hash(article.text)
        yield ARTICLE_TABLE, article_row(article, len(events))
        for event in events:
            yield EVENT_TABLE, typed(EVENT_TABLE, event_row(event.to_record(), None) + (digest,))
        for warning in article.warnings:
            yield WARNING, warning
    while problems:
        yield ERROR, str(problems.pop(0))

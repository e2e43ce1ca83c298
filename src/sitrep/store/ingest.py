"""Ingest: read inputs, extract events (in worker processes if asked), write them to the store batch by batch.

Articles whose exact text is already stored are skipped before extraction, so a re-run after a crash only does
the work that is missing. Each batch is written in one transaction by the parent process; workers never touch
the database. Incidents are brought up to date once the last batch is in: only the events near new or changed
ones are reclustered, and since that step finds its work from the stored tables alone, the first run after a
killed ingest catches up on the batches the killed one stored.
"""
from __future__ import annotations

import collections
import datetime as dt
import logging
import multiprocessing
import signal
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Optional, Sequence

from ..errors import ConfigError, InputError, StoreError
from ..ingest.language import NOT_ENGLISH
from ..ingest.readers import iter_articles
from ..model import Article, Event
from ..options import Options
from .core import Store
from .rows import content_hash

LOGGER = logging.getLogger(__name__)

DEFAULT_BATCH = 64
MAX_WORKERS = 256           # more processes than this is a typo, not a machine
MAX_BATCH = 100_000         # a batch is held in memory and written in one transaction


@dataclass
class IngestReport:
    """What an ingest did, for the CLI's summary line and for tests."""

    read: int = 0              # articles read from the inputs
    skipped: int = 0           # already stored with the same text (not extracted again)
    new_articles: int = 0
    new_versions: int = 0
    unchanged: int = 0
    events: int = 0
    failed: int = 0            # articles whose extraction raised (not stored: a re-run retries them)
    errors: list[str] = field(default_factory=list)     # inputs that could not be read
    failures: list[str] = field(default_factory=list)   # articles whose extraction or storing failed
    warnings: list[str] = field(default_factory=list)   # per-article warnings (bad dates, cut texts, ...)
    not_english: int = 0       # articles that do not look English (see ingest/language.py)
    incidents: int = 0
    multi_article_incidents: int = 0
    commitments: int = 0       # merged commitments in the ledger after the ingest
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors and not self.failures


# One Extractor per worker process, built by the pool initializer: spaCy takes a second or two to load and
# must not be shipped with each task. It lives only inside worker processes.
_WORKER_EXTRACTOR = None


def _init_worker(options: Options, factory: Optional[Callable]) -> None:
    global _WORKER_EXTRACTOR
    # Ctrl-C reaches every process of the terminal's group: the parent alone handles it (one line, exit 130)
    # and terminates the pool; a worker interrupted mid-task would print its own traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER_EXTRACTOR = factory(options) if factory else _default_extractor(options)


def _default_extractor(options: Options):
    from ..extract.pipeline import Extractor

    return Extractor(options)


def extract_chunk(extractor, chunk: Sequence[Article]) -> list[tuple[Article, Optional[list[Event]], str]]:
    """(article, events, error) for each article; one failing article does not sink the chunk.

    Results come in input order, so when the batched generator raises, the article after the last result is
    the one that failed: it is recorded and extraction resumes with the rest (each article extracted once).
    """
    out: list[tuple[Article, Optional[list[Event]], str]] = []
    remaining = list(chunk)
    while remaining:
        done = 0
        try:
            for article, events in extractor.extract_many(remaining):
                out.append((article, events, ""))
                done += 1
            remaining = []
        except Exception as exc:  # noqa: BLE001 - a bug on one article must not lose the batch
            failed = remaining[done]
            out.append((failed, None, f"{failed.id}: extraction failed: {type(exc).__name__}: {exc}"))
            remaining = remaining[done + 1:]
    return out


def _worker_extract(chunk: Sequence[Article]):
    return extract_chunk(_WORKER_EXTRACTOR, chunk)


def unstored(store: Store, articles: Sequence[Article]) -> list[int]:
    """The positions of the articles of a batch that need writing: not those whose text is already the latest
    stored version, nor an earlier text of an article whose later text follows in the same batch when that
    earlier text is stored already (writing it would make it the latest again, only for the later text to
    replace it: an input holding two texts of one article, ingested twice, would change the store)."""
    known = store.article_versions(a.id for a in articles)
    last = {a.id: i for i, a in enumerate(articles)}
    todo = []
    for i, article in enumerate(articles):
        if last[article.id] != i:
            digest = content_hash(article.text)
            if any(h == digest for _v, h, _latest in known.get(article.id, ())):
                continue
        if not store.is_stored(article, known):
            todo.append(i)
    return todo


def _chunks(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    chunk: list[Article] = []
    for article in articles:
        chunk.append(article)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def ingest_articles(
    store: Store,
    articles: Iterable[Article],
    *,
    options: Options | None = None,
    workers: int = 1,
    batch_size: int = DEFAULT_BATCH,
    extractor=None,
    extractor_factory: Optional[Callable] = None,
    progress: Optional[Callable[[int], None]] = None,
    recompute: bool = True,
    rebuild_incidents: bool = False,
    report: IngestReport | None = None,
) -> IngestReport:
    """Extract and store articles; `extractor` (in-process) or `extractor_factory` (picklable) replace spaCy.

    `recompute` brings the incidents up to date afterwards; `rebuild_incidents` recomputes all of them from
    scratch instead, which changed merge rules (data/incident_rules.yaml) need."""
    if not 1 <= workers <= MAX_WORKERS:
        raise ConfigError(f"--workers must be between 1 and {MAX_WORKERS}, not {workers}")
    if not 1 <= batch_size <= MAX_BATCH:
        raise ConfigError(f"--batch-size must be between 1 and {MAX_BATCH:,}, not {batch_size}")
    options = options or Options()
    report = report or IngestReport()
    started = time.perf_counter()
    tick = progress or (lambda n: None)

    def note(article: Article) -> None:
        report.warnings.extend(article.warnings)
        report.not_english += any(NOT_ENGLISH in w for w in article.warnings)

    def fresh(chunk: list[Article]) -> list[Article]:
        report.read += len(chunk)
        todo = [chunk[i] for i in unstored(store, chunk)]
        report.skipped += len(chunk) - len(todo)
        waiting = {id(a) for a in todo}
        for article in chunk:
            if id(article) not in waiting:
                note(article)
        if len(todo) < len(chunk):
            tick(len(chunk) - len(todo))
        return todo

    def fail(message: str) -> None:
        report.failed += 1
        report.failures.append(message)
        LOGGER.debug("%s", message)

    def write(results) -> None:
        pairs = []
        for article, events, error in results:
            note(article)       # workers send the article back with the warnings extraction added
            if error:
                fail(error)
            else:
                pairs.append((article, events))
        for done in store_isolated(store, pairs, fail):
            report.new_articles += done.new_articles
            report.new_versions += done.new_versions
            report.unchanged += done.unchanged
            report.events += done.events
        tick(len(results))

    if workers == 1:
        ex = extractor or (extractor_factory(options) if extractor_factory else None)
        for chunk in _chunks(articles, batch_size):
            todo = fresh(chunk)
            if todo:
                ex = ex or _default_extractor(options)
                write(extract_chunk(ex, todo))
    else:
        # spawn: the parent may hold database threads and file locks that a forked child must not inherit.
        ctx = multiprocessing.get_context("spawn")
        pool = ctx.Pool(workers, initializer=_init_worker, initargs=(options, extractor_factory))
        try:
            inflight: collections.deque = collections.deque()
            for chunk in _chunks(articles, batch_size):
                todo = fresh(chunk)
                if todo:
                    inflight.append(pool.apply_async(_worker_extract, (todo,)))
                # Keep the workers busy but bound memory: write the oldest results once enough are queued.
                while len(inflight) > 2 * workers:
                    write(inflight.popleft().get())
            while inflight:
                write(inflight.popleft().get())
            pool.close()
        except KeyboardInterrupt:
            # One Ctrl-C is enough: another while the pool shuts down would print a traceback.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            raise
        finally:
            pool.terminate()
            pool.join()
    if recompute or rebuild_incidents:
        from ..incidents import recompute_incidents, update_incidents

        summary = recompute_incidents(store) if rebuild_incidents else update_incidents(store)
        report.incidents = summary.incidents
        report.multi_article_incidents = summary.multi_article
        # Commitments are held against the incidents' events: checked once those are up to date.
        from ..commitments.ledger import update_ledger

        ledger = update_ledger(store)
        report.commitments = ledger.commitments
    report.seconds += time.perf_counter() - started
    return report


def store_isolated(store: Store, pairs: list, fail: Callable[[str], None]) -> list:
    """Write a batch in one transaction; when the database refuses it, write its articles one by one so that
    only the article it refuses is lost (reported through `fail`). A store that refuses everything (down, full)
    is not an article's fault: then the error is raised."""
    try:
        return [store.write_batch(pairs)]
    except StoreError as exc:
        if len(pairs) <= 1:
            _check_alive(store, exc)
            for article, _events in pairs:
                fail(f"{article.id}: cannot be stored: {exc}")
            return []
        batch_error = exc
    done, refused = [], []
    for pair in pairs:
        try:
            done.append(store.write_batch([pair]))
        except StoreError as exc:
            _check_alive(store, exc)
            refused.append((pair[0].id, exc))
    if not done:
        raise batch_error
    for article_id, exc in refused:
        fail(f"{article_id}: cannot be stored: {exc}")
    return done


def _check_alive(store: Store, exc: StoreError) -> None:
    """Raise `exc` when the store itself is unusable (the connection is gone), not just one article refused."""
    try:
        store.backend.execute("SELECT 1")
    except StoreError:
        raise exc from None


def ingest_extracted(
    store: Store,
    pairs: Iterable[tuple[Article, list]],
    report: IngestReport,
    *,
    batch_size: int = DEFAULT_BATCH,
    progress: Optional[Callable[[int], None]] = None,
) -> IngestReport:
    """Store (article, events) pairs extracted elsewhere (the output of `sitrep spark extract`), batch by
    batch and as idempotently as `ingest_articles` stores what it extracts; incidents are not updated here."""
    tick = progress or (lambda n: None)

    def fail(message: str) -> None:
        report.failed += 1
        report.failures.append(message)

    for chunk in _chunks(pairs, batch_size):
        report.read += len(chunk)
        todo = [chunk[i] for i in unstored(store, [a for a, _events in chunk])]
        report.skipped += len(chunk) - len(todo)
        for article, _events in chunk:
            report.warnings.extend(article.warnings)
            report.not_english += any(NOT_ENGLISH in w for w in article.warnings)
        for done in store_isolated(store, todo, fail) if todo else ():
            report.new_articles += done.new_articles
            report.new_versions += done.new_versions
            report.unchanged += done.unchanged
            report.events += done.events
        tick(len(chunk))
    return report


def ingest_paths(
    store: Store,
    paths: Sequence[str],
    *,
    published: Optional[dt.date] = None,
    on_error: Optional[Callable[[InputError], None]] = None,
    **kwargs,
) -> IngestReport:
    """Ingest every article of the given inputs (files, '-' for stdin); unreadable inputs are reported, not fatal.
    The folder a `sitrep spark extract` run wrote is loaded as it is, without extracting again."""
    from ..spark.schema import is_run_output
    from .extracted import read_run

    report = IngestReport()

    def record_error(exc: InputError) -> None:
        report.errors.append(str(exc))
        if on_error:
            on_error(exc)
        else:
            LOGGER.error("%s", exc)

    runs = [p for p in paths if p != "-" and is_run_output(p)]
    if runs:
        started = time.perf_counter()
        if not 1 <= kwargs.get("batch_size", DEFAULT_BATCH) <= MAX_BATCH:
            raise ConfigError(f"--batch-size must be between 1 and {MAX_BATCH:,}, not {kwargs['batch_size']}")
        for path in runs:
            ingest_extracted(store, read_run(path, record_error), report,
                             batch_size=kwargs.get("batch_size", DEFAULT_BATCH), progress=kwargs.get("progress"))
        report.seconds += time.perf_counter() - started
        paths = [p for p in paths if p not in runs]
        if not paths:
            kwargs["workers"] = 1       # only the incidents are left to update: no extraction processes
    articles = iter_articles(paths, published=published, on_error=record_error)
    return ingest_articles(store, articles, report=report, **kwargs)

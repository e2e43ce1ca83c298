"""Extractor factories for the Spark tests. They run inside Spark's Python workers, which cannot import the test
modules: test_spark.py ships this module to them by value (cloudpickle.register_pickle_by_value)."""
from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RecordingFactory:
    """Builds the real Extractor and leaves a file `<pid>-<n>` in `builds` for each one it builds.

    With `crash_on` set, the worker that reaches that article first (no `crashed` file yet in `builds`) dies
    at once, as a killed executor would, after the task has already produced rows for earlier articles."""

    builds: str
    crash_on: str | None = None

    def __call__(self, options):
        from sitrep.extract.pipeline import Extractor

        Path(self.builds, f"{os.getpid()}-{uuid.uuid4().hex[:6]}").touch()
        return CrashingExtractor(Extractor(options), self.builds, self.crash_on)


class CrashingExtractor:
    def __init__(self, inner, builds: str, crash_on: str | None):
        self.inner, self.builds, self.crash_on = inner, builds, crash_on

    def extract_many(self, articles, on_error=None):
        for article, events in self.inner.extract_many(articles, on_error=on_error):
            marker = Path(self.builds, "crashed")
            if article.id == self.crash_on and not marker.exists():
                marker.write_text(str(os.getpid()))
                os._exit(3)      # no cleanup, no exception: the Python worker just ends
            yield article, events


def probe_worker_extractor(items, options):
    """A Spark task that looks up its worker's Extractor as a sitrep task does, and says where it came from:
    (worker pid, its parent's pid, whether the Extractor was already built before this lookup, events of a
    sentence through it)."""
    from sitrep.model import Article
    from sitrep.spark.worker import worker_extractor

    list(items)
    misses = worker_extractor.cache_info().misses
    extractor = worker_extractor(options, None)
    prebuilt = worker_extractor.cache_info().misses == misses
    article = Article(id="probe", text="Rebels attacked the town of Beni on Sunday, killing four civilians.")
    events = [e for _a, found in extractor.extract_many([article]) for e in found]
    yield os.getpid(), os.getppid(), prebuilt, len(events)

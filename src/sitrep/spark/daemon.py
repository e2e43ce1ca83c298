"""The Python daemon of sitrep's Spark runs (`spark.python.daemon.module=sitrep.spark.daemon`): pyspark's own
daemon, which forks one Python worker per task slot, started after this module has built the Extractor (spaCy,
the lexicons, the gazetteer) of the run's options. The forked workers find it built (worker.worker_extractor's
cache) and share its memory copy-on-write, as processes forked from one parent do: an executor with N cores
builds the Extractor once, not N times, and its workers start their first task at once.

The driver puts the run's Options in the workers' environment (OPTIONS_ENV, JSON); without them, or when the build
fails, the daemon starts as pyspark's does and each worker builds its own Extractor on its first task (it reports
the failure there, as without this module). In a local run the driver has started a zygote (zygote.py) that has
been building the Extractor while the JVM started: this daemon then hands its place over to it and waits.

Imports stay light here (no spaCy until `preload`): the daemon that hands over does not load what it will not use.
"""
from __future__ import annotations

import dataclasses
import gc
import json
import os
import sys
from typing import TYPE_CHECKING, Mapping, Optional

if TYPE_CHECKING:
    from ..options import Options

OPTIONS_ENV = "SITREP_SPARK_OPTIONS"
MODULE = __name__


def options_json(options: "Options") -> str:
    """The run's Options as the daemon reads them from OPTIONS_ENV."""
    return json.dumps(dataclasses.asdict(options), sort_keys=True)


def run_options(environ: Mapping[str, str]) -> Optional["Options"]:
    """The Options the driver put in the environment, or None."""
    from ..options import Options

    text = environ.get(OPTIONS_ENV)
    return Options(**json.loads(text)) if text else None


def preload(environ: Mapping[str, str]) -> bool:
    """Build the Extractor of the run's options into the worker cache; whether one was built."""
    from .worker import worker_extractor

    options = run_options(environ)
    if options is None:
        return False
    worker_extractor(options, None)     # the very call (same arguments) that a task makes: a cache hit then
    return True


def main() -> None:
    from .zygote import ZYGOTE_ENV, hand_over, wait_for

    zygote = os.environ.get(ZYGOTE_ENV)
    pid = hand_over(zygote) if zygote else None
    if pid is not None:
        wait_for(pid)
        return
    # The daemon's stdout carries its port to the JVM: while the Extractor loads, anything written there (a
    # library's print, a C extension's message) goes to stderr instead.
    stdout = os.dup(1)
    os.dup2(2, 1)
    try:
        preload(os.environ)
    except Exception as exc:  # noqa: BLE001 - the workers build their own and report what fails, per task
        print(f"sitrep.spark.daemon: the Extractor was not built ahead: {exc}", file=sys.stderr)
    finally:
        sys.stdout.flush()
        os.dup2(stdout, 1)
        os.close(stdout)
    # What is loaded now lives as long as the workers: out of the collector's sight, a worker's collections (one
    # after each task) neither walk it nor write to its pages, which would copy them into every worker.
    gc.freeze()
    from pyspark.daemon import manager

    manager()


if __name__ == "__main__":
    main()

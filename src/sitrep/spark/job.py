"""The driver of `sitrep spark extract`: plans the tasks, runs them on Spark and writes the Parquet output.

One task per group of input pieces (plan.py); each Python worker loads spaCy once (worker.py). Each task writes
its articles and events as Parquet files itself, in one pass over its articles (writer.py), and sends the driver
only its counts and message lines. The driver commits as Spark's output committer would: it keeps the files of
each task's successful attempt, so a task whose worker dies is run again and its rows appear once. The output
folder is written beside its final name and renamed into place when complete.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import re
import shutil
import sys
import uuid
import warnings
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable, Optional, Sequence

from ..errors import ConfigError, InputError, SparkJobError
from ..options import Options
from .daemon import MODULE as DAEMON_MODULE, OPTIONS_ENV, options_json
from .jvm import ClassArchive, class_archive, finish_archive
from .plan import Piece, expand_inputs, plan_tasks
from .schema import ARTICLE_TABLE, EVENT_TABLE, FORMAT, MANIFEST, is_run_output
from .writer import TaskOutput, write_task
from .zygote import ZYGOTE_ENV, Zygote, start_zygote, stop_zygote

LOGGER = logging.getLogger(__name__)

INSTALL_HINT = "sitrep spark needs the spark extra (pyspark and Java 17): pip install 'sitrep[spark]'"
# How often a failed task is tried again before the run fails; Spark's own default on a cluster. A local master
# tries a task once unless told (local[N,F]), so local[N] is run as local[N,TASK_ATTEMPTS].
TASK_ATTEMPTS = 4
TASKS_PER_CORE = 4      # more tasks than cores: a long article in one task does not leave the other cores idle
_LOCAL = re.compile(r"local\[(\d+|\*)\]")
_MASTER = re.compile(r"local(\[\s*(\d+|\*)\s*(,\s*\d+\s*)?\])?|local-cluster\[[\d\s,]+\]|yarn|(spark|k8s|mesos)://\S+")
LOG4J = Path(__file__).with_name("log4j2.properties")
# A local run's JVM only schedules tasks and passes a few bytes per task (the Python workers read, extract and
# write): its quick-start compiler and one GC thread leave the cores to them. Measured on the shared 2 cores:
# a session start and a first job in about 110 s instead of 160-180 s at load 14 (bench/bench_spark.py).
LOCAL_JVM_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
# pyspark warns about its support of pandas 3, which sitrep does not use
PANDAS_WARNING = ".*PySpark does not yet fully support pandas.*"


@dataclass
class SparkReport:
    """What a Spark run did, for the CLI's summary line and for tests."""

    inputs: int = 0
    tasks: int = 0
    articles: int = 0
    events: int = 0
    errors: list[str] = field(default_factory=list)
    n_warnings: int = 0                                     # per-article warnings (bad dates, cut texts, ...)
    warnings: list[str] = field(default_factory=list)       # their text, when asked for (list_warnings)
    output: str = ""


def require_pyspark():
    """The pyspark module, or a ConfigError that says how to install it."""
    try:
        import pyspark
    except ImportError:
        raise ConfigError(INSTALL_HINT) from None
    return pyspark


def check_master(master: str) -> str:
    """The master URL, or ConfigError for one Spark would refuse (its launcher prints a Java stack trace)."""
    if not _MASTER.fullmatch(master.strip()):
        raise ConfigError(f"--master {master!r}: expected local, local[N], local[*], spark://HOST:PORT, yarn or "
                          "k8s://URL")
    return master.strip()


def is_local(master: Optional[str]) -> bool:
    """Whether the master runs everything in this machine's one JVM (no master: local[*], sitrep's default)."""
    return master is None or master.strip().startswith("local") and not master.strip().startswith("local-cluster")


def local_master(master: str) -> str:
    """local[N] -> local[N,TASK_ATTEMPTS], so that a local run retries a failed task as a cluster does."""
    match = _LOCAL.fullmatch(master.strip())
    if match:
        return f"local[{match.group(1)},{TASK_ATTEMPTS}]"
    if master.strip() == "local":
        return f"local[1,{TASK_ATTEMPTS}]"
    return master


def start_session(master: Optional[str] = None, conf: Optional[dict] = None,
                  class_archive: Optional[ClassArchive] = None):
    """A SparkSession for sitrep: the given master (default: the one spark-submit set, else local[*]); outside
    spark-submit also worker reuse on, sitrep's Python daemon, four attempts per task, the console quiet, and,
    when local, the Python workers on this interpreter and the JVM started from `class_archive` (jvm.py).
    `conf` (spark.* settings) comes last."""
    require_pyspark()
    from pyspark.sql import SparkSession

    if master is not None:
        master = check_master(master)
    if not shutil.which("java") and not os.environ.get("JAVA_HOME"):
        raise ConfigError("Spark needs Java 17 and none was found: install it (Debian: apt-get install "
                          "openjdk-17-jre-headless) or set JAVA_HOME")
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ      # started by spark-submit: its settings stand
    if master is None and not submitted:
        master = "local[*]"
    builder = SparkSession.builder.appName("sitrep-extract")
    if master is not None:
        builder = builder.master(local_master(master))
    settings = {} if submitted else {
        "spark.python.worker.reuse": "true",
        # sitrep's daemon builds the Extractor once and forks the workers from it (daemon.py)
        "spark.python.daemon.module": DAEMON_MODULE,
        "spark.task.maxFailures": str(TASK_ATTEMPTS),
        "spark.ui.showConsoleProgress": "false",
        "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile={LOG4J.as_uri()}",
    }
    if master is not None and master.startswith("local"):
        settings["spark.ui.enabled"] = "false"
        if not submitted:
            settings["spark.driver.extraJavaOptions"] += " " + LOCAL_JVM_OPTIONS
            if class_archive is not None:
                settings["spark.driver.extraJavaOptions"] += " " + class_archive.java_options()
        # The workers must see sitrep and spaCy: this interpreter has them, the `python3` on PATH may not.
        # pyspark's SparkContext reads the workers' interpreter from this variable, not from its settings.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    settings.update(conf or {})
    for key, value in settings.items():
        builder = builder.config(key, value)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=PANDAS_WARNING)
            session = builder.getOrCreate()
    except Exception as exc:  # noqa: BLE001 - no Java, a bad master URL: one line, not a JVM trace
        raise SparkJobError(f"cannot start Spark: {_reason(exc)}") from None
    if master is not None and master.startswith("local"):
        # a retried task logs a page of stack trace at ERROR; sitrep says what failed in its own one line
        session.sparkContext.setLogLevel("FATAL")
    return session


def _active_session():
    from pyspark.sql import SparkSession

    return SparkSession.getActiveSession()


def check_output(output: str, inputs: Sequence[str]) -> None:
    """ConfigError for an output that would destroy something: an input, or a file or folder that is not the
    output of an earlier run (that one is replaced)."""
    if not output or output == "-":
        raise ConfigError("-o: give the folder to write the Parquet output to, e.g. -o events.parquet")
    target = Path(output)
    for path in inputs:
        if path != "-" and os.path.exists(path) and target.exists():
            try:
                inside = Path(path).resolve().is_relative_to(target.resolve())
            except OSError:
                inside = False
            if inside:
                raise ConfigError(f"-o {output} is or holds the input {path}; writing there would destroy it")
    if target.exists() and not is_run_output(output):
        raise ConfigError(f"-o {output} exists and is not the output of an earlier `sitrep spark extract`; "
                          "choose a new name or remove it")
    if not target.parent.resolve().is_dir():
        raise ConfigError(f"-o {output}: folder {target.parent} does not exist")


def _reason(exc: BaseException) -> str:
    """The last meaningful line of a Spark or Py4J error (the JVM's message is a page of stack trace)."""
    text = str(exc)
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for line in reversed(lines):
        if re.match(r"^[\w.]*(Error|Exception)\b", line) and not line.startswith(("at ", "py4j")):
            return line[:300]
    return (lines[0] if lines else type(exc).__name__)[:300]


def extract_to_parquet(
    inputs: Sequence[str],
    output: str,
    *,
    session=None,
    master: Optional[str] = None,
    partitions: Optional[int] = None,
    published: Optional[dt.date] = None,
    options: Optional[Options] = None,
    extractor_factory: Optional[Callable] = None,
    on_error: Optional[Callable[[InputError], None]] = None,
    conf: Optional[dict] = None,
    list_warnings: bool = False,
) -> SparkReport:
    """Extract the events of `inputs` on Spark and write the articles and events tables under `output`.

    `session`, or the SparkSession this process already runs (a notebook, tests), is used and left running;
    otherwise one is started on `master` and stopped at the end. `partitions` is the number of tasks (default TASKS_PER_CORE per core).
    `extractor_factory(options)` replaces the Extractor (picklable; tests)."""
    if partitions is not None and not 1 <= partitions <= 1_000_000:
        raise ConfigError(f"--partitions must be between 1 and 1,000,000, not {partitions}")
    check_output(output, inputs)
    require_pyspark()
    options = options or Options()
    report = SparkReport(output=output)

    def input_error(exc: InputError) -> None:
        report.errors.append(str(exc))
        if on_error:
            on_error(exc)

    paths = list(expand_inputs(inputs, input_error))
    report.inputs = len(paths)
    if not paths:
        return report
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=PANDAS_WARNING)
        if session is None:
            session = _active_session()
        own = session is None     # a session this process already runs (a notebook, a test) is left running
        archive = zygote = None
        if own and is_local(master) and "PYSPARK_GATEWAY_PORT" not in os.environ:
            archive = class_archive()
            if extractor_factory is None:
                zygote = start_zygote(options_json(options))    # loads the Extractor while the JVM starts
        try:
            if own:
                session = start_session(master, conf, archive)
            _run(session, paths, output, partitions, published, options, extractor_factory, report, on_error,
                 list_warnings, zygote)
        finally:
            if own and session is not None:
                session.stop()
                if archive is not None and archive.write:
                    finish_archive(archive)     # the first local run on this machine: later ones start from it
            if zygote is not None:
                stop_zygote(zygote)
    return report


def _run(session, paths: list[str], output: str, partitions: Optional[int], published, options: Options,
         factory, report: SparkReport, on_error, list_warnings: bool, zygote: Optional[Zygote] = None) -> None:
    sc = session.sparkContext
    tasks = plan_tasks(paths, partitions or TASKS_PER_CORE * sc.defaultParallelism)
    report.tasks = len(tasks)
    target = Path(output)
    staging = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.part")
    attempts = staging / "_attempts"
    try:
        attempts.mkdir(parents=True)
        work = partial(_partition, folder=str(attempts), options=options, published=published, factory=factory,
                       list_warnings=list_warnings)
        # One pass: each task writes its own files and sends back only its counts, paths and message lines.
        with _daemon_options(sc, None if factory else options, zygote):
            outputs = sc.parallelize(tasks, len(tasks)).mapPartitions(work).collect()
        _commit(outputs, len(tasks), staging)
        shutil.rmtree(attempts)
        for out in outputs:
            report.articles += out.rows[ARTICLE_TABLE]
            report.events += out.rows[EVENT_TABLE]
            report.n_warnings += out.n_warnings
            report.warnings.extend(out.warnings)
            for message in out.errors:
                report.errors.append(message)
                if on_error:
                    on_error(InputError(message))
        manifest = {"format": FORMAT, "version": 1, "tables": [ARTICLE_TABLE, EVENT_TABLE],
                    "articles": report.articles, "events": report.events, "errors": len(report.errors),
                    "inputs": report.inputs, "tasks": report.tasks}
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        _replace(staging, target)
    except SparkJobError:
        raise
    except OSError as exc:
        raise SparkJobError(f"cannot write {output}: {exc.strerror or exc}") from None
    except Exception as exc:  # noqa: BLE001 - a failed Spark job arrives as a Py4J error with a JVM trace
        if type(exc).__module__.startswith(("py4j", "pyspark")):
            raise SparkJobError(f"the Spark job failed: {_reason(exc)}") from None
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


@contextlib.contextmanager
def _daemon_options(sc, options: Optional[Options], zygote: Optional[Zygote] = None):
    """The run's Options in the Python workers' environment while its job runs, for sitrep's daemon to build
    their Extractor before it forks them (daemon.py; nothing to build for a test's extractor factory), and the
    socket of the zygote that has been building it (zygote.py). Spark keeps one daemon per worker environment:
    a later run with the same options finds it running."""
    values = {OPTIONS_ENV: options_json(options) if options is not None else None,
              ZYGOTE_ENV: zygote.socket_path if zygote is not None else None}
    before = {key: sc.environment.get(key) for key in values}
    for key, value in values.items():
        _set(sc.environment, key, value)
    try:
        yield
    finally:
        for key, value in before.items():
            _set(sc.environment, key, value)


def _set(environment: dict, key: str, value: Optional[str]) -> None:
    if value is None:
        environment.pop(key, None)
    else:
        environment[key] = value


def _commit(outputs: list[TaskOutput], n_tasks: int, staging: Path) -> None:
    """Move the files of each task's successful attempt (those whose summary came back) into place, named by
    task so that file order is input order; files of failed or duplicate attempts stay behind and go with
    the staging folder."""
    outputs.sort(key=lambda out: out.partition)
    if [out.partition for out in outputs] != list(range(n_tasks)):
        raise SparkJobError(f"the Spark job returned {len(outputs)} task results for {n_tasks} tasks")
    for table in (ARTICLE_TABLE, EVENT_TABLE):
        folder = staging / f"{table}.parquet"
        folder.mkdir()
        for out in outputs:
            os.replace(out.files[table], folder / f"part-{out.partition:05d}.snappy.parquet")


def _replace(staging: Path, target: Path) -> None:
    """Move the finished output into place; an earlier run's output there is removed only after that."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.old")
        os.replace(target, old)
    os.replace(staging, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _partition(items, *, folder: str, options: Options, published, factory, list_warnings: bool):
    """One Spark partition: its task's pieces (one list) through the worker's extractor into this attempt's files."""
    from pyspark import TaskContext

    context = TaskContext.get()
    pieces: list[Piece] = [piece for task in items for piece in task]
    yield write_task(pieces, folder, context.partitionId(), context.taskAttemptId(), options, published, factory,
                     list_warnings)

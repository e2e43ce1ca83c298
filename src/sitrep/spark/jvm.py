"""The start of a local run's Spark JVM from a class-data archive (Java's AppCDS).

A Spark driver loads and verifies about 10,000 classes before its first task; in a local run that is most of the
JVM's work. Java 17 can save the classes a run loaded, already parsed and verified, in an archive, and a later JVM
maps the archive instead of loading them again: measured on the shared 2 cores, a session start plus a first job
took 7.1 CPU-s with the archive against 12.4 without (bench/bench_spark.py has the whole-run figures).

The first local `sitrep spark extract` on a machine writes the archive as its JVM exits (a few seconds more, once);
the later ones start from it. It lives in sitrep's cache folder ($SITREP_CACHE_DIR, else the user cache dir; about
110 MB), named by the Java, pyspark and Python it was made with, so an upgrade makes a new one; a JVM that finds
it unusable starts without it, as without this module. SITREP_SPARK_CLASS_ARCHIVE=off turns it off; set to a folder,
it keeps the archive there instead.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

ARCHIVE_ENV = "SITREP_SPARK_CLASS_ARCHIVE"
# The JVM logs every class it cannot archive (Spark has a few hundred) and, when an archive does not match,
# why; neither changes what the run does, and its stdout and stderr are the user's console.
QUIET = "-Xlog:cds=off -Xlog:cds+dynamic=off"
EXIT_WAIT = 300         # seconds for the JVM to write the archive once the run is over


@dataclass(frozen=True)
class ClassArchive:
    """The archive of a run: read from `path`, or (`write`) written to `part` at the JVM's exit, then moved to
    `path`."""

    path: Path
    write: bool
    part: Optional[Path] = None

    def java_options(self) -> str:
        if self.write:
            return f"-XX:ArchiveClassesAtExit={self.part} {QUIET}"
        return f"-XX:SharedArchiveFile={self.path} {QUIET}"


def _java() -> Optional[str]:
    home = os.environ.get("JAVA_HOME")
    found = os.path.join(home, "bin", "java") if home else shutil.which("java")
    return os.path.realpath(found) if found and os.path.exists(found) else None


def class_archive(folder: Optional[Path] = None) -> Optional[ClassArchive]:
    """The archive for this machine's Java and pyspark: to read when it exists, to write when not; None when
    turned off or when no Java or no writable cache folder is found (the run starts as without it)."""
    setting = os.environ.get(ARCHIVE_ENV, "").strip()
    if setting.lower() in ("0", "off", "false", "no"):
        return None
    if setting and folder is None:
        folder = Path(setting)
    java = _java()
    if java is None:
        return None
    import pyspark

    from ..resolve.gazetteer_core import cache_dir

    stamp = f"{java} {os.stat(java).st_mtime_ns} {pyspark.__version__} {os.path.dirname(pyspark.__file__)} " \
            f"{sys.version}"
    name = f"spark-classes-{hashlib.sha256(stamp.encode()).hexdigest()[:16]}.jsa"
    folder = Path(folder) if folder is not None else cache_dir()
    path = folder / name
    if path.is_file():
        return ClassArchive(path, write=False)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    if not os.access(folder, os.W_OK):
        return None
    return ClassArchive(path, write=True, part=folder / f".{name}.{os.getpid()}.part")


def finish_archive(archive: ClassArchive) -> bool:
    """After the run's session stopped: end its JVM, which writes the archive as it exits, and move the archive
    into place (whole or not at all: a run that starts meanwhile finds none and starts without). Whether it was
    written. pyspark keeps its JVM until the Python process ends; this ends it at once (closing its stdin, as
    pyspark does at exit), and the next session in this process starts a new one."""
    from pyspark import SparkContext

    gateway = SparkContext._gateway
    proc = getattr(gateway, "proc", None)
    if proc is None or archive.part is None:
        return False
    try:
        gateway.shutdown()
        proc.stdin.close()
        proc.wait(timeout=EXIT_WAIT)
    except (OSError, subprocess.TimeoutExpired):
        proc.kill()
        archive.part.unlink(missing_ok=True)
        return False
    finally:
        SparkContext._gateway = None
        SparkContext._jvm = None
    try:
        if proc.returncode == 0 and archive.part.is_file() and archive.part.stat().st_size > 0:
            os.replace(archive.part, archive.path)
            return True
        return False
    finally:
        archive.part.unlink(missing_ok=True)

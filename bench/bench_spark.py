"""Spark throughput: `sitrep spark extract --master local[2]` against `sitrep ingest --workers 2` and
`--workers 1` on the same articles, in one run, on the same cores.

Each figure is a whole command as a user runs it (Python, JVM and spaCy start-up included). What each command's
output work is: `ingest` extracts and writes a new DuckDB store (articles, events, spans, incidents, the
commitment ledger); `spark extract` extracts and writes Parquet (the articles and events tables). So the Spark
run is timed alone (articles to Parquet) and with the `sitrep ingest` of its output (articles to the store, what
`ingest` does). Goals: Spark >= 90% of --workers 2; --workers 2 >= 1.7x one worker.

Beside the wall time, each command's CPU seconds (its whole process tree: JVM, Python daemon and workers
included, sampled from /proc), which the other work on a shared machine moves far less than the wall time.

A local Spark run starts its JVM from a class-data archive that the first run on a machine writes
(sitrep/spark/jvm.py); when there is none yet, one untimed run on a single article writes it first.

    python bench/bench_spark.py [INPUT.jsonl ...] [--repeat N] [--partitions N]

--repeat N reads the input N times under new ids (a longer run, so that start-up weighs less). Without inputs
it reads ../shared/eval-data/dev/*.jsonl and says so when that is absent.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_INPUTS = sorted(glob.glob(str(REPO.parent / "shared" / "eval-data" / "dev" / "*.jsonl")))

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ingest import count_articles  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def _descendants() -> dict[int, float]:
    """CPU seconds so far of every process below this one."""
    children: dict[int, list[tuple[int, float]]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", encoding="ascii", errors="replace") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        children.setdefault(int(fields[1]), []).append((int(name), (int(fields[11]) + int(fields[12])) / TICKS))
    found, todo = {}, [os.getpid()]
    while todo:
        for pid, cpu in children.get(todo.pop(), []):
            found[pid] = cpu
            todo.append(pid)
    return found


def timed(cmd: list[str]) -> tuple[float, float, str]:
    """Wall time and CPU seconds of a command's whole process tree (sampled every 0.1 s; processes that leave
    their parent, such as Spark's JVM and Python daemon, are kept as this process's descendants), and a note
    when it did not exit 0 (its last error line)."""
    import ctypes

    ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)        # PR_SET_CHILD_SUBREAPER: orphans become our children
    seen: dict[int, float] = {}
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    while proc.poll() is None:
        for pid, cpu in _descendants().items():
            seen[pid] = max(seen.get(pid, 0.0), cpu)
        time.sleep(0.1)
    took = time.perf_counter() - started
    stderr = proc.stderr.read()
    while True:                                     # reap what the command left behind (a JVM ending)
        for pid, cpu in _descendants().items():
            seen[pid] = max(seen.get(pid, 0.0), cpu)
        try:
            if os.waitpid(-1, os.WNOHANG)[0] == 0:
                time.sleep(0.1)
        except ChildProcessError:
            break
    note = ""
    if proc.returncode != 0:
        last = (stderr.strip().splitlines() or ["?"])[-1]
        note = f"  [exit {proc.returncode}: {last[:100]}]"
    return took, sum(seen.values()), note


def repeated(paths: list[str], times: int, folder: str) -> list[str]:
    """The inputs `times` over as new JSONL files, each copy's ids made unique (r1:, r2: ...)."""
    if times == 1:
        return paths
    out = []
    for n in range(times):
        for path in paths:
            target = Path(folder, f"r{n}-{Path(path).name}")
            with open(path, encoding="utf-8") as src, open(target, "w", encoding="utf-8") as dst:
                for line in src:
                    if line.strip():
                        rec = json.loads(line)
                        rec["id"] = f"r{n}:{rec['id']}"
                        dst.write(json.dumps(rec, ensure_ascii=False) + "\n")
            out.append(str(target))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", nargs="*", default=DEFAULT_INPUTS)
    parser.add_argument("--repeat", type=int, default=1, help="read the inputs this many times (new ids)")
    parser.add_argument("--partitions", type=int, help="Spark tasks (default: sitrep's, 4 per core)")
    args = parser.parse_args()
    if not args.inputs:
        print("bench: skipped - no inputs (../shared/eval-data/dev/*.jsonl is absent); give JSONL files")
        return 0
    try:
        import pyspark  # noqa: F401
    except ImportError:
        print("bench: skipped - pyspark is not installed (pip install 'sitrep[spark]')")
        return 0
    sitrep = [sys.executable, "-m", "sitrep.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        inputs = repeated(args.inputs, args.repeat, tmp)
        n = count_articles(inputs)
        print(f"{n} articles from {len(inputs)} file(s); load average {os.getloadavg()[0]:.1f} "
              f"on {os.cpu_count()} cores", flush=True)
        if _archive_missing():
            first = sitrep + ["spark", "extract", *_one_article(inputs[0], tmp), "-o", f"{tmp}/first.parquet",
                              "--master", "local[2]"]
            took_first, _cpu, note = timed(first)
            print(f"(no class-data archive yet: a first Spark run on one article wrote it in {took_first:.1f} s"
                  f"{note})", flush=True)
        spark = sitrep + ["spark", "extract", *inputs, "-o", f"{tmp}/run.parquet", "--master", "local[2]"]
        if args.partitions:
            spark += ["--partitions", str(args.partitions)]
        runs = [
            ("ingest --workers 1", sitrep + ["ingest", *inputs, "--db", f"{tmp}/w1.duckdb", "--no-progress"]),
            ("ingest --workers 2", sitrep + ["ingest", *inputs, "--db", f"{tmp}/w2.duckdb", "--workers", "2",
                                             "--no-progress"]),
            ("spark extract local[2]", spark),
            ("ingest of the spark output", sitrep + ["ingest", f"{tmp}/run.parquet", "--db", f"{tmp}/sp.duckdb",
                                                     "--no-progress"]),
        ]
        took, cpu = {}, {}
        for label, cmd in runs:
            took[label], cpu[label], note = timed(cmd)
            print(f"{label:<28} {took[label]:7.1f} s  {n / took[label]:7.1f} articles/s  {cpu[label]:6.1f} CPU-s"
                  f"{note}", flush=True)
        print(f"load average {os.getloadavg()[0]:.1f} at the end", flush=True)
    w1, w2 = n / took["ingest --workers 1"], n / took["ingest --workers 2"]
    spark_alone = n / took["spark extract local[2]"]
    spark_store = n / (took["spark extract local[2]"] + took["ingest of the spark output"])
    print(f"spark + ingest of its output          {spark_store:7.1f} articles/s")
    print(f"spark / --workers 2: {spark_alone / w2:.2f} (to Parquet), {spark_store / w2:.2f} (to the store); "
          f"goal >= 0.90")
    print(f"--workers 2 / --workers 1: {w2 / w1:.2f}; goal >= 1.70")
    print(f"CPU-s, spark / --workers 2: {cpu['spark extract local[2]'] / cpu['ingest --workers 2']:.2f}")
    return 0


def _archive_missing() -> bool:
    from sitrep.spark.jvm import class_archive

    archive = class_archive()
    return archive is not None and archive.write


def _one_article(path: str, folder: str) -> list[str]:
    target = Path(folder, "one.jsonl")
    with open(path, encoding="utf-8") as src:
        target.write_text(next(line for line in src if line.strip()), encoding="utf-8")
    return [str(target)]


if __name__ == "__main__":
    sys.exit(main())

"""Ingest throughput: `sitrep extract` alone vs `sitrep ingest --workers 1` and `--workers N` into a fresh DuckDB.

Each run is a whole command (model loading included), as a user would see it. Prints articles/second.

    python bench/bench_ingest.py [INPUT.jsonl ...] [--workers 2]
"""
from __future__ import annotations

import argparse
import glob
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_INPUTS = sorted(glob.glob(str(REPO.parent / "shared" / "eval-data" / "dev" / "*.jsonl")))


def count_articles(paths: list[str]) -> int:
    return sum(1 for p in paths for line in Path(p).read_text(encoding="utf-8").splitlines() if line.strip())


def timed(cmd: list[str]) -> tuple[float, str]:
    """Wall time of a command, and a note when it did not exit 0 (its last error line)."""
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    took = time.perf_counter() - started
    note = ""
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["?"])[-1]
        note = f"  [exit {proc.returncode}: {last[:100]}]"
    return took, note


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", nargs="*", default=DEFAULT_INPUTS)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not args.inputs:
        sys.exit("bench: no inputs (../shared/eval-data/dev/*.jsonl is absent); give JSONL files")
    n = count_articles(args.inputs)
    sitrep = [sys.executable, "-m", "sitrep.cli"]
    print(f"{n} articles from {len(args.inputs)} file(s)")
    with tempfile.TemporaryDirectory() as tmp:
        runs = [
            ("extract (no store)", sitrep + ["extract", *args.inputs, "--format", "jsonl", "-o", f"{tmp}/x.jsonl"]),
            ("ingest --workers 1", sitrep + ["ingest", *args.inputs, "--db", f"{tmp}/w1.duckdb", "--no-progress"]),
            (f"ingest --workers {args.workers}",
             sitrep + ["ingest", *args.inputs, "--db", f"{tmp}/wn.duckdb", "--workers", str(args.workers),
                       "--no-progress"]),
            ("ingest again (all stored)", sitrep + ["ingest", *args.inputs, "--db", f"{tmp}/wn.duckdb",
                                                    "--no-progress"]),
        ]
        for label, cmd in runs:
            took, note = timed(cmd)
            print(f"{label:<28} {took:7.1f} s  {n / took:7.1f} articles/s{note}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Spark throughput: `sitrep spark extract --master local[2]` against `sitrep ingest --workers 2` and
`--workers 1` on the same articles, in one run, on the same cores.

Each figure is a whole command as a user runs it (Python, JVM and spaCy start-up included). The Spark run is
timed alone (articles to Parquet) and with the `sitrep ingest` of its output (articles to the store, what
`ingest` does). Goals: Spark >= 90% of --workers 2; --workers 2 >= 1.7x one worker.

    python bench/bench_spark.py [INPUT.jsonl ...] [--repeat N] [--partitions N]

--repeat N reads the input N times under new ids (a longer run, so that start-up weighs less). Without inputs
it reads ../shared/eval-data/dev/*.jsonl and says so when that is absent.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_INPUTS = sorted(glob.glob(str(REPO.parent / "shared" / "eval-data" / "dev" / "*.jsonl")))

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ingest import count_articles, timed  # noqa: E402  (the same timing as the ingest benchmark)


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
        took = {}
        for label, cmd in runs:
            took[label], note = timed(cmd)
            print(f"{label:<28} {took[label]:7.1f} s  {n / took[label]:7.1f} articles/s{note}", flush=True)
    w1, w2 = n / took["ingest --workers 1"], n / took["ingest --workers 2"]
    spark_alone = n / took["spark extract local[2]"]
    spark_store = n / (took["spark extract local[2]"] + took["ingest of the spark output"])
    print(f"spark + ingest of its output          {spark_store:7.1f} articles/s")
    print(f"spark / --workers 2: {spark_alone / w2:.2f} (to Parquet), {spark_store / w2:.2f} (to the store); "
          f"goal >= 0.90")
    print(f"--workers 2 / --workers 1: {w2 / w1:.2f}; goal >= 1.70")
    return 0


if __name__ == "__main__":
    sys.exit(main())

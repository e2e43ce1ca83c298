"""Benchmark the streamed CSV export of `sitrep serve`: peak memory of the server process while it streams every
event of a large store (goal: 1,000,000 events under 1 GB).

The store is bench_serve.py's (about 93,000 events), multiplied in SQL to --events by copying events and their
articles under new ids (what the export reads: events joined to their latest article version). The server runs as
a real `sitrep serve` process; the client streams the body to nothing; the server's peak resident memory is read
from /proc (VmHWM).

    python bench/bench_export.py [--events 1000000] [--base /tmp/bench-serve.duckdb] [--db /tmp/bench-export.duckdb]
"""
from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))


def multiply(base: Path, path: Path, n_events: int) -> int:
    import duckdb

    shutil.copyfile(base, path)
    con = duckdb.connect(str(path))
    have = con.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    con.execute("CREATE TEMP TABLE ev0 AS SELECT * FROM events")
    con.execute("CREATE TEMP TABLE ar0 AS SELECT * FROM articles")
    copy_no = 0
    while have < n_events:
        copy_no += 1
        tag = f"-x{copy_no}"
        con.execute(f"INSERT INTO articles SELECT * REPLACE (article_id || '{tag}' AS article_id) FROM ar0")
        con.execute(f"INSERT INTO events SELECT * REPLACE (event_id || '{tag}' AS event_id, "
                    f"article_id || '{tag}' AS article_id) FROM ev0")
        have = con.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    con.close()
    return have


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--base", default="/tmp/bench-serve.duckdb")
    ap.add_argument("--db", default="/tmp/bench-export.duckdb")
    args = ap.parse_args()
    import httpx
    from bench_serve import build
    from test_serve_cli import start_server

    base, path = Path(args.base), Path(args.db)
    if not base.exists():
        build(base, 100_000)
    if not path.exists():
        t = time.perf_counter()
        have = multiply(base, path, args.events)
        print(f"built {path}: {have} events in {time.perf_counter() - t:.0f} s")
    proc, url = start_server(path)
    try:
        start_rss = peak_rss_mb(proc.pid)
        t, size, rows = time.perf_counter(), 0, 0
        with httpx.stream("GET", f"{url}api/v1/events?format=csv&status=all", timeout=None) as res:
            res.raise_for_status()
            for chunk in res.iter_bytes():
                size += len(chunk)
                rows += chunk.count(b"\n")
        elapsed = time.perf_counter() - t
        print(f"CSV export: {rows - 1} rows (lines), {size / 1e6:.0f} MB in {elapsed:.0f} s; server peak RSS "
              f"{peak_rss_mb(proc.pid):.0f} MB (at start {start_rss:.0f} MB)")
    finally:
        proc.terminate()
        proc.wait(timeout=60)


if __name__ == "__main__":
    main()

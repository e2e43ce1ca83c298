"""Benchmark the dashboard's map: time from opening the page until the map is idle with every event drawn (as
the server's clusters and points, GET /api/v1/map), in headless Debian chromium (Playwright), against `sitrep
serve` on a generated store (bench_serve.py builds it).

    python bench/bench_map.py [--db /tmp/bench-serve.duckdb] [--events 100000] [--runs 3] [--baseline-src DIR]

Prints, per run, the seconds to `#map[data-idle="1"]` with the map's count of located events, the seconds until
the whole page is ready (every panel), and the machine's load average (the machine is shared: say it with the
figures); the goal is <= 3 s for 100,000 events.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))
CHROMIUM = "/usr/bin/chromium"


def start_baseline(src: Path, db: Path):
    """`sitrep serve` of another checkout's src/ (the code to compare with), on a free port: (process, URL)."""
    env = dict(os.environ, PYTHONPATH=str(src))
    proc = subprocess.Popen([sys.executable, "-m", "sitrep.cli", "serve", "--db", str(db), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    line = proc.stderr.readline()
    if not line.startswith("sitrep serve: http://"):
        proc.kill()
        raise SystemExit(f"the baseline did not start: {line}{proc.stderr.read()}")
    return proc, line.split()[2]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="/tmp/bench-serve.duckdb")
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--baseline-src", type=Path, help="src/ of another checkout (e.g. `git archive REV | tar -x`): "
                    "its server is timed too, page loads alternating, so both see the same machine load")
    args = ap.parse_args()
    from bench_serve import build
    from playwright.sync_api import sync_playwright
    from test_serve_cli import start_server

    path = Path(args.db)
    if not path.exists():
        build(path, args.events)
    servers = {"this": start_server(path)}
    if args.baseline_src:
        servers["baseline"] = start_baseline(args.baseline_src, path)   # DuckDB: any number of read-only readers
    times = {name: [] for name in servers}
    ready = {name: [] for name in servers}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            for _ in range(args.runs):
                for name, (_proc, url) in servers.items():
                    page = browser.new_page(viewport={"width": 1400, "height": 900})
                    start = time.perf_counter()
                    page.goto(url)
                    page.wait_for_selector("#map[data-idle='1']", timeout=120_000)
                    elapsed = time.perf_counter() - start
                    count = page.get_attribute("#map-count", "data-count")
                    times[name].append(elapsed)
                    page.wait_for_selector("body[data-ready='1']", timeout=120_000)
                    ready[name].append(time.perf_counter() - start)
                    print(f"{name}: map idle after {elapsed:.2f} s with {count} events; page ready after "
                          f"{ready[name][-1]:.2f} s; load average {os.getloadavg()[0]:.1f}")
                    page.close()
            browser.close()
    finally:
        for proc, _url in servers.values():
            proc.terminate()
            proc.wait(timeout=30)
    for name in servers:
        print(f"{name}: median {statistics.median(times[name]):.2f} s map idle, "
              f"{statistics.median(ready[name]):.2f} s page ready, over {len(times[name])} runs")


if __name__ == "__main__":
    main()

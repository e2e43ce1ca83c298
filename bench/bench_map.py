"""Benchmark the dashboard's map: time from opening the page until the map is idle with every point drawn, in
headless Debian chromium (Playwright), against `sitrep serve` on a generated store (bench_serve.py builds it).

    python bench/bench_map.py [--db /tmp/bench-serve.duckdb] [--events 100000] [--runs 3]

Prints, per run, the seconds to `#map[data-idle="1"]` with the map's count of located events; the goal is <= 3 s
for 100,000 points.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))
CHROMIUM = "/usr/bin/chromium"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="/tmp/bench-serve.duckdb")
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    from bench_serve import build
    from playwright.sync_api import sync_playwright
    from test_serve_cli import start_server

    path = Path(args.db)
    if not path.exists():
        build(path, args.events)
    proc, url = start_server(path)
    times = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            for _ in range(args.runs):
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                start = time.perf_counter()
                page.goto(url)
                page.wait_for_selector("#map[data-idle='1']", timeout=120_000)
                elapsed = time.perf_counter() - start
                count = page.get_attribute("#map-count", "data-count")
                times.append(elapsed)
                print(f"map idle after {elapsed:.2f} s with {count} points")
                page.close()
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print(f"median {statistics.median(times):.2f} s over {len(times)} runs")


if __name__ == "__main__":
    main()

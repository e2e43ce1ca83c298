"""Benchmark `sitrep serve`: /events and /timeline latency on a generated store of N events (default 100,000).

The store is made from the test articles' events (tests/data/incidents) copied with shifted dates, places and
ids, written through Store.write_batch like an ingest; requests go through the ASGI app in-process (no network
hop), each filter several times; p50/p95 are printed per endpoint.

    python bench/bench_serve.py [--events 100000] [--db /tmp/bench-serve.duckdb]
"""
from __future__ import annotations

import argparse
import copy
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def build(path: Path, n_events: int) -> None:
    from pg import gold_pairs

    from sitrep.model import Place
    from sitrep.store import open_store

    rng = random.Random(7)
    base = gold_pairs()
    places = [(34.43, 70.45, "AFG"), (31.59, 64.37, "AFG"), (49.99, 36.23, "UKR"), (6.52, 3.38, "NGA"),
              (-1.68, 29.22, "COD"), (15.50, 32.56, "SDN"), (33.51, 36.29, "SYR"), (2.05, 45.32, "SOM")]
    with open_store(str(path)) as store:
        made, copy_no, batch = 0, 0, []
        while made < n_events:
            article, events = base[copy_no % len(base)]
            shift = dt.timedelta(days=rng.randrange(0, 730))
            lat, lon, country = rng.choice(places)
            art = copy.deepcopy(article)
            art.id = f"{article.id}-{copy_no}"
            art.text = article.text + f" [{copy_no}]"    # a distinct text: a distinct article, not a version
            art.published = article.published - shift
            evs = []
            for ev in events:
                e = copy.deepcopy(ev)
                e.article_id = art.id
                e.event_id = f"{ev.event_id}-{copy_no}"
                if e.date is not None:
                    e.date.start = str(dt.date.fromisoformat(str(e.date.start)) - shift) if e.date.start else None
                    e.date.end = str(dt.date.fromisoformat(str(e.date.end)) - shift) if e.date.end else None
                if e.location is not None:
                    e.location = Place(text=e.location.text, span=e.location.span, name=e.location.name,
                                       country=country, lat=lat + rng.uniform(-1, 1), lon=lon + rng.uniform(-1, 1),
                                       precision="point")
                evs.append(e)
            batch.append((art, evs))
            made += len(evs)
            copy_no += 1
            if len(batch) >= 2000:
                store.write_batch(batch)
                batch = []
        if batch:
            store.write_batch(batch)


def timed(client, url: str, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        r = client.get(url)
        out.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, r.text
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--db", default="/tmp/bench-serve.duckdb")
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()
    path = Path(args.db)
    if not path.exists():
        t = time.perf_counter()
        build(path, args.events)
        print(f"built {path} in {time.perf_counter() - t:.0f} s")
    from fastapi.testclient import TestClient

    from sitrep.serve import create_app

    app = create_app(str(path))
    client = TestClient(app)
    total = client.get("/api/v1/stats?top=1").json()["events"]
    print(f"store: {total} reported events")
    groups = {
        "/events (filtered json pages)": [
            "/api/v1/events", "/api/v1/events?country=AFG", "/api/v1/events?event_type=ASSAULT&fatalities_min=5",
            "/api/v1/events?since=2023-06-01&until=2023-08-31", "/api/v1/events?q=market",
            "/api/v1/events?bbox=60,25,75,40&country=AFG", "/api/v1/events?actor=russian&limit=1000"],
        "/timeline": ["/api/v1/timeline?interval=day", "/api/v1/timeline?interval=week&by=country",
                      "/api/v1/timeline?interval=month&country=UKR"],
        "/stats": ["/api/v1/stats", "/api/v1/stats?country=AFG"],
    }
    for name, urls in groups.items():
        times = [ms for url in urls for ms in timed(client, url, args.runs)]
        times.sort()
        p95 = times[int(0.95 * (len(times) - 1))]
        print(f"{name:34} n={len(times):3}  p50 {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms")
    t = time.perf_counter()
    r = client.get("/api/v1/events?format=csv&status=all")
    print(f"CSV export of all events: {len(r.content) / 1e6:.1f} MB in {time.perf_counter() - t:.1f} s")
    app.state.stores.close()


if __name__ == "__main__":
    main()

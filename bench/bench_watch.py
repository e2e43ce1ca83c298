"""`sitrep watch` and WARC input, measured against a local HTTP server and a locally generated archive.

1. latency: a feed gains an item while the watcher runs; seconds until its events are in the store, against
   the bound "one polling interval plus the article's extraction time".
2. re-polls: feeds that do not change, served with an ETag, with Last-Modified only, or with neither; the share
   of re-polls answered by 304 or skipped by the body's hash (goal >= 95%), and pages fetched again (goal 0).
3. warc: a WARC of N pages (default 10,000) built from the dev texts; peak memory (RSS) of every process of
   `sitrep ingest --workers 2` and of `sitrep extract` reading it (goal < 1 GB per worker), and articles/s.

    python bench/bench_watch.py [--parts latency,repolls,warc] [--pages 10000] [--interval 5]
"""
from __future__ import annotations

import argparse
import html
import io
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "src"), str(REPO / "tests")]
DEV = REPO.parent / "shared" / "eval-data" / "dev"

from feedserver import FeedServer, Route, page, rss  # noqa: E402

NEWS = [
    ["Gunmen killed five villagers in an attack on a market in Kunduz province on Tuesday, police said.",
     "The attackers fled on motorbikes after the shooting, according to the provincial governor."],
    ["Thousands of people protested in Nairobi on Monday against rising fuel prices.",
     "Police fired tear gas to disperse the crowd near the parliament building."],
    ["A roadside bomb wounded three soldiers near Mogadishu on Wednesday, a military official said.",
     "No group has claimed responsibility for the blast so far."],
]


def dev_texts() -> list[dict]:
    texts = []
    for path in sorted(DEV.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                texts.append({"id": rec["id"], "title": rec.get("title") or "", "text": rec["text"],
                              "published": rec.get("published")})
    return texts


def feed_of(srv: FeedServer, paths: list[str], **route) -> Route:
    items = [(srv.url(p), p.rsplit("/", 1)[-1], "Tue, 05 Mar 2024 09:00:00 GMT") for p in paths]
    return Route(rss("Bench", items), content_type="application/rss+xml", **route)


def settings(interval: float):
    from sitrep.feeds.http import FetchSettings
    from sitrep.feeds.watch import WatchSettings

    return WatchSettings(interval=interval, fetch=FetchSettings(host_delay=0.0, read_timeout=5, connect_timeout=5))


# -- 1. latency ----------------------------------------------------------------------------------------------
def bench_latency(interval: float, trials: int) -> None:
    from sitrep.extract.pipeline import Extractor
    from sitrep.feeds import Watcher
    from sitrep.ingest.clean import make_article
    from sitrep.store import open_store

    extractor = Extractor()
    with FeedServer() as srv, tempfile.TemporaryDirectory() as tmp:
        srv.routes["/robots.txt"] = Route(b"User-agent: *\nAllow: /\n", content_type="text/plain")
        paths = ["/a/0"]
        srv.routes["/a/0"] = Route(page("start", NEWS[0]))
        srv.routes["/feed.xml"] = feed_of(srv, paths, etag='"0"')
        stored_at: dict[int, float] = {}
        stop = threading.Event()
        store = open_store(f"{tmp}/lat.duckdb")

        def on_poll(poll) -> None:
            if poll.stored:
                stored_at[len(stored_at)] = time.monotonic()

        watcher = Watcher(store, [srv.url("/feed.xml")], settings(interval), extractor=extractor, stop=stop,
                          on_poll=on_poll)
        thread = threading.Thread(target=watcher.run, daemon=True)
        thread.start()
        while not stored_at:
            time.sleep(0.05)
        results = []
        for i in range(1, trials + 1):
            text = NEWS[i % len(NEWS)] + [f"The report was filed as dispatch number {i}."]
            started = time.perf_counter()
            extractor.extract(make_article("probe", "\n".join(text)))
            extract_s = time.perf_counter() - started
            path = f"/a/{i}"
            srv.routes[path] = Route(page(f"item {i}", text))
            paths.insert(0, path)
            added = time.monotonic()
            srv.routes["/feed.xml"] = feed_of(srv, paths, etag=f'"{i}"')
            while i not in stored_at:
                time.sleep(0.02)
            latency = stored_at[i] - added
            results.append((latency, extract_s))
            print(f"  item {i}: in the store after {latency:5.2f} s (bound {interval:g} s interval + "
                  f"{extract_s:.2f} s extraction = {interval + extract_s:.2f} s)", flush=True)
        stop.set()
        thread.join()
        watcher.close()
        events = store.counts().events
        store.close()
    worst = max(lat - ext for lat, ext in results)
    within = sum(lat <= interval + ext + 0.5 for lat, ext in results)
    print(f"latency: {within}/{len(results)} new items stored within interval + extraction time (+0.5 s for the "
          f"fetches); worst latency minus extraction {worst:.2f} s at --interval {interval:g}; {events} events")


# -- 2. re-polls ---------------------------------------------------------------------------------------------
def bench_repolls(n_feeds: int, items: int, rounds: int) -> None:
    from sitrep.extract.pipeline import Extractor
    from sitrep.feeds import Watcher, feed_states
    from sitrep.store import open_store

    extractor = Extractor()
    with FeedServer() as srv, tempfile.TemporaryDirectory() as tmp:
        srv.routes["/robots.txt"] = Route(b"", content_type="text/plain")
        urls = []
        for f in range(n_feeds):
            paths = []
            for i in range(items):
                path = f"/f{f}/a{i}"
                srv.routes[path] = Route(page(f"feed {f} item {i}", NEWS[(f + i) % len(NEWS)]
                                              + [f"Dispatch {f}-{i}."]))
                paths.append(path)
            kind = ("etag", "last-modified", "none")[f % 3]
            route = feed_of(srv, paths)
            if kind == "etag":
                route.etag = f'"feed-{f}"'
            elif kind == "last-modified":
                route.last_modified = "Tue, 05 Mar 2024 09:00:00 GMT"
            srv.routes[f"/f{f}.xml"] = route
            urls.append(srv.url(f"/f{f}.xml"))
        with open_store(f"{tmp}/re.duckdb") as store:
            watcher = Watcher(store, urls, settings(900), extractor=extractor)
            started = time.perf_counter()
            first = watcher.run(once=True)
            took = time.perf_counter() - started
            pages_before = sum(1 for p, _h in srv.requests if "/a" in p)
            statuses: dict[str, int] = {}
            started = time.perf_counter()
            for _ in range(rounds):
                for poll in watcher.run(once=True).feeds[-n_feeds:]:
                    statuses[poll.status] = statuses.get(poll.status, 0) + 1
            repoll_s = time.perf_counter() - started
            watcher.close()
            pages_after = sum(1 for p, _h in srv.requests if "/a" in p)
            states = feed_states(store)
    total = sum(statuses.values())
    cheap = statuses.get("not modified", 0) + statuses.get("unchanged", 0)
    print(f"re-polls: first pass {first.stored} articles from {n_feeds} feeds in {took:.1f} s; then {total} "
          f"re-polls of unchanged feeds in {repoll_s:.2f} s: {statuses}")
    print(f"re-polls: {cheap / total:.1%} answered by 304 or a same-hash skip (goal >= 95%); pages fetched again: "
          f"{pages_after - pages_before}; feeds with errors: {sum(s.errors > 0 for s in states)}")


# -- 3. WARC memory ------------------------------------------------------------------------------------------
def write_warc(path: Path, n_pages: int) -> int:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    texts = dev_texts()
    if not texts:
        sys.exit("bench: ../shared/eval-data/dev is absent; the WARC is built from the dev texts")
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for i in range(n_pages):
            t = texts[i % len(texts)]
            # Each copy of a dev text is its own page (its own URL); a dateline keeps the texts distinct. The
            # copies share their dates, so their events merge into incidents of up to six articles each.
            body = "".join(f"<p>{html.escape(p)}</p>" for p in t["text"].split("\n") if p.strip())
            doc = (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(t['title'])}</title>"
                   f"</head><body><nav>Home | World</nav><article><p>Dispatch {i}.</p>{body}</article>"
                   "</body></html>").encode("utf-8")
            head = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            crawled = (t["published"] or "2024-03-05") + "T06:00:00Z"
            writer.write_record(writer.create_warc_record(
                f"https://news{i % 50}.example.org/{t['id']}/{i}", "response", payload=io.BytesIO(doc),
                http_headers=head, warc_headers_dict={"WARC-Date": crawled}))
    return path.stat().st_size


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    try:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    kids = [int(c) for c in found]
    return kids + [g for k in kids for g in _children(k)]


def peak_memory(cmd: list[str], label: str) -> tuple[float, int, dict[str, float]]:
    """(seconds, exit status, peaks in MB) of a command: its parent process while workers run ("parent"), after
    they ended ("parent after": the incident update), and the largest worker ("worker"). A line every minute
    shows the peaks so far."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peaks = {"parent": 0.0, "parent after": 0.0, "worker": 0.0}
    saw_workers = False
    shown = started
    while proc.poll() is None:
        kids = [k for k in _children(proc.pid) if _rss_kb(k) > 50_000]     # not the resource tracker
        saw_workers = saw_workers or bool(kids)
        phase = "parent after" if saw_workers and not kids else "parent"
        peaks[phase] = max(peaks[phase], _rss_kb(proc.pid) / 1024)
        for kid in kids:
            peaks["worker"] = max(peaks["worker"], _rss_kb(kid) / 1024)
        if time.perf_counter() - shown > 60:
            shown = time.perf_counter()
            print(f"  {label}: {shown - started:5.0f} s, peaks so far (MB) {peaks}", flush=True)
        time.sleep(0.25)
    err = proc.stderr.read()
    if proc.returncode != 0:
        print(f"  [exit {proc.returncode}: {(err.strip().splitlines() or ['?'])[-1][:200]}]")
    else:
        print(f"  {(err.strip().splitlines() or [''])[-1][:300]}")
    return time.perf_counter() - started, proc.returncode, peaks


def bench_warc(n_pages: int, workers: int, keep: str | None, modes: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        warc = Path(keep) if keep else Path(tmp) / "crawl.warc.gz"
        if not warc.exists():
            size = write_warc(warc, n_pages)
            print(f"warc: {n_pages:,} pages, {size / 1e6:.1f} MB gzipped: {warc}", flush=True)
        sitrep = [sys.executable, "-m", "sitrep.cli"]
        os.environ["PYTHONPATH"] = str(REPO / "src")
        runs = {
            "ingest": (f"ingest --workers {workers}", sitrep + ["ingest", str(warc), "--db", f"{tmp}/w.duckdb",
                                                                "--workers", str(workers), "--no-progress"]),
            "extract": ("extract", sitrep + ["extract", str(warc), "--format", "jsonl", "-o", f"{tmp}/x.jsonl"]),
        }
        for mode in modes:
            label, cmd = runs[mode]
            took, status, peaks = peak_memory(cmd, label)
            print(f"warc {label}: {took:6.1f} s, {n_pages / took:5.1f} pages/s; peak RSS (MB) "
                  + ", ".join(f"{k} {v:.0f}" for k, v in peaks.items() if v) + f" (exit {status})", flush=True)


def bench_readers(path: Path) -> None:
    """Reading alone (no extraction): warcio against fastwarc, when fastwarc is installed."""
    from warcio.archiveiterator import ArchiveIterator

    started = time.perf_counter()
    n = 0
    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type == "response":
                record.content_stream().read()
                n += 1
    print(f"read: warcio {n:,} responses in {time.perf_counter() - started:.2f} s")
    try:
        from fastwarc import ArchiveIterator as FastIterator, WarcRecordType
    except ImportError:
        print("read: fastwarc not installed (pip install fastwarc to compare)")
        return
    started = time.perf_counter()
    n = 0
    with open(path, "rb") as fh:
        for record in FastIterator(fh, record_types=WarcRecordType.response, parse_http=True):
            record.reader.read()
            n += 1
    print(f"read: fastwarc {n:,} responses in {time.perf_counter() - started:.2f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parts", default="latency,repolls,warc")
    parser.add_argument("--interval", type=float, default=5.0, help="polling interval of the latency run")
    parser.add_argument("--trials", type=int, default=5)
    parser.add_argument("--feeds", type=int, default=30)
    parser.add_argument("--items", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--warc", help="keep (or reuse) the generated WARC at this path")
    parser.add_argument("--warc-runs", default="ingest,extract", help="which commands read the WARC")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    if "latency" in parts:
        bench_latency(args.interval, args.trials)
    if "repolls" in parts:
        bench_repolls(args.feeds, args.items, args.rounds)
    if "warc" in parts:
        bench_warc(args.pages, args.workers, args.warc, args.warc_runs.split(","))
    if "read" in parts:
        path = Path(args.warc or "")
        if not path.is_file():
            sys.exit("bench: --parts read needs --warc PATH of an existing archive")
        bench_readers(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

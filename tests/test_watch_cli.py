"""`sitrep watch` and `sitrep feeds` through the real CLI: a subprocess polling a local server, stopped with
SIGTERM, restarted without refetching; bad sources and options are one `Error:` line."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from feedserver import FeedServer, Route, page, rss
from test_watch import KUNDUZ, NAIROBI

SRC = Path(__file__).resolve().parents[1] / "src"


def sitrep(*args, **kw) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(SRC))
    return subprocess.Popen([sys.executable, "-m", "sitrep.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, **kw)


def run(*args, timeout=120) -> subprocess.CompletedProcess:
    proc = sitrep(*args)
    out, err = proc.communicate(timeout=timeout)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@pytest.fixture
def server():
    with FeedServer() as srv:
        srv.routes["/a/kunduz"] = Route(page("Five killed in Kunduz market attack", KUNDUZ))
        srv.routes["/a/nairobi"] = Route(page("Fuel price protest in Nairobi", NAIROBI))
        srv.routes["/rss.xml"] = Route(rss("Example News", [
            (srv.url("/a/kunduz"), "Five killed in Kunduz market attack", "Tue, 05 Mar 2024 09:00:00 GMT"),
            (srv.url("/a/nairobi"), "Fuel price protest in Nairobi", "Mon, 04 Mar 2024 17:00:00 GMT"),
        ]), content_type="application/rss+xml", etag='"v1"')
        srv.routes["/500.xml"] = Route(status=500)
        yield srv


def test_cli_watch_sigterm_stops_cleanly_and_restart_resumes(server, tmp_path):
    db = str(tmp_path / "w.duckdb")
    listing = tmp_path / "feeds.txt"
    listing.write_text(f"# our feeds\n{server.url('/rss.xml')}\n\n{server.url('/500.xml')}  # broken\n")
    proc = sitrep("watch", str(listing), "--db", db, "--interval", "0.3", "--host-delay", "0", "--timeout", "2")
    try:
        deadline = time.monotonic() + 90
        # Several polls of the feed after its items are in: the loop keeps going with a failing feed beside it.
        while server.hits("/rss.xml") < 3 and time.monotonic() < deadline:
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.1)
        assert server.hits("/rss.xml") >= 3
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert "SIGTERM: stopping after the current request" in err
    assert "watch stopped:" in err and "2 articles stored" in err
    assert "500.xml: HTTP 500; retrying in" in err
    assert server.hits("/a/kunduz") == 1
    # A restart polls once with the stored ETag and fetches no page again.
    done = run("watch", "--db", db, "--once", "--host-delay", "0")
    assert server.headers_of("/rss.xml")[-1]["if-none-match"] == '"v1"'
    assert server.hits("/a/kunduz") == 1 and server.hits("/a/nairobi") == 1
    assert "0 articles stored" in done.stderr
    shown = run("feeds", "--db", db, "--format", "jsonl")
    assert shown.returncode == 0, shown.stderr
    rows = {r["feed_url"]: r for r in map(json.loads, shown.stdout.splitlines())}
    assert rows[server.url("/rss.xml")]["items"] == 2 and rows[server.url("/rss.xml")]["status"] == "not modified"
    assert rows[server.url("/500.xml")]["status"] == "error" and rows[server.url("/500.xml")]["error"] == "HTTP 500"
    table = run("feeds", "--db", db)
    assert table.stdout.splitlines()[0].split()[:3] == ["feed_url", "status", "kind"]


@pytest.mark.parametrize("args, message", [
    (["watch", "ftp://example.org/feed"], "Error: ftp://example.org/feed: neither an http(s) URL nor a file"),
    (["watch", "http://127.0.0.1:9/x", "--interval", "0"], "Error: --interval must be between 0.1 s and 7 days"),
    (["watch", "http://127.0.0.1:9/x", "--timeout", "-1"], "Error: --timeout must be between 0 and 3600"),
    (["watch", "http://127.0.0.1:9/x", "--user-agent", ""], "Error: the user agent must be one non-empty line"),
    (["watch"], "Error: no SOURCE given and no feeds in the store yet"),
])
def test_cli_watch_bad_input_is_one_error_line(tmp_path, capsys, args, message):
    from sitrep.cli import main

    assert main([*args, "--db", str(tmp_path / "x.duckdb")]) == 1
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [err.strip()] and err.startswith(message), err


def test_cli_watch_once_unreachable_feed_exits_nonzero(tmp_path, capsys):
    from sitrep.cli import main

    assert main(["watch", "http://127.0.0.1:9/feed.xml", "--once", "--db", str(tmp_path / "x.duckdb"),
                 "--timeout", "1"]) == 1
    err = capsys.readouterr().err
    assert "feed.xml: robots.txt unavailable (cannot fetch: " in err and "watch done: 1 polls, 1 failed" in err


def test_cli_feeds_on_a_store_without_feeds(tmp_path, capsys):
    from sitrep.cli import main
    from sitrep.store import open_store

    db = str(tmp_path / "x.duckdb")
    open_store(db).close()                      # a store (all tables) that never watched a feed
    assert main(["feeds", "--db", db]) == 2
    assert capsys.readouterr().err.startswith("Error: no feeds in this store yet")

"""The feed commands of `sitrep`: watch (poll feeds and sitemaps into the store) and feeds (their state).
Translation only: each handler parses its flags, calls the library (sitrep.feeds) and prints the result."""
from __future__ import annotations

import signal
import sys
import threading

from .cli import EXIT_ERROR, EXIT_NOTHING, EXIT_OK, add_command, check_format, open_output, say
from .cli_store import _add_db, _db
from .errors import ConfigError

FEED_TABLE = ("feed_url", "status", "kind", "polls", "not_modified", "unchanged", "items", "errors", "last_poll",
              "next_poll", "error")
STATE_VERSION = 4        # the schema version that adds the feeds tables (store/m004_feeds.sql)


def register(sub) -> None:
    """Add `watch` and `feeds` to the `sitrep` subparsers."""
    p = add_command(
        sub, "watch", run_watch, summary="poll RSS/Atom feeds and news sitemaps into the store",
        description="Poll RSS/Atom feeds and news sitemaps; fetch each new item's page, extract its main text and\n"
        "events, and store them (incidents updated). Conditional requests (ETag, Last-Modified), robots.txt,\n"
        "one request per host per --host-delay seconds. A failing feed is logged and retried later, doubling\n"
        "the wait each time. SIGTERM or Ctrl-C stops after the current request; a restart resumes from the\n"
        "stored state without fetching stored items again. Without SOURCE, the feeds already in the store.\n\n"
        "Example: sitrep watch https://example.org/rss.xml feeds.txt --db events.duckdb --interval 600",
    )
    p.add_argument("sources", nargs="*", metavar="SOURCE",
                   help="feed or sitemap URL, or a file listing them (one per line, # comments)")
    _add_db(p)
    p.add_argument("--interval", type=float, default=900.0, help="seconds between polls of one feed (default 900)")
    p.add_argument("--once", action="store_true", help="poll each feed once, then exit")
    p.add_argument("--user-agent", help="User-Agent header (and robots.txt name); default names sitrep")
    p.add_argument("--timeout", type=float, default=20.0,
                   help="seconds to wait for a server to connect or to send more (default 20)")
    p.add_argument("--max-mb", type=float, default=20.0, help="largest feed or page read, in MiB (default 20)")
    p.add_argument("--host-delay", type=float, default=1.0,
                   help="seconds between two requests to one host (default 1)")
    p.add_argument("--max-items", type=int, default=200,
                   help="new items fetched per feed and poll; the rest wait for the next poll (default 200)")

    p = add_command(
        sub, "feeds", run_feeds, summary="show the feeds `sitrep watch` polls and how each fares",
        description="Show each watched feed: last poll, status, errors in a row, articles stored, next poll.\n\n"
        "Example: sitrep feeds --db events.duckdb",
    )
    _add_db(p)
    p.add_argument("--format", "-f", dest="fmt", default="table", help="table | jsonl (default table)")
    p.add_argument("-o", "--output", help="write to this file instead of stdout")


def _settings(args):
    from .feeds.http import MiB, FetchSettings
    from .feeds.watch import WatchSettings

    if not 0 < args.timeout <= 3600:
        raise ConfigError(f"--timeout must be between 0 and 3600 seconds, not {args.timeout:g}")
    if not 0.001 <= args.max_mb <= 4096:
        raise ConfigError(f"--max-mb must be between 0.001 and 4096, not {args.max_mb:g}")
    fetch = dict(connect_timeout=args.timeout, read_timeout=args.timeout, total_timeout=max(60.0, 3 * args.timeout),
                 max_bytes=int(args.max_mb * MiB), host_delay=args.host_delay)
    if args.user_agent is not None:
        fetch["user_agent"] = args.user_agent
    return WatchSettings(interval=args.interval, max_items=args.max_items, fetch=FetchSettings(**fetch)).check()


def run_watch(args) -> int:
    from .feeds import Watcher, feed_states, read_sources
    from .options import Options
    from .store import open_store

    settings = _settings(args)            # checked before the store is opened: a typo creates no database
    urls = read_sources(args.sources)
    stop = threading.Event()

    def on_signal(signum, _frame):
        if stop.is_set():
            raise KeyboardInterrupt       # a second signal: stop now (the CLI prints "interrupted")
        stop.set()
        say("Warning", f"{signal.Signals(signum).name}: stopping after the current request")

    def on_poll(poll) -> None:
        if poll.stored or poll.failed or poll.duplicates:
            print(f"{poll.feed_url}: {poll.new_items} new items, {poll.stored} stored, {poll.duplicates} "
                  f"duplicates, {poll.failed} failed; {poll.events} events", file=sys.stderr, flush=True)

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        with open_store(_db(args)) as store:
            if not urls:
                urls = [s.feed_url for s in feed_states(store)]
                if not urls:
                    raise ConfigError("no SOURCE given and no feeds in the store yet: name a feed URL or a file "
                                      "listing them")
            watcher = Watcher(store, urls, settings, options=Options.from_env(), stop=stop, on_poll=on_poll)
            try:
                report = watcher.run(once=args.once)
            finally:
                watcher.close()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    ended = "stopped" if stop.is_set() else "done"
    print(f"watch {ended}: {report.polls} polls, {report.errors} failed; {report.stored} articles stored, "
          f"{report.events} events", file=sys.stderr)
    if args.once and report.errors:
        return EXIT_ERROR
    return EXIT_OK


def run_feeds(args) -> int:
    from .feeds import feed_states
    from .output import format_table, write_jsonl
    from .store import open_store

    fmt = check_format(args.fmt, ("table", "jsonl"))
    with open_store(_db(args), read_only=True) as store:
        states = feed_states(store) if store.schema_version() >= STATE_VERSION else []
    if not states:
        say("Error", "no feeds in this store yet (add some with `sitrep watch URL`)")
        return EXIT_NOTHING
    rows = []
    for state in states:
        row = dict(vars(state))
        for key in ("added_at", "last_poll", "last_new", "next_poll"):
            row[key] = row[key].isoformat(timespec="seconds") if row[key] else None
        rows.append(row)
    with open_output(args.output) as out:
        if fmt == "jsonl":
            write_jsonl(rows, out)
        else:
            out.write(format_table(rows, FEED_TABLE))
    return EXIT_OK

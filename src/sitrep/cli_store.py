"""The store commands of `sitrep`: ingest, events, incidents, incident, export. Translation only: each handler
parses its flags, calls one library function and prints the result."""
from __future__ import annotations

import argparse
import json
import os
import sys

from .cli import (EXIT_ERROR, EXIT_NOTHING, EXIT_OK, Reporter, add_command, check_format, open_output,
                  refuse_overwrite, say)
from .errors import ConfigError

DB_HELP = "DuckDB file or postgresql://user@host:port/db URL (default: $SITREP_DB or ./sitrep.duckdb)"
INCIDENT_TABLE = ("incident_id", "event_type", "mode", "date_start", "location_name", "country", "actor_name",
                  "recipient_name", "n_articles", "n_outlets", "fatalities_low", "fatalities_best", "fatalities_high")
INCIDENT_CSV = INCIDENT_TABLE + ("date_end", "admin1", "lat", "lon", "geo_precision", "outlets", "injuries_best")


def _db(args) -> str:
    return args.db or os.environ.get("SITREP_DB") or "sitrep.duckdb"


def _add_db(p) -> None:
    p.add_argument("--db", help=DB_HELP)


def _add_filters(p) -> None:
    p.add_argument("--type", dest="types", help="PLOVER event type(s), comma-separated, e.g. ASSAULT,PROTEST")
    p.add_argument("--country", help="ISO 3166-1 alpha-3 code of the event's place, e.g. AFG")
    p.add_argument("--admin1", help="first-level division name, e.g. Helmand")
    p.add_argument("--actor", help="text in the actor's or recipient's name")
    p.add_argument("--since", help="events on or after this date (YYYY-MM-DD)")
    p.add_argument("--until", help="events on or before this date (YYYY-MM-DD)")
    p.add_argument("--min-fatalities", type=int, help="at least this many killed (best estimate)")
    p.add_argument("--limit", type=int, help="at most this many rows")


def _filter(args, status: str = "reported"):
    from .store import EventFilter

    return EventFilter.build(
        types=args.types, country=args.country, admin1=args.admin1, actor=args.actor, since=args.since,
        until=args.until, min_fatalities=args.min_fatalities, search=getattr(args, "search", None),
        status=getattr(args, "status", None) or status, limit=args.limit,
    )


def _add_listing_output(p) -> None:
    p.add_argument("--format", "-f", dest="fmt", default="table", help="table | jsonl | csv (default table)")
    p.add_argument("-o", "--output", help="write to this file instead of stdout")


def _read_store(args):
    """The store the read-only commands query (an -o pointing at the database itself is refused first)."""
    from .store import is_postgres_url, open_store

    db = _db(args)
    if not is_postgres_url(db):
        refuse_overwrite(getattr(args, "output", None), database=db)
    return open_store(db, read_only=True)


def _jsonable(row: dict) -> dict:
    """Dates as ISO strings, so a stored row can go into JSON."""
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}


def register(sub) -> None:
    """Add the store commands to the `sitrep` subparsers."""
    p = add_command(
        sub, "ingest", run_ingest, summary="extract events from articles and keep them in the store",
        description="Extract events from articles and store articles, events, spans; then update incidents.\n"
        "The same article twice is stored once; a changed text is a new version. Safe to re-run after a crash.\n"
        "After editing the merge rules (incident_rules.yaml), re-run with --rebuild-incidents.\n\n"
        "Example: sitrep ingest news/*.jsonl --db events.duckdb --workers 2",
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="files to read (.txt, .html, .jsonl, .warc, .warc.gz); - reads stdin; the output folder "
                   "of a `sitrep spark extract` run is loaded without extracting again")
    _add_db(p)
    p.add_argument("--workers", type=int, default=1, help="extraction processes (default 1)")
    p.add_argument("--published", help="publication date YYYY-MM-DD for plain-text and HTML inputs")
    p.add_argument("--batch-size", type=int, default=64, help="articles per transaction (default 64)")
    p.add_argument("--rebuild-incidents", action="store_true",
                   help="recompute every incident from scratch instead of only those new articles affect")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="progress bar on stderr (default: when stderr is a terminal)")

    p = add_command(
        sub, "events", run_events, summary="query stored events",
        description="List stored events (latest article versions; status 'reported' unless --status).\n\n"
        "Example: sitrep events --type ASSAULT --country AFG --since 2024-05-01 --format csv",
    )
    _add_db(p)
    _add_filters(p)
    p.add_argument("--search", help="text in the event's sentence or the article title")
    p.add_argument("--status", default="reported", help="reported (default), negated, hypothetical, future, "
                   "historical or all")
    _add_listing_output(p)

    p = add_command(
        sub, "incidents", run_incidents, summary="list incidents (events merged across articles)",
        description="List incidents: reports of one happening merged across articles, with reconciled tolls.\n\n"
        "Example: sitrep incidents --min-articles 2 --country AFG",
    )
    _add_db(p)
    _add_filters(p)
    p.add_argument("--min-articles", type=int, default=1, help="only incidents reported by this many articles")
    _add_listing_output(p)

    p = add_command(
        sub, "incident", run_incident, summary="show one incident and why its reports were merged",
        description="Show an incident: its reports, each source's claim, reconciled counts, and for every merge\n"
        "the criteria that matched with their values.\n\nExample: sitrep incident I84896d3e067",
    )
    p.add_argument("incident_id", metavar="ID", help="incident id (or a unique prefix of it)")
    _add_db(p)
    p.add_argument("--format", "-f", dest="fmt", default="text", help="text | json (default text)")

    p = add_command(
        sub, "export", run_export, summary="export the store as ACLED, UCDP GED, PLOVER, GeoJSON or Parquet",
        description="Export stored events. acled/ucdp: CSV, one row per incident; plover: JSON Lines (a JSON array\n"
        "when -o ends in .json); geojson: a FeatureCollection of located events; parquet: a directory with\n"
        "one file per table.\n\nExample: sitrep export --format ucdp -o ged.csv",
    )
    p.add_argument("--format", "-f", dest="fmt", required=True, help="acled | ucdp | plover | geojson | parquet")
    _add_db(p)
    p.add_argument("-o", "--output", help="output file (parquet: directory); default stdout")
    _add_filters(p)

    p = add_command(
        sub, "serve", run_serve, summary="serve the store read-only: HTTP API and offline dashboard",
        description="Serve the store read-only: the API under /api/v1 (OpenAPI at /openapi.json, docs at /docs)\n"
        "and the dashboard at /. Needs the `serve` extra: pip install 'sitrep[serve]'.\n\n"
        "Example: sitrep serve --db events.duckdb --port 8000",
    )
    _add_db(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")


def run_ingest(args) -> int:
    from .ingest.readers import publication_date
    from .options import Options
    from .store import ingest_paths, open_store

    from .store.ingest import MAX_BATCH, MAX_WORKERS

    published = publication_date(args.published, where="--published: ")
    # Checked before the store is opened, so a typo does not create an empty database.
    if not 1 <= args.workers <= MAX_WORKERS:
        raise ConfigError(f"--workers must be between 1 and {MAX_WORKERS}, not {args.workers}")
    if not 1 <= args.batch_size <= MAX_BATCH:
        raise ConfigError(f"--batch-size must be between 1 and {MAX_BATCH:,}, not {args.batch_size}")
    show = args.progress if args.progress is not None else sys.stderr.isatty()
    bar = None
    if show:
        from tqdm import tqdm

        bar = tqdm(desc="ingest", unit="art", file=sys.stderr, leave=False)
    reporter = Reporter()
    try:
        with open_store(_db(args)) as store:
            report = ingest_paths(
                store, args.inputs, published=published, on_error=reporter, options=Options.from_env(),
                workers=args.workers, batch_size=args.batch_size, progress=bar.update if bar is not None else None,
                rebuild_incidents=args.rebuild_incidents,
            )
    finally:
        if bar is not None:
            bar.close()
    for failure in report.failures:
        say("Error", failure)
    if args.verbose:
        for warning in report.warnings:
            say("Warning", warning)
    # Per-article warnings (bad dates, cut texts, other languages) would drown a large archive's errors:
    # counted here, listed with -v.
    noted = ""
    if report.warnings:
        noted = f"; {len(report.warnings)} warnings" + ("" if args.verbose else " (-v lists them)")
    if report.not_english:
        noted += f"; {report.not_english} not in English"
    print(
        f"ingested {report.read} articles: {report.new_articles} new, {report.new_versions} new versions, "
        f"{report.skipped + report.unchanged} unchanged, {report.failed} failed; {report.events} events; "
        f"{report.incidents} incidents ({report.multi_article_incidents} reported by several articles); "
        f"{report.commitments} commitments in {report.seconds:.1f} s{noted}",
        file=sys.stderr,
    )
    if report.read == 0:
        return EXIT_NOTHING
    return EXIT_OK if report.ok else EXIT_ERROR


def run_events(args) -> int:
    from .output import EVENT_COLUMNS, TABLE_COLUMNS, flatten, format_table, write_csv, write_jsonl

    fmt = check_format(args.fmt, ("table", "jsonl", "csv"))
    flt = _filter(args)
    with _read_store(args) as store:
        rows = store.query_events(flt)
    with open_output(args.output) as out:
        if fmt == "jsonl":
            write_jsonl((r["record"] for r in rows), out)
        else:
            flat = []
            for r in rows:
                item = flatten(r["record"])
                item.update(outlet=r.get("outlet"), published=r["published"].isoformat() if r.get("published")
                            else None)
                flat.append(item)
            if fmt == "csv":
                write_csv(flat, out, [c for c, _ in EVENT_COLUMNS] + ["outlet", "published"])
            else:
                out.write(format_table(flat, ("article_id",) + TABLE_COLUMNS))
    return EXIT_OK


def run_incidents(args) -> int:
    from .output import format_table, write_csv, write_jsonl

    from .store.filters import MAX_COUNT

    fmt = check_format(args.fmt, ("table", "jsonl", "csv"))
    flt = _filter(args)
    if not 1 <= args.min_articles <= MAX_COUNT:
        raise ConfigError(f"--min-articles must be between 1 and {MAX_COUNT:,}")
    with _read_store(args) as store:
        rows = store.incidents(flt, min_articles=args.min_articles)
    with open_output(args.output) as out:
        if fmt == "jsonl":
            write_jsonl((_jsonable(r) for r in rows), out)
        elif fmt == "csv":
            write_csv(rows, out, INCIDENT_CSV)
        else:
            out.write(format_table(rows, INCIDENT_TABLE))
    return EXIT_OK


def run_incident(args) -> int:
    from .incidents import explain_text

    fmt = check_format(args.fmt, ("text", "json"))
    with _read_store(args) as store:
        row = store.incident(args.incident_id)
    if row is None:
        say("Error", f"no incident {args.incident_id!r} (list them with `sitrep incidents`)")
        return EXIT_ERROR
    if fmt == "json":
        print(json.dumps(_jsonable(row), ensure_ascii=False, indent=2))
    else:
        from .output import printable

        sys.stdout.write(printable(explain_text(row), keep_newlines=True))
    return EXIT_OK


def run_export(args) -> int:
    from .export import FORMATS, export_events

    fmt = check_format(args.fmt, FORMATS)
    flt = _filter(args)
    with _read_store(args) as store:
        result = export_events(store, fmt, args.output, flt=flt)
    where = args.output or "stdout"
    print(f"exported {result.rows} {fmt} rows to {where}", file=sys.stderr)
    return EXIT_OK


def run_serve(args) -> int:
    try:
        from .serve import serve
    except ImportError as exc:
        raise ConfigError(f"sitrep serve needs the serve extra ({exc.name} is missing): "
                          "pip install 'sitrep[serve]'") from None

    def ready(url: str) -> None:
        print(f"sitrep serve: {url} (API {url}api/v1, docs {url}docs); Ctrl-C stops", file=sys.stderr, flush=True)

    serve(_db(args), host=args.host, port=args.port, on_ready=ready)
    return EXIT_OK

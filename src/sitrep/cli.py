"""The `sitrep` command: a thin layer over the library. Every SitrepError becomes one `Error: ...` line."""
from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
from contextlib import contextmanager
from typing import Iterator

from . import __version__
from .errors import ConfigError, SitrepError, redact
from .output import one_line

LOGGER = logging.getLogger("sitrep")

EXIT_OK, EXIT_ERROR, EXIT_NOTHING = 0, 1, 2


def say(kind: str, message) -> None:
    """One `Error: ...` or `Warning: ...` line on stderr: passwords redacted, control characters (a newline or a
    terminal escape inside an article id) shown as escapes, so every problem is exactly one harmless line."""
    print(f"{kind}: {one_line(redact(str(message)))}", file=sys.stderr)


class Reporter:
    """Collects per-input problems: printed at once on stderr as one line each, counted for the exit code."""

    def __init__(self) -> None:
        self.errors = 0

    def __call__(self, exc: Exception) -> None:
        self.errors += 1
        say("Error", exc)


class ArgumentParser(argparse.ArgumentParser):
    """argparse, but a bad option is one `Error:` line and exit status 1, as for any other bad option."""

    def error(self, message: str):
        say("Error", f"{message} (see `{self.prog} --help`)")
        sys.exit(EXIT_ERROR)


def refuse_overwrite(output: str | None, inputs=(), database: str | None = None) -> None:
    """ConfigError when the output file is one of the inputs or the database (the same file by inode, whatever
    the path says): opening it for writing would empty it before it is read, or replace the store."""
    if not output or output == "-" or not os.path.exists(output):
        return
    protected = [(p, "an input") for p in inputs if p != "-"]
    if database:
        protected += [(database, "the database"), (database + ".wal", "the database's write-ahead log")]
    for path, what in protected:
        try:
            same = os.path.exists(path) and os.path.samefile(output, path)
        except OSError:
            same = False
        if same:
            raise ConfigError(f"-o {output} is {what} ({path}); writing there would destroy it - choose another file")


@contextmanager
def open_output(path: str | None) -> Iterator:
    if not path or path == "-":
        yield sys.stdout
        return
    try:
        fh = open(path, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror}") from None
    with fh:
        yield fh


def progress(iterable, desc: str, enabled: bool = True):
    """A progress bar on stderr (by default only when stderr is a terminal; --progress forces it). It appears
    once a batch runs longer than a moment, so single articles print no bar."""
    if not enabled:
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, desc=desc, unit="art", file=sys.stderr, leave=False, delay=1.0)


def add_command(sub, name: str, func, summary: str, description: str) -> argparse.ArgumentParser:
    """A subcommand whose description keeps its line breaks (each ends with an Example: line)."""
    p = sub.add_parser(name, help=summary, description=description,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.set_defaults(func=func)
    return p


def check_format(fmt: str, allowed) -> str:
    if fmt not in allowed:
        raise ConfigError(f"unknown format {fmt!r}; choose one of: {', '.join(allowed)}")
    return fmt


def add_extract_command(sub) -> None:
    p = add_command(
        sub, "extract", run_extract, "extract events from articles",
        "Extract events from articles (.txt, .html, .jsonl records, .warc/.warc.gz archives, or - for stdin).\n\n"
        "Example: sitrep extract examples/*.txt --published 2020-03-04 --format table",
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="files to read; - reads stdin")
    p.add_argument("--published", help="publication date YYYY-MM-DD for plain-text and HTML inputs")
    p.add_argument("--format", "-f", dest="fmt", help="table | jsonl | json | csv (default: table on a terminal, else jsonl)")
    p.add_argument("-o", "--output", help="write to this file instead of stdout")
    p.add_argument("--all-statuses", action="store_true", help="table/csv: also show negated, hypothetical, future and historical events")
    p.add_argument("--commitments", action="store_true",
                   help="write commitment statements (pledges, ceasefires, references back) instead of events; "
                        "with --format json, a `commitments` list beside each article's events")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None, help="progress bar on stderr (default: when stderr is a terminal)")
    p.add_argument("--explain-places", action="store_true",
                   help="table: list why each place was chosen; csv: add admin2, geonames_id and place_explanation "
                        "columns (JSON output always has location.explanation)")


def run_extract(args) -> int:
    from .extract.pipeline import Extractor
    from .ingest.readers import iter_articles, publication_date
    from .options import Options
    from .output import (EVENT_COLUMNS, EXPLAIN_PLACE_COLUMNS, FORMATS, TABLE_COLUMNS, flatten,
                         format_place_explanations, format_table, write_csv, write_jsonl)

    fmt = check_format(args.fmt or ("table" if sys.stdout.isatty() and not args.output else "jsonl"), FORMATS)
    published = publication_date(args.published, where="--published: ")
    refuse_overwrite(args.output, args.inputs)
    reporter = Reporter()

    def read_all():
        for article in iter_articles(args.inputs, published=published, on_error=reporter):
            for warning in article.warnings:
                say("Warning", warning)
            yield article

    extractor = Extractor(Options.from_env(commitments=bool(args.commitments)))
    show_progress = args.progress if args.progress is not None else sys.stderr.isatty()
    # Articles stream through: an archive larger than memory is read, parsed and written piece by piece.
    results = progress(extractor.extract_many(read_all(), on_error=reporter), "extract", show_progress)
    n_articles = 0

    with open_output(args.output) as out:
        if args.commitments and fmt != "json":
            n_articles = write_commitments(results, fmt, out)
        elif fmt == "jsonl":
            for _article, events in results:
                n_articles += 1
                write_jsonl((e.to_record() for e in events), out)
        elif fmt == "json":
            docs = []
            for a, events in results:
                n_articles += 1
                doc = {"id": a.id, "title": a.title, "published": a.published.isoformat() if a.published else None,
                       "url": a.url, "outlet": a.outlet, "text": a.text, "events": [e.to_record() for e in events]}
                if args.commitments:
                    doc["commitments"] = [c.to_record() for c in a.commitments]
                docs.append(doc)
            json.dump(docs, out, ensure_ascii=False, indent=2)
            out.write("\n")
        else:
            columns = EXPLAIN_PLACE_COLUMNS if args.explain_places else EVENT_COLUMNS
            rows = []
            for _a, events in results:
                n_articles += 1
                rows.extend(flatten(e.to_record(), columns) for e in events
                            if fmt == "csv" or args.all_statuses or e.status == "reported")
            if fmt == "csv":
                write_csv(rows, out, [c for c, _ in columns])
            else:
                out.write(format_table(rows, TABLE_COLUMNS))
                if args.explain_places:
                    out.write(format_place_explanations(rows))
    if n_articles == 0:
        say("Error", "no article could be read")
        return EXIT_NOTHING
    return EXIT_ERROR if reporter.errors else EXIT_OK


def write_commitments(results, fmt: str, out) -> int:
    """`sitrep extract --commitments`: the commitment statements of every article (jsonl, csv or table); returns
    the number of articles read."""
    from .commitments.output import STATEMENT_COLUMNS, STATEMENT_TABLE
    from .output import flatten, format_table, write_csv, write_jsonl

    n_articles, rows = 0, []
    for article, _events in results:
        n_articles += 1
        records = [c.to_record() for c in article.commitments]
        if fmt == "jsonl":
            write_jsonl(records, out)
        else:
            rows.extend(flatten(r, STATEMENT_COLUMNS) for r in records)
    if fmt == "csv":
        write_csv(rows, out, [c for c, _ in STATEMENT_COLUMNS])
    elif fmt == "table":
        out.write(format_table(rows, STATEMENT_TABLE))
    return n_articles


def add_gazetteer_command(sub) -> None:
    g = add_command(
        sub, "gazetteer", None, "manage the offline GeoNames index",
        "Build the local GeoNames index (done automatically on first use). --from adds the places of a GeoNames\n"
        "dump you have (a country file such as SY.txt, cities1000.txt or allCountries.txt, plain or zipped).\n\n"
        "Example: sitrep gazetteer build --from SY.zip",
    )
    gsub = g.add_subparsers(dest="gazetteer_command", metavar="ACTION", required=True)
    b = gsub.add_parser("build", help="(re)build the index in $SITREP_CACHE_DIR or the user cache dir")
    b.add_argument("--path", help="write the index here instead")
    b.add_argument("--from", dest="dump", metavar="FILE",
                   help="a GeoNames dump (XX.txt, cities1000.txt, allCountries.txt or their .zip) to add")
    b.set_defaults(func=run_gazetteer_build)


def run_gazetteer_build(args) -> int:
    from pathlib import Path

    from .resolve.gazetteer import build_gazetteer, gazetteer_path

    path = build_gazetteer(Path(args.path) if args.path else gazetteer_path(),
                           dump=Path(args.dump) if args.dump else None)
    print(f"gazetteer written to {path}", file=sys.stderr)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(
        prog="sitrep",
        description="Sourced, geocoded event data from news text.",
    )
    parser.add_argument("--version", action="version", version=f"sitrep {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output on stderr")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    add_extract_command(sub)
    add_gazetteer_command(sub)
    from . import cli_commitments, cli_feeds, cli_spark, cli_store

    for module in (cli_store, cli_commitments, cli_feeds, cli_spark):
        module.register(sub)
    return parser


def setup_logging(verbose: int, debug: bool) -> None:
    """sitrep's own log at WARNING (-v INFO, -vv DEBUG). Libraries (trafilatura, htmldate, spaCy) log what
    sitrep already reports in its own words ("discarding data", "empty HTML tree"), so their records are shown
    only with -v or --debug; otherwise a bad input would print two or three lines instead of one."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    if not (verbose or debug):
        handler.addFilter(lambda record: record.name == "sitrep" or record.name.startswith("sitrep."))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if debug else logging.WARNING - 10 * min(verbose, 2))


def interrupted() -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)     # a second Ctrl-C must not interrupt the goodbye
    say("Error", "interrupted")
    return 130


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging(args.verbose, args.debug)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_NOTHING
    try:
        return args.func(args)
    except SitrepError as exc:
        if args.debug:
            raise
        say("Error", exc)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return interrupted()
    except RuntimeError as exc:
        # DuckDB reports a Ctrl-C inside any of its calls as RuntimeError("Query interrupted")
        if "interrupted" not in str(exc).lower():
            raise
        return interrupted()
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())

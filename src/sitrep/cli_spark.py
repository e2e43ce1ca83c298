"""The `sitrep spark` commands. Translation only: `spark extract` parses its flags, calls
sitrep.spark.job.extract_to_parquet and prints the summary. pyspark is imported only when the command runs."""
from __future__ import annotations

import sys

from .cli import EXIT_ERROR, EXIT_NOTHING, EXIT_OK, Reporter, add_command, say


def register(sub) -> None:
    """Add `sitrep spark extract` to the `sitrep` subparsers."""
    group = add_command(
        sub, "spark", None, summary="run the extraction on Apache Spark (needs the spark extra)",
        description="Run the extraction on Apache Spark: many files, many cores or a cluster.\n"
        "Needs the spark extra: pip install 'sitrep[spark]' (pyspark; Java 17).\n\n"
        "Example: sitrep spark extract archive/ -o events.parquet --master local[2]",
    )
    actions = group.add_subparsers(dest="spark_command", metavar="ACTION", required=True)
    p = add_command(
        actions, "extract", run_spark_extract, summary="extract events on Spark and write them as Parquet",
        description="Extract events from articles on Spark and write a folder with articles.parquet/ and\n"
        "events.parquet/ (the columns of `sitrep export --format parquet`). Events and their ids are those of\n"
        "`sitrep extract` on the same inputs; `sitrep ingest OUT` loads them into the store without extracting\n"
        "again. Inputs must be files every worker can read (a shared file system on a cluster).\n\n"
        "Example: sitrep spark extract news/*.jsonl -o events.parquet --master local[2] --partitions 8",
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="files or folders (.txt, .html, .jsonl)")
    p.add_argument("-o", "--output", required=True, help="output folder (an earlier run's output is replaced)")
    p.add_argument("--master", help="Spark master URL (default: spark-submit's, else local[*]), e.g. local[2]")
    p.add_argument("--partitions", type=int, help="number of tasks (default: 4 per core)")
    p.add_argument("--published", help="publication date YYYY-MM-DD for plain-text and HTML inputs")
    p.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE",
                   help="a Spark setting, e.g. --conf spark.executor.memory=4g (repeatable)")


def _conf(pairs: list[str]) -> dict:
    from .errors import ConfigError

    conf = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip().startswith("spark."):
            raise ConfigError(f"--conf {pair!r}: expected spark.KEY=VALUE")
        conf[key.strip()] = value
    return conf


def run_spark_extract(args) -> int:
    from .ingest.readers import publication_date
    from .options import Options
    from .spark.job import extract_to_parquet, require_pyspark

    published = publication_date(args.published, where="--published: ")
    conf = _conf(args.conf)
    require_pyspark()
    reporter = Reporter()
    report = extract_to_parquet(args.inputs, args.output, master=args.master, partitions=args.partitions,
                                published=published, options=Options.from_env(), on_error=reporter, conf=conf,
                                list_warnings=bool(args.verbose))
    if args.verbose:
        for warning in report.warnings:
            say("Warning", warning)
    noted = f"; {report.n_warnings} warnings" + ("" if args.verbose else " (-v lists them)") \
        if report.n_warnings else ""
    if report.articles == 0:
        say("Error", "no article could be read")
        return EXIT_NOTHING
    print(f"extracted {report.articles} articles in {report.tasks} tasks: {report.events} events, "
          f"{len(report.errors)} errors; written to {report.output}{noted}", file=sys.stderr)
    return EXIT_ERROR if report.errors else EXIT_OK

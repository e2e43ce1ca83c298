"""The tables a Spark run writes, with the columns and types of `sitrep export --format parquet`'s articles and
events tables (store/rows.py names the columns), so one query reads either.

The store's own columns have no value yet in a run's output (`version`, `is_latest`, `ingested_at`,
`article_version`: the store assigns them when it loads the run), and each event row adds `content_hash`, the
hash of the article text it came from, which pairs it with its article row when two texts of one article id
are in the same run.
"""
from __future__ import annotations

import os

from ..store.rows import ARTICLE_COLUMNS, EVENT_COLUMNS

LONG = {"version", "n_events", "article_version", "geonames_id", "fatalities_low", "fatalities_best",
        "fatalities_high", "injuries_low", "injuries_best", "injuries_high"}
DOUBLE = {"lat", "lon", "confidence"}
BOOLEAN = {"is_latest", "is_primary"}
DATE = {"published", "date_start", "date_end"}
TIMESTAMP = {"ingested_at"}

ARTICLE_TABLE = "articles"
EVENT_TABLE = "events"
TABLE_COLUMNS = {
    ARTICLE_TABLE: ARTICLE_COLUMNS,
    EVENT_TABLE: EVENT_COLUMNS + ("content_hash",),
}
# The output is a folder holding <table>.parquet folders of part files (the export writes <table>.parquet
# files) and this manifest, written last: a folder without it is no finished run.
MANIFEST = "sitrep-spark.json"
FORMAT = "sitrep-events-parquet"


def column_type(name: str) -> str:
    """The column's type: string, long, double, boolean, date or timestamp."""
    for kind, names in (("long", LONG), ("double", DOUBLE), ("boolean", BOOLEAN), ("date", DATE),
                        ("timestamp", TIMESTAMP)):
        if name in names:
            return kind
    return "string"


def typed(table: str, values: tuple) -> tuple:
    """A row with numbers of the column's kind (Spark refuses an int in a double column, a float in a long)."""
    out = []
    for name, value in zip(TABLE_COLUMNS[table], values):
        kind = column_type(name)
        if value is not None and kind == "double":
            value = float(value)
        elif value is not None and kind == "long":
            value = int(value)
        out.append(value)
    return tuple(out)


def is_run_output(path: str) -> bool:
    """Whether `path` is the folder of a finished `sitrep spark extract` run."""
    return os.path.isdir(path) and os.path.isfile(os.path.join(path, MANIFEST))


def table_files(path: str, table: str) -> list[str]:
    """The part files of one table of a run's output, in the run's order (Spark numbers them by task)."""
    folder = os.path.join(path, f"{table}.parquet")
    if not os.path.isdir(folder):
        return []
    return sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(".parquet"))

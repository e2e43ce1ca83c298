"""What a Spark task writes: its rows straight from the Python worker into one Parquet file per table (pyarrow),
in one pass, and a small summary for the driver, which commits the files of each task's successful attempt.

Writing here, not through a Spark DataFrame, spares the run the round trip of every row from Python to the JVM
and back (pickled, converted row by row) and the extra passes over the rows that writing two tables and counting
them from a Spark RDD takes. The commit is the one Spark's own output committer does: every attempt writes files
named by its own attempt id under a staging folder; only the attempts whose summary reaches the driver (the
successful ones, one per task) are moved into place, so a task retried after its worker died, or run twice
speculatively, leaves its rows once.

Plain Python, no pyspark: the same function runs in a test without Spark.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from typing import Callable, Iterable, Optional

from ..options import Options
from .plan import Piece
from .schema import ARTICLE_TABLE, EVENT_TABLE, TABLE_COLUMNS, column_type
from .worker import ERROR, WARNING, run_task

TABLES = (ARTICLE_TABLE, EVENT_TABLE)
BATCH_ROWS = 2000       # rows held per table before they go to the file as a row group: a task's memory is bounded


@dataclass
class TaskOutput:
    """What one task attempt wrote and met, sent back to the driver (small: counts, paths, message lines)."""

    partition: int
    attempt: int
    files: dict[str, str]                       # table -> the attempt's Parquet file
    rows: dict[str, int]                        # table -> rows written
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)    # their text, when asked for
    n_warnings: int = 0


def arrow_schema(table: str):
    """The table's columns with the types Spark gave them (string, long, double, boolean, date, timestamp without
    time zone), so readers see the same schema either way."""
    import pyarrow as pa

    kinds = {"string": pa.string(), "long": pa.int64(), "double": pa.float64(), "boolean": pa.bool_(),
             "date": pa.date32(), "timestamp": pa.timestamp("us")}
    return pa.schema([pa.field(c, kinds[column_type(c)], nullable=True) for c in TABLE_COLUMNS[table]])


def attempt_file(folder: str, table: str, partition: int, attempt: int) -> str:
    return os.path.join(folder, f"{table}-part-{partition:05d}-attempt-{attempt}.parquet")


class _TableFile:
    """One table's Parquet file of a task attempt, written a row group at a time."""

    def __init__(self, path: str, table: str):
        import pyarrow.parquet as pq

        self.path, self.schema = path, arrow_schema(table)
        self.rows: list[tuple] = []
        self.count = 0
        self.writer = pq.ParquetWriter(path, self.schema, compression="snappy")

    def add(self, row: tuple) -> None:
        self.rows.append(row)
        if len(self.rows) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        import pyarrow as pa

        if not self.rows:
            return
        columns = list(zip(*self.rows))
        arrays = [pa.array(values, type=f.type) for values, f in zip(columns, self.schema)]
        self.writer.write_table(pa.Table.from_arrays(arrays, schema=self.schema))
        self.count += len(self.rows)
        self.rows = []

    def close(self) -> None:
        self.flush()
        self.writer.close()


def write_task(pieces: Iterable[Piece], folder: str, partition: int, attempt: int, options: Options,
               published: Optional[dt.date] = None, factory: Optional[Callable] = None,
               list_warnings: bool = False) -> TaskOutput:
    """Extract the pieces (run_task) and write their article and event rows to this attempt's files under
    `folder`; every table gets a file, an empty one too, so a reader always finds the columns."""
    out = TaskOutput(partition, attempt, {t: attempt_file(folder, t, partition, attempt) for t in TABLES},
                     {t: 0 for t in TABLES})
    files = {t: _TableFile(out.files[t], t) for t in TABLES}
    try:
        for kind, item in run_task(pieces, options, published, factory):
            if kind in files:
                files[kind].add(item)
            elif kind == ERROR:
                out.errors.append(item)
            elif kind == WARNING:
                out.n_warnings += 1
                if list_warnings:
                    out.warnings.append(item)
    finally:
        for f in files.values():
            f.close()
    out.rows = {t: f.count for t, f in files.items()}
    return out

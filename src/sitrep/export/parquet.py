"""Parquet: one file per store table (articles, events, spans, incidents, incident_events) in a directory."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from ..errors import ExportError
from .common import os_reason, temp_beside

TABLES = ("articles", "events", "spans", "incidents", "incident_events")
JSON_COLUMNS = {"record", "warnings"}


def _column(name: str, values: list):
    import pyarrow as pa

    if name in JSON_COLUMNS:
        values = [v if v is None or isinstance(v, str) else json.dumps(v, ensure_ascii=False, sort_keys=True)
                  for v in values]
        return pa.array(values, type=pa.string())
    sample = next((v for v in values if v is not None), None)
    if sample is None:
        return pa.array(values, type=pa.string())   # an all-empty column still gets a usable type
    if isinstance(sample, dt.datetime):
        return pa.array(values, type=pa.timestamp("us"))
    if isinstance(sample, float) or isinstance(sample, int) and not isinstance(sample, bool) and any(
            isinstance(v, float) for v in values):
        return pa.array([None if v is None else float(v) for v in values], type=pa.float64())
    return pa.array(values)


def write_parquet(store, directory: str) -> dict[str, int]:
    """Write every table; returns rows per table. Files are renamed into place only when complete."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = Path(directory)
    if out.exists() and not out.is_dir():
        raise ExportError(f"{directory} is a file; parquet export needs a directory")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create {directory}: {os_reason(exc)}") from None
    counts = {}
    for name in TABLES:
        columns, rows = store.table(name)
        data = pa.table({c: _column(c, [r[i] for r in rows]) for i, c in enumerate(columns)})
        target = out / f"{name}.parquet"
        with temp_beside(target) as tmp:
            try:
                pq.write_table(data, tmp)
            except OSError as exc:
                raise ExportError(f"cannot write {target}: {os_reason(exc)}") from None
        counts[name] = len(rows)
    return counts

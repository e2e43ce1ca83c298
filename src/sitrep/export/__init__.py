"""Exports of the store in the formats analysts use: ACLED and UCDP GED (CSV, one row per incident), PLOVER JSON
and GeoJSON (one record per event), and Parquet (one file per table)."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import IO, Optional

from ..errors import ConfigError
from .acled import write_acled
from .common import text_output
from .geojson import write_geojson
from .parquet import write_parquet
from .plover import write_plover
from .ucdp import write_ucdp

LOGGER = logging.getLogger(__name__)

FORMATS = ("acled", "ucdp", "plover", "geojson", "parquet")

__all__ = ["FORMATS", "ExportResult", "export_events"]


@dataclass
class ExportResult:
    fmt: str
    path: Optional[str]
    rows: int
    tables: Optional[dict] = None


def export_events(store, fmt: str, path: Optional[str] = None, *, flt=None, stream: Optional[IO] = None
                  ) -> ExportResult:
    """Write the store in `fmt` to `path` ('-' or None: `stream`/stdout; parquet: a directory, required).

    `flt` (an EventFilter) narrows the event formats (plover, geojson) and the incident formats (acled, ucdp).
    """
    fmt = (fmt or "").lower()
    if fmt not in FORMATS:
        raise ConfigError(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    if fmt == "parquet":
        if not path or path == "-":
            raise ConfigError("parquet export needs a directory: -o DIR")
        tables = write_parquet(store, path)
        return ExportResult(fmt, path, tables.get("events", 0), tables)
    if fmt in ("acled", "ucdp"):
        incidents = store.incidents(flt)
        wanted = {inc["record"]["representative_event"] for inc in incidents}
        wanted |= {c["event_id"] for inc in incidents for c in inc["record"]["claims"]}
        events = store.events_by_id(sorted(wanted))
        with text_output(path, stream) as out:
            n = (write_acled if fmt == "acled" else write_ucdp)(incidents, events, out)
        return ExportResult(fmt, path, n)
    rows = store.query_events(flt)
    with text_output(path, stream) as out:
        if fmt == "plover":
            n = write_plover(rows, out, as_array=bool(path) and str(path).endswith(".json"))
        else:
            n = write_geojson(rows, store.incident_map(), out)
    return ExportResult(fmt, path, n)

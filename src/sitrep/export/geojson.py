"""A GeoJSON FeatureCollection of the events that have coordinates (RFC 7946: [lon, lat], WGS 84)."""
from __future__ import annotations

import datetime as dt
import json
from typing import IO

PROPERTIES = (
    "event_id", "article_id", "event_type", "mode", "status", "acled_event_type", "acled_sub_event_type",
    "date_start", "date_end", "date_precision", "location_name", "country", "admin1", "admin2", "geo_precision",
    "actor_name", "recipient_name", "fatalities_best", "injuries_best", "source_names", "outlet", "title", "url",
    "sentence", "confidence",
)


def _plain(value):
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


def feature(row: dict, incident_id: str | None = None) -> dict:
    props = {k: _plain(row.get(k)) for k in PROPERTIES}
    props["incident_id"] = incident_id
    return {
        "type": "Feature",
        "id": row["event_id"],
        "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
        "properties": props,
    }


def write_geojson(rows: list[dict], incident_of: dict[str, str], out: IO) -> int:
    features = [feature(r, incident_of.get(r["event_id"])) for r in rows
                if r.get("lat") is not None and r.get("lon") is not None]
    json.dump({"type": "FeatureCollection", "features": features}, out, ensure_ascii=False)
    out.write("\n")
    return len(features)

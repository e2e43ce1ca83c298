"""PLOVER JSON records, one per event (PLOVER codes each article's events), as JSON Lines or a JSON array."""
from __future__ import annotations

import datetime as dt
import json
from typing import IO

from .. import __version__
from .codes import codes


def _entity(part: dict | None) -> dict | None:
    if not part:
        return None
    return {
        "code": part.get("country"),
        "sector": part.get("sector"),
        "entity_text": part.get("text"),
        "identifier_id": part.get("wikidata"),
        "identifier_text": part.get("name"),
        "religion": None, "ethnicity": None, "office": None, "gender": None, "age": None,
    }


def _location(loc: dict | None) -> dict | None:
    if not loc:
        return None
    return {
        "placename": loc.get("text"),
        "name": loc.get("name"),
        "geonamesID": loc.get("geonames_id"),
        "featureCode": loc.get("feature_code"),
        "admin1": loc.get("admin1"),
        "admin2": loc.get("admin2"),
        "countryCode": loc.get("country"),
        "lat": loc.get("lat"),
        "lon": loc.get("lon"),
        "resolution": codes()["plover_resolution"].get(loc.get("precision") or "unknown", 1),
    }


def _best(cas: dict | None):
    total = (cas or {}).get("total") or {}
    return total.get("best")


def plover_record(row: dict, coded: dt.date) -> dict:
    """One PLOVER record from a stored event row (flat columns + 'record')."""
    rec = row["record"]
    date = rec.get("date") or {}
    trigger = (rec.get("evidence") or {}).get("trigger") or {}
    return {
        "id": rec["event_id"],
        "has_event": rec["status"] == "reported",
        "date": date.get("start"),
        "time": None,
        "enddate": date.get("end"),
        "endtime": None,
        "event": rec["event_type"],
        "mode": rec.get("mode"),
        "context": list(rec.get("context") or []),
        "quad_code": codes()["plover_quad"].get(rec["event_type"]),
        "event_scale": None,
        "actor": _entity(rec.get("actor")),
        "recipient": _entity(rec.get("recipient")),
        "event_loc": _location(rec.get("location")),
        "size": {"dead": row.get("fatalities_best") if row.get("fatalities_best") is not None
                 else _best(rec.get("fatalities")), "injured": row.get("injuries_best"), "arrested": None},
        "event_text": trigger.get("text"),
        "text": (rec.get("evidence") or {}).get("sentence"),
        "link": row.get("url"),
        "text_info": {"article_id": rec["article_id"], "title": row.get("title"), "outlet": row.get("outlet"),
                      "published": row["published"].isoformat() if row.get("published") else None},
        "cite_info": [s.get("name") for s in rec.get("sources") or []],
        "coder": f"sitrep {__version__}",
        "coded_date": coded.isoformat(),
        "coded_time": None,
        "comment": None if rec["status"] == "reported" else f"status: {rec['status']}",
    }


def write_plover(rows: list[dict], out: IO, as_array: bool = False) -> int:
    coded = dt.date.today()
    records = [plover_record(r, coded) for r in rows]
    if as_array:
        json.dump(records, out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        for rec in records:
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return len(records)

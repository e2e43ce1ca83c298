"""UCDP GED-style CSV: one row per violent incident, deaths split by side, best/low/high across reports.

Side A is the state when one side is (as in GED's state-based dyads). type_of_violence: 1 state-based (the state
against an organised armed group), 2 non-state (two non-state groups), 3 one-sided (an armed actor against
civilians). GED's own ids (conflict, dyad, Gleditsch-Ward codes) are not ours to assign and stay empty.
"""
from __future__ import annotations

import math
from typing import IO, Optional

from .codes import VIOLENT_ACLED_TYPES, codes, country, side_class
from .common import write_csv_rows

COLUMNS = (
    "id", "relid", "year", "active_year", "code_status", "type_of_violence", "conflict_dset_id", "conflict_new_id",
    "conflict_name", "dyad_dset_id", "dyad_new_id", "dyad_name", "side_a_dset_id", "side_a_new_id", "side_a",
    "side_b_dset_id", "side_b_new_id", "side_b", "number_of_sources", "source_article", "source_office",
    "source_date", "source_headline", "source_original", "where_prec", "where_coordinates", "where_description",
    "adm_1", "adm_2", "latitude", "longitude", "geom_wkt", "priogrid_gid", "country", "country_id", "region",
    "event_clarity", "date_prec", "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians",
    "deaths_unknown", "best", "high", "low", "gwnoa", "gwnob",
)


def priogrid_gid(lat: Optional[float], lon: Optional[float]) -> Optional[int]:
    """PRIO-GRID cell id: half-degree cells numbered row by row from (-90, -180)."""
    if lat is None or lon is None:
        return None
    row = min(int(math.floor((lat + 90) / 0.5)), 359)
    col = min(int(math.floor((lon + 180) / 0.5)), 719)
    return row * 720 + col + 1


def type_of_violence(actor_sector, recipient_sector, acled_type) -> int:
    a, b = side_class(actor_sector), side_class(recipient_sector)
    if b == "civilian" or acled_type == "Violence against civilians":
        return 3
    if "state" in (a, b):
        return 1
    if a == "armed" and b == "armed":
        return 2
    return 1 if acled_type == "Battles" else 3 if b is None and a in ("armed", None) else 2


def _group(record: dict, name: str) -> int:
    cas = (record.get("fatalities") or {}).get(name) or {}
    return int(cas.get("best") or 0)


def deaths(record: dict, best: int, actor_is_state: bool, recipient_is_state: bool) -> dict:
    """deaths_a/b/civilians/unknown from one report's groups, scaled to the incident's best."""
    security, militants, civilians = (_group(record, k) for k in ("security_forces", "militants", "civilians"))
    # Side A is the state when there is one: security-force deaths belong to it, militant deaths to side B.
    state_side_a = actor_is_state or recipient_is_state or security > 0
    dead_a, dead_b = (security, militants) if state_side_a else (0, 0)
    unknown = best - dead_a - dead_b - civilians
    if unknown < 0:  # the chosen report's groups add to more than the reconciled best: keep the groups' split
        unknown = 0
    return {"deaths_a": dead_a, "deaths_b": dead_b, "deaths_civilians": civilians, "deaths_unknown": unknown}


def ucdp_rows(incidents: list[dict], events: dict[str, dict]) -> list[dict]:
    table = codes()
    rows = []
    for inc in incidents:
        rec = inc["record"]
        acled_type = rec.get("acled_event_type")
        if inc["event_type"] != "ASSAULT" and acled_type not in VIOLENT_ACLED_TYPES:
            continue
        a_sec, b_sec = rec.get("actor_sector"), rec.get("recipient_sector")
        side_a, side_b = inc.get("actor_name") or "", inc.get("recipient_name") or ""
        swap = side_class(b_sec) == "state" and side_class(a_sec) != "state"
        if swap:
            side_a, side_b, a_sec, b_sec = side_b, side_a, b_sec, a_sec
        if not side_b and (acled_type == "Violence against civilians" or side_class(b_sec) == "civilian"):
            side_b = "Civilians"
        best = inc.get("fatalities_best") or 0
        # Split deaths by side with the report whose toll is the reconciled best (else the representative).
        chosen = next((c["event_id"] for c in rec["claims"] if c["fatalities"].get("best") == best),
                      rec["representative_event"])
        split = deaths(events.get(chosen, {}), best, side_class(a_sec) == "state", side_class(b_sec) == "state")
        info = country(inc.get("country"))
        lat, lon = inc.get("lat"), inc.get("lon")
        claims = rec["claims"]
        start, end = inc.get("date_start"), inc.get("date_end")
        rows.append({
            "id": int(inc["incident_id"][1:], 16),
            "relid": inc["incident_id"],
            "year": start.year if start else "",
            "active_year": "",
            "code_status": "Clear" if inc["n_articles"] > 1 else "Check",
            "type_of_violence": type_of_violence(a_sec, b_sec, acled_type),
            "conflict_dset_id": "", "conflict_new_id": "", "conflict_name": "",
            "dyad_dset_id": "", "dyad_new_id": "",
            "dyad_name": f"{side_a or 'unknown'} - {side_b or 'unknown'}",
            "side_a_dset_id": "", "side_a_new_id": "", "side_a": side_a,
            "side_b_dset_id": "", "side_b_new_id": "", "side_b": side_b,
            "number_of_sources": inc["n_articles"],
            "source_article": "; ".join(c.get("url") or c["article_id"] for c in claims),
            "source_office": inc.get("outlets") or "",
            "source_date": "; ".join(c.get("published") or "" for c in claims),
            "source_headline": "; ".join(c.get("title") or "" for c in claims),
            "source_original": "; ".join(sorted({c["sources"] for c in claims if c.get("sources")})),
            "where_prec": table["ucdp_where_prec"].get(inc.get("geo_precision") or "unknown", 6),
            "where_coordinates": inc.get("location_name") or "",
            "where_description": ", ".join(x for x in (inc.get("location_name"), inc.get("admin2"),
                                                        inc.get("admin1")) if x),
            "adm_1": inc.get("admin1") or "",
            "adm_2": inc.get("admin2") or "",
            "latitude": lat if lat is not None else "",
            "longitude": lon if lon is not None else "",
            "geom_wkt": f"POINT ({lon} {lat})" if lat is not None and lon is not None else "",
            "priogrid_gid": priogrid_gid(lat, lon) or "",
            "country": info.get("name", inc.get("country") or ""),
            "country_id": "",
            "region": info.get("region", ""),
            "event_clarity": 1 if inc.get("date_precision") == "day" else 2,
            "date_prec": table["ucdp_date_prec"].get(inc.get("date_precision") or "unknown", 5),
            "date_start": start.isoformat() if start else "",
            "date_end": end.isoformat() if end else "",
            **split,
            "best": best,
            "high": inc.get("fatalities_high") if inc.get("fatalities_high") is not None else best,
            "low": inc.get("fatalities_low") if inc.get("fatalities_low") is not None else best,
            "gwnoa": "", "gwnob": "",
        })
    return rows


def write_ucdp(incidents: list[dict], events: dict[str, dict], out: IO) -> int:
    return write_csv_rows(ucdp_rows(incidents, events), COLUMNS, out)

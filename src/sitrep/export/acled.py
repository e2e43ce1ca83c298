"""ACLED-style CSV: one row per incident that ACLED would code (an ACLED event type is known).

ACLED counts a happening once, so rows are incidents (merged across articles), `source` lists their outlets and
`fatalities` is the most conservative reconciled toll (the incident's low).
"""
from __future__ import annotations

import datetime as dt
import re
from typing import IO

from .codes import VIOLENT_ACLED_TYPES, codes, country, long_date
from .common import write_csv_rows

COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)

DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}

# Sentence openings that read on after "On 4 March 2020, " in lower case.
_LOWER_OPENERS = {"a", "an", "the", "at", "in", "on", "two", "three", "four", "five", "six", "seven", "eight",
                  "nine", "ten", "several", "dozens", "gunmen", "unidentified", "suspected", "police", "security",
                  "protesters", "demonstrators", "militants", "soldiers", "troops", "armed"}


def inter_code(sector, acled_type, role: str, actor_country=None, event_country=None):
    table = codes()
    by_type = table.get("acled_inter_by_event_type") or {}
    if role == "actor1" and acled_type in by_type:
        return by_type[acled_type]
    if role == "actor2" and acled_type == "Violence against civilians" and not sector:
        return 7
    code = table["acled_inter"].get(sector) if sector else None
    if code == 1 and actor_country and event_country and actor_country != event_country:
        return table.get("acled_inter_foreign_state", 8)
    return code


def interaction(inter1, inter2) -> str:
    if inter1 is None:
        return ""
    if inter2 is None:
        return f"{inter1}0"
    low, high = sorted((int(inter1), int(inter2)))
    return f"{low}{high}"


# A sentence that opens with its own date ("On 5 June 2021, ...", "On Sunday, ...") is not dated a second time.
_DATED_OPENING = re.compile(
    r"^on\s+[^,]{0,40}?\b(\d{1,4}|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|"
    r"march|april|may|june|july|august|september|october|november|december)\b[^,]{0,30},", re.IGNORECASE)


def notes(day: dt.date | None, sentence: str, claims: list[dict]) -> str:
    sentence = " ".join((sentence or "").split())
    if not day or _DATED_OPENING.match(sentence):
        text = sentence
    else:
        if sentence and sentence.split(" ", 1)[0].lower() in _LOWER_OPENERS:
            sentence = sentence[0].lower() + sentence[1:]
        text = f"On {long_date(day)}, {sentence}"
    tolls = [f"{c['fatalities']['best']} ({c.get('outlet') or c['article_id']})"
             for c in claims if (c.get("fatalities") or {}).get("best") is not None]
    if len(claims) > 1 and tolls:
        text += f" Fatalities reported: {', '.join(tolls)}."
    return text


def acled_rows(incidents: list[dict], events: dict[str, dict]) -> list[dict]:
    """ACLED rows for incident rows (with 'record'); `events` maps event_id -> stored event record."""
    table = codes()
    rows = []
    for inc in incidents:
        rec = inc["record"]
        acled_type = rec.get("acled_event_type")
        if not acled_type:
            continue
        rep = events.get(rec["representative_event"], {})
        day = inc.get("date_start")
        time_prec = table["acled_time_precision"].get(inc.get("date_precision") or "unknown", 3)
        if day is None:
            published = sorted(c["published"] for c in rec["claims"] if c.get("published"))
            day = dt.date.fromisoformat(published[0]) if published else None
            time_prec = 3
        inter1 = inter_code(rec.get("actor_sector"), acled_type, "actor1", rec.get("actor_country"),
                            inc.get("country"))
        actor1 = inc.get("actor_name") or ""
        if not actor1 and acled_type in VIOLENT_ACLED_TYPES:
            # ACLED's name for perpetrators nobody identified; it codes them as political militia (3).
            actor1, inter1 = "Unidentified Armed Group", 3
        inter2 = inter_code(rec.get("recipient_sector"), acled_type, "actor2", rec.get("recipient_country"),
                            inc.get("country"))
        actor2 = inc.get("recipient_name") or ("Civilians" if acled_type == "Violence against civilians" else "")
        info = country(inc.get("country"))
        civ = acled_type == "Violence against civilians" or rec.get("recipient_sector") == "CVL"
        rows.append({
            "event_id_cnty": f"{inc.get('country') or 'XXX'}{inc['incident_id'][1:]}",
            "event_date": day.isoformat() if day else "",
            "year": day.year if day else "",
            "time_precision": time_prec,
            "disorder_type": DISORDER.get(acled_type, ""),
            "event_type": acled_type,
            "sub_event_type": rec.get("acled_sub_event_type") or "",
            "actor1": actor1,
            "assoc_actor_1": "",
            "inter1": inter1 if inter1 is not None else "",
            "actor2": actor2,
            "assoc_actor_2": "",
            "inter2": inter2 if inter2 is not None else "",
            "interaction": "",
            "civilian_targeting": "Civilian targeting" if civ else "",
            "iso": info.get("isonumeric", ""),
            "region": info.get("region", ""),
            "country": info.get("name", inc.get("country") or ""),
            "admin1": inc.get("admin1") or "",
            "admin2": inc.get("admin2") or "",
            "admin3": "",
            "location": inc.get("location_name") or "",
            "latitude": inc.get("lat") if inc.get("lat") is not None else "",
            "longitude": inc.get("lon") if inc.get("lon") is not None else "",
            "geo_precision": table["acled_geo_precision"].get(inc.get("geo_precision") or "unknown", 3),
            "source": inc.get("outlets") or "; ".join(sorted({c["article_id"] for c in rec["claims"]})),
            "source_scale": "",
            "notes": notes(day, (rep.get("evidence") or {}).get("sentence", ""), rec["claims"]),
            "fatalities": inc.get("fatalities_low") or 0,
            "tags": f"reports={inc['n_articles']}",
            "timestamp": int(dt.datetime.combine(day, dt.time(), dt.timezone.utc).timestamp()) if day else "",
        })
        row = rows[-1]
        row["interaction"] = interaction(row["inter1"] or None, row["inter2"] or None)
    return rows


def write_acled(incidents: list[dict], events: dict[str, dict], out: IO) -> int:
    return write_csv_rows(acled_rows(incidents, events), COLUMNS, out)

"""sitrep serve, the API: filters, keyset pages, streamed exports, spans, incidents, aggregates and hostile input,
on both backends (a store built from tests/data/incidents with the events a correct extractor gives)."""
from __future__ import annotations

import csv
import io
import json

import pytest
from pg import gold_pairs, store_url  # noqa: F401

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from sitrep.incidents import recompute_incidents  # noqa: E402
from sitrep.serve import create_app  # noqa: E402
from sitrep.store import open_store  # noqa: E402
from sitrep.store.rows import casualty_counts  # noqa: E402


def build_store(target: str) -> list:
    pairs = gold_pairs()
    with open_store(target) as store:
        store.write_batch(pairs)
        recompute_incidents(store)
    return pairs


@pytest.fixture
def served(store_url):
    pairs = build_store(store_url)
    app = create_app(store_url)
    with TestClient(app) as client:
        yield client, pairs
    app.state.stores.close()


def records(pairs, status="reported"):
    return [e.to_record() for _a, evs in pairs for e in evs if status == "all" or e.status == status]


def get(client, url, status=200):
    r = client.get(url)
    assert r.status_code == status, r.text
    return r.json()


def test_serve_events_filters_agree_with_the_records(served):
    client, pairs = served
    recs = records(pairs)
    loc = lambda r: r.get("location") or {}  # noqa: E731
    cases = {
        "": len(recs),
        "country=AFG": sum(loc(r).get("country") == "AFG" for r in recs),
        "country=afg,ukr": sum(loc(r).get("country") in ("AFG", "UKR") for r in recs),
        "event_type=PROTEST,RETREAT": sum(r["event_type"] in ("PROTEST", "RETREAT") for r in recs),
        "acled_sub_event_type=Suicide bomb": sum(r["acled_sub_event_type"] == "Suicide bomb" for r in recs),
        "admin1=nangarhar": sum(loc(r).get("admin1") == "Nangarhar" for r in recs),
        "actor=russian": sum("Russian" in ((r.get("actor") or {}).get("name") or "") for r in recs),
        "recipient=police": sum("police" in ((r.get("recipient") or {}).get("name") or "") for r in recs),
        "fatalities_min=10": sum(((r.get("fatalities") or {}).get("total") or {}).get("best", 0) >= 10
                                 for r in recs if r.get("fatalities")),
        "bbox=30,45,40,55": sum(loc(r).get("lat") and 45 <= loc(r)["lat"] <= 55 and 30 <= loc(r)["lon"] <= 40
                                for r in recs),
        "q=market": sum("market" in r["evidence"]["sentence"].lower() for r in recs),
        "status=all": len(records(pairs, "all")),
        "status=historical": len(records(pairs, "historical")),
        "since=2024-05-15&until=2024-05-15": sum((r.get("date") or {}).get("start") == "2024-05-15" for r in recs),
    }
    assert cases["country=AFG"] and cases["q=market"] and cases["status=historical"]
    for query, expected in cases.items():
        body = get(client, f"/api/v1/events?{query}")
        assert body["total"] == expected, query
        assert body["count"] == min(expected, 100)


def test_serve_events_keyset_pages_cover_every_event_once(served):
    client, pairs = served
    url, seen, dates = "/api/v1/events?status=all&limit=4", [], []
    while url:
        body = get(client, url)
        assert body["total"] == len(records(pairs, "all"))
        seen += [e["event_id"] for e in body["events"]]
        dates += [(e.get("date") or {}).get("start") or e["article"]["published"] for e in body["events"]]
        url = body["next"]
    assert sorted(seen) == sorted(r["event_id"] for r in records(pairs, "all"))
    assert dates == sorted(dates, reverse=True)   # newest first


def test_serve_csv_and_geojson_stream_the_same_selection(served):
    client, _pairs = served
    listed = get(client, "/api/v1/events?country=AFG&limit=1000")
    r = client.get("/api/v1/events?country=AFG&format=csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["event_id"] for row in rows] == [e["event_id"] for e in listed["events"]]
    assert {row["country"] for row in rows} == {"AFG"} and all(row["outlet"] for row in rows)
    geo = get(client, "/api/v1/events?country=AFG&format=geojson")
    located = [e for e in listed["events"] if (e.get("location") or {}).get("lat") is not None]
    assert [f["id"] for f in geo["features"]] == [e["event_id"] for e in located]
    lean = get(client, "/api/v1/events?country=AFG&format=geojson&lean=true&limit=2")
    assert len(lean["features"]) == 2 and set(lean["features"][0]["properties"]) == {
        "event_type", "fatalities", "date", "country", "event_id"}


def test_serve_event_pages_carry_the_stored_records_with_article_and_incident(served):
    # The page's JSON is the stored record's text with article and incident spliced in (no decode/encode).
    client, pairs = served
    by_id = {e.event_id: (a, e) for a, evs in pairs for e in evs}
    body = get(client, "/api/v1/events?status=all&limit=1000")
    assert body["count"] == len(by_id)
    for got in body["events"]:
        article, event = by_id[got["event_id"]]
        assert got["article"]["outlet"] == article.outlet and got["article"]["url"] == article.url
        assert "incident_id" in got
        assert {k: v for k, v in got.items() if k not in ("article", "incident_id")} == json.loads(
            json.dumps(event.to_record()))


def test_serve_lean_geojson_matches_the_full_records(served):
    # The map's lean points come from flat columns only; they must say what the full records say.
    client, _pairs = served
    full = {e["event_id"]: e for e in get(client, "/api/v1/events?limit=1000")["events"]}
    lean = get(client, "/api/v1/events?format=geojson&lean=true")["features"]
    located = [e for e in full.values() if (e.get("location") or {}).get("lat") is not None]
    assert len(lean) == len(located) > 0
    for feat in lean:
        rec, props = full[feat["id"]], feat["properties"]
        assert props["fatalities"] == casualty_counts(rec.get("fatalities"))[1]
        assert props["date"] == ((rec.get("date") or {}).get("start") or rec["article"]["published"])
        assert props["event_type"] == rec["event_type"] and props["country"] == rec["location"]["country"]
        assert feat["geometry"]["coordinates"] == pytest.approx([rec["location"]["lon"], rec["location"]["lat"]],
                                                               abs=1e-5)
    cols = get(client, "/api/v1/events?format=points")
    assert len(cols["event_id"]) == len(lean)
    as_columns = {f["id"]: (f["properties"]["event_type"], f["properties"]["fatalities"], f["properties"]["date"],
                            f["properties"]["country"], *f["geometry"]["coordinates"]) for f in lean}
    assert {row[0]: row[1:] for row in zip(*(cols[c] for c in ("event_id", "event_type", "fatalities", "date",
                                                             "country", "lon", "lat")))} == as_columns
    newest = get(client, "/api/v1/events?format=points&limit=2")["event_id"]
    listed = [e["event_id"] for e in get(client, "/api/v1/events?limit=1000")["events"]
              if (e.get("location") or {}).get("lat") is not None]
    assert newest == listed[:2]


def test_serve_article_spans_are_the_stored_text(served):
    client, pairs = served
    for article, events in pairs:
        body = get(client, f"/api/v1/articles/{article.id}")
        assert body["text"] == article.text
        assert {e["event_id"] for e in body["events"]} == {e.event_id for e in events}
        for span in body["spans"]:
            assert article.text[span["start"]:span["end"]] == span["text"]
        fields = {(s["event_id"], s["field"]) for s in body["spans"]}
        assert all((e.event_id, "evidence.trigger") in fields for e in events)
    one = events[0].to_record()
    assert get(client, f"/api/v1/events/{one['event_id']}")["evidence"] == one["evidence"]


def test_serve_incident_shows_members_claims_and_merges(served):
    client, _pairs = served
    listing = get(client, "/api/v1/incidents?min_articles=5")
    assert listing["total"] == 1
    inc = get(client, f"/api/v1/incidents/{listing['incidents'][0]['incident_id']}")
    assert inc["n_articles"] == 5 and len(inc["members"]) == 5 and len(inc["record"]["claims"]) == 5
    assert inc["outlets"] == "Frontier Wire; Global Post; Kabul Daily"
    assert len(inc["record"]["links"]) == 4 and "Merges (in the order they were made):" in inc["explanation"]
    assert all(m["incident_id"] == inc["incident_id"] for m in inc["members"])
    assert get(client, "/api/v1/incidents?limit=100")["total"] == 7


def test_serve_timeline_and_stats_add_up(served):
    client, pairs = served
    total = len(records(pairs))
    for interval in ("day", "week", "month"):
        for by in ("event_type", "country"):
            body = get(client, f"/api/v1/timeline?interval={interval}&by={by}")
            assert sum(b["events"] for b in body["buckets"]) == total
    days = get(client, "/api/v1/timeline?interval=day&country=UKR")["buckets"]
    assert days == [{"bucket": "2024-05-14", "group": "ASSAULT", "events": 3, "fatalities": 8}]
    stats = get(client, "/api/v1/stats")
    assert stats["events"] == total
    for facet in ("event_type", "country", "status"):
        assert sum(v["count"] for v in stats["facets"][facet]) == total
    assert stats["facets"]["outlet"][0] == {"value": "Kabul Daily", "count": 5}
    changes = get(client, "/api/v1/changes?by=country")
    assert changes["week_end"] == stats["last_date"] and sum(r["this_week"] for r in changes["rows"]) == total


HOSTILE = [
    "/api/v1/events?country=AFG'--",
    "/api/v1/events?country=%27%20OR%201%3D1",
    "/api/v1/events?event_type=ASSAULT;DROP TABLE events",
    "/api/v1/events?since=2024-13-45",
    "/api/v1/events?since=2024-05-20&until=2024-05-01",
    "/api/v1/events?fatalities_min=-1",
    "/api/v1/events?fatalities_min=1e99",
    "/api/v1/events?fatalities_min=99999999999999999999999999",
    "/api/v1/events?limit=0",
    "/api/v1/events?limit=100000",
    "/api/v1/events?format=xml",
    "/api/v1/events?format=csv&cursor=abc",
    "/api/v1/events?cursor=%00%00",
    "/api/v1/events?cursor=WyJ4IiwieSJd",
    "/api/v1/events?bbox=1,2,3",
    "/api/v1/events?bbox=0,0,inf,1",
    "/api/v1/events?bbox=0,80,10,-80",
    "/api/v1/events?status=deleted",
    "/api/v1/events?q=" + "x" * 5000,
    "/api/v1/events?q=%00",
    "/api/v1/events/nope",
    "/api/v1/events/%00",
    "/api/v1/articles/..%2F..%2Fetc%2Fpasswd",
    "/api/v1/incidents?limit=-5",
    "/api/v1/incidents?offset=99999999999999999999",
    "/api/v1/incidents?country=%F0%9F%92%A3%F0%9F%92%A3%F0%9F%92%A3",
    "/api/v1/incidents/Izzz",
    "/api/v1/timeline?interval=year",
    "/api/v1/timeline?by=actor_name;--",
    "/api/v1/stats?top=100000",
    "/api/v1/changes?by=x",
    "/api/v1/nothing",
]


def test_serve_hostile_parameters_get_a_one_line_json_4xx(served):
    client, _pairs = served
    for url in HOSTILE:
        r = client.get(url)
        assert 400 <= r.status_code < 500, (url, r.status_code, r.text)
        assert "\n" not in r.text.strip()
        body = r.json()
        assert body["code"] in ("bad_parameter", "not_found") and body["status"] == r.status_code, url
    # unicode that is merely unusual is a valid query, not an error
    assert get(client, "/api/v1/events?q=%D9%82%D9%86%D8%AF%D9%87%D8%A7%D8%B1")["total"] == 0
    assert get(client, "/api/v1/events?actor=50%25_off")["total"] == 0   # % and _ are literal
    assert get(client, "/api/v1/events?actor=%ED%A0%80")["total"] == 0   # bad UTF-8 arrives as U+FFFD


def test_serve_nothing_writes(served):
    client, _pairs = served
    routes = [r for r in client.app.routes if getattr(r, "methods", None)]
    assert routes and all(r.methods <= {"GET", "HEAD"} for r in routes)
    for method in ("post", "put", "delete", "patch"):
        r = client.request(method.upper(), "/api/v1/events")
        assert r.status_code == 405 and r.json()["code"] == "method_not_allowed"
    spec = get(client, "/openapi.json")
    assert set(spec["paths"]) == {
        "/api/v1/events", "/api/v1/events/{event_id}", "/api/v1/articles/{article_id}", "/api/v1/incidents",
        "/api/v1/incidents/{incident_id}", "/api/v1/timeline", "/api/v1/stats", "/api/v1/changes",
        "/api/v1/commitments", "/api/v1/commitments/{commitment_id}", "/api/v1/map"}
    docs = client.get("/docs")
    assert docs.status_code == 200 and "http" not in docs.text.replace("http-equiv", "")

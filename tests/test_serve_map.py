"""GET /api/v1/map: the dashboard map's clusters, grouped in the database, on both backends. Every count is checked
against the events themselves (format=points), grouped here with this file's own Web Mercator grid: a cluster
holds exactly the events of its cell, a one-event cell is that event, and `located` counts every matching event
with coordinates whatever the view."""
from __future__ import annotations

import copy
import math
import random
from collections import defaultdict

import pytest
from pg import gold_pairs, store_url  # noqa: F401

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from sitrep.model import Place  # noqa: E402
from sitrep.serve import create_app  # noqa: E402
from sitrep.store import open_store  # noqa: E402

# Places that test the grid's edges: both sides of the antimeridian, lon = +-180, near the poles (beyond Web
# Mercator's 85.05 degrees), and a busy town (many events at one spot). None lies on a cell boundary.
EDGES = [(-180.0, 0.3), (180.0, 10.2), (179.99, -16.5), (-179.99, -16.6), (0.7, 89.5), (10.1, -89.0),
         (70.45, 34.43), (70.45, 34.43), (70.45, 34.43)]


def scattered_pairs(copies: int = 25, seed: int = 3) -> list:
    """The test articles' events copied `copies` times, each copy at random places around the world."""
    rng = random.Random(seed)
    out = []
    for n in range(copies):
        for article, events in gold_pairs():
            art = copy.deepcopy(article)
            art.id = f"{article.id}-{n}"
            art.text = article.text + f" [{n}]"
            evs = []
            for ev in events:
                e = copy.deepcopy(ev)
                e.article_id, e.event_id = art.id, f"{ev.event_id}-{n}"
                if e.location is not None and e.location.lat is not None:
                    lon, lat = rng.choice(EDGES) if rng.random() < 0.3 else (rng.uniform(-180, 180),
                                                                              rng.uniform(-80, 80))
                    e.location = Place(text=e.location.text, span=e.location.span, name=e.location.name,
                                       country=e.location.country, lat=lat, lon=lon, precision="point")
                evs.append(e)
            out.append((art, evs))
    return out


@pytest.fixture
def client(store_url):
    with open_store(store_url) as store:
        store.write_batch(scattered_pairs())
    app = create_app(store_url)
    with TestClient(app) as c:
        yield c
    app.state.stores.close()


def get(client, url: str, status: int = 200) -> dict:
    r = client.get(url)
    assert r.status_code == status, r.text
    return r.json()


def cell(lon: float, lat: float, zoom: int) -> tuple[int, int]:
    """(x, y) of the 48-pixel cell at `zoom` (a 512-pixel world at zoom 0), y from the top, as the map draws."""
    n = (512 * 2 ** zoom) // 48
    lat = max(-85.0511, min(85.0511, lat))
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2
    return min(n - 1, math.floor((lon + 180) / 360 * n)), min(n - 1, math.floor(y * n))


def located_events(client, query: str = "") -> dict[str, dict]:
    cols = get(client, f"/api/v1/events?format=points{'&' + query if query else ''}")
    return {row["event_id"]: row for row in (dict(zip(cols, values)) for values in zip(*cols.values()))}


def check_drawn(answer: dict, zoom: int, events: dict[str, dict]) -> int:
    """Each cluster holds exactly the events of its cell (or of two edge-neighbouring cells drawn as one), with
    their fatalities; each point is the one event of its cell; no event is drawn twice or left out."""
    per_cell = defaultdict(list)
    for e in events.values():
        per_cell[cell(e["lon"], e["lat"], zoom)].append(e)
    seen: set = set()
    merged = 0
    c = answer["clusters"]
    for lon, lat, n, dead, (w, s, e, north) in zip(c["lon"], c["lat"], c["count"], c["fatalities"], c["bounds"]):
        assert w <= lon <= e and s <= lat <= north   # drawn at the mean of its events, inside their box
        (x0, y0), (x1, y1) = cell(w, north, zoom), cell(e, s, zoom)
        cells = {(x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)}
        assert len(cells) == 1 or (len(cells) == 2 and (x1 - x0) + (y1 - y0) == 1), cells
        assert not cells & seen
        seen |= cells
        merged += len(cells) == 2
        members = [ev for key in cells for ev in per_cell[key]]
        assert n == len(members) >= 2 and dead == sum(ev["fatalities"] or 0 for ev in members)
    points = answer["points"]
    for i, ident in enumerate(points["event_id"]):
        key = cell(points["lon"][i], points["lat"][i], zoom)
        assert per_cell[key] == [events[ident]] and key not in seen
        assert {k: points[k][i] for k in points} == events[ident]   # what the map draws of it
        seen.add(key)
    assert seen == set(per_cell)
    return merged


def test_map_clusters_hold_exactly_the_events_of_their_cell(client):
    events = located_events(client)
    assert len(events) > 300
    merged = 0
    for zoom in range(0, 12):
        answer = get(client, f"/api/v1/map?zoom={zoom}")
        assert answer["located"] == answer["in_view"] == len(events)
        merged += check_drawn(answer, zoom, events)
    assert merged   # some clusters across a cell edge are drawn as one
    assert get(client, "/api/v1/map?zoom=0")["clusters"]["count"]          # the world view clusters
    assert get(client, "/api/v1/map?zoom=11")["points"]["event_id"]        # and splits when zoomed in
    busy = get(client, "/api/v1/map?zoom=11")["clusters"]                  # except events at one spot
    assert [70.45, 34.43, 70.45, 34.43] in busy["bounds"]
    extent = get(client, "/api/v1/map?zoom=3")["extent"]
    lons, lats = [e["lon"] for e in events.values()], [e["lat"] for e in events.values()]
    assert extent == [min(lons), min(lats), max(lons), max(lats)]


@pytest.mark.parametrize("zoom,view", [(5, "60,20,80,40"), (4, "170,-30,-170,0"), (9, "70,34,71,35"),
                                       (13, "70,34,71,35"), (12, "170,-30,-170,0")])
def test_map_view_sends_the_whole_cells_it_touches(client, zoom, view):
    events = located_events(client)
    answer = get(client, f"/api/v1/map?zoom={zoom}&view={view}")
    assert answer["located"] == len(events) and answer["truncated"] is False
    w, s, e, n = map(float, view.split(","))
    (x0, y0), (x1, y1) = cell(w, n, zoom), cell(e, s, zoom)
    xs = range(x0, x1 + 1) if x0 <= x1 else [*range(x0, (512 * 2 ** zoom) // 48), *range(0, x1 + 1)]
    touched = {ident: ev for ident, ev in events.items()
               if cell(ev["lon"], ev["lat"], zoom)[0] in xs and y0 <= cell(ev["lon"], ev["lat"], zoom)[1] <= y1}
    inside = [ident for ident, ev in events.items()
              if s <= ev["lat"] <= n and (w <= ev["lon"] <= e if w <= e else (ev["lon"] >= w or ev["lon"] <= e))]
    assert inside and set(inside) <= set(touched)
    assert answer["in_view"] == len(touched)
    if zoom >= 12:   # every event is a point, newest first
        assert sorted(answer["points"]["event_id"]) == sorted(touched) and not answer["clusters"]["count"]
    else:
        check_drawn(answer, zoom, touched)


def test_map_follows_the_filters_and_frames_the_selection(client):
    afg = located_events(client, "country=AFG&event_type=ASSAULT")
    assert 0 < len(afg) < len(located_events(client))
    answer = get(client, "/api/v1/map?zoom=2&country=AFG&event_type=ASSAULT")
    assert answer["located"] == answer["in_view"] == len(afg)
    assert sum(answer["clusters"]["count"]) + len(answer["points"]["event_id"]) == len(afg)
    # fit: the zoom at which fitBounds(extent, {padding: 60, maxZoom: 6}) leaves a 1400x900 map, and every cell
    zooms = []
    for selection in ("country=AFG&event_type=ASSAULT", "bbox=0,0,90,60", "bbox=70,34,71,35"):
        framed = get(client, f"/api/v1/map?fit=1400x900&zoom=9&view=0,0,1,1&{selection}")
        assert framed["located"] == framed["in_view"] == len(located_events(client, selection)) > 0
        w, s, e, n = framed["extent"]

        def span(zoom):
            (x0, y0), (x1, y1) = [((lon + 180) / 360 * 512 * 2 ** zoom,
                                   (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * 512 * 2 ** zoom)
                                  for lon, lat in ((w, min(n, 85.0511)), (e, max(s, -85.0511)))]
            return x1 - x0, y1 - y0

        z = framed["zoom"]
        zooms.append(z)
        assert 0 <= z <= 6 and span(z)[0] <= 1400 - 120 and span(z)[1] <= 900 - 120
        assert z == 6 or span(z + 1)[0] > 1280 or span(z + 1)[1] > 780
    assert zooms[0] < zooms[1] < zooms[2] == 6, zooms
    nothing = get(client, "/api/v1/map?fit=800x600&country=ZZZ")
    assert nothing["located"] == 0 and nothing["extent"] is None and not nothing["points"]["event_id"]


@pytest.mark.parametrize("query", ["zoom=25", "zoom=-1", "zoom=x", "view=1,2,3", "view=0,50,10,40",
                                   "view=1;DROP TABLE events,0,2,1", "fit=0x10", "fit=800", "fit=axb",
                                   "zoom=3&country=A'--"])
def test_map_hostile_parameters_get_a_one_line_400(client, query):
    body = get(client, f"/api/v1/map?{query}", status=400)
    assert body["code"] == "bad_parameter" and "\n" not in body["message"]

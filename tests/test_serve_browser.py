"""The dashboard in a real browser: Debian's chromium driven by Playwright, against a `sitrep serve` process on a
free 127.0.0.1 port. Screenshots of each view are saved in the test's temporary folder."""
from __future__ import annotations

import random
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from pg import gold_pairs
from test_serve_cli import start_server

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("/usr/bin/chromium is not installed (.ci/run installs Debian's chromium)", allow_module_level=True)
playwright = pytest.importorskip("playwright.sync_api")
pytest.importorskip("fastapi")

from sitrep.incidents import recompute_incidents  # noqa: E402
from sitrep.store import open_store  # noqa: E402


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("dash") / "sitrep.duckdb"
    with open_store(str(db)) as store:
        store.write_batch(gold_pairs())
        recompute_incidents(store)
    proc, url = start_server(db)
    yield url
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        # --no-sandbox: CI runs as root, where chromium's sandbox cannot start.
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    """A page that records every request and refuses any that would leave 127.0.0.1."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    pg.requested = []
    pg.outside = []
    pg.errors = []

    def route(r):
        if r.request.url.startswith(server) or r.request.url.startswith("data:") or r.request.url.startswith("blob:"):
            r.continue_()
        else:
            pg.outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    pg.on("request", lambda req: pg.requested.append(req.url))
    pg.on("pageerror", lambda exc: pg.errors.append(str(exc)))
    yield pg
    context.close()


def api(page, path: str, **params) -> dict:
    from urllib.request import urlopen
    import json

    base = page.url.split("?")[0].rstrip("/")
    query = "?" + urlencode(params) if params else ""
    with urlopen(f"{base}/api/v1/{path}{query}", timeout=20) as res:
        return json.loads(res.read())


def settle(page) -> None:
    page.wait_for_selector("body[data-ready='1']", timeout=30_000)
    page.wait_for_function("document.body.dataset.busy === '0'", timeout=30_000)
    page.wait_for_selector("#map[data-idle='1']", state="attached", timeout=30_000)


def open_dashboard(page, server, query: str = "") -> None:
    page.goto(server + query)
    settle(page)


def test_dashboard_loads_everything_from_localhost(page, server, tmp_path):
    open_dashboard(page, server)
    page.wait_for_function("document.querySelector('#map-count').dataset.count !== undefined")
    page.screenshot(path=str(tmp_path / "dashboard.png"))
    assert page.outside == [] and page.errors == []
    assert page.requested and all(u.startswith("http://127.0.0.1:") or u.startswith(("data:", "blob:"))
                                  for u in page.requested)
    assert any("/static/vendor/maplibre-gl/maplibre-gl-worker.mjs" in u for u in page.requested)
    assert any("/static/vendor/world-atlas/countries-50m.json" in u for u in page.requested)
    total = api(page, "events")["total"]
    assert page.get_attribute("#table-count", "data-total") == str(total)
    assert page.locator("#events tbody tr").count() == total
    located = len(api(page, "events", format="geojson", lean="true")["features"])
    assert page.get_attribute("#map-count", "data-count") == str(located)
    assert page.locator("#timeline rect").count() > 0 and page.locator("#changes tr").count() > 1


def test_dashboard_filters_agree_with_the_api(page, server, tmp_path):
    open_dashboard(page, server)
    page.fill("#filters input[name=country]", "UKR")
    page.select_option("#filters select[name=event_type]", "ASSAULT")   # a select change applies the form
    settle(page)
    page.wait_for_function("document.querySelector('#table-count').dataset.total === '3'")
    expected = api(page, "events", country="UKR", event_type="ASSAULT")
    assert page.get_attribute("#table-count", "data-total") == str(expected["total"]) == "3"
    shown = page.eval_on_selector_all("#events tbody tr", "rows => rows.map(r => r.dataset.eventId)")
    assert shown == [e["event_id"] for e in expected["events"]]
    page.wait_for_function("document.querySelector('#map-count').dataset.count === '3'")
    assert "country=UKR" in page.url and "event_type=ASSAULT" in page.url
    # a facet click narrows further, and the state survives a reload of the URL
    page.click("#facets [data-facet=actor] button[data-value='Russian forces']")
    settle(page)
    page.wait_for_function("document.querySelector('#table-count').dataset.total === '3'")
    page.reload()
    settle(page)
    assert page.input_value("#filters input[name=country]") == "UKR"
    assert page.get_attribute("#table-count", "data-total") == "3"
    page.screenshot(path=str(tmp_path / "filtered.png"))


def check_clicked_spans(page, picks: int = 20, seed: int = 11) -> None:
    """Click `picks` random linked values of the event table; each must highlight exactly its stored span."""
    cells = page.locator("#events tbody td.v")
    n = cells.count()
    assert n >= picks
    articles: dict[str, dict] = {}
    for i in random.Random(seed).sample(range(n), picks):
        cell = cells.nth(i)
        field = cell.get_attribute("data-field")
        event_id = cell.locator("xpath=..").get_attribute("data-event-id")
        cell.click()
        page.wait_for_function(
            "([f, id]) => document.querySelector('#evidence').dataset.active === f && "
            "new URLSearchParams(location.search).get('event') === id && "
            "document.querySelectorAll('#article-text .seg.active').length > 0", arg=[field, event_id])
        settle(page)
        shown = "".join(page.eval_on_selector_all("#article-text .seg.active", "s => s.map(x => x.textContent)"))
        event = api(page, f"events/{event_id}")
        if event["article_id"] not in articles:
            articles[event["article_id"]] = api(page, f"articles/{event['article_id']}")
        stored = [s for s in articles[event["article_id"]]["spans"] if s["event_id"] == event_id and s["field"] == field]
        assert len(stored) == 1 and shown == stored[0]["text"], (event_id, field)
        text = articles[event["article_id"]]["text"]
        assert text[stored[0]["start"]:stored[0]["end"]] == shown


def test_dashboard_clicked_values_highlight_their_stored_span(page, server, tmp_path):
    open_dashboard(page, server, "?status=all")
    check_clicked_spans(page)
    page.screenshot(path=str(tmp_path / "evidence.png"))
    # the evidence pane's own field links move the highlight
    page.click("#evidence .field-link[data-field='evidence.trigger']")
    assert page.get_attribute("#evidence", "data-active") == "evidence.trigger"


def test_dashboard_timeline_brush_filters_the_table(page, server, tmp_path):
    open_dashboard(page, server)
    box = page.locator("#timeline").bounding_box()
    n = int(page.get_attribute("#timeline", "data-buckets"))
    assert n == 7   # 2024-05-14 .. 2024-05-20, one bar per day, empty days included
    # drag across the first bucket only (2024-05-14)
    x0, x1, y = box["x"] + 3, box["x"] + box["width"] / n - 3, box["y"] + 50
    page.mouse.move(x0, y)
    page.mouse.down()
    page.mouse.move(x1, y, steps=5)
    page.mouse.up()
    page.wait_for_function("new URLSearchParams(location.search).get('until') === '2024-05-14'")
    settle(page)
    assert "since=2024-05-14" in page.url
    expected = api(page, "events", since="2024-05-14", until="2024-05-14")["total"]
    page.wait_for_function(f"document.querySelector('#table-count').dataset.total === '{expected}'")
    page.screenshot(path=str(tmp_path / "timeline.png"))
    assert_date_labels_fit(page)
    # narrower (the evidence pane open): drawn again, the end labels still apart and inside the chart
    page.locator("#events tbody td.v").first.click()
    page.wait_for_selector("#evidence:not([hidden])")
    page.wait_for_function("document.querySelector('#timeline').dataset.width == "
                           "String(document.querySelector('#timeline').clientWidth)")
    assert_date_labels_fit(page)
    page.locator("#timeline-box").screenshot(path=str(tmp_path / "timeline-narrow.png"))


def assert_date_labels_fit(page) -> None:
    """The timeline's date labels: first and last bucket labelled, none overlapping, all inside the chart."""
    boxes = page.evaluate("""() => [...document.querySelectorAll('#timeline text')].map((t) => {
        const b = t.getBBox(); return [b.x, b.x + b.width, t.textContent]; })""")
    width = page.evaluate("document.querySelector('#timeline').clientWidth")
    edges = sorted(boxes)   # left to right
    dates = [b[2] for b in edges]
    buckets = page.eval_on_selector_all("#timeline rect[data-bucket]", "rs => rs.map(r => r.dataset.bucket)")
    assert dates[0] == min(buckets) and dates[-1] == max(buckets), dates
    assert dates == sorted(dates) and len(dates) >= 2
    assert edges[0][0] >= 0 and edges[-1][1] <= width, (edges, width)
    assert all(a[1] + 4 <= b[0] for a, b in zip(edges, edges[1:])), edges


def test_dashboard_exports_the_selection(page, server, tmp_path):
    import pandas as pd

    open_dashboard(page, server, "?country=AFG")
    with page.expect_download() as info:
        page.click("#export-csv")
    path = tmp_path / "export.csv"
    info.value.save_as(path)
    frame = pd.read_csv(path)
    expected = api(page, "events", country="AFG", limit=1000)
    assert len(frame) == expected["total"] == int(page.get_attribute("#table-count", "data-total"))
    assert list(frame["event_id"]) == [e["event_id"] for e in expected["events"]]
    assert set(frame["country"]) == {"AFG"}
    with page.expect_download() as info:
        page.click("#export-geojson")
    geo = tmp_path / "export.geojson"
    info.value.save_as(geo)
    import json

    features = json.loads(geo.read_text())["features"]
    assert {f["properties"]["country"] for f in features} == {"AFG"} and len(features) == len(frame)


def test_dashboard_incident_page_shows_claims_side_by_side(page, server, tmp_path):
    inc = api(page_url_base(page, server), "incidents", min_articles=5)["incidents"][0]
    open_dashboard(page, server)
    page.click(f"#events tbody a[href='?incident={inc['incident_id']}'] >> nth=0")
    page.wait_for_selector("#incident-page:not([hidden]) .claim")
    settle(page)
    assert page.locator(".claim").count() == 5
    assert not page.is_visible("#dashboard") and f"incident={inc['incident_id']}" in page.url
    assert page.inner_text("#outlets") == "Frontier Wire; Global Post; Kabul Daily"
    tolls = sorted(re.findall(r"killed (\d+)", " ".join(page.locator(".claim .toll").all_inner_texts())))
    assert tolls == ["12", "15", "20"]
    assert page.locator(".merge li.crit-ok").count() >= 4 * 7
    page.screenshot(path=str(tmp_path / "incident.png"), full_page=True)
    page.click("text=← back to the dashboard")
    assert page.is_visible("#dashboard")


def map_features(page, layer: str) -> list[dict]:
    return page.evaluate("""(layer) => sitrepMap.queryRenderedFeatures({ layers: [layer] }).map((f) => ({
        props: f.properties, coords: f.geometry.coordinates,
        px: (({ x, y }) => [x, y])(sitrepMap.project(f.geometry.coordinates)) }))""", layer)


def click_map(page, px) -> None:
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + px[0], box["y"] + px[1])


def wait_map_idle(page) -> None:
    page.wait_for_selector("#map[data-idle='1']", state="attached", timeout=30_000)
    page.wait_for_function("document.body.dataset.busy === '0'", timeout=30_000)


def test_dashboard_map_clusters_count_the_api_and_clicks_work(page, server, tmp_path):
    open_dashboard(page, server, "?view_map=50,35,1.5")
    clusters = map_features(page, "clusters")
    assert clusters
    # each cluster holds exactly the events the API finds in its box: the server's grid cells are disjoint
    for c in clusters:
        p = c["props"]
        box = f"{p['west']},{p['south']},{p['east']},{p['north']}"
        assert api(page, "events", bbox=box)["total"] == p["point_count"]
    assert sum(c["props"]["point_count"] for c in clusters) + len(map_features(page, "points")) \
        == int(page.get_attribute("#map-count", "data-count"))
    page.screenshot(path=str(tmp_path / "map-world.png"))
    # a click on a cluster zooms in until it splits
    biggest = max(clusters, key=lambda c: c["props"]["point_count"])
    zoom = page.evaluate("sitrepMap.getZoom()")
    click_map(page, biggest["px"])
    page.wait_for_function(f"sitrepMap.getZoom() > {zoom + 0.9} && !sitrepMap.isMoving()")
    wait_map_idle(page)
    assert page.evaluate("sitrepMap.getZoom()") >= int(zoom) + 1
    # at the zoom where every event is a point, a click on one opens its evidence
    page.evaluate("sitrepMap.jumpTo({ center: [70.447, 34.4301], zoom: 13 })")
    wait_map_idle(page)
    points = map_features(page, "points")
    assert points and not map_features(page, "clusters")
    target = points[0]
    on_top = page.evaluate("(px) => sitrepMap.queryRenderedFeatures(px, { layers: ['points'] })[0].properties.event_id",
                           target["px"])
    click_map(page, target["px"])
    page.wait_for_function("(id) => new URLSearchParams(location.search).get('event') === id", arg=on_top)
    page.wait_for_selector("#evidence:not([hidden]) #article-text .seg.active")
    assert page.errors == [] and page.outside == []
    page.screenshot(path=str(tmp_path / "map-point.png"))


class page_url_base:
    """Stands in for a page in api() before the page has loaded anything."""

    def __init__(self, page, server):
        self.url = server


@pytest.fixture(scope="module")
def ledger_server(tmp_path_factory, extractor):
    from ledger_data import build_ledger_store

    db = tmp_path_factory.mktemp("ledger-dash") / "sitrep.duckdb"
    commitment_id = build_ledger_store(str(db), extractor)
    proc, url = start_server(db)
    yield url, commitment_id
    proc.terminate()
    proc.wait(timeout=30)


def test_dashboard_commitments_panel(browser, ledger_server, tmp_path):
    url, commitment_id = ledger_server
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        open_dashboard(page, url)
        page.click("#open-commitments")
        page.wait_for_selector(f"#commitments tbody tr[data-id='{commitment_id}']")
        row = page.locator(f"#commitments tbody tr[data-id='{commitment_id}']")
        assert "broken" in row.inner_text() and "ceasefire" in row.inner_text()
        row.click()
        page.wait_for_selector("#breach-list li")
        # the line: one point per day of the baseline and the window, the window shaded
        points = page.get_attribute("#commitment-line polyline", "points").split()
        assert len(points) == 14
        assert page.locator("#commitment-line rect.window").count() == 1
        breaches = page.locator("#breach-list li[data-relation='breach']")
        assert breaches.count() == 1 and "attacked an army post" in breaches.inner_text()
        assert "broken" in page.inner_text("#status-history")
        assert f"commitment={commitment_id}" in page.url
        page.screenshot(path=str(tmp_path / "commitments.png"))
        assert errors == []
    finally:
        context.close()

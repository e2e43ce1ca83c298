"""The dashboard in a real browser over a store that the real extractor built from dev articles (../shared): UCDP
GED headlines from around the world and GVDB news articles, ingested with `sitrep ingest`. Skips without ../shared
or chromium. Screenshots are saved in the test's temporary folder."""
from __future__ import annotations

import json

import pytest
from test_serve_browser import CHROMIUM, api, browser, check_clicked_spans, open_dashboard, page, settle  # noqa: F401
from test_serve_cli import sitrep, start_server

if not CHROMIUM.exists():
    pytest.skip("/usr/bin/chromium is not installed", allow_module_level=True)

PER_SET = {"ucdp-ged-dev": 80, "gvdb-dev": 20}


@pytest.fixture(scope="module")
def server(tmp_path_factory, shared_dir):
    folder = tmp_path_factory.mktemp("dev-dash")
    articles = folder / "articles.jsonl"
    with articles.open("w", encoding="utf-8") as out:
        for name, n in PER_SET.items():
            lines = (shared_dir / "eval-data" / "dev" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
            for line in lines[:n]:
                doc = json.loads(line)
                out.write(json.dumps({k: doc.get(k) for k in ("id", "title", "text", "published")}) + "\n")
    db = folder / "dev.duckdb"
    proc = sitrep("ingest", str(articles), "--db", str(db))
    _out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    proc, url = start_server(db)
    yield url
    proc.terminate()
    proc.wait(timeout=30)


def test_dev_dashboard_counts_agree_with_the_api(page, server, tmp_path):
    open_dashboard(page, server)
    assert page.outside == [] and page.errors == []
    total = api(page, "events")["total"]
    assert total > 50
    page.wait_for_function(f"document.querySelector('#table-count').dataset.total === '{total}'")
    located = len(api(page, "events", format="points")["event_id"])
    assert page.get_attribute("#map-count", "data-count") == str(located) and located > 0
    page.screenshot(path=str(tmp_path / "dev-dashboard.png"))
    # filter by the commonest country and event type, as an analyst would from the facets
    stats = api(page, "stats")
    country = stats["facets"]["country"][0]["value"]
    page.fill("#filters input[name=country]", country)
    page.select_option("#filters select[name=event_type]", "ASSAULT")
    settle(page)
    expected = api(page, "events", country=country, event_type="ASSAULT", limit=1000)
    page.wait_for_function(f"document.querySelector('#table-count').dataset.total === '{expected['total']}'")
    points = api(page, "events", country=country, event_type="ASSAULT", format="points")
    page.wait_for_function(f"document.querySelector('#map-count').dataset.count === '{len(points['event_id'])}'")
    shown = page.eval_on_selector_all("#events tbody tr", "rows => rows.map(r => r.dataset.eventId)")
    assert shown == [e["event_id"] for e in expected["events"]][:len(shown)] and shown
    page.screenshot(path=str(tmp_path / "dev-filtered.png"))


def test_dev_dashboard_clicked_values_highlight_their_stored_span(page, server, tmp_path):
    open_dashboard(page, server, "?status=all")
    check_clicked_spans(page, picks=20, seed=5)
    page.screenshot(path=str(tmp_path / "dev-evidence.png"))

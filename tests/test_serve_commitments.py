"""The commitment routes of the API, against a real `sitrep serve` process on a free 127.0.0.1 port."""
from __future__ import annotations

import json
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest

pytest.importorskip("fastapi")

from ledger_data import build_ledger_store  # noqa: E402
from test_serve_cli import start_server  # noqa: E402


@pytest.fixture(scope="module")
def served(tmp_path_factory, extractor):
    db = tmp_path_factory.mktemp("ledger") / "sitrep.duckdb"
    commitment_id = build_ledger_store(str(db), extractor)
    proc, url = start_server(db)
    yield url, commitment_id
    proc.terminate()
    proc.wait(timeout=30)


def get(url: str) -> tuple[int, dict]:
    try:
        with urlopen(url, timeout=30) as res:
            return res.status, json.loads(res.read())
    except HTTPError as err:
        return err.code, json.loads(err.read())


def test_commitments_list_and_filters(served):
    url, cid = served
    status, body = get(url + "api/v1/commitments")
    assert status == 200 and body["count"] == 1
    row = body["commitments"][0]
    assert row["commitment_id"] == cid and row["holder_code"] == "COLREB" and row["status"] == "broken"
    assert (row["in_count"], row["baseline_count"]) == (1, 1)
    assert get(url + "api/v1/commitments?holder=COL")[1]["count"] == 1
    assert get(url + "api/v1/commitments?holder=AFG")[1]["count"] == 0
    assert get(url + "api/v1/commitments?status=kept")[1]["count"] == 0


def test_commitment_detail_with_links_counts_and_daily_line(served):
    url, cid = served
    status, body = get(url + f"api/v1/commitments/{cid}")
    assert status == 200
    assert [(link["relation"], link["period"]) for link in body["links"]] == [("breach", "in"), ("baseline", "baseline")]
    check = body["record"]["check"]
    assert check["window"] == {"start": "2024-05-13", "end": "2024-05-19", "days": 7,
                               "baseline_start": "2024-05-06", "baseline_end": "2024-05-12"}
    assert check["in_window"]["fatalities"]["best"] == 2 and check["baseline"]["fatalities"]["best"] == 1
    daily = body["daily"]
    assert len(daily) == 14 and daily[0]["day"] == "2024-05-06" and daily[-1]["day"] == "2024-05-19"
    assert [d["day"] for d in daily if d["events"]] == ["2024-05-08", "2024-05-15"]
    assert body["history"][0]["status"] == "broken"


@pytest.mark.parametrize("path,status,code", [
    ("api/v1/commitments/Cnothing", 404, "not_found"),
    ("api/v1/commitments?status=bogus", 400, "bad_parameter"),
    ("api/v1/commitments?limit=5000", 400, "bad_parameter"),
])
def test_commitment_errors_are_one_line_json(served, path, status, code):
    url, _cid = served
    got, body = get(url + path)
    assert got == status and body["code"] == code and "\n" not in body["message"]

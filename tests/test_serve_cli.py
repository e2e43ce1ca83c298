"""sitrep serve as a command: one-line errors for a missing store and a taken port, a second writer refused while
serving, and a property run of generated requests from the OpenAPI schema that must never get a 5xx."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from pg import gold_pairs

pytest.importorskip("fastapi")
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from sitrep.incidents import recompute_incidents  # noqa: E402
from sitrep.store import open_store  # noqa: E402

SRC = Path(__file__).resolve().parents[1] / "src"


def sitrep(*args, **kw) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.Popen([sys.executable, "-m", "sitrep.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, **kw)


def start_server(db: Path) -> tuple[subprocess.Popen, str]:
    """A `sitrep serve` process on a free port, and its URL (read from the line it prints when ready)."""
    proc = sitrep("serve", "--db", str(db), "--port", "0")
    line = proc.stderr.readline()
    if not line.startswith("sitrep serve: http://127.0.0.1:"):
        proc.kill()
        raise AssertionError(f"serve did not start: {line}{proc.stderr.read()}")
    return proc, line.split()[2]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("serve") / "sitrep.duckdb"
    with open_store(str(path)) as store:
        store.write_batch(gold_pairs())
        recompute_incidents(store)
    return path


def test_serve_missing_store_is_one_line(tmp_path):
    proc = sitrep("serve", "--db", str(tmp_path / "absent.duckdb"), "--port", "0")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert err.splitlines() == [f"Error: no database at {tmp_path / 'absent.duckdb'}; run `sitrep ingest` first"]


def test_serve_taken_port_is_one_line(db):
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen(1)
        port = held.getsockname()[1]
        proc = sitrep("serve", "--db", str(db), "--port", str(port))
        _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert err.splitlines() == [f"Error: port {port} on 127.0.0.1 is already in use; stop the other server or "
                                "pick another with --port"]


def test_serve_second_writer_is_refused_while_serving(db, tmp_path):
    proc, url = start_server(db)
    try:
        article = tmp_path / "a.jsonl"
        article.write_text(json.dumps({"id": "x1", "text": "Police arrested two men in Kabul on Monday.",
                                       "published": "2024-05-20"}) + "\n")
        writer = sitrep("ingest", str(article), "--db", str(db))
        _out, err = writer.communicate(timeout=120)
        assert writer.returncode == 1
        lines = err.splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"Error: cannot open database {db}:")
        assert "locked by another process" in lines[0]
        import httpx

        assert httpx.get(url + "api/v1/stats", timeout=10).json()["events"] == 14   # still serving, unchanged
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    with open_store(str(db), read_only=True) as store:
        assert store.counts().articles == 11


# -- generated requests ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def client(db):
    from fastapi.testclient import TestClient

    from sitrep.serve import create_app

    app = create_app(str(db))
    with TestClient(app) as c:
        yield c
    app.state.stores.close()


VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["AFG", "UKR", "ASSAULT", "PROTEST,ASSAULT", "2024-05-14", "2024-13-01", "all", "reported",
                     "60,30,75,40", "-180,-90,180,90", "170,-10,-170,10", "json", "csv", "geojson", "day", "week",
                     "month", "country", "event_type", "0", "-1", "1000", "1001", "99999999999999999999", "1e9",
                     "NaN", "' OR 1=1 --", "%", "_", "\\", "Ω", "I", "kd-101", "true"]),
    st.integers(min_value=-2**70, max_value=2**70).map(str),
)


@pytest.fixture(scope="module")
def operations(client):
    spec = client.get("/openapi.json").json()
    return [(path, [p for p in ops["get"].get("parameters", [])]) for path, ops in spec["paths"].items()]


N_GENERATED = 1200


@settings(max_examples=N_GENERATED, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(data=st.data())
def test_serve_generated_requests_never_get_a_5xx(client, operations, data):
    path, params = data.draw(st.sampled_from(operations))
    query = {}
    for p in params:
        value = data.draw(VALUES)
        if p["in"] == "path":
            path = path.replace("{" + p["name"] + "}", quote(value, safe="") or "x")
        elif data.draw(st.booleans()):
            query[p["name"]] = value
    r = client.get(path, params=query)
    assert r.status_code < 500, (path, query, r.text)
    if r.status_code >= 400:
        body = r.json()
        assert set(body) == {"code", "status", "message"} and "\n" not in r.text.strip()

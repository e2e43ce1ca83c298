"""Exports: ACLED, UCDP GED, PLOVER, GeoJSON and Parquet files that read back cleanly, with each format's codes."""
from __future__ import annotations

import io
import json

import pandas as pd
import pyarrow.parquet as pq
import pytest
from pg import gold_pairs, store, store_url  # noqa: F401 - fixtures

from sitrep.cli import main
from sitrep.errors import ConfigError, ExportError
from sitrep.export import FORMATS, export_events
from sitrep.export.acled import COLUMNS as ACLED_COLUMNS, interaction
from sitrep.export.ucdp import COLUMNS as UCDP_COLUMNS, priogrid_gid
from sitrep.incidents import recompute_incidents


@pytest.fixture
def filled(store):
    store.write_batch(gold_pairs())
    recompute_incidents(store)
    return store


def test_export_acled_columns_and_codes(filled, tmp_path):
    path = tmp_path / "acled.csv"
    result = export_events(filled, "acled", str(path))
    df = pd.read_csv(path)
    assert list(df.columns) == list(ACLED_COLUMNS)
    assert result.rows == len(df) == 6            # 7 incidents; the market reopening has no ACLED type
    market = df[df.sub_event_type == "Suicide bomb"].iloc[0]
    assert market.event_date == "2024-05-14" and market.year == 2024
    assert market.fatalities == 12               # the most conservative of 12, 15 and 20
    assert (market.inter1, market.inter2, market.interaction) == (2, 7, 27)
    assert market.civilian_targeting == "Civilian targeting"
    assert (market.geo_precision, market.time_precision) == (1, 1)
    assert market.country == "Afghanistan" and market.iso == 4
    assert market.source == "Frontier Wire; Global Post; Kabul Daily"
    assert market.notes.startswith("On 14 May 2024, a suicide bomber blew himself up")
    assert "12 (Kabul Daily), 20 (Frontier Wire), 15 (Global Post)" in market.notes
    strike = df[df.sub_event_type == "Air/drone strike"].iloc[0]
    assert (strike.inter1, strike.inter2, strike.interaction) == (8, 2, 28)   # US forces outside the US
    protest = df[df.event_type == "Protests"].iloc[0]
    assert (protest.inter1, protest.interaction, protest.disorder_type) == (6, 60, "Demonstrations")
    assert set(df.event_type) <= {"Battles", "Explosions/Remote violence", "Violence against civilians",
                                  "Protests", "Riots", "Strategic developments"}


def test_export_ucdp_columns_and_codes(filled, tmp_path):
    path = tmp_path / "ged.csv"
    export_events(filled, "ucdp", str(path))
    df = pd.read_csv(path, keep_default_na=False)
    assert list(df.columns) == list(UCDP_COLUMNS)
    assert len(df) == 5                           # the violent incidents only
    assert (df.best == df.deaths_a + df.deaths_b + df.deaths_civilians + df.deaths_unknown).all()
    assert ((df.low <= df.best) & (df.best <= df.high)).all()
    market = df[df.number_of_sources == 5].iloc[0]
    assert (market.low, market.best, market.high) == (12, 15, 20)
    assert market.type_of_violence == 3           # IS-K against civilians: one-sided
    assert (market.where_prec, market.date_prec) == (1, 1)
    assert market.geom_wkt == "POINT (70.4515 34.4265)"
    strike = df[df.where_coordinates == "Lashkar Gah"].iloc[0]
    assert strike.type_of_violence == 1 and strike.side_a == "US military"
    kharkiv = df[df.where_coordinates == "Kharkiv"].iloc[0]
    assert (kharkiv.best, kharkiv.number_of_sources, kharkiv.type_of_violence) == (3, 2, 3)


def test_export_plover_records(filled, tmp_path):
    path = tmp_path / "plover.jsonl"
    result = export_events(filled, "plover", str(path))
    df = pd.read_json(path, lines=True)
    assert len(df) == result.rows == 14           # 15 events, one historical
    assert {"id", "has_event", "date", "event", "mode", "quad_code", "actor", "recipient", "event_loc",
            "size", "text_info"} <= set(df.columns)
    rec = next(r for r in map(json.loads, path.read_text().splitlines()) if r["event_loc"]["name"] == "Chuhuiv")
    assert (rec["event"], rec["quad_code"], rec["event_loc"]["resolution"]) == ("ASSAULT", 4, 5)
    assert rec["actor"]["sector"] == "MIL" and rec["size"]["dead"] == 1
    as_array = tmp_path / "plover.json"
    export_events(filled, "plover", str(as_array))
    assert len(json.loads(as_array.read_text())) == 14


def test_export_geojson_feature_collection(filled, tmp_path):
    path = tmp_path / "events.geojson"
    export_events(filled, "geojson", str(path))
    doc = json.loads(path.read_text())
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 14
    feat = doc["features"][0]
    lon, lat = feat["geometry"]["coordinates"]
    assert -180 <= lon <= 180 and -90 <= lat <= 90
    props = pd.json_normalize([f["properties"] for f in doc["features"]])
    assert props.incident_id.notna().all() and set(props.event_type) == {"ASSAULT", "PROTEST", "RETREAT"}


def test_export_parquet_one_file_per_table(filled, tmp_path):
    out = tmp_path / "pq"
    result = export_events(filled, "parquet", str(out))
    assert result.tables == {"articles": 11, "events": 15, "spans": result.tables["spans"], "incidents": 7,
                             "incident_events": 14}
    events = pq.read_table(out / "events.parquet").to_pandas()
    assert len(events) == 15 and json.loads(events.record.iloc[0])["event_id"] == events.event_id.iloc[0]
    incidents = pd.read_parquet(out / "incidents.parquet")
    assert sorted(incidents.n_articles.tolist()) == [1, 1, 1, 2, 2, 2, 5]
    articles = pd.read_parquet(out / "articles.parquet")
    assert set(articles.outlet) == {"Kabul Daily", "Frontier Wire", "Global Post", "World Service", "Euro Tribune"}


def test_export_to_stream(filled):
    buf = io.StringIO()
    export_events(filled, "acled", None, stream=buf)
    assert buf.getvalue().startswith("event_id_cnty,event_date,")


def test_export_unknown_format(filled):
    with pytest.raises(ConfigError, match="unknown export format 'shapefile'"):
        export_events(filled, "shapefile", "x")


def test_export_parquet_needs_a_directory(filled, tmp_path):
    with pytest.raises(ConfigError, match="needs a directory"):
        export_events(filled, "parquet", None)
    (tmp_path / "file").write_text("x")
    with pytest.raises(ExportError, match="is a file"):
        export_events(filled, "parquet", str(tmp_path / "file"))


def test_export_full_disk_is_export_error(filled):
    with pytest.raises(ExportError, match="no space left on device"):
        export_events(filled, "geojson", "/dev/full")


def test_export_failed_write_leaves_no_partial_file(filled, tmp_path, monkeypatch):
    import sitrep.export.geojson as geo

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(geo.json, "dump", boom)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ExportError, match="no space left"):
        export_events(filled, "geojson", str(out / "e.geojson"))
    assert list(out.iterdir()) == []


def test_export_missing_directory(filled, tmp_path):
    with pytest.raises(ExportError, match="cannot write"):
        export_events(filled, "acled", str(tmp_path / "no" / "x.csv"))


@pytest.mark.parametrize("inter1, inter2, expected", [(1, 2, "12"), (2, 1, "12"), (6, None, "60"), (None, 7, "")])
def test_acled_interaction_lower_code_first(inter1, inter2, expected):
    assert interaction(inter1, inter2) == expected


@pytest.mark.parametrize("lat, lon, gid", [(-89.9, -179.9, 1), (-89.9, 179.9, 720), (89.9, 179.9, 259200),
                                            (0.1, 0.1, 180 * 720 + 361)])
def test_ucdp_priogrid(lat, lon, gid):
    assert priogrid_gid(lat, lon) == gid


def test_cli_export_every_format(tmp_path, capsys):
    from sitrep.store import open_store

    db = str(tmp_path / "x.duckdb")
    with open_store(db) as s:
        s.write_batch(gold_pairs())
        recompute_incidents(s)
    for fmt in FORMATS:
        out = tmp_path / f"out-{fmt}"
        assert main(["export", "--format", fmt, "--db", db, "-o", str(out)]) == 0
        assert capsys.readouterr().err.startswith(f"exported ")
        assert out.exists()
    assert main(["export", "--format", "acled", "--db", db, "--country", "UKR"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and all(line.startswith("UKR") for line in lines[1:])
    assert main(["export", "--format", "kml", "--db", db]) == 1
    assert capsys.readouterr().err.startswith("Error: unknown format 'kml'; choose one of: acled, ucdp")
    assert main(["export", "--format", "acled", "--db", db, "-o", "/dev/full"]) == 1
    assert capsys.readouterr().err == "Error: cannot write /dev/full: no space left on device\n"


# How precise a place is, from the text through the store to each format's code: a town named (1 / 1), a
# village the index lacks placed at the district written after it (ACLED 2 / UCDP 3), a region named alone
# (3 / 4), a country only (3 / 6).
PRECISION_NOTES = [
    ("p-town", "On 2 June 2021, gunmen shot dead a trader in Beledweyne, Hiraan region.", "Beledweyne", 1, 1),
    ("p-village", "On 3 June 2021, militants killed two farmers in Kwaga village (Mubi North, Adamawa).", "Kwaga", 2, 3),
    ("p-region", "On 4 June 2021, militants shelled villages across Hiraan region, killing a child.", "Hiraan", 3, 4),
    ("p-country", "On 5 June 2021, soldiers killed 12 Boko Haram militants in Nigeria.", "Nigeria", 3, 6),
]


def test_export_precision_codes_follow_the_location_precision(store, extractor, tmp_path):
    import datetime as dt

    from sitrep.ingest.clean import make_article

    pairs = []
    for article_id, text, _place, _acled, _ucdp in PRECISION_NOTES:
        article = make_article(article_id, text, published=dt.date(2021, 6, 6))
        pairs.append((article, extractor.extract(article)))
    store.write_batch(pairs)
    recompute_incidents(store)
    export_events(store, "acled", str(tmp_path / "acled.csv"))
    export_events(store, "ucdp", str(tmp_path / "ged.csv"))
    acled = pd.read_csv(tmp_path / "acled.csv", keep_default_na=False).set_index("location")
    ged = pd.read_csv(tmp_path / "ged.csv", keep_default_na=False).set_index("where_coordinates")
    for _id, _text, place, acled_code, ucdp_code in PRECISION_NOTES:
        assert acled.loc[place, "geo_precision"] == acled_code, place
        assert ged.loc[place, "where_prec"] == ucdp_code, place
    assert (acled.loc["Kwaga", "admin2"], acled.loc["Kwaga", "admin1"]) == ("Mubi North", "Adamawa")
    assert ged.loc["Kwaga", "where_description"] == "Kwaga, Mubi North, Adamawa"


def test_acled_notes_date_a_sentence_once():
    # a sentence that opens with its own date is not dated again ("On 5 June 2021, on 5 June 2021, ...")
    import datetime as dt

    from sitrep.export.acled import notes

    day = dt.date(2021, 6, 5)
    assert notes(day, "On 5 June 2021, militants attacked a post.", []) == "On 5 June 2021, militants attacked a post."
    assert notes(day, "On Sunday, gunmen killed two.", []) == "On Sunday, gunmen killed two."
    assert notes(day, "Gunmen killed two.", []) == "On 5 June 2021, gunmen killed two."
    assert notes(day, "On the road to Gao, gunmen killed two.", []) == \
        "On 5 June 2021, on the road to Gao, gunmen killed two."

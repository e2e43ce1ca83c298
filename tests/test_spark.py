"""sitrep spark extract on a real pyspark local[2] session (one per module: a Spark start costs tens of seconds).

The run's events must be those of a single-process `sitrep extract` on the same inputs (same ids, same records,
same order, the same Error lines), `sitrep ingest` of the run must give the store a direct ingest gives, twice
the same, and a task whose Python worker dies is retried without duplicates.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
from functools import partial
from pathlib import Path

import pytest

pytest.importorskip("pyspark", reason="the spark extra (pyspark) is not installed")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("Java is not installed (Spark needs Java 17)", allow_module_level=True)

from pg import pg_server, store_url  # noqa: E402,F401 - fixtures

import spark_helpers  # noqa: E402
from sitrep.cli import main  # noqa: E402
from sitrep.spark.daemon import OPTIONS_ENV  # noqa: E402
from sitrep.spark.job import extract_to_parquet, start_session  # noqa: E402
from sitrep.spark.schema import MANIFEST  # noqa: E402
from sitrep.store import ingest_paths, open_store  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
INCIDENTS = REPO / "tests" / "data" / "incidents" / "articles.jsonl"
PARTITIONS = 6


@pytest.fixture(scope="module")
def session():
    from pyspark import cloudpickle

    cloudpickle.register_pickle_by_value(spark_helpers)   # the workers cannot import the tests folder
    spark = start_session("local[2]")
    yield spark
    spark.stop()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict:
    """A folder of plain-text articles (one nested, one hidden), and a JSONL feed with a malformed line, an
    article given twice and an article whose text changes later in the same feed; and a missing file."""
    root = tmp_path_factory.mktemp("spark-inputs")
    news = root / "news"
    (news / "more").mkdir(parents=True)
    for src in sorted((REPO / "examples").glob("*.txt")):
        shutil.copy(src, news / src.name)
    (news / "more" / "late.txt").write_text(
        "Rebels shelled the town of Beni on Sunday, killing four civilians, the army said.\n", encoding="utf-8")
    (news / ".draft.txt").write_text("Not an article.\n", encoding="utf-8")
    records = [json.loads(line) for line in INCIDENTS.read_text(encoding="utf-8").splitlines() if line.strip()]
    changed = dict(records[1], text=records[1]["text"] + " Police later said two suspects were arrested.")
    lines = [json.dumps(r) for r in records[:4]] + ['{"id": "broken", "text": '] + \
        [json.dumps(r) for r in records[4:]] + [json.dumps(records[0]), json.dumps(changed)]
    feed = root / "feed.jsonl"
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    files = sorted(str(p) for p in news.rglob("*.txt") if not p.name.startswith("."))
    missing = str(root / "missing.txt")
    return {"spark": [str(news), str(feed), missing], "files": files + [str(feed), missing],
            "root": root, "n_articles": len(files) + len(records) + 2}


def _cli(argv: list[str]) -> tuple[int, list[str]]:
    """Run the sitrep CLI in this process: (exit status, the Error lines it printed)."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(argv)
    return code, [ln for ln in err.getvalue().splitlines() if ln.startswith("Error:")]


def _events(output: str) -> list[dict]:
    import duckdb

    files = sorted(str(p) for p in Path(output, "events.parquet").glob("*.parquet"))
    rows = duckdb.sql(f"SELECT record FROM read_parquet({files!r}, filename = true, file_row_number = true) "
                      "ORDER BY filename, file_row_number").fetchall()
    return [json.loads(r[0]) for r in rows]


@pytest.fixture(scope="module")
def run(session, inputs) -> dict:
    """`sitrep spark extract` through the CLI, on the module's session (the command reuses a running one)."""
    out = inputs["root"] / "run.parquet"
    code, errors = _cli(["spark", "extract", *inputs["spark"], "-o", str(out), "--partitions", str(PARTITIONS)])
    return {"code": code, "errors": errors, "output": str(out)}


@pytest.fixture(scope="module")
def single(inputs) -> dict:
    """Single-process `sitrep extract` on the same input files."""
    out = inputs["root"] / "single.jsonl"
    code, errors = _cli(["extract", *inputs["files"], "--format", "jsonl", "-o", str(out)])
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return {"code": code, "errors": errors, "records": records}


def test_spark_extract_gives_the_events_of_single_process_extract(run, single):
    assert single["records"], "the inputs must give events for the comparison to mean anything"
    assert _events(run["output"]) == single["records"]          # same ids, same records, same order
    assert run["code"] == single["code"] == 1                   # a malformed line and a missing file
    assert run["errors"] == single["errors"]
    assert any("feed.jsonl:5: malformed JSON" in e for e in run["errors"])
    assert any("missing.txt: no such file" in e for e in run["errors"])


def test_spark_output_has_the_columns_of_the_parquet_export(run, inputs):
    import pyarrow.parquet as pq

    db = inputs["root"] / "columns.duckdb"
    export = inputs["root"] / "export"
    assert _cli(["ingest", run["output"], "--db", str(db), "--no-progress"])[0] == 0
    assert _cli(["export", "--format", "parquet", "--db", str(db), "-o", str(export)])[0] == 0
    for table, extra in (("articles", []), ("events", ["content_hash"])):
        spark_names = pq.read_schema(next(Path(run["output"], f"{table}.parquet").glob("*.parquet"))).names
        assert spark_names == pq.read_schema(export / f"{table}.parquet").names + extra
    manifest = json.loads(Path(run["output"], MANIFEST).read_text(encoding="utf-8"))
    assert manifest["tasks"] == PARTITIONS and manifest["events"] == len(_events(run["output"]))


def _tables(url: str) -> dict:
    """Every table of a store, rows sorted, without the ingest time; JSON columns decoded (PostgreSQL hands
    them back as objects, DuckDB as text)."""
    with open_store(url, read_only=True) as store:
        found = {}
        for table in ("articles", "events", "spans", "incidents", "incident_events"):
            columns, rows = store.backend.query(f"SELECT * FROM {table}")
            keep = [i for i, c in enumerate(columns) if c != "ingested_at"]
            decoded = []
            for row in rows:
                values = []
                for i in keep:
                    v = row[i]
                    if columns[i] in ("record", "warnings") and isinstance(v, str):
                        v = json.loads(v)
                    values.append(json.dumps(v, sort_keys=True, default=str))
                decoded.append(tuple(values))
            found[table] = sorted(decoded)
    return found


def test_ingest_of_a_spark_run_equals_ingest_of_its_inputs_and_is_idempotent(run, inputs, store_url, tmp_path):
    direct = str(tmp_path / "direct.duckdb") if not store_url.startswith("postgresql") else \
        pg_server().new_database()
    with open_store(store_url) as store:
        first = ingest_paths(store, [run["output"]])
    with open_store(direct) as store:
        ingest_paths(store, inputs["files"])
    loaded = _tables(store_url)
    assert loaded["events"] and loaded == _tables(direct)
    assert first.read == inputs["n_articles"] and first.failed == 0
    # the article given twice is stored once; its changed text is a second version
    assert (first.new_articles, first.new_versions, first.unchanged) == (inputs["n_articles"] - 2, 1, 1)
    with open_store(store_url) as store:
        again = ingest_paths(store, [run["output"]])
    assert (again.new_articles, again.new_versions, again.events) == (0, 0, 0)
    assert _tables(store_url) == loaded


def test_a_killed_task_is_retried_without_duplicates(session, inputs, run, tmp_path):
    """A Python worker that dies mid-task (after it has produced rows) on the first attempt: Spark runs the
    task again and only the successful attempt's rows are written. Each worker builds its Extractor once."""
    builds = tmp_path / "builds"
    builds.mkdir()
    victim = json.loads(INCIDENTS.read_text(encoding="utf-8").splitlines()[6])["id"]
    factory = spark_helpers.RecordingFactory(str(builds), crash_on=victim)
    out = tmp_path / "retried.parquet"
    report = extract_to_parquet(inputs["spark"], str(out), session=session, partitions=PARTITIONS,
                                extractor_factory=factory)
    assert (builds / "crashed").exists()
    assert _events(str(out)) == _events(run["output"])
    # the dead attempt's half-written files went with the staging folder
    assert sorted(p.name for p in out.iterdir()) == ["articles.parquet", "events.parquet", MANIFEST]
    assert len(list((out / "events.parquet").iterdir())) == PARTITIONS
    assert report.events == len(_events(run["output"])) and report.tasks == PARTITIONS
    pids = [p.name.split("-")[0] for p in builds.iterdir() if p.name != "crashed"]
    assert len(pids) == len(set(pids))            # once per Python worker process
    assert len(pids) < PARTITIONS                 # not once per task: the workers are reused


def test_the_daemon_builds_the_extractor_before_it_forks_the_workers(session):
    """sitrep's Python daemon builds the run's Extractor before it forks the workers: every task, the first of
    each worker too, finds it built (a cache hit), and the workers are children of that one daemon."""
    from sitrep.options import Options
    from sitrep.spark.job import _daemon_options

    options = Options(batch_size=7)         # options no other job of this session ran with: a daemon of its own
    sc = session.sparkContext
    with _daemon_options(sc, options):
        found = sc.parallelize(range(4), 4).mapPartitions(
            partial(spark_helpers.probe_worker_extractor, options=options)).collect()
    assert len(found) == 4
    assert all(prebuilt for _pid, _parent, prebuilt, _events in found)
    assert all(n_events > 0 for *_rest, n_events in found)
    assert len({parent for _pid, parent, *_rest in found}) == 1
    assert len({pid for pid, *_rest in found}) <= 2         # local[2]: two workers, reused
    assert OPTIONS_ENV not in sc.environment                # the run's options leave with its job


def test_a_fresh_local_run_gives_the_same_events_and_leaves_no_process(inputs, single, tmp_path):
    """`sitrep spark extract` in a process of its own, as a user runs it: its own JVM (which writes the
    class-data archive as it exits: the first run with this archive folder), and the zygote that builds the
    Extractor while the JVM starts and becomes the Python daemon. Same events and Error lines as single-process
    extract; the archive is in place; no zygote or daemon is left running."""
    import subprocess
    import sys

    out = tmp_path / "fresh.parquet"
    archives = tmp_path / "archives"
    scratch = tmp_path / "tmp"                  # the zygote's socket folder goes here
    scratch.mkdir()
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"), SITREP_SPARK_CLASS_ARCHIVE=str(archives),
               TMPDIR=str(scratch))
    proc = subprocess.run([sys.executable, "-m", "sitrep.cli", "spark", "extract", *inputs["spark"], "-o", str(out),
                           "--master", "local[2]"], capture_output=True, text=True, env=env, cwd=tmp_path)
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("Error:")]
    assert proc.returncode == single["code"] == 1 and errors == single["errors"]
    assert _events(str(out)) == single["records"]
    assert [p.suffix for p in archives.iterdir()] == [".jsa"]           # written whole, then moved into place
    left = subprocess.run(["pgrep", "-f", f"sitrep.spark.zygote {scratch}"], capture_output=True, text=True)
    assert left.stdout.split() == []
    assert not [p for p in scratch.iterdir() if p.name.startswith("sitrep-spark-")]


def test_spark_extract_refuses_an_output_that_is_not_an_earlier_run(session, inputs, tmp_path):
    keep = tmp_path / "mine"
    keep.mkdir()
    (keep / "notes.txt").write_text("precious\n", encoding="utf-8")
    code, errors = _cli(["spark", "extract", inputs["spark"][1], "-o", str(keep)])
    assert code == 1 and len(errors) == 1 and "is not the output of an earlier" in errors[0]
    assert (keep / "notes.txt").read_text(encoding="utf-8") == "precious\n"

"""The parts of sitrep spark that need no Spark: cutting inputs into tasks, reading a JSONL part where it lies,
the command without the spark extra, and `sitrep ingest` of a folder that is no Spark run."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sitrep.cli import main
from sitrep.ingest.readers import read_jsonl_part, read_path
from sitrep.spark.plan import Piece, expand_inputs, plan_tasks
from sitrep.spark.schema import MANIFEST

REPO = Path(__file__).resolve().parents[1]


def _feed(path: Path, n: int, bad_line: int | None = None) -> str:
    lines = [json.dumps({"id": f"a{i}", "text": f"Protesters marched in town {i} on Monday."}) for i in range(n)]
    lines.insert(3, "")                                  # a blank line is skipped, and still counted as a line
    if bad_line is not None:
        lines.insert(bad_line - 1, '{"id": "broken", ')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _read(pieces: list[Piece]) -> tuple[list[str], list[str]]:
    ids, errors = [], []
    for piece in pieces:
        if piece.end is None:
            found = read_path(piece.path, None, lambda e: errors.append(str(e)))
        else:
            found = read_jsonl_part(piece.path, piece.start, piece.end, piece.first_line,
                                    lambda e: errors.append(str(e)))
        ids.extend(a.id for a in found)
    return ids, errors


def test_plan_cuts_jsonl_at_line_ends_and_every_line_is_read_once(tmp_path):
    feed = _feed(tmp_path / "feed.jsonl", 23, bad_line=10)
    whole_errors: list[str] = []
    whole = [a.id for a in read_path(feed, None, lambda e: whole_errors.append(str(e)))]
    tasks = plan_tasks([feed], 5)
    assert len(tasks) == 5 and all(len(t) == 1 for t in tasks)
    data = Path(feed).read_bytes()
    longest = max(len(line) + 1 for line in data.split(b"\n"))
    assert [t[0].start for t in tasks] == [0] + [t[0].end for t in tasks[:-1]] and tasks[-1][0].end == len(data)
    assert all(abs((t[0].end - t[0].start) - len(data) / 5) <= longest for t in tasks)
    ids, errors = _read([piece for task in tasks for piece in task])
    assert ids == whole and len(ids) == 23
    assert errors == whole_errors and errors[0].startswith(f"{feed}:10: malformed JSON")


def test_plan_balances_tasks_by_bytes_not_by_article_count(tmp_path):
    """Three long articles among many short ones: equal bytes per task (the cost of an article follows its
    length), so the long ones get tasks of few articles, and every article is still read once, in order."""
    records = [{"id": f"s{i}", "text": f"Protesters marched in town {i} on Monday."} for i in range(60)]
    for at in (5, 6, 40):
        records[at] = {"id": f"long{at}", "text": "Troops shelled the district of Homs on Monday. " * 120}
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    short = tmp_path / "short.txt"
    short.write_text("Police said troops fired on protesters in Homs.\n", encoding="utf-8")
    tasks = plan_tasks([str(feed), str(short)], 4)
    assert len(tasks) == 4
    lines = feed.read_bytes().split(b"\n")[:-1]
    total = feed.stat().st_size + short.stat().st_size
    longest = max(len(line) + 1 for line in lines)
    weights = [sum((p.end - p.start) if p.end is not None else short.stat().st_size for p in t) for t in tasks]
    assert sum(weights) == total and max(weights) - min(weights) <= longest, weights
    data = feed.read_bytes()
    counts = [sum(data[p.start:p.end].count(b"\n") for p in t if p.path == str(feed)) for t in tasks]
    assert min(counts) <= 3 < 30 <= max(counts)         # equal bytes, not equal counts
    assert _read([piece for task in tasks for piece in task])[0] == [r["id"] for r in records] + [str(short)]


def test_plan_keeps_order_and_plain_files_whole(tmp_path):
    folder = tmp_path / "news"
    (folder / "b").mkdir(parents=True)
    for name in ("z.txt", "a.html", "b/c.txt", ".hidden.txt", "notes.md"):
        (folder / name).write_text("<p>Police said troops fired on protesters in Homs.</p>\n", encoding="utf-8")
    (folder / ".git").mkdir()
    (folder / ".git" / "x.txt").write_text("not news\n", encoding="utf-8")
    feed = _feed(tmp_path / "feed.jsonl", 4)
    errors: list = []
    paths = list(expand_inputs([str(folder), feed, "-"], errors.append))
    assert paths == [str(folder / "a.html"), str(folder / "b" / "c.txt"), str(folder / "z.txt"), feed]
    assert len(errors) == 1 and "save stdin to a file" in str(errors[0])
    tasks = plan_tasks(paths, 3)
    pieces = [piece for task in tasks for piece in task]
    assert [p.path for p in pieces if p.end is None] == paths[:3]
    assert _read(pieces)[0] == [paths[0], paths[1], paths[2], "a0", "a1", "a2", "a3"]


def test_plan_leaves_a_utf16_or_unreadable_jsonl_whole_for_its_worker(tmp_path):
    utf16 = tmp_path / "wide.jsonl"
    utf16.write_text("".join(json.dumps({"id": f"w{i}", "text": "Troops withdrew from the border."}) + "\n"
                             for i in range(6)), encoding="utf-16")
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    tasks = plan_tasks([str(utf16), str(empty)], 4)
    pieces = [piece for task in tasks for piece in task]
    assert pieces == [Piece(str(utf16)), Piece(str(empty))]
    ids, errors = _read(pieces)
    assert ids == [f"w{i}" for i in range(6)] and errors == [f"{empty}: file is empty"]


def test_spark_without_the_extra_says_how_to_install_it(tmp_path):
    code = ("import sys; sys.modules['pyspark'] = None\n"
            "from sitrep.cli import main; sys.exit(main(['spark', 'extract', 'x.jsonl', '-o', 'out']))")
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        "Error: sitrep spark needs the spark extra (pyspark and Java 17): pip install 'sitrep[spark]'"]


def test_ingest_refuses_a_folder_that_is_not_a_spark_run(tmp_path, capsys):
    fake = tmp_path / "run.parquet"
    fake.mkdir()
    (fake / MANIFEST).write_text(json.dumps({"format": "something-else"}), encoding="utf-8")
    code = main(["ingest", str(fake), "--db", str(tmp_path / "s.duckdb"), "--no-progress"])
    errors = [ln for ln in capsys.readouterr().err.splitlines() if ln.startswith("Error:")]
    assert code == 2 and errors == [f"Error: {fake}: {MANIFEST} does not describe a sitrep spark output"]


def test_spark_bad_master_is_one_line_before_any_java_starts(tmp_path, capsys):
    import pytest

    pytest.importorskip("pyspark")
    feed = _feed(tmp_path / "feed.jsonl", 2)
    code = main(["spark", "extract", feed, "-o", str(tmp_path / "out"), "--master", "foo://x"])
    err = capsys.readouterr().err.splitlines()
    assert code == 1 and err == ["Error: --master 'foo://x': expected local, local[N], local[*], spark://HOST:PORT, "
                                 "yarn or k8s://URL"]
    assert not (tmp_path / "out").exists()


def test_an_unclaimed_zygote_ends_with_the_run_and_leaves_nothing():
    """A run that ends before its JVM asked for a Python daemon: the zygote (which was loading the Extractor)
    is ended and its socket folder removed."""
    import pytest

    pytest.importorskip("pyspark")
    from sitrep.options import Options
    from sitrep.spark.daemon import options_json
    from sitrep.spark.zygote import start_zygote, stop_zygote

    zygote = start_zygote(options_json(Options()))
    assert zygote is not None and zygote.proc.poll() is None and os.path.isdir(zygote.folder)
    stop_zygote(zygote)
    assert zygote.proc.returncode is not None and not os.path.exists(zygote.folder)


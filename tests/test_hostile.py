"""Hostile and odd input through the real CLI: nothing lost, nothing stalled (the reliability issue's cases).

Each test is one reproduction of a defect a hostile probe found; where the store is involved it runs on both
backends (the `store_url` fixture: a DuckDB file, then a fresh PostgreSQL database)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pg import pg_server, store_url  # noqa: F401 - fixtures

from sitrep.store import open_store

REPO = Path(__file__).resolve().parents[1]
SITREP = [sys.executable, "-m", "sitrep.cli"]
ATTACK = "Gunmen attacked a police post in Kunduz on Monday, killing four officers, a spokesman said."
PROTEST = "Hundreds of people marched through Lagos on Tuesday to demand the release of detained activists."


def run(*args, stdin: str | bytes | None = None, cwd: Path = REPO):
    data = stdin.encode("utf-8", "surrogatepass") if isinstance(stdin, str) else stdin
    proc = subprocess.run([*SITREP, *args], input=data, capture_output=True, cwd=cwd, timeout=300)
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


def jsonl(path: Path, lines: list) -> str:
    """Write records (dicts) or raw lines (str) to a JSONL file."""
    path.write_text("".join((l if isinstance(l, str) else json.dumps(l)) + "\n" for l in lines), encoding="utf-8")
    return str(path)


def _stored_articles(s) -> list[str]:
    cols, rows = s.backend.query("SELECT article_id FROM articles WHERE is_latest", [])
    return [r[0] for r in rows]


# -- 2: a record with a non-string outlet/url/title ------------------------------------------------------------
def test_non_string_fields_do_not_abort_the_ingest(store_url, tmp_path):
    src = jsonl(tmp_path / "odd.jsonl", [
        {"id": "a1", "text": ATTACK, "outlet": 5, "url": 7.5, "published": "2024-03-05"},
        {"id": "a2", "text": PROTEST, "outlet": ["x"], "url": {"u": 1}, "title": 12},
        {"id": "a3", "text": ATTACK, "title": ["not", "a", "title"], "outlet": True},
    ])
    later = jsonl(tmp_path / "later.jsonl", [{"id": "a4", "text": PROTEST, "outlet": "Daily"}])
    code, out, err = run("ingest", src, later, "--db", store_url, "--no-progress")
    assert code == 0, err
    assert "Traceback" not in err
    assert {"a1", "a2", "a3", "a4"} <= set(_ids(store_url))
    with open_store(store_url, read_only=True) as s:
        cols, rows = s.backend.query("SELECT article_id, outlet, url, title FROM articles ORDER BY article_id", [])
    by_id = {r[0]: r[1:] for r in rows}
    assert by_id["a1"][:2] == ("5", "7.5")          # numbers read as their text
    assert by_id["a2"] == (None, None, "12")         # lists and objects dropped, with a warning
    assert by_id["a3"][2] is None


def _ids(db: str) -> list[str]:
    with open_store(db, read_only=True) as s:
        return _stored_articles(s)


def test_a_number_as_text_is_named_as_such(tmp_path):
    src = jsonl(tmp_path / "n.jsonl", [{"id": "x", "text": 5}, {"id": "y", "text": ATTACK}])
    code, out, err = run("extract", src, "--format", "jsonl")
    assert code == 1
    assert f"{src}:1: 'text' is a number, not a string" in err
    assert "Traceback" not in err
    assert any(json.loads(l)["article_id"] == "y" for l in out.splitlines())


# -- 3: lone surrogates --------------------------------------------------------------------------------------
def test_lone_surrogate_in_jsonl_text_is_replaced_not_fatal(store_url, tmp_path):
    raw = '{"id": "s1", "text": "' + ATTACK + ' \\ud800 More later.", "title": "Bad \\udc00 title"}'
    src = jsonl(tmp_path / "s.jsonl", [raw, {"id": "s2", "text": PROTEST}])
    code, out, err = run("extract", src, "--format", "jsonl")
    assert code == 0 and "Traceback" not in err, err
    records = [json.loads(l) for l in out.splitlines()]
    assert {r["article_id"] for r in records} == {"s1", "s2"}
    assert "lone surrogates" in err
    code, out, err = run("ingest", src, "--db", store_url, "--no-progress")
    assert code == 0 and "Traceback" not in err, err
    assert set(_ids(store_url)) == {"s1", "s2"}


# -- 4: plain-text ids are unique per source -------------------------------------------------------------------
def test_same_file_name_in_two_folders_are_two_articles(store_url, tmp_path):
    for d, text in (("d1", ATTACK), ("d2", PROTEST)):
        (tmp_path / d).mkdir()
        (tmp_path / d / "article.txt").write_text(text, encoding="utf-8")
    code, out, err = run("ingest", "d1/article.txt", "d2/article.txt", "--db", store_url, "--no-progress",
                         cwd=tmp_path)
    assert code == 0, err
    assert set(_ids(store_url)) == {"d1/article.txt", "d2/article.txt"}
    with open_store(store_url, read_only=True) as s:
        types: dict[str, set] = {}
        for r in s.event_records():
            types.setdefault(r["article_id"], set()).add(r["event_type"])
    assert "ASSAULT" in types["d1/article.txt"] and "PROTEST" in types["d2/article.txt"]


def test_an_edited_file_is_a_new_version_of_the_same_article(store_url, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(ATTACK, encoding="utf-8")
    assert run("ingest", "a.txt", "--db", store_url, "--no-progress", cwd=tmp_path)[0] == 0
    path.write_text(PROTEST, encoding="utf-8")
    assert run("ingest", "a.txt", "--db", store_url, "--no-progress", cwd=tmp_path)[0] == 0
    with open_store(store_url, read_only=True) as s:
        cols, rows = s.backend.query("SELECT article_id, version, is_latest FROM articles ORDER BY version", [])
        assert [tuple(r) for r in rows] == [("a.txt", 1, False), ("a.txt", 2, True)]
        types = {r["event_type"] for r in s.event_records()}
        assert "PROTEST" in types and "ASSAULT" not in types      # only the latest version's events are seen


def test_two_texts_piped_to_stdin_are_two_articles(store_url, tmp_path):
    for text in (ATTACK, PROTEST):
        code, out, err = run("ingest", "-", "--db", store_url, "--no-progress", stdin=text)
        assert code == 0, err
    ids = _ids(store_url)
    assert len(ids) == 2 and all(i.startswith("stdin-") for i in ids)
    code, out, err = run("ingest", "-", "--db", store_url, "--no-progress", stdin=ATTACK)
    assert len(_ids(store_url)) == 2                  # the same text again is the same article


def ingest(store_url: str, *args: str, cwd: Path = REPO):
    return run("ingest", *args, "--db", store_url, "--no-progress", cwd=cwd)


def error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("Error:")]


def csv_cells(text: str) -> list[str]:
    import csv
    import io

    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


# -- 5: concurrent writers on PostgreSQL -----------------------------------------------------------------------
def test_concurrent_writers_of_one_article_get_distinct_versions():
    """Writers storing new texts of one article at the same moment: each gets its own version, one is latest,
    and every version's events belong to a stored article row."""
    import threading

    from pg import fake_extractor_factory

    from sitrep.ingest.clean import make_article

    url = pg_server().new_database()
    open_store(url).close()
    extractor = fake_extractor_factory()
    n = 6
    barrier = threading.Barrier(n)
    errors: list[BaseException] = []

    def writer(i: int) -> None:
        article = make_article("same-id", f"Text number {i}. {ATTACK}")
        events = extractor.extract(article)
        try:
            with open_store(url) as s:
                barrier.wait()
                s.write_batch([(article, events)])
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with open_store(url, read_only=True) as s:
        _, rows = s.backend.query("SELECT version, is_latest FROM articles WHERE article_id = 'same-id'", [])
        _, orphans = s.backend.query(
            "SELECT COUNT(*) FROM events e LEFT JOIN articles a ON a.article_id = e.article_id "
            "AND a.version = e.article_version WHERE a.article_id IS NULL", [])
    assert sorted(v for v, _ in rows) == list(range(1, n + 1))
    assert sum(bool(latest) for _, latest in rows) == 1
    assert orphans[0][0] == 0


# -- 6: one record a database refuses does not abort the ingest; both backends take the same records -----------
def test_nul_characters_and_huge_ids_are_handled_alike_on_both_backends(store_url, tmp_path):
    src = jsonl(tmp_path / "nul.jsonl", [
        {"id": "n1", "text": ATTACK.replace("police", "pol\u0000ice"), "title": "T\u0000itle"},
        {"id": "x" * 9000, "text": PROTEST},
        {"id": "n2\u0000", "text": PROTEST},
        {"id": "ok", "text": ATTACK},
    ])
    code, out, err = ingest(store_url, src)
    assert code == 1 and "Traceback" not in err, err
    assert error_lines(err) == [f"Error: {src}:2: 'id' is 9,000 characters; ids can have at most 1,000"]
    assert set(_ids(store_url)) == {"n1", "n2", "ok"}
    with open_store(store_url, read_only=True) as s:
        assert "\x00" not in s.latest_article("n1")["text"] and s.latest_article("n1")["title"] == "Title"


def test_an_article_the_database_refuses_is_reported_and_the_batch_is_stored():
    """Past the reader's checks (a library caller): PostgreSQL refuses a huge id; only that article fails."""
    from pg import fake_extractor_factory

    from sitrep.ingest.clean import make_article
    from sitrep.store import ingest_articles

    url = pg_server().new_database()
    import secrets

    huge = secrets.token_hex(4500)      # incompressible: too large for a PostgreSQL index entry
    articles = [make_article("good1", ATTACK), make_article(huge, PROTEST), make_article("good2", PROTEST)]
    with open_store(url) as s:
        report = ingest_articles(s, articles, extractor_factory=fake_extractor_factory, batch_size=8)
    assert report.failed == 1 and report.failures[0].startswith(f"{huge}: cannot be stored:")
    assert "index row" in report.failures[0]
    assert set(_ids(url)) == {"good1", "good2"}


# -- 7: a path whose stat fails for another reason than "not found" --------------------------------------------
def test_unreadable_paths_are_one_line_errors_and_the_batch_goes_on(tmp_path):
    import os

    good = tmp_path / "good.txt"
    good.write_text(ATTACK, encoding="utf-8")
    long_name = str(tmp_path / ("n" * 300 + ".txt"))
    code, out, err = run("extract", long_name, str(good), "--format", "jsonl")
    assert code == 1 and "Traceback" not in err, err
    assert len(error_lines(err)) == 1 and "File name too long" in err
    assert out.strip()
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "a.txt").write_text(ATTACK, encoding="utf-8")
    locked.chmod(0)
    # root enters any directory: drop the capabilities that let it (setpriv, util-linux)
    prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"] if os.geteuid() == 0 else []
    proc = subprocess.run([*prefix, *SITREP, "extract", str(locked / "a.txt"), str(good), "--format", "jsonl"],
                          capture_output=True, cwd=REPO, timeout=300)
    err = proc.stderr.decode()
    assert proc.returncode == 1 and "Traceback" not in err, err
    assert error_lines(err) == [f"Error: {locked / 'a.txt'}: cannot read (Permission denied)"]


# -- 8: stdin and character devices are read with the same cap as files -----------------------------------------
def test_endless_stdin_and_devices_stop_at_the_size_limit():
    code, out, err = run("extract", "/dev/zero", "--format", "jsonl")
    assert code == 2 and "Traceback" not in err
    assert error_lines(err)[0] == "Error: /dev/zero: more than the 200 MiB limit of one input; split it"
    proc = subprocess.run(f"yes 'Police arrested ten protesters.' | {sys.executable} -m sitrep.cli extract - "
                          "--format jsonl", shell=True, capture_output=True, cwd=REPO, timeout=300)
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "Traceback" not in err
    assert error_lines(err)[0] == "Error: <stdin>: more than the 200 MiB limit of one input; split it"


# -- 9: publication dates at the calendar's edges ----------------------------------------------------------------
def test_calendar_edge_publication_dates_are_no_date(store_url, tmp_path):
    texts = ["Gunmen attacked a police post yesterday, killing four officers.",
             "Troops will withdraw next month, the ministry said.",
             "Police arrested ten protesters last week in Lagos."]
    records = [{"id": f"{i}-{d}", "text": t, "published": d}
               for i, t in enumerate(texts) for d in ("0001-01-01", "9999-12-31", "0001-01-01T00:00:00Z")]
    src = jsonl(tmp_path / "edges.jsonl", records)
    code, out, err = run("extract", src, "--format", "jsonl")
    assert code == 0 and "Traceback" not in err and not error_lines(err), err
    assert "publication date 0001-01-01 is out of range" in err
    assert len({json.loads(l)["article_id"] for l in out.splitlines()}) == len(records)
    code, out, err = ingest(store_url, src)
    assert code == 0 and not error_lines(err), err
    assert len(_ids(store_url)) == len(records)
    code, out, err = run("extract", src, "--published", "0001-01-01")
    assert code == 1 and error_lines(err) == [
        "Error: --published: publication date 0001-01-01 is out of range (1800 to next year); read as no date"]


# -- 10: an output that is the store or an input ----------------------------------------------------------------
def test_output_over_an_input_or_the_store_is_refused(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(ATTACK, encoding="utf-8")
    code, out, err = run("extract", str(src), "-o", str(src))
    assert code == 1 and "is an input" in err and src.read_text(encoding="utf-8") == ATTACK
    db = str(tmp_path / "s.duckdb")
    assert ingest(db, str(src))[0] == 0
    before = (tmp_path / "s.duckdb").read_bytes()
    for command in (["export", "--format", "acled"], ["events", "--format", "csv"], ["incidents"]):
        code, out, err = run(*command, "--db", db, "-o", db)
        assert code == 1 and error_lines(err) == [
            f"Error: -o {db} is the database ({db}); writing there would destroy it - choose another file"], err
    assert (tmp_path / "s.duckdb").read_bytes() == before
    assert _ids(db) == [str(src)]


# -- 11: CSV formula injection -------------------------------------------------------------------------------
def test_csv_cells_that_would_start_a_formula_are_escaped(store_url, tmp_path):
    src = jsonl(tmp_path / "f.jsonl", [
        {"id": "=HYPERLINK(\"http://x\")", "text": ATTACK, "outlet": "@SUM(A1)", "title": "+cmd|' /C calc'!A0",
         "published": "2024-03-05", "url": "-2+3"},
        {"id": "\tplain", "text": ATTACK.replace("Kunduz", "Kabul"), "outlet": "=1+1", "published": "2024-03-05"},
    ])

    def check(csv_text: str) -> None:
        cells = csv_cells(csv_text)
        assert cells
        for cell in cells:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
            assert not cell.startswith("-") or cell.lstrip("-").replace(".", "", 1).isdigit(), cell
        assert "'=HYPERLINK(\"http://x\")" in cells

    code, out, err = run("extract", src, "--format", "csv")
    assert code == 0, err
    check(out)
    assert ingest(store_url, src)[0] == 0
    code, out, err = run("events", "--db", store_url, "--format", "csv")
    assert code == 0, err
    check(out)
    for fmt in ("acled", "ucdp"):
        code, out, err = run("export", "--db", store_url, "--format", fmt)
        assert code == 0, err
        cells = csv_cells(out)
        assert "'@SUM(A1)" in " ".join(cells) or "'=1+1" in cells, cells
        assert not any(c.startswith(("=", "+", "@")) for c in cells)


# -- 12: the first migration on PostgreSQL, from several processes at once ----------------------------------------
def test_processes_opening_a_new_postgres_store_at_once_migrate_it_once():
    url = pg_server().new_database()
    code = ("import sys; from sitrep.store import open_store; open_store(sys.argv[1]).close()")
    procs = [subprocess.Popen([sys.executable, "-c", code, url], stderr=subprocess.PIPE, cwd=REPO)
             for _ in range(6)]
    results = [(p.wait(timeout=120), p.stderr.read().decode()) for p in procs]
    assert all(rc == 0 for rc, _ in results), results
    with open_store(url, read_only=True) as s:
        _, rows = s.backend.query("SELECT version, COUNT(*) FROM schema_version GROUP BY version", [])
    assert rows and all(n == 1 for _, n in rows)


# -- 13: export temp files -------------------------------------------------------------------------------------
def test_export_does_not_follow_a_planted_symlink(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(ATTACK, encoding="utf-8")
    db = str(tmp_path / "s.duckdb")
    assert ingest(db, str(src))[0] == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    (tmp_path / ".out.csv.part").symlink_to(victim)        # the old, predictable temp name
    (tmp_path / "out.csv").write_text("old", encoding="utf-8")
    code, out, err = run("export", "--db", db, "--format", "acled", "-o", str(tmp_path / "out.csv"))
    assert code == 0, err
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert (tmp_path / "out.csv").read_text(encoding="utf-8").startswith("event_id_cnty")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".part")) == [".out.csv.part"]


# -- 14: non-string fields on the extract path --------------------------------------------------------------------
def test_non_string_title_and_date_do_not_lose_the_article(tmp_path):
    src = jsonl(tmp_path / "t.jsonl", [
        {"id": "t1", "text": ATTACK, "title": 12, "published": 20240305},
        {"id": "t2", "text": ATTACK, "title": {"a": 1}, "published": ["2024-03-05"]},
        {"id": "t3", "text": ATTACK, "title": None, "published": True},
    ])
    code, out, err = run("extract", src, "--format", "json")
    assert code == 0 and "Traceback" not in err and not error_lines(err), err
    docs = {d["id"]: d for d in json.loads(out)}
    assert set(docs) == {"t1", "t2", "t3"} and docs["t1"]["title"] == "12" and docs["t2"]["title"] is None
    assert all(d["events"] for d in docs.values())


# -- 15: library log lines; what an input that is not UTF-8 text is -----------------------------------------------
def test_library_log_lines_stay_off_stderr(tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body><script>x()</script></body></html>", encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text(ATTACK, encoding="utf-8")
    code, out, err = run("extract", str(empty), str(good), "--format", "jsonl")
    assert code == 1
    assert err.splitlines() == [f"Error: {empty}: no article text found in the HTML"]


def test_utf16_is_decoded_and_a_pdf_is_named(tmp_path):
    for name, data in (("bom.txt", ATTACK.encode("utf-16")), ("le.txt", ATTACK.encode("utf-16-le")),
                       ("be.txt", ATTACK.encode("utf-16-be"))):
        (tmp_path / name).write_bytes(data)
        code, out, err = run("extract", str(tmp_path / name), "--format", "jsonl")
        assert code == 0 and "ASSAULT" in out, (name, err)
    pdf = tmp_path / "report.txt"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(range(256)))
    code, out, err = run("extract", str(pdf))
    assert code == 2
    assert error_lines(err)[0] == f"Error: {pdf}: looks like a PDF file, not text; convert it first, e.g. pdftotext"


# -- 16 ------------------------------------------------------------------------------------------------------
def test_deeply_nested_html_keeps_its_text(tmp_path):
    page = tmp_path / "deep.html"
    page.write_text("<html><body>" + "<div>" * 400 + f"<p>{ATTACK}</p>" + "</div>" * 400 + "</body></html>",
                    encoding="utf-8")
    code, out, err = run("extract", str(page), "--format", "jsonl")
    assert code == 0, err
    assert any(json.loads(l)["event_type"] == "ASSAULT" for l in out.splitlines())


def test_a_fifo_is_refused_not_waited_on(tmp_path):
    import os

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    good = tmp_path / "good.txt"
    good.write_text(ATTACK, encoding="utf-8")
    code, out, err = run("extract", str(fifo), str(good), "--format", "jsonl")     # run() times out if it blocks
    assert code == 1
    assert error_lines(err) == [f"Error: {fifo}: is a named pipe (FIFO), not a file; pipe its content to '-' instead"]


def test_ctrl_c_during_parallel_ingest_is_one_line(tmp_path):
    import os
    import signal
    import time

    src = jsonl(tmp_path / "many.jsonl", [{"id": f"a{i}", "text": f"{ATTACK} Report {i}. {PROTEST}"}
                                          for i in range(3000)])
    proc = subprocess.Popen([*SITREP, "ingest", src, "--db", str(tmp_path / "s.duckdb"), "--workers", "2",
                             "--batch-size", "8", "--no-progress"], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True,
                            # a shell's background jobs inherit SIGINT ignored; a terminal's foreground command not
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(15)        # the workers have loaded spaCy and are extracting
    assert proc.poll() is None
    # What Ctrl-C does: SIGINT to the whole foreground process group. DuckDB takes over SIGINT while a statement
    # runs and may finish the statement instead, so, like a user, press it again until the ingest stops.
    deadline = time.time() + 60
    while proc.poll() is None and time.time() < deadline:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            pass
    _, err = proc.communicate(timeout=60)
    assert (proc.returncode, err.decode().splitlines()) == (130, ["Error: interrupted"])


def test_ingest_counts_per_article_warnings_and_lists_them_with_verbose(store_url, tmp_path):
    src = jsonl(tmp_path / "w.jsonl", [{"id": "w1", "text": ATTACK, "published": "not a date"},
                                       {"id": "w2", "text": PROTEST, "published": "0001-01-01"}])
    code, out, err = ingest(store_url, src)
    assert code == 0 and "2 warnings (-v lists them)" in err and "Warning:" not in err
    code, out, err = run("-v", "ingest", src, "--db", store_url, "--no-progress")
    assert code == 0
    assert f"Warning: {src}:1: invalid date 'not a date': expected YYYY-MM-DD" in err.splitlines()


def test_passwords_never_appear_in_messages():
    for url in ("postgresql://user:s3cret@127.0.0.1:1/db", "postgresql://127.0.0.1:1/db?password=s3cret",
                "postgresql://127.0.0.1:1/db?sslmode=disable&password=s3cret", "mysql://u:s3cret@h/db"):
        code, out, err = run("events", "--db", url)
        assert code == 1 and "s3cret" not in err and len(error_lines(err)) == 1, err


def test_dates_are_validated_whole(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(ATTACK, encoding="utf-8")
    for value in ("2020-01-01garbage", "2020-13-01", "2020-01-01T25:00"):
        code, out, err = run("extract", str(src), "--published", value)
        assert code == 1 and error_lines(err) == [f"Error: --published: invalid date '{value}': expected YYYY-MM-DD"]
    code, out, err = run("extract", str(src), "--published", "2020-01-01T10:00:00Z", "--format", "jsonl")
    assert code == 0, err


def test_option_values_out_of_range_are_one_line_errors(store_url, tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(ATTACK, encoding="utf-8")
    assert ingest(store_url, str(src))[0] == 0
    for args in (["events", "--limit", "99999999999999999999"], ["events", "--min-fatalities", "1" + "0" * 20],
                 ["incidents", "--min-articles", "1" + "0" * 20], ["events", "--limit", "0"]):
        code, out, err = run(*args, "--db", store_url)
        assert code == 1 and len(error_lines(err)) == 1 and "Traceback" not in err, (args, err)
        assert "between" in err
    code, out, err = run("ingest", str(src), "--db", store_url, "--workers", "100000")
    assert code == 1 and error_lines(err) == ["Error: --workers must be between 1 and 256, not 100000"]


def test_bad_options_exit_1_as_the_readme_says(tmp_path):
    for args in (["extract"], ["extract", "x.txt", "--bogus"], ["events", "--limit", "ten"], ["nosuchcommand"]):
        code, out, err = run(*args)
        assert code == 1 and len(err.splitlines()) == 1 and err.startswith("Error: "), (args, err)


def test_table_output_shows_no_terminal_escapes(store_url, tmp_path):
    src = jsonl(tmp_path / "esc.jsonl", [{"id": "\x1b]0;owned\x07\x1b[31mred", "text": ATTACK}])
    assert ingest(store_url, src)[0] == 0
    code, out, err = run("events", "--db", store_url)
    assert code == 0 and "ASSAULT" in out
    assert "\x1b" not in out and "\x07" not in out and "red" in out


# -- 17 ------------------------------------------------------------------------------------------------------
def test_text_not_in_english_is_named_and_counted(store_url, tmp_path):
    src = jsonl(tmp_path / "fr.jsonl", [
        {"id": "fr", "text": "Des hommes armés ont attaqué lundi un poste de police à Kunduz, tuant quatre "
                             "policiers, a déclaré un porte-parole de la police provinciale."},
        {"id": "en", "text": ATTACK},
    ])
    code, out, err = run("extract", src, "--format", "jsonl")
    assert code == 0
    assert f"Warning: {src}:1: looks like French; only English is supported, so it may give no events" in err
    assert "en" in {json.loads(l)["article_id"] for l in out.splitlines()}
    code, out, err = ingest(store_url, src)
    assert code == 0 and "; 1 not in English" in err


def test_like_wildcards_in_filters_match_themselves(store_url, tmp_path):
    src = jsonl(tmp_path / "a.jsonl", [{"id": "a", "text": ATTACK}])
    assert ingest(store_url, src)[0] == 0
    code, out, err = run("events", "--db", store_url, "--format", "jsonl")
    assert code == 0 and out.strip()
    for pattern in ("%", "_", "%%"):
        code, out, err = run("events", "--db", store_url, "--actor", pattern, "--format", "jsonl")
        assert code == 0 and out == "", pattern
        code, out, err = run("events", "--db", store_url, "--search", pattern, "--format", "jsonl")
        assert code == 0 and out == "", pattern

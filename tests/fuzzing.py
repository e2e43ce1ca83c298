"""The fuzzing harness: Hypothesis generates article records, JSONL lines, whole input files and option values;
the real `sitrep extract` and `sitrep ingest` run over all of them at once, and every outcome is checked.

What must hold (the README's promises):
  - no traceback, and nothing on stderr but `Error:` / `Warning:` lines and ingest's summary line;
  - each bad item (a malformed line, a record without usable text or id, an unreadable file) gets exactly one
    `Error:` line naming it; a good item gets none;
  - every good item comes out of `extract` and is stored by `ingest` (DuckDB and PostgreSQL);
  - exit status 0 when all was read, 1 when something failed, 2 when nothing could be read;
  - bad option values give one `Error:` line and status 1, never a traceback.

Inputs are generated in one go and written to a few files, so one process handles thousands of them (spaCy
loads once). The short run is tests/test_fuzz.py (in `make test`); the long one is `make fuzz`:

    python tests/fuzzing.py --n 10000 [--seed 1] [--postgres]
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from hypothesis import HealthCheck, Phase, given, seed as use_seed, settings, strategies as st

REPO = Path(__file__).resolve().parents[1]
SITREP = [sys.executable, "-m", "sitrep.cli"]
MAX_ID_CHARS = 1000          # the README's limit on article ids

NEWS = (
    "Gunmen attacked a police post in Kunduz on Monday, killing four officers, a spokesman said.",
    "Hundreds of people marched through Lagos on Tuesday to demand the release of detained activists.",
    "Police arrested twelve protesters in Harare on Monday, a spokesman said.",
    "A car bomb exploded near a market in Mogadishu on Friday, killing at least 10 people, police said.",
    "The two governments signed a ceasefire agreement in Doha on 3 March 2020.",
    "Rebels ambushed an army convoy near Goma yesterday; three soldiers were wounded.",
)

# -- strategies --------------------------------------------------------------------------------------------------
surrogates = st.sampled_from(["\ud800", "\udbff", "\udc00", "\udfff"])
controls = st.one_of(
    st.characters(min_codepoint=0, max_codepoint=0x1F),
    st.sampled_from(["\x7f", "\x85", "\u2028", "\u2029", "\u202e", "\ufeff", "\u200b", "\x1b[31m", "\x1b]0;x\x07"]),
)
news = st.sampled_from(NEWS)
any_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=5,
)


def texts() -> st.SearchStrategy:
    """Article texts: news sentences mixed with random unicode, control characters, lone surrogates, NULs and
    blanks; now and then a text long enough to be read in parts, or empty."""
    piece = st.one_of(news, news, st.text(max_size=60), controls, surrogates,
                      st.sampled_from(["", " ", "\n\n", "\x00", "\t", "1,000", "-", "=SUM(A1)", "Le président a dit"]))
    ordinary = st.lists(piece, max_size=8).map("".join)
    huge = st.builds(lambda s, n: (s + "\n\n") * n, news, st.integers(700, 720))   # just over 50,000 characters
    # About 1 in 1,000 (each costs seconds); a value inside the range, as Hypothesis favours the ends.
    return st.integers(0, 999).flatmap(lambda r: huge if r == 537 else ordinary)


def htmls() -> st.SearchStrategy:
    return st.one_of(
        news.map(lambda t: f"<html><body><nav>Home</nav><article><p>{t}</p></article></body></html>"),
        st.builds(lambda t, n: "<html><body>" + "<div>" * n + f"<p>{t}</p>" + "</div>" * n + "</body></html>",
                  news, st.integers(200, 400)),
        st.sampled_from(["", "<html></html>", "<script>alert(1)</script>", "<p>", "<!DOCTYPE html>",
                         "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><p>&e;</p>"]),
        st.text(max_size=80),
    )


def ids() -> st.SearchStrategy:
    return st.one_of(
        st.text(min_size=1, max_size=30), st.text(min_size=1, max_size=30), st.integers(), st.just(""),
        st.text(max_size=5).map(lambda s: " \t" + s), st.builds(lambda s, c: s + c, st.text(max_size=8), surrogates),
        st.builds(lambda s: s + "\x00", st.text(max_size=8)), st.integers(990, 1100).map(lambda n: "i" * n),
        st.sampled_from(["%", "_", "=cmd", "../../etc/passwd", "\x1b[2J"]),
        any_json,
    )


def dates() -> st.SearchStrategy:
    return st.one_of(
        st.dates().map(str), st.datetimes().map(lambda d: d.isoformat() + "Z"),
        st.sampled_from(["0001-01-01", "9999-12-31", "0001-01-01T00:00:00Z", "2020-02-30", "2020-01-01garbage",
                         "", "yesterday", "2020-13-01", "1999-12-31T23:59:59+05:30"]),
        st.text(max_size=12), any_json,
    )


def optional_text() -> st.SearchStrategy:
    return st.one_of(st.text(max_size=40), controls, surrogates, news, any_json)


def records() -> st.SearchStrategy:
    """Article records: mostly with an id and a text (of any kind), the other fields sometimes missing, of the
    wrong type or hostile; one in three with any field missing."""
    others = {"html": htmls(), "title": optional_text(), "url": optional_text(), "outlet": optional_text(),
              "published": dates(), "extra": any_json}
    text = st.one_of(texts(), texts(), texts(), any_json)
    usual = st.fixed_dictionaries({"id": ids(), "text": text}, optional=others)
    loose = st.fixed_dictionaries({}, optional={"id": ids(), "text": text, **others})
    return st.one_of(usual, usual, loose)


def good_records() -> st.SearchStrategy:
    """Records that must be stored whatever else they hold."""
    return st.fixed_dictionaries({"id": st.text(max_size=20).map(lambda s: "g" + s), "text": news},
                                 optional={"published": dates(), "title": optional_text()})


def lines() -> st.SearchStrategy:
    """A JSONL line: a record (JSON with or without ASCII escapes), or garbage, a JSON non-object, a blank."""
    def dump(rec, ascii_only):
        return json.dumps(rec, ensure_ascii=ascii_only or _has_surrogate(rec))

    record_line = st.builds(dump, records(), st.booleans())
    garbage = st.text(max_size=60).filter(lambda s: "\n" not in s and "\x00" not in s)
    return st.one_of(
        record_line, record_line, record_line, record_line, record_line, record_line,
        st.builds(dump, good_records(), st.booleans()),
        garbage, st.builds(lambda v: json.dumps(v), any_json), st.sampled_from(["", "   ", "{", "}", "[]", "null",
                                                                                 '{"id": "x", "text": "a"'])
    )


def files() -> st.SearchStrategy:
    """(suffix, bytes) of a plain-text or HTML input file."""
    return st.one_of(
        st.tuples(st.just(".txt"), news.map(str.encode)),
        st.tuples(st.sampled_from([".txt", ".html", ""]), st.binary(max_size=200)),
        st.tuples(st.sampled_from([".txt", ""]), texts().map(lambda t: t.encode("utf-8", "surrogatepass"))),
        st.tuples(st.just(".html"), htmls().map(str.encode)),
        st.tuples(st.just(".txt"), st.sampled_from(["utf-16", "utf-16-le", "utf-16-be"]).flatmap(
            lambda enc: news.map(lambda t: t.encode(enc)))),
        st.tuples(st.just(".txt"), st.sampled_from([b"%PDF-1.4\n\xe2\xe3", b"PK\x03\x04zip", b"\x1f\x8b\x08gz",
                                                    b"", b"   \n", b"\xff\xfe"])),
    )


def option_sets(db: str, out_dir: str) -> st.SearchStrategy:
    """argv lists for the store commands with random, often bad, option values."""
    values = st.one_of(st.integers(-3, 3).map(str), st.integers().map(str), st.text(max_size=12), dates().map(str),
                       st.sampled_from(["1" + "0" * 25, "-1", "0", "AFG", "ASSAULT", "assault,PROTEST", "%", "_",
                                        "all", "csv", "jsonl", "table", "acled", "ucdp", "plover", "geojson"]))
    flags = st.sampled_from(["--limit", "--since", "--until", "--country", "--type", "--actor", "--admin1",
                             "--min-fatalities", "--search", "--status", "--format", "--min-articles", "--bogus"])
    command = st.sampled_from([["events"], ["incidents"], ["export", "--format", "plover"],
                               ["export", "--format", "acled"], ["export", "--format", "geojson"]])
    output = st.sampled_from([[], [], ["-o", db], ["-o", os.path.join(out_dir, "out.csv")], ["-o", out_dir]])
    return st.builds(lambda c, opts, o: c + [x for pair in opts for x in pair] + o + ["--db", db],
                     command, st.lists(st.tuples(flags, values), max_size=4), output)


def generate(strategy: st.SearchStrategy, n: int, seed: int) -> list:
    """n values drawn from a strategy (Hypothesis' generation phase only, reproducible by seed)."""
    found: list = []

    @use_seed(seed)
    @settings(max_examples=n, database=None, phases=[Phase.generate], deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def collect(value):
        found.append(value)

    collect()
    return found


# -- the oracle: what the README says must happen to each item ---------------------------------------------------
_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_surrogate(value) -> bool:
    if isinstance(value, str):
        return bool(_SURROGATE.search(value))
    if isinstance(value, dict):
        return any(_has_surrogate(k) or _has_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_surrogate(v) for v in value)
    return False


def _clean(value: str) -> str:
    return _SURROGATE.sub("\ufffd", value).replace("\x00", "")


def expect_line(line: str) -> tuple[str, Optional[str]]:
    """('skip' | 'bad' | 'good' | 'either', the article id when it can be stored)."""
    if not line.strip():
        return "skip", None
    try:
        rec = json.loads(line)
    except ValueError:
        return "bad", None
    if not isinstance(rec, dict):
        return "bad", None
    text, html = rec.get("text"), rec.get("html")
    if text is not None and not isinstance(text, str) or html is not None and not isinstance(html, str):
        return "bad", None
    art_id = rec.get("id")
    if art_id in (None, "") or not isinstance(art_id, (str, int)) or isinstance(art_id, bool):
        return "bad", None
    art_id = _clean(str(art_id))
    if not art_id.strip() or len(art_id) > MAX_ID_CHARS:
        return "bad", None
    if text:
        return ("good" if _clean(text).strip() else "bad"), art_id
    if html:
        return "either", art_id          # whether a page has main text is trafilatura's (and lxml's) call
    return "bad", None


@dataclass
class Item:
    where: str                    # how errors name it: "path:line" or "path"
    verdict: str
    article_id: Optional[str]


@dataclass
class Outcome:
    command: str
    items: int
    code: int
    seconds: float
    problems: list[str] = field(default_factory=list)


def write_inputs(workdir: Path, lines_: list[str], files_: list[tuple[str, bytes]], n_files: int = 4
                 ) -> tuple[list[str], list[Item]]:
    """JSONL files of the lines (each opening with a good record) and one file per generated file input."""
    paths, items = [], []
    per_file = max(1, -(-len(lines_) // n_files))
    for k in range(0, len(lines_), per_file):
        path = workdir / f"fuzz{k // per_file}.jsonl"
        chunk = [json.dumps({"id": f"anchor-{k}", "text": NEWS[0]})] + lines_[k:k + per_file]
        path.write_bytes("\n".join(chunk).encode("utf-8") + b"\n")
        paths.append(str(path))
        for lineno, line in enumerate(chunk, 1):
            verdict, art_id = expect_line(line)
            if verdict != "skip":
                items.append(Item(f"{path}:{lineno}", verdict, art_id))
    for k, (suffix, data) in enumerate(files_):
        path = workdir / f"file{k}{suffix}"
        path.write_bytes(data)
        paths.append(str(path))
        items.append(Item(str(path), "either", os.path.normpath(str(path))))
    return paths, items


SUMMARY = re.compile(r"^ingested \d+ articles: ")


def check_run(command: str, proc: subprocess.CompletedProcess, items: list[Item], produced: set[str],
              seconds: float) -> Outcome:
    """Hold one run's stderr, exit status and produced article ids against the items' verdicts."""
    err = proc.stderr.decode("utf-8", "replace")
    out = Outcome(command, len(items), proc.returncode, seconds)
    problems = out.problems
    if "Traceback" in err:
        problems.append("traceback:\n" + err[err.index("Traceback"):][:2000])
    errors: dict[str, int] = {}
    other_errors = []
    wheres = {item.where for item in items}
    for line in err.splitlines():
        if line.startswith("Warning: ") or SUMMARY.match(line):
            continue
        if not line.startswith("Error: "):
            problems.append(f"stray stderr line: {line[:200]!r}")
            continue
        body = line[len("Error: "):]
        where = _error_where(body, wheres)
        if where is None:
            if body != "no article could be read":
                other_errors.append(body)
            continue
        errors[where] = errors.get(where, 0) + 1
    for body in other_errors[:20]:
        problems.append(f"error not about a bad input: {body[:300]}")
    n_bad = 0
    for item in items:
        n = errors.get(item.where, 0)
        if item.verdict == "bad":
            n_bad += 1
            if n != 1:
                problems.append(f"{item.where}: bad item got {n} error lines")
        elif n > 1:
            problems.append(f"{item.where}: {n} error lines")
        elif item.verdict == "good":
            if n:
                problems.append(f"{item.where}: good item got an error")
            elif item.article_id not in produced:
                problems.append(f"{item.where}: good item {item.article_id!r} missing from the {command} output")
        elif item.verdict == "either" and not n and item.article_id not in produced:
            problems.append(f"{item.where}: neither an error nor an article")
    failed = bool(errors) or bool(other_errors)
    expected = 2 if not produced else (1 if failed else 0)
    if proc.returncode != expected:
        problems.append(f"exit status {proc.returncode}, expected {expected} ({len(errors)} inputs failed)")
    return out


def _error_where(body: str, wheres: set[str]) -> Optional[str]:
    """The item an error line names: its 'path:line' or 'path' prefix."""
    head = body.split(": ", 1)[0]
    if head in wheres:
        return head
    return None


def run_cli(args: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess, float]:
    started = time.perf_counter()
    proc = subprocess.run([*SITREP, *args], capture_output=True, cwd=cwd, timeout=6 * 3600,
                          env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    return proc, time.perf_counter() - started


def stored_ids(db: str) -> set[str]:
    from sitrep.store import open_store

    with open_store(db, read_only=True) as s:
        return {row[0] for row in s.backend.execute("SELECT DISTINCT article_id FROM articles")}


def fuzz_commands(n: int, workdir: Path, stores: list[str], seed: int = 0, workers: int = 1) -> list[Outcome]:
    """Generate n inputs (about 1 in 50 a whole file, the rest JSONL lines), run extract and ingest over them,
    check every outcome."""
    n_files = max(2, n // 50)
    lines_ = generate(lines(), n - n_files, seed)
    files_ = generate(files(), n_files, seed + 1)
    paths, items = write_inputs(workdir, lines_, files_)
    outcomes = []
    proc, seconds = run_cli(["extract", *paths, "--format", "json", "--no-progress"], workdir)
    try:
        produced = {doc["id"] for doc in json.loads(proc.stdout.decode("utf-8"))}
    except ValueError as exc:
        produced = set()
        outcomes.append(Outcome("extract", len(items), proc.returncode, seconds, [f"output is not JSON: {exc}"]))
    outcomes.append(check_run("extract", proc, items, produced, seconds))
    for db in stores:
        proc, seconds = run_cli(["ingest", *paths, "--db", db, "--no-progress", "--workers", str(workers)], workdir)
        try:
            produced = stored_ids(db)
        except Exception as exc:  # noqa: BLE001 - a store that cannot be read is itself a finding
            produced = set()
            outcomes.append(Outcome("ingest", len(items), proc.returncode, seconds, [f"store unreadable: {exc}"]))
        name = "ingest (PostgreSQL)" if db.startswith("postgresql") else "ingest (DuckDB)"
        outcomes.append(check_run(name, proc, items, produced, seconds))
    return outcomes


def fuzz_options(n: int, db: str, workdir: Path, seed: int = 0) -> Outcome:
    """Random option values for the store commands, run in-process through sitrep.cli.main (the same entry as
    the `sitrep` script, without a process start per case)."""
    from sitrep.cli import main

    out_dir = workdir / "exports"
    out_dir.mkdir(exist_ok=True)
    argvs = generate(option_sets(db, str(out_dir)), n, seed)
    outcome = Outcome("options", len(argvs), 0, 0.0)
    started = time.perf_counter()
    for argv in argvs:
        stdout, stderr = io.StringIO(), io.StringIO()
        try:
            with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
                code = main(argv)
        except SystemExit as exc:
            code = exc.code
        except BaseException as exc:  # noqa: BLE001 - an escaped exception is the finding
            outcome.problems.append(f"{argv!r}: {type(exc).__name__}: {exc}")
            continue
        err = stderr.getvalue().splitlines()
        err = [line for line in err if not line.startswith("exported ")]
        if code not in (0, 1):
            outcome.problems.append(f"{argv!r}: exit status {code}")
        elif code == 1 and (len(err) != 1 or not err[0].startswith("Error: ")):
            outcome.problems.append(f"{argv!r}: status 1 with stderr {err!r}")
        elif code == 0 and err:
            outcome.problems.append(f"{argv!r}: status 0 with stderr {err!r}")
    outcome.seconds = time.perf_counter() - started
    return outcome


def report(outcomes: list[Outcome]) -> str:
    rows = [f"{o.command:<22} {o.items:>7,} inputs  exit {o.code}  {o.seconds:7.1f} s  "
            f"{'OK' if not o.problems else f'{len(o.problems)} problems'}" for o in outcomes]
    for o in outcomes:
        rows.extend(f"  {o.command}: {p}" for p in o.problems[:15])
    return "\n".join(rows)


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Fuzz `sitrep extract` and `sitrep ingest` (see module docstring)")
    parser.add_argument("--n", type=int, default=10_000, help="generated inputs (default 10000)")
    parser.add_argument("--options", type=int, default=2000, help="generated option sets (default 2000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--postgres", action="store_true", help="also ingest into a throwaway PostgreSQL server")
    parser.add_argument("--dir", help="keep the inputs and stores here (default: a temp dir)")
    args = parser.parse_args(argv)
    import tempfile

    workdir = Path(args.dir or tempfile.mkdtemp(prefix="sitrep-fuzz-"))
    workdir.mkdir(parents=True, exist_ok=True)
    stores = [str(workdir / "fuzz.duckdb")]
    if args.postgres:
        sys.path.insert(0, str(Path(__file__).parent))
        from pg import pg_server

        stores.append(pg_server().new_database())
    started = time.perf_counter()
    outcomes = fuzz_commands(args.n, workdir, stores, seed=args.seed, workers=args.workers)
    outcomes.append(fuzz_options(args.options, stores[0], workdir, seed=args.seed))
    print(report(outcomes))
    print(f"{args.n:,} generated inputs, {args.options:,} option sets, seed {args.seed}, in "
          f"{time.perf_counter() - started:.0f} s; inputs in {workdir}")
    return 1 if any(o.problems for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())

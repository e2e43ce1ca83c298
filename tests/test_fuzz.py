"""The short fuzzing run (a few hundred generated inputs; `make fuzz` runs 10,000): the real `sitrep extract` and
`sitrep ingest` over generated records, JSONL lines and files, on both backends, and random option values.
See tests/fuzzing.py for the strategies and what is checked."""
from __future__ import annotations

from fuzzing import fuzz_commands, fuzz_options, report
from pg import pg_server


def test_fuzz_extract_and_ingest_short(tmp_path):
    stores = [str(tmp_path / "fuzz.duckdb"), pg_server().new_database()]
    outcomes = fuzz_commands(300, tmp_path, stores, seed=14)
    assert not any(o.problems for o in outcomes), report(outcomes)


def test_fuzz_option_values_short(tmp_path):
    db = str(tmp_path / "fuzz.duckdb")
    fuzz_commands(20, tmp_path, [db], seed=15)       # a small store to query
    outcome = fuzz_options(150, db, tmp_path, seed=15)
    assert not outcome.problems, report([outcome])

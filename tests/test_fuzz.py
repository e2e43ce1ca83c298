"""The short fuzzing run (a few hundred generated inputs; `make fuzz` runs 10,000): the real `sitrep extract` and
`sitrep ingest` over generated records, JSONL lines and files, on both backends, then random option values for
the store commands on the store just filled. See tests/fuzzing.py for the strategies and what is checked."""
from __future__ import annotations

from fuzzing import fuzz_commands, fuzz_options, report
from pg import pg_server


def test_fuzz_extract_ingest_and_options_short(tmp_path):
    stores = [str(tmp_path / "fuzz.duckdb"), pg_server().new_database()]
    outcomes = fuzz_commands(300, tmp_path, stores, seed=14)
    outcomes.append(fuzz_options(150, stores[0], tmp_path, seed=15))
    assert not any(o.problems for o in outcomes), report(outcomes)

"""Every record emitted on every dev set validates against the shared event schema (skips without ../shared)."""
from __future__ import annotations

import json

import pytest

DEV_SETS = ["seed", "plover-gsr", "case2021-dev", "gvdb-dev"]


@pytest.fixture(scope="module")
def validator(shared_dir):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((shared_dir / "schema" / "event.schema.json").read_text())
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize("name", DEV_SETS)
def test_dev_set_records_are_schema_valid(shared_dir, extractor, validator, name):
    from sitrep.ingest.readers import iter_articles

    articles = list(iter_articles([str(shared_dir / "eval-data" / "dev" / f"{name}.jsonl")]))
    assert articles
    n_records = 0
    for article, events in extractor.extract_many(articles):
        if events:
            assert sum(e.is_primary for e in events) == 1, article.id
        for ev in events:
            record = ev.to_record()
            errors = sorted(validator.iter_errors(record), key=str)
            assert not errors, f"{article.id}: {errors[0].message}"
            n_records += 1
    assert n_records > 0

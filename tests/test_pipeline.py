"""The pipeline's policies: stage failures, primary event, cleaning offsets."""
from __future__ import annotations

import pytest

from sitrep.errors import StageError
from sitrep.extract.pipeline import Extractor
from sitrep.ingest.clean import clean_text, make_article


def test_stage_failure_is_reported_and_batch_goes_on(extractor):
    class Broken:
        def __call__(self, ctx, events):
            if "boom" in ctx.article.text:
                raise ValueError("unexpected input")

    ex = Extractor.__new__(Extractor)
    ex.__dict__.update(extractor.__dict__)
    ex.stages = list(extractor.stages) + [("broken", Broken())]
    errors = []
    arts = [make_article("a", "Rebels attacked a convoy near Goma."), make_article("b", "boom: police arrested two men."),
            make_article("c", "Police arrested two men in Lome.")]
    done = [a.id for a, _ in ex.extract_many(arts, on_error=errors.append)]
    assert done == ["a", "c"]
    assert len(errors) == 1 and isinstance(errors[0], StageError) and "article b" in str(errors[0])
    with pytest.raises(ValueError):
        list(ex.extract_many(arts[1:2]))


@pytest.mark.parametrize("raw, clean", [
    ('"It was loud," he said.AD\nNext line.', '"It was loud," he said.\nNext line.'),
    ("First.\nAD\nSecond.", "First.\nSecond."),
    ("\u201cQuoted\u201d  text\u00a0here", '"Quoted" text here'),
    ("Advertisement\nBody text.", "Body text."),
])
def test_cleaning_removes_artifacts_and_keeps_offsets(raw, clean):
    text, offsets = clean_text(raw)
    assert text == clean
    assert len(offsets) == len(text) + 1
    for i, ch in enumerate(text):
        if ch not in " \"'":
            assert raw[offsets[i]] == ch


def test_headline_becomes_title(tmp_path):
    from sitrep.ingest.readers import iter_articles

    path = tmp_path / "story.txt"
    path.write_text("Rebels seize town\n\nRebels seized the town of Bunia on Monday.\n")
    article = next(iter_articles([str(path)]))
    assert article.title == "Rebels seize town" and article.text.startswith("Rebels seized")


def test_primary_event_is_the_main_clause_not_what_it_is_about(extractor):
    from sitrep.ingest.clean import make_article

    events = extractor.extract(make_article(
        "t", "The government complained to the United Nations over two air raids in which 20 people were killed."))
    assert [e.event_type for e in events if e.is_primary] == ["ACCUSE"]
    assert any(e.event_type == "ASSAULT" for e in events)       # the raids are still reported

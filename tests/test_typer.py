"""The learned event typer: the shipped model loads and separates events from other news; the ways the extractor
uses it (gate, fill, model alone) behave as documented; the training script runs. Sentences are our own."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from sitrep.extract.typer import LABELS, NONE, EventTyper, TyperSettings, apply_typer, load_typer, normalise

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def typer():
    return load_typer()


def test_typer_model_loads_with_its_version(typer):
    assert typer.meta["version"]
    assert typer.meta["labels"] == list(LABELS)
    cats = typer.predict(["The minister met his counterpart."])[0]
    assert set(cats) == set(LABELS)
    assert abs(sum(cats.values()) - 1.0) < 1e-3


@pytest.mark.parametrize("text", [
    "The Hawks beat the Falcons 3-1 on Sunday to move top of the league.",
    "Orbital Dairy said quarterly profit rose 12 percent on strong cheese sales.",
    "The goalkeeper saved two penalties as the visitors won the shoot-out.",
    "Astronomers have spotted a comet that will be visible to the naked eye in May.",
    "A storm brought heavy snow to the mountains, closing two passes.",
])
def test_typer_says_none_for_sport_business_science_weather(typer, text):
    assert typer.label(text)[0] == NONE


@pytest.mark.parametrize("text, expected", [
    ("Gunmen stormed a village and killed 14 farmers, police said.", "ASSAULT"),
    ("Thousands of students marched on parliament demanding the minister's resignation.", "PROTEST"),
    ("Police arrested 30 opposition activists in a dawn raid.", "COERCE"),
    ("Rebels Free 12 Hostages After Talks", "RETREAT"),
])
def test_typer_types_clear_events(typer, text, expected):
    assert typer.label(text)[0] == expected


def test_normalise_drops_case_and_digits():
    assert normalise("Army Kills 22  Militants") == "army kills 00 militants"


class FixedTyper:
    """A stand-in with fixed answers per sentence text, to test how the extractor uses the model."""

    def __init__(self, answers):
        self.answers = answers

    def predict(self, texts):
        out = []
        for t in texts:
            label, p = self.answers.get(t, (NONE, 1.0))
            cats = {lab: (1 - p) / (len(LABELS) - 1) for lab in LABELS}
            cats[label] = p
            out.append(cats)
        return out


def _ctx_and_events(extractor, text):
    from sitrep.extract.context import DocContext
    from sitrep.ingest.clean import make_article

    article = make_article("t", text)
    doc = extractor.nlp(article.text)
    ctx = DocContext(article=article, doc=doc, sents=list(doc.sents))
    return ctx, extractor.finder(ctx)


def test_gate_drops_weak_rule_events_where_the_model_is_sure_of_none(extractor):
    text = "The striker attacked down the left wing all afternoon."
    ctx, events = _ctx_and_events(extractor, text)
    assert events, "the rules read 'attacked' as an event"
    for ev in events:
        ev.confidence = 0.5
    typer = FixedTyper({ctx.sents[0].text: (NONE, 0.995)})
    assert apply_typer(typer, ctx, events, "gate", extractor.finder) == []
    # a strong rule event is kept whatever the model says
    for ev in events:
        ev.confidence = 0.9
    assert apply_typer(typer, ctx, events, "gate", extractor.finder) == events


def test_combined_adds_the_models_event_where_rules_found_none(extractor):
    text = "Villagers Flee As Armed Men Torch Homes"
    ctx, events = _ctx_and_events(extractor, text)
    typer = FixedTyper({ctx.sents[0].text: ("ASSAULT", 0.95)})
    out = apply_typer(typer, ctx, [e for e in events if e.event_type != "ASSAULT"], "combined", extractor.finder,
                      TyperSettings())
    assert any(e.event_type == "ASSAULT" and e.sent_index == 0 for e in out)
    added = [e for e in out if any("classifier" in w for w in e.warnings)]
    assert added and added[0].sentence_span[0] == 0


def test_model_mode_retypes_rule_events(extractor):
    text = "The government banned all rallies in the capital."
    ctx, events = _ctx_and_events(extractor, text)
    assert events
    typer = FixedTyper({ctx.sents[0].text: ("SANCTION", 0.8)})
    out = apply_typer(typer, ctx, events, "model", extractor.finder)
    assert out and {e.event_type for e in out} == {"SANCTION"}


def test_off_mode_returns_rule_events_unchanged(extractor):
    ctx, events = _ctx_and_events(extractor, "Troops shelled the town.")
    assert apply_typer(FixedTyper({}), ctx, events, "off", extractor.finder) == events


def test_unknown_typer_mode_is_a_config_error():
    from sitrep.errors import ConfigError
    from sitrep.extract.typer import check_mode

    with pytest.raises(ConfigError):
        check_mode("sometimes")


def test_training_script_runs_on_a_tiny_sample(tmp_path):
    sys.path.insert(0, str(REPO / "training"))
    try:
        import train_event_typer
    finally:
        sys.path.remove(str(REPO / "training"))
    report = train_event_typer.train(tmp_path / "m", tiny=True, log=lambda *_: None)
    assert report["n_train"] > 100
    typer = EventTyper(tmp_path / "m")
    label, p = typer.label("Police arrested ten protesters.")
    assert label in LABELS and 0.0 < p <= 1.0


# Issue 9, real-news genres (sentences written for these tests): obituaries, interviews, elections, disease counts
# and culture are no event, whatever political verbs their background uses ...
@pytest.mark.parametrize("text", [
    "Veteran stage actor Tomas Brandt dies aged 91",
    "Ex-minister Harlow, who led the 1990s peace talks, dies at 80",
    "The former senator, who championed a landmark voting rights bill in the 1970s, died at his home on Sunday at "
    "the age of 88.",
    "Local radio spoke to the Green Party candidate about her plans for bus lanes and the town centre.",
    "Governor Alvarez wins Ohio primary, taking most of the delegates",
    "The health ministry reported 41 new measles cases on Thursday, the most in a single day this year.",
    "Thousands of fans packed the book fair in Lisbon over the weekend, where authors signed copies of their novels.",
])
def test_typer_says_none_for_obituaries_interviews_elections_and_counts(typer, text):
    assert typer.label(text)[0] == NONE


# ... while crime reports, courts, restrictive laws and lawsuits are events
@pytest.mark.parametrize("text, expected", [
    ("Woman, 34, fatally shot in her driveway in Akron", "ASSAULT"),
    ("Two men were stabbed outside a nightclub in Leeds early on Sunday, one of them fatally.", "ASSAULT"),
    ("Court sentences former mayor to nine years for embezzlement", "SANCTION"),
    ("President signs law banning street rallies near parliament", "COERCE"),
    ("Opposition parties take electoral commission to court over voter rolls", "ACCUSE"),
])
def test_typer_types_crime_courts_laws_and_lawsuits(typer, text, expected):
    assert typer.label(text)[0] == expected


def test_the_headline_the_typer_is_sure_of_leads_the_primary_event():
    """No trigger of the rules reads "hands ... nine-year term" as a sentence; the typer does, and the lede's
    background arrest is not the news."""
    import datetime as dt

    from sitrep.extract.pipeline import Extractor
    from sitrep.ingest.clean import make_article
    from sitrep.options import Options

    title = "Court hands ex-mayor nine-year term for embezzlement"
    text = ("A court in the capital on Monday gave former mayor Arben Kola nine years in prison for taking money "
            "from the city budget. Kola was arrested at his home in 2019 and has been held since.")

    def primary(mode):
        events = Extractor(Options(event_typer=mode)).extract(
            make_article("v", text, title=title, published=dt.date(2021, 6, 2)))
        return next(e for e in events if e.is_primary)

    assert primary("off").event_type == "COERCE"        # rules alone: the arrest
    chosen = primary("combined")
    assert chosen.event_type == "SANCTION" and chosen.from_title

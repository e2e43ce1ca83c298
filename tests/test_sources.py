"""SourceResolver on sentences written for these tests: appositions, roles before names, channels, quotes,
surnames and pronouns resolved to earlier names, competing claims and later definite mentions."""
from __future__ import annotations

import datetime as dt

import pytest

from sitrep.extract.context import DocContext
from sitrep.extract.sources import SourceResolver
from sitrep.ingest.clean import make_article
from sitrep.model import Event


def build(nlp, text, triggers):
    """One hand-made event per (trigger word, type, occurrence)."""
    article = make_article("t", text, published=dt.date(2020, 3, 4))
    doc = nlp(article.text)
    sents = list(doc.sents)
    events = []
    for word, etype, nth in triggers:
        tok = [t for t in doc if t.text == word][nth]
        si = next(i for i, s in enumerate(sents) if s.start <= tok.i < s.end)
        s = sents[si]
        events.append(Event(article_id="t", event_type=etype, sentence=s.text,
                            sentence_span=(s.start_char, s.end_char), trigger_text=tok.text,
                            trigger_span=(tok.idx, tok.idx + len(tok.text)), sent_index=si, trigger_index=tok.i))
    return DocContext(article=article, doc=doc, sents=sents), events


@pytest.fixture(scope="module")
def sources_of(nlp):
    resolver = SourceResolver()

    def run(text, triggers):
        ctx, events = build(nlp, text, [(w, t, n) for w, t, *rest in triggers for n in [rest[0] if rest else 0]])
        resolver(ctx, events)
        return events

    return run


def test_sources_apposition_gives_role_and_organization(sources_of):
    (ev,) = sources_of("Rebels shelled the town overnight, said Amina Yusuf, a spokeswoman for the Regional "
                       "Health Bureau.", [("shelled", "ASSAULT")])
    (src,) = ev.sources
    assert src.name == "Amina Yusuf"
    assert src.role == "spokeswoman"
    assert src.organization == "Regional Health Bureau"


def test_sources_role_before_name(sources_of):
    (ev,) = sources_of("Interior Ministry spokesman Daniel Okafor said troops repelled the attack.",
                       [("attack", "ASSAULT")])
    (src,) = ev.sources
    assert src.name == "Daniel Okafor"
    assert src.role == "spokesman"
    assert src.organization == "Interior Ministry"


def test_sources_according_to_with_title_and_apposition(sources_of):
    (ev,) = sources_of("Drones struck a weapons depot near the airport, according to Maj. Leila Haddad, "
                       "the army spokeswoman in Tripoli.", [("struck", "ASSAULT")])
    (src,) = ev.sources
    assert src.name == "Leila Haddad"
    assert src.role.endswith("spokeswoman")
    assert src.channel == "according to"


@pytest.mark.parametrize("text,channel", [
    ("Rebels shelled the airport, the ministry said in a statement on Twitter.", "statement on Twitter"),
    ("Rebels shelled the airport, the governor told reporters.", "told reporters"),
    ("Rebels shelled the airport, the governor said at a news conference.", "news conference"),
])
def test_sources_channel(sources_of, text, channel):
    (ev,) = sources_of(text, [("shelled", "ASSAULT")])
    assert ev.sources[0].channel == channel


def test_sources_quote_paragraph_closed_by_attribution(sources_of):
    text = ('Jets struck rebel positions near the dam.\n'
            '"We destroyed their positions. The operation will continue," Okafor said.')
    ctx_events = sources_of(text, [("destroyed", "ASSAULT")])
    (src,) = ctx_events[0].sources
    assert src.name == "Okafor"
    assert src.quote.startswith("We destroyed their positions")


def test_sources_surname_resolves_to_full_name(sources_of):
    text = ("Army spokesman Daniel Okafor said troops had secured the bridge.\n"
            "Okafor said rebels later attacked the checkpoint.")
    (ev,) = sources_of(text, [("attacked", "ASSAULT")])
    assert ev.sources[0].name == "Daniel Okafor"


def test_sources_pronoun_after_colon_quote(sources_of):
    text = ('Rebel commander Idris Musa said his fighters had withdrawn. He added: "We will strike again '
            'if the army advances."')
    (ev,) = sources_of(text, [("strike", "THREATEN")])
    assert ev.sources[0].name == "Idris Musa"


def test_sources_competing_claims_stay_separate(sources_of):
    text = ("The army said its jets bombed a rebel base, but the rebels said the jets bombed a hospital.")
    first, second = sources_of(text, [("bombed", "ASSAULT", 0), ("bombed", "ASSAULT", 1)])
    assert [s.name for s in first.sources] == ["army"]
    assert [s.name for s in second.sources] == ["rebels"]


def test_sources_framing_phrase_is_not_vouched_for(sources_of):
    (ev,) = sources_of("After the raid on the village, the commander said his men were ready.",
                       [("raid", "ASSAULT")])
    assert ev.sources == []


def test_sources_later_definite_mention_passes_its_source_back(sources_of):
    text = ("Jets bombed a fuel depot near the border.\n"
            "The bombing came after an attack on a patrol, according to Col. Maria Santos.")
    first, _ = sources_of(text, [("bombed", "ASSAULT"), ("bombing", "ASSAULT")])
    assert [s.name for s in first.sources] == ["Maria Santos"]


def test_sources_none_without_attribution(sources_of):
    (ev,) = sources_of("Rebels shelled the town on Monday.", [("shelled", "ASSAULT")])
    assert ev.sources == []


def test_sources_span_points_at_name(sources_of):
    text = "Rebels shelled the town, said Amina Yusuf, a local official."
    (ev,) = sources_of(text, [("shelled", "ASSAULT")])
    start, end = ev.sources[0].span
    assert text[start:end] == "Amina Yusuf"


def test_sources_end_to_end(extract):
    events = extract("Gunmen attacked a bus in Kaduna on Tuesday, killing six passengers, said Musa Bello, "
                     "a police spokesman.")
    assert any(s.name == "Musa Bello" for e in events for s in e.sources)


def test_sources_title_before_untagged_name_becomes_role(sources_of):
    (ev,) = sources_of("The gunman fired at the deputies, Sheriff Everhart said.", [("fired", "ASSAULT")])
    assert ev.sources[0].name == "Everhart"
    assert ev.sources[0].role == "Sheriff"


def test_sources_channel_noun_is_not_a_speaker(sources_of):
    (ev,) = sources_of("Two men were shot on Elm Street, according to a news release.", [("shot", "ASSAULT")])
    assert ev.sources == []


def test_sources_what_is_said_is_never_the_speaker(extract):
    # the small model makes "charge" the subject of "denied" here
    events = extract("The ministry accused Uganda of backing the rebels, a charge Kampala has repeatedly denied.")
    assert "charge" not in {s.name for e in events for s in e.sources}

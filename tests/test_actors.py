"""Actor coding: dictionary names, countries, metonyms, generic agents, titles and coreference."""
from __future__ import annotations

import pytest

from sitrep.data import load_yaml
from sitrep.resolve.actors import ActorCoder, load_agent_lexicon
from sitrep.resolve.countries import load_countries

from coding import code, event_in_context


@pytest.fixture(scope="module")
def coder():
    return ActorCoder()


CASES = [
    # text, phrase, focus, military, (name, country, sector)
    ("Afghan security forces repelled the assault.", "Afghan security forces", None, False,
     (None, "AFG", "MIL")),
    ("The United States conducted an airstrike near the border.", "The United States", None, True,
     ("United States", "USA", "MIL")),
    ("The United States imposed sanctions on the bank.", "The United States", None, False,
     ("United States", "USA", "GOV")),
    ("Washington imposed new sanctions on Caracas.", "Washington", None, False, ("United States", "USA", "GOV")),
    ("The Kremlin denied the report.", "The Kremlin", None, False, ("Russia", "RUS", "GOV")),
    ("Downing Street rejected the claim.", "Downing Street", None, False, ("United Kingdom", "GBR", "GOV")),
    ("The Pentagon confirmed the deployment.", "The Pentagon", None, False, ("United States", "USA", "MIL")),
    ("Hungarian officials criticised the plan.", "Hungarian officials", None, False, (None, "HUN", "GOV")),
    ("Hezbollah fighters fired rockets at the town.", "Hezbollah fighters", None, False,
     ("Hezbollah", "LBN", "REB")),
    ("Police arrested three men after the raid.", "Police", "NGA", False, (None, "NGA", "COP")),
    ("Protesters blocked the main road for hours.", "Protesters", "CHL", False, (None, "CHL", "CVL")),
    ("Gunmen opened fire on a minibus.", "Gunmen", "PAK", False, (None, "PAK", "UAF")),
    ("Lawmakers voted to extend the emergency.", "Lawmakers", "PER", False, (None, "PER", "LEG")),
    ("The Supreme Court struck down the decree.", "The Supreme Court", "BRA", False, (None, "BRA", "JUD")),
    ("Refugees crossed the river at night.", "Refugees", "TCD", False, (None, None, "REF")),
    ("UN peacekeepers withdrew from the town.", "UN peacekeepers", "MLI", False,
     ("United Nations", None, "MIL")),
    ("Kenyan President William Ruto visited the camp.", "Kenyan President William Ruto", None, False,
     ("William Ruto", "KEN", "GOV")),
    ("Ethnic Albanians in Serbia staged a sit-in.", "Ethnic Albanians", "SRB", False, (None, "SRB", "CVL")),
]


@pytest.mark.parametrize("text, phrase, focus, military, expected", CASES)
def test_participants_are_coded_from_their_words(nlp, coder, text, phrase, focus, military, expected):
    p = code(nlp, coder, text, phrase, focus, military)
    name, country, sector = expected
    if name is not None:
        assert p.name == name
    assert (p.country, p.sector) == (country, sector)
    assert p.text == phrase


def test_wikidata_only_from_the_dictionary(nlp, coder):
    assert code(nlp, coder, "The Taliban seized the district.", "The Taliban").wikidata == "Q42418"
    assert code(nlp, coder, "Police arrested the driver.", "Police", "USA").wikidata is None


def test_unknown_actor_keeps_its_text_and_no_codes(nlp, coder):
    p = code(nlp, coder, "The Zentari collective claimed the attack.", "The Zentari collective", "SYR")
    assert p.text == "The Zentari collective"
    assert (p.name, p.country, p.sector, p.wikidata) == (None, None, None, None)


def test_a_bare_name_without_title_is_not_guessed(nlp, coder):
    p = code(nlp, coder, "Marguerite Okafor criticised the plan on Monday.", "Marguerite Okafor", "NGA")
    assert p.country is None and p.sector is None


def test_later_surname_is_coded_from_the_first_titled_mention(nlp, coder):
    text = "U.S. President Donald Trump met allies in Brussels on Monday. Trump said the talks went well."
    p = code(nlp, coder, text, "Trump", nth=1)
    assert (p.name, p.country, p.sector) == ("Donald Trump", "USA", "GOV")


def test_affiliation_before_a_name_gives_country_and_sector(nlp, coder):
    text = "Envoys met Hamas political leader Ismail Haniyeh in Doha."
    p = code(nlp, coder, text, "Ismail Haniyeh")
    assert (p.name, p.country, p.sector) == ("Ismail Haniyeh", "PSE", "REB")


def test_apposition_after_a_name_gives_country_and_sector(nlp, coder):
    text = "Maj. Rita Alvarez, the U.S. military spokeswoman, said the base was secure."
    p = code(nlp, coder, text, "Rita Alvarez")
    assert (p.country, p.sector) == ("USA", "MIL")


def test_the_group_refers_back_to_the_armed_group(nlp, coder):
    text = "Al-Shabaab fighters stormed the hotel. The group later claimed the attack."
    p = code(nlp, coder, text, "The group")
    assert (p.name, p.country, p.sector) == ("al-Shabaab", "SOM", "REB")


def test_pronouns_are_left_alone(nlp, coder):
    p = code(nlp, coder, "They fired on the convoy.", "They", "IRQ")
    assert (p.name, p.country, p.sector) == (None, None, None)


def test_stage_codes_actor_and_recipient_of_events(nlp, coder):
    from sitrep.extract.context import DocContext
    from sitrep.model import Article, Event, Participant

    text = "Israeli soldiers arrested Palestinian students near Hebron."
    doc = nlp(text)
    ev = Event(article_id="t", event_type="COERCE", sentence=text, sentence_span=(0, len(text)),
               sent_index=0, trigger_index=2,
               actor=Participant(text="Israeli soldiers", span=(0, 16)),
               recipient=Participant(text="Palestinian students", span=(26, 46)))
    coder(DocContext(article=Article(id="t", text=text), doc=doc, sents=list(doc.sents), focus_country="PSE"), [ev])
    assert (ev.actor.country, ev.actor.sector) == ("ISR", "MIL")
    assert (ev.recipient.country, ev.recipient.sector) == ("PSE", "EDU")


def test_dictionaries_are_complete_and_well_formed():
    countries = load_countries()
    assert len(countries.by_iso3) >= 195
    for iso3 in ("AFG", "USA", "GBR", "RUS", "CHN", "NGA", "BRA", "IND", "SSD", "PSE"):
        assert countries.by_iso3[iso3].demonyms, iso3
    lex = load_agent_lexicon()
    sectors = {"COP", "GOV", "JUD", "LEG", "MIL", "PTY", "REB", "SPY", "UAF", "OPP", "CVL", "JRN", "LAB", "EDU",
               "REF", "BUS", "MED", "REL", "CRM", "ELI", "AGR", "SOC", None}
    for row in load_yaml("actors.yaml")["actors"]:
        assert row["sector"] in sectors, row
        assert row["country"] is None or row["country"] in countries.by_iso3, row
        assert row.get("wikidata") is None or str(row["wikidata"]).startswith("Q"), row
    assert set(lex.agents.values()) <= sectors


def test_end_to_end_event_gets_actor_codes_and_place(extract):
    text = ("Taliban fighters attacked a police checkpoint in Kunduz province on Tuesday, killing four officers, "
            "a provincial spokesman said.")
    events = extract(text)
    assaults = [e for e in events if e.event_type == "ASSAULT"]
    assert assaults, [e.event_type for e in events]
    ev = assaults[0]
    assert (ev.actor.name, ev.actor.country, ev.actor.sector) == ("Taliban", "AFG", "REB")
    assert (ev.location.admin1, ev.location.country, ev.location.precision) == ("Kunduz", "AFG", "admin1")


def test_recipient_that_is_a_thing_gives_way_to_the_party_it_is_aimed_at(nlp, coder):
    ev, ctx = event_in_context(nlp, "Norway suspended economic aid to Tanzania on Monday.", "suspended", "SANCTION",
                     actor="Norway", recipient="economic aid")
    coder(ctx, [ev])
    assert (ev.recipient.name, ev.recipient.country) == ("Tanzania", "TZA")


def test_missing_recipient_is_found_in_the_demand(nlp, coder):
    ev, ctx = event_in_context(nlp, "Ghana demanded that Togo reopen the border crossing.", "demanded", "REQUEST",
                     actor="Ghana")
    coder(ctx, [ev])
    assert ev.recipient is not None and ev.recipient.country == "TGO"


def test_missing_actor_is_the_party_named_before_the_trigger(nlp, coder):
    ev, ctx = event_in_context(nlp, "In a statement on Friday, the Sudanese government agreed to extend the truce.",
                     "agreed", "AGREE")
    coder(ctx, [ev])
    assert (ev.actor.country, ev.actor.sector) == ("SDN", "GOV")


def test_place_phrase_is_not_the_missing_actor(nlp, coder):
    ev, ctx = event_in_context(nlp, "In Kenya, thousands marched through the capital.", "marched", "PROTEST")
    coder(ctx, [ev])
    assert ev.actor is None or ev.actor.country != "KEN" or ev.actor.name != "Kenya"


def test_anti_and_ethnic_words_do_not_give_a_country(nlp, coder):
    p = code(nlp, coder, "An anti-Syria journalist was killed in Beirut.", "anti-Syria journalist")
    assert p.country is None and p.sector == "JRN"
    p = code(nlp, coder, "Police detained three ethnic Albanians near the border.", "ethnic Albanians")
    assert p.country is None and p.sector == "CVL"


def test_an_ethnic_group_takes_the_country_where_it_was_hit(extract):
    ev = extract("Serb forces killed three ethnic Albanians in a gunbattle in southern Serbia on Friday.")[0]
    assert ev.recipient.country == "SRB" and ev.recipient.sector == "CVL"


def test_a_thing_acted_upon_keeps_its_place_country_not_the_place_as_target(extract):
    ev = extract("A suicide attack on a market in Iraq's Diyala province killed nine people.")[0]
    assert ev.recipient is None or "Iraq" not in (ev.recipient.text or "")
    assert ev.location.admin1 == "Diyala" and ev.location.precision == "admin1"


def test_a_labour_congress_is_labour_not_a_legislature(nlp, coder):
    p = code(nlp, coder, "The Ghana Trades Union Congress called a strike.", "The Ghana Trades Union Congress")
    assert p.sector == "LAB" and p.country == "GHA"

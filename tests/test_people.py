"""The dictionary of well-known political people (data/people.yaml) and attribution phrases in actor coding."""
from __future__ import annotations

import datetime as dt

import pytest

from sitrep.data import load_yaml
from sitrep.resolve.actors import ActorCoder
from sitrep.resolve.countries import load_countries
from sitrep.resolve.people import load_people, match_person, normalise_name

from coding import code, event_in_context


@pytest.fixture(scope="module")
def coder():
    return ActorCoder()


def participants(events):
    return [p for e in events for p in (e.actor, e.recipient) if p is not None]


# ------------------------------------------------------------------------------------------ the data file


def test_people_dictionary_is_well_formed():
    countries = load_countries()
    orgs = {row["name"] for row in load_yaml("actors.yaml")["actors"]}
    sectors = {"GOV", "MIL", "REB", "OPP", "PTY", "SPY", "JUD", "LEG", "REL", "CRM", "ELI"}
    rows = load_yaml("people.yaml")["people"]
    assert len(rows) >= 400
    names = [r["name"] for r in rows]
    assert len(names) == len(set(names)), "a person is listed twice"
    for row in rows:
        assert row.get("wikidata") is None or str(row["wikidata"]).startswith("Q"), row
        roles = row.get("roles") or [row]
        for r in roles:
            assert r["sector"] in sectors, row
            assert isinstance(r.get("role"), str) and r["role"], row
            if r["country"] is None:
                assert r.get("org") in orgs, row
            else:
                assert r["country"] in countries.by_iso3, row
            assert isinstance(r["from"], int) and 1900 < r["from"] <= 2026, row
            assert r["to"] is None or (isinstance(r["to"], int) and r["from"] <= r["to"] <= 2026), row
        starts = [r["from"] for r in roles]
        assert starts == sorted(starts), f"roles of {row['name']} are not in date order"
    assert len(load_people().full) > len(rows)


def test_people_dictionary_covers_every_region():
    homes = {r["country"] for row in load_yaml("people.yaml")["people"] for r in (row.get("roles") or [row])}
    for iso3 in ("NGA", "COD", "ZAF", "ETH", "EGY", "IRQ", "ISR", "IRN", "AFG", "PAK", "IND", "CHN", "JPN", "IDN",
                 "PHL", "RUS", "UKR", "GBR", "FRA", "DEU", "USA", "MEX", "COL", "BRA", "ARG", "AUS"):
        assert iso3 in homes, iso3
    orgs = {r.get("org") for row in load_yaml("people.yaml")["people"] for r in (row.get("roles") or [row])}
    assert {"United Nations", "NATO", "European Union", "African Union", "Arab League"} <= orgs


def test_a_comma_in_a_flow_entry_is_reported_not_swallowed(monkeypatch):
    import yaml

    from sitrep.errors import LexiconError
    from sitrep.resolve import people

    # Unquoted, "role: king, then president" makes "then president" a key of its own.
    bad = yaml.safe_load("people:\n  - {name: A B, country: USA, sector: GOV, role: king, then president, from: 1990, "
                         "to: null}\n")
    monkeypatch.setattr(people, "load_yaml", lambda name: bad)
    with pytest.raises(LexiconError, match="unknown fields"):
        people.load_people.__wrapped__()


def test_names_compare_without_accents_articles_or_possessives():
    assert normalise_name("al-Assad's") == "assad"
    assert normalise_name("Recep Tayyip Erdoğan") == normalise_name("recep tayyip erdogan")
    assert normalise_name("George H. W. Bush") == normalise_name("George H.W. Bush")
    assert normalise_name("Al Gore") == "al gore"


# --------------------------------------------------------------------------------- coding people with it


def test_titled_person_takes_the_dictionary_country_before_a_nearby_one(extract):
    events = extract("Moroccan diplomats met President Obama at a lunch in Rabat.", published="2010-05-11")
    obama = [p for p in participants(events) if p.text and "Obama" in p.text]
    assert obama, [(p.text, p.country) for p in participants(events)]
    assert (obama[0].name, obama[0].country, obama[0].sector) == ("Barack Obama", "USA", "GOV")
    assert obama[0].wikidata == "Q76"


def test_surname_after_a_title_is_looked_up(nlp, coder):
    p = code(nlp, coder, "Protesters demanded the resignation of President Mubarak.", "President Mubarak", year=2011)
    assert (p.name, p.country, p.sector) == ("Hosni Mubarak", "EGY", "GOV")
    p = code(nlp, coder, "Soviet officials criticised President Reagan's speech.", "President Reagan", year=1987)
    assert (p.name, p.country) == ("Ronald Reagan", "USA")


def test_a_titled_name_ner_missed_is_still_looked_up(nlp, coder):
    # spaCy calls "Touadera" a place here; after a title, the dictionary still knows him.
    p = code(nlp, coder, "President Touadera visited Bangui.", "President Touadera", year=2018, focus="FRA")
    assert (p.name, p.country, p.sector) == ("Faustin-Archange Touadéra", "CAF", "GOV")


def test_what_the_article_says_beats_the_dictionary(nlp, coder):
    # The dictionary has Odinga as prime minister in 2010; the article calls him the opposition leader.
    text = "Kenyan opposition leader Raila Odinga led a march through Nairobi."
    p = code(nlp, coder, text, "Kenyan opposition leader Raila Odinga", year=2010)
    assert (p.country, p.sector) == ("KEN", "OPP")
    # Another Ian Smith than Rhodesia's prime minister: the article's country stands, the entry is not used.
    p = code(nlp, coder, "British journalist Ian Smith was detained at the border.", "British journalist Ian Smith", year=2015)
    assert (p.name, p.country, p.sector, p.wikidata) == ("Ian Smith", "GBR", "JRN", None)


def test_unknown_titled_person_gets_no_dictionary_match(nlp, coder):
    assert match_person(load_people(), "Foo Bar", 2005, "president", "GOV", titled=True) is None
    p = code(nlp, coder, "President Foo Bar addressed the rally.", "President Foo Bar", year=2005)
    assert (p.name, p.country, p.sector, p.wikidata) == ("Foo Bar", None, "GOV", None)
    # The old fallback still applies to him: the article's focus country.
    p = code(nlp, coder, "President Foo Bar addressed the rally.", "President Foo Bar", year=2005, focus="KEN")
    assert p.country == "KEN"


def test_publication_year_settles_a_shared_surname(nlp, coder):
    text = "President Bush spoke to reporters."
    assert code(nlp, coder, text, "President Bush", year=1990).wikidata == "Q23505"
    assert code(nlp, coder, text, "President Bush", year=2005).wikidata == "Q207"
    text = "President Castro received the delegation."
    assert code(nlp, coder, text, "President Castro", year=1995).country == "CUB"
    assert code(nlp, coder, text, "President Castro", year=2023).country == "HND"


def test_the_stage_reads_the_year_from_the_article(nlp, coder):
    text = "Soviet diplomats met President Bush in Washington."
    for published, wikidata in ((dt.date(1990, 3, 1), "Q23505"), (dt.date(2005, 3, 1), "Q207"), (None, None)):
        ev, ctx = event_in_context(nlp, text, "met", "CONSULT", actor="Soviet diplomats", recipient="President Bush",
                         published=published)
        coder(ctx, [ev])
        # Without a date both Bushes match: the country is certain, the person is not.
        assert (ev.recipient.country, ev.recipient.sector, ev.recipient.wikidata) == ("USA", "GOV", wikidata)


def test_the_title_picks_the_office(nlp, coder):
    p = code(nlp, coder, "Prime Minister Sharif met the envoy.", "Prime Minister Sharif", year=2015)
    assert (p.name, p.country, p.sector) == ("Nawaz Sharif", "PAK", "GOV")
    p = code(nlp, coder, "General Sharif met the envoy.", "General Sharif", year=2015)
    assert (p.name, p.country, p.sector) == ("Raheel Sharif", "PAK", "MIL")


def test_common_surnames_need_a_title_of_the_right_kind(nlp, coder):
    p = code(nlp, coder, "Johnson said the talks would continue.", "Johnson", year=2020)
    assert p.country is None
    p = code(nlp, coder, "Prime Minister Johnson said the talks would continue.", "Prime Minister Johnson", year=2020)
    assert (p.name, p.country) == ("Boris Johnson", "GBR")
    # A sheriff is not a prime minister: the dictionary does not apply, the article's focus does.
    p = code(nlp, coder, "Sheriff Johnson said the road would reopen.", "Sheriff Johnson", year=2020, focus="USA")
    assert (p.country, p.sector) == ("USA", "COP")


def test_out_of_office_keeps_the_country_not_the_old_sector(nlp, coder):
    p = code(nlp, coder, "Jimmy Carter arrived in Pyongyang.", "Jimmy Carter", year=2005)
    assert (p.country, p.sector) == ("USA", None)
    p = code(nlp, coder, "Former President Jimmy Carter arrived in Pyongyang.", "Former President Jimmy Carter", year=2005)
    assert (p.country, p.sector) == ("USA", "ELI")


def test_heads_of_international_bodies_take_no_country(nlp, coder):
    p = code(nlp, coder, "Kofi Annan arrived in Baghdad on Sunday.", "Kofi Annan", year=2000, focus="IRQ")
    assert (p.name, p.country, p.sector) == ("Kofi Annan", None, "GOV")


def test_a_later_bare_surname_follows_the_first_mention(nlp, coder):
    text = "President Mubarak met the visiting envoy. Mubarak said the talks had been useful."
    p = code(nlp, coder, text, "Mubarak", year=2009, nth=1)
    assert (p.name, p.country, p.sector) == ("Hosni Mubarak", "EGY", "GOV")


# ------------------------------------------------------------------------------------- attribution phrases


def test_according_to_is_never_the_recipient(extract, nlp, coder):
    events = extract("Police fired tear gas at protesters on Monday, according to Amnesty International.")
    assert events
    assert all(p.name != "Amnesty International" for p in participants(events))
    ev, ctx = event_in_context(nlp, "Tear gas was fired at protesters, according to Amnesty International.", "fired",
                     "ASSAULT", recipient="Tear gas")
    coder(ctx, [ev])
    assert all(p is None or p.name != "Amnesty International" for p in (ev.actor, ev.recipient))


def test_a_cited_news_source_is_not_the_recipient(nlp, coder):
    ev, ctx = event_in_context(nlp, "Troops shelled the village overnight, according to Iranian state media.", "shelled",
                     "ASSAULT", actor="Troops")
    coder(ctx, [ev])
    assert ev.recipient is None or ev.recipient.country != "IRN"


def test_the_speaker_of_a_passive_report_is_not_the_actor(nlp, coder):
    ev, ctx = event_in_context(nlp, "Amnesty International said five protesters were shot in the capital.", "shot",
                     "ASSAULT", recipient="five protesters")
    coder(ctx, [ev])
    assert ev.actor is None or ev.actor.name != "Amnesty International"
    ev, ctx = event_in_context(nlp, "The Kenyan army said five protesters were shot in the capital.", "shot",
                     "ASSAULT", recipient="five protesters")
    coder(ctx, [ev])
    assert ev.actor is None or ev.actor.country != "KEN"


def test_a_speaker_reporting_its_own_act_stays_the_actor(nlp, coder):
    ev, ctx = event_in_context(nlp, "Ghana said it had closed the border crossing.", "closed", "SANCTION", actor="it",
                     recipient="the border crossing")
    coder(ctx, [ev])
    assert ev.actor is not None and ev.actor.country == "GHA"

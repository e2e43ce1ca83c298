"""Toponyms, their resolution and event locations, on sentences written for these tests."""
from __future__ import annotations

import pytest

from sitrep.extract.context import DocContext
from sitrep.extract.places import PlaceResolver
from sitrep.model import Article, Event, Participant


@pytest.fixture(scope="module")
def resolver():
    return PlaceResolver()


def analyse(nlp, resolver, text, title=None):
    doc = nlp(text)
    mentions, focus = resolver.analyse(doc, title)
    return {m.text: m for m in mentions}, focus


def make_event(doc, trigger: str, event_type="ASSAULT", mode=None, actor: str | None = None, nth: int = 0):
    hits = [t for t in doc if t.text == trigger]
    tok = hits[nth]
    sents = list(doc.sents)
    sent_index = next(i for i, s in enumerate(sents) if s.start <= tok.i < s.end)
    sent = sents[sent_index]
    ev = Event(article_id="t", event_type=event_type, sentence=sent.text, sentence_span=(sent.start_char, sent.end_char),
               trigger_text=tok.text, trigger_span=(tok.idx, tok.idx + len(tok.text)), mode=mode,
               sent_index=sent_index, trigger_index=tok.i)
    if actor:
        start = doc.text.index(actor)
        ev.actor = Participant(text=actor, span=(start, start + len(actor)))
    return ev


def locate(nlp, resolver, text, trigger, **kw):
    doc = nlp(text)
    ctx = DocContext(article=Article(id="t", text=text, title=kw.pop("title", None)), doc=doc, sents=list(doc.sents))
    ev = make_event(doc, trigger, **kw)
    resolver(ctx, [ev])
    return ev.location, ctx


# ------------------------------------------------------------------------------------------ resolution

RESOLVE_CASES = [
    # text, mention, (name, admin1, country, precision)
    ("Fighters stormed a checkpoint in northern Kunduz province on Monday.", "northern Kunduz province",
     ("Kunduz", "Kunduz", "AFG", "admin1")),
    ("The blast hit a market in Kunduz city before dawn.", "Kunduz city", ("Kunduz", "Kunduz", "AFG", "point")),
    ("Residents of Lashkargah said the bazaar was closed.", "Lashkargah", ("Lashkar Gah", "Helmand", "AFG", "point")),
    ("Shelling was reported across southern Afghanistan overnight.", "southern Afghanistan",
     ("Afghanistan", None, "AFG", "region")),
    ("Protesters gathered in Helmand to demand compensation.", "Helmand", ("Helmand", "Helmand", "AFG", "admin1")),
    ("Gunmen killed two guards in the Imam Sahib district of Kunduz on Friday.", "Imam Sahib district",
     (None, "Kunduz", "AFG", "admin2")),
    ("SPRINGFIELD, Ill. — A teenager was wounded outside a gas station late Friday.", "SPRINGFIELD",
     ("Springfield", "Illinois", "USA", "point")),
    ("A woman was wounded in Kalamazoo, Michigan, on Saturday, deputies said.", "Kalamazoo",
     ("Kalamazoo", "Michigan", "USA", "point")),
    ("ANTIOCH, Calif. — Officers found a man with gunshot wounds on a quiet street.", "ANTIOCH",
     ("Antioch", "California", "USA", "point")),
    ("A car bomb exploded in Iraq's Anbar province on Sunday.", "Anbar province", ("Al Anbar", "Al Anbar", "IRQ", "admin1")),
]


@pytest.mark.parametrize("text, mention, expected", RESOLVE_CASES)
def test_mentions_resolve_with_the_words_around_them(nlp, resolver, text, mention, expected):
    mentions, _focus = analyse(nlp, resolver, text)
    assert mention in mentions, sorted(mentions)
    place = mentions[mention].place
    name, admin1, country, precision = expected
    if name is not None:
        assert place.name == name
    assert (place.admin1, place.country, place.precision) == (admin1, country, precision)
    if precision in ("point", "admin1", "admin2"):
        assert place.geonames_id and place.lat is not None and place.feature_code


def test_city_versus_province_follows_later_words(nlp, resolver):
    text = "Taliban fighters attacked Kunduz on Sunday.\nGunfire could be heard throughout the city until dawn."
    mentions, _ = analyse(nlp, resolver, text)
    assert mentions["Kunduz"].place.feature_code.startswith("PPL")


def test_province_word_wins_over_the_town(nlp, resolver):
    mentions, _ = analyse(nlp, resolver, "Officials in Kunduz province said the road was closed.")
    assert mentions["Kunduz province"].place.feature_code == "ADM1"


def test_us_state_abbreviation_picks_the_right_namesake(nlp, resolver):
    mentions, focus = analyse(nlp, resolver, "PORTLAND, Maine — Two men were arrested after a stabbing downtown.")
    assert focus == "USA"
    assert mentions["PORTLAND"].place.admin1 == "Maine"


def test_unknown_place_stays_unresolved(nlp, resolver):
    mentions, _ = analyse(nlp, resolver, "Rebels attacked the village of Zorblattistan on Tuesday.")
    unknown = [m for m in mentions.values() if "Zorblattistan" in m.text]
    for m in unknown:
        assert m.place.name is None and m.place.geonames_id is None and m.place.precision == "unknown"


@pytest.mark.parametrize("text, word", [
    ("Police said the Date of the hearing had not been set.", "Date"),
    ("Police said the suspect fled on foot.", "Police"),
    ("Of the wounded, three were children.", "Of"),
    ("Senator Jordan Hale said he would vote against the bill.", "Jordan"),
    ("The team signed forward Chad Bennett last week.", "Chad"),
])
def test_common_words_and_first_names_are_not_places(nlp, resolver, text, word):
    mentions, _ = analyse(nlp, resolver, text)
    for m in mentions.values():
        if word in m.text:
            assert m.resolved is None or m.role == "demonym", (m.text, m.resolved)


def test_demonyms_count_for_the_focus_country(nlp, resolver):
    text = "Afghan officials said Afghan forces were attacked near the border."
    mentions, focus = analyse(nlp, resolver, text)
    assert focus == "AFG"
    assert mentions["Afghan"].role == "demonym"


def test_focus_country_prefers_where_things_happen(nlp, resolver):
    text = ("U.S. officials said on Tuesday that U.S. envoys would return to talks. "
            "Meanwhile a bomb exploded in Kandahar, killing two police officers in southern Afghanistan.")
    _mentions, focus = analyse(nlp, resolver, text)
    assert focus == "AFG"


def test_headline_town_counts_for_its_country(nlp, resolver):
    text = ("Rebels attacked an army post outside Goma on Tuesday. The government accused Rwanda of backing "
            "the rebels, a charge Kigali denied.")
    mentions, focus = analyse(nlp, resolver, text, title="Rebels attack army post near Goma")
    assert focus == "COD" and mentions["Goma"].resolved.country == "COD"
    # a direction word in a headline is not a town ("East" is a region of Cameroon)
    _mentions, focus = analyse(nlp, resolver, "Deputies shot a suspect after a traffic stop in Whittier, California.",
                               title="Suspect killed in East LA shooting")
    assert focus == "USA"


def test_central_names_the_town_not_its_province(nlp, resolver):
    mentions, _ = analyse(nlp, resolver, "Thousands marched through central Lagos on Monday.")
    assert mentions["central Lagos"].resolved.kind == "place"


def test_country_locations_use_the_name_news_uses(nlp, resolver):
    loc, _ = locate(nlp, resolver, "Protesters were killed in Iran on Friday.", "killed")
    assert loc.name == "Iran" and loc.country == "IRN"


def test_headline_place_outweighs_whose_strike_it_was(nlp, resolver):
    text = "A U.S. drone strike near Lashkar Gah killed six people, the U.S. military and U.S. officials said."
    _mentions, focus = analyse(nlp, resolver, text, title="U.S. drone strike in southern Afghanistan")
    assert focus == "AFG"


# -------------------------------------------------------------------------------------- event location

def test_possessive_country_places_the_event_in_its_province(nlp, resolver):
    loc, _ = locate(nlp, resolver, "A roadside bomb killed four soldiers in Iraq's Anbar province.", "killed")
    assert loc.admin1 == "Al Anbar" and loc.precision == "admin1"


def test_town_read_as_a_person_is_still_a_place(nlp, resolver):
    # spaCy's small model tags these towns PERSON; the words around them say they are places
    loc, _ = locate(nlp, resolver, "Hundreds of traders marched through Jalalabad in eastern Afghanistan.", "marched",
                    event_type="PROTEST")
    assert loc.name == "Jalalabad" and loc.country == "AFG"
    loc, _ = locate(nlp, resolver, "Afghan traders reopened the Jalalabad fruit market on Monday.", "reopened",
                    event_type="RETREAT")
    assert loc is not None and loc.name == "Jalalabad"


def test_a_town_that_qualifies_the_victims_places_the_event(nlp, resolver):
    text = "A gunman opened fire on Kandahar police officers at a checkpoint, killing two."
    loc, _ = locate(nlp, resolver, text, "opened")
    assert loc.name == "Kandahar"

def test_event_place_is_where_it_happened_not_where_it_was_said(nlp, resolver):
    loc, _ = locate(nlp, resolver, "A spokesman in Kabul said an attack in Kunduz killed five soldiers.", "attack")
    assert loc.name == "Kunduz" and loc.admin1 == "Kunduz"


def test_event_inherits_the_place_of_the_sentence_before(nlp, resolver):
    text = "Clashes erupted in Kunduz city on Monday. The attack lasted more than two hours, residents said."
    loc, _ = locate(nlp, resolver, text, "attack")
    assert loc.name == "Kunduz" and loc.precision == "point"


def test_event_falls_back_to_the_dateline(nlp, resolver):
    text = "KABUL, Afghanistan (AP) — Gunmen killed three guards overnight, officials said."
    loc, ctx = locate(nlp, resolver, text, "killed")
    assert ctx.focus_country == "AFG"
    assert loc.name == "Kabul" and loc.country == "AFG"


def test_event_without_any_town_gets_the_focus_country_only(nlp, resolver):
    text = ("Afghan forces repelled attacks in Kunduz and in Helmand on Monday, officials in Kabul said.\n"
            "The government said dozens of insurgents were killed.")
    loc, _ = locate(nlp, resolver, text, "killed")
    assert loc.country == "AFG" and loc.precision == "country" and loc.lat is None


def test_coarse_place_is_refined_by_a_later_mention_of_the_same_strike(nlp, resolver):
    text = ("Warplanes carried out an airstrike in northern Syria on Friday, monitors said.\n"
            "The strike hit a fuel depot in Idlib, the observatory said.")
    loc, _ = locate(nlp, resolver, text, "airstrike", mode="aerial")
    assert loc.country == "SYR" and loc.precision in ("point", "admin1") and "Idlib" in (loc.name or "")


def test_state_named_event_moves_to_the_only_town_named_in_it(nlp, resolver):
    text = ("A man was shot and killed in Ohio on Sunday. "
            "Investigators in Dayton said the victim had been sitting in his car.")
    loc, _ = locate(nlp, resolver, text, "killed")
    assert loc.name == "Dayton" and loc.admin1 == "Ohio"


def test_the_actor_is_not_the_location(nlp, resolver):
    text = "The United States conducted an airstrike against fighters in eastern Syria."
    loc, _ = locate(nlp, resolver, text, "airstrike", mode="aerial", actor="The United States")
    assert loc.country == "SYR"


def test_places_are_listed_on_the_context(nlp, resolver):
    _loc, ctx = locate(nlp, resolver, "Gunmen attacked a bus near Peshawar, police in Islamabad said.", "attacked")
    names = [p.name for p in ctx.places]
    assert "Peshawar" in names and ctx.focus_country == "PAK"
    assert all(p.span is not None and ctx.article.text[p.span[0]:p.span[1]] == p.text for p in ctx.places)


@pytest.mark.parametrize("name, kwargs, expected", [
    ("Antioch", {"focus_country": "USA", "state": "California"}, ("Antioch", "California", "USA")),
    ("Kunduz", {"kind": "admin1"}, ("Kunduz", "Kunduz", "AFG")),
    ("Lashkar Gah", {}, ("Lashkar Gah", "Helmand", "AFG")),
])
def test_geocode_a_bare_name(resolver, name, kwargs, expected):
    entry = resolver.geocode(name, **kwargs)
    assert (entry.name, entry.admin1, entry.country) == expected


def test_geocode_an_unknown_name_gives_nothing(resolver):
    assert resolver.geocode("Zorblattistan") is None


def test_block_of_names_a_street_not_a_place(extract):
    events = extract("Dayton police said a man was shot in the 1400 block of Madison on Sunday night.", published=None)
    located = [e for e in events if e.location is not None and e.location.name]
    assert located and all(e.location.name != "Madison" for e in located)
    assert all(e.location.admin1 == "Ohio" for e in located)


def test_headline_town_places_an_event_the_text_only_places_in_its_state(nlp, resolver):
    text = "A man was shot and killed on Monday evening, police in Pennsylvania said. No arrests have been made."
    loc, _ = locate(nlp, resolver, text, "killed", title="Man shot and killed in West Philadelphia | Local News")
    assert loc.name == "Philadelphia" and loc.admin1 == "Pennsylvania" and loc.span is None
    # a headline town in another state than the text's is not taken
    loc, _ = locate(nlp, resolver, text, "killed", title="Man shot and killed in Phoenix")
    assert loc.admin1 == "Pennsylvania" and loc.name != "Phoenix"
    # nor an ambiguous one when the text names no state
    loc, _ = locate(nlp, resolver, "A man was shot and killed on Monday evening, police said.", "killed",
                    title="Springfield man shot and killed")
    assert loc is None or loc.name != "Springfield"


# ---------------------------------------------------------------- world places: joint evidence (issue 10)

def test_an_unknown_village_is_placed_at_the_hierarchy_written_after_it(nlp, resolver):
    # "Zamora" is a town in Mexico and Spain; the text says this one lies in a Somali district
    text = "On 3 June 2020, militants ambushed a convoy near Zamora village (Jowhar, Middle Shabelle)."
    loc, _ctx = locate(nlp, resolver, text, "ambushed")
    assert loc.country == "SOM" and loc.name == "Zamora" and loc.geonames_id is None
    assert loc.precision in ("area", "admin2") and loc.lat is not None
    assert "not in the index" in loc.explanation


def test_the_hierarchy_in_brackets_picks_the_district_of_its_state(nlp, resolver):
    # Nigeria has a Bassa in Kogi and one in Plateau
    mentions, _ = analyse(nlp, resolver, "Gunmen killed four herders in Kuroro village (Bassa, Plateau).")
    bassa = mentions["Bassa"].resolved
    assert bassa.country == "NGA" and bassa.admin1 == "Plateau"


@pytest.mark.parametrize("text, name, country", [
    ("Shelling hit homes in Al-Raqqah on Tuesday.", "Raqqa", "SYR"),
    ("Two civilians died in an airstrike on al-Bab city.", "Aleppo", "SYR"),
])
def test_the_arabic_article_starts_the_name(nlp, resolver, text, name, country):
    mentions, _ = analyse(nlp, resolver, text)
    resolved = [m.resolved for m in mentions.values() if m.resolved is not None]
    assert resolved and all(e.country == country for e in resolved)
    assert resolved[0].admin1 == name


def test_a_named_group_votes_for_its_home_country(nlp, resolver):
    _, focus = analyse(nlp, resolver, "Houthi fighters fired two missiles on Monday, officials said.")
    assert focus == "YEM"


@pytest.mark.parametrize("text, place", [
    ("Celaya, Guanajuato: two men shot dead outside a bar", ("Celaya", "Guanajuato", "MEX")),
    ("Mogadishu Blasts Kill Three Soldiers Near Checkpoint", ("Mogadishu", "Banadir", "SOM")),
    ("They shot a taxi driver in Cortazar", ("Cortazar", "Guanajuato", "MEX")),
])
def test_headline_places_without_the_usual_cues(nlp, resolver, text, place):
    mentions, _ = analyse(nlp, resolver, text)
    resolved = [(m.resolved.name, m.resolved.admin1, m.resolved.country) for m in mentions.values()
                if m.resolved is not None]
    assert place in resolved


def test_places_carry_english_names_the_native_one_and_an_explanation(nlp, resolver):
    mentions, _ = analyse(nlp, resolver, "Artillery fire was reported across Luhansk region overnight.")
    place = mentions["Luhansk region"].place
    assert (place.name, place.admin1, place.precision) == ("Luhansk", "Luhansk", "admin1")
    assert place.native_name == "Luhanska oblast"
    assert place.explanation and "admin1" in place.explanation


def test_a_chain_of_unknown_names_is_placed_at_the_first_unit_the_index_knows(nlp, resolver):
    text = "On 8 June 2020, soldiers shelled homes near Tollowa (Tollowa, Chin)."
    loc, _ctx = locate(nlp, resolver, text, "shelled")
    assert (loc.name, loc.admin1, loc.country, loc.precision) == ("Tollowa", "Chin", "MMR", "admin1")


def test_a_town_before_its_division_is_a_place_even_when_read_as_a_person(nlp, resolver):
    mentions, _ = analyse(nlp, resolver, "On 15 May 2020, artillery hit Avdiivka, Donetsk oblast, at night.")
    towns = [m.resolved for m in mentions.values() if m.resolved is not None and m.resolved.kind == "place"]
    assert towns and towns[0].country == "UKR" and towns[0].admin1 == "Donetsk"


def test_a_bare_name_shared_by_a_province_and_its_town_is_the_town(nlp, resolver):
    mentions, _ = analyse(nlp, resolver, "Police dispersed a protest in Haifa on Saturday.")
    assert mentions["Haifa"].resolved.kind == "place"
    mentions, _ = analyse(nlp, resolver, "Police dispersed protests across Haifa District on Saturday.")
    assert mentions["Haifa District"].resolved.kind == "admin1"


@pytest.mark.parametrize("text, name, country", [
    ("Rebel fighters seized Lalibela on Friday, residents said.", "Lalibela", "ETH"),
    ("Militants launched an attack on Monguno overnight.", "Monguno", "NGA"),
])
def test_the_object_of_a_capture_or_an_attack_is_a_place(nlp, resolver, text, name, country):
    mentions, _ = analyse(nlp, resolver, text)
    assert name in mentions and mentions[name].resolved.country == country


def test_a_hyphenated_name_before_its_bracket_is_read_whole(nlp, resolver):
    text = "On 2 March 2021, gunmen attacked a clinic in Qala-e-Sabzak (Kabul city, Kabul province)."
    loc, _ctx = locate(nlp, resolver, text, "attacked")
    assert loc.name == "Qala-e-Sabzak" and loc.country == "AFG" and loc.admin1 == "Kabul"


def test_a_town_joined_to_another_word_by_a_hyphen_is_still_the_town(nlp, resolver):
    mentions, _ = analyse(nlp, resolver, "A body was found near the Morelia-Airport road on Monday.")
    assert mentions["Morelia"].resolved.country == "MEX"
    assert "Airport" not in mentions or mentions["Airport"].resolved is None

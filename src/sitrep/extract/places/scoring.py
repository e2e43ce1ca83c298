"""Resolving mentions: candidate scores from the name, the words around it, the hierarchy, the focus country
and the divisions the article names; the Place record of a resolved mention."""
from __future__ import annotations

import logging
import math
import re
import unicodedata
from collections import Counter
from typing import Optional

from ...model import Place
from ...resolve.gazetteer import (KIND_ADMIN1, KIND_ADMIN2, KIND_COUNTRY, KIND_PLACE, Gazetteer, GeoEntry, Hit,
                                  name_key)
from .hierarchy import contains
from .lexicon import PlaceLexicon, kind_fits
from .mention import Mention
from .naming import listed_town_spelling, written_admin, written_district, written_place_name, written_units

LOGGER = logging.getLogger(__name__)


# -------------------------------------------------------------------------------------------- resolving

_KIND_PRIOR = {KIND_PLACE: 1.0, KIND_ADMIN1: 0.8, KIND_ADMIN2: 0.2, KIND_COUNTRY: 0.5}


def _prior(m: Mention, hit: Hit) -> float:
    e = hit.entry
    s = (2.0 if hit.primary else 0.0) + 0.8 * math.log10(e.population + 10) + _KIND_PRIOR.get(e.kind, 0.0)
    if m.kind_hint:
        s += 5.0 if kind_fits(m.kind_hint, e.kind) else -3.0
    if m.country_name:
        # The words are a country's name: the country itself unless the article is about a division so named
        # (Georgia the US state), which the focus bonus decides.
        s += 3.0 if e.kind == KIND_COUNTRY and e.country == m.country_name else 0.0
    if m.inner:
        # "central Lagos", "downtown Kabul": the middle of the town
        s += 1.0 if e.kind == KIND_PLACE else 0.0
    elif m.direction:
        # "northern Kunduz" is more often the province than a quarter of the town.
        s += 1.0 if e.kind in (KIND_ADMIN1, KIND_COUNTRY) else (-1.0 if e.population < 1000 else 0.0)
    return s


def country_hits(m: Mention, gaz: Gazetteer) -> None:
    if m.country_name and not any(h.entry.kind == KIND_COUNTRY and h.entry.country == m.country_name
                                  for h in m.hits):
        entry = gaz.country(m.country_name)
        if entry is not None:
            m.hits.insert(0, Hit(entry, True))


# What a candidate abroad loses when nothing in the text but its own name speaks for its country.
SOLE_EVIDENCE_PENALTY = 1.5
# Below this population a place needs some evidence besides its own name (see resolve_mentions).
SOLE_EVIDENCE_POPULATION = 20_000

_ROLE_WEIGHT = {"place": 1.0, "modifier": 0.5, "actor": 0.5, "demonym": 0.5}


def focus_votes(mentions: list[Mention], title_countries: list[str]) -> Counter:
    """Evidence for the country the article is about: where things are, more than who is named."""
    votes: Counter = Counter()
    for m in mentions:
        # each mention keeps what it cast, so that resolving it can ask what evidence there is besides itself
        m.votes_cast = Counter()
        weight = _ROLE_WEIGHT.get(m.role, 0.5) * (2.0 if m.dateline else 1.0) * (1.5 if m.cue else 1.0)
        if m.state_hint:
            m.votes_cast["USA"] += 2.0 * weight
        if m.country_name:
            m.votes_cast[m.country_name] += 1.5 * weight
        elif m.hits:
            ranked = sorted(m.hits, key=lambda h: -_prior(m, h))
            top = ranked[0].entry.country
            countries = {h.entry.country for h in m.hits}
            if top:
                m.votes_cast[top] += (1.0 if len(countries) == 1 else 0.5) * weight
        votes.update(m.votes_cast)
    for c in title_countries:
        votes[c] += 1.0
    return votes


def resolve_mentions(mentions: list[Mention], focus: Optional[str], votes: Counter, text: str,
                     lex: PlaceLexicon, extra_states: frozenset = frozenset()) -> None:
    """Pick each mention's GeoNames entry, or leave it unresolved when the evidence is not enough."""
    # One sense per article: "YORK CITY, Pa." makes every later "York City" the one in Pennsylvania.
    hints: dict[str, str] = {}
    for m in mentions:
        if m.state_hint and m.key:
            hints.setdefault(m.key, m.state_hint)
    for m in mentions:
        if m.state_hint is None and m.key in hints:
            m.state_hint = hints[m.key]
    # Divisions the article names (by itself or after a comma) make places inside them likelier.
    named_divisions: set[int] = set()
    named_states = {m.state_hint for m in mentions if m.state_hint} | set(extra_states)
    for m in mentions:
        if m.role == "demonym" or not m.hits:
            continue
        best = max(m.hits, key=lambda h: _prior(m, h))
        if best.entry.kind in (KIND_ADMIN1, KIND_ADMIN2):
            named_divisions.add(best.entry.geonames_id)
            if best.entry.admin1_id:
                named_divisions.add(best.entry.admin1_id)
            same_kind = {h.entry.admin1 for h in m.hits if h.entry.kind == best.entry.kind}
            if best.entry.country == "USA" and best.entry.admin1 and focus in (None, "USA") and len(same_kind) == 1:
                # "Los Angeles County coroner's records" (there is one such county): the story is in California.
                named_states.add(best.entry.admin1)
    city_context = _city_anaphora_paragraphs(text, lex)
    place_votes: Counter = Counter()        # what the mentions of where things are say for each country
    for m in mentions:
        if m.role == "place":
            place_votes.update(m.votes_cast)
    for m in mentions:
        m.resolved = None
        m.why = ""
        if m.role == "demonym" or not m.hits:
            continue
        scored = []
        for h in m.hits:
            e = h.entry
            s = _prior(m, h)
            why = [f"{'name' if h.primary else 'alias'}, {e.kind}, population {e.population:,}"]
            if focus and e.country == focus:
                s += 2.5
                why.append(f"in the article's country {focus}")
            elif focus and e.country != focus:
                s -= 0.5
                # No evidence for that country but the name itself: a namesake abroad ("Beni territory" in an
                # article about the ADF is not Bolivia's Beni).
                if votes.get(e.country, 0.0) - m.votes_cast.get(e.country, 0.0) < 0.25 and not m.country_name:
                    s -= SOLE_EVIDENCE_PENALTY
            s += 0.3 * math.log1p(votes.get(e.country, 0.0))
            if e.admin1_id in named_divisions or e.admin2_id in named_divisions:
                s += 1.5
                why.append("inside a division the text names")
            if m.state_hint:
                s += 6.0 if (e.country == "USA" and e.admin1 == m.state_hint) else -4.0
            elif e.country == "USA" and e.admin1 in named_states:
                s += 2.5
            if m.container is not None and m.container.hits:
                fit = max(_fits(c.entry, e) for c in m.container.hits)
                s += (6.0, 4.0, -1.0)[2 - fit] if fit else -1.0
                if fit:
                    why.append(f"inside '{m.container.name_text or m.container.text}' as written")
            # The container itself: the division that holds the place named before it. A name written after
            # a place ("X village (Jowhar, ...)") is likelier a district or province than a namesake town.
            if e.kind in (KIND_ADMIN1, KIND_ADMIN2) and any(o.container is m for o in mentions):
                s += 1.0
            for other in mentions:
                if other.container is m and other.hits and any(contains(e, o.entry) for o in other.hits):
                    s += 3.0
                    why.append(f"holds '{other.name_text or other.text}' as written")
                    break
            if e.kind == KIND_PLACE and _in_city_paragraph(m, city_context):
                s += 1.5
            # "in Haifa": a bare name shared by a province and its big town is the town (the province is
            # written "Haifa District", and the kind word decides then)
            if e.kind == KIND_PLACE and m.kind_hint is None and not m.direction and any(
                    o.entry.kind == KIND_ADMIN1 and o.entry.geonames_id == e.admin1_id
                    and e.population * 5 >= o.entry.population for o in m.hits):
                s += 0.6
                why.append("the town its same-named province is called after")
            scored.append((s, h, why))
        scored.sort(key=lambda sh: -sh[0])
        m.scores = {sh[1].entry.geonames_id: round(sh[0], 2) for sh in scored[:5]}
        best_s, best, best_why = scored[0]
        e = best.entry
        runner = scored[1] if len(scored) > 1 else None
        m.why = "; ".join(best_why) + (
            f"; over {runner[1].entry.name} ({runner[1].entry.kind}, {runner[1].entry.country}, "
            f"score {runner[0]:.1f} < {best_s:.1f})" if runner else "; the only candidate")
        # The hierarchy the text writes rules out every namesake: "Zamora village (Jowhar, Middle Shabelle)" is
        # no Zamora the index knows (it is placed at the unit written after it, see to_place).
        if m.container is not None and m.container.hits and e.kind != KIND_COUNTRY \
                and not any(_fits(c.entry, e) for c in m.container.hits):
            m.why = f"unresolved: no '{m.name_text or m.text}' inside '{m.container.text}' in the index"
            continue
        # Ambiguity across countries with nothing to tell them apart: leave the name unresolved.
        if runner is not None:
            s2, h2, _ = runner
            if h2.entry.country != e.country and best_s - s2 < 0.75 and not m.country_name:
                m.why = f"unresolved: {e.name} ({e.country}) and {h2.entry.name} ({h2.entry.country}) tie"
                continue
        # A tiny place matched by an alias, with no cue that it is a place at all, is more likely a word.
        if e.kind == KIND_PLACE and e.population < 1000 and not (m.cue or m.ner in ("GPE", "LOC") or m.container
                                                                  or m.state_hint or best.primary):
            m.why = f"unresolved: only a village of {e.population} matches, by an alias, with no cue"
            continue
        # A small place that nothing but its own name puts in its country ("killed in Random Myanmar Junta
        # Shelling", "near the Portal del Roble"): words and street names match villages the world over, so a
        # small place needs a second piece of evidence: a kind word, a written hierarchy, a dateline, or any other
        # word of the text for its country.
        # (A name of its own after "in" that is not part of a longer name, "in Kilinochchi", is evidence
        # enough; an alias, a name without a cue or one inside a longer name, "Yarmouk Basin", is not.)
        weak = not best.primary or (m.cue is None and not m.site) or m.embedded
        if weak and e.kind == KIND_PLACE and e.population < SOLE_EVIDENCE_POPULATION and not (
                m.container or m.kind_hint or m.state_hint or m.dateline or m.country_name) \
                and votes.get(e.country, 0.0) - m.votes_cast.get(e.country, 0.0) < 0.25:
            m.why = f"unresolved: only its name puts {e.name} ({e.population:,} people) in {e.country}"
            continue
        # A foreign namesake of a word in an article about somewhere else needs more than its name.
        # (A first-level division after "in" that only one country has, is that one: "in the Gaza Strip"; so is
        # a town only one country has, that the text calls a town after "in": "in Afrin city" amid "Turkish
        # forces". A bare "in Teutonia" in a Milwaukee story is a street, not the Brazilian town.)
        only_there = {h.entry.country for h in m.hits} == {e.country}
        # ("Turkish drones struck positions in Sinjar": when only who acted speaks for the focus, a demonym or a
        # group, and no other place does, a town of its own name after "in" that the focus country lacks is where.)
        focus_placed = place_votes.get(focus, 0.0) - (m.votes_cast.get(focus, 0.0) if m.role == "place" else 0.0) > 0
        where_else = not focus_placed and m.cue is not None and e.population >= (1000 if best.primary else 20_000) \
            and not any(h.entry.country == focus for h in m.hits)
        if focus and e.country != focus and not m.country_name and m.container is None and not where_else \
                and e.population < 100_000 and not (only_there and m.cue and (
                    e.kind == KIND_ADMIN1 or (m.kind_hint is not None and kind_fits(m.kind_hint, e.kind)
                                              and e.population >= 1000))):
            m.why = f"unresolved: {e.name} is in {e.country}, and the article is about {focus}"
            continue
        # In a US story that names its state, a small town of the same name in another state is a guess.
        us_states = {h.entry.admin1 for h in m.hits if h.entry.country == "USA"}
        if named_states and e.country == "USA" and e.kind == KIND_PLACE and e.admin1 not in named_states \
                and e.population < 100_000 and not m.state_hint and m.container is None \
                and (len(us_states) > 1 or us_states & named_states):
            m.why = f"unresolved: {e.name}, {e.admin1} is outside the state the article names"
            continue
        m.resolved = e
    written = written_units(mentions, lex.arabic_articles)
    for m in mentions:
        m.place = to_place(m, written, lex.arabic_articles)


def _settlement(m: Mention) -> bool:
    """Is an unknown name one the hierarchy after it may place: a name the text calls a village, town or district,
    or one NER calls a political place, and no street or building ("South Buchanan Street, Amarillo")?"""
    if m.role != "place":
        return False
    if m.kind_hint is not None or m.bracketed:
        return True
    return m.ner == "GPE" and not m.facility


def _fits(outer: GeoEntry, inner: GeoEntry) -> int:
    """2: `outer` holds `inner` by the index's codes; 1: likely (a town with no district code in the district's
    province); 0: not."""
    if contains(outer, inner):
        return 2
    if outer.kind == KIND_ADMIN2 and inner.kind == KIND_PLACE and inner.country == outer.country \
            and inner.admin2_id is None and inner.admin1_id is not None and inner.admin1_id == outer.admin1_id:
        return 1
    # "Jowhar (Jowhar, Middle Shabelle)": the town and the district named after it
    if outer.kind == KIND_ADMIN2 and inner.kind == KIND_PLACE and inner.country == outer.country \
            and inner.admin1_id == outer.admin1_id and inner.name == outer.name:
        return 1
    return 0


def _city_anaphora_paragraphs(text: str, lex: PlaceLexicon) -> list[tuple[int, int]]:
    out = []
    start = 0
    for para in text.split("\n"):
        low = para.lower()
        if any(re.search(r"\b" + re.escape(p) + r"\b", low) for p in lex.city_anaphora):
            out.append((start, start + len(para)))
        start += len(para) + 1
    return out


def _in_city_paragraph(m: Mention, spans: list[tuple[int, int]]) -> bool:
    return any(a <= m.char_start < b for a, b in spans)


def _spelled(name: str) -> str:
    """A name as spelt, but for case and accents ("Taxco de Alarcon" = "Taxco de Alarcón"; "Lashkargah" is not
    "Lashkar Gah")."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(ch))


def to_place(m: Mention, written: Optional[dict] = None, articles: frozenset = frozenset()) -> Place:
    """The Place record of a mention: resolved fields and the precision its words allow; divisions in the
    spelling the text writes them in (`written`, see naming.py)."""
    written = written or {}
    e = m.resolved
    span = (m.char_start, m.char_end)
    if e is None:
        if m.role == "demonym" and m.country_name:
            return Place(text=m.text, span=span, country=m.country_name, precision="country",
                         explanation=f"demonym of {m.country_name}")
        # the first unit up the written hierarchy that resolved ("Boulkessi (Mondoro, Mopti)": Mopti)
        unit, up = None, m.container
        for _ in range(3):
            if up is None or up.resolved is not None:
                unit = up.resolved if up is not None else None
                break
            up = up.container
        if unit is not None and unit.kind != KIND_COUNTRY and _settlement(m):
            # "X village (Jowhar, Middle Shabelle)" with X unknown to the index: the place the text names, at
            # the coordinates of the unit written after it, with that unit's precision (UCDP: where_prec 2-4).
            precision = {KIND_ADMIN1: "admin1", KIND_ADMIN2: "admin2"}.get(unit.kind, "area")
            admin1, admin2 = written_admin(unit, written)
            admin2 = admin2 or written_district(m, unit.admin1_id)
            return Place(text=m.text, span=span, name=m.bare_text or m.name_text or m.text, admin1=admin1,
                         admin2=admin2, country=unit.country, lat=unit.lat, lon=unit.lon, precision=precision,
                         explanation=f"'{m.name_text or m.text}' is not in the index; placed at "
                                     f"{unit.name} ({unit.kind}, {unit.country}), written after it"
                                     + (f" ({m.why})" if m.why else ""))
        return Place(text=m.text, span=span, precision="unknown", explanation=m.why or "not in the index")
    if e.kind == KIND_COUNTRY:
        if m.direction:
            return Place(text=m.text, span=span, name=e.name, geonames_id=e.geonames_id,
                         feature_code=e.feature_code, country=e.country, precision="region",
                         explanation=m.why or None)
        precision = "country"
    elif e.kind == KIND_ADMIN1:
        precision = "admin1"
    elif e.kind == KIND_ADMIN2:
        precision = "admin2"
    else:
        precision = "area" if (m.direction or m.cue == "area") else "point"
    admin1, admin2 = written_admin(e, written)
    if e.kind == KIND_PLACE:
        admin2 = admin2 or written_district(m, e.admin1_id)
    name = written.get(e.geonames_id, e.name)       # a division named alone: as the text writes it
    if e.kind == KIND_PLACE and e.native_name and m.name_text and not m.name_text.isupper() \
            and _spelled(m.name_text) == _spelled(e.native_name) and name_key(e.native_name) != name_key(e.name) \
            and not listed_town_spelling(e, m.name_text):
        # The text writes the GeoNames name in full ("Taxco de Alarcón", where the English short form is "Taxco"):
        # the writer's form, which is the feature's own name, is the one the reader expects back.
        name = m.name_text
    elif e.kind == KIND_PLACE:
        name = written_place_name(m, articles) or name
    return Place(text=m.text, span=span, name=name, geonames_id=e.geonames_id, feature_code=e.feature_code,
                 admin1=admin1, admin2=admin2, country=e.country, lat=e.lat, lon=e.lon, precision=precision,
                 native_name=e.native_name, explanation=m.why or None)

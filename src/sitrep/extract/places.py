"""Toponyms and event locations: find place mentions, resolve them to GeoNames, pick where each event happened.

1. Mentions: runs of capitalised tokens looked up (longest first) in the country lexicon and the gazetteer,
   plus GPE/LOC entities the gazetteer does not know (kept unresolved). PERSON entities are skipped unless
   they read as a town ("A Greeley man"); a gazetteer-only name needs a cue (NER place tag, "in/near/of X",
   "X police", "X County", "X, Calif.", a dateline), and the stoplist, street/building words ("Walmer Street")
   and shouted text rule out the rest (data/places.yaml). Demonyms ("Afghan") are kept as country evidence.
2. Focus country: a vote of the mentions, weighted by role (where things happen > who is named), dateline and
   headline, and US state abbreviations.
3. Resolution: candidates are scored on canonical-vs-alias name, population, feature kind, the words around
   the name ("Kunduz province", "the city"), its container ("Antioch, Calif.", "Imam Sahib district of
   Kunduz"), the focus country, and the divisions and states the article (and its dateline and headline)
   names. Ties across countries, and small foreign or out-of-state namesakes, stay unresolved.
4. Event location: the mention in the event's sentence nearest the trigger in the parse (preferring
   "in/near X", never the actor or a dateline), else a cued place in the two sentences before, else the town
   the article is about (dateline, or a town named more than any other), else its only place, else the focus
   country. A coarse location (country, region, division) is refined by a later definite mention of the same
   happening ("the strike ... in Helmand") or to the article's town inside it.
"""
from __future__ import annotations

import bisect
import logging
import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Optional

from ..nlp import entities
from ..data import load_yaml
from ..errors import LexiconError
from ..model import Event, Place
from ..resolve.countries import CountryLexicon, load_countries
from ..resolve.gazetteer import (KIND_ADMIN1, KIND_ADMIN2, KIND_COUNTRY, KIND_PLACE, GeoEntry, Gazetteer, Hit,
                                 load_gazetteer, name_key)
from .context import DocContext

LOGGER = logging.getLogger(__name__)

MAX_NAME_TOKENS = 6
LATER_MENTION_SENTENCES = 12    # how far after an event a definite mention of it ("the strike") is looked for
# Lower-case words that may sit inside a multi-word place name ("Bosnia and Herzegovina", "Port-au-Prince").
CONNECTORS = frozenset({"-", "and", "of", "de", "du", "la", "le", "les", "al", "el", "au", "aux", "es", "da", "do",
                        "dos", "das", "del", "di", "sur", "upon", "on", "am", "an", "der", "den", "bin", "y", "e",
                        "'", "’", "the", "i", "st."})
# Separators between a place and the division or country that contains it.
_CONTAINER_GAP = re.compile(
    r"^(?:\s+(?:district|province|county|state|region|governorate|city|town|village|area|municipality))?"
    r"(?:\s*,\s*|\s+(?:of|in)\s+)(?:the\s+)?(?:(?:northern|southern|eastern|western|central|north|south|east|west)"
    r"\s+)?$", re.IGNORECASE)
_STATE_ABBREV = re.compile(r"^\s*,\s*((?:[A-Z][A-Za-z]{0,4}\.\s?){1,2}|[A-Z]{2}\b)")
_DATELINE_DASH = re.compile(r"—|–|--|-\s|\?\?\?|\)")
_DATELINE_TAIL = re.compile(r"^[^\n]{0,40}?(?:\(|—|–|--|-\s|\?\?\?)")
# Up to three capitalised words of a headline: a place name and what may follow it ("Lancaster County Fair").
_CAPITALISED = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2}"
# A town in a headline: after "in/near/outside", or before a resident or agency word ("Shrewsbury woman",
# "Antioch Police").
_HEADLINE_TOWN = re.compile(
    rf"\b(?:[Ii]n|[Nn]ear|[Oo]utside|[Aa]t)\s+(?P<pre>{_CAPITALISED})"
    rf"|\b(?P<post>{_CAPITALISED})\s+(?:man|woman|men|women|boy|girl|teen|teenager|"
    r"resident|residents|police|officer|officers|family|couple|home|house|student|mother|father)\b")
# Where a headline puts its event: "US drone strike in southern Afghanistan".
_TITLE_WHERE = re.compile(r"\b(?:in|near|across|outside|inside)\s+(?:the\s+)?(?:(?:[Nn]orth|[Ss]outh|[Ee]ast|[Ww]est|"
                          rf"[Cc]entral)(?:ern)?\s+)?({_CAPITALISED})")
PRECISION_ORDER = {"point": 0, "area": 1, "admin2": 2, "admin1": 3, "region": 4, "country": 5, "water": 6,
                   "unknown": 7}


@dataclass(frozen=True)
class PlaceLexicon:
    stoplist: frozenset
    cue_rescues: frozenset
    prepositions: dict
    directions: frozenset
    inner_directions: frozenset
    kind_words: dict                # word -> kind
    city_anaphora: tuple
    state_abbrevs: dict             # "Calif." -> "California"
    state_postal: dict              # "CA" -> "California"
    facility_words: frozenset
    street_lead_words: frozenset
    agency_words: frozenset
    resident_nouns: frozenset
    subplace_words: frozenset


@lru_cache(maxsize=1)
def load_place_lexicon() -> PlaceLexicon:
    data = load_yaml("places.yaml")
    try:
        kinds = {w.lower(): kind for kind, words in data["kind_words"].items() for w in words}
        abbrevs, postal = {}, {}
        for state, forms in data["us_states"].items():
            for f in forms:
                if re.fullmatch(r"[A-Z]{2}", f):
                    postal[f] = state
                else:
                    abbrevs[f] = state
                    abbrevs[f.rstrip(".")] = state
            abbrevs[state] = state
        return PlaceLexicon(
            stoplist=frozenset(name_key(w) for w in data["stoplist"]),
            cue_rescues=frozenset(name_key(w) for w in data["cue_rescues"]),
            prepositions={k.lower(): v for k, v in data["locative_prepositions"].items()},
            directions=frozenset(w.lower() for w in data["directions"]),
            inner_directions=frozenset(w.lower() for w in data.get("inner_directions") or ()),
            kind_words=kinds,
            city_anaphora=tuple(data["city_anaphora"]),
            state_abbrevs=abbrevs,
            state_postal=postal,
            facility_words=frozenset(w.lower() for w in data["facility_words"]),
            street_lead_words=frozenset(w.lower() for w in data.get("street_lead_words") or ()),
            agency_words=frozenset(w.lower() for w in data["agency_words"]),
            resident_nouns=frozenset(w.lower() for w in data["resident_nouns"]),
            subplace_words=frozenset(w.lower() for w in data["subplace_words"]),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise LexiconError(f"places.yaml is malformed: {exc!r}") from exc


@dataclass
class Mention:
    """One place name in the text and what the words around it say."""

    start: int                      # token range [start, end)
    end: int
    char_start: int
    char_end: int
    text: str
    hits: list[Hit]
    role: str = "place"             # place | modifier (a noun's modifier, inside an ORG) | demonym | actor
    country_name: Optional[str] = None   # ISO3 when the words are a country name from the lexicon
    ner: Optional[str] = None
    cue: Optional[str] = None       # precision a locative preposition implies (point | area)
    direction: Optional[str] = None
    inner: bool = False             # the direction names the middle of a town ("central Lagos")
    kind_hint: Optional[str] = None
    container: Optional["Mention"] = None
    state_hint: Optional[str] = None     # US state from "X, Calif."
    dateline: bool = False
    in_dateline: bool = False       # any mention before the dateline's dash ("KABUL, Afghanistan (AP) —")
    key: str = ""                   # folded name, for "one sense per article"
    resolved: Optional[GeoEntry] = None
    place: Optional[Place] = None
    scores: dict = field(default_factory=dict)


# ----------------------------------------------------------------------------------------------- finding


def _is_cap(tok) -> bool:
    t = tok.text
    return bool(t) and (t[0].isupper() or (t[0] in "'’" and len(t) > 1 and t[1].isupper()))


def find_mentions(doc, gaz: Gazetteer, countries: CountryLexicon, lex: PlaceLexicon,
                  text: Optional[str] = None) -> list[Mention]:
    """Every place name in `doc`, longest match first, in text order."""
    text = text if text is not None else doc.text
    mentions: list[Mention] = []
    n = len(doc)
    i = 0
    while i < n:
        tok = doc[i]
        if not _is_cap(tok) or tok.is_punct or (tok.ent_type_ == "PERSON" and not _town_as_person(doc, i, lex)):
            i += 1
            continue
        # The longest run of name-like tokens from here, within the sentence.
        run_end = i + 1
        while run_end < n and run_end - i < MAX_NAME_TOKENS:
            t = doc[run_end]
            if t.is_sent_start or (t.ent_type_ == "PERSON" and tok.ent_type_ != "PERSON") \
                    or t.whitespace_ == "" and t.text in ",.;:":
                break
            if not (_is_cap(t) or t.lower_ in CONNECTORS):
                break
            run_end += 1
        found = None
        for end in range(run_end, i, -1):
            last = doc[end - 1]
            if not _is_cap(last) and end - 1 != i:
                continue
            if any(doc[k].text in ",;:" for k in range(i, end)):
                continue
            surface = text[tok.idx: last.idx + len(last.text)]
            found = _match(surface, doc, i, end, gaz, countries, lex, text)
            if found is not None:
                break
        if found is None:
            i += 1
            continue
        mentions.append(found)
        i = found.end
    _add_unknown_entities(doc, mentions)
    mentions.sort(key=lambda m: m.start)
    for m in mentions:
        _annotate(m, doc, lex, text)
    _link_containers(mentions, text, lex)
    # "Antioch, Calif.": the abbreviation is the hint just read, not a place of its own.
    return [m for m in mentions if not (m.text in lex.state_abbrevs or m.text in lex.state_postal)
            or not any(o.state_hint and o.char_end < m.char_start <= o.char_end + 3 for o in mentions)]


def _match(surface: str, doc, i: int, end: int, gaz: Gazetteer, countries: CountryLexicon,
           lex: PlaceLexicon, text: str) -> Optional[Mention]:
    key = name_key(surface)
    if not key:
        return None
    span = doc[i:end]
    char_start, char_end = span.start_char, span.end_char
    ner = doc[i].ent_type_ or None
    iso3 = countries.names.get(surface) or (countries.folded_names.get(key) if surface.isupper() else None)
    if iso3 is None and surface in countries.demonyms:
        return Mention(i, end, char_start, char_end, surface, [], role="demonym",
                       country_name=countries.demonyms[surface], ner=ner)
    # A plural or possessive demonym ("Afghans", "Iraq's") is already in the lexicon or caught by the parse.
    hits = list(gaz.lookup(key)) if len(key) > 1 else []
    last = doc[end - 1].lower_
    if end - i >= 2 and last in lex.kind_words:
        # "York City", "Kalamazoo County": the name alone is a candidate too, of the kind the word says.
        bare = name_key(doc[i:end - 1].text)
        seen = {h.entry.geonames_id for h in hits}
        hits += [h for h in gaz.lookup(bare) if h.entry.geonames_id not in seen and h.entry.kind == lex.kind_words[last]]
    if iso3 is None and not hits:
        return None
    if iso3 is None and not _plausible(doc, i, end, key, ner, lex, hits, text):
        return None
    return Mention(i, end, char_start, char_end, surface, hits, country_name=iso3, ner=ner, key=key)


def _town_as_person(doc, i: int, lex: PlaceLexicon) -> bool:
    """NER reads some towns as people ("A Greeley man", "Sioux Falls police"): a PERSON entity that modifies a
    resident noun or follows "in" may still be a place; the gazetteer and the stoplist decide."""
    if doc[i].ent_iob_ != "B":
        return False
    end = i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    nxt = doc[end] if end < len(doc) else None
    prev = doc[i - 1] if i > 0 else None
    return (nxt is not None and nxt.lower_ in lex.resident_nouns) or _modifies_site(doc, i, end, lex) or (
        prev is not None and (prev.lower_ in lex.prepositions or prev.lower_ in ("through", "into", "across")))


def _modifies_site(doc, i: int, end: int, lex: PlaceLexicon) -> bool:
    """"the Jalalabad fruit market", "the Kandahar airport": a name qualifying a (lower-case) site noun."""
    root = doc[i:end].root
    head = root.head
    return root.dep_ == "compound" and head.i >= end and not _is_cap(head) and head.lower_ in lex.facility_words


def _at_dateline(doc, i: int, text: str) -> bool:
    lead = len(text) - len(text.lstrip())
    return doc[i].idx == lead


def _plausible(doc, i: int, end: int, key: str, ner: Optional[str], lex: PlaceLexicon, hits, text: str) -> bool:
    """Should a gazetteer-only match count as a place? Guards against common words, names, streets and
    shouted text."""
    place_ner = ner in ("GPE", "LOC", "FAC")
    k = i - 1
    while k >= 0 and (doc[k].lower_ in lex.directions or doc[k].lower_ in ("the", "a", "an")):
        k -= 1
    prev = doc[k].lower_ if k >= 0 else ""
    nxt = doc[end] if end < len(doc) else None
    tail = text[doc[end - 1].idx + len(doc[end - 1]):doc[end - 1].idx + len(doc[end - 1]) + 60]
    dateline = _at_dateline(doc, i, text) and bool(_DATELINE_TAIL.match(tail))
    cued = prev in lex.prepositions or place_ner or dateline
    if prev == "of" and k >= 1 and doc[k - 1].lower_ in lex.street_lead_words:
        return False    # "the 2200 block of Polk": a street
    if nxt is not None and _is_cap(nxt):
        low = nxt.lower_
        # "Walmer Street", "Alger Heights", "Tiana Carruthers": the name goes on, and it is not this place.
        if low in lex.facility_words or (low not in lex.agency_words and low not in lex.kind_words
                                         and nxt.pos_ == "PROPN" and not nxt.is_upper):
            return False
    surface = doc[i:end].text
    if surface.isupper() and len(key) > 2 and not dateline and not place_ner:
        # Shouted text ("A WOMAN WAS KILLED IN HER HOME") is not a list of places.
        if not (end < len(doc) and _STATE_ABBREV.match(tail[:16])):
            return False
    if nxt is not None and nxt.lower_ in lex.subplace_words:
        return False
    if key in lex.stoplist:
        return key in lex.cue_rescues and cued
    after = tail[:20]
    # What says a bare capitalised word is a place: NER, "in/near/of X", a dateline, "X police", "X County",
    # "X, Calif." or "X, Texas".
    supported = cued or prev in ("of", "from", "into", "to", "toward", "towards", "through") \
        or _modifies_site(doc, i, end, lex) or bool(_STATE_ABBREV.match(after)) or (
        nxt is not None and (nxt.lower_ in lex.resident_nouns or nxt.lower_ in lex.agency_words
                             or nxt.lower_ in lex.kind_words)) or (nxt is not None and nxt.text == ","
                                                                   and end + 1 < len(doc) and _is_cap(doc[end + 1]))
    if not supported and (end - i == 1 or not all(h.primary for h in hits)):
        return False
    # "West Side", "North End": alternate names of some city, but in text a part of the one being discussed.
    if not any(h.primary for h in hits) and doc[i].lower_ in lex.directions:
        return False
    if end - i == 1:
        tok = doc[i]
        if tok.pos_ not in ("PROPN",) and not place_ner and not tok.is_upper and not (
                nxt is not None and (nxt.lower_ in lex.resident_nouns or nxt.lower_ in lex.agency_words)):
            return False
        # A capitalised word opening a sentence is only a place if something else says so.
        if tok.is_sent_start and not place_ner and not tok.is_upper and ner is None and not (
                nxt is not None and (nxt.lower_ in lex.resident_nouns or nxt.lower_ in lex.agency_words)):
            return False
    return True


def _add_unknown_entities(doc, mentions: list[Mention]) -> None:
    """GPE/LOC entities no lexicon knows: kept as mentions without candidates (null fields, never a guess)."""
    taken = set()
    for m in mentions:
        taken.update(range(m.start, m.end))
    for ent in entities(doc):
        if ent.label_ in ("GPE", "LOC") and not taken.intersection(range(ent.start, ent.end)):
            mentions.append(Mention(ent.start, ent.end, ent.start_char, ent.end_char, ent.text, [], ner=ent.label_))


def _annotate(m: Mention, doc, lex: PlaceLexicon, text: str) -> None:
    """Read the words around a mention: preposition cue, direction, kind word, and its syntactic role."""
    k = m.start - 1
    if k >= 0 and doc[k].lower_ in lex.directions:
        m.direction = doc[k].lower_
        m.inner = m.direction in lex.inner_directions
        m.char_start = doc[k].idx
        k -= 1
    if k >= 0 and doc[k].lower_ in ("the", "a"):
        k -= 1
    if k >= 0 and doc[k].lower_ in lex.prepositions:
        m.cue = lex.prepositions[doc[k].lower_]
    if m.end < len(doc):
        nxt = doc[m.end]
        kind = lex.kind_words.get(nxt.lower_) or lex.kind_words.get(nxt.lemma_.lower())
        if kind and m.role != "demonym":
            m.kind_hint = kind
            m.char_end = nxt.idx + len(nxt.text)
    # "the city of X", "the province of X"
    if m.kind_hint is None and m.start >= 3 and doc[m.start - 1].lower_ == "of" \
            and doc[m.start - 3].lower_ in ("the", "a") and doc[m.start - 2].lower_ in lex.kind_words:
        m.kind_hint = lex.kind_words[doc[m.start - 2].lower_]
    m.text = text[m.char_start:m.char_end]
    if m.role == "demonym":
        return
    root = doc[m.start:m.end].root
    head = root.head
    if m.ner in ("ORG", "NORP", "FAC", "WORK_OF_ART", "EVENT", "PRODUCT") and m.country_name is None:
        m.role = "modifier"
    elif root.dep_ in ("compound", "amod", "nmod", "poss") and head.i >= m.end and head.pos_ in ("NOUN", "PROPN") \
            and head.lower_ not in lex.kind_words:
        m.role = "modifier"
    elif root.dep_ in ("nsubj", "nsubjpass", "dobj", "dative") and m.cue is None:
        m.role = "actor"        # "Kabul said", "accused Rwanda of": a party, not where things happen


def _link_containers(mentions: list[Mention], text: str, lex: PlaceLexicon) -> None:
    for a, b in zip(mentions, mentions[1:]):
        gap = text[a.char_end:b.char_start]
        if len(gap) <= 30 and _CONTAINER_GAP.match(gap) and b.role != "demonym":
            a.container = b
        elif gap.strip() in ("'s", "’s") and b.role != "demonym":
            # "in Afghanistan's Nangarhar province": the preposition places the province, inside the country
            b.container, b.cue = a, b.cue or a.cue
            a.role = "modifier"
    for m in mentions:
        hit = _STATE_ABBREV.match(text[m.char_end:m.char_end + 16])
        if hit:
            form = hit.group(1).strip()
            state = lex.state_abbrevs.get(form) or lex.state_abbrevs.get(form.rstrip(".")) \
                or lex.state_postal.get(form)
            if state:
                m.state_hint = state


# -------------------------------------------------------------------------------------------- resolving

_KIND_PRIOR = {KIND_PLACE: 1.0, KIND_ADMIN1: 0.8, KIND_ADMIN2: 0.2, KIND_COUNTRY: 0.5}


def _prior(m: Mention, hit: Hit) -> float:
    e = hit.entry
    s = (2.0 if hit.primary else 0.0) + 0.8 * math.log10(e.population + 10) + _KIND_PRIOR.get(e.kind, 0.0)
    if m.kind_hint:
        s += 5.0 if e.kind == m.kind_hint else -3.0
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


def _contains(outer: GeoEntry, inner: GeoEntry) -> bool:
    if outer.country != inner.country or outer.geonames_id == inner.geonames_id:
        return False
    if outer.kind == KIND_COUNTRY:
        return inner.kind != KIND_COUNTRY
    if outer.kind == KIND_ADMIN1:
        return inner.kind in (KIND_PLACE, KIND_ADMIN2) and inner.admin1_id == outer.geonames_id
    if outer.kind == KIND_ADMIN2:
        return inner.kind == KIND_PLACE and inner.admin2_id == outer.geonames_id
    return False


def _country_hits(m: Mention, gaz: Gazetteer) -> None:
    if m.country_name and not any(h.entry.kind == KIND_COUNTRY and h.entry.country == m.country_name
                                  for h in m.hits):
        entry = gaz.country(m.country_name)
        if entry is not None:
            m.hits.insert(0, Hit(entry, True))


_ROLE_WEIGHT = {"place": 1.0, "modifier": 0.5, "actor": 0.5, "demonym": 0.5}


def focus_votes(mentions: list[Mention], title_countries: list[str]) -> Counter:
    """Evidence for the country the article is about: where things are, more than who is named."""
    votes: Counter = Counter()
    for m in mentions:
        weight = _ROLE_WEIGHT.get(m.role, 0.5) * (2.0 if m.dateline else 1.0) * (1.5 if m.cue else 1.0)
        if m.state_hint:
            votes["USA"] += 2.0 * weight
        if m.country_name:
            votes[m.country_name] += 1.5 * weight
            continue
        if not m.hits:
            continue
        ranked = sorted(m.hits, key=lambda h: -_prior(m, h))
        top = ranked[0].entry.country
        countries = {h.entry.country for h in m.hits}
        if top:
            votes[top] += (1.0 if len(countries) == 1 else 0.5) * weight
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
    for m in mentions:
        m.resolved = None
        if m.role == "demonym" or not m.hits:
            continue
        scored = []
        for h in m.hits:
            e = h.entry
            s = _prior(m, h)
            if focus and e.country == focus:
                s += 2.5
            elif focus and e.country != focus:
                s -= 0.5
            s += 0.3 * math.log1p(votes.get(e.country, 0.0))
            if e.admin1_id in named_divisions or e.admin2_id in named_divisions:
                s += 1.5
            if m.state_hint:
                s += 6.0 if (e.country == "USA" and e.admin1 == m.state_hint) else -4.0
            elif e.country == "USA" and e.admin1 in named_states:
                s += 2.5
            if m.container is not None and m.container.hits:
                s += 6.0 if any(_contains(c.entry, e) for c in m.container.hits) else -1.0
            # The container itself: the division that holds the place named before it.
            for other in mentions:
                if other.container is m and other.hits and any(_contains(e, o.entry) for o in other.hits):
                    s += 3.0
                    break
            if e.kind == KIND_PLACE and _in_city_paragraph(m, city_context):
                s += 1.5
            scored.append((s, h))
        scored.sort(key=lambda sh: -sh[0])
        m.scores = {sh[1].entry.geonames_id: round(sh[0], 2) for sh in scored[:5]}
        best_s, best = scored[0]
        e = best.entry
        # Ambiguity across countries with nothing to tell them apart: leave the name unresolved.
        if len(scored) > 1:
            s2, h2 = scored[1]
            if h2.entry.country != e.country and best_s - s2 < 0.75 and not m.country_name:
                continue
        # A tiny place matched by an alias, with no cue that it is a place at all, is more likely a word.
        if e.kind == KIND_PLACE and e.population < 1000 and not (m.cue or m.ner in ("GPE", "LOC") or m.container
                                                                  or m.state_hint or best.primary):
            continue
        # A foreign namesake of a word in an article about somewhere else needs more than its name.
        # (A first-level division after "in" that only one country has, is that one: "in the Gaza Strip".)
        if focus and e.country != focus and not m.country_name and m.container is None \
                and e.population < 100_000 and not (e.kind == KIND_ADMIN1 and m.cue
                                                    and {h.entry.country for h in m.hits} == {e.country}):
            continue
        # In a US story that names its state, a small town of the same name in another state is a guess.
        us_states = {h.entry.admin1 for h in m.hits if h.entry.country == "USA"}
        if named_states and e.country == "USA" and e.kind == KIND_PLACE and e.admin1 not in named_states \
                and e.population < 100_000 and not m.state_hint and m.container is None \
                and (len(us_states) > 1 or us_states & named_states):
            continue
        m.resolved = e
    for m in mentions:
        m.place = to_place(m)


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


def to_place(m: Mention) -> Place:
    """The Place record of a mention: resolved fields and the precision its words allow."""
    e = m.resolved
    span = (m.char_start, m.char_end)
    if e is None:
        if m.role == "demonym" and m.country_name:
            return Place(text=m.text, span=span, country=m.country_name, precision="country")
        return Place(text=m.text, span=span, precision="unknown")
    if e.kind == KIND_COUNTRY:
        if m.direction:
            return Place(text=m.text, span=span, name=e.name, geonames_id=e.geonames_id,
                         feature_code=e.feature_code, country=e.country, precision="region")
        precision = "country"
    elif e.kind == KIND_ADMIN1:
        precision = "admin1"
    elif e.kind == KIND_ADMIN2:
        precision = "admin2"
    else:
        precision = "area" if (m.direction or m.cue == "area") else "point"
    return Place(text=m.text, span=span, name=e.name, geonames_id=e.geonames_id, feature_code=e.feature_code,
                 admin1=e.admin1, admin2=e.admin2, country=e.country, lat=e.lat, lon=e.lon, precision=precision)


# ------------------------------------------------------------------------------------------ event places


def _tree_distance(a, b) -> int:
    """Edges between two tokens of one sentence in the dependency tree."""
    if a.sent.start != b.sent.start:
        return 99
    pa = {a.i: 0}
    d = 0
    t = a
    while t.head.i != t.i:
        t = t.head
        d += 1
        pa[t.i] = d
    d = 0
    t = b
    while t.i not in pa:
        if t.head.i == t.i:
            return 99
        t = t.head
        d += 1
    return d + pa[t.i]


def _overlaps(m: Mention, span) -> bool:
    return span is not None and m.char_start < span[1] and span[0] < m.char_end


def _locatable(m: Mention) -> bool:
    """Can the mention be where an event happened? Not a demonym, a subject, or a country used as an adjective
    ("the U.S. airstrike"); a town as one can ("the Kalamazoo shooting")."""
    if m.place is None or m.place.precision == "unknown":
        return False
    if m.role == "modifier":
        return m.resolved is not None and m.resolved.kind != KIND_COUNTRY
    return m.role == "place"


def _pick_in_sentence(ev: Event, sent_mentions: list[Mention], ctx: DocContext) -> Optional[Mention]:
    best, best_key = None, None
    trig = ctx.trigger_of(ev) if 0 <= ev.trigger_index < len(ctx.doc) else None
    for m in sent_mentions:
        if not _locatable(m) or m.in_dateline:
            continue
        participant_spans = [p.span for p in (ev.actor, ev.recipient) if p is not None]
        town_of_participant = m.role == "modifier" and m.resolved is not None and m.resolved.kind != KIND_COUNTRY
        # "Lagos residents", "New York City police officers": the town that qualifies a participant places
        # the event; a country in the phrase ("Afghan forces") says whose they are, not where they were.
        if m.cue is None and not town_of_participant and any(_overlaps(m, s) for s in participant_spans):
            continue
        root = ctx.doc[m.start:m.end].root
        dist = _tree_distance(trig, root) if trig is not None else 50
        key = (m.role != "place", m.cue is None, dist, PRECISION_ORDER[m.place.precision])
        if best_key is None or key < best_key:
            best, best_key = m, key
    return best


class PlaceResolver:
    """Stage `places`: fills ctx.places and ctx.focus_country, and each event's location."""

    def __init__(self, gazetteer: Optional[Gazetteer] = None):
        self.gazetteer = gazetteer or load_gazetteer()
        self.countries = load_countries()
        self.lex = load_place_lexicon()

    # -- the pieces, usable on their own ------------------------------------------------------------------

    def analyse(self, doc, title: Optional[str] = None) -> tuple[list[Mention], Optional[str]]:
        """Find and resolve every place mention of a parsed document; return them and the focus country."""
        text = doc.text         # spaCy rebuilds it on every access
        mentions = find_mentions(doc, self.gazetteer, self.countries, self.lex, text=text)
        for m in mentions:
            _country_hits(m, self.gazetteer)
        _mark_dateline(mentions, text)
        title_countries, title_states = self._title_evidence(title)
        votes = focus_votes(mentions, title_countries)
        focus = None
        if votes:
            top, n = votes.most_common(1)[0]
            if n >= 0.5:
                focus = top
        resolve_mentions(mentions, focus, votes, text, self.lex, extra_states=title_states)
        dateline = next((m for m in mentions if m.dateline and m.resolved is not None), None)
        if dateline is not None and dateline.resolved.country == "USA" and dateline.resolved.admin1:
            # "SAN FRANCISCO --": the article's other towns are likelier in California.
            resolve_mentions(mentions, focus, votes, text, self.lex,
                             extra_states=title_states | {dateline.resolved.admin1})
        for m in mentions:
            if m.resolved is not None and m.resolved.kind == KIND_COUNTRY and m.resolved.country in self.countries.by_iso3:
                # the name news uses ("Iran", "Taiwan"), not the ISO table's ("Iran, Islamic Republic of")
                m.resolved = replace(m.resolved, name=self.countries.by_iso3[m.resolved.country].name)
                m.place = to_place(m)
        return mentions, focus

    def geocode(self, name: str, focus_country: Optional[str] = None, kind: Optional[str] = None,
                state: Optional[str] = None) -> Optional[GeoEntry]:
        """Resolve a bare name (no text around it) with optional focus country, kind and US state."""
        m = Mention(0, 1, 0, len(name), name, list(self.gazetteer.lookup(name_key(name))),
                    country_name=self.countries.names.get(name), kind_hint=kind, state_hint=state, cue="point")
        _country_hits(m, self.gazetteer)
        resolve_mentions([m], focus_country, Counter({focus_country: 1.0}) if focus_country else Counter(),
                         name, self.lex)
        return m.resolved

    def _title_evidence(self, title: Optional[str]) -> tuple[list[str], frozenset]:
        """Countries and US states the headline names (it has no offsets, so it only informs resolution)."""
        if not title:
            return [], frozenset()
        words = re.findall(r"[A-Z][\w.'’-]*", title)
        countries, states = [], set()
        for n in (3, 2, 1):
            for i in range(len(words) - n + 1):
                phrase = " ".join(words[i:i + n]).rstrip("'’s").strip()
                iso3 = self.countries.country_of(phrase)
                if iso3:
                    countries.append(iso3)
                state = self.lex.state_abbrevs.get(phrase) if (n > 1 or phrase.endswith(".") or len(phrase) > 4) \
                    else None
                if state:
                    states.add(state)
                    countries.append("USA")
        # "US drone strike in southern Afghanistan", "Rebels attack army post near Goma": the country the headline
        # puts the event in counts twice; a town there counts for its country when no other country has it
        for m in _TITLE_WHERE.finditer(title):
            words = m.group(1).split()
            for n in range(len(words), 0, -1):
                name = " ".join(words[:n]).rstrip("'’s;:,.")
                iso3 = self.countries.country_of(name)
                if iso3:
                    countries.append(iso3)
                    break
                key = name_key(name)
                if key in self.lex.stoplist or name.lower() in self.lex.directions:
                    continue
                hits = [h for h in self.gazetteer.lookup(key) if h.primary and h.entry.kind == KIND_PLACE]
                if hits and len({h.entry.country for h in hits if h.entry.population >= 10_000}) == 1:
                    countries.append(max(hits, key=lambda h: h.entry.population).entry.country)
                    break
        return countries, frozenset(states)

    # -- the stage -------------------------------------------------------------------------------------------

    def __call__(self, ctx: DocContext, events: list[Event]) -> None:
        mentions, focus = self.analyse(ctx.doc, ctx.article.title)
        ctx.places = [m.place for m in mentions if m.place is not None and m.role != "demonym"]
        ctx.focus_country = focus
        if not events:
            return
        by_sent: dict[int, list[Mention]] = {}
        sent_starts = [s.start for s in ctx.sents]
        for m in mentions:
            by_sent.setdefault(_sent_index(sent_starts, m.start), []).append(m)
        anchor = self._anchor(mentions, focus, ctx.article.title)
        fallback = anchor.place if anchor is not None else self._article_place(mentions, focus)
        for ev in events:
            ev.location = self._event_place(ev, ctx, by_sent, fallback)
        _refine_coarse(events, ctx, by_sent)
        self._refine_to_town(events, mentions, anchor)
        self._refine_to_headline_town(events, ctx.article.title, focus, mentions)

    def _refine_to_headline_town(self, events: list[Event], title: Optional[str], focus: Optional[str],
                                 mentions: list[Mention]) -> None:
        """"Man shot and killed in West Philadelphia", "Shrewsbury woman shot": local news often names its town
        only in the headline. An event placed no finer than its state or country (or not at all) takes that
        town when it lies inside what the text says. The headline has no offsets in the text: span stays null."""
        coarse = [ev for ev in events if ev.location is None
                  or PRECISION_ORDER.get(ev.location.precision, 7) >= PRECISION_ORDER["admin1"]]
        if not coarse or not title:
            return
        states = frozenset(m.resolved.admin1 for m in mentions
                           if m.resolved is not None and m.resolved.kind == KIND_ADMIN1 and m.resolved.country == "USA")
        town = self._headline_town(title, focus, states)
        if town is None:
            return
        for ev in coarse:
            loc = ev.location
            if loc is not None and (loc.country not in (None, town.country)
                                    or (loc.admin1 and loc.admin1 != town.admin1)):
                continue
            ev.location = town

    def _headline_town(self, title: str, focus: Optional[str], states: frozenset) -> Optional[Place]:
        headline = re.split(r"\s[|–—-]\s|\s\|", title)[0]       # "... | WPTZ Home", "... - Los Angeles Times"
        state = next(iter(states)) if len(states) == 1 else None
        for m in _HEADLINE_TOWN.finditer(headline):
            words = (m.group("pre") or m.group("post")).split()
            if m.group("pre"):
                # "in Lancaster County Fair", "in West Philadelphia ID'd": the longest known start, then the town
                # a quarter is in
                forms = [words[:k] for k in range(len(words), 0, -1)]
                if len(words) > 1 and words[0].lower() in self.lex.directions:
                    forms += [words[1:k] for k in range(len(words), 1, -1)]
            else:
                forms = [words[-k:] for k in range(len(words), 0, -1)]      # "Two New York police officers"
            entry, name = None, None
            for form in forms:
                name = " ".join(form)
                if name_key(name) in self.lex.stoplist or name.lower() in self.lex.directions:
                    continue
                hits = [h for h in self.gazetteer.lookup(name_key(name)) if h.entry.kind in (KIND_PLACE, KIND_ADMIN2)]
                us_states = {h.entry.admin1 for h in hits if h.entry.country == "USA"}
                if state is None and len(us_states) > 1 and (focus in (None, "USA")) and not any(
                        h.entry.population >= 500_000 for h in hits):
                    continue        # Shrewsbury, Vermont or Massachusetts? The text must say.
                entry = self.geocode(name, focus, kind=KIND_PLACE, state=state)
                if entry is not None:
                    break
            if entry is None or entry.kind not in (KIND_PLACE, KIND_ADMIN2):
                continue
            if (focus and entry.country != focus) or (state and entry.admin1 != state):
                continue
            return Place(text=name, span=None, name=entry.name, geonames_id=entry.geonames_id,
                         feature_code=entry.feature_code, admin1=entry.admin1, admin2=entry.admin2,
                         country=entry.country, lat=entry.lat, lon=entry.lon,
                         precision="point" if entry.kind == KIND_PLACE else "admin2")
        return None

    def _event_place(self, ev: Event, ctx: DocContext, by_sent: dict, fallback: Optional[Place]) -> Optional[Place]:
        if not (0 <= ev.sent_index < len(ctx.sents)):
            return fallback
        m = _pick_in_sentence(ev, by_sent.get(ev.sent_index, []), ctx)
        if m is not None:
            return replace(m.place)
        # The sentence before, in the same paragraph ("In one attack in Kunduz, ... The attack started at ...").
        text = ctx.article.text
        sent = ctx.sents[ev.sent_index]
        para_start = text.rfind("\n", 0, sent.start_char) + 1
        for k in range(ev.sent_index - 1, max(-1, ev.sent_index - 3), -1):
            if ctx.sents[k].end_char <= para_start:
                break
            cands = [x for x in by_sent.get(k, []) if _locatable(x) and x.role == "place" and x.cue]
            if cands:
                return replace(min(cands, key=lambda x: PRECISION_ORDER[x.place.precision]).place)
        if fallback is not None:
            return replace(fallback)
        # A demonym in the sentence at least gives the country ("Afghan forces were attacked").
        dem = [x for x in by_sent.get(ev.sent_index, []) if x.role == "demonym" and x.country_name]
        return replace(dem[0].place) if dem else None

    def _anchor(self, mentions: list[Mention], focus: Optional[str], title: Optional[str]) -> Optional[Mention]:
        """The town an article is written from or about: its dateline, or a town it names more than any other
        (title mentions count too). None when no town stands out."""
        for m in mentions:
            if m.dateline and m.resolved is not None and m.resolved.kind in (KIND_PLACE, KIND_ADMIN2):
                return m
        towns = [m for m in mentions if _locatable(m) and m.resolved.kind in (KIND_PLACE, KIND_ADMIN2)
                 and (focus is None or m.resolved.country == focus)]
        if not towns:
            return None
        in_text = Counter(m.resolved.geonames_id for m in towns)
        counts = Counter(in_text)
        if title:
            title_keys = _title_keys(title)
            for m in {m.resolved.geonames_id: m for m in towns}.values():
                if name_key(self._bare(m)) in title_keys:
                    counts[m.resolved.geonames_id] += 1
        # Headline mentions count, but ties go to the town the text names more often.
        ranked = sorted(counts, key=lambda g: (counts[g], in_text[g]), reverse=True)
        top_id = ranked[0]
        n = counts[top_id]
        if len(ranked) == 1 or (n >= 2 and (n, in_text[top_id]) > (counts[ranked[1]], in_text[ranked[1]])):
            return next(m for m in towns if m.resolved.geonames_id == top_id)
        return None

    def _bare(self, m: Mention) -> str:
        """A mention's name without the direction or kind word read around it."""
        return m.place.text if m.direction is None and m.kind_hint is None else m.resolved.name

    def _article_place(self, mentions: list[Mention], focus: Optional[str]) -> Optional[Place]:
        """Where the article is when no town stands out: its only place, else the focus country."""
        located = [m for m in mentions if _locatable(m) and (focus is None or m.resolved.country == focus)]
        specific = [m for m in located if m.resolved.kind != KIND_COUNTRY]
        if len({m.resolved.geonames_id for m in specific}) == 1:
            return specific[0].place
        if focus is not None:
            country = self.gazetteer.country(focus)
            if country is not None:
                return Place(name=country.name, geonames_id=country.geonames_id, feature_code="PCLI",
                             country=focus, precision="country")
        return None

    def _refine_to_town(self, events: list[Event], mentions: list[Mention], anchor: Optional[Mention]) -> None:
        """'shot in Michigan' in an article datelined or centred on Kalamazoo, or naming only one town in
        Michigan: the town inside the division."""
        towns = [m for m in mentions if _locatable(m) and m.resolved.kind == KIND_PLACE]
        for ev in events:
            loc = ev.location
            if loc is None or loc.geonames_id is None or loc.precision not in ("admin1", "admin2", "region"):
                continue
            outer = self.gazetteer.get(loc.geonames_id)
            if outer is None:
                continue
            if anchor is not None and _contains(outer, anchor.resolved):
                ev.location = replace(anchor.place)
                continue
            inside = {m.resolved.geonames_id: m for m in towns if _contains(outer, m.resolved)}
            if len(inside) == 1:
                ev.location = replace(next(iter(inside.values())).place)


def _title_keys(title: str) -> set[str]:
    words = re.findall(r"[A-Z][\w'’.-]*", title)
    keys = set()
    for n in (1, 2, 3):
        for i in range(len(words) - n + 1):
            keys.add(name_key(" ".join(words[i:i + n])))
    return keys


def _sent_index(starts: list[int], tok_i: int) -> int:
    return bisect.bisect_right(starts, tok_i) - 1


def _mark_dateline(mentions: list[Mention], text: str) -> None:
    """'KABUL, Afghanistan (AP) —' or 'ANTIOCH —': the first mention, at the start of the text, before a dash."""
    lead = len(text) - len(text.lstrip())
    if mentions and mentions[0].char_start == lead and _DATELINE_TAIL.match(text[mentions[0].char_end:]):
        mentions[0].dateline = True
        dash = _DATELINE_DASH.search(text, mentions[0].char_end, mentions[0].char_end + 60)
        for m in mentions:
            if dash is not None and m.char_start < dash.start():
                m.in_dateline = True


def _refine_coarse(events: list[Event], ctx: DocContext, by_sent: dict) -> None:
    """'an airstrike in southern Afghanistan' ... 'The U.S. strike was carried out after ... in Helmand': a later
    definite mention of the same happening (same head noun, or its last part) that names a finer place inside
    the coarse one gives the event that place."""
    doc = ctx.doc
    for ev in events:
        loc = ev.location
        if loc is None or loc.precision not in ("region", "country") or loc.country is None \
                or not (0 <= ev.trigger_index < len(doc)):
            continue
        trig = doc[ev.trigger_index].lemma_.lower()
        if len(trig) < 4:
            continue
        # A later mention of the same happening comes within a few paragraphs (and a bound keeps long texts linear).
        for k in range(ev.sent_index + 1, min(len(ctx.sents), ev.sent_index + 1 + LATER_MENTION_SENTENCES)):
            anaphor = next((t for t in ctx.sents[k] if t.pos_ == "NOUN" and len(t.lemma_) >= 4
                            and (t.lemma_.lower() == trig or trig.endswith(t.lemma_.lower()))
                            and any(c.dep_ in ("det", "poss", "compound", "nmod") and
                                    (c.lower_ in ("the", "this", "that") or c.dep_ != "det") for c in t.children)),
                           None)
            if anaphor is None:
                continue
            finer = [m for m in by_sent.get(k, []) if _locatable(m) and m.resolved.country == loc.country
                     and PRECISION_ORDER[m.place.precision] < PRECISION_ORDER["region"]]
            if finer:
                best = min(finer, key=lambda m: _tree_distance(anaphor, doc[m.start:m.end].root))
                ev.location = replace(best.place)
            break

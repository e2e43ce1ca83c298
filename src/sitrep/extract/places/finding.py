"""Finding place mentions: capitalised runs looked up in the country lexicon and the gazetteer, with the
guards that keep common words, people, streets and shouted text out, and what the words around a name say."""
from __future__ import annotations

import logging
from typing import Optional

from ...nlp import entities
from ...resolve.countries import CountryLexicon, may_start_name
from ...resolve.gazetteer import KIND_ADMIN1, KIND_ADMIN2, KIND_PLACE, Gazetteer, Hit, loose_key, name_key
from .hierarchy import link_containers
from .lexicon import (CONNECTORS, DATELINE_DASH, HEADLINE_LEAD, MAX_NAME_TOKENS, PlaceLexicon,
                      STATE_ABBREV, dateline_tail, kind_fits)
from .mention import Mention

LOGGER = logging.getLogger(__name__)

# Words that link the parts of one Romance or Arabic name ("Portal del Roble", "Villas de San Juan"); unlike "on"
# or "and", they do not stand between a place and the next capitalised word of a sentence ("in Kilinochchi on
# Saturday").
NAME_LINKS = frozenset({"de", "del", "della", "di", "do", "dos", "da", "das", "du", "des", "la", "las", "los", "le"})


# ----------------------------------------------------------------------------------------------- finding


def _is_cap(tok) -> bool:
    return _is_cap_text(tok.text)


def _is_cap_text(t: str) -> bool:
    return bool(t) and (t[0].isupper() or (t[0] in "'’" and len(t) > 1 and t[1].isupper()))


def find_mentions(doc, gaz: Gazetteer, countries: CountryLexicon, lex: PlaceLexicon,
                  text: Optional[str] = None) -> list[Mention]:
    """Every place name in `doc`, longest match first, in text order."""
    text = text if text is not None else doc.text
    named = named_countries(doc, countries)
    mentions: list[Mention] = []
    n = len(doc)
    i = 0
    while i < n:
        tok = doc[i]
        article = _article_start(doc, i, lex, tok)
        if not (_is_cap(tok) or article) or tok.is_punct or (
                tok.ent_type_ == "PERSON" and not _town_as_person(doc, i, lex)
                and not _city_as_person(doc, i, gaz, lex)):
            i += 1
            continue
        if tok.ent_type_ == "PERSON" and tok.ent_iob_ == "I" and _is_cap(doc[i - 1]) and doc[i - 1].is_alpha:
            # "in North Waziristan's Mir Ali area": the name did not resolve from its start; its last word
            # ("Ali", a village in India) is not it. Left whole to the kind word after it (_add_unknown_entities).
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
            if article and end - i < 3:
                continue            # "al-" alone is no name
            # "Al-Raqqah", "Sainte-Soline": the name goes on after a hyphen, so "Al" (a village in Norway) or
            # "Sainte" is not it; a town's own name joined to another stays one ("the Morelia-Airport road")
            continued = end < n and doc[end].text == "-" and not last.whitespace_ and end + 1 < n \
                and doc[end + 1].is_alpha
            if continued and (last.idx + len(last.text) - tok.idx <= 3 or doc[i].lower_ in lex.arabic_articles
                              or doc[end + 1].text[0].islower()):     # "Qala-e-Sabzak", "Dasht-e-Barchi"
                continue
            if any(doc[k].text in ",;:" for k in range(i, end)):
                continue
            # "Mo. - One": a spaced dash separates; names hyphenate without spaces ("Port-au-Prince")
            if any(doc[k].text in ("-", "–", "—") and doc[k - 1].whitespace_ for k in range(i + 1, end)):
                continue
            surface = text[tok.idx: last.idx + len(last.text)]
            found = _match(surface, doc, i, end, gaz, countries, lex, text, named)
            if found is not None and continued and found.country_name is None \
                    and not any(h.primary for h in found.hits):
                found = None
            if found is not None and found.country_name and _inside_longer_name(doc, i):
                found = None        # "in Puerto Jordan": the end of a place's name, not the country
            if found is not None:
                break
        if found is None:
            i += 1
            continue
        mentions.append(found)
        i = found.end
    _add_unknown_entities(doc, mentions, lex, text)
    mentions.sort(key=lambda m: m.start)
    for m in mentions:
        _annotate(m, doc, lex, text)
    link_containers(mentions, text, lex)
    # "Antioch, Calif.": the abbreviation is the hint just read, not a place of its own.
    return [m for m in mentions if not (m.text in lex.state_abbrevs or m.text in lex.state_postal)
            or not any(o.state_hint and o.char_end < m.char_start <= o.char_end + 3 for o in mentions)]


def _inside_longer_name(doc, i: int) -> bool:
    """Does token i go on a place or location entity that starts with a capitalised word before it ("Puerto
    Jordan", "Nueva Italia")? A country's name there is part of another name."""
    return doc[i].ent_iob_ == "I" and doc[i].ent_type_ in ("GPE", "LOC", "FAC") and i > 0 \
        and _is_cap(doc[i - 1]) and doc[i - 1].is_alpha


def named_countries(doc, countries: CountryLexicon) -> frozenset[str]:
    """The countries a text names or qualifies with a demonym ("Myanmar", "Burmese"), as ISO3 codes."""
    found: set[str] = set()
    n = len(doc)
    for i in range(n):
        if not _is_cap(doc[i]) or not may_start_name(doc[i].text, countries.starts):
            continue
        for k in range(min(n, i + countries.max_words), i, -1):
            surface = doc[i:k].text
            iso3 = countries.names.get(surface) or countries.demonyms.get(surface)
            if iso3:
                found.add(iso3)
                break
    return frozenset(found)


def _match(surface: str, doc, i: int, end: int, gaz: Gazetteer, countries: CountryLexicon,
           lex: PlaceLexicon, text: str, named: frozenset = frozenset()) -> Optional[Mention]:
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
    if not hits and doc[i].lower_ in lex.arabic_articles and end - i >= 3 and doc[i + 1].text in ("-", "’", "'"):
        # "Al-Raqqah" where the index writes "Ar Raqqah" or "Raqqa": the name without its article
        hits = [h for h in gaz.lookup(name_key(doc[i + 2:end].text)) if h.entry.kind != "country"]
    last = doc[end - 1].lower_
    if end - i >= 2 and last in lex.kind_words:
        # "York City", "Kalamazoo County": the name alone is a candidate too, of the kind the word says.
        bare = name_key(doc[i:end - 1].text)
        seen = {h.entry.geonames_id for h in hits}
        fitting = [h for h in gaz.lookup(bare) if h.entry.geonames_id not in seen
                   and kind_fits(lex.kind_words[last], h.entry.kind)]
        if not fitting and lex.kind_words[last] != KIND_PLACE and len(bare) >= 6:
            # "al-Hasaka Province": the name is the town's alias, the governorate is "Al Hasakah"; a division's
            # name may differ in a doubled letter or a final "h" (the loose key)
            fitting = [h for h in gaz.lookup(loose_key(bare)) if h.entry.geonames_id not in seen
                       and kind_fits(lex.kind_words[last], h.entry.kind)]
        hits += fitting
    if iso3 is None and not hits:
        return None
    if iso3 is None and not _plausible(doc, i, end, key, ner, lex, hits, text, named):
        return None
    return Mention(i, end, char_start, char_end, surface, hits, country_name=iso3, ner=ner, key=key)


def _object_of_place_word(doc, i: int, end: int, lex: PlaceLexicon) -> bool:
    """'Taliban seize Lalibela', 'an attack on Gwoza': the object of a verb or noun whose object is a place."""
    root = doc[i:end].root
    head = root.head
    if i > 0 and _is_cap(doc[i - 1]) and doc[i - 1].head.i == root.i:
        return False        # "raids on Kafr Zeita": only the whole name is the object
    if root.dep_ == "dobj" and head.pos_ == "VERB" and (
            head.lemma_.lower() in lex.place_object_verbs
            or (head.lemma_.lower() in lex.attack_verbs and doc[i].ent_type_ != "PERSON")):
        return True
    if root.dep_ == "pobj" and head.lower_ in ("on", "of") and head.head.pos_ == "NOUN" \
            and head.head.lemma_.lower() in lex.place_object_nouns:
        return True
    return _after_attack_preposition(doc, i, lex)


def _after_attack_preposition(doc, i: int, lex: PlaceLexicon) -> bool:
    """'intensify their shelling on Manbij', 'attack on Gwoza - army': the name follows "on/against" and an attack
    word stands just before it, whatever the parse makes of the words (it often hangs the preposition on the verb,
    or runs the name into a compound with what follows)."""
    k = i - 1
    if k >= 0 and doc[k].lower_ == "the":
        k -= 1
    if k < 1 or doc[k].lower_ not in lex.place_object_prepositions:
        return False
    for j in range(k - 1, max(-1, k - 1 - lex.place_object_window), -1):
        t = doc[j]
        lemma = t.lemma_.lower()
        if t.lower_ in lex.place_object_nouns or lemma in lex.place_object_nouns or lemma in lex.place_object_verbs \
                or lemma in lex.attack_verbs:
            return True
        if t.is_sent_start:
            break           # the window stays in the name's sentence
    return False


def _part_of(doc, i: int, lex: PlaceLexicon) -> bool:
    """'the outskirts of Khiam', 'a neighborhood of Acambaro': the name after "of" and a word for a part of it."""
    return i >= 2 and doc[i - 1].lower_ == "of" and doc[i - 2].lower_ in lex.part_of_words


def _article_start(doc, i: int, lex: PlaceLexicon, tok=None) -> bool:
    """'al-Bab': a lower-case Arabic article, a hyphen, a capitalised name."""
    return ((tok if tok is not None else doc[i]).lower_ in lex.arabic_articles and i + 2 < len(doc) and doc[i + 1].text == "-"
            and not doc[i].whitespace_ and _is_cap(doc[i + 2]))


def _well_known(hits, lex: PlaceLexicon) -> bool:
    return any(h.primary and h.entry.kind == KIND_PLACE and h.entry.population >= lex.well_known_population
               for h in hits)


def _sole_division(hits, key: str) -> bool:
    """A first-level division's own name that no other country's places are called ("Sagaing", "Tanintharyi",
    "Rakhine"): named in a headline as a modifier ("Junta Raids Sagaing Villages"), it is where things happen."""
    countries = {h.entry.country for h in hits if h.primary}
    return len(key) >= 5 and len(countries) == 1 and any(h.primary and h.entry.kind == KIND_ADMIN1 for h in hits)


def _city_as_person(doc, i: int, gaz: Gazetteer, lex: PlaceLexicon) -> bool:
    """NER reads "Ciudad Juárez" as a person: a PERSON entity that is, whole, the own name of a city of 100,000
    or more (and of several words, or a city of a million) is the city."""
    if doc[i].ent_iob_ != "B":
        return False
    end = i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    hits: list[Hit] = list(gaz.lookup(name_key(doc[i:end].text)))
    # "Avdiivka, Donetsk oblast": a town followed by the division it is in
    if end + 1 < len(doc) and doc[end].text == "," and _is_cap(doc[end + 1]) and any(
            h.entry.kind == KIND_PLACE for h in hits) and any(
            h.entry.kind in (KIND_ADMIN1, KIND_ADMIN2) for h in gaz.lookup(name_key(doc[end + 1].text))):
        return True
    if end - i >= 2:
        return any(h.primary and h.entry.kind == KIND_PLACE and h.entry.population >= 100_000 for h in hits)
    return _well_known(hits, lex)


def _title_case(sent) -> bool:
    """A Title Case Headline: most of its words are capitalised, so a capital says nothing about a name."""
    doc = sent.doc
    cache = doc.user_data.setdefault("sitrep.places.title_case", {})
    if sent.start not in cache:
        cache[sent.start] = _title_case_of(sent)
    return cache[sent.start]


def _title_case_of(sent) -> bool:
    words = [t for t in sent if t.is_alpha]
    if len(words) < 4:
        return False
    return sum(1 for t in words if t.text[0].isupper()) >= 0.75 * len(words)


def _town_as_person(doc, i: int, lex: PlaceLexicon) -> bool:
    """NER reads some towns as people ("A Greeley man", "Sioux Falls police"): a PERSON entity that modifies a
    resident noun or follows "in" may still be a place; the gazetteer and the stoplist decide."""
    prev = doc[i - 1] if i > 0 else None
    # "(Jowhar, Middle Shabelle)", "X village (Bassa, Plateau)": a name in a written hierarchy (NER may run one
    # entity across the bracket: "Tando Adam (Sanghar")
    j = i + 1
    while j < len(doc) and _is_cap(doc[j]):
        j += 1
    listed = prev is not None and prev.text in ("(", ",") and j < len(doc) and doc[j].text in (",", ")", ":")
    # "in Helmand's Nad Ali district" (NER may run the person on past the kind word), "Myanmar's Chin state",
    # "Shan State": a kind word after the name, or a capitalised one ending it where the entity starts here (the
    # whole name, from the start of the entity: "Maidan Wardak province" is not "Wardak"), says what the name is
    kind_after = j < len(doc) and doc[j].lower_ in lex.kind_words
    kind_inside = doc[i].ent_iob_ == "B" and any(t.lower_ in lex.kind_words for t in doc[i + 1:j])
    if listed or kind_after or kind_inside:
        return True
    if all(t.is_space for t in doc[:i]):
        # "Ensenada: gunman killed", "Guaymas Sonora: ...": a headline's lead label or a dateline names a place
        end_char = doc[j - 1].idx + len(doc[j - 1].text)
        tail = doc.text[end_char:end_char + 60]
        if HEADLINE_LEAD.match(tail) or dateline_tail(tail):
            return True
    if doc[i].ent_iob_ != "B":
        return False
    end = i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    nxt = doc[end] if end < len(doc) else None
    return (nxt is not None and nxt.lower_ in lex.resident_nouns) or _modifies_site(doc, i, end, lex) \
        or _object_of_place_word(doc, i, end, lex) or _apposition(doc, end, lex) or (
        prev is not None and (prev.lower_ in lex.prepositions or prev.lower_ in ("through", "into", "across")))


def _modifies_site(doc, i: int, end: int, lex: PlaceLexicon) -> bool:
    """"the Jalalabad fruit market", "the Kandahar airport": a name qualifying a (lower-case) site noun."""
    root = doc[i:end].root
    head = root.head
    return root.dep_ == "compound" and head.i >= end and not _is_cap(head) and head.lower_ in lex.facility_words


def _at_dateline(doc, i: int, text: str) -> bool:
    lead = len(text) - len(text.lstrip())
    return doc[i].idx == lead


def _plausible(doc, i: int, end: int, key: str, ner: Optional[str], lex: PlaceLexicon, hits, text: str,
               named: frozenset = frozenset()) -> bool:
    """Should a gazetteer-only match count as a place? Guards against common words, names, streets and
    shouted text. `named`: the countries the text names."""
    place_ner = ner in ("GPE", "LOC", "FAC")
    # "Myanmar junta raids Sagaing resistance base": the own name of a first-level division of a country the text
    # names is a place however the model tags it (a verb, a person) and whatever it qualifies
    division_of_named = any(h.primary and h.entry.kind == KIND_ADMIN1 and h.entry.country in named for h in hits)
    k = i - 1
    while k >= 0 and (doc[k].lower_ in lex.directions or doc[k].lower_ in ("the", "a", "an")):
        k -= 1
    prev = doc[k].lower_ if k >= 0 else ""
    nxt = doc[end] if end < len(doc) else None
    tail = text[doc[end - 1].idx + len(doc[end - 1]):doc[end - 1].idx + len(doc[end - 1]) + 60]
    dateline = _at_dateline(doc, i, text) and bool(dateline_tail(tail) or HEADLINE_LEAD.match(tail))
    # "Daraa province", "the Homs countryside"; "the countryside of Homs", "the province of Idlib": a kind word
    # next to the name says what it is
    kind_after = nxt is not None and nxt.lower_ in lex.kind_words
    kind_of = prev == "of" and k >= 1 and doc[k - 1].lower_ in lex.kind_words
    part_of = _part_of(doc, i, lex)
    cued = prev in lex.prepositions or place_ner or dateline or kind_of or part_of \
        or _object_of_place_word(doc, i, end, lex)
    well_known = _well_known(hits, lex) or _sole_division(hits, key)
    if prev == "of" and k >= 1 and doc[k - 1].lower_ in lex.street_lead_words:
        return False    # "the 2200 block of Polk": a street
    if nxt is not None and _is_cap(nxt) and not dateline:
        low = nxt.lower_
        # "Walmer Street", "Alger Heights", "Tiana Carruthers": the name goes on, and it is not this place.
        # (In a Title Case Headline every word is capitalised: "Taliban Killed in Ghor Strike".)
        if low in lex.facility_words or (low not in lex.agency_words and low not in lex.kind_words
                                         and nxt.pos_ == "PROPN" and not nxt.is_upper
                                         and not well_known and not _title_case(doc[i].sent)):
            return False
    surface = doc[i:end].text
    if surface.isupper() and len(key) > 2 and not dateline and not place_ner and not kind_of:
        # Shouted text ("A WOMAN WAS KILLED IN HER HOME") is not a list of places.
        if not (end < len(doc) and STATE_ABBREV.match(tail[:16])):
            return False
    if nxt is not None and nxt.lower_ in lex.subplace_words:
        return False
    if key in lex.stoplist:
        return key in lex.cue_rescues and cued
    after = tail[:20]
    # What says a bare capitalised word is a place: NER, "in/near/of X", a dateline, "X police", "X County",
    # "X, Calif." or "X, Texas".
    # "Celaya, Guanajuato", "X village (Wanlaweyn, Lower Shabelle)": a division written after a place
    hierarchy = prev in (",", "(") and any(h.entry.kind in (KIND_ADMIN1, KIND_ADMIN2) for h in hits)
    # "Myanmar's Loikaw", "in Afghanistan's Nangarhar": a name owned by the place before it
    owned = prev in ("'s", "’s") and k >= 1 and _is_cap(doc[k - 1])
    supported = cued or well_known or hierarchy or owned or division_of_named or _apposition(doc, end, lex) or prev in ("of", "from", "into", "to", "toward", "towards", "through") \
        or _modifies_site(doc, i, end, lex) or bool(STATE_ABBREV.match(after)) or (
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
        # (The small model tags names it does not know as nouns: "in Cortazar" is cue enough mid-sentence.)
        if tok.pos_ not in ("PROPN",) and not place_ner and not tok.is_upper and not well_known and not dateline \
                and not hierarchy and not kind_after and not kind_of and not part_of and not division_of_named \
                and not (prev in lex.prepositions and not tok.is_sent_start) and not (
                nxt is not None and (nxt.lower_ in lex.resident_nouns or nxt.lower_ in lex.agency_words)):
            return False
        # A capitalised word opening a sentence is only a place if something else says so.
        if tok.is_sent_start and not place_ner and not tok.is_upper and ner is None and not well_known \
                and not dateline and not kind_after and not division_of_named and not (
                nxt is not None and (nxt.lower_ in lex.resident_nouns or nxt.lower_ in lex.agency_words)):
            return False
    return True


def _demonym_place(doc, end: int, lex: PlaceLexicon) -> bool:
    """Is the demonym before `end` a place's: a lower-case kind word follows, after at most one lower-case word
    ("Syrian region", "Afghan border village"), and no "of" after it ("the Syrian city of Aleppo" is Aleppo's)?"""
    for k in (end, end + 1):
        if k >= len(doc) or not doc[k].is_lower:
            return False
        if doc[k].lower_ in lex.kind_words:
            return not (k + 1 < len(doc) and doc[k + 1].lower_ == "of")
    return False


def _apposition(doc, end: int, lex: PlaceLexicon) -> bool:
    """"Jermuk, a spa town in southern Armenia": the name is followed by an apposition that says what it is."""
    return end + 2 < len(doc) and doc[end].text == "," and doc[end + 1].lower_ in ("a", "an", "the") \
        and any(t.lower_ in lex.kind_words for t in doc[end + 2:end + 5])


def _add_unknown_entities(doc, mentions: list[Mention], lex: PlaceLexicon, text: str) -> None:
    """GPE/LOC entities no lexicon knows, and names the text calls a village, town or district ("Shaduzut
    village") or follows with a bracketed hierarchy ("Boulkessi (Mondoro, Mopti)"): kept as mentions without
    candidates. They resolve only through the hierarchy written after them
    ("X village (Jowhar, Middle Shabelle)"), to that unit's place and precision; otherwise null, never a guess."""
    taken = set()
    for m in mentions:
        taken.update(range(m.start, m.end))
    for ent in entities(doc):
        if ent.label_ in ("GPE", "LOC") and not taken.intersection(range(ent.start, ent.end)):
            end = ent.end
            if end - ent.start >= 2 and doc[end - 1].lower_ in lex.kind_words:
                end -= 1        # "Kwaga village", "Kani Township": the name; the kind word after it is read as such
                # (_annotate)
            span = doc[ent.start:end]
            mentions.append(Mention(ent.start, end, span.start_char, span.end_char, span.text, [], ner=ent.label_))
            taken.update(range(ent.start, ent.end))
    # Only the tokens at a kind word or a bracket matter: find them in the text (a spaCy Token is costly to make,
    # and these words are rare).
    n = len(doc)
    for hit in lex.kind_or_bracket.finditer(text):
        span = doc.char_span(hit.start(), hit.end())
        if span is None:
            continue
        k = span.start
        bracket = hit.group(0) == "("
        # "Ceel Baraf village (Mahaday, Middle Shabelle)": a bracket after a kind word that follows a name
        after_kind = bracket and k >= 2 and doc[k - 1].lower_ in lex.kind_words and _is_cap(doc[k - 2])
        if k == 0 or k in taken or not (_is_cap(doc[k - 1]) or after_kind) \
                or (bracket and not (k + 1 < n and _is_cap(doc[k + 1]))):
            continue
        # "Shaduzut village", and "Boulkessi (Mondoro, Mopti)": a bracket opening a hierarchy after a name
        start = k
        while start > 0 and k - start < 6 and start - 1 not in taken and not doc[start - 1].is_sent_start and (
                (_is_cap(doc[start - 1]) and not doc[start - 1].is_punct)
                # "Dasht-e-Barchi", "Maarat al-Numan": hyphenated parts and name connectors inside the name
                or (start - 1 > 0 and (not doc[start - 1].whitespace_ or doc[start - 1].lower_ in CONNECTORS)
                    and doc[start - 1].text not in (",", "(", ")", ";", ":") and not doc[start - 1].is_sent_start)):
            start -= 1
        while start < k and not _is_cap(doc[start]):
            start += 1          # a name starts with a capital
        if start < k:
            span = doc[start:k]
            mentions.append(Mention(start, k, span.start_char, span.end_char, span.text, [], bracketed=bracket))
            taken.update(range(start, k))
        if not bracket:
            continue
        # the members of a bracketed hierarchy the index lacks: "(Paletwa, Chin)", so the chain is not broken
        j = k + 1
        while j < n and doc[j].text not in (")", "\n") and j - k < 12:
            start = j
            while j < n and _is_cap(doc[j]) and not doc[j].is_punct:
                j += 1
            if start < j and j < n and doc[j].text in (",", ")") and not taken.intersection(range(start, j)):
                span = doc[start:j]
                mentions.append(Mention(start, j, span.start_char, span.end_char, span.text, [], bracketed=True))
                taken.update(range(start, j))
            if j < n and doc[j].text == ",":
                j += 1
            elif start == j:
                break


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
    elif m.role != "demonym" and m.country_name is None and _object_of_place_word(doc, m.start, m.end, lex):
        m.cue = "point"
    elif m.role != "demonym" and m.direction is None and _part_of(doc, m.start, lex):
        m.cue = "area"
    if m.end < len(doc):
        nxt = doc[m.end]
        kind = lex.kind_words.get(nxt.lower_) or lex.kind_words.get(nxt.lemma_.lower())
        if kind and m.role != "demonym":
            m.kind_hint = kind
            m.char_end = nxt.idx + len(nxt.text)
        elif m.role == "demonym" and m.cue is not None and _demonym_place(doc, m.end, lex):
            # "in a Syrian region", "near an Afghan border village": a place in that country, not a party
            m.role = "place"
    # "the city of X", "the province of X", "the eastern countryside of X"
    lead = m.start - 3
    if lead >= 1 and doc[lead].lower_ in lex.directions:
        lead -= 1
    if m.kind_hint is None and lead >= 0 and doc[m.start - 1].lower_ == "of" \
            and doc[lead].lower_ in ("the", "a") and doc[m.start - 2].lower_ in lex.kind_words:
        m.kind_hint = lex.kind_words[doc[m.start - 2].lower_]
    m.name_text = m.name_text or m.text
    words = m.name_text.split()
    m.bare_text = " ".join(words[:-1]) if len(words) >= 2 and words[-1].lower() in lex.kind_words else m.name_text
    # "on the Casas Grandes highway", "the market of Olinala": a road or site named after the town is at the town
    nxt = doc[m.end] if m.end < len(doc) else None
    m.site = (nxt is not None and nxt.is_lower and nxt.lower_ in lex.facility_words) or (
        m.start >= 2 and doc[m.start - 1].lower_ == "of" and doc[m.start - 2].lower_ in lex.facility_words)
    if m.cue is None and m.role != "demonym" and m.country_name is None and _apposition(doc, m.end, lex):
        m.cue = "point"         # "hit Jermuk, a spa town in ...": what the name is, said right after it
    # "Yarmouk Basin", "the Portal del Roble": the capitalised name goes on beyond the match (a Title Case
    # headline capitalises every word, so there it says nothing)
    if m.role != "demonym":
        before = doc[m.start - 1] if m.start > 0 and m.direction is None else None
        after = doc[m.end:m.end + 2]
        goes_on = (before is not None and before.is_alpha and _is_cap(before) and not before.is_sent_start
                   and before.lower_ not in lex.directions) or (
            len(after) == 2 and after[0].lower_ in NAME_LINKS and _is_cap(after[1]))
        # (the sentence is looked up only when it matters: Token.sent is costly)
        m.embedded = goes_on and not _title_case(doc[m.start].sent)
    m.facility = any(t.lower_ in lex.facility_words for t in doc[m.start:m.end])
    m.text = text[m.char_start:m.char_end]
    if m.role == "demonym":
        return
    root = doc[m.start:m.end].root
    head = root.head
    # ("the Elenes Cartel in Culiacán" is one ORG entity to the model; "in" says Culiacán is where.)
    if m.ner in ("ORG", "NORP", "FAC", "WORK_OF_ART", "EVENT", "PRODUCT") and m.country_name is None \
            and m.cue is None:
        m.role = "modifier"
    elif root.dep_ in ("compound", "amod", "nmod", "poss") and head.i >= m.end and head.pos_ in ("NOUN", "PROPN") \
            and head.lower_ not in lex.kind_words:
        m.role = "modifier"
    elif root.dep_ in ("nsubj", "nsubjpass", "dobj", "dative") and m.cue is None:
        m.role = "actor"        # "Kabul said", "accused Rwanda of": a party, not where things happen


def mark_dateline(mentions: list[Mention], text: str) -> None:
    """'KABUL, Afghanistan (AP) —', 'ANTIOCH —' or 'Tijuana:': the first mention, at the start of the text, before
    a dash or a headline's colon."""
    lead = len(text) - len(text.lstrip())
    if not mentions or mentions[0].char_start != lead:
        return
    tail = text[mentions[0].char_end:]
    headline = HEADLINE_LEAD.match(tail)
    if mentions[0].role == "demonym":
        return          # "Israeli air strike kills 12 in Rafah - ...": a demonym opens a sentence, not a dateline
    if headline or dateline_tail(tail):
        # "Celaya, Guanajuato: man murdered" reads as a dateline too: the place the headline is about
        mentions[0].dateline = True
        if headline:
            end = mentions[0].char_end + headline.end()
        else:
            dash = DATELINE_DASH.search(text, mentions[0].char_end, mentions[0].char_end + 60)
            end = dash.start() if dash is not None else -1
        for m in mentions:
            if m.char_start < end:
                m.in_dateline = True

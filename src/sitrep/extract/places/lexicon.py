"""The place lexicon (data/places.yaml) and the patterns read around place names."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

from ...data import load_yaml
from ...errors import LexiconError
from ...resolve.gazetteer import KIND_ADMIN1, KIND_ADMIN2, name_key

LOGGER = logging.getLogger(__name__)


MAX_NAME_TOKENS = 6
LATER_MENTION_SENTENCES = 12    # how far after an event a definite mention of it ("the strike") is looked for
# Lower-case words that may sit inside a multi-word place name ("Bosnia and Herzegovina", "Port-au-Prince").
CONNECTORS = frozenset({"-", "and", "of", "de", "du", "la", "le", "les", "al", "el", "au", "aux", "es", "da", "do",
                        "dos", "das", "del", "di", "sur", "upon", "on", "am", "an", "der", "den", "bin", "y", "e",
                        "'", "’", "the", "i", "st."})
# Separators between a place and the division or country that contains it.
CONTAINER_GAP = re.compile(
    r"^(?:\s+(?:district|province|county|state|region|governorate|city|town|village|area|municipality))?"
    r"(?:\s*,\s*(?:(?:in|of)\s+)?|\s+(?:of|in)\s+|\s*\(\s*)(?:the\s+)?(?:(?:northern|southern|eastern|western|central|north|south|east|west)"
    r"\s+)?$", re.IGNORECASE)
STATE_ABBREV = re.compile(r"^\s*,\s*((?:[A-Z][A-Za-z]{0,4}\.\s?){1,2}|[A-Z]{2}\b)")
DATELINE_DASH = re.compile(r"—|–|--|-\s|\?\?\?|\)")
DATELINE_TAIL = re.compile(r"^[^\n]{0,40}?(?:\(|—|–|--|-\s|\?\?\?)")
_BRACKETED = re.compile(r"\([^)]*\)?")
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z]{3,}\b")


def dateline_tail(tail: str) -> bool:
    """Does the text after a name at the start read as a dateline's rest, up to its dash or bracket ("KABUL,
    Afghanistan (AP) —", ", May 3 (Reuters) -")? Not a clause ("air strike kills 12 in Rafah - Gaza health
    ministry": a headline with its source after the dash): at most one lower-case word outside brackets."""
    hit = DATELINE_TAIL.match(tail)
    return hit is not None and len(_LOWER_WORD.findall(_BRACKETED.sub(" ", hit.group(0)))) < 2
# A headline led by its place: "Tijuana: five killed", "Celaya, Guanajuato: man murdered", "Guaymas Sonora: ..."
# (the name, at most one "[,] Division", then a colon).
HEADLINE_LEAD = re.compile(r"^(?:\s*,?\s*[A-Z][^\W\d_]*(?:[ -][A-Z][^\W\d_]*){0,3}\.?)?\s*:\s")
# Up to three capitalised words of a headline: a place name and what may follow it ("Lancaster County Fair").
CAPITALISED = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2}"
# A town in a headline: after "in/near/outside", or before a resident or agency word ("Shrewsbury woman",
# "Antioch Police").
HEADLINE_TOWN = re.compile(
    rf"\b(?:[Ii]n|[Nn]ear|[Oo]utside|[Aa]t)\s+(?P<pre>{CAPITALISED})"
    rf"|\b(?P<post>{CAPITALISED})\s+(?:man|woman|men|women|boy|girl|teen|teenager|"
    r"resident|residents|police|officer|officers|family|couple|home|house|student|mother|father)\b")
# Where a headline puts its event: "US drone strike in southern Afghanistan".
TITLE_WHERE = re.compile(r"\b(?:in|near|across|outside|inside)\s+(?:the\s+)?(?:(?:[Nn]orth|[Ss]outh|[Ee]ast|[Ww]est|"
                          rf"[Cc]entral)(?:ern)?\s+)?({CAPITALISED})")
PRECISION_ORDER = {"point": 0, "area": 1, "admin2": 2, "admin1": 3, "region": 4, "country": 5, "water": 6,
                   "unknown": 7}


KIND_DIVISION = "division"     # a kind word that names either level of division (kind_words in places.yaml)


def kind_fits(hint: str, kind: str) -> bool:
    """Does a kind word fit an entry? "division" words ("territory", "department", "prefecture") name a first-level
    unit in some countries and a second-level one in others (DR Congo's territories, France's departments)."""
    return kind == hint or (hint == KIND_DIVISION and kind in (KIND_ADMIN1, KIND_ADMIN2))


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
    kind_or_bracket: re.Pattern     # a lower-case kind word or an opening bracket before a name, found in text
    place_object_verbs: frozenset
    place_object_nouns: frozenset
    arabic_articles: frozenset
    well_known_population: int      # a place this big is a place wherever its name stands ("Mogadishu Explosions")
    attack_verbs: frozenset = frozenset()
    place_object_prepositions: frozenset = frozenset()
    place_object_window: int = 4
    part_of_words: frozenset = frozenset()


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
            kind_or_bracket=re.compile(r"\((?=\s*[A-Z])|\b(?:" + "|".join(
                re.escape(w) for w in sorted(kinds, key=len, reverse=True)) + r")\b"),
            arabic_articles=frozenset(w.lower() for w in data.get("arabic_articles") or ()),
            place_object_verbs=frozenset(w.lower() for w in data.get("place_object_verbs") or ()),
            place_object_nouns=frozenset(w.lower() for w in data.get("place_object_nouns") or ()),
            well_known_population=int(data.get("well_known_population", 1_000_000)),
            attack_verbs=frozenset(w.lower() for w in data.get("attack_verbs") or ()),
            place_object_prepositions=frozenset(w.lower() for w in data.get("place_object_prepositions") or ()),
            place_object_window=int(data.get("place_object_window", 4)),
            part_of_words=frozenset(w.lower() for w in data.get("part_of_words") or ()),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise LexiconError(f"places.yaml is malformed: {exc!r}") from exc

"""Actor coding: canonical name, ISO3 country, PLOVER sector and Wikidata id of each event's actor and recipient.

The words of a participant's phrase are read against three dictionaries we keep as data: named organisations
(data/actors.yaml), countries with their names, demonyms and metonyms (data/countries.yaml), and generic agents
and titles (data/agents.yaml). People are coded first through what the article says about them: a title or
affiliation in the phrase or in an apposition ("Col. Sonny Leggett, the U.S. military spokesman"), or an earlier
mention of the same person ("Trump" after "President Donald Trump"). What the article leaves unsaid comes from the
dictionary of well-known political people (data/people.yaml, read by resolve.people): "President Mubarak" is EGY.
Only then is a titled person given the country named next to them, or the article's focus country. Unknown actors
keep their text and get null codes. A plain generic agent ("police", "the government") takes the article's focus
country. Names inside attribution phrases ("according to Amnesty International", "Ansa news agency reported") are
sources, never participants found by the fallbacks.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from ..nlp import entities, entity_at
from ..data import load_yaml
from ..errors import LexiconError
from ..model import Event, Participant
from ..extract.context import DocContext
from ..extract.dateline import dateline_end
from .countries import CountryLexicon, load_countries, may_start_name, name_starts
from .people import PeopleLexicon, PersonMatch, load_people, match_person

LOGGER = logging.getLogger(__name__)

MAX_PHRASE_WORDS = 6
# Heads that take their sector from an "of" phrase: "leaders of the opposition", "members of the militia".
NEUTRAL_HEADS = frozenset({"leader", "member", "supporter", "official", "head", "chief", "representative",
                           "delegation", "delegate", "spokesman", "spokeswoman", "spokesperson", "commander",
                           "fighter", "unit", "wing", "faction"})
# Head nouns that refer back to an armed group or party named earlier: "the group said".
GROUP_ANAPHORS = frozenset({"group", "movement", "organization", "organisation", "militia", "insurgents",
                            "militants", "rebels", "faction", "insurgency"})
PRONOUNS = frozenset({"it", "they", "them", "he", "she", "him", "her", "we", "us", "i", "you", "this", "that",
                      "which", "who", "whom", "itself", "themselves", "one", "some", "others", "both"})
# Verbs (by lemma) that attribute a report to a source: "X said", "told Y", "X reported", "quoted by X". Their
# subject, agent or listener is where the news came from, not a party to the event.
SPEECH_LEMMAS = frozenset({"say", "tell", "report", "state", "add", "quote", "cite", "write"})


@dataclass(frozen=True)
class NamedActor:
    name: str
    country: Optional[str]
    sector: Optional[str]
    wikidata: Optional[str]


@dataclass(frozen=True)
class AgentLexicon:
    named: dict                     # alias text -> NamedActor (case-sensitive)
    agents: dict                    # tuple of lower-case lemmas -> sector
    no_focus: frozenset             # tuples of lemmas
    modifiers: dict                 # lower-case word -> sector
    titles: dict                    # tuple of lower-case words -> sector or None
    military_modes: frozenset
    max_words: int
    starts: frozenset = frozenset()  # the first 1-3 characters of every named alias (countries.name_starts)


@dataclass(frozen=True)
class Code:
    """What the words of a phrase say about an actor."""

    name: Optional[str] = None
    country: Optional[str] = None
    sector: Optional[str] = None
    wikidata: Optional[str] = None
    is_country: bool = False        # the phrase is a country (or its metonym) acting as such
    is_person: bool = False
    generic: bool = False           # a generic agent with no country of its own
    org: bool = False               # the phrase names an organisation from actors.yaml


def _words(phrase: str) -> tuple[str, ...]:
    return tuple(phrase.lower().split())


@lru_cache(maxsize=1)
def load_agent_lexicon() -> AgentLexicon:
    actors = load_yaml("actors.yaml")
    agents = load_yaml("agents.yaml")
    try:
        named: dict[str, NamedActor] = {}
        max_words = 1
        for row in actors["actors"]:
            actor = NamedActor(row["name"], row.get("country"), row.get("sector"), row.get("wikidata"))
            for alias in [row["name"], *(row.get("aliases") or [])]:
                named.setdefault(str(alias), actor)
                max_words = max(max_words, len(str(alias).split()))
        agent_map: dict[tuple, str] = {}
        for sector, phrases in agents["agents"].items():
            for p in phrases:
                agent_map.setdefault(_words(str(p)), sector)
        titles = {_words(str(k)): v for k, v in agents["titles"].items()}
        return AgentLexicon(
            named=named, agents=agent_map,
            no_focus=frozenset(_words(str(p)) for p in agents.get("no_focus_country") or []),
            modifiers={str(k).lower(): v for k, v in agents["sector_modifiers"].items()},
            titles=titles, military_modes=frozenset(agents.get("military_modes") or []),
            max_words=max(max_words, max(len(k) for k in agent_map), max(len(k) for k in titles)),
            starts=name_starts(named),
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise LexiconError(f"actors.yaml / agents.yaml is malformed: {exc!r}") from exc


# ------------------------------------------------------------------------------------- reading a phrase


def _lemma(tok) -> str:
    lem = tok.lemma_.lower() if tok.lemma_ else tok.lower_
    return lem if lem and lem != "-pron-" else tok.lower_


def _find_named(tokens, lex: AgentLexicon, countries: CountryLexicon):
    """Longest named organisation, country name, metonym or demonym in the tokens: (kind, value, i, j)."""
    n = len(tokens)
    found = []
    i = 0
    while i < n:
        hit = None
        if not (may_start_name(tokens[i].text, lex.starts) or may_start_name(tokens[i].text, countries.starts)):
            i += 1
            continue
        for j in range(min(n, i + lex.max_words), i, -1):
            first, last = tokens[i], tokens[j - 1]
            text = first.doc[first.i:last.i + 1].text
            if text in lex.named:
                hit = ("actor", lex.named[text], i, j)
            elif text in countries.names:
                hit = ("country", countries.names[text], i, j)
            elif text in countries.metonyms:
                hit = ("metonym", countries.metonyms[text], i, j)
            elif text in countries.demonyms:
                hit = ("demonym", countries.demonyms[text], i, j)
            elif text.endswith(("'s", "’s")) and text[:-2] in countries.names:
                hit = ("country", countries.names[text[:-2]], i, j)
            elif text.endswith(("'s", "’s")) and text[:-2] in lex.named:
                hit = ("actor", lex.named[text[:-2]], i, j)
            if hit:
                break
        if hit and not _not_affiliation(tokens[i]):
            found.append(hit)
        if hit:
            i = hit[3]
        else:
            i += 1
    return found


def _not_affiliation(first) -> bool:
    """"an anti-Syria journalist" is not Syrian, nor is a "non-Syrian" one (an "ethnic" demonym is handled
    where it still gives a sector: code_tokens)."""
    doc = first.doc
    prev = [doc[k].lower_ for k in range(max(0, first.i - 2), first.i)]
    if prev[-1:] == ["-"]:
        prev = prev[:-1]
    return bool(prev) and prev[-1] in ("anti", "non")


def _find_agent(tokens, lex: AgentLexicon) -> tuple[Optional[str], Optional[tuple], int]:
    """The generic agent phrase nearest the end of the tokens (the head): (sector, words, start index)."""
    lemmas = [_lemma(t) for t in tokens]
    lowers = [t.lower_ for t in tokens]
    best = (None, None, -1)
    for i in range(len(tokens)):
        for j in range(min(len(tokens), i + lex.max_words), i, -1):
            for seq in (tuple(lemmas[i:j]), tuple(lowers[i:j])):
                if seq in lex.agents:
                    # Prefer the phrase that ends last (the head), then the longer one.
                    if best[1] is None or j > best[2] + len(best[1]) or (
                            j == best[2] + len(best[1]) and j - i > len(best[1])):
                        best = (lex.agents[seq], seq, i)
                    break
    return best


def _titles(tokens, lex: AgentLexicon) -> list[tuple[tuple, Optional[str]]]:
    """Title words among the tokens, in order, with their sectors: [(("prime", "minister"), "GOV"), ...]."""
    # "Secretary-General" is one title, not "General".
    lowers = [t.lower_ for t in tokens if t.text not in ("-", "–")]
    found = []
    i = 0
    while i < len(lowers):
        for j in range(min(len(lowers), i + 4), i, -1):
            seq = tuple(lowers[i:j])
            if seq in lex.titles:
                found.append((seq, lex.titles[seq]))
                i = j - 1
                break
        i += 1
    return found


def _find_title(tokens, lex: AgentLexicon) -> tuple[bool, Optional[str]]:
    """(has_title, sector) from title words among the tokens ("President", "Col.", "Prime Minister")."""
    found = _titles(tokens, lex)
    sectors = [s for _, s in found if s is not None]
    return bool(found), (sectors[-1] if sectors else None)


def _split_title(tokens, lex: AgentLexicon) -> tuple[list, list]:
    """(title tokens, name tokens) of a name NER took with its title: "King Hussein", "Prime Minister Sharif"."""
    i = 0
    while i < len(tokens) - 1:
        for j in range(min(len(tokens) - 1, i + 4), i, -1):
            if tuple(t.lower_ for t in tokens[i:j]) in lex.titles:
                i = j
                break
        else:
            break
    return list(tokens[:i]), list(tokens[i:])


def dictionary_person(name_tokens, context, lex: AgentLexicon, people: PeopleLexicon,
                      year: Optional[int]) -> Optional[PersonMatch]:
    """What data/people.yaml says about the person named by `name_tokens`, given the words around the name
    (`context`, where a title such as "President" before "Mubarak" lets a surname alone be looked up)."""
    name_tokens = [t for t in name_tokens if t.text not in ("'s", "’s", "'", "’")]
    lead, name_tokens = _split_title(name_tokens, lex)
    if not name_tokens:
        return None
    found = _titles(list(context) + lead, lex)
    title, sector = (" ".join(found[-1][0]), found[-1][1]) if found else (None, None)
    first, last = name_tokens[0], name_tokens[-1]
    text = first.doc[first.i:last.i + 1].text
    return match_person(people, text, year=year, title=title, title_sector=sector, titled=bool(found))


# Modifiers that say more about who someone is than the noun they modify: "opposition leader", "rebel
# commander", "former president".
STRONG_MODIFIERS = frozenset({"OPP", "REB", "ELI"})


def _modifier_sector(tokens, lex: AgentLexicon) -> Optional[str]:
    for t in tokens[:-1]:
        s = lex.modifiers.get(t.lower_)
        if s:
            return s
    return None


def code_tokens(tokens, lex: AgentLexicon, countries: CountryLexicon) -> Code:
    """Code the words of one phrase, without looking outside it."""
    tokens = [t for t in tokens if not t.is_punct or t.text in ("-", "'", "’")]
    if not tokens:
        return Code()
    named = _find_named(tokens, lex, countries)
    # NER sometimes calls "Bosnian Serbs" a person; words the country lexicon knows are not a name.
    in_lexicon = {k for h in named if h[0] in ("country", "demonym") for k in range(h[2], h[3])}
    persons = [t for k, t in enumerate(tokens) if t.ent_type_ == "PERSON" and k not in in_lexicon]
    person_name = None
    if persons:
        first, last = persons[0], persons[-1]
        person_name = first.doc[first.i:last.i + 1].text
        # A name's own words are not titles or places ("Jordan" the person): read only the words around it.
        named = [h for h in named if not any(tokens[k].ent_type_ == "PERSON" for k in range(h[2], h[3]))]
    person_ids = {t.i for t in persons}
    context = [t for t in tokens if t.i not in person_ids]
    sector_agent, agent_words, agent_at = _find_agent(context, lex) if context else (None, None, -1)
    modifier = _modifier_sector(context, lex) if context else None
    has_title, title_sector = _find_title(context, lex)

    country = wikidata = name = None
    sector = None
    is_country = False
    actor_hits = [h for h in named if h[0] == "actor"]
    # "ethnic Albanians in Serbia" are not Albania's: an ethnic group takes its country from where it lives.
    country_hits = [h for h in named if h[0] in ("country", "demonym", "metonym")
                    and not (h[0] == "demonym" and tokens[h[2]].i > 0
                             and tokens[h[2]].doc[tokens[h[2]].i - 1].lower_ == "ethnic")]
    if actor_hits:
        a = actor_hits[-1][1]
        name, country, wikidata = a.name, a.country, a.wikidata
        sector = a.sector
        # An international body's agents take the agent's sector ("UN peacekeepers" MIL, "NATO officials" GOV).
        if a.country is None and sector_agent and agent_at >= actor_hits[-1][3]:
            sector = sector_agent
    if country_hits:
        kind, value, i, j = country_hits[0]
        iso3 = value[0] if kind == "metonym" else value
        if country is None or kind != "demonym" or not actor_hits:
            country = country if (actor_hits and country) else iso3
        only = len(tokens) == j - i or all(t.lower_ in ("the",) for t in tokens[:i])
        if kind in ("country", "metonym") and only and j == len(tokens):
            cinfo = countries.by_iso3.get(iso3)
            name = cinfo.name if cinfo else None
            wikidata = cinfo.wikidata if cinfo else None
            is_country = True
            sector = value[1] if kind == "metonym" and value[1] != "GOV" else None
        elif kind == "demonym" and j == len(tokens) and not actor_hits and sector_agent is None:
            # "the Palestinians", "Hungarians": the people of the country
            sector = "CVL" if tokens[j - 1].text.endswith("s") or tokens[j - 1].tag_ == "NNPS" else None
            name = tokens[0].doc[tokens[0].i:tokens[-1].i + 1].text
    ethnic = [h for h in named if h[0] == "demonym" and h not in country_hits]
    if ethnic and not country_hits and not actor_hits and sector_agent is None and ethnic[-1][3] == len(tokens) \
            and tokens[-1].text.endswith("s"):
        # "ethnic Albanians": a people, of no country the words name
        sector = "CVL"
        name = tokens[0].doc[tokens[0].i:tokens[-1].i + 1].text
    if persons:
        name = person_name
        if modifier in STRONG_MODIFIERS and not actor_hits:
            sector = modifier
        elif title_sector and not actor_hits:
            sector = title_sector
        elif not sector:
            sector = title_sector or modifier or sector_agent
        elif modifier in ("REB", "OPP", "ELI") and not actor_hits:
            sector = modifier
        return Code(name=name, country=country, sector=sector, wikidata=None, is_person=True,
                    org=bool(actor_hits))
    if sector is None and not is_country:
        strong = modifier in STRONG_MODIFIERS
        sector = modifier if (modifier and (strong or sector_agent in (None, "CVL"))) else sector_agent
        if sector is None and has_title:
            sector = title_sector
    generic = bool(sector_agent) and not actor_hits and country is None and not is_country
    if generic and agent_words in lex.no_focus:
        generic = False
    if name is None and (actor_hits or is_country):
        name = actor_hits[-1][1].name if actor_hits else name
    return Code(name=name, country=country, sector=sector, wikidata=wikidata, is_country=is_country,
                generic=generic, org=bool(actor_hits))


# ---------------------------------------------------------------------------------------- the article


def _appos_tokens(ent) -> list:
    """Words of an apposition to a name: "Col. Sonny Leggett, the U.S. military spokesman in Kabul"."""
    root = ent.root
    for child in root.children:
        if child.dep_ == "appos":
            toks = [t for t in child.subtree if t.i < child.i + 6]
            # Stop at "in X"/"for X" only if they start a location; keep "spokesman for the Ministry".
            return [t for t in toks if not (t.dep_ == "prep" and t.lower_ in ("in", "at", "near"))
                    and not (t.head.dep_ == "prep" and t.head.lower_ in ("in", "at", "near"))]
    return []


def _left_modifiers(ent) -> list:
    """The words before a name that belong to its phrase: "Taliban political leader" Abdul Ghani Baradar,
    "U.S. Secretary of State" Warren Christopher; and for a name in apposition, the phrase it renames
    ("Qatar's emir, Sheikh Hamad")."""
    doc = ent.doc
    ids = set()
    for child in ent.root.children:
        if child.i < ent.start and child.dep_ in ("compound", "amod", "nmod", "poss", "det"):
            ids.update(t.i for t in child.subtree if t.i < ent.start)
    if ent.root.dep_ == "appos" and ent.root.head.i < ent.start:
        head = ent.root.head
        ids.update(t.i for t in head.subtree if t.i < ent.start and t.i >= head.left_edge.i
                   and t.text not in (",", ";"))
    ids = {i for i in ids if ent.start - i <= 3 * MAX_PHRASE_WORDS}
    return [doc[i] for i in sorted(ids)]


@dataclass
class PersonInfo:
    name: str
    code: Code
    match: Optional[PersonMatch] = None     # the people dictionary's entry, where it filled a gap


def _agrees(match: Optional[PersonMatch], country: Optional[str]) -> bool:
    """A dictionary entry is the person the article describes unless the article gives another country."""
    return match is not None and (country is None or (match.country is not None and match.country == country))


def people_of(doc, lex: AgentLexicon, countries: CountryLexicon, year: Optional[int] = None,
              people: Optional[PeopleLexicon] = None) -> dict[str, PersonInfo]:
    """Each person the article names, coded from their titles and affiliations (and, for what those leave
    unsaid, from the people dictionary), keyed by every name form."""
    groups: dict[str, list] = {}
    for ent in entities(doc):
        if ent.label_ != "PERSON":
            continue
        words = [t for t in ent if not t.is_punct and t.text not in ("'s", "’s")]
        if not words:
            continue
        groups.setdefault(words[-1].text, []).append(ent)
    table: dict[str, PersonInfo] = {}
    for last, ents in groups.items():
        full = max((e.text for e in ents), key=len)
        full = full[:-2] if full.endswith(("'s", "’s")) else full
        country = sector = None
        for ent in ents:
            c = code_tokens(_left_modifiers(ent) + list(ent) + _appos_tokens(ent), lex, countries)
            # The first mention that says who the person is, wins; later ones only fill gaps.
            country, sector = country or c.country, sector or c.sector
        match = None
        if people is not None and (country is None or sector is None):
            # The fullest mention names the person; any mention's title lets a surname alone be looked up.
            longest = max(ents, key=lambda e: len(e.text))
            context = [t for e in ents for t in _left_modifiers(e)]
            match = dictionary_person(list(longest), context, lex, people, year)
            if _agrees(match, country):
                country, sector = country or match.country, sector or match.sector
                full = match.name or full
            else:
                match = None
        if sector is not None and country is None and match is None:
            # A title without a country ("President Trump"): whose official is named next to them.
            for ent in ents:
                country = _nearest_state_country(ent.doc, ent.start, ent.sent, lex, countries)
                if country:
                    break
        info = PersonInfo(full, Code(name=full, country=country, sector=sector, is_person=True), match)
        table[last] = info
        table[full] = info
        for e in ents:
            table[e.text] = info
    return table


def _nearest_state_country(doc, tok_i: int, sent, lex: AgentLexicon, countries: CountryLexicon) -> Optional[str]:
    """The country a titled person serves when the phrase says nothing: the nearest country named as an actor
    or a modifier in the sentence ("The United States ... President Trump")."""
    toks = list(sent)
    best, best_d = None, None
    for kind, value, i, j in _find_named(toks, lex, countries):
        if kind == "actor":
            continue
        first, last = toks[i], toks[j - 1]
        # Only a country that acts or qualifies ("The United States conducted", "U.S. officials") says whose
        # official someone is; a place or a target ("in Afghanistan", "against Russia") does not.
        root = first.doc[first.i:last.i + 1].root
        if root.dep_ not in ("nsubj", "nsubjpass", "compound", "amod", "nmod", "poss", "appos"):
            continue
        d = abs(first.i - tok_i)
        iso3 = value[0] if kind == "metonym" else value
        if best_d is None or d < best_d:
            best, best_d = iso3, d
    return best


def _attribution_ids(sent, trigger, keep_speaker: bool = False) -> set:
    """Indices of the tokens that name a source of the news in the sentence rather than a party to the event:
    the object of "according to", and the subject, agent or listener of a speech verb ("Amnesty said", "the Ansa
    news agency reported", "quoted by state media", "told Reuters"). With `keep_speaker`, the speaker of a
    clause that contains the trigger is kept ("Iran said it would strike ...")."""
    ids: set = set()
    for t in sent:
        if t.i == trigger.i:
            continue
        if t.lower_ == "according" and any(c.lower_ == "to" for c in t.children):
            sub = {x.i for x in t.subtree}
            if trigger.i not in sub:
                ids |= sub
            continue
        lemma = t.lemma_.lower()
        if lemma not in SPEECH_LEMMAS or t.pos_ not in ("VERB", "AUX"):
            continue
        if keep_speaker and trigger in t.subtree:
            continue
        for c in t.children:
            if c.dep_ in ("nsubj", "agent") or (lemma == "tell" and c.dep_ in ("dobj", "dative")):
                sub = {x.i for x in c.subtree}
                if trigger.i not in sub:
                    ids |= sub
    return ids


# Prepositions of a place phrase ("in Kabul", "near the border"): what they hold says where, not who.
LOCATIVE_PREPS = frozenset({"in", "at", "near", "inside", "outside", "across", "around", "within"})


def _under_locative(tok, top) -> bool:
    """Is `tok` inside a place phrase ("in X", "near X") below `top`?"""
    node = tok
    while node.i != top.i and node.head.i != node.i:
        if node.dep_ == "prep" and node.lower_ in LOCATIVE_PREPS:
            return True
        node = node.head
    return False


class ActorCoder:
    """Stage `actors`: fills name/country/sector/wikidata of event.actor and event.recipient."""

    def __init__(self):
        self.lex = load_agent_lexicon()
        self.countries = load_countries()
        self.people = load_people()
        self.lex_anaphors = GROUP_ANAPHORS

    def code_participant(self, span, doc, focus_country: Optional[str] = None, people: Optional[dict] = None,
                         military: bool = False, text: Optional[str] = None,
                         year: Optional[int] = None) -> Participant:
        """Code one participant given its character span (start, end) in `doc` (whose text may be passed in:
        spaCy rebuilds doc.text on every access). `year` is the article's publication year, which settles
        whom a shared surname in the people dictionary names."""
        text = text if text is not None else doc.text
        start, end = span
        exact = self._exact(text[start:end])
        # A span that cuts an entity ("North" of "North Korea") is widened to the whole entity.
        touched = doc.char_span(start, end, alignment_mode="expand") if exact is None else None
        edge_ents = {entity_at(touched[0]), entity_at(touched[-1])} if touched is not None and len(touched) else ()
        for ent in edge_ents:
            if ent is not None and ent.label_ in ("GPE", "ORG", "NORP") and ent.start_char < end \
                    and start < ent.end_char and (ent.start_char < start or ent.end_char > end) \
                    and ent.end_char - ent.start_char < 60:
                start, end = min(start, ent.start_char), max(end, ent.end_char)
        floor = dateline_end(text) if span[0] < 100 else 0
        if span[0] >= floor > start:
            start = floor                       # never widened into a dateline ("KABUL, Afghanistan - NATO")
        sp = doc.char_span(start, end, alignment_mode="expand")
        part = Participant(text=text[start:end], span=(start, end))
        if sp is None or len(sp) == 0:
            return part
        tokens = list(sp)
        if len(tokens) == 1 and (tokens[0].pos_ == "PRON" or tokens[0].lower_ in PRONOUNS
                                 and not tokens[0].is_upper):
            return part
        people = people if people is not None else people_of(doc, self.lex, self.countries, year, self.people)
        code = exact or self._exact(part.text) or code_tokens(tokens, self.lex, self.countries)
        if code.sector is None and code.country is None and not code.is_country:
            code = self._group_anaphor(tokens, doc) or code
        known = people.get(part.text) or people.get(tokens[-1].text)
        named = None
        if not (code.is_person or code.is_country or code.org or code.country) and known is None:
            named = self._titled_name(tokens, year)
        if code.is_person or any(t.ent_type_ == "PERSON" for t in tokens) or named or (
                known is not None and tokens[-1].pos_ == "PROPN" and code.country is None and not code.is_country):
            code = self._person(code, tokens, doc, people, focus_country, year, named)
        elif not code.is_country:
            code = self._from_context(code, sp)
        country = code.country
        if country is None and code.generic:
            country = focus_country
        sector = code.sector
        if code.is_country and sector is None:
            sector = "MIL" if military else "GOV"
        part.name = code.name or (part.text if (sector or country) and not code.is_person else code.name)
        part.country = country
        part.sector = sector
        part.wikidata = code.wikidata
        return part

    def _exact(self, text: str) -> Optional[Code]:
        """The participant's words are exactly a known name: "U.S." inside "U.S.-Taliban", "the Kremlin"."""
        bare = text[4:] if text.lower().startswith("the ") else text
        if bare in self.lex.named:
            a = self.lex.named[bare]
            return Code(name=a.name, country=a.country, sector=a.sector, wikidata=a.wikidata)
        iso3, sector = None, None
        if bare in self.countries.names:
            iso3 = self.countries.names[bare]
        elif bare in self.countries.metonyms:
            iso3, sector = self.countries.metonyms[bare]
            sector = sector if sector != "GOV" else None
        if iso3 is None:
            return None
        c = self.countries.by_iso3[iso3]
        return Code(name=c.name, country=iso3, sector=sector, wikidata=c.wikidata, is_country=True)

    def _group_anaphor(self, tokens, doc) -> Optional[Code]:
        """"the group", "the militants": the organisation named last before them in the article."""
        words = [t.lower_ for t in tokens]
        if len(words) > 3 or words[0] not in ("the", "this") and not (len(words) == 1 and tokens[0].tag_ == "POS"):
            if not (len(words) == 1 and words[0] in self.lex_anaphors):
                return None
        if words[-1] not in self.lex_anaphors:
            return None
        before = doc[max(0, tokens[0].i - 400):tokens[0].i]
        found = _find_named(list(before), self.lex, self.countries)
        for kind, value, _i, _j in reversed(found):
            if kind == "actor" and value.sector in ("REB", "PTY", "OPP", "CRM", "MIL"):
                return Code(name=value.name, country=value.country, sector=value.sector, wikidata=value.wikidata)
        return None

    def _titled_name(self, tokens, year: Optional[int]) -> Optional[list]:
        """The name tokens of "President Mugabe" when NER did not call "Mugabe" a person: a title followed by
        proper nouns ending the phrase (or its possessive), if the people dictionary knows the name."""
        lowers = [t.lower_ for t in tokens]
        end = None
        for i in range(len(tokens)):
            for j in range(min(len(tokens), i + 4), i, -1):
                if tuple(lowers[i:j]) in self.lex.titles:
                    end = j
                    break
        if end is None:
            return None
        names = []
        for t in tokens[end:]:
            if t.pos_ == "PROPN" and t.text[:1].isupper():
                names.append(t)
            else:
                break
        rest = tokens[end + len(names):]
        if not names or (rest and rest[0].text not in ("'s", "’s", "'", "’")):
            return None
        if dictionary_person(names, tokens[:end], self.lex, self.people, year) is None:
            return None
        return names

    def _person(self, code: Code, tokens, doc, people: dict, focus: Optional[str], year: Optional[int] = None,
                names: Optional[list] = None) -> Code:
        persons = names or [t for t in tokens if t.ent_type_ == "PERSON"] or [tokens[-1]]
        first, last = persons[0], persons[-1]
        text = doc[first.i:last.i + 1].text
        info = people.get(text) or people.get(last.text)
        name, country, sector = code.name or text, code.country, code.sector
        if code.org:
            # "Arab League Secretary General Chadli Klibi": the organisation says who they are.
            return Code(name=info.name if info else name, country=country, sector=sector, is_person=True, org=True)
        if info is not None:
            # The article's fullest description of the person beats the generic words of this phrase.
            name = info.name
            country = info.code.country or country
            sector = info.code.sector or sector
        person_ids = {t.i for t in persons}
        context = [t for t in tokens if t.i not in person_ids and t.ent_type_ != "PERSON"]
        match = info.match if info is not None else None
        if match is None and (country is None or sector is None):
            # Nothing in the article said who this is (or NER missed the name there): the people dictionary.
            match = dictionary_person(persons, context, self.lex, self.people, year)
            match = match if _agrees(match, country) else None
        wikidata = None
        if match is not None:
            name = match.name or name
            country = country or match.country
            sector = sector or match.sector
            wikidata = match.wikidata
        has_title, _ = _find_title(context, self.lex)
        if country is None and sector is not None and (has_title or info is not None) and match is None:
            country = _nearest_state_country(doc, first.i, first.sent, self.lex, self.countries) or focus
        return Code(name=name, country=country, sector=sector, wikidata=wikidata, is_person=True)

    def _from_context(self, code: Code, sp) -> Code:
        """'King Hassan of Morocco', 'the president of Armenia', 'officials in Kabul': the country after the head;
        'leaders of the opposition coalition', 'members of the Taliban': the sector too, for a head that says
        nothing of its own."""
        head = sp.root
        neutral = head.lemma_.lower() in NEUTRAL_HEADS
        for prep in head.children:
            if prep.dep_ != "prep" or prep.lower_ not in ("of", "from", "in"):
                continue
            for pobj in prep.children:
                if pobj.dep_ != "pobj":
                    continue
                words = [t for t in pobj.subtree][:MAX_PHRASE_WORDS + 2]
                inner = code_tokens(words, self.lex, self.countries)
                country = code.country or (inner.country if prep.lower_ != "in" or inner.is_country else None)
                sector = code.sector
                if neutral and prep.lower_ in ("of", "from") and inner.sector and (sector in (None, "GOV")):
                    sector = inner.sector
                if country != code.country or sector != code.sector:
                    return Code(name=code.name, country=country, sector=sector, wikidata=code.wikidata,
                                generic=code.generic and country is None, org=code.org)
        return code

    def __call__(self, ctx: DocContext, events: list[Event]) -> None:
        if not events:
            return
        published = ctx.article.published
        year = getattr(published, "year", None)
        people = people_of(ctx.doc, self.lex, self.countries, year, self.people)
        text = ctx.article.text
        for ev in events:
            military = ev.event_type == "ASSAULT" and (ev.mode in self.lex.military_modes
                                                      or "military" in (ev.context or []))
            # Those acted upon are, unless the words say otherwise, of the country where it happened
            # ("killed 23 people" in Tel Aviv); the actor, of the article's focus country.
            where = ev.location.country if ev.location is not None and ev.location.country else None
            for role in ("actor", "recipient"):
                p = getattr(ev, role)
                if p is None or p.span is None:
                    continue
                focus = (where or ctx.focus_country) if role == "recipient" else ctx.focus_country
                coded = self.code_participant(p.span, ctx.doc, focus, people,
                                              military=military and role == "actor", text=text, year=year)
                setattr(ev, role, coded)
            act = ev.actor
            if act is None or (act.country is None and act.sector is None and act.name is None):
                # The parse found no subject, or an uncodable one: the first party named before the trigger.
                span = self._named_before_trigger(ctx, ev)
                if span is not None:
                    ev.actor = self.code_participant(span, ctx.doc, ctx.focus_country, people,
                                                     military=military, text=text, year=year)
            rec = ev.recipient
            own = rec is not None and rec.text and rec.text.split()[0].lower() in ("its", "their", "his", "her", "our")
            if rec is None or own or (rec.country is None and rec.sector is None and rec.name is None):
                # "halted economic aid to Serbia", "demanded that the US cancel": the object is a thing, and
                # the party it is aimed at is named further down the trigger's phrase.
                span = self._target_in_phrase(ctx, ev, rec)
                if span is not None:
                    ev.recipient = self.code_participant(span, ctx.doc, ctx.focus_country, people, text=text,
                                                         year=year)
                elif rec is not None and rec.span is not None and rec.country is None and not own:
                    # "settlements in the Gaza Strip": the phrase places its referent in a country.
                    inside = [p for p in ctx.places if p.span and p.country
                              and rec.span[0] <= p.span[0] and p.span[1] <= self._phrase_end(ctx.doc, rec.span)]
                    if inside:
                        rec.country = inside[0].country
            rec = ev.recipient
            proper = rec is not None and (rec.wikidata or (rec.text or "")[:1].isupper())
            if rec is not None and rec.country is None and where and not proper:
                # A people or a thing acted upon where the event happened: "refugees" in Liberia.
                rec.country = where

    @staticmethod
    def _phrase_end(doc, span) -> int:
        """End offset of the full phrase (with its prepositional tail) whose words start at `span`."""
        sp = doc.char_span(span[0], span[1], alignment_mode="expand")
        if sp is None or not len(sp):
            return span[1]
        last = max(sp.root.subtree, key=lambda t: t.i)
        return last.idx + len(last.text)

    def _named_before_trigger(self, ctx: DocContext, ev: Event):
        """Character span of the first country, organisation or demonym-led group left of the trigger in its
        sentence, outside place phrases ("in Kabul") and the recipient."""
        doc = ctx.doc
        if not (0 <= ev.trigger_index < len(doc)) or not (0 <= ev.sent_index < len(ctx.sents)):
            return None
        sent = ctx.sents[ev.sent_index]
        rec_span = ev.recipient.span if ev.recipient is not None else None
        # "Japan said it had halted aid", "Mubarak said the US must mediate": the speaker of the clause that holds
        # the trigger is its author. A passive trigger ("Amnesty said protesters were shot") is not theirs.
        trig = doc[ev.trigger_index]
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in trig.children)
        sources = _attribution_ids(sent, trig, keep_speaker=not passive)
        toks = []
        floor = dateline_end(ctx.article.text) if ev.sent_index == 0 else 0
        for t in doc[sent.start:ev.trigger_index]:
            if (rec_span and rec_span[0] <= t.idx < rec_span[1]) or t.i in sources or t.idx < floor:
                continue                        # (nor a dateline: "DAMASCUS, Syria -- Syrian warplanes")
            # ("into": "fired into Gaza" names no actor; as a target's place, "into" often names the target)
            if any(a.dep_ == "prep" and (a.lower_ in LOCATIVE_PREPS or a.lower_ == "into")
                   for a in t.ancestors if a.i >= sent.start and a.i < ev.trigger_index):
                continue
            toks.append(t)
        return self._span_of_first_named(toks, None)

    def _span_of_first_named(self, toks, avoid):
        for kind, _value, i, j in _find_named(toks, self.lex, self.countries):
            first, last = toks[i], toks[j - 1]
            if last.i - first.i != j - i - 1:
                continue            # the words are not contiguous in the text
            end = last
            head = last.head
            # "Sudanese government", "Palestinian students": take the phrase the name qualifies.
            if kind in ("demonym", "country", "actor") and last.dep_ in ("amod", "compound", "nmod", "poss") \
                    and head.i > last.i and head.i - last.i <= 5 and head.pos_ in ("NOUN", "PROPN"):
                end = head
            if avoid and first.idx < avoid[1] and avoid[0] < end.idx + len(end.text):
                continue
            return (first.idx, end.idx + len(end.text))
        return None

    def _target_in_phrase(self, ctx: DocContext, ev: Event, rec: Optional[Participant]):
        """Character span of the first country, organisation or demonym-led group in the recipient's own phrase,
        else after the trigger within its clause; never inside the actor."""
        doc = ctx.doc
        if not (0 <= ev.trigger_index < len(doc)):
            return None
        trig = doc[ev.trigger_index]
        actor_span = ev.actor.span if ev.actor is not None else None
        scopes = []
        if rec is not None and rec.span is not None:
            sp = doc.char_span(rec.span[0], rec.span[1], alignment_mode="expand")
            if sp is not None and len(sp):
                # "a market in Afghanistan's Nangarhar province": where the thing is, not whose it is (the
                # caller gives it the country of the places inside its phrase)
                scopes.append([t for t in sorted(sp.root.subtree, key=lambda t: t.i)
                               if not _under_locative(t, sp.root)])
        # With a thing acted upon in hand, a place after the trigger says where it is ("an attack on a market
        # in Afghanistan's Nangarhar province"); with none, the place is the nearest thing to a target we have.
        scopes.append([t for t in sorted(trig.subtree, key=lambda t: t.i) if t.i > trig.i
                       and not (rec is not None and _under_locative(t, trig))])
        sources = _attribution_ids(trig.sent, trig, keep_speaker=False)
        for toks in scopes:
            toks = [t for t in toks if not (actor_span and actor_span[0] <= t.idx < actor_span[1])
                    and t.i not in sources]
            # Stop at a reporting clause: "..., a Croatian official said".
            toks = [t for t in toks if not (t.dep_ in ("parataxis",) or t.head.dep_ == "parataxis")]
            span = self._span_of_first_named(toks, actor_span)
            if span is not None:
                return span
        return None

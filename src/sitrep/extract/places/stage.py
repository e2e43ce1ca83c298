"""Stage `places`: the PlaceResolver that runs finding, resolution and event placement on one article."""
from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import replace
from typing import Optional

from ...model import Event, Place
from ...resolve.countries import load_countries
from ...resolve.gazetteer import (KIND_ADMIN1, KIND_ADMIN2, KIND_COUNTRY, KIND_PLACE, GeoEntry, Gazetteer,
                                  load_gazetteer, name_key)
from ..context import DocContext
from ..title import is_headline_text, load_title_rules
from .evidence import load_actor_countries
from .finding import find_mentions, mark_dateline
from .hierarchy import contains
from .lexicon import HEADLINE_TOWN, PRECISION_ORDER, TITLE_WHERE, load_place_lexicon
from .locate import locatable, pick_in_sentence, refine_coarse, sent_index, headline_keys
from .mention import Mention
from .scoring import country_hits, focus_votes, resolve_mentions, to_place

LOGGER = logging.getLogger(__name__)


class PlaceResolver:
    """Stage `places`: fills ctx.places and ctx.focus_country, and each event's location."""

    def __init__(self, gazetteer: Optional[Gazetteer] = None):
        self.gazetteer = gazetteer or load_gazetteer()
        self.countries = load_countries()
        self.lex = load_place_lexicon()
        self.actor_countries = load_actor_countries()
        self.headline_max_words = load_title_rules().headline_max_words

    # -- the pieces, usable on their own ------------------------------------------------------------------

    def analyse(self, doc, title: Optional[str] = None) -> tuple[list[Mention], Optional[str]]:
        """Find and resolve every place mention of a parsed document; return them and the focus country."""
        text = doc.text         # spaCy rebuilds it on every access
        mentions = find_mentions(doc, self.gazetteer, self.countries, self.lex, text=text)
        for m in mentions:
            country_hits(m, self.gazetteer)
        mark_dateline(mentions, text)
        title_countries, title_states = self._title_evidence(title)
        if title is None and is_headline_text(text, self.headline_max_words):
            # a text that is one headline (an RSS item: "They murder a man in a neighborhood of Acambaro") says
            # where its event is as a title does; the names it holds are already the text's own mentions
            title_countries = self._where_countries(text)
        votes = focus_votes(mentions, title_countries)
        actor_votes = self.actor_countries.find(text + "\n" + (title or ""))
        votes.update(actor_votes)
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
        if focus is not None and not (focus in title_countries or actor_votes.get(focus) or any(
                m.votes_cast.get(focus) and (m.resolved is not None or m.role == "demonym" or m.country_name)
                for m in mentions)):
            # The focus came only from names that did not resolve ("near the Portal del Roble"): no country at all
            # rather than one that no evidence in the text supports.
            focus = None
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
        country_hits(m, self.gazetteer)
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
        return countries + self._where_countries(title), frozenset(states)

    def _where_countries(self, headline: str) -> list[str]:
        """"US drone strike in southern Afghanistan", "Rebels attack army post near Goma": the country a headline
        puts its event in counts twice; a town there counts for its country when no other country has it."""
        countries = []
        for m in TITLE_WHERE.finditer(headline):
            words = m.group(1).split()
            for n in range(len(words), 0, -1):
                # a shorter name only drops words that say what the place is or holds ("Kandahar Province",
                # "Hpa-an Karen State", "Tijuana Airport"): "San" of "San Matias Cocoyotla" or "Wadi" of
                # "Wadi Barada" is another place
                if n < len(words) and not any(self._says_what_place(w) for w in words[n:]):
                    continue
                name = " ".join(words[:n]).rstrip("'’s;:,.")
                # a country's name, not a demonym: "in the Russian massacre" is where the Russians struck
                iso3 = self.countries.names.get(name)
                if iso3:
                    countries.append(iso3)
                    break
                if name in self.countries.demonyms:
                    break
                key = name_key(name)
                if key in self.lex.stoplist or name.lower() in self.lex.directions:
                    continue
                hits = [h for h in self.gazetteer.lookup(key) if h.primary and h.entry.kind == KIND_PLACE]
                if hits and len({h.entry.country for h in hits if h.entry.population >= 10_000}) == 1:
                    countries.append(max(hits, key=lambda h: h.entry.population).entry.country)
                    break
        return countries

    def _says_what_place(self, word: str) -> bool:
        word = word.lower().strip(".,;:")
        return word in self.lex.kind_words or word in self.lex.facility_words or word in self.lex.subplace_words

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
            by_sent.setdefault(sent_index(sent_starts, m.start), []).append(m)
        anchor = self._anchor(mentions, focus, ctx.article.title)
        fallback = anchor.place if anchor is not None else self._article_place(mentions, focus)
        for ev in events:
            ev.location = self._event_place(ev, ctx, by_sent, fallback)
        refine_coarse(events, ctx, by_sent)
        self._refine_to_town(events, mentions, anchor)
        self._refine_to_headline_town(events, ctx.article.title, focus, mentions)
        self._name_unindexed_place(events, by_sent, focus)

    def _name_unindexed_place(self, events: list[Event], by_sent: dict, focus: Optional[str]) -> None:
        """"The Arakan Army captured Paletwa", "shelling hit the outskirts of Khiam": a town the index lacks, which
        the text places the event in ("in/near/at X", NER calls it a place), in an article whose country the
        evidence settles (its places, actors, demonyms). An event placed no finer than that country takes the
        town's name as written, at the country's coordinates and precision: the name analysts code, never a
        namesake elsewhere."""
        if focus is None:
            return
        country = self.gazetteer.country(focus)
        for ev in events:
            loc = ev.location
            if loc is not None and (loc.country != focus or loc.precision != "country"):
                continue
            # (NER calls it a place, or the text calls it a town or village: "in Myanmar's Kawlin city")
            named = [m for m in by_sent.get(ev.sent_index, []) if m.resolved is None and m.role == "place"
                     and (m.ner in ("GPE", "LOC") or (m.kind_hint == KIND_PLACE and m.cue is not None))
                     and not m.facility and not m.site and not m.in_dateline
                     and (m.cue is not None or m.kind_hint is not None) and m.place is not None
                     and m.place.precision == "unknown"]
            if len({m.key or name_key(m.text) for m in named}) != 1:
                continue            # none, or several towns the text does not tell apart
            m = named[0]
            ev.location = Place(text=m.text, span=(m.char_start, m.char_end),
                                name=m.bare_text or m.name_text or m.text,
                                country=focus, lat=country.lat if country else None,
                                lon=country.lon if country else None, precision="country",
                                explanation=f"'{m.name_text or m.text}' is not in the index; in the article's "
                                            f"country {focus}")

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
        for m in HEADLINE_TOWN.finditer(headline):
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
        m = pick_in_sentence(ev, by_sent.get(ev.sent_index, []), ctx)
        if m is not None:
            return replace(m.place)
        # The sentence before, in the same paragraph ("In one attack in Kunduz, ... The attack started at ...").
        text = ctx.article.text
        sent = ctx.sents[ev.sent_index]
        para_start = text.rfind("\n", 0, sent.start_char) + 1
        for k in range(ev.sent_index - 1, max(-1, ev.sent_index - 3), -1):
            if ctx.sents[k].end_char <= para_start:
                break
            cands = [x for x in by_sent.get(k, []) if locatable(x, placed_by_hierarchy=True) and x.role == "place"
                     and x.cue]
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
        towns = [m for m in mentions if locatable(m) and m.resolved.kind in (KIND_PLACE, KIND_ADMIN2)
                 and (focus is None or m.resolved.country == focus)]
        if not towns:
            return None
        in_text = Counter(m.resolved.geonames_id for m in towns)
        counts = Counter(in_text)
        if title:
            in_title = headline_keys(title)
            for m in {m.resolved.geonames_id: m for m in towns}.values():
                if name_key(self._bare(m)) in in_title:
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
        located = [m for m in mentions if locatable(m) and (focus is None or m.resolved.country == focus)]
        specific = [m for m in located if m.resolved.kind != KIND_COUNTRY]
        if len({m.resolved.geonames_id for m in specific}) == 1:
            return specific[0].place
        if not specific:
            # "Ciudad Juarez registered 18 homicides over the weekend": a town that is the subject is a party to
            # the sentence, but when the text names no other place, it is where. (Not a capital: "Kabul said" is
            # the government.)
            towns = [m for m in mentions if m.role == "actor" and m.resolved is not None
                     and m.resolved.kind == KIND_PLACE and m.resolved.feature_code != "PPLC"
                     and m.place is not None and (focus is None or m.resolved.country == focus)]
            if len({m.resolved.geonames_id for m in towns}) == 1:
                return towns[0].place
        if focus is not None:
            country = self.gazetteer.country(focus)
            if country is not None:
                # the name news uses ("DR Congo"), not the ISO table's ("Congo, The Democratic Republic of the")
                known = self.countries.by_iso3.get(focus)
                return Place(name=known.name if known is not None else country.name, geonames_id=country.geonames_id, feature_code="PCLI",
                             country=focus, precision="country")
        return None

    def _refine_to_town(self, events: list[Event], mentions: list[Mention], anchor: Optional[Mention]) -> None:
        """'shot in Michigan' in an article datelined or centred on Kalamazoo, or naming only one town in
        Michigan: the town inside the division."""
        towns = [m for m in mentions if locatable(m) and m.resolved.kind == KIND_PLACE]
        for ev in events:
            loc = ev.location
            if loc is None or loc.geonames_id is None or loc.precision not in ("admin1", "admin2", "region"):
                continue
            outer = self.gazetteer.get(loc.geonames_id)
            if outer is None:
                continue
            if anchor is not None and contains(outer, anchor.resolved):
                ev.location = replace(anchor.place)
                continue
            inside = {m.resolved.geonames_id: m for m in towns if contains(outer, m.resolved)}
            if len(inside) == 1:
                ev.location = replace(next(iter(inside.values())).place)

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

Modules: lexicon (data and patterns), finding (mentions), hierarchy (containers), scoring (resolution),
locate (event places), stage (PlaceResolver).
"""
from .finding import Mention, find_mentions
from .lexicon import PRECISION_ORDER, PlaceLexicon, load_place_lexicon
from .scoring import focus_votes, resolve_mentions, to_place
from .stage import PlaceResolver

__all__ = ["Mention", "PRECISION_ORDER", "PlaceLexicon", "PlaceResolver", "find_mentions", "focus_votes",
           "load_place_lexicon", "resolve_mentions", "to_place"]

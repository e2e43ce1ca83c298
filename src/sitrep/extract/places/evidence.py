"""Country evidence that is not a place name: the armed groups, cartels and forces a text names, each with its
home country in data/actors.yaml ("Houthi" -> YEM, "al-Shabaab" -> SOM, "CJNG" -> MEX). It votes for the
article's focus country, never places an event by itself."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from ...resolve.actors import load_agent_lexicon

# What one named group adds to its home country's vote: as much as a place named without a cue, so a group
# tips an article that names no place, or names only ambiguous ones, but a place in the text outweighs it
# (Hezbollah fighting in Syria).
ACTOR_VOTE = 1.0


@dataclass(frozen=True)
class ActorCountries:
    pattern: Optional[re.Pattern]
    country_of: dict                # alias -> ISO3

    def find(self, text: str) -> Counter:
        """Home countries of the groups `text` names, one vote per country however often it is named."""
        if self.pattern is None or not text:
            return Counter()
        found = {self.country_of[m.group(0)] for m in self.pattern.finditer(text)}
        return Counter({c: ACTOR_VOTE for c in found})


@lru_cache(maxsize=1)
def load_actor_countries() -> ActorCountries:
    named = load_agent_lexicon().named
    country_of = {alias: actor.country for alias, actor in named.items() if actor.country and len(alias) >= 3}
    if not country_of:
        return ActorCountries(None, {})
    # Case-sensitive whole words, longest alias first ("Pakistani Taliban" before "Taliban").
    alternation = "|".join(re.escape(a) for a in sorted(country_of, key=len, reverse=True))
    return ActorCountries(re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])"), country_of)

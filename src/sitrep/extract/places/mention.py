"""The Mention record: one place name in the text, what the words around it say, and how it resolved."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

from ...model import Place
from ...resolve.gazetteer import GeoEntry, Hit


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
    bracketed: bool = False         # a name the index lacks, followed by a bracketed hierarchy
    facility: bool = False          # a word of the name is a street or building word ("Buchanan Street")
    name_text: str = ""             # the name alone, without the direction or kind word read around it
    bare_text: str = ""             # and without a kind word it ends with ("Kani" of "Kani Township"), for a name
    #                                 the index lacks, output as written
    container: Optional["Mention"] = None
    notes_hierarchy: bool = False   # the hierarchy follows in brackets, the notes convention: "X (Y, Z)"
    state_hint: Optional[str] = None     # US state from "X, Calif."
    dateline: bool = False
    site: bool = False              # names a road or site ("the Casas Grandes highway", "the market of X")
    embedded: bool = False          # inside a longer capitalised name ("Yarmouk Basin", "Portal del Roble")
    in_dateline: bool = False       # any mention before the dateline's dash ("KABUL, Afghanistan (AP) —")
    key: str = ""                   # folded name, for "one sense per article"
    resolved: Optional[GeoEntry] = None
    place: Optional[Place] = None
    scores: dict = field(default_factory=dict)
    why: str = ""
    votes_cast: Counter = field(default_factory=Counter)   # what the mention added to the focus-country vote                   # the evidence that chose (or refused) the entry, for Place.explanation

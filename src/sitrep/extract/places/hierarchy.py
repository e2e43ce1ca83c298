"""The administrative hierarchy a text writes around a place: "X, Y", "X in Y", "Y's X", and containment."""
from __future__ import annotations

import logging

from ...resolve.gazetteer import KIND_ADMIN1, KIND_ADMIN2, KIND_COUNTRY, KIND_PLACE, GeoEntry
from .lexicon import CONTAINER_GAP, PlaceLexicon, STATE_ABBREV
from .mention import Mention

LOGGER = logging.getLogger(__name__)


def link_containers(mentions: list[Mention], text: str, lex: PlaceLexicon) -> None:
    possessed: dict[int, Mention] = {}      # id of an owner ("Colombia's") -> the unit it owns ("Cauca department")
    for a, b in zip(mentions, mentions[1:]):
        gap = text[a.char_end:b.char_start]
        # ("Antioch, Calif.": a state abbreviation is read as the state hint below, not as a container.)
        if len(gap) <= 30 and CONTAINER_GAP.match(gap) and b.role != "demonym" \
                and b.text not in lex.state_abbrevs and b.text not in lex.state_postal:
            a.container = b
            a.notes_hierarchy = "(" in gap
        elif gap.strip() in ("'s", "’s") and b.role != "demonym":
            # "in Afghanistan's Nangarhar province": the preposition places the province, inside the country
            b.container, b.cue = a, b.cue or a.cue
            a.role = "modifier"
            if b.kind_hint is not None and b.hits:
                possessed[id(a)] = b
    for m in mentions:
        # "in El Plateado, in Colombia's Cauca department": the place lies in the division the owner owns (a
        # known name its kind word calls a division; not "in Peru's southern Andes")
        if m.container is not None and id(m.container) in possessed and possessed[id(m.container)] is not m:
            m.container = possessed[id(m.container)]
    for m in mentions:
        hit = STATE_ABBREV.match(text[m.char_end:m.char_end + 16])
        if hit:
            form = hit.group(1).strip()
            state = lex.state_abbrevs.get(form) or lex.state_abbrevs.get(form.rstrip(".")) \
                or lex.state_postal.get(form)
            if state:
                m.state_hint = state


def contains(outer: GeoEntry, inner: GeoEntry) -> bool:
    if outer.country != inner.country or outer.geonames_id == inner.geonames_id:
        return False
    if outer.kind == KIND_COUNTRY:
        return inner.kind != KIND_COUNTRY
    if outer.kind == KIND_ADMIN1:
        return inner.kind in (KIND_PLACE, KIND_ADMIN2) and inner.admin1_id == outer.geonames_id
    if outer.kind == KIND_ADMIN2:
        return inner.kind == KIND_PLACE and inner.admin2_id == outer.geonames_id
    return False

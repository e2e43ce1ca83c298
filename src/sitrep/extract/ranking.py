"""Which event of an article is its main one: the order finish_events and the headline (title.py) rank by."""
from __future__ import annotations

from ..model import Event


def primary_score(ev: Event, prefer_casualties: bool = False) -> tuple:
    """What a headline would be about: a reported event; in a story of several sentences, one with a toll (the
    arrest or the accusation that follows a shooting is not the headline); early in the article (the lede); in its
    sentence's main clause, and not inside one of its phrases ("complained over air raids"); then the most
    confident. (Preferring ACLED-codable events after the main clause cost
    PLOVER type accuracy on short sentences, 0.71 -> 0.69, for no gain in ACLED sub-type F1.)"""
    counted = prefer_casualties and any(c is not None and c.total is not None for c in (ev.fatalities, ev.injuries))
    return (
        ev.status == "reported",
        counted,
        -min(ev.sent_index, 2),
        -ev.clause_depth,
        -ev.phrase_depth,
        ev.confidence,
        -ev.sentence_span[0],
    )

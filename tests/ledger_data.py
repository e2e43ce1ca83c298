"""A small store with a commitment ledger, for the API and browser tests: a ceasefire declared by the ELN (read by
the real extractor), an attack in its window and one in the baseline before it (built by hand)."""
from __future__ import annotations

import datetime as dt

from pg import make_event

from sitrep.ingest.clean import make_article
from sitrep.model import Casualties, Count, Participant, Place, When


def _attack(aid: str, text: str, day: str, killed: int):
    from sitrep.extract.pipeline import finish_events

    article = make_article(aid, text, published=dt.date.fromisoformat(day), outlet="Test Wire")
    ev = make_event(article, "attacked", "ASSAULT",
                    actor=Participant(text="ELN", name="National Liberation Army", country="COL", sector="REB"),
                    date=When(start=day, end=day, precision="day"),
                    location=Place(name="Arauca", country="COL", admin1="Arauca", lat=7.08, lon=-70.76,
                                   precision="point"),
                    fatalities=Casualties(total=Count(killed, killed, killed)), confidence=0.9)
    events = [ev]
    finish_events(article, events)
    return article, events


def build_ledger_store(path: str, extractor) -> str:
    """Write the articles and events, then incidents and the ledger; returns the ceasefire's commitment id."""
    from sitrep.commitments.ledger import update_ledger
    from sitrep.incidents import recompute_incidents
    from sitrep.store import open_store
    from sitrep.store.commitment_queries import list_commitments

    declared = make_article("eln-ceasefire", "The ELN declared a unilateral ceasefire in Colombia for seven days "
                            "starting on Monday, the group said in a statement.", published=dt.date(2024, 5, 10),
                            outlet="Test Wire")
    declared, _events = next(iter(extractor.extract_many([declared])))
    pairs = [(declared, []),
             _attack("eln-before", "ELN fighters attacked a police station in Arauca.", "2024-05-08", 1),
             _attack("eln-during", "ELN fighters attacked an army post in Arauca.", "2024-05-15", 2)]
    with open_store(path) as store:
        store.write_batch(pairs)
        recompute_incidents(store)
        update_ledger(store)
        rows = [r for r in list_commitments(store) if r["kind"] == "ceasefire"]
    assert len(rows) == 1
    return rows[0]["commitment_id"]

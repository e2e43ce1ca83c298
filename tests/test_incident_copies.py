"""Incidents over archives full of copies: the grouping per class of equal merge keys gives exactly the incidents
(ids, members, merges) of comparing every pair of events, and the copies of a text cost one comparison, not one
per pair of copies, in a full recompute and in an incremental update alike."""
from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest
from incident_reference import reference_cluster
from pg import gold_pairs, make_event, store, store_url  # noqa: F401

import sitrep.incidents.grouping as grouping
import sitrep.incidents.maintenance as maintenance
from sitrep.incidents import MergeRules, cluster, recompute_incidents, update_incidents

BASE = dt.date(2024, 3, 1)


def _shape(found) -> list:
    """Incidents as plain values: id, members, and every merge with its criteria."""
    return [(inc.incident_id, [m["event_id"] for m in inc.members],
             [(c.a, c.b, c.score, c.distance_km, [k.as_dict() for k in c.criteria]) for c in inc.links])
            for inc in found]


def _random_events(rng: random.Random, n_texts: int) -> list[dict]:
    """Texts of one to three events each, in two countries over a week; about half of them copied into two to
    seven articles (another id, the same fields), as syndication and mirrors do."""
    events = []
    for t in range(n_texts):
        published = BASE + dt.timedelta(days=rng.randrange(7))
        fields = []
        for _k in range(rng.choice([1, 1, 2, 3])):
            precision = rng.choice(["point", "point", "admin1", "country"])
            dated = rng.random() < 0.5
            start = published - dt.timedelta(days=rng.choice([0, 1, 2]))
            fields.append(dict(
                event_type=rng.choice(["ASSAULT", "ASSAULT", "COERCE", "PROTEST"]),
                mode=rng.choice([None, "firearms", "explosives", "suicide-attack", "aerial"]),
                date_start=start if dated else None,
                date_end=start + dt.timedelta(days=rng.choice([0, 0, 1])) if dated else None,
                published=published, country=rng.choice(["AFG", "AFG", "PAK"]), geo_precision=precision,
                lat=34.5 + rng.uniform(0, 0.4) if precision == "point" else None,
                lon=69.2 if precision == "point" else None,
                admin1=rng.choice(["Kabul", "Logar"]), location_name=rng.choice(["Kabul", "Logar", None]),
                actor_name=rng.choice([None, "Taliban", "gunmen", "Islamic State"]),
                actor_sector=rng.choice([None, "REB"]),
                recipient_name=rng.choice([None, "civilians", "police"]),
            ))
        for c in range(rng.choice([1, 1, 2, 6, 7])):
            article = f"t{t:03d}c{c}"
            events.extend(dict(f, event_id=f"{article}e{k}", article_id=article) for k, f in enumerate(fields))
    return events


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("compatible_types", [(), (frozenset({"ASSAULT", "COERCE"}),)])
def test_cluster_equals_comparing_every_pair(seed, compatible_types):
    rules = dataclasses.replace(MergeRules.load(), compatible_types=compatible_types)
    events = _random_events(random.Random(seed), 60)
    found = cluster(events, rules)
    assert _shape(found) == _shape(reference_cluster(events, rules))
    assert any(len(inc.members) >= 6 for inc in found)           # copies did merge
    assert any(len({m["event_type"] for m in inc.members}) > 1 for inc in found) == bool(compatible_types)


def test_cluster_equals_comparing_every_pair_on_the_gold_store(store):
    store.write_batch(gold_pairs())
    events = store.merge_candidates()
    rules = MergeRules.load()
    assert _shape(cluster(events, rules)) == _shape(reference_cluster(events, rules))


def _copy(report: int, copy: int, published: dt.date):
    """Copy `copy` of report `report`: an undated attack on a checkpoint, each report 40 km north of the last."""
    from sitrep.extract.pipeline import finish_events
    from sitrep.ingest.clean import make_article
    from sitrep.model import Place

    aid = f"r{report:02d}-copy{copy}"
    article = make_article(aid, f"Gunmen attacked a checkpoint near the river, police said. Dispatch {aid}.",
                           published=published, outlet=f"Mirror {copy}")
    place = Place(name="Kabul", country="AFG", admin1="Kabul", lat=34.53 + report * 40 / 111.2, lon=69.17,
                  precision="point")
    ev = make_event(article, "attacked", "ASSAULT", location=place, confidence=0.9)
    finish_events(article, [ev])
    return article, [ev]


def test_many_copies_on_one_day_stay_bounded_and_end_in_one_incident(store, monkeypatch):
    reports, copies = 12, 6
    day = dt.date(2024, 3, 5)
    calls = []
    real_compare = grouping.compare

    def counting(a, b, rules):
        calls.append((a["event_id"], b["event_id"]))
        return real_compare(a, b, rules)

    # both the grouping and the search for affected stored events compare pairs
    monkeypatch.setattr(grouping, "compare", counting)
    monkeypatch.setattr(maintenance, "compare", counting)
    pairs = {(r, c): _copy(r, c, day) for r in range(reports) for c in range(copies)}
    # half the copies, then the rest: a full clustering first, then an incremental update reaching the stored ones
    store.write_batch([p for (r, c), p in pairs.items() if c < copies // 2])
    update_incidents(store)
    store.write_batch([p for (r, c), p in pairs.items() if c >= copies // 2])
    summary = update_incidents(store)
    assert summary.reclustered == reports * copies
    expected = {frozenset(pairs[(r, c)][1][0].event_id for c in range(copies)) for r in range(reports)}
    by_incident: dict[str, set[str]] = {}
    for event_id, incident_id in store.incident_map().items():
        by_incident.setdefault(incident_id, set()).add(event_id)
    assert {frozenset(g) for g in by_incident.values()} == expected
    # One comparison per pair of distinct reports (and per merge made, for its explanation), not per pair of
    # copies: comparing every pair of the 72 events once would take 2,556.
    n_events = reports * copies
    assert len(calls) <= 3 * reports * reports + n_events < n_events * (n_events - 1) // 2
    before = (store.table("incidents"), store.table("incident_events"))
    monkeypatch.undo()
    recompute_incidents(store)
    assert (store.table("incidents"), store.table("incident_events")) == before

"""The commitment ledger end to end on both store backends: statements read by the real extractor from articles of
our own, hand-built events that follow them, merging across articles, verdicts, links and the status history."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest
from pg import make_event, store, store_url  # noqa: F401 - fixtures

from sitrep.commitments.ledger import update_ledger
from sitrep.incidents import update_incidents
from sitrep.ingest.clean import make_article
from sitrep.model import Casualties, Count, Participant, Place, When
from sitrep.store.commitment_queries import get_commitment, list_commitments


def _article(extractor, aid: str, text: str, published: str, outlet: str = "Test Wire"):
    """The article as the real extractor reads it (its commitment statements), without its events: the events
    each test stores are built by hand, so that the verdict depends only on them."""
    article = make_article(aid, text, published=dt.date.fromisoformat(published), outlet=outlet)
    read, _events = next(iter(extractor.extract_many([article])))
    assert read.commitments, f"no commitment read from {text!r}"
    return read


def _event(article, phrase, event_type="ASSAULT", actor=None, day=None, country=None, killed=None, mode=None,
           actor_country=None, actor_sector=None):
    from sitrep.extract.pipeline import finish_events

    ev = make_event(article, phrase, event_type, mode=mode,
                    actor=Participant(text=actor, name=actor, country=actor_country, sector=actor_sector)
                    if actor else None,
                    date=When(start=day, end=day, precision="day"),
                    location=Place(name=country, country=country, precision="country"),
                    fatalities=Casualties(total=Count(killed, killed, killed)) if killed is not None else None,
                    confidence=0.9)
    return ev


def _store(store, *pairs):
    from sitrep.extract.pipeline import finish_events

    for article, events in pairs:
        finish_events(article, events)
    store.write_batch(list(pairs))
    update_incidents(store)
    return update_ledger(store)


def _only(store, kind: str) -> dict:
    rows = [r for r in list_commitments(store) if r["kind"] == kind]
    assert len(rows) == 1, [(r["holder_name"], r["kind"], r["status"]) for r in list_commitments(store)]
    return get_commitment(store, rows[0]["commitment_id"])


def test_unilateral_ceasefire_extended_then_broken_with_history(store, extractor):
    declared = _article(extractor, "eln-1", "The ELN declared a unilateral ceasefire in Colombia for seven days "
                        "starting on Monday, the group said in a statement.", "2024-05-10")
    attack = make_article("eln-attack", "ELN fighters attacked an army post in Colombia on Wednesday, killing two "
                          "soldiers.", published=dt.date(2024, 5, 23), outlet="Other Wire")
    _store(store, (declared, []), (attack, [_event(attack, "attacked", actor="National Liberation Army",
                                                   actor_country="COL", actor_sector="REB", day="2024-05-22",
                                                   country="COL", killed=2)]))
    first = _only(store, "ceasefire")
    # seven days from Monday 13 May: the attack of 22 May falls after the window, which has closed
    assert (first["start_date"], first["end_date"]) == (dt.date(2024, 5, 13), dt.date(2024, 5, 19))
    assert (first["status"], first["status_rule"]) == ("kept", "no-breach-window-closed")

    extended = _article(extractor, "eln-2", "The ELN extended its unilateral ceasefire in Colombia by another "
                        "seven days, a spokesman said.", "2024-05-18")
    _store(store, (extended, []))
    second = _only(store, "ceasefire")
    assert second["commitment_id"] == first["commitment_id"]
    assert [s["statement"] for s in second["statements"]] == ["declaration", "extension"]
    assert second["end_date"] == dt.date(2024, 5, 26)
    assert (second["status"], second["status_rule"]) == ("broken", "zero-threshold-breached")
    breach = [link for link in second["links"] if link["relation"] == "breach"]
    assert len(breach) == 1 and breach[0]["rule"] == "actor-is-holder" and breach[0]["period"] == "in"
    assert "attacked an army post" in breach[0]["evidence"]["sentence"]
    assert breach[0]["evidence"]["span"] is not None
    # the history grows: the earlier verdict is kept, the new one appended
    assert [(h["seq"], h["status"]) for h in second["history"]] == [(1, "kept"), (2, "broken")]
    _store(store)       # a recheck that changes nothing adds nothing
    assert len(get_commitment(store, first["commitment_id"])["history"]) == 2


def test_mutual_truce_breach_by_either_party_and_baseline(store, extractor):
    truce = _article(extractor, "truce", "Israel and Hamas agreed to a three-day truce in Gaza starting on Friday, "
                     "Egyptian mediators said.", "2024-05-08")
    before = make_article("before", "Israeli aircraft struck a house in Gaza on Tuesday.", published=dt.date(2024, 5, 8))
    during = make_article("during", "Hamas fighters fired rockets at Israel on Saturday.", published=dt.date(2024, 5, 12))
    _store(store, (truce, []),
           (before, [_event(before, "struck", actor="Israel", actor_country="ISR", actor_sector="GOV",
                            day="2024-05-07", country="PSE", killed=3)]),
           (during, [_event(during, "fired", actor="Hamas", actor_country="PSE", actor_sector="REB",
                            day="2024-05-11", country="PSE")]))
    c = _only(store, "ceasefire")
    assert c["record"]["holders"][0]["name"] == "Israel" and c["record"]["holders"][1]["name"] == "Hamas"
    check = c["record"]["check"]
    assert check["window"]["start"] == "2024-05-10" and check["window"]["days"] == 3
    assert check["window"]["baseline_start"] == "2024-05-07"
    assert check["in_window"]["events"] == 1 and check["baseline"]["events"] == 1
    assert check["baseline"]["fatalities"] == {"low": 3, "best": 3, "high": 3}
    assert c["status"] == "broken"


def test_prisoner_release_pledge_partly_kept(store, extractor):
    pledge = _article(extractor, "hostages", "The rebels promised to release 40 hostages in Kaduna by Friday, a "
                      "mediator said.", "2024-05-06")
    freed = make_article("freed", "The rebels freed 12 hostages in Kaduna on Thursday.", published=dt.date(2024, 5, 10))
    holder = pledge.commitments[0].holder
    _store(store, (pledge, []),
           (freed, [_event(freed, "freed", "RETREAT", mode="release", actor="rebels", actor_country=holder.country,
                           actor_sector="REB", day="2024-05-09", country=pledge.commitments[0].pattern.area_country)]))
    c = _only(store, "release_prisoners")
    assert c["threshold"] == "absolute" and c["quantity"] == 40
    assert (c["status"], c["status_rule"]) == ("compromised", "quantity-partly-met")
    assert c["record"]["check"]["quantity_done"] == 12
    assert [link["relation"] for link in c["links"] if link["period"] == "in"] == ["fulfilment"]


def test_conditional_promise_is_untestable(store, extractor):
    cond = _article(extractor, "cond", "The army said it would withdraw from Kidal if the rebels released the "
                    "hostages.", "2024-05-06")
    _store(store, (cond, []))
    c = _only(store, "withdraw")
    assert c["status"] == "untestable" and not c["testable"]
    assert "conditional" in c["record"]["untestable_reason"]


def test_denial_stays_beside_the_claim_it_disputes(store, extractor):
    claim = _article(extractor, "claim", "The ministry said the rebels violated the truce in Idlib by shelling the "
                     "town.", "2024-05-06", outlet="State News")
    denial = _article(extractor, "denial", "The rebels denied breaking the truce in Idlib.", "2024-05-07",
                      outlet="Rebel Radio")
    _store(store, (claim, [_event(claim, "shelling", actor="rebels", actor_sector="REB", day="2024-05-05",
                                  actor_country=claim.commitments[0].holder.country,
                                  country=claim.commitments[0].pattern.area_country)]),
           (denial, []))
    c = _only(store, "ceasefire")
    claims = c["record"]["claims"]
    assert [(x["statement"], x["outlet"]) for x in claims] == [("violation_claim", "State News"),
                                                              ("denial", "Rebel Radio")]
    assert claims[0]["said_by"] == "ministry"
    relations = {link["relation"] for link in c["links"]}
    assert "invocation" in relations        # the shelling is the event the claim itself reports


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "sitrep.cli", *args], capture_output=True, text=True)


def test_example_article_breaches_through_ingest_and_cli(store_url, shared_dir, tmp_path):
    """`sitrep ingest` + `sitrep commitments`: the 30-attack report and the Kunduz attack are breaches of the
    Taliban's promise to 'reduce violence and not increase attacks'."""
    article = shared_dir / "examples" / "helmand-airstrike.txt"
    done = _cli("ingest", str(article), "--published", "2020-03-04", "--db", store_url)
    assert done.returncode == 0, done.stderr
    assert "commitments" in done.stderr
    listing = _cli("commitments", "--db", store_url, "--holder", "AFGREB", "--format", "json")
    assert listing.returncode == 0, listing.stderr
    rows = json.loads(listing.stdout)
    promise = next(r for r in rows if r["kind"] == "reduce_violence")
    assert promise["holder_name"] == "Taliban" and promise["status"] == "broken"
    shown = _cli("commitment", promise["commitment_id"][:8], "--db", store_url, "--format", "json")
    detail = json.loads(shown.stdout)
    breaches = [link["sentence"] for link in detail["links"] if link["relation"] == "breach"]
    assert any("30 attacks" in s for s in breaches) and any("Kunduz" in s for s in breaches)
    assert detail["record"]["statement"]["source"]["said_by"] == "Sonny Leggett"
    untestable = [r for r in rows if r["status"] == "untestable"]
    assert untestable, "the 'committed to act on all parts of the deal' pledge is not testable"
    text = _cli("commitment", promise["commitment_id"], "--db", store_url)
    assert text.returncode == 0 and "Events held against it:" in text.stdout and "Status history:" in text.stdout
    csv_out = tmp_path / "ledger.csv"
    exported = _cli("commitments", "--db", store_url, "--format", "csv", "-o", str(csv_out))
    assert exported.returncode == 0
    assert csv_out.read_text().splitlines()[0].startswith("commitment_id,holder_name,holder_code,kind")


@pytest.mark.parametrize("args,message", [
    (["commitments", "--status", "bogus"], "Error: unknown status 'bogus'"),
    (["commitments", "--format", "xml"], "Error: unknown format 'xml'"),
    (["commitments", "--limit", "0"], "Error: --limit must be between 1"),
    (["commitment", "Cnothing"], "Error: no commitment 'Cnothing'"),
])
def test_cli_errors_are_one_line(tmp_path, args, message):
    db = tmp_path / "s.duckdb"
    from sitrep.store import open_store

    open_store(str(db)).close()
    done = _cli(*args, "--db", str(db))
    assert done.returncode == 1
    assert done.stderr.startswith(message) and done.stderr.count("\n") == 1, done.stderr


def test_cli_missing_database_is_one_line(tmp_path):
    done = _cli("commitments", "--db", str(tmp_path / "none.duckdb"))
    assert done.returncode == 1 and done.stderr.startswith("Error: no database at")

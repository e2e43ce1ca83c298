"""Verdicts and windows on hand-built event rows (check.py), and merging of statement rows (ledger.py)."""
from __future__ import annotations

import datetime as dt

import pytest

from sitrep.commitments.check import check_commitment, load_rules, verdict, window_of
from sitrep.commitments.ledger import merge

D = dt.date


def _entry(**kw):
    base = {"testable": True, "kind": "ceasefire", "start_date": D(2024, 5, 10), "end_date": D(2024, 5, 16),
            "date_precision": "day", "holder": {"name": "Hamas", "country": "PSE", "sector": "REB"},
            "holders": [], "area_country": "PSE", "area_admin1": None, "threshold": "zero", "polarity": "refrain",
            "quantity": None}
    base.update(kw)
    return base


def _ev(eid, day, actor="Hamas", event_type="ASSAULT", country="PSE", killed=None, article="a", incident=None,
        mode=None, sentence="", actor_country="PSE", actor_sector="REB"):
    return {"event_id": eid, "article_id": article, "event_type": event_type, "mode": mode, "date_start": day,
            "date_end": day, "country": country, "admin1": None, "actor_name": actor,
            "actor_country": actor_country if actor else None, "actor_sector": actor_sector if actor else None,
            "fatalities_low": killed, "fatalities_best": killed, "fatalities_high": killed, "sentence": sentence,
            "source_names": None, "published": day, "incident_id": incident, "span": [0, 5]}


def test_window_and_baseline_have_the_same_length():
    rules = load_rules()
    w = window_of(D(2024, 5, 10), D(2024, 5, 12), "day", rules)
    assert (w.start, w.end, w.baseline_start, w.baseline_end, w.days) == \
        (D(2024, 5, 10), D(2024, 5, 12), D(2024, 5, 7), D(2024, 5, 9), 3)
    undated = window_of(D(2020, 3, 4), None, "report", rules)
    assert undated.start == D(2020, 3, 4) - dt.timedelta(days=rules.undated_lookback_days)
    assert undated.days == rules.open_window_days


def test_zero_threshold_broken_by_the_holder_not_by_others():
    rules = load_rules()
    events = [_ev("e1", D(2024, 5, 12), actor="Israel", actor_country="ISR", actor_sector="GOV"),
              _ev("e2", D(2024, 5, 5), killed=2)]
    result = check_commitment(_entry(), events, rules, horizon=D(2024, 5, 30))
    assert (result.status, result.rule) == ("kept", "no-breach-window-closed")
    assert result.baseline.events == 1 and result.baseline.fatalities_best == 2
    events.append(_ev("e3", D(2024, 5, 13), killed=4))
    result = check_commitment(_entry(), events, rules, horizon=D(2024, 5, 14))
    assert (result.status, result.rule) == ("broken", "zero-threshold-breached")
    assert [(eid, rel, period) for eid, rel, _rule, period, _ev in result.links] == \
        [("e2", "baseline", "baseline"), ("e3", "breach", "in")]


def test_reports_of_one_incident_count_once():
    rules = load_rules()
    events = [_ev("e1", D(2024, 5, 12), killed=3, incident="I1"), _ev("e2", D(2024, 5, 12), killed=5, incident="I1",
                                                                      article="b")]
    result = check_commitment(_entry(), events, rules, horizon=None)
    assert result.in_window.events == 1 and len(result.links) == 2
    assert result.in_window.fatalities_best == 3


@pytest.mark.parametrize("in_count,baseline,closed,expected", [
    (5, 2, False, ("broken", "relative-increase")),
    (2, 2, False, ("compromised", "relative-not-reduced")),
    (1, 3, False, ("in_progress", "relative-reduced-so-far")),
    (1, 3, True, ("kept", "relative-reduced")),
])
def test_relative_threshold_verdicts(in_count, baseline, closed, expected):
    assert verdict("breach", "relative", "refrain", in_count, baseline, None, closed, load_rules()) == expected


def test_release_pledge_quantity_from_the_release_events():
    rules = load_rules()
    entry = _entry(kind="release_prisoners", threshold="absolute", quantity=40, polarity="act")
    events = [_ev("r1", D(2024, 5, 11), event_type="RETREAT", mode="release",
                  sentence="The rebels freed 12 of the 40 hostages on Sunday."),
              _ev("r2", D(2024, 5, 13), event_type="RETREAT", mode="release", article="b",
                  sentence="Another 28 hostages were released on Tuesday.")]
    result = check_commitment(entry, events[:1], rules, horizon=None)
    assert (result.status, result.quantity_done) == ("compromised", 12)
    result = check_commitment(entry, events, rules, horizon=None)
    assert (result.status, result.rule, result.quantity_done) == ("kept", "quantity-met", 40)


def test_untestable_commitment_is_not_rated_against_events():
    result = check_commitment(_entry(testable=False, untestable_reason="conditional"), [_ev("e", D(2024, 5, 12))],
                              load_rules(), horizon=None)
    assert result.status == "untestable" and result.links == []


def _row(sid, statement, day, holder="Hamas", kind="ceasefire", **kw):
    rec = {"holders": [{"name": holder, "country": "PSE", "sector": "REB"}] if holder else [],
           "untestable_reason": kw.pop("reason", None), "testable": {"text": kw.pop("open_text", None)}}
    row = {"statement_id": sid, "article_id": sid, "statement": statement, "holder_name": holder,
           "holder_country": "PSE" if holder else None, "holder_sector": "REB" if holder else None,
           "holder_code": "PSEREB" if holder else None, "kind": kind, "polarity": "refrain", "threshold": "zero",
           "quantity": None, "start_date": day, "deadline": None, "duration_days": None, "said_on": day,
           "published": day, "date_precision": "day", "testable": statement != "unspecified",
           "area_country": "PSE", "area_admin1": None, "record": rec}
    row.update(kw)
    return row


def test_merge_across_articles_with_extension_and_claims():
    rows = [_row("s-denial", "denial", D(2024, 5, 12)),
            _row("s-declared", "declaration", D(2024, 5, 10), duration_days=3),
            _row("s-again", "declaration", D(2024, 5, 11), duration_days=3),
            _row("s-extended", "extension", D(2024, 5, 12), duration_days=4),
            _row("s-other", "declaration", D(2024, 5, 10), holder="Israel", holder_code="ISRGOV")]
    entries = merge(rows, load_rules())
    hamas = next(e for e in entries if e["holder"]["name"] == "Hamas")
    assert [s["statement_id"] for s in hamas["statements"]] == ["s-declared", "s-again", "s-extended", "s-denial"]
    assert hamas["end_date"] == D(2024, 5, 12) + dt.timedelta(days=4)
    assert len(entries) == 2


def test_a_point_left_open_makes_the_agreement_untestable_not_a_partys_pledge():
    rows = [_row("s-pledge", "pledge", D(2020, 3, 4), holder="Taliban"),
            _row("s-two", "pledge", D(2020, 3, 4), holder="the two", holder_code=None, holder_country=None,
                 holder_sector=None),
            _row("s-open", "unspecified", D(2020, 3, 4), holder=None, reason="left open",
                 open_text="did not specify violence levels")]
    entries = {e["holder"]["name"]: e for e in merge(rows, load_rules())}
    assert entries["Taliban"]["testable"] is True
    assert entries["the two"]["testable"] is False
    assert "did not specify violence levels" in entries["the two"]["untestable_reason"]

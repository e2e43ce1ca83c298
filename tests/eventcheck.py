"""Small readers of extracted events shared by the tests: the primary event and its tolls."""
from __future__ import annotations


def primary(events):
    return next((e for e in events if e.is_primary), None)


def killed(ev):
    return ev.fatalities.total.best if ev is not None and ev.fatalities and ev.fatalities.total else None


def injured(ev):
    return ev.injuries.total.best if ev is not None and ev.injuries and ev.injuries.total else None

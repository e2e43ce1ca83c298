"""What `sitrep events`, `sitrep incidents` and the API can ask the store for, checked and turned into SQL."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional, Sequence

from ..errors import ConfigError
from ..ingest.readers import parse_date

EVENT_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
    "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
STATUSES = ("reported", "negated", "hypothetical", "future", "historical")
# The largest --limit, --min-fatalities, --min-articles: bigger numbers mean nothing and overflow the databases'
# integers.
MAX_COUNT = 1_000_000_000


def _in_list(ids: Sequence[str]) -> str:
    return "(" + ", ".join("?" * len(ids)) + ")"


@dataclass
class EventFilter:
    """What `sitrep events` can ask for. Dates bound the event's date range (or its article's date)."""

    types: Sequence[str] = ()
    country: Optional[str] = None
    admin1: Optional[str] = None
    actor: Optional[str] = None
    since: Optional[dt.date] = None
    until: Optional[dt.date] = None
    min_fatalities: Optional[int] = None
    search: Optional[str] = None
    status: str = "reported"
    limit: Optional[int] = None

    @classmethod
    def build(cls, *, types=None, country=None, admin1=None, actor=None, since=None, until=None,
              min_fatalities=None, search=None, status="reported", limit=None) -> "EventFilter":
        """Check and normalise user-given filter values; ConfigError on a bad one."""
        if isinstance(types, str):
            types = [t for t in types.split(",") if t.strip()]
        types = tuple(t.strip().upper() for t in (types or ()))
        bad = [t for t in types if t not in EVENT_TYPES]
        if bad:
            raise ConfigError(f"unknown event type {bad[0]!r}; choose from {', '.join(EVENT_TYPES)}")
        status = (status or "reported").lower()
        if status != "all" and status not in STATUSES:
            raise ConfigError(f"unknown status {status!r}; choose from {', '.join(STATUSES)} or all")
        since_d = parse_date(since, where="--since: ")
        until_d = parse_date(until, where="--until: ")
        if since_d and until_d and since_d > until_d:
            raise ConfigError(f"--since {since_d} is after --until {until_d}")
        if min_fatalities is not None and not 0 <= int(min_fatalities) <= MAX_COUNT:
            raise ConfigError(f"--min-fatalities must be between 0 and {MAX_COUNT:,}")
        if limit is not None and not 1 <= int(limit) <= MAX_COUNT:
            raise ConfigError(f"--limit must be between 1 and {MAX_COUNT:,}")
        if country and len(country.strip()) != 3:
            raise ConfigError(f"--country {country!r}: expected an ISO 3166-1 alpha-3 code such as AFG")
        return cls(
            types=types, country=country.strip().upper() if country else None, admin1=admin1, actor=actor,
            since=since_d, until=until_d, min_fatalities=None if min_fatalities is None else int(min_fatalities),
            search=search, status=status, limit=None if limit is None else int(limit),
        )

    def where(self) -> tuple[str, list]:
        """SQL condition and parameters over events `e` joined to their article `a`."""
        return _all_of(
            [(self.status != "all", "e.status = ?", [self.status])]
            + self._conditions("e.", ", a.published")
            + [(bool(self.search), f"(e.sentence ILIKE ? {ESCAPE} OR a.title ILIKE ? {ESCAPE})",
                [contains(self.search)] * 2)]
        )

    def incident_where(self, min_articles: int = 1) -> tuple[str, list]:
        """SQL condition and parameters over the incidents table (status and search do not apply to it)."""
        return _all_of([(True, "n_articles >= ?", [min_articles])] + self._conditions("", ""))

    def _conditions(self, prefix: str, undated: str) -> list[tuple[bool, str, list]]:
        """(applies, SQL, parameters) of the filters events and incidents share. `undated` ends the date
        COALESCEs: an undated event is dated by its article's publication."""
        p = prefix
        return [
            (bool(self.types), f"{p}event_type IN " + _in_list(self.types), list(self.types)),
            (bool(self.country), f"{p}country = ?", [self.country]),
            (bool(self.admin1), f"LOWER({p}admin1) = LOWER(?)", [self.admin1]),
            (bool(self.actor), f"({p}actor_name ILIKE ? {ESCAPE} OR {p}recipient_name ILIKE ? {ESCAPE})",
             [contains(self.actor)] * 2),
            (bool(self.since), f"COALESCE({p}date_end, {p}date_start{undated}) >= ?", [self.since]),
            (bool(self.until), f"COALESCE({p}date_start, {p}date_end{undated}) <= ?", [self.until]),
            (self.min_fatalities is not None, f"COALESCE({p}fatalities_best, 0) >= ?", [self.min_fatalities]),
        ]


# LIKE patterns are built from user text: its % and _ must match themselves, not any text.
ESCAPE = "ESCAPE '\\'"


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains(text: str) -> str:
    """An ILIKE pattern for 'contains this text'."""
    return f"%{like_escape(text or '')}%"


def _all_of(conditions: list[tuple[bool, str, list]]) -> tuple[str, list]:
    """The AND of the conditions that apply (TRUE when none does) and their parameters, in order."""
    used = [(sql, values) for applies, sql, values in conditions if applies]
    return " AND ".join(sql for sql, _ in used) or "TRUE", [v for _, values in used for v in values]

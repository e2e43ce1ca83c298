"""Event dates resolved against the publication date, with UCDP-style precision.

Date expressions are found per sentence (spaCy DATE/TIME entities plus our own patterns for what the model
misses, `data/dates.yaml`), resolved by our own rules (weekdays, yesterday, overnight, last week, March 4,
in 2019 ...) and, for the rare span the rules do not read, by dateparser on that span only. An event takes
the expression nearest its trigger in the dependency tree; an event whose sentence has none takes the date
of the previous dated event in its paragraph, else the days before publication (the publication day for
a text that is one headline).

This stage runs after the StatusResolver, so it also marks as 'historical' reported events dated well
before publication ("in 2001", in an article from 2020), and dates future events forward ("on Monday").
"""
from __future__ import annotations

import calendar
import datetime as dt
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from ..nlp import entities_in
from ..data import load_yaml
from ..model import Event, When, as_date
from .context import DocContext
from .status import elapsed_duration
from .title import is_headline_text

LOGGER = logging.getLogger(__name__)

_ORDINAL = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"((?:1[89]|20)\d\d)"


@dataclass
class DateMention:
    """One date expression in the text, resolved (start/end None when it cannot be)."""
    when: When
    root: int            # token index of the expression's syntactic head
    sent_index: int


@lru_cache(maxsize=1)
def _rules() -> dict:
    raw = load_yaml("dates.yaml")
    weekdays = raw["weekdays"]
    months = raw["months"]
    month_alt = "|".join(sorted(months, key=len, reverse=True))
    weekday_alt = "|".join(sorted(weekdays, key=len, reverse=True))
    # Searching free text, short forms are common words ("sat", "sun", "wed"): full names only, or an
    # abbreviation with its full stop.
    weekday_free = "|".join(sorted((w for w in weekdays if len(w) > 4), key=len, reverse=True)) + "|" + "|".join(
        re.escape(w) + r"\." for w in sorted(weekdays, key=len, reverse=True) if len(w) <= 4)
    relative = []
    for rule in raw["relative"]:
        relative.append((re.compile(rule["pattern"]), rule))
    return {
        "weekdays": weekdays,
        "months": months,
        "relative": relative,
        "ago_units": {k: (int(v[0]), v[1]) for k, v in raw["ago_units"].items()},
        "back": tuple(raw["weekday_back"]),
        "forward": tuple(raw["weekday_forward"]),
        "historical_after": int(raw["historical_after_days"]),
        "undated_window": int(raw["undated_window_days"]),
        "undated_headline": int(raw["undated_headline_days"]),
        "headline_max_words": int(load_yaml("headlines.yaml")["max_words"]),
        "inherit_within": int(raw["inherit_within_sentences"]),
        "period_start": re.compile(r"\b(?:" + "|".join(raw["period_start_words"]) + r")\s*$", re.IGNORECASE),
        # "March 4, 2019", "March 4th", "Feb. 20"
        "month_day": re.compile(rf"\b({month_alt})\.?\s+(?:the\s+)?{_ORDINAL}\b(?:,?\s*{_YEAR}\b)?"),
        # "4 March 2019", "25th of February"
        "day_month": re.compile(rf"\b{_ORDINAL}\s+(?:of\s+)?({month_alt})\b\.?(?:,?\s*{_YEAR}\b)?"),
        # "March 2019", "in March"
        "month_year": re.compile(rf"\b({month_alt})\.?(?:\s+(?:of\s+)?{_YEAR})?\b"),
        "year": re.compile(rf"\b{_YEAR}\b"),
        "iso": re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"),
        "us_numeric": re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{2,4})\b"),
        "weekday": re.compile(rf"\b(?:(this coming|{'|'.join(raw['weekday_back'] + raw['weekday_forward'])})\s+)?"
                              rf"({weekday_alt})\b\.?"),
        "ago": re.compile(r"\b(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
                          r"(days?|weeks?|months?|years?)\s+ago\b"),
        # Expressions spaCy's NER misses, searched in the sentence text to add candidate spans.
        "finder": re.compile(
            "|".join(r.pattern for r, _ in relative)
            + rf"|\b(?:(?:last|next|this coming|past|previous|coming)\s+)?(?:{weekday_free})(?!\w)"
            + rf"|\b(?:{month_alt})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s*(?:1[89]|20)\d\d)?"
            + r"|\bin\s+(?:1[89]|20)\d\d\b"
        ),
    }


_SMALL_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                  "seven": 7, "eight": 8, "nine": 9, "ten": 10}


class DateResolver:
    """Fills event.date (When) for every event; marks old reported events 'historical'."""

    def __init__(self):
        self.rules = _rules()
        self._dateparser = None     # created on first use: most articles never need it

    # ------------------------------------------------------------ stage

    def __call__(self, ctx: DocContext, events: list[Event]) -> None:
        if not events:
            return
        published = _valid_published(ctx)
        mentions_by_sent: dict[int, list[DateMention]] = {}
        for sent_index in sorted({e.sent_index for e in events}):
            mentions_by_sent[sent_index] = self.mentions_in(ctx, sent_index, published, events)
        ordered = sorted(events, key=lambda e: (e.sent_index, e.trigger_index))
        previous: Optional[Event] = None
        for ev in ordered:
            mentions = [m for m in mentions_by_sent.get(ev.sent_index, [])]
            if ev.status == "future":
                # "will meet on Monday": the next Monday, not the last one
                mentions = [self._forward(m, published, ctx) for m in mentions]
            chosen = self._nearest(ctx, ev, mentions)
            if chosen is not None:
                ev.date = _copy(chosen.when)
            elif (previous is not None and previous.date is not None and _same_paragraph(ctx, previous, ev)
                  and ev.sent_index - previous.sent_index <= self.rules["inherit_within"]):
                ev.date = _copy(previous.date)
            else:
                ev.date = self._undated(published, headline=is_headline_text(ctx.article.text,
                                                                                self.rules["headline_max_words"]))
            if ev.date is not None and ev.date.start is not None:
                previous = ev
                self._before_anchor(ctx, ev)
            self._historical(ev, published)

    # ------------------------------------------------------------ finding expressions

    def mentions_in(self, ctx: DocContext, sent_index: int, published: Optional[dt.date],
                    events: list[Event] | None = None) -> list[DateMention]:
        """The date expressions of one sentence, resolved."""
        sent = ctx.sents[sent_index]
        spans: list[tuple[int, int]] = []
        for ent in entities_in(ctx.doc, sent.start, sent.end):
            if ent.label_ in ("DATE", "TIME"):
                spans.append((ent.start_char, ent.end_char))
        text = sent.text.lower()
        for m in self.rules["finder"].finditer(text):
            spans.append((sent.start_char + m.start(), sent.start_char + m.end()))
        out: list[DateMention] = []
        # In a text that is one headline the event is the day's news: "since January 1st" starts the running count
        # it adds to ("488 murders since January 1st"), not its day. (In an article, "held since 2019" or "the
        # first attack since 2015" tell a story's background, which the date keeps historical.)
        headline = is_headline_text(ctx.article.text, self.rules["headline_max_words"])
        for start, end in _longest_first(spans):
            expr = ctx.article.text[start:end]
            if headline and self.rules["period_start"].search(ctx.article.text[max(sent.start_char, start - 20):start]):
                continue
            when, warning = self.resolve(expr, published)
            if when is None:
                continue
            when.span = (start, end)
            when.text = expr
            if warning and events:
                for ev in events:
                    if ev.sent_index == sent_index:
                        ev.warnings.append(warning)
            root = _root_token(ctx.doc, start, end)
            out.append(DateMention(when=when, root=root, sent_index=sent_index))
        return out

    # ------------------------------------------------------------ resolving one expression

    def resolve(self, expr: str, published: Optional[dt.date]) -> tuple[Optional[When], Optional[str]]:
        """(When, warning) for a date expression; (None, None) if it names no date (durations, clock times)."""
        text = " ".join(expr.lower().split())
        r = self.rules
        # Absolute forms resolve without a publication date.
        m = r["iso"].search(text)
        if m:
            return _day_or_warn(int(m.group(1)), int(m.group(2)), int(m.group(3)), expr)
        m = r["us_numeric"].search(text)
        if m:
            year = int(m.group(3))
            year = year + 2000 if year < 100 else year
            return _day_or_warn(year, int(m.group(1)), int(m.group(2)), expr)
        m = r["month_day"].search(text)
        if m:
            return self._month_day(r["months"][m.group(1)], int(m.group(2)), m.group(3), published, expr)
        m = r["day_month"].search(text)
        if m:
            return self._month_day(r["months"][m.group(2)], int(m.group(1)), m.group(3), published, expr)
        for pattern, rule in r["relative"]:
            if pattern.search(text):
                return self._relative(rule, published), None
        m = r["ago"].search(text)
        if m:
            n = int(m.group(1)) if m.group(1).isdigit() else _SMALL_NUMBERS[m.group(1)]
            days, precision = r["ago_units"][m.group(2)]
            if published is None:
                return When(precision="unknown"), None
            day = published - dt.timedelta(days=n * days)
            if precision == "day":
                return _span(day, day, "day"), None
            half = days // 2
            return _span(day - dt.timedelta(days=half), day + dt.timedelta(days=half), precision), None
        m = r["weekday"].search(text)
        if m:
            return self._weekday(r["weekdays"][m.group(2)], m.group(1), published), None
        m = r["month_year"].search(text)
        if m and (m.group(2) or re.search(rf"\b(?:in|of|since|during|until|by|early|mid|late)[\s-]+"
                                          rf"{re.escape(m.group(1))}\b", text)
                  or text.strip(" .") == m.group(1)):
            return self._month(r["months"][m.group(1)], m.group(2), published)
        m = r["year"].search(text)
        if m and not re.search(r"\d\s*(?:years?|-year)", text):
            year = int(m.group(1))
            return _span(dt.date(year, 1, 1), dt.date(year, 12, 31), "year"), None
        if any(w in text for w in r["months"]) and len(text) <= 40:
            return self._fallback(expr, published)
        return None, None

    def _month_day(self, month: int, day: int, year: Optional[str], published: Optional[dt.date], expr: str):
        if year is None:
            if published is None:
                # "on March 4" without a year or a publication date: the day is known, the year is not
                return When(precision="unknown"), None
            year_n = published.year
            try:
                if dt.date(year_n, month, day) > published + dt.timedelta(days=1):
                    year_n -= 1             # "on December 30" in a January article: last year
            except ValueError:
                pass
        else:
            year_n = int(year)
        return _day_or_warn(year_n, month, day, expr)

    def _month(self, month: int, year: Optional[str], published: Optional[dt.date]):
        if year is None:
            if published is None:
                return When(precision="unknown"), None
            year_n = published.year if month <= published.month else published.year - 1
        else:
            year_n = int(year)
        last = calendar.monthrange(year_n, month)[1]
        return _span(dt.date(year_n, month, 1), dt.date(year_n, month, last), "month"), None

    def _weekday(self, weekday: int, modifier: Optional[str], published: Optional[dt.date]) -> When:
        if published is None:
            return When(precision="unknown")
        back = (published.weekday() - weekday) % 7
        if modifier in self.rules["forward"] or modifier == "this coming":
            ahead = (weekday - published.weekday()) % 7 or 7
            day = published + dt.timedelta(days=ahead)
        elif modifier in self.rules["back"]:
            day = published - dt.timedelta(days=back or 7)
        else:
            # the most recent such day on or before publication
            day = published - dt.timedelta(days=back)
        return _span(day, day, "day")

    def _relative(self, rule: dict, published: Optional[dt.date]) -> When:
        if published is None:
            return When(precision="unknown")
        unit = rule.get("unit")
        if unit is None:
            return _span(published + dt.timedelta(days=rule["start"]),
                         published + dt.timedelta(days=rule["end"]), rule["precision"])
        offset = int(rule.get("offset", 0))
        if unit == "week":
            monday = published - dt.timedelta(days=published.weekday()) + dt.timedelta(weeks=offset)
            start, end = monday, monday + dt.timedelta(days=6)
        elif unit == "month":
            y, mth = published.year, published.month + offset
            while mth < 1:
                y, mth = y - 1, mth + 12
            start = dt.date(y, mth, 1)
            end = dt.date(y, mth, calendar.monthrange(y, mth)[1])
        else:
            start, end = dt.date(published.year + offset, 1, 1), dt.date(published.year + offset, 12, 31)
        if rule.get("to_date"):
            end = min(end, published)
        return _span(start, end, unit)

    def _fallback(self, expr: str, published: Optional[dt.date]) -> tuple[Optional[When], Optional[str]]:
        """dateparser on the expression alone, for forms the rules do not read."""
        parser = self._parser()
        if parser is None:
            return None, None
        settings = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["month"]}
        if published is not None:
            settings["RELATIVE_BASE"] = dt.datetime.combine(published, dt.time())
        try:
            parsed = parser.parse(expr, languages=["en"], settings=settings)
        except Exception as exc:            # dateparser raises a variety of errors on odd input
            LOGGER.debug("dateparser failed on %r: %s", expr, exc)
            return None, None
        if parsed is None:
            return None, None
        day = parsed.date()
        return _span(day, day, "day"), None

    def _parser(self):
        if self._dateparser is None:
            try:
                import dateparser
                self._dateparser = dateparser
            except ImportError:
                LOGGER.warning("dateparser is not installed; unusual date expressions stay unresolved")
                self._dateparser = False
        return self._dateparser or None

    # ------------------------------------------------------------ choosing and defaults

    @staticmethod
    def _nearest(ctx: DocContext, ev: Event, mentions: list[DateMention]) -> Optional[DateMention]:
        """The expression closest to the trigger in the dependency tree (then in the text)."""
        resolved = [m for m in mentions if m.when is not None]
        if not resolved:
            return None
        if ev.trigger_index < 0:
            return resolved[0]
        trigger = ctx.doc[ev.trigger_index]
        return min(resolved, key=lambda m: (_tree_distance(trigger, ctx.doc[m.root]),
                                            abs(m.root - ev.trigger_index)))

    def _forward(self, m: DateMention, published: Optional[dt.date], ctx: DocContext) -> DateMention:
        """Re-read a weekday for a future event: 'on Monday' is the coming Monday."""
        if published is None or m.when.precision != "day" or m.when.text is None:
            return m
        wm = self.rules["weekday"].search(m.when.text.lower())
        if not wm or wm.group(1):
            return m
        weekday = self.rules["weekdays"][wm.group(2)]
        ahead = (weekday - published.weekday()) % 7
        day = published + dt.timedelta(days=ahead)
        when = _span(day, day, "day")
        when.text, when.span = m.when.text, m.when.span
        return DateMention(when=when, root=m.root, sent_index=m.sent_index)

    def _undated(self, published: Optional[dt.date], headline: bool = False) -> Optional[When]:
        """The date of an event its text does not date: the days before publication, or for a text that is one
        headline, the news of the day it was published (data/dates.yaml, undated_headline_days)."""
        if published is None:
            return None                         # nothing to say: no date in the text, none for the article
        if headline:
            day = published - dt.timedelta(days=self.rules["undated_headline"])
            return _span(day, day, "day")
        start = published - dt.timedelta(days=self.rules["undated_window"])
        days = (published - start).days + 1
        return _span(start, published, "week" if days >= 7 else "days")

    def _before_anchor(self, ctx: DocContext, ev: Event) -> None:
        """"reopened on Monday, six days after a bombing killed 12": the bombing is six days before Monday."""
        if not 0 <= ev.trigger_index < len(ctx.doc):
            return
        duration = elapsed_duration(ctx.trigger_of(ev))
        if duration is None:
            return
        when, _warning = self.resolve(f"{duration.text} ago", dt.date.fromisoformat(ev.date.start))
        if when is not None and when.start is not None:
            when.text, when.span = duration.text, (duration.start_char, duration.end_char)
            ev.date = when

    def _historical(self, ev: Event, published: Optional[dt.date]) -> None:
        if published is None or ev.status != "reported" or ev.date is None or ev.date.end is None:
            return
        end = dt.date.fromisoformat(ev.date.end)
        if (published - end).days > self.rules["historical_after"]:
            ev.status = "historical"
            ev.confidence = max(0.0, ev.confidence - 0.05)


# ---------------------------------------------------------------- helpers

def _valid_published(ctx: DocContext) -> Optional[dt.date]:
    """The publication date if it is a usable date; a malformed one is treated as unknown, with a warning."""
    pub = ctx.article.published
    date = as_date(pub)
    if date is None and pub not in (None, ""):
        ctx.article.warnings.append(f"publication date not understood: {pub!r}")
    return date


def _span(start: dt.date, end: dt.date, precision: str) -> When:
    return When(start=start.isoformat(), end=end.isoformat(), precision=precision)


def _day_or_warn(year: int, month: int, day: int, expr: str) -> tuple[Optional[When], Optional[str]]:
    """A calendar day, or the month with a warning when the day does not exist ('February 30')."""
    try:
        d = dt.date(year, month, day)
        return _span(d, d, "day"), None
    except ValueError:
        if 1 <= month <= 12 and 1 <= year <= 9999:
            last = calendar.monthrange(year, month)[1]
            return (_span(dt.date(year, month, 1), dt.date(year, month, last), "month"),
                    f"impossible date '{expr}': kept the month only")
        return When(precision="unknown"), f"impossible date '{expr}'"


def _longest_first(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Non-overlapping spans, preferring longer ones, in text order."""
    kept: list[tuple[int, int]] = []
    for s in sorted(set(spans), key=lambda x: (-(x[1] - x[0]), x[0])):
        if all(s[1] <= k[0] or s[0] >= k[1] for k in kept):
            kept.append(s)
    return sorted(kept)


def _root_token(doc, start: int, end: int) -> int:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return 0
    return span.root.i


def _tree_distance(a, b) -> int:
    """Number of dependency arcs between two tokens of one sentence."""
    if a.i == b.i:
        return 0
    path_a = [a] + list(a.ancestors)
    depth = {t.i: n for n, t in enumerate(path_a)}
    for n, t in enumerate([b] + list(b.ancestors)):
        if t.i in depth:
            return n + depth[t.i]
    return 99


def _same_paragraph(ctx: DocContext, a: Event, b: Event) -> bool:
    between = ctx.article.text[a.sentence_span[0]:b.sentence_span[0]]
    return "\n" not in between


def _copy(w: When) -> When:
    return When(start=w.start, end=w.end, precision=w.precision, text=w.text, span=w.span)

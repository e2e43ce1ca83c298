"""Well-known political people (data/people.yaml): who a name refers to when the article does not say.

Read by resolve.actors after the article's own words: a match only fills the country and sector the text left
unsaid. Names are looked up three ways: a full name ("Hosni Mubarak"), a fuller form of a known name whose first
name agrees ("Mohammed Hosni Mubarak"), and a short form ("Mubarak") - alone only when the dictionary allows it,
after a title always. A short form shared by several people goes to the one in office in the article's year; if
they still disagree on the country, nothing is returned.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from ..data import load_yaml
from ..errors import LexiconError

# Years of slack either side of a role's span: wire copy about a new leader predates the inauguration, and
# copy about an old one follows it.
SLACK_YEARS = 1
# Sectors of people who run states, armed groups and movements: a title from one of them ("General
# Musharraf", "Ayatollah Khomeini") may name a person the dictionary files under another. A police,
# judicial or legislative title ("Sheriff Johnson", "Senator Johnson") names someone else.
POLITICAL_SECTORS = frozenset({"GOV", "MIL", "REB", "OPP", "PTY", "ELI", "REL", "SPY"})
ENTRY_KEYS = frozenset({"name", "variants", "surname", "titled", "country", "sector", "role", "org", "from", "to",
                        "wikidata", "roles"})
ROLE_KEYS = frozenset({"role", "country", "sector", "org", "from", "to"})
_ROMAN = re.compile(r"^(?:[IVX]+|[Jj]r\.?|[Ss]r\.?)$")
_ARTICLE_PREFIX = re.compile(r"\b(?:al|el)[-‐](?=\w)", re.IGNORECASE)


@dataclass(frozen=True)
class PersonRole:
    person: int                     # index of the person in people.yaml: one person's roles share it
    name: str                       # canonical name of the person
    country: Optional[str]
    sector: Optional[str]
    org: Optional[str]              # the international body of a person whose country is null
    role: str                       # the office in lower-case words
    start: Optional[int]
    end: Optional[int]              # None: still in it
    wikidata: Optional[str]

    def held_in(self, year: int, slack: int = SLACK_YEARS) -> bool:
        start = self.start if self.start is not None else -10_000
        end = self.end if self.end is not None else 10_000
        return start - slack <= year <= end + slack

    def distance(self, year: int) -> int:
        if self.start is not None and year < self.start:
            return self.start - year
        if self.end is not None and year > self.end:
            return year - self.end
        return 0


@dataclass(frozen=True)
class PeopleLexicon:
    full: dict                      # normalised full name -> tuple of PersonRole
    short: dict                     # normalised short form usable alone -> tuple of PersonRole
    titled: dict                    # normalised short form usable only after a title -> tuple of PersonRole
    first_words: dict               # person index -> frozenset of normalised first words of their names


@dataclass(frozen=True)
class PersonMatch:
    """What the dictionary says about a name: one person (name set) or several who agree on the country."""

    name: Optional[str]
    country: Optional[str]
    sector: Optional[str]           # None when the candidates disagree or none held a role that year
    org: Optional[str]
    wikidata: Optional[str]


def normalise_name(text: str) -> str:
    """Lower case, no accents, hyphens or full stops, no possessive, no Arabic article: "al-Assad's" -> "assad"."""
    text = unicodedata.normalize("NFKD", text.strip())
    text = "".join(c for c in text if not unicodedata.combining(c)).replace("’", "'")
    if text.endswith("'s") or text.endswith("'S"):
        text = text[:-2]
    text = _ARTICLE_PREFIX.sub(" ", text)
    text = re.sub(r"[-‐–.,\"]", " ", text).lower()
    words = text.split()
    # "Tamim bin Hamad Al Thani" = "Tamim bin Hamad Thani"; a first "Al" is a name ("Al Gore").
    return " ".join(w for k, w in enumerate(words) if k == 0 or w not in ("al", "el"))


def _default_short(names: list[str]) -> list[str]:
    out = []
    for n in names:
        words = [w for w in n.split() if not _ROMAN.match(w)]
        if len(words) > 1:
            out.append(words[-1])
    return out


@lru_cache(maxsize=1)
def load_people() -> PeopleLexicon:
    data = load_yaml("people.yaml")
    full: dict[str, list] = {}
    short: dict[str, list] = {}
    titled: dict[str, list] = {}
    first_words: dict[int, frozenset] = {}
    try:
        for idx, row in enumerate(data["people"]):
            name = str(row["name"])
            variants = [str(v) for v in row.get("variants") or []]
            roles_rows = row.get("roles") or [row]
            # A comma inside a flow mapping starts a new key ("role: king, then president"): say so at load time.
            unknown = (set(row) - ENTRY_KEYS) | ({k for r in row.get("roles") or [] for k in r} - ROLE_KEYS)
            if unknown:
                raise ValueError(f"{name}: unknown fields {sorted(map(str, unknown))}")
            roles = tuple(
                PersonRole(person=idx, name=name, country=r.get("country"), sector=r.get("sector"), org=r.get("org"),
                           role=str(r.get("role") or "").lower(), start=r.get("from"), end=r.get("to"),
                           wikidata=row.get("wikidata"))
                for r in roles_rows)
            for r in roles:
                if r.country is None and r.org is None:
                    raise ValueError(f"{name}: a role without a country needs an org")
            forms = [name, *variants]
            for f in forms:
                full.setdefault(normalise_name(f), []).extend(roles)
            if "surname" in row or "titled" in row:
                alone = [str(s) for s in row.get("surname") or []]
                after_title = [str(s) for s in row.get("titled") or []]
            else:
                alone, after_title = _default_short(forms), []
            for s in dict.fromkeys(normalise_name(s) for s in alone):
                short.setdefault(s, []).extend(roles)
            for s in dict.fromkeys(normalise_name(s) for s in after_title):
                titled.setdefault(s, []).extend(roles)
            first_words[idx] = frozenset(normalise_name(f).split()[0] for f in forms if normalise_name(f))
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise LexiconError(f"people.yaml is malformed: {exc!r}") from exc
    freeze = lambda d: {k: tuple(v) for k, v in d.items()}  # noqa: E731
    return PeopleLexicon(full=freeze(full), short=freeze(short), titled=freeze(titled), first_words=first_words)


def _role_for(roles: list[PersonRole], year: Optional[int]) -> tuple[PersonRole, bool]:
    """The role a person held in `year` (and whether they held one): the nearest one in time otherwise; without
    a year, the last one listed."""
    if year is None:
        return roles[-1], True
    held = [r for r in roles if r.held_in(year)]
    if held:
        # An exact fit beats one that only fits with the slack: "2009" is Obama's, not Bush's.
        return min(held, key=lambda r: (r.distance(year), -roles.index(r))), True
    return min(roles, key=lambda r: (r.distance(year), -roles.index(r))), False


def _resolve(candidates, year: Optional[int]) -> Optional[PersonMatch]:
    by_person: dict[int, list] = {}
    for r in candidates:
        by_person.setdefault(r.person, []).append(r)
    if not by_person:
        return None
    if year is not None and len(by_person) > 1:
        # A shared name goes to whoever held a role that year, if anyone did.
        in_office = {p: rs for p, rs in by_person.items() if any(r.held_in(year) for r in rs)}
        if in_office:
            by_person = in_office
            # Of several in office, the one whose term contains the year itself, if that settles it.
            exact = {p: rs for p, rs in by_person.items() if any(r.distance(year) == 0 for r in rs)}
            by_person = exact or by_person
    chosen = [_role_for(rs, year) for rs in by_person.values()]
    homes = {(r.country, r.org if r.country is None else None) for r, _ in chosen}
    if len(homes) != 1:
        return None
    country, org = next(iter(homes))
    sectors = {r.sector for r, _ in chosen}
    in_office = all(held for _, held in chosen)
    sector = next(iter(sectors)) if len(sectors) == 1 and in_office else None
    one = chosen[0][0] if len(chosen) == 1 else None
    return PersonMatch(name=one.name if one else None, country=country, sector=sector, org=org,
                       wikidata=one.wikidata if one else None)


def match_person(lex: PeopleLexicon, text: str, year: Optional[int] = None, title: Optional[str] = None,
                 title_sector: Optional[str] = None, titled: bool = False) -> Optional[PersonMatch]:
    """The dictionary's reading of a person's name as the article writes it.

    `titled` says a title stands before the name in the text ("President Mubarak"); `title` is that title in
    lower-case words ("president") and `title_sector` its sector, used to prefer the person whose office it is.
    """
    key = normalise_name(text)
    if not key:
        return None
    words = key.split()
    if key in lex.full:
        return _resolve(lex.full[key], year)
    if len(words) > 1:
        # "Mohammed Hosni Mubarak", "Muammar Abu Minyar al-Gaddafi": a longer form of a name we know, when the
        # first names agree. Any other first name is somebody else ("Michelle Obama").
        for i in range(1, len(words)):
            tail = " ".join(words[i:])
            pool = [r for r in lex.short.get(tail, ()) + lex.titled.get(tail, ())
                    if words[0] in lex.first_words[r.person]]
            if pool:
                return _resolve(pool, year)
        return None
    pool = list(lex.short.get(key, ()) + lex.titled.get(key, ()))
    if not pool:
        return None
    if titled:
        if title_sector is not None and title_sector in POLITICAL_SECTORS:
            pool = [r for r in pool if r.sector in POLITICAL_SECTORS]
        elif title_sector is not None:
            pool = [r for r in pool if r.sector == title_sector]
        # "Prime Minister Sharif" is the prime minister, not the general; "General Musharraf" the army chief.
        if title:
            office = re.compile(r"\b" + re.escape(title) + r"\b")
            pool = [r for r in pool if office.search(r.role)] or pool
        if title_sector is not None:
            pool = [r for r in pool if r.sector == title_sector] or pool
        return _resolve(pool, year)
    # Alone, a short form must be one the dictionary lets stand alone for everyone it may name that year.
    alone = {r.person for r in lex.short.get(key, ())}
    if year is not None:
        persons = {r.person for r in pool if r.held_in(year)} or {r.person for r in pool}
    else:
        persons = {r.person for r in pool}
    if not persons <= alone:
        return None
    return _resolve([r for r in pool if r.person in persons], year)

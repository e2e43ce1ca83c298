"""The names a text writes for the divisions it names: analysts' spelling wins over the index's.

GeoNames and the packages the index is built from spell many first- and second-level divisions in a local or
older form ("Lower Shabeelle", "Hiiran", "Hessen", "Tombouctou", "Bajaur Agency"). When the text itself names
the division ("near Afgooye, in Lower Shabelle region", "X village (Bulo Burte district, Hiraan region)"), the
place's admin1/admin2 take the text's spelling: the convention of whoever wrote it (ACLED's notes, a wire
desk) is the one the reader of the output uses. The resolution (ids, coordinates) is the index's all the same.

The notes convention "X (Y, Z)" also writes the district Y that the index may lack ("Mukondi (Beni, North
Kivu)" with no Beni district in the index): Y is then the place's admin2 as written, when Z is the first-level
unit that holds the place.
"""
from __future__ import annotations

from typing import Optional

from ...resolve.district_names import load_district_names
from ...resolve.gazetteer import KIND_ADMIN1, KIND_ADMIN2, KIND_PLACE, GeoEntry, name_key
from ...resolve.town_names import load_town_names
from .mention import Mention


def written_units(mentions: list[Mention], articles: frozenset = frozenset()) -> dict[int, str]:
    """GeoNames id of each division the text names -> the name as the text writes it (without its kind word or
    direction), for divisions written in a spelling other than the index's."""
    out: dict[int, str] = {}
    for m in mentions:
        e = m.resolved
        if e is None or e.kind not in (KIND_ADMIN1, KIND_ADMIN2) or m.role == "demonym" or m.country_name:
            continue
        name = _clean(m.name_text or m.text)
        if name is None or name_key(name) in (name_key(e.name), name_key(_without_article(e.name, articles))):
            continue            # the same name, or the text drops its Arabic article ("Anbar" of "Al Anbar")
        if _words(name)[:len(_words(e.name))] == _words(e.name):
            continue            # the name and more ("Texas Department" of Public Safety): no other spelling
        if _part_of_compound(name, e.name):
            continue            # one of two names joined, not a spelling of both ("Kashmir" of Jammu and Kashmir)
        if e.kind == KIND_ADMIN2 and load_district_names().is_spelling_of(e.country, name, e.name):
            continue            # a spelling the district table lists: its English name is the output
        out.setdefault(e.geonames_id, name)
    return out


def _single_letters(key: str) -> str:
    """A folded key with doubled letters made single: 'daraa' -> 'dara'."""
    return "".join(ch for k, ch in enumerate(key) if k == 0 or key[k - 1] != ch)


def _words(name: str) -> list:
    return [name_key(w) for w in name.replace("-", " ").split()]


def _part_of_compound(written: str, name: str) -> bool:
    """'Kashmir' of 'Jammu and Kashmir', 'Ramallah' of 'Ramallah and al-Bireh'."""
    parts = [name_key(p) for p in name.replace(" & ", " and ").split(" and ")]
    return len(parts) > 1 and name_key(written) in parts


def _without_article(name: str, articles: frozenset) -> str:
    """'Al Anbar' -> 'Anbar', 'Ad-Dali' -> 'Dali' (articles: places.yaml arabic_articles)."""
    first, sep, rest = name.replace("-", " ", 1).partition(" ")
    return rest if sep and first.lower() in articles and len(rest) > 2 else name


def _clean(name: str) -> Optional[str]:
    """A written name fit to output: starts with a capital, is not shouted, and no possessive ("Helmand's")."""
    name = name.strip()
    for tail in ("'s", "’s"):
        if name.endswith(tail):
            name = name[:-len(tail)]
    if len(name) < 3 or not name[0].isupper() or (name.isupper() and len(name) > 4):
        return None
    return name


def written_admin(e: GeoEntry, written: dict[int, str]) -> tuple[Optional[str], Optional[str]]:
    """(admin1, admin2) of an entry, each in the text's spelling where the text names that division."""
    admin1 = written.get(e.admin1_id, e.admin1) if e.admin1_id is not None else e.admin1
    admin2 = written.get(e.admin2_id, e.admin2) if e.admin2_id is not None else e.admin2
    return admin1, admin2


def written_district(m: Mention, admin1_id: Optional[int]) -> Optional[str]:
    """'X (Y, Z)' or 'X, Y, Z' where the index has no Y but Z is the first-level unit holding the place: Y as
    written, the place's second-level unit by the notes convention."""
    if admin1_id is None:
        return None
    c = m.container
    for _ in range(3):
        if c is None:
            return None
        up = c.container
        if c.resolved is None and up is not None and up.resolved is not None and up.resolved.kind == KIND_ADMIN1 \
                and up.resolved.geonames_id == admin1_id and m.role == "place" and (c.bracketed or c.kind_hint):
            return _clean(c.bare_text or c.name_text or c.text)
        c = up
    return None


def written_place_name(m: Mention, articles: frozenset = frozenset()) -> Optional[str]:
    """The name of a town or village as the text writes it, where that spelling is the one to output:
    - the notes convention "X village (District, Region)": whoever coded the note spelled X as they name the
      place (ACLED's notes, "Bulo Burte town (Bulo Burte district, Hiraan region)" where GeoNames has
      "Buulobarde");
    - the written name is the index's but for a letter it doubles ("Daraa" for "Dara");
    - the index's name is the written one with an article before it or a qualifier after it ("At Tarmiyah",
      "Hanau am Main", "Ixtapa-Zihuatanejo" for "Tarmiyah", "Hanau", "Zihuatanejo"): the short form is the
      name in use;
    - the text spells the town as the English name of the province it gives its name to ("Daraa city", where the
      index has "Dar'a" for the city and "Daraa" for the governorate).
    None when the index's own name is to be output."""
    e = m.resolved
    if e is None or e.kind != KIND_PLACE or m.role == "demonym":
        return None
    name = _clean(m.name_text or m.text)
    if name is None or name_key(name) == name_key(e.name) or name.isupper():
        return None
    if listed_town_spelling(e, name):
        return None             # a spelling the town table lists ("Korat"): its English name is the output
    if e.admin1 and name_key(name) == name_key(e.admin1):
        return name                 # "Daraa city" (index "Dar'a"), named as its province is: the English name
    words = name.split()
    core = " ".join(words[:-1]) if len(words) > 1 and words[-1].islower() else name     # "Daraa city"
    if _single_letters(name_key(core)) == _single_letters(name_key(e.name)) \
            and len(name_key(core)) > len(name_key(e.name)):
        # the same name but for a letter the text doubles ("Daraa" where the index writes "Dara", from "Dar'a",
        # its ayn dropped): the text's spelling is the one in use. (Not a final "h": "Nassiriya" is no better a
        # spelling than the index's "Nasiriyah".)
        return core
    if m.role != "place":
        return None
    if m.notes_hierarchy:
        return name
    written = name.replace("-", " ").split()
    own = e.name.replace("-", " ").split()
    if len(own) > len(written):
        if own[-len(written):] == written and (len(own) - len(written) == 1 and own[0].lower() in articles
                                               or "-" in e.name):
            return name             # "At Tarmiyah", "Ixtapa-Zihuatanejo"
        if own[:len(written)] == written and own[len(written)][:1].islower():
            return name             # "Hanau am Main"
    return None


def listed_town_spelling(e: GeoEntry, written: str) -> bool:
    """Whether the town table (data/town_names.yaml) lists `written` as a spelling of the town `e`: then the
    table's English name is the output, not the text's spelling ("Korat", "Wad Medani", "Chattogram")."""
    return e.kind == KIND_PLACE and load_town_names().is_spelling_of(e.country, written, e.name)

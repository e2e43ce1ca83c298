"""English conventional names for GeoNames features, from their canonical name and alternate names.

GeoNames' canonical names are local romanisations ("Ḩamāh", "Luhanska oblast", "Ma’rib", "Acapulco de Juárez");
what analysts write is "Hamah", "Luhansk", "Marib", "Acapulco". The packages the index is built from carry no
language tags on alternate names, so the English form is read from their shape (rules and word lists in
data/place_names.yaml):

1. a hand-set override;
2. for a division, an alternate name with an English type word ("Hamah Governorate", "Luhansk Oblast",
   "State of Mexico") without that word; when several, the one closest to the canonical name; when it spells
   the canonical name, the canonical one without transliteration marks (keeps its spacing: "Al Hasakah");
3. a short form GeoNames lists that the canonical name starts with, before a linking word
   ("Michoacán de Ocampo" -> "Michoacán", "Zamora de Hidalgo" -> "Zamora");
4. the canonical name without scholarly transliteration marks ("Mahārāshtra" -> "Maharashtra").
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional

from ..data import load_yaml
from ..errors import LexiconError


@dataclass(frozen=True)
class NameRules:
    type_words: frozenset
    type_prefixes: tuple
    not_a_name: frozenset
    positions: frozenset
    foreign_type_words: frozenset
    native_prefixes: tuple
    short_form_links: tuple
    marks: frozenset
    ayn_hamza: str
    overrides: dict
    admin2_kind_words: frozenset = frozenset()
    admin2_kind_prefixes: tuple = ()


@lru_cache(maxsize=1)
def load_name_rules() -> NameRules:
    data = load_yaml("place_names.yaml")
    try:
        return NameRules(
            type_words=frozenset(w.lower() for w in data["english_type_words"]),
            type_prefixes=tuple(p.lower() + " " for p in data["english_type_prefixes"]),
            not_a_name=frozenset(w.lower() for w in data["not_a_name"]),
            positions=frozenset(w.lower() for w in data.get("english_positions") or ()),
            foreign_type_words=frozenset(w.lower() for w in data.get("foreign_type_words") or ()),
            native_prefixes=tuple(sorted((p + " " for p in data.get("native_type_prefixes") or ()),
                                         key=len, reverse=True)),
            short_form_links=tuple(data["short_form_links"]),
            marks=frozenset(chr(int(c)) for c in data["transliteration_marks"]),
            ayn_hamza="".join(data["ayn_hamza"]),
            overrides=dict(data.get("overrides") or {}),
            admin2_kind_words=frozenset(w.lower() for w in data.get("admin2_kind_words") or ()),
            admin2_kind_prefixes=tuple(p + " " for p in data.get("admin2_kind_prefixes") or ()),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise LexiconError(f"place_names.yaml is malformed: {exc!r}") from exc


def fold(text: str) -> str:
    """Letters and digits only, casefolded, accents dropped: the comparison key of two spellings."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in folded if ch.isalnum() and not unicodedata.combining(ch))


def plain(name: str, rules: Optional[NameRules] = None) -> str:
    """The name without transliteration marks and inner ayn/hamza letters: 'Ma’rib' -> 'Marib',
    'Ḩamāh' -> 'Hamah', 'Diyālá' -> 'Diyala', 'N’Djamena' unchanged, 'Nuevo León' unchanged."""
    rules = rules or load_name_rules()
    if name.isascii() and not any(ch in name for ch in rules.ayn_hamza):
        return name         # most names: nothing to drop
    decomposed = unicodedata.normalize("NFD", name)
    if any(ch in rules.marks for ch in decomposed):
        # a scholarly romanisation ("Diyālá"): its other accents are transliteration too
        kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    else:
        kept = decomposed
    text = unicodedata.normalize("NFC", kept)
    if rules.ayn_hamza:
        marks = re.escape(rules.ayn_hamza)
        # between two lower-case letters, or at a word's start or end ("‘Adan" -> "Adan", "Şanʻā’" -> "Sana")
        text = re.sub(rf"(?<=[^\W\d_])[{marks}](?=[^\W\d_A-Z])", "", text)
        text = re.sub(rf"(?:(?<=\s)|^)[{marks}](?=\w)|(?<=\w)[{marks}](?=\s|$)", "", text)
    return text


def strip_type(name: str, rules: Optional[NameRules] = None) -> tuple[str, bool]:
    """('Hamah', True) for 'Hamah Governorate' or 'Governorate of Hamah'; (name, False) when it has no English
    type word, or when what is left is no name on its own ('Northern District')."""
    rules = rules or load_name_rules()
    words = name.split()
    low = name.lower()
    core = None
    for prefix in rules.type_prefixes:
        if low.startswith(prefix):
            core = name[len(prefix):].strip()
            break
    if core is None and len(words) >= 2 and words[-1].lower() in rules.type_words:
        core = " ".join(words[:-1])
    if not core or core.lower() in rules.not_a_name:
        return name, False
    return core, True


def _strip_foreign_type(name: str, rules: NameRules) -> str:
    """'Kurskaya oblast\'' -> 'Kurskaya', 'Kursk vilayəti' -> 'Kursk'; the name itself when it has no such word."""
    words = name.split()
    if len(words) >= 2 and words[-1].lower().strip("'’") in rules.foreign_type_words:
        return " ".join(words[:-1])
    return name


def _latin(name: str) -> bool:
    decomposed = unicodedata.normalize("NFKD", name)
    return all(ord(ch) < 0x2B0 or unicodedata.combining(ch) or ch in "’‘ʻʼʾʿ" for ch in decomposed)


def short_forms(native: str, aliases: Iterable[str], rules: Optional[NameRules] = None) -> list[str]:
    """Alternate names the canonical one starts with before a linking word: 'Zamora de Hidalgo' -> ['Zamora']."""
    rules = rules or load_name_rules()
    out = []
    for a in aliases:
        if len(a) >= len(native) or not native.startswith(a):
            continue
        a = a.strip()
        if len(a) < 3 or not a[0].isupper():
            continue
        if any(native.startswith(a + link) for link in rules.short_form_links):
            out.append(a)
    return out


def english_name(native: str, aliases: Iterable[str], division: bool, country: Optional[str] = None,
                 rules: Optional[NameRules] = None) -> str:
    """The English conventional name of a feature (see the module docstring for the order of the rules)."""
    rules = rules or load_name_rules()
    override = rules.overrides.get(f"{country} | {native}")
    if override:
        return override
    base = plain(native, rules)
    if division:
        aliases = [a.strip() for a in aliases if a and a.strip() and _latin(a.strip())]
        core_native = plain(strip_type(native, rules)[0], rules)
        # "North Kivu" for "Nord-Kivu": a translated name opens with an English position word the native lacks
        first = re.split(r"[\s-]", native, maxsplit=1)[0].lower()
        translated = [plain(strip_type(a, rules)[0], rules) for a in aliases
                      if a.split()[0].lower() in rules.positions and first not in rules.positions
                      and len(a.split()) >= 2 and a.isascii()]
        if translated:
            # several spellings: the one closest to the canonical ("Middle Shabeelle" for "Shabeellaha Dhexe")
            target = fold(native)
            return max(translated, key=lambda t: (difflib.SequenceMatcher(None, fold(t), target).ratio(), -len(t)))
        english = []            # (name to output, its core without a type word)
        for a in aliases:
            core, typed = strip_type(a, rules)
            if typed and core[0].isupper():
                english.append((plain(core, rules), plain(core, rules)))
            elif len(a.split()) == 2 and a.split()[-1].lower() in rules.type_words \
                    and a.split()[0].lower() in rules.not_a_name:
                english.append((a, a.split()[0]))   # "Northern District": the type word is part of the name
        foreign_core = _strip_foreign_type(core_native, rules)
        if not english and foreign_core != core_native:
            # "Kurskaya oblast'": a local form; an alias in another language with a type word gives the bare name
            # (only one the local form starts with: "Kursk" of "Kurskaya", not the Azeri "Belqorod")
            for a in aliases:
                core = _strip_foreign_type(a, rules)
                if core != a and core[:1].isupper() and len(fold(core)) >= 4 \
                        and fold(foreign_core).startswith(fold(core)):
                    english.append((plain(core, rules), plain(core, rules)))
            core_native = foreign_core
        if english:
            target = fold(core_native)
            if any(fold(core) == target for _, core in english):
                return core_native if _latin(core_native) else english[0][0]
            # the closest spelling to the canonical one ("Hamah" over "Hama" for "Ḩamāh"), then the shortest
            return max(english, key=lambda e: (difflib.SequenceMatcher(None, fold(e[1]), target).ratio(),
                                               -len(e[0])))[0]
        for prefix in rules.native_prefixes:
            if native.startswith(prefix) and len(native) > len(prefix) + 2:
                return plain(native[len(prefix):], rules)     # "Amphoe Rueso" -> "Rueso"
    shorts = short_forms(native, aliases, rules)
    if shorts:
        return plain(min(shorts, key=len), rules)
    return base


def bare_district_name(name: str, rules: Optional[NameRules] = None) -> str:
    """A second-level unit's name without the kind word the index carries: 'Al Tarmia District' -> 'Al Tarmia',
    'Qada Samarra' -> 'Samarra'; unchanged when what is left is no name on its own ('Central District')."""
    rules = rules or load_name_rules()
    core = name
    for prefix in rules.admin2_kind_prefixes:
        if core.startswith(prefix) and len(core) > len(prefix) + 2:
            core = core[len(prefix):]
            break
    words = core.split()
    if len(words) >= 2 and words[-1].lower() in rules.admin2_kind_words:
        core = " ".join(words[:-1])
    if core.lower() in rules.not_a_name or len(fold(core)) < 3:
        return name
    return core

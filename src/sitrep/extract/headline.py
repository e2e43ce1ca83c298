"""Headline grammar: Title Case and ALL CAPS lines are parsed from a sentence-cased copy.

spaCy's small model reads "Gunmen Attack Plateau Community, Kill Traditional Ruler" as one long name, so no
trigger is a verb. `parse_copy(text)` returns a copy of the text, of the same length, in which the common words of
such lines are lower-cased (data/headlines.yaml says how a line is recognised and which words keep their
capitals); `with_original_words(doc, text)` puts the original words back under the copy's annotations, so every
offset and every word the later stages read is the article's own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from spacy.tokens import Doc

from ..data import load_yaml
from ..resolve.countries import load_countries

_WORD = re.compile(r"[^\W\d_]+")
_LINE = re.compile(r"[^\n]+")


@dataclass(frozen=True)
class HeadlineRules:
    max_words: int
    min_long_words: int
    title_case_share: float
    function_words: frozenset[str]
    place_suffixes: frozenset[str]
    locative_preps: frozenset[str]
    passive_when_objectless: frozenset[str]
    participles_read_as_nouns: dict     # form -> verb lemma ("shot" -> "shoot")
    names: frozenset[str]           # words of names sitrep knows, lower-cased: they keep their capitals
    common: frozenset[str]          # common English words (the lemmatizer's lists), lower-cased
    verbs: frozenset[str]           # the verbs among them


@lru_cache(maxsize=4)
def load_rules(common: frozenset[str] = frozenset(), verbs: frozenset[str] = frozenset()) -> HeadlineRules:
    spec = load_yaml("headlines.yaml")
    countries = load_countries()
    actors = load_yaml("actors.yaml")["actors"]
    names: set[str] = set()
    surfaces = list(countries.names) + list(countries.demonyms) + list(countries.metonyms)
    for row in actors:
        surfaces += [row["name"], *(row.get("aliases") or [])]
    for surface in surfaces:
        words = [w.lower() for w in _WORD.findall(str(surface)) if w[:1].isupper()]
        # a one-word name keeps its capital ("Myanmar", "Taliban"); the common words of longer names do not
        # ("Resistance" of "Islamic Resistance Movement", "New" of "New Zealand")
        names.update(words if len(words) == 1 else (w for w in words if w not in common))
    return HeadlineRules(
        max_words=int(spec["max_words"]),
        min_long_words=int(spec["min_long_words"]),
        title_case_share=float(spec["title_case_share"]),
        function_words=frozenset(str(w).lower() for w in spec["function_words"]),
        place_suffixes=frozenset(str(w).lower() for w in spec["place_suffixes"]),
        locative_preps=frozenset(str(w).lower() for w in spec["locative_preps"]),
        passive_when_objectless=frozenset(str(w).lower() for w in spec["passive_when_objectless"]),
        participles_read_as_nouns={str(k).lower(): str(v).lower()
                                   for k, v in (spec.get("participles_read_as_nouns") or {}).items()},
        names=frozenset(names),
        common=common,
        verbs=verbs,
    )


def common_words(nlp) -> tuple[frozenset[str], frozenset[str]]:
    """(common words, common verbs) from the model's own word lists (the lemmatizer's index of nouns, verbs,
    adjectives, adverbs and their irregular forms); empty when the pipeline has none."""
    try:
        lookups = nlp.get_pipe("lemmatizer").lookups
    except (KeyError, AttributeError):
        return frozenset(), frozenset()
    words: set[str] = set()
    verbs: set[str] = set()
    for table_name in ("lemma_index", "lemma_exc"):
        if not lookups.has_table(table_name):
            continue
        table = lookups.get_table(table_name)
        for pos in ("noun", "verb", "adj", "adv"):
            entries = table.get(pos, ())
            found = {str(w).lower() for w in entries if "_" not in str(w)}
            words.update(found)
            if pos == "verb":
                verbs.update(found)
    return frozenset(words), frozenset(verbs)


def _is_common(word: str, rules: HeadlineRules) -> bool:
    low = word.lower()
    if low in rules.function_words:
        return True
    if low in rules.names:
        return False
    if low in rules.common:
        return True
    if low.endswith("ies") and low[:-3] + "y" in rules.common:
        return True
    if low.endswith("men") and low[:-3] + "man" in rules.common:
        return True
    if low.endswith("s") and (low[:-1] in rules.common or (low.endswith("es") and low[:-2] in rules.common)):
        return True
    # "-ed" and "-ing" only from a verb: "Sagaing" is not "saga" + "ing"
    for suffix in ("ed", "d", "ing"):
        if low.endswith(suffix) and len(low) > len(suffix) + 2:
            stem = low[: -len(suffix)]
            if {stem, stem + "e", stem[:-1] if stem[-1:] == stem[-2:-1] else stem} & rules.verbs:
                return True
    return False


def is_headline_line(line: str, rules: HeadlineRules) -> bool:
    words = _WORD.findall(line)
    if not words or len(line.split()) > rules.max_words:
        return False
    # Title Case leaves only function words in lower case ("Troops Advance on the Capital")
    long_words = [w for w in words if len(w) >= 4 and w.lower() not in rules.function_words]
    if len(long_words) < rules.min_long_words:
        return False
    capitalised = sum(1 for w in long_words if w[0].isupper())
    return capitalised / len(long_words) >= rules.title_case_share


def _recase_line(line: str, rules: HeadlineRules) -> str:
    shouted = sum(1 for w in _WORD.findall(line) if w.isupper() and len(w) > 1) >= 0.7 * len(_WORD.findall(line))
    matches = list(_WORD.finditer(line))
    out = list(line)
    previous_kept = False                   # did the word before keep its capital?
    for k, m in enumerate(matches):
        word = m.group(0)
        kept = previous_kept
        previous_kept = True
        if len(word) == 1:
            continue                        # initials: "U.S.", "S. Korea"
        if kept and k > 0 and word.lower() in rules.place_suffixes and word[:1].isupper():
            continue                        # "Karen State"
        following = matches[k + 1].group(0).lower() if k + 1 < len(matches) else ""
        preceding = matches[k - 1].group(0).lower() if k > 0 else ""
        if not shouted and word.isupper() and len(word) > 1:
            continue                        # an acronym in a Title Case line: KIO, CJNG
        if following in rules.place_suffixes and word[:1].isupper() and word.lower() not in rules.function_words:
            new = word[:1] + word[1:].lower()     # "Kachin State"
        elif preceding in rules.locative_preps and not shouted and word.lower() not in rules.verbs \
                and word.lower() not in rules.function_words:
            continue                        # "in Kandahar": a place the word lists also know
        elif _is_common(word, rules):
            new = word.lower()
        elif shouted:
            new = word[:1] + word[1:].lower()     # an unknown word in a shouted line is read as a name
        else:
            continue
        if k == 0:
            new = new[:1].upper() + new[1:]       # the line opens a sentence
        if len(new) == len(word):               # a casing that changes the length would move every offset
            out[m.start():m.end()] = new
            previous_kept = new[:1].isupper() and k > 0
    return "".join(out)


def parse_copy(text: str, rules: HeadlineRules) -> Optional[str]:
    """The text with its headline-cased lines sentence-cased (same length), or None when none is."""
    changed = False
    out = text
    for m in _LINE.finditer(text):
        line = m.group(0)
        if is_headline_line(line, rules):
            new = _recase_line(line, rules)
            if new != line:
                out = out[:m.start()] + new + out[m.end():]
                changed = True
    return out if changed else None


def with_original_words(doc, text: str):
    """A Doc over `text` (same length as doc.text) carrying doc's tags, parse, lemmas, entities and sentences."""
    words = [text[t.idx:t.idx + len(t.text)] for t in doc]
    ents = [f"{t.ent_iob_}-{t.ent_type_}" if t.ent_iob_ in ("B", "I") else "O" for t in doc]
    return Doc(
        doc.vocab, words=words, spaces=[bool(t.whitespace_) for t in doc],
        tags=[t.tag_ for t in doc], pos=[t.pos_ for t in doc], morphs=[str(t.morph) for t in doc],
        lemmas=[t.lemma_ for t in doc], heads=[t.head.i for t in doc], deps=[t.dep_ for t in doc], ents=ents,
    )


def mark_dropped_passives(doc, rules: HeadlineRules) -> None:
    """"Five soldiers killed, 11 wounded": a transitive verb of harm in the past form, with a subject but no
    auxiliary, object or clause, is a passive whose auxiliary the headline dropped; relabel its subject."""
    _participles_after_numbers(doc, rules)
    for tok in doc:
        if tok.tag_ not in ("VBN", "VBD") or tok.lemma_.lower() not in rules.passive_when_objectless:
            continue
        kids = list(tok.children)
        # (a clause before the verb, set off by a comma or semicolon, is the headline's other clause that the
        # parse hung on it: "Clash leaves three soldiers dead; five militants also killed")
        if any(c.dep_ in ("aux", "auxpass", "dobj", "obj", "xcomp", "dative", "nsubjpass")
               or (c.dep_ == "ccomp" and not _clause_before(c, tok)) for c in kids):
            continue
        subj = next((c for c in kids if c.dep_ == "nsubj"), None)
        if subj is None or subj.pos_ == "PRON" and subj.lower_ not in ("one", "two", "all", "both"):
            continue                        # "they killed" without object: an elided object, not a passive
        subj.dep_ = "nsubjpass"


def _clause_before(clause, verb) -> bool:
    """Is `clause` a clause of its own before `verb`, ended by a comma or semicolon?"""
    if clause.i > verb.i:
        return False
    end = clause.right_edge.i
    return end + 1 < verb.i and clause.doc[end + 1].text in (",", ";")


def _participles_after_numbers(doc, rules: HeadlineRules) -> None:
    """"Two shot at a bar; one dies": the model reads the participle after a bare number as a noun ("two shots"),
    so the headline has no verb of harm. A listed form (data/headlines.yaml participles_read_as_nouns) tagged as a
    singular noun right after a number that modifies it is retagged as the participle, its number as the passive
    subject. A plural ("two shots") or a noun with a determiner ("the shot") is left alone."""
    for tok in doc:
        lemma = rules.participles_read_as_nouns.get(tok.lower_)
        if lemma is None or tok.tag_ != "NN" or tok.i == 0:
            continue
        number = doc[tok.i - 1]
        if number.tag_ != "CD" or number.head.i != tok.i or number.dep_ != "nummod":
            continue
        if any(c.dep_ in ("det", "poss", "amod") for c in tok.children):
            continue
        tok.tag_, tok.pos_, tok.lemma_ = "VBN", "VERB", lemma
        number.dep_ = "nsubjpass"

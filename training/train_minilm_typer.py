"""Train the MiniLM event typer's head: multinomial logistic regression over all-MiniLM-L6-v2 sentence embeddings.

    python training/train_minilm_typer.py                 # the shipped head (what `make train` runs)
    python training/train_minilm_typer.py --cv 5 --out-cv /tmp/cv   # 5 heads, each without one fold of tune docs
    python training/train_minilm_typer.py --tiny --out /tmp/h        # a quick run on a small sample (tests)

Data (all ours to use):
  - the project's synthetic sentences (event_typer_data.py, seed 13), a stratified sample of them: embedding runs in
    numpy at some tens of sentences per second, and a linear head needs far fewer than the spaCy typer;
  - the tune half of the blind set (eval/blind/gold-tune.jsonl, allowed by issue 9): each document's headline and
    the first sentence of its text, labelled with the document's coded event type (its first gold event; "none"
    where gold has no event). The check half and every ../shared gold set are never read here.
Classes are weighed so that each label carries the same total weight; the real tune sentences weigh TUNE_WEIGHT
times a synthetic one before that. Full-batch gradient descent (Adam) from zeros: no randomness beyond the seeded
sample, so the same data and numpy give the same head.

With --cv k, the tune documents are split into k folds by a fixed rule (sorted document ids, i % k) and k heads are
written, head i trained without fold i; `SITREP_MINILM_HEAD=<dir>/fold<i>` runs the pipeline with one of them, so the
tune half is scored fold by fold on documents its head never saw (training/ablate_minilm_cv.py).
"""
from __future__ import annotations

import argparse
import collections
import hashlib
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))

from event_typer_data import generate  # noqa: E402
from sitrep.extract.minilm_typer import HEAD_DIR, save_head  # noqa: E402
from sitrep.extract.news_gate import first_sentence  # noqa: E402
from sitrep.extract.typer import LABELS, NONE  # noqa: E402

HEAD_VERSION = "1.0.0"
TUNE_GOLD = ROOT / "eval" / "blind" / "gold-tune.jsonl"
SEED = 13
PER_EVENT_LABEL = 320      # synthetic sentences per event type (of ~1,350 generated)
PER_NONE = 2400            # synthetic "none" sentences (of ~9,100)
TUNE_WEIGHT = 4.0
L2 = 1e-4
STEPS = 600
LEARNING_RATE = 0.05


def synthetic(seed: int, per_event: int, per_none: int) -> list[tuple[str, str, str]]:
    """(text, label, source) of a stratified, seeded sample of the generated sentences."""
    by_label: dict[str, list] = collections.defaultdict(list)
    for s in generate(seed=seed):
        by_label[s.label].append(s)
    rng = random.Random(seed)
    out = []
    for label in sorted(by_label):
        pool = sorted({s.text: s for s in by_label[label]}.values(), key=lambda s: s.text)
        rng.shuffle(pool)
        out.extend((s.text, label, "synthetic") for s in pool[:per_none if label == NONE else per_event])
    return out


def tune_docs(path: Path = TUNE_GOLD) -> list[dict]:
    docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return sorted(docs, key=lambda d: d["id"])


def tune_sentences(docs: list[dict]) -> list[tuple[str, str, str]]:
    out = []
    for d in docs:
        label = d["gold"][0].get("event_type") or NONE if d.get("gold") else NONE
        for text in ((d.get("title") or "").strip(), first_sentence(d.get("text") or "")):
            if text:
                out.append((text, label, d["id"]))
    return out


def embed_all(texts: list[str], cache: Path | None, log=print) -> np.ndarray:
    """Embeddings of texts, from a cache file keyed by the texts when one is given (the encoder is deterministic)."""
    from sitrep.extract.embedder import load_embedder

    key = hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()[:16]
    if cache is not None:
        path = cache / f"emb-{key}.npy"
        if path.exists():
            return np.load(path)
    t0 = time.time()
    emb = load_embedder()
    vectors = np.concatenate([emb.embed(texts[i:i + 256]) for i in range(0, len(texts), 256)]) if texts else \
        np.zeros((0, 384), np.float32)
    log(f"embedded {len(texts)} sentences in {time.time() - t0:.0f} s ({len(texts) / max(time.time() - t0, 1e-9):.0f}/s)")
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        np.save(cache / f"emb-{key}.npy", vectors)
    return vectors


def fit(x: np.ndarray, y: np.ndarray, weights: np.ndarray, l2: float = L2, steps: int = STEPS,
        lr: float = LEARNING_RATE) -> tuple[np.ndarray, np.ndarray]:
    """Weighted multinomial logistic regression by full-batch Adam from zeros: (W (d, k), b (k,))."""
    n, d = x.shape
    k = len(LABELS)
    w = np.zeros((d, k), np.float64)
    b = np.zeros(k, np.float64)
    onehot = np.eye(k)[y]
    sw = weights / weights.sum()
    m = [np.zeros_like(w), np.zeros_like(b)]
    v = [np.zeros_like(w), np.zeros_like(b)]
    x64 = x.astype(np.float64)
    for t in range(1, steps + 1):
        logits = x64 @ w + b
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        g = (p - onehot) * sw[:, None]
        grads = [x64.T @ g + l2 * w, g.sum(axis=0)]
        for i, (param, grad) in enumerate(((w, grads[0]), (b, grads[1]))):
            m[i] = 0.9 * m[i] + 0.1 * grad
            v[i] = 0.999 * v[i] + 0.001 * grad ** 2
            param -= lr * (m[i] / (1 - 0.9 ** t)) / (np.sqrt(v[i] / (1 - 0.999 ** t)) + 1e-8)
    return w.astype(np.float32), b.astype(np.float32)


def sample_weights(rows: list[tuple[str, str, str]]) -> np.ndarray:
    """Each label the same total weight; a real tune sentence TUNE_WEIGHT times a synthetic one within its label."""
    raw = np.array([TUNE_WEIGHT if src != "synthetic" else 1.0 for _t, _l, src in rows])
    per_label = collections.defaultdict(float)
    for (_t, label, _s), r in zip(rows, raw):
        per_label[label] += r
    return np.array([r / per_label[label] for (_t, label, _s), r in zip(rows, raw)])


def train_head(rows: list[tuple[str, str, str]], vectors: np.ndarray, out: Path, extra_meta: dict, log=print) -> dict:
    y = np.array([LABELS.index(label) for _t, label, _s in rows])
    t0 = time.time()
    w, b = fit(vectors, y, sample_weights(rows))
    probs = softmax(vectors @ w + b)
    acc = float((probs.argmax(axis=1) == y).mean())
    meta = {"version": HEAD_VERSION, "labels": list(LABELS), "seed": SEED, "l2": L2, "steps": STEPS,
            "learning_rate": LEARNING_RATE, "tune_weight": TUNE_WEIGHT, "n_train": len(rows),
            "train_labels": dict(sorted(collections.Counter(label for _t, label, _s in rows).items())),
            "n_tune_sentences": sum(src != "synthetic" for _t, _l, src in rows),
            "train_accuracy": round(acc, 4), "fit_seconds": round(time.time() - t0, 1), **extra_meta}
    save_head(out, w, b, meta)
    log(f"wrote {out}: {len(rows)} sentences, training accuracy {acc:.3f}")
    return meta


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, default=HEAD_DIR)
    p.add_argument("--cv", type=int, default=0, help="write k heads, head i without fold i of the tune documents")
    p.add_argument("--out-cv", type=Path, default=Path("/tmp/sitrep-minilm-cv"))
    p.add_argument("--no-tune", action="store_true", help="synthetic sentences only")
    p.add_argument("--cache", type=Path, default=None, help="keep embeddings in this folder between runs")
    p.add_argument("--tiny", action="store_true", help="a small sample (tests)")
    args = p.parse_args(argv)

    per_event, per_none = (8, 40) if args.tiny else (PER_EVENT_LABEL, PER_NONE)
    synth = synthetic(SEED, per_event, per_none)
    docs = [] if args.no_tune or args.tiny else tune_docs()
    tune = tune_sentences(docs)
    rows = synth + tune
    vectors = embed_all([t for t, _l, _s in rows], args.cache)
    meta = {"n_synthetic": len(synth), "tune_documents": len(docs)}
    if not args.cv:
        train_head(rows, vectors, args.out, meta)
        return 0
    fold_of = {d["id"]: i % args.cv for i, d in enumerate(docs)}
    for fold in range(args.cv):
        keep = [i for i, (_t, _l, src) in enumerate(rows) if src == "synthetic" or fold_of[src] != fold]
        held = sorted(d["id"] for d in docs if fold_of[d["id"]] == fold)
        out = args.out_cv / f"fold{fold}"
        train_head([rows[i] for i in keep], vectors[keep], out, {**meta, "cv_fold": fold, "cv_k": args.cv})
        (out / "held_out_ids.txt").write_text("\n".join(held) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):    # one BLAS thread: the same sums in the same order
        sys.exit(main())

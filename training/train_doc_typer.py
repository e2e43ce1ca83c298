"""Train the document typer's head: logistic regression over [headline, lede] MiniLM embeddings (doc_typer.py).

    python training/train_doc_typer.py                       # the shipped head (what `make train` runs)
    python training/train_doc_typer.py --cv 5 --out-cv /tmp/sitrep-minilm-cv   # fold heads in <dir>/fold<i>/doc
    python training/train_doc_typer.py --tiny --out /tmp/h    # a quick run on a small sample (tests)

Data (all ours to use), each row a (headline, first lede sentence) pair and a label ("none" or a PLOVER type):
  - the synthetic news documents of training/event_typer/synthetic_docs_*.jsonl (written for the project, see
    SYNTHETIC_DOCS.md): headline and the first sentence of the lede;
  - the project's template sentences (event_typer_data.py, the same seeded sample as the MiniLM sentence head),
    each read as a document whose headline and lede are that sentence;
  - the tune half of the blind set (eval/blind/gold-tune.jsonl): title and first sentence, labelled with the coded
    type of the document's first gold event ("none" where there is none). Never the check half, never ../shared.
Each label carries the same total weight; within a label a synthetic document weighs SYNTHDOC_WEIGHT and a tune
document TUNE_WEIGHT times a template sentence. Full-batch Adam from zeros (train_minilm_typer.fit): the same data
give the same head.

With --cv k the tune documents are split as train_minilm_typer.py splits them (sorted ids, i % k), and head i,
trained without fold i, is written to <out-cv>/fold<i>/doc; the held-out figures of all folds are printed
(training/ablate_minilm_cv.py runs the whole pipeline with them).
"""
from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from event_typer_data import load_synthetic_docs  # noqa: E402
from train_minilm_typer import PER_EVENT_LABEL, PER_NONE, SEED, embed_all, fit, softmax, synthetic, tune_docs  # noqa: E402
from sitrep.extract.doc_typer import HEAD_DIR  # noqa: E402
from sitrep.extract.minilm_typer import save_head  # noqa: E402
from sitrep.extract.news_gate import first_sentence  # noqa: E402
from sitrep.extract.typer import LABELS, NONE  # noqa: E402

HEAD_VERSION = "1.0.0"
TUNE_WEIGHT = 4.0
SYNTHDOC_WEIGHT = 2.0
STEPS = 300
L2 = 1e-4
TEMPLATE = "template"
SYNTHDOC = "synthdoc"


def synthetic_docs() -> list[tuple[str, str, str, str]]:
    """(headline, lede's first sentence, label, source) of every synthetic document."""
    by_template: dict[str, dict[str, str]] = collections.defaultdict(dict)
    labels = {}
    for s in load_synthetic_docs():
        by_template[s.template][s.kind] = s.text
        labels[s.template] = s.label
    return [(parts["headline"], first_sentence(parts["body"]), labels[t], SYNTHDOC)
            for t, parts in sorted(by_template.items())]


def tune_rows(docs: list[dict]) -> list[tuple[str, str, str, str]]:
    out = []
    for d in docs:
        label = (d["gold"][0].get("event_type") or NONE) if d.get("gold") else NONE
        title, lede = (d.get("title") or "").strip(), first_sentence(d.get("text") or "")
        if title or lede:
            out.append((title or lede, lede or title, label, d["id"]))
    return out


def row_weights(rows) -> np.ndarray:
    raw = np.array([1.0 if src == TEMPLATE else SYNTHDOC_WEIGHT if src == SYNTHDOC else TUNE_WEIGHT
                    for *_x, src in rows])
    per_label: dict[str, float] = collections.defaultdict(float)
    for (_h, _l, label, _s), r in zip(rows, raw):
        per_label[label] += r
    return np.array([r / per_label[label] for (_h, _l, label, _s), r in zip(rows, raw)])


def featurise(rows, cache: Path | None) -> np.ndarray:
    texts = sorted({t for h, l, _lab, _s in rows for t in (h, l)})
    vectors = embed_all(texts, cache)
    index = {t: i for i, t in enumerate(texts)}
    return np.stack([np.concatenate([vectors[index[h]], vectors[index[l]]]) for h, l, _lab, _s in rows])


def train(rows, x: np.ndarray, out: Path, meta: dict, log=print) -> tuple[np.ndarray, np.ndarray]:
    y = np.array([LABELS.index(label) for _h, _l, label, _s in rows])
    t0 = time.time()
    w, b = fit(x, y, row_weights(rows), l2=L2, steps=STEPS)
    acc = float((softmax(x @ w + b).argmax(axis=1) == y).mean())
    count = collections.Counter(src if src in (TEMPLATE, SYNTHDOC) else "tune" for *_x, src in rows)
    save_head(out, w, b, {"version": HEAD_VERSION, "labels": list(LABELS), "seed": SEED, "l2": L2, "steps": STEPS,
                          "tune_weight": TUNE_WEIGHT, "synthdoc_weight": SYNTHDOC_WEIGHT, "n_train": len(rows),
                          "n_template_sentences": count[TEMPLATE], "n_synthetic_docs": count[SYNTHDOC],
                          "n_tune_documents": count["tune"], "features": "concat(headline, lede first sentence)",
                          "train_labels": dict(sorted(collections.Counter(r[2] for r in rows).items())),
                          "train_accuracy": round(acc, 4), "fit_seconds": round(time.time() - t0, 1), **meta})
    log(f"wrote {out}: {len(rows)} rows ({dict(count)}), training accuracy {acc:.3f}")
    return w, b


def report_cv(y: np.ndarray, probs: np.ndarray, log=print) -> None:
    """Held-out figures of the fold heads on the tune documents (the document level only)."""
    none = LABELS.index(NONE)
    event = y != none
    typed = probs.copy()
    typed[:, none] = -1
    log(f"cv: type of the event documents (none aside) {(typed.argmax(1) == y)[event].mean():.3f}")
    for t in (0.3, 0.4, 0.5, 0.6):
        gated = probs[:, none] >= t
        log(f"cv: P(none) >= {t}: no-event documents {gated[~event].mean():.3f}, event documents {gated[event].mean():.3f}")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, default=HEAD_DIR)
    p.add_argument("--cv", type=int, default=0)
    p.add_argument("--out-cv", type=Path, default=Path("/tmp/sitrep-minilm-cv"))
    p.add_argument("--no-tune", action="store_true", help="synthetic documents and sentences only")
    p.add_argument("--no-synthdocs", action="store_true", help="without the synthetic documents (ablation)")
    p.add_argument("--cache", type=Path, default=None, help="keep embeddings in this folder between runs")
    p.add_argument("--tiny", action="store_true", help="a small sample (tests)")
    args = p.parse_args(argv)

    per_event, per_none = (8, 40) if args.tiny else (PER_EVENT_LABEL, PER_NONE)
    rows = [(t, t, label, TEMPLATE) for t, label, _s in synthetic(SEED, per_event, per_none)]
    if not args.no_synthdocs:
        docs_rows = synthetic_docs()
        rows += docs_rows[::20] if args.tiny else docs_rows
    docs = [] if args.no_tune or args.tiny else tune_docs()
    tune = tune_rows(docs)
    x = featurise(rows + tune, args.cache)
    meta = {"tune_documents": len(tune)}
    if not args.cv:
        train(rows + tune, x, args.out, meta)
        return 0
    n = len(rows)
    fold_of = {d["id"]: i % args.cv for i, d in enumerate(docs)}
    y = np.array([LABELS.index(r[2]) for r in tune])
    probs = np.zeros((len(tune), len(LABELS)))
    for fold in range(args.cv):
        held = np.array([fold_of[r[3]] == fold for r in tune])
        keep = list(range(n)) + [n + i for i in np.flatnonzero(~held)]
        w, b = train([(rows + tune)[i] for i in keep], x[keep], args.out_cv / f"fold{fold}" / "doc",
                     {**meta, "cv_fold": fold, "cv_k": args.cv})
        probs[held] = softmax(x[n:][held] @ w + b)
    report_cv(y, probs)
    np.save(args.out_cv / "doc_cv_probs.npy", probs)
    return 0


if __name__ == "__main__":
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        sys.exit(main())

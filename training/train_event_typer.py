"""Train the event typer (spaCy textcat, exclusive classes, from scratch on CPU) and write it into the package.

    python training/train_event_typer.py                     # the shipped model (what `make train` runs)
    python training/train_event_typer.py --holdout-every 7   # measure on held-out templates; nothing shipped
    python training/train_event_typer.py --tiny --out /tmp/t # a quick run on a small sample (tests)

Fixed seeds: the same data files and spaCy/thinc versions give the same model. Only the project's own sentences
are used (event_typer_data.py); no file under ../shared is ever read here.
"""
from __future__ import annotations

import argparse
import collections
import json
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from event_typer_data import Sample, generate  # noqa: E402
from sitrep.extract.typer import LABELS, MODEL_DIR, normalise  # noqa: E402

MODEL_VERSION = "1.1.0"

# A small CNN + bag-of-ngrams ensemble without pretrained vectors; the hashed tables keep it small on disk.
CONFIG = """
[model]
@architectures = "spacy.TextCatEnsemble.v2"
nO = null

[model.linear_model]
@architectures = "spacy.TextCatBOW.v3"
exclusive_classes = true
ngram_size = 2
no_output_layer = false
length = 65536
nO = null

[model.tok2vec]
@architectures = "spacy.Tok2Vec.v2"

[model.tok2vec.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = 64
attrs = ["NORM", "PREFIX", "SUFFIX", "SHAPE"]
rows = [5000, 1000, 2500, 500]
include_static_vectors = false

[model.tok2vec.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = 64
depth = 2
window_size = 1
maxout_pieces = 3
"""


BOW_CONFIG = """
[model]
@architectures = "spacy.TextCatBOW.v3"
exclusive_classes = true
ngram_size = 2
no_output_layer = false
length = 262144
nO = null
"""
ARCHITECTURES = {"ensemble": CONFIG, "bow": BOW_CONFIG}


def build_nlp(arch: str = "ensemble"):
    import spacy
    from thinc.api import Config

    nlp = spacy.blank("en")
    model_cfg = Config().from_str(ARCHITECTURES[arch])["model"]
    textcat = nlp.add_pipe("textcat", config={"model": model_cfg, "threshold": 0.0})
    for label in LABELS:
        textcat.add_label(label)
    return nlp


def to_examples(nlp, samples: list[Sample]):
    from spacy.training import Example

    out = []
    for s in samples:
        doc = nlp.make_doc(normalise(s.text))
        out.append(Example.from_dict(doc, {"cats": {lab: float(lab == s.label) for lab in LABELS}}))
    return out


def evaluate(nlp, samples: list[Sample]) -> dict:
    """Accuracy, event/no-event accuracy and per-label F1 on samples."""
    docs = nlp.pipe((normalise(s.text) for s in samples), batch_size=256)
    pred = [max(d.cats, key=d.cats.get) for d in docs]
    gold = [s.label for s in samples]
    n = len(gold)
    acc = sum(p == g for p, g in zip(pred, gold)) / n
    event_acc = sum((p == "none") == (g == "none") for p, g in zip(pred, gold)) / n
    f1 = {}
    for lab in LABELS:
        tp = sum(p == g == lab for p, g in zip(pred, gold))
        fp = sum(p == lab != g for p, g in zip(pred, gold))
        fn = sum(g == lab != p for p, g in zip(pred, gold))
        f1[lab] = round(2 * tp / (2 * tp + fp + fn), 3) if tp else 0.0
    return {"n": n, "accuracy": round(acc, 4), "event_vs_none_accuracy": round(event_acc, 4), "f1": f1}


def train(out: Path, seed: int = 13, epochs: int = 3, holdout_every: int = 0, tiny: bool = False,
          arch: str = "ensemble", log=print) -> dict:
    from spacy.util import fix_random_seed, minibatch
    from thinc.api import compounding

    fix_random_seed(seed)
    t0 = time.time()
    sizes = dict(per_event_label=30, per_none=200, lexicon_per_type=5, hand_weight=1) if tiny else {}
    samples = generate(seed=seed, holdout_every=holdout_every, **sizes)
    held = generate(seed=seed + 1, holdout_every=holdout_every, held_out=True, per_event_label=200,
                    per_none=1500) if holdout_every else []
    log(f"training sentences: {len(samples)} {dict(collections.Counter(s.label for s in samples))}")
    nlp = build_nlp(arch)
    examples = to_examples(nlp, samples)
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    n_epochs = 1 if tiny else epochs
    for epoch in range(n_epochs):
        rng.shuffle(examples)
        losses: dict = {}
        for batch in minibatch(examples, size=compounding(8.0, 64.0, 1.001)):
            nlp.update(batch, drop=0.2, sgd=optimizer, losses=losses)
        log(f"epoch {epoch + 1}/{n_epochs}: loss {losses.get('textcat', 0.0):.3f} ({time.time() - t0:.0f} s)")
    train_s = time.time() - t0
    report = {"version": MODEL_VERSION, "seed": seed, "architecture": arch, "epochs": n_epochs, "labels": list(LABELS),
              "n_train": len(samples), "train_labels": dict(collections.Counter(s.label for s in samples)),
              "train_seconds": round(train_s, 1)}
    if held:
        report["held_out_templates"] = evaluate(nlp, held)
        log(f"held-out templates: {json.dumps(report['held_out_templates'])}")
    out.mkdir(parents=True, exist_ok=True)
    nlp.meta["name"] = "sitrep_event_typer"
    nlp.meta["version"] = MODEL_VERSION
    nlp.meta["description"] = "sitrep event typer: PLOVER type or none per sentence (see MODEL_CARD.md)"
    nlp.to_disk(out)
    (out / "sitrep_meta.json").write_text(json.dumps(report, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    log(f"wrote {out} in {train_s:.0f} s")
    return report


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, default=MODEL_DIR, help=f"model directory (default {MODEL_DIR})")
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--holdout-every", type=int, default=0,
                   help="hold out every k-th template of each label and report accuracy on it")
    p.add_argument("--arch", choices=sorted(ARCHITECTURES), default="ensemble")
    p.add_argument("--tiny", action="store_true", help="a small sample and one epoch (for tests)")
    args = p.parse_args(argv)
    train(args.out, seed=args.seed, epochs=args.epochs, holdout_every=args.holdout_every, tiny=args.tiny,
          arch=args.arch)
    return 0


if __name__ == "__main__":
    sys.exit(main())

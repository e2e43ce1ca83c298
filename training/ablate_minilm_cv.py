"""The blind set's tune half, scored by cross-validation for the MiniLM typer (its head is trained on tune docs).

    python training/train_minilm_typer.py --cv 5 --out-cv /tmp/sitrep-minilm-cv
    python training/ablate_minilm_cv.py --cv-dir /tmp/sitrep-minilm-cv [--env SITREP_EVENT_TYPER=combined ...]

Each fold's documents (held_out_ids.txt) are extracted by `sitrep extract` with SITREP_TYPER_BACKEND=minilm,
SITREP_MINILM_HEAD=<fold head> and SITREP_DOC_HEAD=<fold head>/doc (train_doc_typer.py --cv), heads that never saw
them; the predictions of all folds are then scored together
against eval/blind/gold-tune.jsonl with ../shared/eval/score.py --pred. Measurement only.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCORE = ROOT.parent / "shared" / "eval" / "score.py"
TUNE = ROOT / "eval" / "blind" / "gold-tune.jsonl"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cv-dir", type=Path, default=Path("/tmp/sitrep-minilm-cv"))
    p.add_argument("--env", action="append", default=[], help="extra NAME=VALUE settings for every run")
    p.add_argument("--json", action="store_true", help="print the scorer's JSON summary")
    p.add_argument("--save-pred", type=Path, help="keep the joined predictions here")
    args = p.parse_args(argv)
    docs = {json.loads(line)["id"]: line for line in TUNE.read_text(encoding="utf-8").splitlines() if line.strip()}
    folds = sorted(d for d in args.cv_dir.iterdir() if (d / "held_out_ids.txt").exists())
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "SITREP_TYPER_BACKEND": "minilm"}
    env.update(dict(kv.split("=", 1) for kv in args.env))
    seen: set[str] = set()
    with tempfile.TemporaryDirectory() as tmp:
        preds = []
        for fold in folds:
            ids = [i for i in (fold / "held_out_ids.txt").read_text().split() if i in docs]
            seen.update(ids)
            gold = Path(tmp) / f"{fold.name}.jsonl"
            gold.write_text("".join(docs[i] + "\n" for i in ids), encoding="utf-8")
            out = Path(tmp) / f"{fold.name}.pred.jsonl"
            heads = {"SITREP_MINILM_HEAD": str(fold)}
            if (fold / "doc" / "head.npz").exists():     # the document typer's fold head (train_doc_typer.py --cv)
                heads["SITREP_DOC_HEAD"] = str(fold / "doc")
            subprocess.run([sys.executable, "-m", "sitrep.cli", "extract", str(gold), "--format", "jsonl", "-o",
                            str(out)], env={**env, **heads}, check=True)
            preds.append(out.read_text(encoding="utf-8"))
            print(f"{fold.name}: {len(ids)} documents", file=sys.stderr)
        missing = set(docs) - seen
        if missing:
            print(f"{len(missing)} tune documents are in no fold", file=sys.stderr)
            return 1
        joined = Path(tmp) / "all.pred.jsonl"
        joined.write_text("".join(preds), encoding="utf-8")
        if args.save_pred:
            args.save_pred.write_text(joined.read_text(encoding="utf-8"), encoding="utf-8")
        cmd = [sys.executable, str(SCORE), str(TUNE), "--pred", str(joined)] + (["--json"] if args.json else [])
        return subprocess.run(cmd).returncode


if __name__ == "__main__":
    sys.exit(main())

"""Speed of the numpy MiniLM encoder (extract/embedder.py): sentences per second, batched and one at a time.

    python bench/bench_embedder.py [N]

Sentences are the project's synthetic training sentences (training/event_typer_data.py), headlines and article
sentences mixed, so their lengths are those the typer sees.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "training"))

from event_typer_data import generate  # noqa: E402
from sitrep.extract.embedder import load_embedder  # noqa: E402


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 512
    texts = [s.text for s in generate(seed=7, per_event_label=40, per_none=300)][:n]
    t0 = time.perf_counter()
    enc = load_embedder()
    load_s = time.perf_counter() - t0
    enc.embed(texts[:8])
    tokens = sum(len(ids) for ids in enc.tokenize(texts)) / len(texts)
    t0 = time.perf_counter()
    enc.embed(texts)
    batched = len(texts) / (time.perf_counter() - t0)
    few = texts[: min(64, len(texts))]
    t0 = time.perf_counter()
    for text in few:
        enc.embed([text])
    single = len(few) / (time.perf_counter() - t0)
    print(json.dumps({"sentences": len(texts), "mean_tokens": round(tokens, 1), "load_s": round(load_s, 2),
                      "batched_sentences_per_s": round(batched, 1), "single_sentences_per_s": round(single, 1)},
                     indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

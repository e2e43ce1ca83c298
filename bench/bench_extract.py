"""Throughput of `sitrep extract` against spaCy's own parse of the same texts (the floor).

Reads every article of ../shared/eval-data/dev/*.jsonl (or the files given), then, in one process:
  1. spaCy: nlp.pipe over the texts with the same model and batch size (what parsing alone costs);
  2. sitrep: read + clean + parse + extract + resolve + serialise to JSONL, as `sitrep extract` does.
Prints articles/s, words/s, peak memory and the ratio sitrep time / spaCy time.
"""
from __future__ import annotations

import io
import json
import resource
import sys
import time
from pathlib import Path

from sitrep.extract.pipeline import Extractor
from sitrep.ingest.readers import iter_articles
from sitrep.options import Options
from sitrep.output import write_jsonl

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def main(paths: list[str]) -> int:
    if not paths:
        paths = sorted(str(p) for p in (SHARED / "eval-data" / "dev").glob("*.jsonl"))
    if not paths:
        print("bench: no input (../shared/eval-data/dev is absent); give JSONL files as arguments", file=sys.stderr)
        return 2
    articles = list(iter_articles(paths))
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)
    extractor = Extractor(Options.from_env())
    nlp = extractor.nlp
    list(nlp.pipe(texts[:20]))                      # warm up both paths equally
    extractor.extract(articles[0])

    t0 = time.perf_counter()
    for _doc in nlp.pipe(texts, batch_size=extractor.options.batch_size):
        pass
    spacy_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    articles = list(iter_articles(paths))
    out = io.StringIO()
    n_events = 0
    for _article, events in extractor.extract_many(articles):
        n_events += len(events)
        write_jsonl((e.to_record() for e in events), out)
    sitrep_s = time.perf_counter() - t0

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({
        "inputs": [Path(p).name for p in paths],
        "articles": len(articles),
        "words": words,
        "events": n_events,
        "spacy_parse_s": round(spacy_s, 2),
        "sitrep_extract_s": round(sitrep_s, 2),
        "articles_per_s": round(len(articles) / sitrep_s, 1),
        "words_per_s": round(words / sitrep_s),
        "peak_memory_mb": round(peak_mb),
        "ratio_sitrep_to_spacy": round(sitrep_s / spacy_s, 2),
        "model": extractor.options.spacy_model,
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

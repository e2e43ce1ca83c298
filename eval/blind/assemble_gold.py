"""Assemble the blind set's gold from the coders' files and report how far two coders agree.

    python eval/blind/assemble_gold.py      # writes gold-tune.jsonl, gold-check.jsonl; prints agreement

coding/gold-<coder>.jsonl hold each coder's records (CODING.md). Some documents were coded by two coders; the
first coder in alphabetical order gives the gold, the second only the agreement figures. The split into halves
is split.py's (sha1 of the id, even = tune).
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIELDS = ["event_type", "acled_sub_event_type", "actor_country", "recipient_country", "country", "admin1",
          "location_name", "fatalities", "injuries", "date"]


def half(doc_id: str) -> str:
    return "tune" if int(hashlib.sha1(doc_id.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "check"


def load_coders() -> dict[str, dict[str, dict]]:
    coders: dict[str, dict[str, dict]] = {}
    for path in sorted((HERE / "coding").glob("gold-*.jsonl")):
        name = path.stem.split("-", 1)[1]
        coders[name] = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                coders[name][rec["id"]] = rec
    return coders


def agreement(coders: dict[str, dict[str, dict]]) -> dict[str, tuple[int, int]]:
    """Per field: (documents where both coders gave the field, of those where they agree)."""
    names = sorted(coders)
    counts = {f: [0, 0] for f in FIELDS}
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            for doc_id in coders[a].keys() & coders[b].keys():
                ga, gb = coders[a][doc_id]["gold"][0], coders[b][doc_id]["gold"][0]
                for f in FIELDS:
                    if f == "event_type" or (f in ga and f in gb):
                        counts[f][0] += 1
                        va, vb = ga.get(f), gb.get(f)
                        counts[f][1] += (str(va).casefold() == str(vb).casefold())
    return {f: (n, k) for f, (n, k) in counts.items()}


def main() -> int:
    coders = load_coders()
    docs = []
    for name in ("docs.jsonl", "docs2.jsonl", "docs3.jsonl", "docs4.jsonl", "docs5.jsonl"):
        path = HERE / name
        if path.exists():
            docs += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    out = {"tune": [], "check": []}
    missing = []
    for doc in docs:
        rec = next((coders[c][doc["id"]] for c in sorted(coders) if doc["id"] in coders[c]), None)
        if rec is None:
            missing.append(doc["id"])
            continue
        assert rec["text"] == doc["text"], f"{doc['id']}: coded text differs from docs"
        out[half(doc["id"])].append(rec)
    for name, recs in out.items():
        with open(HERE / f"gold-{name}.jsonl", "w", encoding="utf-8") as fh:
            for rec in recs:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"gold: tune {len(out['tune'])}, check {len(out['check'])}; not yet coded: {len(missing)}")
    print("agreement between two coders on doubly coded documents (n, agree):")
    for f, (n, k) in agreement(coders).items():
        if n:
            print(f"  {f:22s} n={n:3d}  {k / n:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

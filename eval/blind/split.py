#!/usr/bin/env python3
"""Fixed split of eval/blind/docs.jsonl + docs2 .. docs5.jsonl into two halves (standard library only).

Rule: a document is in `tune` if int(sha1(id).hexdigest(), 16) % 2 == 0,
otherwise in `check`. It depends on the id alone, so it never changes when
documents are added, dropped or reordered.

    python3 eval/blind/split.py            # writes ids-tune.txt and ids-check.txt

docs.jsonl, docs2.jsonl, docs3.jsonl, docs4.jsonl and docs5.jsonl are read (a missing one is
skipped); the id files cover every document of all five, and an id found twice
is an error.
"""
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def half(doc_id):
    return "tune" if int(hashlib.sha1(doc_id.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "check"


DOCS = ("docs.jsonl", "docs2.jsonl", "docs3.jsonl", "docs4.jsonl", "docs5.jsonl")


def main(*paths):
    paths = paths or tuple(os.path.join(HERE, p) for p in DOCS)
    halves, seen = {"tune": [], "check": []}, set()
    for path in paths:
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    doc_id = json.loads(line)["id"]
                    if doc_id in seen:
                        sys.exit(f"duplicate id {doc_id} in {path}")
                    seen.add(doc_id)
                    halves[half(doc_id)].append(doc_id)
    for name, ids in halves.items():
        with open(os.path.join(HERE, f"ids-{name}.txt"), "w", encoding="utf-8") as f:
            f.write("".join(i + "\n" for i in sorted(ids)))
        print(f"{name}: {len(ids)}")


if __name__ == "__main__":
    main(*sys.argv[1:])

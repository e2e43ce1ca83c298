#!/usr/bin/env python3
"""Validate eval/geo/gold.jsonl and split it into gold-tune.jsonl / gold-check.jsonl (standard library only).

Rule: a document is in `tune` if int(sha1(id).hexdigest(), 16) % 2 == 0, otherwise in `check`.

    python3 eval/geo/split_validate.py
"""
import collections
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
KEYS = {"country", "admin1", "admin2", "location_name", "lat", "lon"}


def half(doc_id):
    return "tune" if int(hashlib.sha1(doc_id.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "check"


def validate(docs):
    errs, seen = [], set()
    for n, d in enumerate(docs, 1):
        i = d.get("id")
        if i in seen:
            errs.append(f"line {n}: duplicate id {i}")
        seen.add(i)
        for k in ("id", "dataset", "text", "published", "mode", "gold"):
            if k not in d:
                errs.append(f"{i}: missing {k}")
        if d.get("mode") != "doc" or d.get("dataset") != "blind-geo":
            errs.append(f"{i}: bad mode/dataset")
        p = d.get("published") or ""
        if not (len(p) == 10 and "2019-01-01" <= p <= "2024-12-31"):
            errs.append(f"{i}: published {p!r}")
        if len(d.get("gold", [])) != 1:
            errs.append(f"{i}: expected one gold event")
        for g in d.get("gold", []):
            if set(g) - KEYS:
                errs.append(f"{i}: unknown gold keys {set(g) - KEYS}")
            c = g.get("country")
            if not (isinstance(c, str) and len(c) == 3 and c.isalpha() and c.isupper()):
                errs.append(f"{i}: country {c!r}")
            if ("lat" in g) != ("lon" in g):
                errs.append(f"{i}: lat without lon")
            if "lat" in g:
                la, lo = g["lat"], g["lon"]
                if not (isinstance(la, float) and isinstance(lo, float) and -90 <= la <= 90 and -180 <= lo <= 180):
                    errs.append(f"{i}: lat/lon {la!r} {lo!r}")
            for k in ("admin1", "admin2", "location_name"):
                if k in g and not (isinstance(g[k], str) and g[k].strip()):
                    errs.append(f"{i}: empty {k}")
    return errs


def main():
    path = os.path.join(HERE, "gold.jsonl")
    with open(path, encoding="utf-8") as f:
        docs = [json.loads(line) for line in f if line.strip()]
    errs = validate(docs)
    if errs:
        print("\n".join(errs))
        sys.exit(1)
    halves = collections.defaultdict(list)
    for d in docs:
        halves[half(d["id"])].append(d)
    for h in ("tune", "check"):
        with open(os.path.join(HERE, f"gold-{h}.jsonl"), "w", encoding="utf-8") as f:
            for d in halves[h]:
                f.write(json.dumps(d, ensure_ascii=False) + "\n")
    reg = lambda d: d["id"].split("-")[1]
    print(f"{len(docs)} docs valid; tune {len(halves['tune'])}, check {len(halves['check'])}")
    for h in ("tune", "check"):
        print(h, dict(sorted(collections.Counter(reg(d) for d in halves[h]).items())))
    print("all", dict(sorted(collections.Counter(reg(d) for d in docs).items())))
    print("styles", dict(sorted(collections.Counter(d.get("style") for d in docs).items())))


if __name__ == "__main__":
    main()

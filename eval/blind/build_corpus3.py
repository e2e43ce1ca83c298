#!/usr/bin/env python3
"""Build eval/blind/docs3.jsonl: Wikinews ledes from AMALGUM's news genre.

Standard library only. Nothing here imports or runs sitrep: the texts must
stay unseen by the extractor until gold labels are coded.

Source: AMALGUM (gucorpling/amalgum), `amalgum/news/xml/` and
`amalgum_extra/news/xml/` (GUM-style XML, one token per line). The repository
snapshot (710 MB) was too large to fetch, so the documents were read one by
one through the search tool's `read_file` (16,000 characters a call) and the
part needed here was transcribed into `eval/blind/raw/AMALGUM_news_<name>.txt`
(git-ignored; see DATA_CARD.md, "docs3.jsonl", for the exact procedure). One
raw file holds:

    <text id=... title=... dateCreated=... sourceURL=... path=...>   (from the XML <text> tag)
    <head>...</head>     a heading (title or section heading; never running text)
    <p>...</p>           one XML <p> block, tokens joined back into running text
    <quote>...</quote>   a pull-quote box (not running text)

in document order, up to and a little past the 1,200 characters a lede can
use. Figures, captions, lists and loose <s> outside any <p> are not copied.

    python3 eval/blind/build_corpus3.py [--raw eval/blind/raw] [--out eval/blind/docs3.jsonl]

Population and order: the names in `amalgum_enumerated.txt` (every AMALGUM news
document the file listing tool would list; see DATA_CARD.md), sorted, then
shuffled with random.Random(SEED); if more than SAMPLE_MAX were listed only the
first SAMPLE_MAX of that order are used. Documents were read in that order; only the
unbroken prefix of the order that has raw files is used (a random sample of the
population), and a file read out of turn waits until the prefix reaches it.
Output keeps that order. Cleaning, dateline and lede rules are those of
build_corpus.py / build_corpus2.py, imported from them.
"""
import argparse
import hashlib
import html
import json
import os
import random
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import build_corpus as bc    # noqa: E402  (same folder, standard library only)
import build_corpus2 as bc2  # noqa: E402

SEED = 20261203
SAMPLE_MAX = 330
SOURCE = "amalgum-wikinews"
LICENCE = "CC BY 2.5"
EXISTING = ("docs.jsonl", "docs2.jsonl")
ATTR = re.compile(r'(\w+)="([^"]*)"')
BLOCK = re.compile(r"^<(head|p|quote)>(.*)</\1>$")


def population(path):
    names = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                folder, *words = line.split()
                names += [f"{folder}/xml/AMALGUM_news_{w}.xml" for w in words]
    names = sorted(set(names))
    random.Random(SEED).shuffle(names)
    return names[:SAMPLE_MAX]


def read_raw(path):
    with open(path, encoding="utf-8") as f:
        lines = [ln.rstrip("\n") for ln in f if ln.strip()]
    meta = {k: html.unescape(v) for k, v in ATTR.findall(lines[0])}
    blocks = []
    for ln in lines[1:]:
        m = BLOCK.match(ln.strip())
        if not m:
            sys.exit(f"{path}: cannot read line {ln[:60]!r}")
        blocks.append((m.group(1), m.group(2).strip()))
    return meta, blocks


def document(meta, blocks):
    paras = [t for kind, t in blocks if kind == "p" and t and not t.startswith("File:")]
    published = None
    if paras:
        m = bc2.DATELINE_PREFIX.match(paras[0])
        if m:
            published = "%s-%02d-%02d" % (m.group(4), bc2.MONTHS[m.group(2)], int(m.group(3)))
            rest = paras[0][m.end():].strip()
            paras = ([rest] if rest else []) + paras[1:]
    if not published and re.match(r"^\d{4}-\d{2}-\d{2}$", meta.get("dateCreated", "")):
        published = meta["dateCreated"]
    return bc.clean("\n\n".join(paras)), published


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", default=os.path.join(HERE, "raw"))
    ap.add_argument("--names", default=os.path.join(HERE, "amalgum_enumerated.txt"))
    ap.add_argument("--out", default=os.path.join(HERE, "docs3.jsonl"))
    args = ap.parse_args()

    seen_urls, seen_titles = set(), set()
    for name in EXISTING:
        with open(os.path.join(HERE, name), encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    d = json.loads(line)
                    seen_urls.add(bc2.norm_url(d["url"]))
                    seen_titles.add(bc2.norm_title(d["title"]))

    order = population(args.names)
    raws = [os.path.join(args.raw, os.path.basename(p)[:-len(".xml")] + ".txt") for p in order]
    missing = [p for p, r in zip(order, raws) if not os.path.exists(r)]
    # Only the unbroken prefix of the random order is used, so the batch stays a
    # random sample even when a later document was read early (it waits its turn).
    dropped, docs = Counter(), []
    for path, raw in zip(order, raws):
        if not os.path.exists(raw):
            break
        meta, blocks = read_raw(raw)
        if meta.get("path") != path:
            sys.exit(f"{raw}: path {meta.get('path')} is not {path}")
        url, title = bc2.norm_url(meta.get("sourceURL", "")), meta.get("title", "").strip()
        if not url.startswith("https://en.wikinews.org/wiki/") or not title:
            dropped["no Wikinews URL or title"] += 1
            continue
        if url in seen_urls or bc2.norm_title(title) in seen_titles:
            dropped["already in docs.jsonl, docs2.jsonl or earlier in docs3 (URL/title)"] += 1
            continue
        seen_urls.add(url)
        seen_titles.add(bc2.norm_title(title))
        body, published = document(meta, blocks)
        text = bc.lede(body)
        if len(text) < bc.MIN_CHARS:
            dropped[f"stub (< {bc.MIN_CHARS} chars of text)"] += 1
            continue
        if not bc.english_like(text):
            dropped["not English"] += 1
            continue
        sid = hashlib.sha1(url.encode("utf-8")).hexdigest()[:12]
        docs.append({"id": f"{SOURCE}-{sid}", "title": title, "text": text,
                     "published": published, "url": url, "source": SOURCE,
                     "licence": LICENCE})

    with open(args.out, "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    read = len(order) - len(missing)
    print(f"population {len(order)}; raw files present {read}; kept {len(docs)}, "
          f"dropped {sum(dropped.values())}")
    for k, v in sorted(dropped.items()):
        print(f"  dropped {v}: {k}")
    if missing:
        have = [p not in missing for p in order]
        prefix = have.index(False) if False in have else len(order)
        extra = [p for i, p in enumerate(order) if have[i] and i > prefix]
        print(f"  read: the first {prefix} of the order, plus {len(extra)} later "
              f"one(s) read out of turn: {extra}; not read: {len(missing)}")

if __name__ == "__main__":
    main()

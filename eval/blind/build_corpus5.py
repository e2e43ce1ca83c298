#!/usr/bin/env python3
"""Build eval/blind/docs5.jsonl: Wikinews articles found in the search tool's stored web pages.

Standard library only. Nothing here imports or runs sitrep: the texts must
stay unseen by the extractor until gold labels are coded.

Source: English Wikinews articles (CC BY 2.5) as the search tool's `pages`
corpus (stored copies of public web pages) holds them: en.wikinews.org pages
and mirrors that reproduce the articles (en.wikiactu.com with its CC BY 2.5
notice, WordPress copy sites, dataset viewers). No script can fetch those
pages, so the session that coded the batch transcribed each article's title,
date and opening paragraphs by hand into `raw5/<id>.txt` (git-ignored). The
raw files are the record of the text; docs5.jsonl itself is committed (the
licence allows it). See DATA_CARD.md, "Fifth batch".

Sampling frame: `frame5.tsv`, every Wikinews main-namespace article that the
topic-neutral queries listed in DATA_CARD.md returned (as a page of its own or
as an item on a mirror's listing page), minus duplicates of docs*.jsonl.
Order: the frame sorted by title, then random.Random(SEED).shuffle. Articles
were read in that order, none skipped for its topic; an article whose full
text could not be found at a verifiable copy (an en.wikinews.org page, a
mirror carrying Wikinews' CC BY 2.5 notice, or a copy giving the
en.wikinews.org URL) has no raw file and is reported as not found.

One raw file holds:

    <text title="..." url="https://en.wikinews.org/wiki/..." published="YYYY-MM-DD" read_at="..." verified="...">
    <p>...</p>          one paragraph of running text, in page order
    <head>...</head>    a heading (never running text)
    <quote>...</quote>  a pull-quote box (never running text)

up to and a little past the 1,200 characters a lede can use.

    python3 eval/blind/build_corpus5.py [--raw eval/blind/raw5] [--frame eval/blind/frame5.tsv] [--out eval/blind/docs5.jsonl]
    python3 eval/blind/build_corpus5.py --order      # print the frame in reading order
"""
import argparse
import csv
import json
import os
import random
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import build_corpus as bc    # noqa: E402  (same folder, standard library only)
import build_corpus2 as bc2  # noqa: E402
import build_corpus3 as bc3  # noqa: E402
import build_corpus4 as bc4  # noqa: E402

SEED = 20261205
SOURCE = "wikinews"
LICENCE = "CC BY 2.5"
EXISTING = ("docs.jsonl", "docs2.jsonl", "docs3.jsonl", "docs4.jsonl")
WIKINEWS = "https://en.wikinews.org/wiki/"


def doc_id(url):
    """The first batch's id rule: source + 12 hex digits of SHA-1 of the (percent-decoded) URL."""
    return bc.record(bc2.norm_url(url), "", "", None, source=SOURCE)["id"]


def read_frame(path):
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def reading_order(frame):
    """The order the articles were read in: round by round, each round's rows sorted by title and shuffled.

    Round 1 is shuffled with SEED, round r with SEED + r - 1. A round's rows were all collected before any
    of them was read, and a later round never changes the order of an earlier one.
    """
    order = []
    for rnd in sorted({int(r.get("round") or 1) for r in frame}):
        rows = sorted((r for r in frame if int(r.get("round") or 1) == rnd), key=lambda r: r["title"])
        random.Random(SEED + rnd - 1).shuffle(rows)
        order += rows
    return order


def read_log(path):
    """pos -> row of read5.tsv (what reading each position of the order found)."""
    if not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as f:
        return {int(r["pos"]): r for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)}


def build(order, raw_dir, seen_urls, seen_titles, log=None):
    """(documents, dropped counts, per-position status) for the frame in reading order."""
    docs, dropped, status, log = [], Counter(), [], log or {}
    for pos, row in enumerate(order):
        entry = log.get(pos, {})
        if entry and entry["frame_title"] != row["title"]:
            sys.exit(f"read5.tsv position {pos} is {entry['frame_title']!r}, the order has {row['title']!r}")
        # the URL reading found wins: a listing item may have had its title cut off or shortened
        url = bc2.norm_url(entry.get("url") or row["url"])
        if entry.get("outcome") == "not found":
            status.append((pos, row["title"], "not found at a verifiable copy"))
            continue
        if not url:
            status.append((pos, row["title"], "not read yet" if not entry else "not identifiable"))
            continue
        if url in seen_urls or bc2.norm_title(row["title"]) in seen_titles:
            dropped["already in docs.jsonl .. docs4.jsonl or earlier in docs5 (URL/title)"] += 1
            status.append((pos, row["title"], "duplicate"))
            continue
        raw = os.path.join(raw_dir, doc_id(url) + ".txt")
        if not os.path.exists(raw):
            status.append((pos, row["title"], "not read yet" if not entry else "read, but no raw file"))
            continue
        meta, blocks = bc3.read_raw(raw)
        if bc2.norm_url(meta.get("url", "")) != url:
            sys.exit(f"{raw}: url {meta.get('url')} is not the frame's {url}")
        seen_urls.add(url)
        seen_titles.add(bc2.norm_title(row["title"]))
        paras = [t for kind, t in blocks if kind == "p" and t]
        text = bc.lede(bc.clean("\n\n".join(paras)))
        if len(text) < bc.MIN_CHARS:
            dropped[f"stub (< {bc.MIN_CHARS} chars of text)"] += 1
            status.append((pos, row["title"], "stub"))
            continue
        if not bc.english_like(text):
            dropped["not English"] += 1
            status.append((pos, row["title"], "not English"))
            continue
        docs.append(bc.record(url, meta["title"], text, meta.get("published") or None, source=SOURCE,
                              licence=LICENCE))
        status.append((pos, row["title"], "kept"))
    return docs, dropped, status


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", default=os.path.join(HERE, "raw5"))
    ap.add_argument("--frame", default=os.path.join(HERE, "frame5.tsv"))
    ap.add_argument("--log", default=os.path.join(HERE, "read5.tsv"))
    ap.add_argument("--out", default=os.path.join(HERE, "docs5.jsonl"))
    ap.add_argument("--order", action="store_true", help="print the reading order and exit")
    args = ap.parse_args()

    order = reading_order(read_frame(args.frame))
    if args.order:
        for pos, row in enumerate(order):
            print(pos, doc_id(row["url"]) if row["url"] else "-", row["date"], row["title"], sep="\t")
        return
    seen_urls, seen_titles = bc4.seen_keys(EXISTING)
    docs, dropped, status = build(order, args.raw, seen_urls, seen_titles, read_log(args.log))
    with open(args.out, "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    print(f"frame {len(order)}; kept {len(docs)}, dropped {sum(dropped.values())}")
    for k, v in sorted(dropped.items()):
        print(f"  dropped {v}: {k}")
    for what, n in sorted(Counter(s for _, _, s in status).items()):
        print(f"  {what}: {n}")
    for pos, title, what in status:
        if what not in ("kept", "not read yet"):
            print(f"    {pos}: {what}: {title}")


if __name__ == "__main__":
    main()

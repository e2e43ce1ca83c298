#!/usr/bin/env python3
"""Build eval/blind/docs4.jsonl: the rest of the AMALGUM Wikinews sample (positions 48 onwards).

Standard library only. Nothing here imports or runs sitrep: the texts must
stay unseen by the extractor until gold labels are coded.

The fourth batch continues the third (build_corpus3.py, docs3.jsonl): the same
population (`amalgum_enumerated.txt`), the same seeded random order, the same
raw-file format (`raw/AMALGUM_news_<name>.txt`, transcribed by hand from the
AMALGUM XML; see DATA_CARD.md) and the same cleaning, dateline and lede rules,
all imported from build_corpus3.py / build_corpus.py / build_corpus2.py.

    python3 eval/blind/build_corpus4.py [--raw eval/blind/raw] [--out eval/blind/docs4.jsonl]

The third batch is the unbroken prefix of the order, positions 0-47. Here two
coders read alternate positions at the same time (coder f the even ones 48,
50, ..., coder g the odd ones 49, 51, ...), so the raw files present need not
form an unbroken run: every position from FIRST on that has a raw file is
used, and the script reports which positions were present and which missing,
per coder. Which positions were read depends only on each coder's pace through
the fixed order, never on a document's content, so the batch is still a
random sample of the population. Output keeps the order.

Dropped, and counted: raw files whose `path` is not the document of their
position, documents without a Wikinews URL or title, duplicates of
docs.jsonl / docs2.jsonl / docs3.jsonl or of an earlier docs4 document
(normalised URL or title), stubs (< 150 characters of lede) and non-English
texts.
"""
import argparse
import hashlib
import json
import os
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import build_corpus as bc    # noqa: E402  (same folder, standard library only)
import build_corpus2 as bc2  # noqa: E402
import build_corpus3 as bc3  # noqa: E402

FIRST = 48                   # positions 0-47 are docs3.jsonl
EXISTING = ("docs.jsonl", "docs2.jsonl", "docs3.jsonl")
CODERS = {0: "f (even positions)", 1: "g (odd positions)"}


def raw_path(raw_dir, xml_path):
    return os.path.join(raw_dir, os.path.basename(xml_path)[:-len(".xml")] + ".txt")


def seen_keys(names):
    """Normalised URLs and titles of every document already in the earlier batches."""
    urls, titles = set(), set()
    for name in names:
        path = os.path.join(HERE, name)
        if not os.path.exists(path):
            sys.exit(f"{path} is missing: duplicates could not be checked")
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    d = json.loads(line)
                    urls.add(bc2.norm_url(d["url"]))
                    titles.add(bc2.norm_title(d["title"]))
    return urls, titles


def build(order, raw_dir, seen_urls, seen_titles):
    """(documents, dropped counts, positions present) for the positions FIRST.. of the order."""
    docs, dropped, present = [], Counter(), []
    for pos in range(FIRST, len(order)):
        xml_path = order[pos]
        raw = raw_path(raw_dir, xml_path)
        if not os.path.exists(raw):
            continue
        present.append(pos)
        meta, blocks = bc3.read_raw(raw)
        if meta.get("path") != xml_path:
            # a raw file must say which document it transcribes; a mismatch is a naming mistake
            dropped[f"raw file's path is not the document of its position ({os.path.basename(raw)})"] += 1
            continue
        url, title = bc2.norm_url(meta.get("sourceURL", "")), meta.get("title", "").strip()
        if not url.startswith("https://en.wikinews.org/wiki/") or not title:
            dropped["no Wikinews URL or title"] += 1
            continue
        if url in seen_urls or bc2.norm_title(title) in seen_titles:
            dropped["already in docs.jsonl, docs2.jsonl, docs3.jsonl or earlier in docs4 (URL/title)"] += 1
            continue
        seen_urls.add(url)
        seen_titles.add(bc2.norm_title(title))
        body, published = bc3.document(meta, blocks)
        text = bc.lede(body)
        if len(text) < bc.MIN_CHARS:
            dropped[f"stub (< {bc.MIN_CHARS} chars of text)"] += 1
            continue
        if not bc.english_like(text):
            dropped["not English"] += 1
            continue
        sid = hashlib.sha1(url.encode("utf-8")).hexdigest()[:12]
        docs.append({"id": f"{bc3.SOURCE}-{sid}", "title": title, "text": text,
                     "published": published, "url": url, "source": bc3.SOURCE,
                     "licence": bc3.LICENCE})
    return docs, dropped, present


def runs(positions, step=2):
    """'48-84, 90, 94-98' for positions of one parity (a run goes up in steps of 2)."""
    out, start, prev = [], None, None
    for p in positions:
        if start is None:
            start = prev = p
        elif p == prev + step:
            prev = p
        else:
            out.append(f"{start}-{prev}" if prev != start else str(start))
            start = prev = p
    if start is not None:
        out.append(f"{start}-{prev}" if prev != start else str(start))
    return ", ".join(out) or "none"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", default=os.path.join(HERE, "raw"))
    ap.add_argument("--names", default=os.path.join(HERE, "amalgum_enumerated.txt"))
    ap.add_argument("--out", default=os.path.join(HERE, "docs4.jsonl"))
    args = ap.parse_args()

    order = bc3.population(args.names)
    seen_urls, seen_titles = seen_keys(EXISTING)
    docs, dropped, present = build(order, args.raw, seen_urls, seen_titles)

    with open(args.out, "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")

    wanted = range(FIRST, len(order))
    print(f"population {len(order)}; positions {FIRST}-{len(order) - 1}: {len(wanted)}; "
          f"raw files present {len(present)}; kept {len(docs)}, dropped {sum(dropped.values())}")
    for k, v in sorted(dropped.items()):
        print(f"  dropped {v}: {k}")
    have = set(present)
    for parity, coder in CODERS.items():
        mine = [p for p in wanted if p % 2 == parity]
        got = [p for p in mine if p in have]
        missing = [p for p in mine if p not in have]
        print(f"  coder {coder}: present {len(got)} of {len(mine)}: {runs(got)}; missing: {runs(missing)}")


if __name__ == "__main__":
    main()

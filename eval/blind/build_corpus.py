#!/usr/bin/env python3
"""Rebuild eval/blind/docs.jsonl from a pinned snapshot of vanatteveldt/wikinews.

Standard library only. It reads the two CSV files straight out of the git
object store of the fetched snapshot (no work tree needed), so the recipe is:

    python3 eval/blind/build_corpus.py \
        --repo /work/.mirror/vanatteveldt+wikinews/repo \
        --out eval/blind/docs.jsonl

Nothing here imports or runs sitrep: the texts must stay unseen by the
extractor until gold labels are coded.
"""
import argparse
import csv
import hashlib
import io
import json
import random
import re
import subprocess
import sys
from collections import Counter

COMMIT = "347254178bf343f3801aac1d03c41cc09c35decb"
# path -> git blob id at COMMIT (checked, so a different snapshot fails loudly)
FILES = {
    "data/wikinews_2019.csv": "aea90cd7c56a6bf77cf79476fe81f69c02d8ad11",
    "data/wikinews_2020.csv": "ee3f93268c81bb2357dba4b5ff38adf9389f9893",
}
SEED = 20261201
LEDE_MAX = 1200
MIN_CHARS = 150
LICENCE = "CC BY 2.5"

DATELINE = re.compile(
    r"^(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, "
    r"(January|February|March|April|May|June|July|August|September|October|"
    r"November|December) \d{1,2}, \d{4}$")
BOILER = ("Have an opinion on this story?", "Share this:", "This page is archived",
          "From Wikinews, the free news source")
QUOTE_OPEN = ('"', "\u201c", "'", "\u2018")
QUOTE_CLOSE = ('"', "\u201d", "'", "\u2019")


def git_show(repo, path):
    blob = subprocess.run(["git", "-C", repo, "rev-parse", f"{COMMIT}:{path}"],
                          capture_output=True, text=True, check=True).stdout.strip()
    if blob != FILES[path]:
        sys.exit(f"{path}: blob {blob} differs from pinned {FILES[path]}")
    return subprocess.run(["git", "-C", repo, "show", f"{COMMIT}:{path}"],
                          capture_output=True, check=True).stdout.decode("utf-8")


# Wikinews {{Translation}}-style marker: "((es))Spanish language: \u200d<original text>"
ORIG_LANG = re.compile(r"\s*\(\([a-z]{2,3}(?:-[a-z]+)?\)\)[A-Za-z ]{2,30}:\s*\u200d([^\n]*?)(?=  |\n|$)")
SPEAKER = re.compile(r"\(\(([^()\n]{1,40})\)\)\s+")      # interview turn: "((WN))  question"


def drop_original_language(m):
    seg = m.group(1)
    # a quote or passage in the original language runs to the end of the line
    # (or to a double space): drop it; a short inline name keeps its words
    letters = [c for c in seg if c.isalpha()]
    foreign_script = letters and sum(not c.isascii() for c in letters) > len(letters) / 2
    if (len(seg) > 60 or foreign_script or m.end() >= len(m.string)
            or m.string[m.end()] == "\n"):
        return ""
    return " " + seg


def paragraphs(text):
    text = text.replace("\xa0", " ").replace("\r", "")
    text = ORIG_LANG.sub(drop_original_language, text)
    text = SPEAKER.sub(lambda m: m.group(1) + ": ", text).replace("\u200d", "")
    out = []
    for p in re.split(r"\n\s*\n", text):
        p = re.sub(r"\s+", " ", p).strip()
        if p:
            out.append(p)
    return out


def clean(text):
    """Plain-text paragraphs of the article body, with page furniture removed."""
    ps = paragraphs(text)
    if ps and DATELINE.match(ps[0]):
        ps = ps[1:]
    kept = []
    for p in ps:
        if any(p.startswith(b) for b in BOILER):
            break                                  # end of article content
        if p.startswith(("\u2014", "\u2013")) and len(p) < 200:
            # attribution line of a pull-quote box: drop it and the quote before it
            if (kept and kept[-1].startswith(QUOTE_OPEN)
                    and kept[-1].endswith(QUOTE_CLOSE) and len(kept[-1]) < 400):
                kept.pop()
            continue
        if p.startswith(("Image:", "\u2588", "* ")):  # image credits, map legends, notes
            continue
        if p.startswith(QUOTE_OPEN) and re.search(r"(\[\.\.\.\]|\[\u2026\])[\"\u201d]?$", p):
            continue                               # truncated pull-quote box
        if len(p) < 40 and not re.search(r"[.!?\"\u201d]$", p):
            continue                               # captions, legend fragments
        if re.match(r"^(\[\[|\{\{|Category:|Sources?$|References$)", p):
            continue
        kept.append(p)
    return kept


ABBREV = re.compile(r"(\b[A-Z]|\b(?:[A-Z]\.)+[A-Z]|\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Lt|Col|Sgt|"
                    r"Rep|Sen|Gov|Prof|No|vs|Inc|Co|Corp|Ltd|approx|etc|"
                    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec))\.$")


def sentence_cut(p, limit, balanced_only=False):
    """Longest prefix of p ending at a sentence end within limit chars.

    A sentence end is . ! or ? (optionally followed by a closing quote or
    bracket) before whitespace and a capital letter, quote or digit; ellipses,
    "[...]" and common abbreviations ("U.S.", "Mr.", initials) are not ends.
    """
    ends = []
    for m in re.finditer(r"(?<![.\[])[.!?](?![.\]])[\"\u201d\u2019')\]]?(?=\s+[A-Z\"\u201c'\u2018(0-9]|\s*$)", p):
        if m.end() > limit:
            break
        if p[m.start()] == "." and ABBREV.search(p[:m.start() + 1]):
            continue
        ends.append(m.end())
    if not ends:
        return None
    # prefer a cut that does not leave a quotation open
    for e in reversed(ends):
        head = p[:e]
        if head.count('"') % 2 == 0 and head.count("\u201c") == head.count("\u201d"):
            return head.strip()
    return None if balanced_only else p[:ends[-1]].strip()


def lede(ps, limit=LEDE_MAX):
    out, total = [], 0
    for p in ps:
        add = len(p) + (2 if out else 0)
        if total + add <= limit:
            out.append(p)
            total += add
            continue
        # paragraph does not fit: keep its leading whole sentences that do
        room = limit - total - (2 if out else 0)
        # (a later paragraph is only cut where no quotation is left open)
        cut = sentence_cut(p, room, balanced_only=bool(out)) if room > 0 else None
        if cut:
            out.append(cut)
        break
    return "\n\n".join(out)


def english_like(s):
    letters = [c for c in s if c.isalpha()]
    if not letters:
        return False
    ascii_share = sum(c.isascii() for c in letters) / len(letters)
    common = len(re.findall(r"\b(the|and|of|to|in|a|is|was|on|for)\b", s.lower()))
    return ascii_share > 0.9 and common >= 3


def record(url, title, text, published, source="wikinews", licence=LICENCE):
    """One document; its id is stable: the source plus 12 hex digits of the SHA-1 of its URL."""
    sid = hashlib.sha1(url.encode("utf-8")).hexdigest()[:12]
    return {"id": f"{source}-{sid}", "title": title, "text": text, "published": published, "url": url,
            "source": source, "licence": licence}


def write_shuffled(docs, seed, path):
    """Documents in a seeded random order (independent of topic and date), one JSON object a line."""
    docs.sort(key=lambda d: d["id"])
    random.Random(seed).shuffle(docs)
    with open(path, "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", default="/work/.mirror/vanatteveldt+wikinews/repo")
    ap.add_argument("--out", default="eval/blind/docs.jsonl")
    args = ap.parse_args()

    rows = []
    for path in FILES:
        rows += list(csv.DictReader(io.StringIO(git_show(args.repo, path))))
    population = len(rows)

    dropped = Counter()
    docs, seen = [], set()
    for r in rows:
        url = r["url"].replace("wikinews.org//wiki/", "wikinews.org/wiki/")
        title = r["title"].strip()
        if url in seen:
            dropped["duplicate url"] += 1
            continue
        seen.add(url)
        if re.match(r"^[^:]+:\S", title):         # "Namespace:Page", e.g. "TEST PAGE:..."
            dropped["not an article (non-main namespace / test page)"] += 1
            continue
        body = clean(r["text"])
        text = lede(body)
        if len(text) < MIN_CHARS:
            dropped[f"stub (< {MIN_CHARS} chars of text)"] += 1
            continue
        if not english_like(text):
            dropped["not English"] += 1
            continue
        date = r["date"].strip()
        published = date if re.match(r"^\d{4}-\d{2}-\d{2}$", date) else None
        docs.append(record(url, title, text, published))

    # The whole (cleaned) population is kept: it is smaller than the target
    # size, so "sampling" is a seeded random permutation of all of it.
    write_shuffled(docs, SEED, args.out)
    print(f"population {population}, kept {len(docs)}, dropped {sum(dropped.values())}")
    for k, v in sorted(dropped.items()):
        print(f"  dropped {v}: {k}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Build eval/blind/docs2.jsonl: more English Wikinews ledes, from CoNLL-U corpora.

Standard library only. Nothing here imports or runs sitrep: the texts must
stay unseen by the extractor until gold labels are coded.

Sources (both are Wikinews text, CC BY 2.5, in the same CoNLL-U layout with
`# meta::title`, `# meta::sourceURL`, `# meta::dateCreated`, `# newpar...`
block markers and the untokenised `# text = ...` of every sentence):

* GUM (amir-zeldes/gum), genre "news": read straight from the git object store
  of the fetched snapshot, pinned to COMMIT / DEP_TREE below. Always used.
* AMALGUM (gucorpling/amalgum), genre "news" in `amalgum/news/dep/` and
  `amalgum_extra/news/dep/`: only when `--amalgum-repo` points at a git
  checkout or bare clone of it. The snapshot was too large to fetch in the
  session that wrote this, so docs2.jsonl as committed has none of it; see
  DATA_CARD.md.

    python3 eval/blind/build_corpus2.py \
        --gum-repo /work/.mirror/amir-zeldes+gum/repo \
        [--amalgum-repo /path/to/amalgum] \
        --out eval/blind/docs2.jsonl

The lede rules (cleaning, dateline, 1,200-character cut at paragraph or
sentence ends) are the ones of build_corpus.py, imported from it.
"""
import argparse
import json
import os
import re
import subprocess
import sys
from collections import Counter
from urllib.parse import unquote

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import build_corpus as bc  # noqa: E402  (same folder, standard library only)

GUM_COMMIT = "72ce5ac14978a324c2fd18d49484e65292cbe316"
GUM_DEP_TREE = "37f43fd383897a1ac139b95fd28e6b5a614e33d9"   # tree id of dep/ at GUM_COMMIT
GUM_PATTERN = re.compile(r"^dep/GUM_news_[^/]+\.conllu$")
AMALGUM_PATTERN = re.compile(r"^amalgum(_extra)?/news/dep/AMALGUM_news_[^/]+\.conllu$")
SEED = 20261202
LICENCE = "CC BY 2.5"

DATELINE_PREFIX = re.compile(
    r"^((?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, "
    r"(January|February|March|April|May|June|July|August|September|October|"
    r"November|December) (\d{1,2}), (\d{4}))(?:$|\s+(?=[A-Z\"\u201c]))")
MONTHS = {m: i for i, m in enumerate(
    "January February March April May June July August September October "
    "November December".split(), 1)}
PULL_QUOTE = re.compile(r"[.!?][\"\u201d]?\s+(?:[A-Z][\w'.-]*\s?){1,4}$")
SKIP_BLOCKS = {"head", "caption", "quote", "item", "list", "table", "sp", "note"}


def git(repo, *args):
    return subprocess.run(["git", "--git-dir", repo, *args], capture_output=True,
                          check=True).stdout.decode("utf-8")


def git_dir(path):
    """Accept a bare repository or a work tree with a .git folder."""
    return os.path.join(path, ".git") if os.path.isdir(os.path.join(path, ".git")) else path


def conllu_files(repo, commit, pattern):
    names = git(repo, "ls-tree", "-r", "--name-only", commit).split("\n")
    return sorted(n for n in names if pattern.match(n))


def parse_block(value):
    """'p (3 s) | quote (1 s)' -> [('p', 3), ('quote', 1)], outermost first."""
    out = []
    for part in value.split("|"):
        part = part.strip()
        m = re.search(r"\((\d+) s\)\s*$", part)
        name = part.split(" ")[0] if part else "p"
        out.append((name, int(m.group(1)) if m else 10 ** 6))
    return out


def parse_conllu(text):
    """Metadata and paragraphs [(kind chain, [sentence texts])] of one document.

    A `# newpar_block` (GUM) or `# newpar` (AMALGUM) line opens nested blocks,
    each with its sentence count: the innermost block takes the next n
    sentences, then its parent the rest of its count, and so on. Sentences
    after every count is used up sit outside any block ("loose" text, which
    GUM has e.g. after a figure) and count as running text. A paragraph ends
    wherever the block a sentence belongs to changes.
    """
    meta, paras = {}, []
    stack, current = [], None          # stack: [name, remaining] outermost first
    for line in text.split("\n"):
        if not line.startswith("#"):
            continue
        if line.startswith("# meta::"):
            k, _, v = line[len("# meta::"):].partition(" = ")
            meta[k.strip()] = v.strip()
        elif line.startswith("# newdoc id = "):
            meta["doc_id"] = line.split(" = ", 1)[1].strip()
        elif line.startswith("# newpar_block = ") or line.startswith("# newpar = "):
            stack = [[n, c] for n, c in parse_block(line.split(" = ", 1)[1])]
            current = None                 # a new block always starts a paragraph
        elif line.startswith("# text = "):
            # innermost block with sentences left takes this sentence
            depth = max((i for i, (_, c) in enumerate(stack) if c > 0), default=-1)
            chain = tuple(n for n, _ in stack[:depth + 1])
            for entry in stack[:depth + 1]:
                entry[1] -= 1
            key = (id(stack), depth)
            if key != current:
                paras.append((chain, []))
                current = key
            paras[-1][1].append(line[len("# text = "):].strip())
    return meta, paras


def block_kind(chain):
    """'body' for running text; otherwise the block type that excludes it."""
    bad = SKIP_BLOCKS.intersection(chain)
    if bad:
        return sorted(bad)[0]
    return "body"


FUNCTION_WORDS = set("""a an the and or but nor so yet for of to in on at by with from as
if than that this these those which who whom whose where when while what why how
it its he she they we you i his her their our was were is are be been has have had
not no also only even just then there here all some any both each""".split())


def fix_hyphens(p):
    """Undo the corpus tokeniser's spaced hyphens ("six - member" -> "six-member").

    Only between two word characters with a lower-case, non-function word on
    the right, so real dashes ("the study - where", "States - This") stay, and
    never in a sentence with two spaced hyphens (a parenthetical dash pair).
    """
    if p.count(" - ") != 1:
        return p
    def join(m):
        right = m.group(2)
        if right.lower() in FUNCTION_WORDS or not right[0].islower() and not right[0].isdigit():
            return m.group(0)
        return m.group(1) + "-" + right
    return re.sub(r"(\w+) - (\w+)", join, p)


def document(text):
    meta, blocks = parse_conllu(text)
    paras = [" ".join(fix_hyphens(x) for x in s) for chain, s in blocks
             if block_kind(chain) == "body" and s]
    published = None
    if paras:
        m = DATELINE_PREFIX.match(paras[0])
        if m:
            published = "%s-%02d-%02d" % (m.group(4), MONTHS[m.group(2)], int(m.group(3)))
            rest = paras[0][m.end():].strip()
            paras = ([rest] if rest else []) + paras[1:]
    if not published and re.match(r"^\d{4}-\d{2}-\d{2}$", meta.get("dateCreated", "")):
        published = meta["dateCreated"]
    # pull-quote box: a quotation followed by the bare name of its speaker
    paras = [p for p in paras
             if not (PULL_QUOTE.search(p) and not p.endswith((".", "!", "?", '"', "\u201d")))]
    body = bc.clean("\n\n".join(paras))
    return meta, body, published


def norm_url(url):
    url = unquote(url.strip()).replace(" ", "_").replace("http://", "https://")
    return url.replace("wikinews.org//wiki/", "wikinews.org/wiki/")


def norm_title(t):
    return re.sub(r"\W+", " ", t.lower()).strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gum-repo", default="/work/.mirror/amir-zeldes+gum/repo")
    ap.add_argument("--amalgum-repo", default=None,
                    help="git checkout or bare clone of gucorpling/amalgum (optional)")
    ap.add_argument("--amalgum-commit", default="HEAD")
    ap.add_argument("--existing", default=os.path.join(os.path.dirname(
        os.path.abspath(__file__)), "docs.jsonl"))
    ap.add_argument("--out", default="eval/blind/docs2.jsonl")
    args = ap.parse_args()

    gum = git_dir(args.gum_repo)
    tree = git(gum, "rev-parse", f"{GUM_COMMIT}:dep").strip()
    if tree != GUM_DEP_TREE:
        sys.exit(f"GUM dep/ tree {tree} differs from pinned {GUM_DEP_TREE}")
    inputs = [("gum", gum, GUM_COMMIT, p) for p in conllu_files(gum, GUM_COMMIT, GUM_PATTERN)]
    if args.amalgum_repo:
        am = git_dir(args.amalgum_repo)
        commit = git(am, "rev-parse", args.amalgum_commit).strip()
        print(f"AMALGUM commit {commit}")
        inputs += [("amalgum", am, commit, p)
                   for p in conllu_files(am, commit, AMALGUM_PATTERN)]

    seen_urls, seen_titles = set(), set()
    with open(args.existing, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                seen_urls.add(norm_url(d["url"]))
                seen_titles.add(norm_title(d["title"]))

    population = Counter(src for src, *_ in inputs)
    dropped, docs = Counter(), []
    for src, repo, commit, path in inputs:
        meta, body, published = document(git(repo, "show", f"{commit}:{path}"))
        url, title = norm_url(meta.get("sourceURL", "")), meta.get("title", "").strip()
        if not url.startswith("https://en.wikinews.org/wiki/") or not title:
            dropped[f"{src}: no Wikinews URL or title"] += 1
            continue
        if url in seen_urls or norm_title(title) in seen_titles:
            dropped[f"{src}: already in docs.jsonl or docs2.jsonl (URL/title)"] += 1
            continue
        seen_urls.add(url)
        seen_titles.add(norm_title(title))
        text = bc.lede(body)
        if len(text) < bc.MIN_CHARS:
            dropped[f"{src}: stub (< {bc.MIN_CHARS} chars of text)"] += 1
            continue
        if not bc.english_like(text):
            dropped[f"{src}: not English"] += 1
            continue
        docs.append(bc.record(url, title, text, published, licence=LICENCE))

    # Every usable document is kept (the population is below the 320 wanted);
    # the order is a seeded random permutation, independent of topic and date.
    bc.write_shuffled(docs, SEED, args.out)
    print("population " + ", ".join(f"{k} {v}" for k, v in sorted(population.items()))
          + f"; kept {len(docs)}, dropped {sum(dropped.values())}")
    for k, v in sorted(dropped.items()):
        print(f"  dropped {v}: {k}")


if __name__ == "__main__":
    main()

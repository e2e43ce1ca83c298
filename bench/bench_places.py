"""Place resolution on its own: where would an event in each gold text's first sentence be placed?

The event scorer only sees places for texts that yield an event, so place errors and missed events are mixed.
This puts one stand-in event on the root of the first sentence of every text (real events, where the extractor
finds them, are used instead) and scores country, admin1, location name and coordinates the way
`shared/eval/score.py` does.

    PYTHONPATH=src python bench/bench_places.py ../shared/eval-data/dev/ucdp-ged-dev.jsonl [--errors 30]
"""
from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
import unicodedata

PLACE_DROP = {"province", "state", "governorate", "district", "region", "city", "county", "oblast", "prefecture",
              "municipality", "department", "division", "territory", "town", "village", "of", "the"}


def norm(s) -> str:
    """The scorer's place normalisation (score.py norm_place)."""
    if s is None:
        return ""
    s = unicodedata.normalize("NFKD", str(s))
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()
    s = re.sub(r"['\u2019\u2018`\u02bc]", "", s)
    toks = re.sub(r"[^\w\s]|_", " ", s).split()
    kept = [t for t in toks if t not in PLACE_DROP]
    return " ".join(kept or toks)


def km(a, b, c, d) -> float:
    p1, p2 = math.radians(a), math.radians(c)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(d - b) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("gold")
    ap.add_argument("--errors", type=int, default=0)
    ap.add_argument("--field", default="country")
    ap.add_argument("--save", help="write each text's predicted place here (JSONL), to compare two runs")
    args = ap.parse_args(argv)

    from sitrep.extract.context import DocContext
    from sitrep.extract.pipeline import Extractor
    from sitrep.model import Article, Event

    rows = [json.loads(line) for line in open(args.gold, encoding="utf-8") if line.strip()]
    ex = Extractor()
    places = dict(ex.stages)["places"]
    t0 = time.time()
    stats = {f: [0, 0] for f in ("country", "admin1", "admin2", "location_name", "25km")}
    errors = []
    saved = open(args.save, "w", encoding="utf-8") if args.save else None
    for r in rows:
        art = Article(id=r["id"], text=r["text"], title=r.get("title"), published=r.get("published"))
        doc = ex.nlp(art.text)
        ctx = DocContext(article=art, doc=doc, sents=list(doc.sents))
        sent = ctx.sents[0]
        ev = Event(article_id=art.id, event_type="ASSAULT", sentence=sent.text,
                   sentence_span=(sent.start_char, sent.end_char), sent_index=0, trigger_index=sent.root.i)
        places(ctx, [ev])
        loc = ev.location
        g = r["gold"][0]
        pred = {
            "country": loc.country if loc else None, "admin1": loc.admin1 if loc else None,
            "admin2": loc.admin2 if loc else None, "location_name": loc.name if loc else None,
        }
        if saved is not None:
            saved.write(json.dumps({"id": r["id"], "text": r["text"][:200], "gold": g, "pred": pred},
                                   ensure_ascii=False) + "\n")
        for f in ("country", "admin1", "admin2", "location_name"):
            if g.get(f) is None:
                continue
            ok = norm(pred[f]) == norm(g[f]) if f != "country" else (pred[f] or "").upper() == g[f].upper()
            stats[f][0] += ok
            stats[f][1] += 1
            if not ok and f == args.field:
                errors.append((r["text"][:140], g.get("country"), g.get("admin1"), g.get("location_name"),
                               pred, getattr(loc, "precision", None)))
        if g.get("lat") is not None:
            ok = loc is not None and loc.lat is not None and km(g["lat"], g["lon"], loc.lat, loc.lon) <= 25
            stats["25km"][0] += ok
            stats["25km"][1] += 1
    for f, (ok, n) in stats.items():
        if n:
            print(f"{f:14s} {ok / n:.3f}  (n={n})")
    print(f"{len(rows) / (time.time() - t0):.1f} texts/s")
    for e in errors[:args.errors]:
        print(" ", e[0], "| gold", e[1:4], "| pred", e[4], e[5])
    return 0


if __name__ == "__main__":
    sys.exit(main())

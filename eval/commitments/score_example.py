"""Score commitment statements on the hand-coded example article (tests/data/commitments/helmand-gold.json).

Run: PYTHONPATH=src python eval/commitments/score_example.py
A gold statement is found when a predicted statement's sentence holds its words; it is right when holder (any
accepted text), statement, kind, testable and source chain (speaker and mode) all agree.
"""
import datetime as dt
import json
from pathlib import Path

from sitrep.extract.pipeline import Extractor
from sitrep.ingest.clean import make_article

ROOT = Path(__file__).resolve().parents[2]
gold = json.loads((ROOT / "tests/data/commitments/helmand-gold.json").read_text(encoding="utf-8"))
text = (ROOT.parent / "shared/examples/helmand-airstrike.txt").read_text(encoding="utf-8")
article = make_article("helmand", text, published=dt.date.fromisoformat(gold["published"]))
read, _events = next(iter(Extractor().extract_many([article])))
found = [c.to_record() for c in read.commitments]
matched = right = 0
used = set()
for g in gold["statements"]:
    at = read.text.find(g["words"])
    rec = next((r for r in found if r["sentence_span"][0] <= at < r["sentence_span"][1]
                and r["commitment_id"] not in used), None)
    if rec is None:
        print("missed:", g["words"])
        continue
    used.add(rec["commitment_id"])
    matched += 1
    texts = [s.lower() for h in rec["holders"] for s in (h.get("text"), h.get("name")) if s]
    holder_ok = not g["holder"] or any(a.lower() in t or t in a.lower() for a in g["holder"] for t in texts)
    ok = (holder_ok and rec["statement"] == g["statement"] and rec["kind"]["value"] == g["kind"]
          and rec["testable"]["value"] == g["testable"] and rec["source"]["said_by"] == g["said_by"]
          and rec["source"]["mode"] == g["mode"])
    right += ok
    if not ok:
        print("wrong:", g["words"], rec["statement"], rec["kind"]["value"], texts, rec["source"]["said_by"])
print(f"gold {len(gold['statements'])}, found {len(found)}, matched {matched}: precision {matched / len(found):.3f} "
      f"recall {matched / len(gold['statements']):.3f}; all fields right {right}/{len(gold['statements'])}")

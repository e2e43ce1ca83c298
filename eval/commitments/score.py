"""Score commitment detection on hand-coded sentences (see CODING.md).

Run: PYTHONPATH=src python eval/commitments/score.py eval/commitments/gold-tune.jsonl [--errors] [--json]
Each sentence is extracted as its own article. A sentence is predicted to state a commitment when the extractor
finds at least one. Holder accuracy, over sentences both gold and prediction call commitments and whose gold names a
holder: a predicted holder's text or name contains, or is contained in, one of the gold alternatives
(case-insensitive). Kind and statement accuracy: the gold value is among the predicted ones.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys


def holder_strings(record: dict) -> list[str]:
    out = []
    for h in record.get("holders") or []:
        out.extend(s.lower() for s in (h.get("text"), h.get("name")) if s)
    return out


def holder_ok(gold_alts: list[str], predicted: list[str]) -> bool:
    for g in gold_alts:
        g = g.lower()
        for p in predicted:
            if g in p or p in g:
                return True
    return False


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("gold")
    ap.add_argument("--errors", action="store_true", help="list the sentences scored wrong (tune set only)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    from sitrep.extract.pipeline import Extractor
    from sitrep.ingest.clean import make_article

    gold = [json.loads(line) for line in open(args.gold, encoding="utf-8") if line.strip()]
    if args.errors and "check" in args.gold:
        print("error listing is for the tune half only", file=sys.stderr)
        return 2
    extractor = Extractor()
    arts = [make_article(g["id"], g["text"], published=dt.date.fromisoformat(g["published"])) for g in gold]
    tp = fp = fn = tn = 0
    holders = holders_right = kinds = kinds_right = stmts = stmts_right = 0
    errors = []
    for g, (article, _events) in zip(gold, extractor.extract_many(arts)):
        pred = [c.to_record() for c in article.commitments]
        is_gold, is_pred = bool(g["commitments"]), bool(pred)
        if is_gold and is_pred:
            tp += 1
            gc = g["commitments"][0]
            if gc["holder"]:
                holders += 1
                ok = holder_ok(gc["holder"], [s for p in pred for s in holder_strings(p)])
                holders_right += ok
                if not ok:
                    errors.append(("holder", g, pred))
            kinds += 1
            if gc["kind"] in {p["kind"]["value"] for p in pred}:
                kinds_right += 1
            else:
                errors.append(("kind", g, pred))
            stmts += 1
            if gc["statement"] in {p["statement"] for p in pred}:
                stmts_right += 1
            else:
                errors.append(("statement", g, pred))
        elif is_pred:
            fp += 1
            errors.append(("false positive", g, pred))
        elif is_gold:
            fn += 1
            errors.append(("missed", g, pred))
        else:
            tn += 1
    ratio = lambda a, b: round(a / b, 3) if b else None  # noqa: E731
    figures = {
        "sentences": len(gold), "with_commitment": tp + fn,
        "precision": ratio(tp, tp + fp), "recall": ratio(tp, tp + fn),
        "f1": ratio(2 * tp, 2 * tp + fp + fn),
        "holder_accuracy": ratio(holders_right, holders), "holders_scored": holders,
        "kind_accuracy": ratio(kinds_right, kinds), "statement_accuracy": ratio(stmts_right, stmts),
        "tp": tp, "fp": fp, "fn": fn, "tn": tn,
    }
    if args.json:
        print(json.dumps(figures))
    else:
        for k, v in figures.items():
            print(f"{k:20s} {v}")
    if args.errors:
        for what, g, pred in errors:
            got = [(p["statement"], p["kind"]["value"], [h.get("text") for h in p["holders"]]) for p in pred]
            print(f"\n{what}: {g['id']}: {g['text']}\n  gold {g['commitments']}\n  pred {got}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Build gold-tune.jsonl and gold-check.jsonl from own.txt (the hand-coded table; see CODING.md).

The split is fixed by a hash of each sentence id (even: tune, odd: check), so adding sentences never moves old ones.
Run: python3 eval/commitments/build.py
"""
import hashlib
import json
from pathlib import Path

HERE = Path(__file__).parent


def rows():
    for line in (HERE / "own.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        sid, text, statement, holder, kind = [c.strip() for c in line.split(" | ")]
        gold = []
        if statement != "-":
            gold.append({"statement": statement, "kind": kind,
                         "holder": [] if holder == "-" else [h.strip() for h in holder.split(";")]})
        yield {"id": sid, "text": text, "published": "2024-05-10", "commitments": gold}


def main():
    tune, check = [], []
    for rec in rows():
        (tune if int(hashlib.sha1(rec["id"].encode()).hexdigest(), 16) % 2 == 0 else check).append(rec)
    for name, recs in (("gold-tune.jsonl", tune), ("gold-check.jsonl", check)):
        with open(HERE / name, "w", encoding="utf-8") as fh:
            for rec in recs:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        print(f"{name}: {len(recs)} sentences, {sum(bool(r['commitments']) for r in recs)} with a commitment")


if __name__ == "__main__":
    main()

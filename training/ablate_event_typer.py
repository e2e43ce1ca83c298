"""The ablation of the event typer on the dev sets: rules alone, model alone, gate, combined.

    python training/ablate_event_typer.py [--modes off,model,gate,combined] [--sets plover-gsr,case2021-dev,...]

Measurement only: it runs ../shared/eval/score.py on the dev gold files (never training data) with
SITREP_EVENT_TYPER set to each mode, and prints one markdown table.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SCORE = SHARED / "eval" / "score.py"
DEV = SHARED / "eval-data" / "dev"


def run(set_name: str, mode: str) -> dict:
    sitrep = Path(sys.executable).parent / "sitrep"
    cmd = f"SITREP_EVENT_TYPER={mode} PYTHONPATH={ROOT / 'src'} {sitrep} extract {{input}} --format jsonl -o {{output}}"
    out = subprocess.run([sys.executable, str(SCORE), str(DEV / f"{set_name}.jsonl"), "--cmd", cmd, "--json"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def figures(set_name: str, summary: dict) -> dict:
    doc = summary["doc"]
    fields = doc["fields"]
    if set_name == "plover-gsr":
        return {"plover-gsr event_type acc": fields["event_type"]["headline"]}
    if set_name == "case2021-dev":
        f = fields["acled_sub_event_type"]
        return {"case2021 sub-event wF1": f.get("weighted_f1"), "case2021 gold-null no event": f.get("null_abstain")}
    if set_name == "ucdp-ged-dev":
        return {"ucdp headlines with event": doc["docs_with_prediction"] / doc["n_docs"],
                "ucdp fatalities exact": fields["fatalities"]["headline"]}
    return {}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--modes", default="off,model,gate,combined")
    p.add_argument("--sets", default="plover-gsr,case2021-dev,ucdp-ged-dev")
    p.add_argument("--raw", action="store_true", help="also dump the field summaries")
    args = p.parse_args(argv)
    modes = args.modes.split(",")
    rows: dict[str, dict[str, float]] = {}
    for set_name in args.sets.split(","):
        for mode in modes:
            summary = run(set_name, mode)
            if args.raw:
                print(set_name, mode, json.dumps(summary["doc"]["fields"], indent=1)[:3000], file=sys.stderr)
            for key, value in figures(set_name, summary).items():
                rows.setdefault(key, {})[mode] = value
            print(f"{set_name} {mode} done ({summary['run']['wall_s']:.0f} s)", file=sys.stderr)
    names = {"off": "rules alone", "model": "model alone", "gate": "rules + gate", "combined": "combined"}
    print("| figure | " + " | ".join(names.get(m, m) for m in modes) + " |")
    print("|---|" + "---|" * len(modes))
    for key, by_mode in rows.items():
        cells = [f"{by_mode[m]:.3f}" if isinstance(by_mode.get(m), (int, float)) else "-" for m in modes]
        print(f"| {key} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

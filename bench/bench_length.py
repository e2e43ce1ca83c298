"""Does extraction time grow linearly with text length? (issue: long articles were superlinear)

Builds one article of N characters from sentences written for this benchmark (events, tolls, places, sources,
dates and plain background, varied so that the text does not repeat verbatim), extracts it once in a fresh process
per size, and prints the time per 1,000 characters and the peak memory:

    python bench/bench_length.py                 # 10k, 100k, 1M characters
    python bench/bench_length.py 20000 200000    # other sizes

Linear means the time per 1,000 characters stays within 1.5x across sizes.
"""
from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import time

SENTENCES = [
    "Gunmen attacked a police post in {town} on {day}, killing {n} officers and wounding {m} others, "
    "a spokesman for the {prov} provincial police said.",
    "The {army} army said its aircraft struck positions of the {group} near {town}, destroying {n} vehicles.",
    "Hundreds of people marched through {town} on {day} to demand the release of {n} detained activists.",
    "Officials from {country} and {country2} met in {town} to discuss a ceasefire, the foreign ministry said.",
    "A roadside bomb exploded near a market in {town}, killing {n} civilians, according to {person}, "
    "the district governor.",
    "The government of {country} imposed a curfew in {prov} province after {n} people died in clashes.",
    "{person} accused the {group} of violating the truce and called on mediators to intervene.",
    "Prices of wheat and fuel rose again in {town} this month, traders said, as the harvest was poor.",
    "The {group} denied any role in the attack and said it remained committed to the talks.",
    "Police arrested {n} suspects in {town} on {day} in connection with the kidnapping of {m} aid workers.",
]
FILL = {
    "town": ["Kunduz", "Jalalabad", "Maiduguri", "Goma", "Mosul", "Sanaa", "Timbuktu", "Mogadishu", "Idlib"],
    "prov": ["Kunduz", "Nangarhar", "Borno", "North Kivu", "Nineveh", "Sanaa", "Tombouctou", "Banadir"],
    "day": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "army": ["Afghan", "Nigerian", "Iraqi", "Malian", "Somali"],
    "group": ["Taliban", "Boko Haram", "M23 rebels", "Houthis", "al-Shabaab"],
    "country": ["Afghanistan", "Nigeria", "Iraq", "Yemen", "Mali", "Somalia"],
    "country2": ["Qatar", "Kenya", "Turkey", "Oman", "Algeria", "Ethiopia"],
    "person": ["Ahmad Karimi", "Musa Bello", "Ali Hassan", "Amina Diallo", "Omar Farah"],
}


def make_text(n_chars: int, seed: int = 7) -> str:
    """Paragraphs of 2-4 sentences until the text is n_chars long."""
    rng = random.Random(seed)
    paragraphs, size = [], 0
    while size < n_chars:
        para = " ".join(
            rng.choice(SENTENCES).format(**{k: rng.choice(v) for k, v in FILL.items()},
                                         n=rng.randint(2, 40), m=rng.randint(2, 40))
            for _ in range(rng.randint(2, 4)))
        paragraphs.append(para)
        size += len(para) + 2
    return "\n\n".join(paragraphs)[:n_chars]


def run_one(n_chars: int) -> dict:
    """Extract one article of n_chars characters in this process; report time and peak memory."""
    from sitrep.extract.pipeline import Extractor
    from sitrep.ingest.clean import make_article

    text = make_text(n_chars)
    extractor = Extractor()
    extractor.extract(make_article("warmup", make_text(2000, seed=1)))
    article = make_article("long", text)
    t0 = time.perf_counter()
    events = extractor.extract(article)
    seconds = time.perf_counter() - t0
    return {
        "chars": len(text),
        "events": len(events),
        "seconds": round(seconds, 2),
        "s_per_1000_chars": round(seconds / len(text) * 1000, 4),
        "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main(argv: list[str]) -> int:
    if argv[:1] == ["--one"]:
        print(json.dumps(run_one(int(argv[1]))))
        return 0
    sizes = [int(a) for a in argv] or [10_000, 100_000, 1_000_000]
    rows = []
    for n in sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n)], capture_output=True, text=True)
        if out.returncode != 0:
            print(f"bench_length: {n} characters failed: {out.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
            return 1
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]), flush=True)
    per_k = [r["s_per_1000_chars"] for r in rows]
    print(json.dumps({"max_over_min_time_per_1000_chars": round(max(per_k) / min(per_k), 2),
                      "linear_within_1_5x": max(per_k) / min(per_k) <= 1.5}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Training sentences for the event typer, generated from the project's own templates (event_typer/).

`generate(seed, ...)` expands templates.yaml with the fillers in slots.yaml and adds the hand-written sentences
in sentences.tsv. The same seed gives the same sentences. `load_synthetic_docs()` reads the free-written synthetic
news documents (event_typer/synthetic_docs_*.jsonl, see SYNTHETIC_DOCS.md): a headline and a lede per document. Templates can be split by a fixed rule (every k-th
template of a label is held out) so the classifier is measured on wordings it never saw.
"""
from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).resolve().parent / "event_typer"
TRIGGERS = Path(__file__).resolve().parent.parent / "src" / "sitrep" / "data" / "triggers.yaml"
_ALT = re.compile(r"\[([^\[\]]*)\]")
_SLOT = re.compile(r"\{(\w+)\}")
_SMALL_WORDS = {"a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "by", "with", "as", "from", "over"}


@dataclass(frozen=True)
class Sample:
    text: str
    label: str
    kind: str       # body | headline | hand
    template: str   # label/kind/index: the template it came from (for held-out splits)


def load_slots(path: Path = DATA_DIR / "slots.yaml") -> dict[str, list[str]]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {k: [str(v) for v in vals] for k, vals in raw.items()}


def load_templates(paths: tuple[Path, ...] = (DATA_DIR / "templates.yaml", DATA_DIR / "templates_news.yaml"),
                   ) -> dict[str, dict[str, list[str]]]:
    """The templates of every file, merged label by label and kind by kind (later files add to earlier ones)."""
    merged: dict[str, dict[str, list[str]]] = {}
    for path in paths:
        for label, kinds in yaml.safe_load(path.read_text(encoding="utf-8")).items():
            for kind, lines in kinds.items():
                merged.setdefault(label, {}).setdefault(kind, []).extend(lines)
    return merged


def load_hand_written(path: Path = DATA_DIR / "sentences.tsv") -> list[Sample]:
    out = []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if not line.strip() or line.startswith("#"):
            continue
        label, text = line.split("\t", 1)
        out.append(Sample(text.strip(), label.strip(), "hand", f"{label}/hand/{i}"))
    return out


SYNTHETIC_DOC_LABELS = frozenset({
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
    "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT", "none",
})


class SyntheticDocError(ValueError):
    """A synthetic document file has a line that cannot be used (bad JSON, missing field, unknown label, repeated
    id); the message names the file and line so the writer can fix it."""


def load_synthetic_docs(paths: list[Path] | None = None) -> list[Sample]:
    """A headline Sample and a lede Sample for every document of the synthetic_docs_*.jsonl files (all of them in
    event_typer/ when paths is None). Both samples of a document share the template id `<label>/synthdoc/<id>`, so
    a held-out split that groups by template never puts a document's headline and lede on different sides."""
    if paths is None:
        paths = sorted(DATA_DIR.glob("synthetic_docs_*.jsonl"))
    out: list[Sample] = []
    seen_ids: dict[str, str] = {}
    for path in paths:
        path = Path(path)
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path.name}:{lineno}"
            try:
                doc = json.loads(line)
            except json.JSONDecodeError as err:
                raise SyntheticDocError(f"{where}: not a JSON object ({err.msg})") from None
            if not isinstance(doc, dict):
                raise SyntheticDocError(f"{where}: not a JSON object")
            missing = [k for k in ("id", "label", "headline", "lede") if not str(doc.get(k) or "").strip()]
            if missing:
                raise SyntheticDocError(f"{where}: missing {', '.join(missing)}")
            doc_id, label = str(doc["id"]), str(doc["label"])
            if label not in SYNTHETIC_DOC_LABELS:
                raise SyntheticDocError(f"{where}: unknown label {label!r} (a PLOVER type or 'none')")
            if doc_id in seen_ids:
                raise SyntheticDocError(f"{where}: id {doc_id!r} repeats {seen_ids[doc_id]}")
            seen_ids[doc_id] = where
            template = f"{label}/synthdoc/{doc_id}"
            out.append(Sample(str(doc["headline"]).strip(), label, "headline", template))
            out.append(Sample(str(doc["lede"]).strip(), label, "body", template))
    return out


def expand(template: str, slots: dict[str, list[str]], rng: random.Random) -> str:
    """Fill alternatives and slots until none is left (slot values may contain both)."""
    text = template
    for _ in range(12):
        new = _ALT.sub(lambda m: rng.choice(m.group(1).split("|")), text)
        new = _SLOT.sub(lambda m: rng.choice(slots[m.group(1)]), new)
        if new == text:
            break
        text = new
    return re.sub(r"\s+", " ", text).replace(" ,", ",").strip()


def title_case(text: str) -> str:
    words = text.split(" ")
    return " ".join(w if (i and w.lower() in _SMALL_WORDS) else w[:1].upper() + w[1:] for i, w in enumerate(words))


def dress_body(clause: str, slots, rng: random.Random) -> str:
    """A clause as an article sentence: sometimes attributed, sometimes behind a dateline, sometimes with a
    trailing phrase of background (every label gets the same ones, so length and filler say nothing)."""
    if rng.random() < 0.3:
        tail = expand("{tail}", slots, rng)
        clause = f"{clause}{'' if tail.startswith(',') else ' '}{tail}"
    r = rng.random()
    if r < 0.25:
        clause = f"{clause}, {expand('{src_said}', slots, rng)}"
    elif r < 0.35:
        clause = f"{expand('{src_subj}', slots, rng)} said {clause}"
    elif r < 0.42:
        clause = f"according to {expand('{src_subj}', slots, rng)}, {clause}"
    text = clause[:1].upper() + clause[1:]
    if rng.random() < 0.08:
        city = expand("{city}", slots, rng)
        agency = expand("{agency}", slots, rng)
        text = f"{city.upper()} ({agency}) - {text}" if rng.random() < 0.5 else f"{city.upper()}: {text}"
    return text if text.endswith((".", "?", "!", '"')) else text + "."


def dress_headline(clause: str, slots, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.2:
        clause = f"{clause}: {expand('{src_short}', slots, rng)}"
    elif r < 0.3:
        clause = f"{clause} - {expand('{src_short}', slots, rng)}"
    if rng.random() < 0.06 and "|" not in clause:
        # a feed's headline often ends with its outlet ("... | Local News"): no signal either way
        clause = f"{clause} | {expand('{outlet}', slots, rng)}"
    if rng.random() < 0.4:
        return title_case(clause)
    return clause[:1].upper() + clause[1:]


IRREGULAR_PAST = {
    "fight": "fought", "hit": "hit", "shoot": "shot", "strike": "struck", "meet": "met", "give": "gave",
    "send": "sent", "withdraw": "withdrew", "lead": "led", "hold": "held", "make": "made", "take": "took",
    "break": "broke", "beat": "beat", "bring": "brought", "blow": "blew", "set": "set", "put": "put",
    "throw": "threw", "sell": "sold", "speak": "spoke", "begin": "began", "steal": "stole", "freeze": "froze",
    "lay": "laid", "say": "said", "tell": "told", "keep": "kept", "come": "came", "go": "went", "fly": "flew",
    "seek": "sought", "forbid": "forbade", "forgive": "forgave", "overrun": "overran", "shut": "shut",
    "cut": "cut", "quit": "quit", "slay": "slew", "undertake": "undertook", "mow": "mowed", "bid": "bid",
    "win": "won", "lose": "lost", "run": "ran", "stand": "stood", "hang": "hanged", "burn": "burned",
    "draw": "drew", "drive": "drove", "feel": "felt", "find": "found", "leave": "left", "let": "let",
    "pay": "paid", "rise": "rose", "see": "saw", "shake": "shook", "sink": "sank", "spread": "spread",
    "swear": "swore", "tear": "tore", "wage": "waged", "write": "wrote", "ink": "inked", "plan": "planned",
    "stop": "stopped", "ban": "banned", "bar": "barred", "jail": "jailed", "ship": "shipped", "snipe": "sniped",
    "target": "targeted", "visit": "visited", "offer": "offered", "gun": "gunned", "rob": "robbed",
    "commit": "committed", "admit": "admitted", "submit": "submitted", "kidnap": "kidnapped", "drop": "dropped",
    "grab": "grabbed", "trap": "trapped", "swap": "swapped", "strip": "stripped", "chat": "chatted",
    "occur": "occurred", "refer": "referred", "confer": "conferred", "deter": "deterred",
}


def past(verb: str) -> str:
    if verb in IRREGULAR_PAST:
        return IRREGULAR_PAST[verb]
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ied"
    return verb + "ed"


def third_person(verb: str) -> str:
    if verb.endswith(("s", "sh", "ch", "x", "z")):
        return verb + "es"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


# What follows a trigger verb, by the parse constraint the lexicon puts on it.
NEEDS_OBJECT = {
    None: ["{party}", "{party} [in|near] {place}", "[|again] {day}", "{victims}"],
    "object": ["{party}", "{party}'s [decision|proposal|plan]"],
    "person_object": ["{party}", "{victims}", "{leader}"],
    "partner": ["with {party}", "{party}", "with {leader} in {city}"],
    "complement": ["to [help|support|work with|cooperate with|send aid to|hold talks with] {party}"],
    "aid_object": ["[aid|food|medicine|weapons|{money}|supplies|tents] to {country}"],
    "visit": ["in {city} for talks", "to {city} [for talks|on a visit]"],
    "place_object": ["{place}", "the town of {city}"],
    "weapon_object": ["[weapons|explosives|ammunition|a weapons cache]"],
    "base_object": ["[a base|a camp|an outpost] in {place}"],
    "modal": ["{party}"],
    "announced": ["{party}"],
    "no_object": ["{day}", "in {place}"],
    "stopped_cooperation": ["[its aid|cooperation|talks] with {party}"],
}
NOUN_ENDINGS = ("tion", "ment", "ance", "ence", "sion", "ship", "ing", "ity", "ure", "ade", "ism")
NOUN_FRAMES = [
    "{party} [announced|carried out|launched|made|held|reported|began|staged|conducted] [a|the|another|a new] {noun} [with|against|on|in|to] {party}",
    "[a|the] {noun} [by|between|involving] {party} [and {party}|in {place}|] [took place|was reported|ended] {day}",
    "{noun} [in|near|over] {place}",
    "{party} [said|confirmed] the {noun} [with|against|in] {party} [went ahead|had taken place|was over] {day}",
]


def lexicon_samples(slots, rng: random.Random, per_type: int) -> list[Sample]:
    """Sentences around every trigger word of the project's lexicon (src/sitrep/data/triggers.yaml), so the
    classifier knows the words the rules know, each in a neutral frame."""
    raw = yaml.safe_load(TRIGGERS.read_text(encoding="utf-8"))
    out = []
    for etype, groups in raw.items():
        if not isinstance(groups, list):
            continue
        items = []
        for gi, group in enumerate(groups):
            needs = group.get("needs")
            pos = set(group.get("pos") or ["VERB"])
            for word in group.get("words", []):
                words = str(word).split()
                nounish = words[0].endswith(NOUN_ENDINGS) or (len(words) > 1 and "NOUN" in pos)
                if "VERB" in pos and not (nounish and "NOUN" in pos):
                    if needs and str(needs).startswith("prep:"):
                        objs = [f"{prep} {{party}}" for prep in str(needs)[5:].split("|")]
                    else:
                        objs = NEEDS_OBJECT.get(needs, NEEDS_OBJECT[None])
                    items.append(("verb", words, objs, gi))
                if "NOUN" in pos and (nounish or "VERB" not in pos or rng.random() < 0.5):
                    items.append(("noun", words, None, gi))
        if not items:
            continue
        for k in range(per_type):
            kind, words, objs, gi = items[k % len(items)]
            if kind == "verb":
                head, rest = words[0], " ".join(words[1:])
                form = rng.choice(["past", "past", "headline", "modal"])
                verb = {"past": past(head), "headline": third_person(head),
                        "modal": "will " + head}[form]
                obj = expand(rng.choice(objs), slots, rng)
                clause = expand(f"{{party}} {verb} {rest} {obj}", slots, rng)
                kind_out = "headline" if form == "headline" else "body"
            else:
                clause = expand(rng.choice(NOUN_FRAMES).replace("{noun}", " ".join(words)), slots, rng)
                kind_out = "headline" if clause.count(" ") < 6 else "body"
            text = dress_headline(clause, slots, rng) if kind_out == "headline" else dress_body(clause, slots, rng)
            out.append(Sample(text, etype, kind_out, f"{etype}/lexicon/{gi}"))
    return out


def generate(seed: int = 13, per_event_label: int = 1100, per_none: int = 9000, headline_share: float = 0.3,
             holdout_every: int = 0, held_out: bool = False, hand_weight: int = 3,
             lexicon_per_type: int = 250) -> list[Sample]:
    """Samples for every label. With holdout_every=k, the templates whose index % k == k // 2 are held out:
    held_out=False gives the others, held_out=True only those."""
    rng = random.Random(seed)
    slots = load_slots()
    templates = load_templates()
    samples: list[Sample] = []
    seen: set[str] = set()
    for label in sorted(templates):
        total = per_none if label == "none" else per_event_label
        for kind, share in (("body", 1 - headline_share), ("headline", headline_share)):
            lines = [(i, t) for i, t in enumerate(templates[label].get(kind, []))
                     if not holdout_every or ((i % holdout_every == holdout_every // 2) == held_out)]
            if not lines:
                continue
            want = int(total * share)
            tries = 0
            made = 0
            while made < want and tries < want * 4:
                tries += 1
                i, tpl = lines[tries % len(lines)]
                clause = expand(tpl, slots, rng)
                text = dress_body(clause, slots, rng) if kind == "body" else dress_headline(clause, slots, rng)
                if text in seen:
                    continue
                seen.add(text)
                samples.append(Sample(text, label, kind, f"{label}/{kind}/{i}"))
                made += 1
    if not held_out:
        samples.extend(s for s in load_hand_written() for _ in range(hand_weight))
        if lexicon_per_type:
            samples.extend(s for s in lexicon_samples(slots, rng, lexicon_per_type) if s.text not in seen)
    rng.shuffle(samples)
    return samples


if __name__ == "__main__":  # a look at what the generator writes
    import collections
    import sys

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    data = generate()
    print(collections.Counter(s.label for s in data))
    for s in data[:n]:
        print(f"{s.label}\t{s.text}")

"""Who the article says reported each event: speaker, role, organisation, channel and quote.

Attributions are read from the parse: the subject of a speech verb ("X said", "X told reporters"), the object
of "according to", with the speaker's role and organisation from an apposition ("Nasrat Rahimi, a spokesman for
the Ministry of Interior Affairs") or from the words before the name ("Taliban spokesman Suhail Shaheen").
A bare surname or a pronoun resolves to the person named earlier in the article. A source supports the events
of its sentence and of the direct quote it closes or opens ('"...," Leggett said'; 'He added: "..."').
An event left without a source takes the sources of a later definite mention of the same thing
("The U.S. strike Wednesday ..., according to ..."). Each attribution stays a separate Source, so competing
claims keep their own speakers. Lexicons: `data/sources.yaml`.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from ..nlp import entities_before, entity_at
from ..data import load_yaml
from ..model import Event, Source, Span
from .context import DocContext

LOGGER = logging.getLogger(__name__)

_NAME_ENTS = {"PERSON"}
_ORG_ENTS = {"ORG", "GPE", "NORP"}
_DEFINITE = {"the", "this", "that", "these", "those"}
# What a speech verb's content hangs from: "said [the group is committed]", "announced [a ceasefire]".
_CONTENT_DEPS = {"ccomp", "xcomp", "dobj", "parataxis", "attr", "oprd", "dep"}


@lru_cache(maxsize=1)
def _lexicon() -> dict:
    raw = load_yaml("sources.yaml")
    return {
        "speech": frozenset(raw["speech_verbs"]),
        "according": tuple(tuple(x) for x in raw["according_to"]),
        "channel_nouns": dict(raw["channel_nouns"]),
        "content_nouns": frozenset(str(w) for w in raw.get("content_nouns") or ()),
        "audiences": dict(raw["audiences"]),
        "verb_channels": dict(raw["verb_channels"]),
        "titles": frozenset(str(t).lower() for t in raw["titles"]),
        "pronouns": frozenset(raw["person_pronouns"]),
    }


@dataclass
class Attribution:
    """One act of telling in the text, with the sentences it vouches for."""
    source: Source
    sent_index: int
    verb: int                                   # token index of the speech verb / "according"
    covers: set[int] = field(default_factory=set)   # sentence indices it supports
    is_person: bool = False


class SourceResolver:
    """Fills event.sources."""

    def __init__(self):
        self.lex = _lexicon()

    def __call__(self, ctx: DocContext, events: list[Event]) -> None:
        if not events:
            return
        attributions = self.attributions(ctx)
        by_sent: dict[int, list[Attribution]] = {}
        for att in attributions:
            for s in att.covers:
                by_sent.setdefault(s, []).append(att)
        for ev in events:
            candidates = by_sent.get(ev.sent_index, [])
            chosen = self._for_event(ctx, ev, candidates)
            ev.sources = _dedupe([_copy(a.source) for a in chosen])
        self._from_later_mentions(ctx, events)

    # ------------------------------------------------------------ reading attributions

    def attributions(self, ctx: DocContext) -> list[Attribution]:
        """Every attribution in the article, in text order, with names resolved and quotes attached."""
        quotes = _quote_regions(ctx.article.text)
        people: list[Source] = []               # full names seen so far, for surnames and pronouns
        out: list[Attribution] = []
        for si, sent in enumerate(ctx.sents):
            for tok in sent:
                att = self._read(ctx, si, tok, people)
                if att is None:
                    continue
                self._attach_quote(ctx, att, quotes)
                out.append(att)
                if att.is_person:
                    people.append(att.source)
        return out

    def _read(self, ctx: DocContext, si: int, tok, people: list[Source]) -> Optional[Attribution]:
        lex = self.lex
        lemma = tok.lemma_.lower()
        speaker = None
        if tok.pos_ == "VERB" and lemma in lex["speech"]:
            subjects = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
            if not subjects or subjects[0].dep_ == "nsubjpass":
                return None                     # "was said to be": no speaker
            speaker = subjects[0]
            if any(c.dep_ == "neg" for c in tok.children):
                return None                     # "did not respond", "would not say"
            if lemma in ("call", "ask", "urge") and not self._introduces_speech(tok):
                return None                     # "called the police": not an attribution
        elif tok.lower_ in {a[0] for a in lex["according"]}:
            speaker = self._according_object(tok)
        if speaker is None:
            return None
        source, is_person = self._speaker(ctx, speaker, people)
        if source is None:
            return None
        source.channel = self._channel(tok)
        return Attribution(source=source, sent_index=si, verb=tok.i, covers={si}, is_person=is_person)

    def _introduces_speech(self, verb) -> bool:
        """'called on the group to ...', 'urged X to ...', 'asked for ...': an appeal, which is speech."""
        return any(c.dep_ in ("prep", "prt") and c.lower_ in ("on", "for", "upon") for c in verb.children) or any(
            c.dep_ in ("xcomp", "ccomp") for c in verb.children)

    def _according_object(self, tok):
        for pattern in self.lex["according"]:
            if tok.lower_ != pattern[0]:
                continue
            node = tok
            for word in pattern[1:]:
                nxt = next((c for c in node.children if c.lower_ == word), None)
                if nxt is None:
                    return None
                node = nxt
            return next((c for c in node.children if c.dep_ in ("pobj", "dobj")), None)
        return None

    # ------------------------------------------------------------ the speaker

    def _speaker(self, ctx: DocContext, head, people: list[Source]) -> tuple[Optional[Source], bool]:
        """Source(name, role, organization) for a speaker phrase headed by `head`; is it a person?"""
        lex = self.lex
        doc = ctx.doc
        if head.lower_ in lex["pronouns"]:
            if people:
                prev = people[-1]
                return Source(name=prev.name, role=prev.role, organization=prev.organization,
                              span=(head.idx, head.idx + len(head.text))), True
            return None, False
        if head.pos_ == "PRON":
            return None, False
        ent = _entity_of(doc, head)
        if head.pos_ == "PROPN" and (ent is None or ent.label_ not in _NAME_ENTS):
            # a bare surname the model did not tag as a person: "Shaheen did ...", "Trump said"
            known = _full_name(head.text, _persons_before(doc, head.i) + people)
            if known is not None and not any(c.dep_ == "compound" for c in head.children):
                return Source(name=known.name, role=known.role, organization=known.organization,
                              span=(head.idx, head.idx + len(head.text))), True
        if head.lemma_.lower() in lex["channel_nouns"]:
            return None, False                  # "according to a news release": a channel, not a speaker
        if head.lemma_.lower() in lex["content_nouns"]:
            return None, False                  # "a charge Kigali has denied" (misparsed): what is said, not who
        if ent is not None and ent.label_ in _NAME_ENTS:
            name_tokens = [t for t in ent if t.lower_ not in lex["titles"] and t.pos_ != "PUNCT"]
            if not name_tokens:
                return None, False
            name = doc[name_tokens[0].i:name_tokens[-1].i + 1].text
            span = (name_tokens[0].idx, name_tokens[-1].idx + len(name_tokens[-1].text))
            full = _full_name(name, _persons_before(doc, ent.start) + people)
            role, org = self._role_before(doc, ent.start, head)
            a_role, a_org = self._apposition(head)
            role = a_role or role
            org = a_org or org
            if full is not None and full.name != name:
                role = role or full.role
                org = org or full.organization
                name = full.name
            return Source(name=name, role=role, organization=org, span=span), True
        # An organisation or a group: "police said", "the Interior Ministry said", "U.S. officials said".
        toks = [t for t in head.subtree if t.i <= head.i and t.dep_ not in ("det", "punct", "poss")
                and not (t.dep_ == "prep" or t.head.dep_ == "prep")]
        if not toks:
            return None, False
        # "Sheriff Everhart said", "Superintendent Brian Capistran said": a title and a name the model missed
        titles = []
        while toks and toks[0].lower_ in lex["titles"] and len(toks) > 1:
            titles.append(toks.pop(0))
        if titles and head.pos_ == "PROPN" and all(t.pos_ == "PROPN" for t in toks):
            start, end = toks[0].idx, head.idx + len(head.text)
            role = " ".join(t.text for t in titles)
            return Source(name=ctx.article.text[start:end], role=role, span=(start, end)), True
        toks = titles + toks
        start, end = toks[0].idx, head.idx + len(head.text)
        name = ctx.article.text[start:end]
        org = name if ent is not None and ent.label_ in _ORG_ENTS else None
        role, a_org = self._apposition(head)
        return Source(name=name, role=role, organization=org or a_org, span=(start, end)), False

    def _role_before(self, doc, name_start: int, head) -> tuple[Optional[str], Optional[str]]:
        """'Taliban spokesman Suhail Shaheen': role and organisation from the words before the name."""
        lex = self.lex
        titles = {x.strip(".") for x in lex["titles"]}
        before = [t for t in head.subtree if t.i < name_start and t.dep_ in ("compound", "amod", "nmod")
                  and t.pos_ != "PUNCT"]
        words = [t for t in before if t.lower_.strip(".") not in titles or t.pos_ == "NOUN"]
        if not words:
            # only a title: "Sheriff Everhart", "Col. Leggett" -> the title is the role
            title = [t for t in before if t.lower_.strip(".") in titles]
            return (" ".join(t.text for t in title) or None), None
        return _split_role(words)

    def _apposition(self, head) -> tuple[Optional[str], Optional[str]]:
        """'..., a spokesman for the Ministry of Interior Affairs' -> (spokesman, Ministry of Interior Affairs)."""
        appos = next((c for c in head.children if c.dep_ == "appos" and c.pos_ in ("NOUN", "PROPN")), None)
        if appos is None:
            return None, None
        pre = [t for t in appos.lefts if t.dep_ in ("compound", "amod", "nmod", "npadvmod")]
        pre_tokens = []
        for t in pre:
            pre_tokens.extend(x for x in t.subtree if x.pos_ != "PUNCT" or x.text == "-")
        role, org = _split_role(sorted(pre_tokens, key=lambda t: t.i) + [appos])
        for prep in (c for c in appos.children if c.dep_ == "prep" and c.lower_ in ("for", "of", "at", "with")):
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                words = [t for t in pobj.subtree if not (t.dep_ == "det" and t.head == pobj)]
                org = org or " ".join(t.text for t in words).replace(" 's", "'s")
                break
        return role, org

    # ------------------------------------------------------------ channel and quote

    def _channel(self, verb) -> Optional[str]:
        lex = self.lex
        lemma = verb.lemma_.lower()
        if verb.lower_ in {a[0] for a in lex["according"]}:
            return "according to"
        for c in verb.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "on", "at", "via", "during", "through", "over"):
                for pobj in (p for p in c.children if p.dep_ == "pobj"):
                    label = lex["channel_nouns"].get(pobj.lemma_.lower())
                    if label is not None:
                        # "in a statement on Twitter": keep where the statement was made
                        deeper = [x for x in pobj.children if x.dep_ == "prep" and x.lower_ in ("on", "via")]
                        for d in deeper:
                            inner = next((p for p in d.children if p.dep_ == "pobj"), None)
                            if inner is not None and inner.lemma_.lower() in lex["channel_nouns"]:
                                return f"{label} on {lex['channel_nouns'][inner.lemma_.lower()]}"
                        return label
            if lemma == "tell" and c.dep_ in ("dobj", "dative", "iobj"):
                audience = lex["audiences"].get(c.lemma_.lower())
                if audience is not None:
                    return audience
                if c.pos_ == "PROPN":
                    return " ".join(t.text for t in c.subtree if t.dep_ != "det")   # an outlet: "told NBC News"
        return lex["verb_channels"].get(lemma)

    def _attach_quote(self, ctx: DocContext, att: Attribution, quotes: list[Span]) -> None:
        """Give the attribution the direct quote it opens or closes, and the sentences that quote spans."""
        sent = ctx.sents[att.sent_index]
        s0, s1 = sent.start_char, sent.end_char
        text = ctx.article.text
        chosen: list[Span] = []
        for q in quotes:
            inside = s0 <= q[0] < s1 or s0 < q[1] <= s1
            # a quote that closes in this sentence, or one that opens right after "He added:"
            follows_colon = text[s0:s1].rstrip().endswith(":") and 0 <= q[0] - s1 <= 3
            if inside or follows_colon:
                chosen.append(q)
        if not chosen:
            return
        att.source.quote = " ".join(text[a:b].strip() for a, b in chosen)
        for si, other in enumerate(ctx.sents):
            if any(other.start_char < b and a < other.end_char for a, b in chosen):
                att.covers.add(si)

    # ------------------------------------------------------------ events

    @staticmethod
    def _for_event(ctx: DocContext, ev: Event, candidates: list[Attribution]) -> list[Attribution]:
        """The attributions that vouch for one event.

        In the attribution's own sentence, an event under the speech verb counts only through what was said
        (its clausal complement or object), not through a framing phrase ("Following the airstrike, X said
        ..." does not make X the source of the airstrike). Sentences covered by a quote are vouched for whole.
        """
        if not candidates or ev.trigger_index < 0:
            return candidates
        trigger = ctx.doc[ev.trigger_index]
        path = [trigger] + list(trigger.ancestors)
        governing, elsewhere, own = [], [], []
        for att in candidates:
            if att.verb == ev.trigger_index:
                own.append(att)                 # "Y said X promised ...": Y, not X, is the source
                continue
            if att.sent_index != ev.sent_index:
                elsewhere.append(att)           # a quote this attribution opens or closes
                continue
            below = next((n for n, t in enumerate(path) if t.i == att.verb), None)
            if below is None:
                elsewhere.append(att)           # "..., according to X"; "..., X said" on another branch
            elif path[below - 1].dep_ in _CONTENT_DEPS:
                governing.append(att)           # "X said [the jets bombed ...]"
        # "He called on the group to ...": a statement seen directly; its speaker is its source
        return governing or elsewhere or own

    @staticmethod
    def _from_later_mentions(ctx: DocContext, events: list[Event]) -> None:
        """An unsourced event takes the sources of a later definite mention of it ('The U.S. strike ...')."""
        for ev in events:
            if ev.sources or ev.trigger_index < 0:
                continue
            lemma = ctx.doc[ev.trigger_index].lemma_.lower()
            for later in events:
                if later is ev or not later.sources or later.event_type != ev.event_type:
                    continue
                if later.sent_index <= ev.sent_index or later.trigger_index < 0:
                    continue
                trig = ctx.doc[later.trigger_index]
                other = trig.lemma_.lower()
                definite = any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in trig.children)
                if definite and _same_word_family(lemma, other):
                    ev.sources = [_copy(s) for s in later.sources]
                    break


# ---------------------------------------------------------------- helpers

def _same_word_family(a: str, b: str) -> bool:
    """'strike'/'airstrike', 'bomb'/'bombing', 'attack'/'attack': one word inside the other at an edge."""
    return a.endswith(b) or b.endswith(a) or a.startswith(b) or b.startswith(a)


def _entity_of(doc, tok):
    return entity_at(tok)


def _split_role(tokens) -> tuple[Optional[str], Optional[str]]:
    """Words before and including a role noun -> (role, organisation): proper words name the organisation."""
    tokens = [t for t in tokens if t.dep_ != "det"]
    if not tokens:
        return None, None
    first_proper = next((n for n, t in enumerate(tokens[:-1])
                         if t.pos_ == "PROPN" or t.ent_type_ in _ORG_ENTS), None)
    role_head = tokens[-1]
    if role_head.pos_ == "PROPN":
        return None, " ".join(t.text for t in tokens)
    if first_proper is None:
        return " ".join(t.text for t in tokens), None
    role_words = tokens[:first_proper] + [role_head]
    org_words = tokens[first_proper:-1]
    return " ".join(t.text for t in role_words), (" ".join(t.text for t in org_words) or None)


def _persons_before(doc, index: int) -> list[Source]:
    """Multi-word PERSON names mentioned before a token, as bare Sources (for surname look-up)."""
    return [Source(name=e.text, span=(e.start_char, e.end_char)) for e in entities_before(doc, index)
            if e.label_ in _NAME_ENTS and e.end <= index and len(e) > 1]


def _full_name(name: str, people: list[Source]) -> Optional[Source]:
    """The earlier full name a bare surname refers to ('Leggett' -> 'Sonny Leggett')."""
    words = name.split()
    for prev in reversed(people):
        prev_words = prev.name.split()
        if len(words) < len(prev_words) and prev_words[-len(words):] == words:
            return prev
    return None


def _quote_regions(text: str) -> list[Span]:
    """Spans of text inside double quotes; an unclosed quote ends at the end of its paragraph."""
    regions: list[Span] = []
    open_at: Optional[int] = None
    for i, ch in enumerate(text):
        if ch == "\n" and open_at is not None:
            regions.append((open_at, i))
            open_at = None
        elif ch == '"':
            if open_at is None:
                open_at = i + 1
            else:
                regions.append((open_at, i))
                open_at = None
    if open_at is not None:
        regions.append((open_at, len(text)))
    return [r for r in regions if r[1] > r[0]]


def _dedupe(sources: list[Source]) -> list[Source]:
    seen = set()
    out = []
    for s in sources:
        if s.name.lower() in seen:
            continue
        seen.add(s.name.lower())
        out.append(s)
    return out


def _copy(s: Source) -> Source:
    return Source(name=s.name, role=s.role, organization=s.organization, channel=s.channel,
                  quote=s.quote, span=s.span)

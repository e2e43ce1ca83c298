"""Stage `commitments`: every commitment statement of one parsed article (finder.py finds, fields.py reads)."""
from __future__ import annotations

from ..extract.context import DocContext
from ..extract.sources import _quote_regions
from .fields import FieldReader
from .finder import CandidateFinder
from .lexicon import load_commitment_lexicon
from .model import Commitment


class CommitmentReader:
    """Holds the lexicon and the resolvers it borrows from the event pipeline (actors, sources, dates)."""

    def __init__(self, actors, sources, dates):
        self.lex = load_commitment_lexicon()
        self.find = CandidateFinder(self.lex)
        self.fields = FieldReader(self.lex, actors, dates)
        self.sources = sources

    def __call__(self, ctx: DocContext) -> list[Commitment]:
        per_sentence = [(si, self.find(sent)) for si, sent in enumerate(ctx.sents)]
        if not any(cands for _si, cands in per_sentence):
            return []
        attributions = self.sources.attributions(ctx)
        quotes = _quote_regions(ctx.article.text)
        found: list[Commitment] = []
        holders: list = []      # parties named as holders so far, for "it", "they"
        for si, cands in per_sentence:
            for cand in cands:
                c = self.fields(ctx, si, cand, attributions, quotes, holders)
                holders.extend(h for h in c.holders if h.name)
                found.append(c)
        return found


def shift_commitment(c: Commitment, offset: int) -> Commitment:
    """Move every span of a commitment found in a part of a long text to the whole text's offsets."""
    if offset == 0:
        return c

    def moved(obj, name="span"):
        span = getattr(obj, name, None)
        if span is not None:
            setattr(obj, name, (span[0] + offset, span[1] + offset))

    c.sentence_span = (c.sentence_span[0] + offset, c.sentence_span[1] + offset)
    for w in (c.trigger, c.kind, c.polarity, c.threshold, c.quantity, c.said_on, c.start, c.deadline,
              c.duration_days, c.condition, c.refers_to, c.testable, c.addressee, *c.holders):
        if w is not None:
            moved(w)
    moved(c.pattern, "area_span")
    moved(c.source, "said_by_span")
    moved(c.source, "quote_span")
    return c

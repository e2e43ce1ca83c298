"""Reading a commitment's fields from a candidate (finder.py): holders, addressee, kind, polarity, threshold, dates,
event pattern, testability and source chain, each with the words it came from."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from ..data import load_yaml
from ..extract.context import DocContext
from ..model import Participant
from .finder import Candidate, negated
from .lexicon import CommitmentLexicon, find_kind
from .model import Commitment, Pattern, SourceChain, Words, iso

# Nouns that name a party even when the actor dictionary gives them no code ("both sides", "the two factions").
PARTY_NOUNS = {"side", "party", "faction", "leader", "country", "two", "group", "government", "army", "rebel",
               "militia", "force", "official", "negotiator", "commander", "spokesman", "minister", "president",
               "authority", "junta", "insurgent", "guerrilla", "clan", "coalition", "military", "general", "chief",
               "mayor", "company", "office", "police", "separatist", "fighter", "man", "men", "soldier", "troop",
               "leadership", "elder", "administration", "ministry", "council", "movement", "state", "other"}


def span_of(tokens) -> Optional[tuple[int, int]]:
    tokens = [t for t in tokens if t is not None]
    if not tokens:
        return None
    return min(t.idx for t in tokens), max(t.idx + len(t.text) for t in tokens)


def words_of(value, tokens, text: str) -> Words:
    sp = span_of(tokens)
    return Words(value, text[sp[0]:sp[1]] if sp else None, sp)


def phrase_tokens(head) -> list:
    """The noun phrase of a head: its left modifiers and compounds, without clauses, appositions or conjuncts."""
    keep = [head]
    for c in head.children:
        if c.i < head.i and c.dep_ in ("det", "compound", "amod", "poss", "nummod", "nmod", "case", "quantmod"):
            keep.extend(c.subtree)
        elif c.dep_ in ("compound", "flat") and c.i > head.i:
            keep.extend(c.subtree)
    return sorted(keep, key=lambda t: t.i)


class FieldReader:
    """Turns candidates into Commitment records."""

    def __init__(self, lex: CommitmentLexicon, actors, dates):
        self.lex = lex
        self.actors = actors
        self.dates = dates
        self.patterns = load_yaml("commitment_rules.yaml")["patterns"]

    def __call__(self, ctx: DocContext, si: int, cand: Candidate, attributions: list, quotes: list,
                 last_holders: list) -> Commitment:
        text = ctx.article.text
        sent = ctx.sents[si]
        c = Commitment(article_id=ctx.article.id, statement=cand.statement, sentence=sent.text,
                       sentence_span=(sent.start_char, sent.end_char),
                       trigger=words_of(cand.trigger.lemma_.lower(), [cand.trigger], text),
                       published=iso(ctx.article.published))
        c.source = self._source(ctx, si, cand, attributions, quotes)
        c.holders = self._holders(ctx, cand, c.source, last_holders)
        if not c.holders and cand.statement == "denial" and c.source.said_by_organization:
            # "A spokesman for the group said the attack did not violate the ceasefire": the group denies
            c.holders = [Participant(text=c.source.said_by_organization, name=c.source.said_by_organization)]
        if cand.addressee is not None:
            c.addressee = self._participant(ctx, phrase_tokens(cand.addressee))
        self._kind(c, cand, text)
        self._threshold(c, cand, text)
        self._dates(ctx, si, c, cand)
        if cand.condition is not None:
            toks = list(cand.condition.subtree)
            c.condition = words_of("if", toks, text)
        if cand.noun is not None:
            c.refers_to = words_of(cand.noun.lemma_.lower(), phrase_tokens(cand.noun), text)
        self._pattern(ctx, c)
        self._testable(c, cand, text)
        c.confidence = 0.8 if c.holders else 0.6
        return c

    # -- who --------------------------------------------------------------------------------------------------
    def _participant(self, ctx: DocContext, tokens) -> Participant:
        sp = span_of(tokens)
        year = ctx.article.published.year if ctx.article.published else None
        part = self.actors.code_participant(sp, ctx.doc, focus_country=ctx.focus_country, text=ctx.article.text,
                                            year=year)
        return part

    def _holders(self, ctx, cand: Candidate, source: SourceChain, last_holders: list) -> list[Participant]:
        out = []
        for head in cand.holder_heads:
            if head.pos_ == "PRON" or head.lower_ in ("it", "they", "we", "he", "she", "i"):
                resolved = self._pronoun(ctx, head, cand, source, last_holders)
                if resolved is not None:
                    out.append(resolved)
                continue
            part = self._participant(ctx, phrase_tokens(head))
            owner = next((c for c in head.children if c.dep_ == "poss" and c.pos_ == "PRON"), None)
            if owner is not None:
                part = self._owned(ctx, head, part) # "its forces", "their fighters": the owner's party
            if part.name or part.country or part.sector or head.pos_ == "PROPN" or head.ent_type_ in (
                    "PERSON", "ORG", "GPE", "NORP") or head.lemma_.lower() in PARTY_NOUNS:
                out.append(part)
        return out

    def _owned(self, ctx, head, part: Participant) -> Participant:
        """'its forces' in 'The government rejected the accusation that its forces ...': the party of the nearest
        named subject above (the owner), keeping the phrase's own sector."""
        for anc in head.ancestors:
            # the subject of the clause above, or of a speech verb beside it ("officials said, their forces ...")
            verbs = [anc] + [c for c in anc.children if c.lemma_.lower() in self.lex.speech_verbs]
            subj = next((c for v in verbs for c in v.children if c.dep_ in ("nsubj", "nsubjpass")
                         and c.pos_ != "PRON" and c.i != head.i and head not in c.subtree), None)
            if subj is not None:
                owner = self._participant(ctx, phrase_tokens(subj))
                if owner.name or owner.country:
                    generic = owner.name == owner.text      # "U.S. officials": keep the phrase's own words
                    return Participant(text=part.text, span=part.span,
                                       name=part.text if generic else (owner.name or part.name),
                                       country=owner.country or part.country, sector=part.sector or owner.sector,
                                       wikidata=owner.wikidata)
        return part

    def _pronoun(self, ctx, head, cand: Candidate, source: SourceChain, last_holders: list) -> Optional[Participant]:
        """'it would', 'we will', 'they said': the speaker's party, the subject of the speech verb, or the party
        named last."""
        word = head.lower_
        verb = cand.trigger
        # "The ELN said it would observe": the subject of the governing speech verb
        node = verb
        for _ in range(4):
            if node.head.i == node.i:
                break
            node = node.head
            if node.lemma_.lower() in self.lex.speech_verbs:
                subj = next((c for c in node.children if c.dep_ == "nsubj"), None)
                if subj is not None and subj.pos_ != "PRON":
                    return self._participant(ctx, phrase_tokens(subj))
                break
        if word in ("we", "i") and source.said_by:
            org = source.said_by_organization
            return Participant(text=head.text, span=(head.idx, head.idx + len(head.text)),
                               name=org or source.said_by)
        if last_holders:
            prev = last_holders[-1]
            return Participant(text=head.text, span=(head.idx, head.idx + len(head.text)), name=prev.name,
                               country=prev.country, sector=prev.sector, wikidata=prev.wikidata)
        return None

    def _source(self, ctx, si: int, cand: Candidate, attributions: list, quotes: list) -> SourceChain:
        chain = SourceChain(reported_by=ctx.article.outlet)
        covering = [a for a in attributions if si in a.covers]
        ancestors = {t.i for t in cand.trigger.ancestors}
        chosen = next((a for a in covering if a.verb in ancestors), None) or (covering[0] if covering else None)
        if chosen is not None:
            s = chosen.source
            chain.said_by, chain.said_by_role, chain.said_by_organization = s.name, s.role, s.organization
            chain.said_by_span = s.span
        t0 = cand.trigger.idx
        scope_span = span_of(cand.scope) or (t0, t0 + 1)
        inside = next((q for q in quotes if q[0] <= t0 < q[1]), None)
        overlapping = next((q for q in quotes if q[0] < scope_span[1] and scope_span[0] < q[1]), None)
        if inside is not None:
            chain.mode = "direct_quote"
            chain.quote, chain.quote_span = ctx.article.text[inside[0]:inside[1]], inside
        elif chosen is not None:
            chain.mode = "reported_speech"
            if overlapping is not None:
                chain.quote, chain.quote_span = ctx.article.text[overlapping[0]:overlapping[1]], overlapping
        return chain

    # -- what -------------------------------------------------------------------------------------------------
    def _kind(self, c: Commitment, cand: Candidate, text: str) -> None:
        scope = [t for t in cand.scope if t.sent == cand.trigger.sent] or [cand.trigger]
        if cand.noun is not None and cand.noun not in scope:
            scope = scope + phrase_tokens(cand.noun)
        found = find_kind(self.lex, scope)
        if found is None:
            c.kind = Words("other")
            c.polarity = words_of("refrain" if negated(cand.trigger) else "act", [cand.trigger], text)
            return
        kind, hit = found
        c.kind = words_of(kind.name, hit, text)
        refrain = kind.polarity == "refrain" or any(negated(t) for t in hit if t.pos_ == "VERB")
        pol_tok = next((n for t in hit for n in t.children if n.dep_ == "neg"), hit[0])
        c.polarity = words_of("refrain" if refrain else "act", [pol_tok], text)

    def _threshold(self, c: Commitment, cand: Candidate, text: str) -> None:
        scope = cand.scope or [cand.trigger]
        if c.kind.value in ("release_prisoners", "withdraw"):
            num = next((t for t in scope if t.like_num and t.dep_ in ("nummod", "dobj", "quantmod", "pobj")
                        and _number(t.text) is not None), None)
            if num is not None:
                c.threshold = words_of("absolute", [num], text)
                c.quantity = words_of(_number(num.text), [num], text)
                return
        rel = next((t for t in scope if t.lemma_.lower() in self.lex.relative_words), None)
        if rel is not None and c.polarity.value == "refrain":
            c.threshold = words_of("relative", [rel], text)
            return
        zero = next((t for t in scope if t.lower_ in self.lex.zero_words or t.lemma_.lower() in self.lex.zero_words),
                    None)
        if c.polarity.value == "refrain" and (zero is not None or c.kind.value == "ceasefire"):
            c.threshold = words_of("zero", [zero] if zero is not None else [cand.trigger], text)
            return
        c.threshold = Words("any")

    # -- when -------------------------------------------------------------------------------------------------
    def _dates(self, ctx: DocContext, si: int, c: Commitment, cand: Candidate) -> None:
        published = ctx.article.published
        text = ctx.article.text
        sent = ctx.sents[si]
        try:
            mentions = self.dates.mentions_in(ctx, si, published)
        except Exception:  # noqa: BLE001 - a date the resolver cannot read leaves the commitment undated
            mentions = []
        trigger = cand.trigger
        for m in mentions:
            if m.when is None or m.when.start is None or m.when.span is None:
                continue
            before = text[max(sent.start_char, m.when.span[0] - 14):m.when.span[0]].lower().split()
            last = " ".join(w for w in before[-3:] if w not in ("on", "at", "the"))
            words = Words(m.when.start, m.when.text, m.when.span)
            if any(last.endswith(w) for w in self.lex.deadline_words):
                m = self.dates._forward(m, published, ctx)      # "by Friday": the coming Friday
                c.deadline = Words(m.when.end or m.when.start, m.when.text, m.when.span)
            elif any(last.endswith(w) for w in self.lex.start_words):
                m = self.dates._forward(m, published, ctx)      # "starting on Monday": the coming Monday
                c.start = Words(m.when.start, m.when.text, m.when.span)
            elif ctx.doc[m.root].head.i == trigger.i and c.statement in ("pledge", "condition", "invocation",
                                                                      "violation_claim", "denial"):
                c.said_on = words
            elif c.start is None:
                c.start = words
            c.date_precision = m.when.precision
        dur = self.lex.duration.search(sent.text)
        if dur is not None:
            n = dur.group("num")
            unit = (dur.group("unit") or dur.group("unit2")).lower()
            count = 1 if n is None else (int(n) if n.isdigit() else self.lex.number_words.get(n.lower(), 1))
            days = max(1, round(count * self.lex.duration_units[unit]))
            sp = (sent.start_char + dur.start(), sent.start_char + dur.end())
            c.duration_days = Words(days, text[sp[0]:sp[1]], sp)
            lead = text[max(sent.start_char, sp[0] - 8):sp[0]].lower()
            if "within" in lead and c.deadline is None:
                base = c.start.value if c.start else (c.said_on.value if c.said_on else iso(published))
                if base:
                    c.deadline = Words((dt.date.fromisoformat(base) + dt.timedelta(days=days)).isoformat(),
                                       text[sp[0]:sp[1]], sp)
        if c.start is None:
            base = c.said_on or (Words(iso(published), None, None) if published else None)
            if base is not None and base.value:
                c.start = Words(base.value, base.text, base.span)
                if base.span is None:
                    c.date_precision = "report"
        if c.said_on is None and published is not None:
            c.said_on = Words(iso(published))

    # -- how it is held against events ------------------------------------------------------------------------
    def _pattern(self, ctx: DocContext, c: Commitment) -> None:
        spec = self.patterns.get(c.kind.value)
        h = c.holder
        # A place finer than a country named in the sentence is the area; else the article's focus country ("the
        # U.S. airstrike" in a sentence about the Taliban's pledge does not move the pledge to the United States).
        place = next((p for p in ctx.places if p.span and c.sentence_span[0] <= p.span[0] < c.sentence_span[1]
                      and p.country and p.precision not in ("country", "region", "unknown")), None)
        if place is None and ctx.focus_country is None:
            place = next((p for p in ctx.places if p.span and c.sentence_span[0] <= p.span[0] < c.sentence_span[1]
                          and p.country), None)
        pat = Pattern()
        if place is not None:
            pat.area_country = place.country
            pat.area_admin1 = place.admin1 if place.precision not in ("country", "region") else None
            pat.area_text, pat.area_span = place.text, place.span
        else:
            pat.area_country = ctx.focus_country
        if spec:
            pat.relation = spec.get("relation")
            pat.event_types = list(spec.get("event_types") or ())
            pat.acled_event_types = list(spec.get("acled_event_types") or ())
            pat.modes = list(spec.get("modes") or ())
            if h is not None:
                pat.actor, pat.actor_country, pat.actor_sector = h.name or h.text, h.country, h.sector
        c.pattern = pat

    def _testable(self, c: Commitment, cand: Candidate, text: str) -> None:
        if c.statement == "unspecified":
            c.testable = words_of(False, [cand.trigger], text)
            c.testable.value = False
            c.testable.text = text[cand.trigger.idx:cand.trigger.sent.end_char].rstrip(". ")
            c.testable.span = (cand.trigger.idx, cand.trigger.idx + len(c.testable.text))
            c.untestable_reason = "the agreement leaves this point open"
            return
        if c.pattern.relation is None:
            c.testable = Words(False)
            c.untestable_reason = f"no event pattern for kind '{c.kind.value}'"
        elif c.statement == "condition":
            c.testable = Words(False, c.condition.text if c.condition else None,
                               c.condition.span if c.condition else None)
            c.untestable_reason = "conditional: holds only if its condition is met"
        elif not c.holders and not c.pattern.area_country:
            c.testable = Words(False)
            c.untestable_reason = "no holder and no area"
        else:
            c.testable = Words(True, c.kind.text, c.kind.span)
            c.untestable_reason = None


def _number(text: str) -> Optional[int]:
    try:
        return int(text.replace(",", ""))
    except ValueError:
        return None

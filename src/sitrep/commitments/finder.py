"""Finding commitment statements in a parsed article: which words make one, of what sort, and which words say who
is bound and what to. The fields (kind, threshold, dates, source chain) are read by fields.py.

Five ways a sentence states or refers to a commitment (lexicon: data/commitments.yaml):
1. a pledge verb with a complement: "promised to reduce violence", "agreed to a truce", "is committed to act";
2. a ceasefire or commitment noun and the verb that governs it: "declared a ceasefire", "extended the truce",
   "violated the agreement", "must uphold their commitments", "despite the ceasefire";
3. a stated intention whose verb is one of a commitment kind's ("said it would halt strikes", "'We will not
   attack'"), said by someone, in a quote, in the first person or "under the accord";
4. a response promised on a condition ("if attacked, we will respond", "reserve the right to defend");
5. a point an agreement leaves open ("did not specify violence levels").
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from .lexicon import CommitmentLexicon, find_kind

# Clause children of a verb that hold what was promised.
COMPLEMENT_DEPS = ("xcomp", "ccomp", "dobj", "parataxis")
# Children that are not part of what was promised (the condition, the speaker's clause, side remarks).
OUTSIDE_SCOPE = {"advcl", "nsubj", "nsubjpass", "punct", "cc", "mark", "relcl", "appos", "npadvmod", "dative"}


@dataclass
class Candidate:
    """One commitment statement found in a sentence, before its fields are read."""
    statement: str
    trigger: object                          # the spaCy token that makes it
    holder_heads: list = field(default_factory=list)
    scope: list = field(default_factory=list)   # tokens of what was promised / referred to
    noun: object = None                      # the ceasefire or commitment noun, when there is one
    condition: object = None                 # the token heading the condition clause
    addressee: object = None
    claim_head: object = None                # the verb of a claimed violation ("had shelled ... in breach of")


def negated(tok) -> bool:
    """'did not', 'never', and a subject that denies ('Neither side has respected')."""
    if any(c.dep_ == "neg" or c.lower_ in ("never", "no") for c in tok.children):
        return True
    return any(c.dep_ in ("nsubj", "nsubjpass") and any(d.dep_ == "det" and d.lower_ in ("neither", "no")
                                                        for d in c.children) for c in tok.children)


def subject_of(verb) -> Optional[object]:
    """The verb's subject; a conjoined or complement verb takes its head's ("agreed" in "had ... and agreed")."""
    seen = 0
    while verb is not None and seen < 6:
        seen += 1
        for c in verb.children:
            if c.dep_ in ("nsubj", "nsubjpass", "csubj"):
                return c
        if verb.dep_ in ("conj", "xcomp", "advcl", "acomp", "attr") and verb.head.i != verb.i:
            verb = verb.head
            continue
        return None
    return None


def agent_of(verb):
    """'was extended by the army': the agent's noun."""
    for c in verb.children:
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    return None


def subtree_tokens(tok, skip=OUTSIDE_SCOPE) -> list:
    """The token and its subtree, without the branches that are not part of what it says."""
    out = [tok]
    for c in tok.children:
        if c.dep_ in skip:
            continue
        out.extend(subtree_tokens(c, skip))
    return out


def with_conjuncts(tok) -> list:
    """'Russia and Ukraine': both heads."""
    heads = [tok]
    for c in tok.children:
        if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN", "PRON"):
            heads.extend(with_conjuncts(c))
    return heads


def condition_clause(verb, lex: CommitmentLexicon):
    """The head of an 'if/unless/when ...' clause of the verb, if any."""
    for c in verb.children:
        if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in lex.condition_marks for m in c.children):
            return c
        if c.dep_ == "prep" and c.lower_ in ("for",) and any(g.lower_ == "any" for g in c.subtree):
            return c        # "would retaliate for any attack"
    return None


class CandidateFinder:
    """Reads the candidates of one sentence."""

    def __init__(self, lex: CommitmentLexicon):
        self.lex = lex

    def __call__(self, sent) -> list[Candidate]:
        found: list[Candidate] = []
        lowered = sent.text.lower()
        for tok in sent:
            cand = (self._pledge(tok) or self._denial(tok) or self._intention(tok, lowered)
                    or self._noun(tok, lowered))
            if cand is not None:
                found.append(cand)
        for pattern in self.lex.unspecified:
            m = pattern.search(sent.text)
            if m:
                found.append(self._unspecified(sent, m))
                break
        return _dedupe(found)

    # -- 1. pledge verbs ------------------------------------------------------------------------------------
    def _pledge(self, tok) -> Optional[Candidate]:
        lex = self.lex
        if tok.lemma_.lower() not in lex.pledge_verbs or tok.pos_ not in ("VERB", "ADJ", "AUX"):
            return None
        if tok.dep_ in ("amod", "compound") or negated(tok):
            return None
        if tok.head.i != tok.i and tok.head.lemma_.lower() in lex.cancelling_heads:
            return None         # "refused to commit"
        comps = [c for c in tok.children if c.dep_ in COMPLEMENT_DEPS]
        preps = [c for c in tok.children if c.dep_ in ("prep", "dative") and c.lower_ in ("to", "on", "that")]
        objects = [c for c in tok.children if c.dep_ == "dobj"]
        if any(o.lemma_.lower() in lex.not_pledged for o in objects) and not any(
                c.dep_ in ("xcomp", "ccomp") for c in comps):
            return None         # "vowed revenge": a threat
        scope, noun = [], None
        for c in comps:
            scope.extend(subtree_tokens(c))
        for p in preps:
            for g in p.children:
                if g.dep_ in ("pobj", "pcomp"):
                    scope.extend(subtree_tokens(g))
                    if g.lemma_.lower() in lex.ceasefire_nouns | lex.commitment_nouns:
                        noun = g
        if not scope:
            return None         # "as agreed", "the promised aid": no content
        lemma = tok.lemma_.lower()
        statement = "pledge"
        holder = subject_of(tok)
        addressee = None
        # "The deal commits both sides to ...": the object is bound, the subject is the deal.
        if lemma in ("commit", "committed") and objects and not any(c.dep_ in ("xcomp", "ccomp") for c in comps):
            holder = objects[0]
            scope = [t for t in scope if t not in subtree_tokens(objects[0])]
        elif objects and any(c.dep_ in ("ccomp", "xcomp") for c in comps):
            addressee = objects[0]      # "promised the international community it would ..."
        datives = [c for c in tok.children if c.dep_ == "dative"]
        if datives and addressee is None:
            addressee = datives[0]
        if any(t.lemma_.lower() in lex.extend_verbs for t in scope) and any(
                t.lemma_.lower() in lex.ceasefire_nouns for t in scope):
            statement = "extension"         # "agreed to extend the truce"
        elif noun is not None and noun.lemma_.lower() in lex.ceasefire_nouns:
            statement = "declaration"
        elif noun is not None and not any(t.pos_ == "VERB" for t in scope):
            statement = "invocation"    # "committed to the peace agreement"
        cond = condition_clause(tok, lex) or next(
            (condition_clause(t, lex) for t in scope if t.pos_ == "VERB" and condition_clause(t, lex) is not None),
            None)
        if cond is not None or _has_phrase(tok.sent.text.lower(), ("in exchange for", "in return for")):
            statement = "condition"
        return Candidate(statement, tok, with_conjuncts(holder) if holder is not None else [], scope, noun,
                         cond, addressee)

    # -- denials ------------------------------------------------------------------------------------------------
    def _denial(self, tok) -> Optional[Candidate]:
        lex = self.lex
        if tok.lemma_.lower() not in lex.deny_verbs or tok.pos_ != "VERB":
            return None
        scope = []
        for c in tok.children:
            if c.dep_ in ("ccomp", "xcomp", "pcomp", "dobj"):
                scope.extend(subtree_tokens(c, skip={"punct"}))
        lemmas = {t.lemma_.lower() for t in scope}
        if not lemmas & (lex.violate_verbs | {"accusation", "charge", "claim", "report", "allegation"}) \
                and not any(t.pos_ == "VERB" and t.lemma_.lower() in lex.kind_verbs for t in scope):
            return None
        if not (lemmas & (lex.violate_verbs | lex.ceasefire_nouns | lex.commitment_nouns | lex.kind_verbs)):
            return None
        holder = subject_of(tok)
        inner = next((t for t in scope if t.lemma_.lower() in lex.violate_verbs | lex.kind_verbs
                      and t.pos_ == "VERB"), None)
        if inner is not None and subject_of(inner) is not None and subject_of(inner).i != (holder.i if holder else -1):
            holder = subject_of(inner)      # "denied that his fighters had fired"
        noun = next((t for t in scope if t.lemma_.lower() in lex.ceasefire_nouns | lex.commitment_nouns), None)
        return Candidate("denial", tok, with_conjuncts(holder) if holder is not None else [], scope, noun)

    # -- 3. and 4. stated intentions and conditional responses --------------------------------------------------
    def _intention(self, tok, lowered: str) -> Optional[Candidate]:
        lex = self.lex
        lemma = tok.lemma_.lower()
        if tok.pos_ != "VERB":
            return None
        response = lemma in lex.response_verbs
        reserve = lemma == "reserve" and "right" in {c.lemma_.lower() for c in tok.children}
        future = any(c.dep_ == "aux" and c.lower_ in lex.future_aux for c in tok.children) or (
            # "announced it was suspending all attacks": a declaration in the progressive
            tok.tag_ == "VBG" and any(c.dep_ == "aux" and c.lemma_ == "be" for c in tok.children)
            and tok.head.lemma_.lower() in ("announce", "declare") and tok.dep_ == "ccomp")
        if reserve:
            scope = subtree_tokens(tok)
            holder = subject_of(tok)
            return Candidate("condition", tok, with_conjuncts(holder) if holder else [], scope, None, tok)
        if not future or not (lemma in lex.kind_verbs or response):
            return None
        said = self._said(tok)
        subject = subject_of(tok)
        first_person = subject is not None and subject.lower_ in lex.first_person
        quoted = '"' in tok.sent.text
        under_accord = any(c.dep_ == "prep" and c.lower_ == "under" and any(
            g.lemma_.lower() in lex.commitment_nouns for g in c.children) for c in tok.children) or (
            # "a deal under which the clans will stop attacks"
            tok.dep_ == "relcl" and tok.head.lemma_.lower() in lex.commitment_nouns)
        if not (said or first_person or quoted or under_accord):
            return None
        cond = condition_clause(tok, lex)
        scope = subtree_tokens(tok)
        if not response and find_kind(lex, scope) is None:
            return None     # "would stay as long as necessary": no commitment kind's words
        if response:
            if cond is None and not _has_phrase(lowered, lex.condition_phrases) \
                    and not any(c.dep_ == "advmod" and c.lower_ == "when" for c in tok.subtree):
                return None     # "will respond" with no condition: no commitment
            statement = "condition"
        else:
            statement = "condition" if cond is not None or _has_phrase(lowered, lex.condition_phrases) else "pledge"
        return Candidate(statement, tok, with_conjuncts(subject) if subject is not None else [], scope, None, cond)

    def _said(self, tok) -> bool:
        """A speech verb above the token ("said it would ...")."""
        head, steps = tok, 0
        while head.head.i != head.i and steps < 4:
            if head.dep_ not in ("ccomp", "xcomp", "conj", "parataxis", "advcl"):
                return False
            head = head.head
            steps += 1
            if head.lemma_.lower() in self.lex.speech_verbs:
                return True
        return False

    # -- 2. ceasefire and commitment nouns -------------------------------------------------------------------
    def _noun(self, tok, lowered: str) -> Optional[Candidate]:
        lex = self.lex
        lemma = tok.lemma_.lower()
        ceasefire = lemma in lex.ceasefire_nouns
        if tok.pos_ not in ("NOUN", "PROPN") or not (ceasefire or lemma in lex.commitment_nouns):
            return None
        if lemma in ("pause", "lull", "cessation", "moratorium", "plan", "deal", "understanding") and not (
                lemma in ("pause", "cessation") and any(c.lemma_.lower() in ("humanitarian", "hostility")
                                                        for c in tok.subtree)) and lemma not in ("deal",):
            return None
        node, prep = tok, None
        # "ceasefire agreement", "three-day truce": climb to the phrase's head noun
        while node.dep_ in ("compound", "amod", "nmod") and node.head.i != node.i:
            node = node.head
        for ch in node.children:
            # "the truce, which took effect at midnight"
            if ch.dep_ == "relcl" and self._effect(ch):
                return Candidate("declaration", ch, [], [node] + subtree_tokens(ch), tok)
        steps = 0
        while node.dep_ == "pobj" and steps < 3:
            steps += 1
            prep = node.head
            phrase = self._prep_phrase(prep)
            if phrase in lex.violation_phrases:
                claimed = prep.head
                while claimed.pos_ not in ("VERB", "AUX") and claimed.head.i != claimed.i:
                    claimed = claimed.head
                holder = subject_of(claimed) if claimed.pos_ in ("VERB", "AUX") else None
                return Candidate("violation_claim", tok, with_conjuncts(holder) if holder is not None else [],
                                 subtree_tokens(claimed) if claimed.pos_ in ("VERB", "AUX") else [tok], tok,
                                 claim_head=claimed)
            node = prep.head
            if node.pos_ in ("NOUN", "PROPN"):
                if node.lemma_.lower() in lex.not_a_commitment_nouns:
                    return None         # "talks on a ceasefire", "offer of a truce"
                if node.lemma_.lower() in ("announcement", "declaration"):
                    gov = node.head if node.dep_ in ("dobj", "pobj") else None
                    if gov is not None and gov.lemma_.lower() in lex.invoke_verbs:
                        return Candidate("invocation", gov, [], subtree_tokens(gov), tok)
                    return Candidate("declaration", node, [], [node, tok], tok)
                while node.dep_ in ("compound", "amod", "nmod"):
                    node = node.head
        if node.pos_ in ("VERB", "AUX") and prep is not None:
            verb = node                     # "reneged on its pledge", "abide by the ceasefire"
        else:
            verb = node.head if node.dep_ in ("dobj", "nsubj", "nsubjpass", "attr", "pobj", "conj") else None
        if node.dep_ == "conj" and verb is not None and verb.pos_ in ("NOUN", "PROPN"):
            verb = verb.head
        if verb is None or verb.pos_ not in ("VERB", "AUX"):
            return None
        vlemma = verb.lemma_.lower()
        if prep is not None and prep.head.i == verb.i and prep.lower_ == "for" or vlemma in lex.not_a_commitment_heads:
            return None                 # "called for a ceasefire", "urged a truce"
        if verb.head.i != verb.i and verb.head.lemma_.lower() in ("hope", "expect", "fear", "want", "propose") \
                and verb.dep_ in ("xcomp", "ccomp"):
            return None
        subject = subject_of(verb)
        by_agent = agent_of(verb)
        holder = by_agent or (subject if subject is not None and subject.i != node.i else None)
        if ceasefire and node.dep_ != "nsubj" and any(c.dep_ == "poss" for c in node.children):
            holder = holder or next(c for c in node.children if c.dep_ == "poss")
        scope = subtree_tokens(verb)
        statement = None
        denied = negated(verb) or (verb.head.i != verb.i and verb.head.lemma_.lower() in lex.deny_verbs) or any(
            a.lemma_.lower() in lex.deny_verbs for a in verb.ancestors)
        up = verb.head.head if verb.dep_ == "pcomp" else verb.head     # "accused X of violating"
        accuser = up if up.i != verb.i and up.lemma_.lower() in lex.accuse_verbs else None
        if vlemma in lex.violate_verbs:
            statement = "denial" if denied else "violation_claim"
            if accuser is not None:
                # "accused the rebels of": the accused; "accused each other", "blamed the other": both sides
                obj = next((c for c in accuser.children if c.dep_ == "dobj"), None)
                holder = obj if obj is not None and obj.lower_ != "other" else subject_of(accuser)
        elif vlemma in lex.extend_verbs:
            statement = "extension"
        elif vlemma in lex.collapse_verbs and node.dep_ == "nsubj":
            statement = "violation_claim"
        elif vlemma in lex.invoke_verbs and any(c.dep_ == "aux" and c.lower_ in lex.future_aux
                                                for c in verb.children) and not negated(verb):
            statement = "pledge"            # "said it would observe a ceasefire"
        elif vlemma in lex.invoke_verbs:
            statement = "violation_claim" if negated(verb) else "invocation"
            # "called on the rebels to respect", "demanded that Iran abide by": the one asked is bound
            top = verb
            while top.dep_ == "conj" and top.head.i != top.i:
                top = top.head          # "to stop needless attacks and uphold their commitments"
            caller = top.head if top.dep_ in ("xcomp", "ccomp", "advcl") else None
            own = next((c for c in top.children if c.dep_ in ("nsubj", "nsubjpass")), None) or next(
                (c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if caller is not None and caller.lemma_.lower() in ("call", "urge", "ask", "press", "tell", "order",
                                                                 "demand", "warn", "remind", "appeal"):
                scope = subtree_tokens(top)
                subject = own
                holder = own
                obj = next((g for c in caller.children if c.dep_ == "prep" and c.lower_ == "on"
                            for g in c.children if g.dep_ == "pobj"), None)
                obj = obj or next((c for c in caller.children if c.dep_ == "dobj"), None)
                if obj is not None and subject is None:
                    holder = obj
        elif ceasefire and (vlemma in lex.declare_verbs or self._effect(verb)):
            statement = "declaration"
        elif ceasefire and vlemma in ("hold", "remain", "begin", "start", "expire", "end", "last"):
            statement = "invocation"
        if statement is None:
            return None
        return Candidate(statement, verb, with_conjuncts(holder) if holder is not None else [], scope, tok)

    def _effect(self, verb) -> bool:
        """'took effect', 'came into force'."""
        words = (verb.lemma_.lower(),) + tuple(t.lemma_.lower() for t in verb.subtree if t.i > verb.i)[:3]
        return any(words[:len(p)] == p or (words[0] == p[0] and p[-1] in words) for p in self.lex.effect_phrases)

    @staticmethod
    def _prep_phrase(prep) -> str:
        """'in breach of' from its last word 'of' (climbing 'of' -> 'breach' -> 'in')."""
        words = [prep.lower_]
        node = prep
        for _ in range(2):
            head = node.head
            if head.i == node.i or head.i >= node.i or head.i < node.i - 2:
                break
            words.insert(0, head.lower_)
            node = head
        return " ".join(words) if len(words) > 1 and words[0] == "in" else prep.lower_

    # -- 5. points left open ----------------------------------------------------------------------------------
    def _unspecified(self, sent, match) -> Candidate:
        start = sent.start_char + match.start()
        trigger = next((t for t in sent if t.idx >= start), sent.root)
        scope = [t for t in sent if t.idx >= start]
        return Candidate("unspecified", trigger, [], scope)


def _has_phrase(text: str, phrases) -> bool:
    return any(p in text for p in phrases)


def _dedupe(found: list[Candidate]) -> list[Candidate]:
    """One candidate per statement: a noun's reading gives way to a pledge or denial that already covers it, and
    two readings with the same trigger keep the first."""
    kept: list[Candidate] = []
    for cand in found:
        covered = any(cand.trigger.i == k.trigger.i or cand.trigger in k.scope and k.statement != "unspecified"
                      or (cand.noun is not None and k.noun is not None and cand.noun.i == k.noun.i) for k in kept)
        if covered:
            continue
        # a later candidate may cover an earlier noun reading ("accused ... of violating the truce")
        kept = [k for k in kept if not (k.noun is not None and k.trigger in cand.scope and cand.statement in
                                         ("denial", "pledge", "condition") and k.statement != "unspecified")]
        kept.append(cand)
    return kept

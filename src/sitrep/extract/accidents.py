"""Accidents and disasters are not attacks: drop ASSAULT events read from crashes, collapses, fires, disease.

Word lists in data/accidents.yaml. Two tests, both on lemmas of the parse:
- the sentence: an ASSAULT whose sentence states an accident ("the bus overturned, killing seven", "a gas
  explosion", "fire kills nine", "the virus killed three", "the helicopter struck power lines") is dropped unless
  the sentence also states an attacker or intent ("gunmen set fire to the bus");
- the story: when the headline or the first sentence states an accident and neither states an attack, a later
  bare toll with no actor ("it killed nine", "20 bodies had been recovered") is the accident's toll.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional

from ..data import load_yaml
from ..model import Event
from .non_human import AgentWords, load_agent_words, mishap, non_human_agent
from .context import DocContext
from .parse import GROUP_PRONOUNS, SUBJECT_DEPS, lemma


@dataclass(frozen=True)
class AccidentWords:
    nouns: frozenset[str]
    verbs: frozenset[str]
    blasts: frozenset[str]
    modifiers: frozenset[str]
    vehicles: frozenset[str]
    intent: frozenset[str]
    intent_exceptions: frozenset[str]
    toll_triggers: frozenset[str]
    fires: frozenset[str]
    emergency: frozenset[str] = frozenset()
    disasters: frozenset[str] = frozenset()
    unrest: frozenset[str] = frozenset()
    intent_nouns_only: frozenset[str] = frozenset()
    anaphors: frozenset[str] = frozenset()
    driving: frozenset[str] = frozenset()
    obstacles: frozenset[str] = frozenset()
    death_headline_words: frozenset[str] = frozenset()
    finding_verbs: frozenset[str] = frozenset()
    tributes: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def load_accident_words() -> AccidentWords:
    spec = load_yaml("accidents.yaml")

    def words(key):
        return frozenset(str(w).lower() for w in spec[key])
    return AccidentWords(nouns=words("accident_nouns"), verbs=words("accident_verbs"),
                         blasts=words("accidental_blasts"), modifiers=words("accident_modifiers"),
                         vehicles=words("vehicles"), intent=words("intent_words"),
                         intent_exceptions=words("intent_exceptions"), toll_triggers=words("toll_triggers"),
                         fires=words("fires"), emergency=words("emergency_words"), disasters=words("disasters"),
                         unrest=words("unrest_words"), intent_nouns_only=words("intent_nouns_only"),
                         anaphors=words("anaphoric_subjects"), driving=words("driving_verbs"),
                         obstacles=words("obstacles"), death_headline_words=words("death_headline_words"),
                         tributes=words("tributes"), finding_verbs=words("finding_verbs"))


HARM_VERBS = {"kill", "injure", "wound", "hurt", "destroy", "gut", "claim", "leave", "damage", "engulf", "raze"}


class AccidentFilter:
    """Drops the ASSAULT events of accidents (see the module docstring)."""

    def __init__(self, words: Optional[AccidentWords] = None, agent_words: Optional[AgentWords] = None):
        self.words = words or load_accident_words()
        self.agent_words = agent_words or load_agent_words()

    # ---- what a span of tokens states -------------------------------------------------------------------

    def states_intent(self, tokens: Iterable) -> bool:
        w = self.words
        for tok in tokens:
            compounds = {f"{c.lower_} {lemma(tok)}" for c in tok.children if c.dep_ in ("compound", "amod")}
            if lemma(tok) in w.intent_nouns_only and tok.pos_ != "NOUN":
                continue        # "a suspect" attacked; "was suspected of dying from the virus" is no attack
            if lemma(tok) in w.intent or tok.lower_ in w.intent or compounds & w.intent:   # "air strike"
                if any(c.dep_ in ("compound", "amod") and lemma(c) in w.intent_exceptions for c in tok.children):
                    continue        # "a heart attack"
                return True
        return False

    def states_accident(self, tokens: Iterable) -> bool:
        w = self.words
        for tok in tokens:
            low = lemma(tok)
            if tok.pos_ in ("NOUN", "PROPN") and (low in w.nouns or tok.lower_ in w.nouns):
                return True
            if tok.pos_ == "VERB" and low in w.verbs:
                return True
            if low in w.blasts and tok.pos_ == "NOUN":
                if any(lemma(c) in w.modifiers for c in tok.children if c.dep_ in ("compound", "amod", "nmod")):
                    return True     # "a gas explosion", "a hotel fire"
                if low in w.fires and tok.dep_ in SUBJECT_DEPS and lemma(tok.head) in HARM_VERBS:
                    return True     # "fire kills nine" (not "an explosion killed two": a bomb's too)
                if tok.dep_ in ("dobj", "obj") and lemma(tok.head) == "catch":
                    return True     # "caught fire"
            if low in ("explode", "burst", "blow") and tok.pos_ == "VERB":
                subj = next((c for c in tok.children if c.dep_ in SUBJECT_DEPS), None)
                if subj is not None and lemma(subj) in w.vehicles:
                    return True     # "a fuel tanker exploded on the highway" (a car bomb's subject is the bomb)
            if low in ("hit", "strike", "slam", "smash", "plough", "plow") and tok.pos_ == "VERB":
                subj = next((c for c in tok.children if c.dep_ in SUBJECT_DEPS), None)
                if subj is not None and lemma(subj) in w.vehicles:
                    return True     # "the helicopter struck power lines"
                obj = next((c for c in tok.children if c.dep_ in ("dobj", "obj")), None)
                if obj is not None and (lemma(obj) in w.obstacles or any(
                        f"{c.lower_} {lemma(obj)}" in w.obstacles for c in obj.children if c.dep_ == "compound")):
                    return True     # "hit the wall on lap 28", "struck a guard rail"
        return False

    def drives(self, tokens) -> bool:
        """Does a verb of driving take a vehicle as its object ("was driving a pickup truck")?"""
        return any(tok.pos_ == "VERB" and lemma(tok) in self.words.driving and any(
            c.dep_ in ("dobj", "obj") and lemma(c) in self.words.vehicles for c in tok.children) for tok in tokens)

    def is_accident(self, tokens) -> bool:
        tokens = list(tokens)
        return self.states_accident(tokens) and not self.states_intent(tokens)

    # ---- the stage ----------------------------------------------------------------------------------------

    def __call__(self, ctx: DocContext, events: list[Event], headline_doc=None) -> list[Event]:
        opening = list(ctx.sents[0]) if ctx.sents else []
        story_tokens = opening + (list(headline_doc) if headline_doc is not None else [])
        events = [ev for ev in events if not self.disaster_emergency(ctx, ev, story_tokens)]
        if headline_doc is not None and headline_doc is not ctx.doc and self.death_story(headline_doc, story_tokens):
            events = [ev for ev in events if not (ev.event_type == "SUPPORT"
                                                  and lemma(ctx.trigger_of(ev)) in self.words.tributes)]
        if not any(e.event_type == "ASSAULT" for e in events):
            return events
        story_intent = self.states_intent(story_tokens)
        accident_story = self.states_accident(story_tokens) and not story_intent
        kept = []
        for ev in events:
            if ev.event_type == "ASSAULT" and self.drops(ctx, ev, accident_story, story_intent):
                continue
            kept.append(ev)
        return kept

    def named_person_found_dead(self, trigger) -> bool:
        """"The mayor, Ann Lee, was found dead at her home": a named person found dead, in a story that names no
        attack, is a death to be explained, not a killing (bodies found in a conflict are counted, not named)."""
        if lemma(trigger) not in self.words.finding_verbs:
            return False
        target = next((c for c in trigger.children if c.dep_ in ("nsubjpass", "dobj", "obj", "nsubj")), None)
        if target is None:
            return False
        named = target.ent_type_ == "PERSON" or any(
            c.ent_type_ == "PERSON" for c in target.children if c.dep_ in ("appos", "compound"))
        return named and any(c.dep_ in ("oprd", "acomp", "xcomp", "advmod") and c.lower_ == "dead"
                             for c in trigger.children)

    def death_story(self, headline_doc, story_tokens: list) -> bool:
        """Does the headline report a death that no one caused ("Pioneering scientist dies at 91")? Then the
        praise that follows is a tribute, not SUPPORT between parties."""
        words = {lemma(t) for t in headline_doc} | {t.lower_ for t in headline_doc}
        return bool(words & self.words.death_headline_words) and not self.states_intent(story_tokens)

    def disaster_emergency(self, ctx: DocContext, ev: Event, story_tokens: list) -> bool:
        """A COERCE "state of emergency" declared for a storm or an epidemic (see accidents.yaml)."""
        w = self.words
        if ev.event_type != "COERCE" or ev.trigger_span is None or not w.emergency:
            return False
        trigger = ctx.doc.text[ev.trigger_span[0]:ev.trigger_span[1]].lower()
        if trigger not in w.emergency and lemma(ctx.trigger_of(ev)) not in w.emergency:
            return False
        for tokens in (list(ctx.sent_of(ev)), story_tokens):
            lemmas = {lemma(t) for t in tokens} | {t.lower_ for t in tokens}
            if lemmas & w.disasters and not lemmas & w.unrest:
                return True
        return False

    def drops(self, ctx: DocContext, ev: Event, accident_story: bool, story_intent: bool = False) -> bool:
        sent = ctx.sent_of(ev)
        if self.is_accident(sent):
            return True
        trigger = ctx.trigger_of(ev)
        sentence_intent = self.states_intent(sent)
        if not sentence_intent:
            # "the coronavirus killed two", "hit by an earthquake", "died of pneumonia": no human attacker
            if non_human_agent(trigger, self.agent_words):
                return True
            # "killed while working on the track", in a story that names no attack anywhere
            if not story_intent and mishap(trigger, self.agent_words):
                return True
        if not sentence_intent and not story_intent and self.named_person_found_dead(trigger):
            return True
        if not accident_story or sentence_intent:
            return False
        if ev.typed_by_model or self.drives(sent):
            return True     # the typer's guess of an attack, or "was driving a truck and struck ...", in an accident story
        # the parse's subject, not the resolved actor: "it killed nine", "that event killed one" are the
        # accident's toll whatever the actor resolver made of "it"
        subject = next((c for c in trigger.children if c.dep_ in SUBJECT_DEPS), None)
        bare = ev.actor is None or (ev.actor.text or "").lower() in GROUP_PRONOUNS or (
            subject is not None and (subject.lower_ in GROUP_PRONOUNS or lemma(subject) in self.words.anaphors))
        return bare and lemma(trigger) in self.words.toll_triggers

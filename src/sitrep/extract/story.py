"""The story's own reading: the document typer (doc_typer.py) over the headline and lede, after the rules.

Runs once per article, after its events are found, the headline read (title.py) and the rule parts of the news
gate applied (news_gate.py); it sets aside the events of a story that reports no political event, chooses the
primary event, and types or fills it where the classifier is sure (thresholds in data/doc_typer.yaml).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Callable, Optional

from ..model import Article, Event
from ..options import Options
from . import embedder
from .doc_typer import DocTyper, choose_primary, load_doc_typer, reads_no_event, top_type
from .news_gate import Lede, NewsGate, first_sentence, kept_whatever_the_verdict, load_news_gate, names_violence
from .ranking import primary_score
from .typer import NONE, retype

NEVER = 2.0     # a probability threshold that is never reached


@dataclass(frozen=True)
class StoryReader:
    typer: DocTyper
    gate: bool              # set aside the events of stories read as "no event" (Options.news_gate)
    choose: bool            # choose, type and fill the primary event (Options.event_typer != "off")
    news_gate: NewsGate

    @classmethod
    def for_typer(cls, sentence_typer, options: Options) -> Optional["StoryReader"]:
        """The reader that goes with a MiniLM typer backend (None for the spaCy typer: it has no document head,
        and without the MiniLM weights package the backend is the spaCy typer)."""
        if getattr(sentence_typer, "backend", "spacy") == "spacy" and not (
                options.typer_backend == "hybrid" and embedder.available()):
            return None
        gate, choose = options.news_gate, options.event_typer != "off"
        if not (gate or choose):
            return None
        return cls(load_doc_typer(options.doc_head), gate, choose, load_news_gate())

    def sentence_gate_off(self, gate: NewsGate) -> NewsGate:
        """The news gate without its sentence-typer part (this reader's gate replaces it); its rules stay."""
        return dataclasses.replace(gate, headline_none=NEVER, lede_none=NEVER)

    def headline_tells_event(self, title: str, events: list[Event]) -> bool:
        """The headline is text: where the rules read an event in it that the text lacks (title.py) and the
        headline alone reads likelier as an event than as none, a lede that tells nothing new ("Police said the market was
        crowded") does not make the story one of no event ("Three bombs explode in crowded market")."""
        if not any(e.from_title for e in events):
            return False
        alone = self.typer.predict(title, title)
        return top_type(alone)[1] > alone[NONE]

    def read(self, article: Article, events: list[Event], lede: Optional[Lede], primary: Optional[Event],
             several: bool, fill: Optional[Callable[[str], list[Event]]] = None
             ) -> tuple[list[Event], Optional[Event]]:
        """(the events kept, the primary event or None for the usual choice). `fill(label)` makes events of a type
        from the headline (given only when the rules found no event at all)."""
        title = (article.title or "").strip()
        if not title or not (events or fill):
            return events, primary     # a bare sentence or snippet: too little to overrule the rules on
        sentence = lede.sentence if lede is not None else first_sentence(article.text)
        lede = lede or Lede(sentence, len(sentence))
        probs = self.typer.predict(title, sentence)
        if self.gate and reads_no_event(probs, self.typer.settings) and not names_violence(title, self.news_gate) \
                and not self.headline_tells_event(title, events):
            # violence, protests and coercion told in the lede stay, as under the sentence typer's verdict
            # ("Cameron Williams Jr., 11" over "... died Saturday after being shot"). A headline stating a death is
            # no exemption here (it is for the rule gate): obituaries and accident stories state deaths too, and
            # exempting them cost "no event" 0.856 -> 0.762 on the tune half (CV)
            kept = [e for e in events if kept_whatever_the_verdict(e, self.news_gate, lede)]
            if len(kept) < len(events):
                article.warnings.append(f"article {article.id}: {len(events) - len(kept)} event(s) set aside: the "
                                        f"headline and lede read as no political event (P={probs[NONE]:.2f})")
            return kept, (primary if any(e is primary for e in kept) else None)
        if not self.choose:
            return events, primary
        if not events:
            label, p = top_type(probs)
            if fill is None or p < self.typer.settings.fill_min:
                return events, primary
            made = fill(label)
            for ev in made:
                ev.from_title = True
            return made, (made[0] if made else None)
        rule_primary = primary if primary is not None else \
            max(events, key=lambda e: primary_score(e, prefer_casualties=several))
        chosen, label = choose_primary(probs, events, rule_primary, self.typer.settings)
        if chosen is not None and label is not None:
            retype(chosen, label)
        return events, chosen

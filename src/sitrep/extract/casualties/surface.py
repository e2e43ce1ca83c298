"""Tolls read from word order, for the sentences whose parse gives none: headline grammar.

spaCy's small model often misreads a headline's toll: "Maoists attack DD centre in Bastar, 3 cops killed" hangs
the attack under "killed", "3 Dead, 6 wounded in prison fight" reads "Dead" as a name, "The explosion of mines
kills at least 5 members" tags "kills" as a plural noun. The wording itself is plain, so a sentence in which the
parse found no figure for an outcome is read once more, word by word (data/casualties.yaml `surface`):

- a count before a harm word, with only the victims' words between: "3 cops killed", "7 killed", "3 Dead",
  "Four headless, tortured bodies", "5 casualties";
- a harm verb before a count: "kills at least 5 members", "murder four", "Butcher Seven Refugees".

The words between must name people (no verbs, prepositions, times or acts: "30 attacks killed" is not 30 dead).
"""
from __future__ import annotations

from typing import Optional

from ...model import Count
from .counting import Mention, VictimCounter, count_with_bound
from .lexicon import NOT_COUNTS, SurfaceRules


class SurfaceReader:
    """Finds the tolls of one sentence from its word order (see the module's docstring)."""

    def __init__(self, lex: dict, counter: VictimCounter):
        self.lex = lex
        self.rules: SurfaceRules = lex["surface"]
        self.counter = counter

    def find(self, sent, sent_index: int, outcomes: frozenset[str]) -> list[Mention]:
        """Mentions for the outcomes (killed, injured) the parse found no figure for in this sentence."""
        tokens = list(sent)
        out: list[Mention] = []
        taken: set[str] = set()
        for k, tok in enumerate(tokens):
            count = self._count_at(tokens, k)
            if count is None:
                continue
            value, end = count
            found = self._update(tokens, k, value) or self._after(tokens, k, end, value) \
                or self._before(tokens, k, end, value)
            if found is None:
                continue
            mention, outcome_word = found
            if mention.outcome not in outcomes or mention.outcome in taken:
                continue
            taken.add(mention.outcome)     # the first toll of an outcome: the headline's own figure
            mention.anchor = outcome_word.i
            mention.sent_index = sent_index
            out.append(mention)
        return out

    def _count_at(self, tokens, k: int) -> Optional[tuple[Count, int]]:
        """(count, index after its last word) of a count opening at tokens[k]: "7", "seven", "two dozen",
        "at least 5" (the bound is read from the words before), "dozens"."""
        tok = tokens[k]
        if tok.ent_type_ in NOT_COUNTS:
            return None
        if k > 0 and tokens[k - 1].lower_ in self.rules.not_before_count and self._bound_before(tokens, k)[1] == 0 \
                and self._update_word(tokens, k) is None:
            return None                           # "in 3 days", "one of 2" (but "rise to 21")
        if not tok.like_num:
            vague = self.lex["vague"].get((tok.lower_,))
            if vague is None or tok.lower_ not in self.rules.vague_words:
                return None
            return Count(low=vague.get("low"), best=vague.get("best"), high=vague.get("high")), k + 1
        value = self.counter.word_value(tok.lower_)
        if value is None:
            return None
        end = k + 1
        if end < len(tokens) and tokens[end].lower_ in self.rules.multipliers:
            value = value * self.rules.multipliers[tokens[end].lower_]
            end += 1
        if value != int(value) or value > self.lex["max_plausible"]:
            return None
        return count_with_bound(int(value), self._bound_before(tokens, k)[0]), end

    def _bound_before(self, tokens, k: int) -> tuple[Optional[str], int]:
        """(bound, number of its words) of the words just before tokens[k]: 'at least', 'more than'."""
        words = [t.lower_ for t in tokens[max(0, k - 3):k]]
        for n in (3, 2, 1):
            if len(words) >= n and tuple(words[-n:]) in self.lex["bounds"]:
                return self.lex["bounds"][tuple(words[-n:])], n
        return None, 0

    def _update_word(self, tokens, k: int):
        """The last word of a toll update ('rise to', 'reached') just before the count at k (after its bound)."""
        start = k - self._bound_before(tokens, k)[1]
        for n in (2, 1):
            if start - n >= 0 and tuple(t.lower_ for t in tokens[start - n:start]) in self.rules.toll_updates:
                return tokens[start - n]
        return None

    def _update(self, tokens, k: int, count: Count):
        """"Casualties of the bombings rise to 21": a toll word, later an update verb, then the count."""
        verb = self._update_word(tokens, k)
        if verb is None or not any(t.lower_ in self.rules.toll_words for t in tokens[:verb.i - tokens[0].i]):
            return None
        mention = self._mention("killed", count, [], verb, tokens[k])
        mention.update = True
        return mention, verb

    def _after(self, tokens, k: int, end: int, count: Count):
        """"3 cops killed": the victims' words, then a harm word."""
        rules = self.rules
        gap = []
        for j in range(end, min(len(tokens), end + rules.max_gap + 1)):
            tok = tokens[j]
            for n in (3, 2, 1):                 # "shot to death", "shot dead", "killed"
                words = tokens[j:j + n]
                outcome = rules.after_count.get(tuple(t.lower_ for t in words)) if len(words) == n else None
                if outcome is not None:
                    if self._running_total_after(tokens, j + n):
                        return None         # "2 thousand homicides so far in 2022": a city's tally, not a toll
                    return self._mention(outcome, count, gap, tokens[k], words[-1]), tok
            if not self._victim_word(tok):
                return None
            gap.append(tok)
        return None

    def _running_total_after(self, tokens, k: int) -> bool:
        """Do the words from tokens[k] say the count is a running tally: "since January 1st", "so far this year"?"""
        words = tuple(t.lower_ for t in tokens[k:k + 3])
        return any(words[:len(w)] == w for w in self.rules.running_total_after)

    def _before(self, tokens, k: int, end: int, count: Count):
        """"kills at least 5 members": a harm verb, bound words, the count, the victims' words."""
        start = k - self._bound_before(tokens, k)[1]
        if start == 0:
            return None
        verb = tokens[start - 1]
        outcome = self.rules.before_count.get(verb.lower_)
        if outcome is None:
            return None
        if end < len(tokens) and not tokens[end].is_punct and not self._victim_word(tokens[end]) \
                and tokens[end].pos_ in self.rules.gap_pos:
            return None                           # "killed 3 days ago", "wounds 2 vehicles"
        victims = []
        for tok in tokens[end:end + self.rules.max_gap]:
            if tok.is_punct or not self._victim_word(tok):
                break
            victims.append(tok)
        return self._mention(outcome, count, victims, verb, victims[-1] if victims else tokens[end - 1]), verb

    def _victim_word(self, tok) -> bool:
        rules = self.rules
        if tok.is_punct:
            return tok.text in (",", "-", "'", "\u2019")
        return (tok.pos_ in rules.gap_pos and tok.lemma_.lower() not in rules.not_victim_words
                and tok.lower_ not in rules.not_victim_words and not tok.like_num
                and (tok.lower_,) not in rules.after_count and tok.lower_ not in rules.before_count)

    def _mention(self, outcome: str, count: Count, victims, first, last) -> Mention:
        group = self._group([t for t in victims if not t.is_punct])
        lo, hi = sorted((first, last), key=lambda t: t.i)
        return Mention(outcome=outcome, total=count, groups={group: count}, numeric=True,
                       span=(lo.idx, hi.idx + len(hi.text)))

    def _group(self, words) -> str:
        text = " " + " ".join(t.lemma_.lower() for t in words) + " " + " ".join(t.lower_ for t in words) + " "
        for group, phrase in self.lex["groups"]:
            if " " + " ".join(phrase) + " " in text:
                return group
        return "unknown"

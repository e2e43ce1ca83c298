"""ACLED event and sub-event types and CAMEO codes for finished events (data/acled.yaml).

Runs after actor coding, because ACLED distinguishes an armed clash from an attack on civilians by who the
recipient is, and a protest from excessive force against protesters by what the forces did.
"""
from __future__ import annotations

from functools import lru_cache

from ..data import load_yaml
from ..extract.context import DocContext
from ..model import Event

TERRITORY_GAIN = "Government regains territory"
TERRITORY_LOSS = "Non-state actor overtakes territory"
STATE_SECTORS = {"GOV", "MIL", "COP", "SPY"}


@lru_cache(maxsize=1)
def _tables():
    spec = load_yaml("acled.yaml")
    sub_to_type = {sub: etype for etype, subs in spec["event_types"].items() for sub in subs}
    return spec, sub_to_type


def _has_cue(text: str, cues) -> bool:
    return any(f" {c} " in text for c in cues)


class CodeMapper:
    def __init__(self) -> None:
        self.spec, self.sub_to_type = _tables()
        self.armed_sectors = set(self.spec["armed_sectors"])
        self.armed_words = set(self.spec["armed_words"])
        self.civilian_words = set(self.spec["civilian_words"])
        self.battle_triggers = set(self.spec["battle_triggers"])

    def __call__(self, ctx: DocContext, events: list[Event]) -> None:
        for ev in events:
            self.code(ctx, ev)
        self.compose_protests(ctx, events)

    def compose_protests(self, ctx: DocContext, events: list[Event]) -> None:
        """ACLED codes a protest together with how it was met: arrests and tear gas make the protest a 'Protest
        with intervention', lethal force 'Excessive force against protesters', protesters' own violence a
        'Violent demonstration'. Events within one sentence of a protest are read together."""
        protests = [e for e in events if e.event_type == "PROTEST" or self.names_protesters(e.actor)
                    or self.names_protesters(e.recipient)]
        for protest in protests:
            near = [e for e in events if abs(e.sent_index - protest.sent_index) <= 1]
            window = " " + " ".join(t.lower_ for e in {id(x): x for x in near}.values()
                                    for t in ctx.sent_of(e)) + " "
            peaceful = _has_cue(window, self.spec["peaceful_cues"])
            # protesters said to be peaceful were not rioting, whatever the "unrest" around them
            riot = not peaceful and (any(e.event_type == "PROTEST" and e.mode == "riot" for e in near)
                                     or any(self.names_protesters(e.actor) and e.event_type == "ASSAULT" for e in near)
                                     or _has_cue(window, self.spec["riot_cues"]))
            lethal = _has_cue(window, self.spec["excessive_force_cues"])
            intervened = any(e.event_type == "COERCE" and e.mode == "arrest" for e in near) \
                or any(e.mode == "crowd-control" for e in near) or _has_cue(window, self.spec["intervention_cues"])
            if riot:
                sub = "Mob violence" if _has_cue(window, self.spec["mob_cues"]) else "Violent demonstration"
            elif lethal:
                sub = "Excessive force against protesters"
            elif intervened:
                sub = "Protest with intervention"
            else:
                sub = "Peaceful protest"
            members = [protest] + [e for e in near if e.event_type in ("COERCE", "ASSAULT") and e.acled_sub_event_type
                                   in (None, "Arrests", "Armed clash", "Attack", "Protest with intervention")]
            for ev in members:
                ev.acled_sub_event_type = sub
                ev.acled_event_type = self.sub_to_type[sub]

    def code(self, ctx: DocContext, ev: Event) -> None:
        window = " " + " ".join(t.lower_ for t in ctx.sent_of(ev)) + " "
        sub = ev.acled_sub_event_type
        if ev.event_type == "ASSAULT":
            sub = self.assault_sub_type(ctx, ev, sub, window)
            if ev.cameo_code in (None, "190") and ev.mode in self.spec["assault_cameo"]:
                ev.cameo_code = self.spec["assault_cameo"][ev.mode]
        elif ev.event_type == "PROTEST":
            sub = self.protest_sub_type(ev, sub, window)
        elif ev.event_type == "MOBILIZE" and sub is None and not ev.stated_intent:
            sub = self.spec["mobilize_default"]
        elif ev.event_type == "RETREAT" and ev.mode == "release" and _has_cue(window, self.spec["exchange_cues"]):
            sub = "Agreement"
        elif ev.event_type == "RETREAT" and ev.mode == "withdraw" and _has_cue(window, self.spec["territory_words"]):
            sub = "Non-violent transfer of territory"
        elif sub in (TERRITORY_GAIN, TERRITORY_LOSS) and ev.actor and ev.actor.sector:
            sub = TERRITORY_GAIN if ev.actor.sector in STATE_SECTORS else TERRITORY_LOSS
        ev.acled_sub_event_type = sub
        ev.acled_event_type = self.sub_to_type.get(sub) if sub else None

    def assault_sub_type(self, ctx, ev: Event, sub, window: str):
        if sub in (TERRITORY_GAIN, TERRITORY_LOSS):
            if ev.actor and ev.actor.sector:
                return TERRITORY_GAIN if ev.actor.sector in STATE_SECTORS else TERRITORY_LOSS
            return sub
        if sub is not None:
            return sub
        if ev.mode in self.spec["mode_sub_types"]:
            return self.spec["mode_sub_types"][ev.mode]
        if _has_cue(window, self.spec["mob_cues"]):
            return "Mob violence"
        if self.names_protesters(ev.actor):
            return "Violent demonstration"
        if self.names_protesters(ev.recipient):
            return "Excessive force against protesters"
        trigger_lemma = ctx.trigger_of(ev).lemma_.lower()
        if trigger_lemma in self.battle_triggers:
            return "Armed clash"
        recipient_armed = self.is_armed(ev.recipient)
        actor_armed = self.is_armed(ev.actor)
        if recipient_armed is True:
            return "Armed clash"
        if recipient_armed is False:
            return "Attack"
        # No recipient named: attacks by armed groups in which civilians died are attacks, others are clashes.
        if ev.fatalities and ev.fatalities.civilians and not (ev.fatalities.security_forces or ev.fatalities.militants):
            return "Attack"
        if ev.fatalities and (ev.fatalities.security_forces or ev.fatalities.militants):
            return "Armed clash"
        if actor_armed and ev.mode in (None, "firearms", "heavy-weapons"):
            return "Armed clash"
        return "Attack"

    def names_protesters(self, participant) -> bool:
        words = set((participant.text or "").lower().split()) if participant is not None else set()
        return bool(words & set(self.spec["protester_words"]))

    def is_armed(self, participant):
        """True / False when the words or the sector say so, None when unknown."""
        if participant is None:
            return None
        if participant.sector:
            if participant.sector in self.armed_sectors:
                return True
            if participant.sector in ("CVL", "JRN", "EDU", "MED", "REL", "REF", "LAB", "BUS", "AGR"):
                return False
        words = {w.rstrip("s") if len(w) > 3 else w for w in (participant.text or "").lower().replace("-", " ").split()}
        words |= set((participant.text or "").lower().replace("-", " ").split())
        if words & self.armed_words:
            return True
        if words & self.civilian_words:
            return False
        return None

    def protest_sub_type(self, ev: Event, sub, window: str):
        if ev.mode == "riot" or _has_cue(window, self.spec["riot_cues"]):
            return "Mob violence" if _has_cue(window, self.spec["mob_cues"]) else "Violent demonstration"
        if _has_cue(window, self.spec["excessive_force_cues"]):
            return "Excessive force against protesters"
        if _has_cue(window, self.spec["intervention_cues"]):
            return "Protest with intervention"
        if ev.mode in ("demo", "strike", "boycott", "obstruct", "hunger", None):
            return "Peaceful protest"
        return sub

"""Actor coding: canonical name, country, sector, Wikidata id (stub)."""
from __future__ import annotations

from ..model import Event
from ..extract.context import DocContext


class ActorCoder:
    def __call__(self, ctx: DocContext, events: list[Event]) -> None:
        return None

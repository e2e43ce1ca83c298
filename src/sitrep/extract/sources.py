"""Who the article says reported each event (stub)."""
from __future__ import annotations

from ..model import Event
from .context import DocContext


class SourceResolver:
    def __call__(self, ctx: DocContext, events: list[Event]) -> None:
        return None

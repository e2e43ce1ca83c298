"""Killed and wounded counts by group (stub)."""
from __future__ import annotations

from ..model import Event
from .context import DocContext


class CasualtyResolver:
    def __call__(self, ctx: DocContext, events: list[Event]) -> None:
        return None

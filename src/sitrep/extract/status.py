"""Event status: reported, negated, hypothetical, future, historical (stub)."""
from __future__ import annotations

from ..model import Event
from .context import DocContext


class StatusResolver:
    def __call__(self, ctx: DocContext, events: list[Event]) -> None:
        return None

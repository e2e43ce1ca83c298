"""Event dates resolved against the publication date (stub: filled by the dates work)."""
from __future__ import annotations

from ..model import Event
from .context import DocContext


class DateResolver:
    def __call__(self, ctx: DocContext, events: list[Event]) -> None:
        return None

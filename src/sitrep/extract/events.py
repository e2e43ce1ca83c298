"""Event finding (being written): triggers -> PLOVER type/mode, actor/recipient from the parse."""
from __future__ import annotations

from ..model import Event
from .context import DocContext


class EventFinder:
    def __call__(self, ctx: DocContext) -> list[Event]:
        return []

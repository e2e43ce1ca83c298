"""Event locations from the GeoNames gazetteer (stub)."""
from __future__ import annotations

from ..model import Event
from .context import DocContext


class PlaceResolver:
    def __call__(self, ctx: DocContext, events: list[Event]) -> None:
        return None

"""The commitment ledger: pledges, ceasefires and references back to them, found in articles (finder.py), merged
across articles (ledger.py) and held against the stored events that keep or break them (check.py)."""
from .model import Commitment

__all__ = ["Commitment"]

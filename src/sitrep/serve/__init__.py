"""`sitrep serve`: a read-only HTTP API over the store (api.py) and the offline dashboard in static/."""
from .api import create_app
from .server import serve

__all__ = ["create_app", "serve"]

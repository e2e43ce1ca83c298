"""The event store: DuckDB (default) or PostgreSQL behind one Store API, versioned migrations, and ingest."""
from .backends import DEFAULT_DB, is_postgres_url
from .core import Store, StoreCounts, open_store
from .filters import EventFilter
from .ingest import IngestReport, ingest_articles, ingest_paths

__all__ = [
    "DEFAULT_DB",
    "EventFilter",
    "IngestReport",
    "Store",
    "StoreCounts",
    "ingest_articles",
    "ingest_paths",
    "is_postgres_url",
    "open_store",
]

"""sitrep: sourced, geocoded event data from news text.

    >>> from sitrep import Extractor, make_article
    >>> events = Extractor().extract(make_article("a1", "Rebels attacked a police post in Goma on Monday."))
"""
from .errors import ConfigError, ExportError, InputError, LexiconError, SitrepError, StoreError
from .ingest.clean import make_article
from .model import Article, Casualties, Count, Event, Participant, Place, Source, When

__version__ = "0.1.0"


def __getattr__(name):
    # Extractor pulls in spaCy; import it lazily so `sitrep --help` stays fast.
    if name == "Extractor":
        from .extract.pipeline import Extractor

        return Extractor
    raise AttributeError(name)


__all__ = [
    "Article", "Casualties", "ConfigError", "Count", "Event", "ExportError", "Extractor", "InputError",
    "LexiconError", "Participant", "Place", "SitrepError", "Source", "StoreError", "When", "__version__",
    "make_article",
]

"""Named errors. The CLI turns any SitrepError into a one-line `Error: ...` and a non-zero exit.

SitrepError
 ├── InputError        an input file or record cannot be read (missing, empty, binary, bad encoding, bad JSON)
 ├── ConfigError       a bad option or setting (unknown format, invalid date, missing model)
 ├── LexiconError      a data file under sitrep/data is missing or malformed
 ├── StageError        an extraction stage failed on one article (a bug: reported, the batch goes on)
 ├── StoreError        the event store cannot be opened, written or queried
 └── ExportError       an export cannot be written
"""


class SitrepError(Exception):
    """Base of every error sitrep raises on purpose."""


class InputError(SitrepError):
    """An input cannot be read."""


class ConfigError(SitrepError):
    """An option or setting is invalid."""


class LexiconError(SitrepError):
    """A data file is missing or malformed."""


class StageError(SitrepError):
    """An extraction stage failed on one article."""


class StoreError(SitrepError):
    """The event store cannot be used."""


class ExportError(SitrepError):
    """An export cannot be written."""

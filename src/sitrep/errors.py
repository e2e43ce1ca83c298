"""Named errors. The CLI turns any SitrepError into a one-line `Error: ...` and a non-zero exit.

SitrepError
 ├── InputError        an input file or record cannot be read (missing, empty, binary, bad encoding, bad JSON)
 ├── ConfigError       a bad option or setting (unknown format, invalid date, missing model)
 ├── LexiconError      a data file under sitrep/data is missing or malformed
 ├── StageError        an extraction stage failed on one article (a bug: reported, the batch goes on)
 ├── StoreError        the event store cannot be opened, written or queried
 ├── FeedError       a feed or page cannot be fetched or read (timeout, HTTP error, redirect loop, too large,
 │   │                 refused by robots.txt, malformed XML)
 │   ├── FeedRefused   robots.txt does not let sitrep fetch the URL
 │   └── FeedStopped   the watch loop was told to stop while waiting or downloading (not a failure)
 ├── ExportError       an export cannot be written
 └── SparkJobError     a Spark run cannot start, or its job failed after Spark's retries
"""
import re

# user:password@ in a URL, and password=... (or passwd, pass, secret, token) in a query string or a DSN.
_URL_PASSWORD = re.compile(r"(?P<head>[a-z][a-z0-9+.-]*://[^/\s:@]*):[^@\s/]*@", re.IGNORECASE)
_PARAM_PASSWORD = re.compile(r"(?P<head>\b(?:password|passwd|pass|pwd|secret|token|sslpassword)=)[^&\s'\"]*",
                             re.IGNORECASE)


def redact(message: str) -> str:
    """The message with every password in it (in URLs and key=value settings) replaced by ***: errors name
    databases by their URL, and what is printed ends up in logs and bug reports."""
    message = _URL_PASSWORD.sub(r"\g<head>:***@", message)
    return _PARAM_PASSWORD.sub(r"\g<head>***", message)


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


class FeedError(SitrepError):
    """A feed or web page cannot be fetched or read. `status` is the HTTP status that refused it, if any, and
    `retry_after` the server's wish in seconds (Retry-After)."""

    def __init__(self, message: str, status: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class FeedRefused(FeedError):
    """robots.txt does not allow fetching the URL."""


class FeedStopped(FeedError):
    """The watch loop was told to stop (SIGTERM) while a request waited or downloaded."""


class ExportError(SitrepError):
    """An export cannot be written."""


class SparkJobError(SitrepError):
    """A Spark run cannot start or its job failed (after Spark's own retries)."""

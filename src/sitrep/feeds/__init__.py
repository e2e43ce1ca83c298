"""Watching news feeds: fetch RSS/Atom feeds and news sitemaps over HTTP, fetch each new item's page, extract its
main text and ingest it into the store, with a per-feed state table that survives restarts.

Modules: http (polite fetching: timeouts, size cap, redirects, robots.txt, per-host pacing), parse (feed and
sitemap bytes -> items), urls (canonical URLs), state (the feeds and feed_items tables), pages (a fetched page ->
Article), watch (the polling loop).
"""
from .http import Fetcher, FetchSettings
from .state import FeedState, feed_states
from .watch import PollReport, Watcher, read_sources

__all__ = ["FeedState", "FetchSettings", "Fetcher", "PollReport", "Watcher", "feed_states",
           "read_sources"]

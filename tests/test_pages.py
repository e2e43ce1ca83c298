"""Web pages as articles (ingest/pages.py): URL normalisation, charset decoding, what the <head> says."""
from __future__ import annotations

import datetime as dt

import pytest

from sitrep.ingest.pages import decode_html, normalize_url, outlet_of, page_meta


@pytest.mark.parametrize("url, expected", [
    ("HTTPS://WWW.Example.ORG:443/News/A?utm_source=rss&id=7#top", "https://www.example.org/News/A?id=7"),
    ("http://example.org:80", "http://example.org/"),
    ("http://example.org:8080/a?fbclid=x&b=2&a=1", "http://example.org:8080/a?b=2&a=1"),
    ("https://example.org/a?UTM_Medium=feed", "https://example.org/a"),
])
def test_normalize_url(url, expected):
    assert normalize_url(url) == expected


@pytest.mark.parametrize("body, content_type, expected", [
    ("café".encode("latin-1"), "text/html; charset=ISO-8859-1", "café"),
    ('<meta charset="windows-1252"><p>café</p>'.encode("cp1252"), None, '<meta charset="windows-1252"><p>café</p>'),
    ("café".encode("utf-8"), "text/html; charset=no-such-charset", "café"),
    (b"caf\xe9", None, "caf\ufffd"),
])
def test_decode_html(body, content_type, expected):
    assert decode_html(body, content_type) == expected


def test_page_meta_reads_head():
    doc = ("<html><head><title>Site | Headline</title><meta property='og:title' content=' The  headline '>"
           "<meta property='og:site_name' content='Example News'><meta name='date' content='not a date'>"
           "<meta itemprop='datePublished' content='2024-03-04T23:30:00-05:00'>"
           "<link rel='canonical' href='/news/a'></head><body><p>x</p></body></html>")
    meta = page_meta(doc, "https://example.org/amp/news/a")
    assert (meta.title, meta.site_name, meta.published, meta.canonical) == (
        "The headline", "Example News", dt.date(2024, 3, 4), "https://example.org/news/a")
    assert page_meta("<html><head><link rel='canonical' href='javascript:x'></head></html>").canonical is None
    assert outlet_of("https://www.bbc.co.uk/news/1") == "bbc.co.uk" and outlet_of(None) is None

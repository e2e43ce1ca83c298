"""`sitrep watch`: feeds and sitemaps from a real HTTP server on 127.0.0.1 into both stores, through the real
fetcher, parser, extractor and ingest path; the faulty feeds misbehave over real sockets."""
from __future__ import annotations

import datetime as dt
import gzip
import time

import pytest

from feedserver import FeedServer, Route, atom, http_date, news_sitemap, page, rss, sitemap_index
from pg import store, store_url  # noqa: F401 - fixtures
from sitrep.feeds import Watcher, feed_states
from sitrep.feeds.http import MiB, FetchSettings
from sitrep.feeds.state import item_attempts
from sitrep.feeds.watch import WatchSettings

KUNDUZ = ["Gunmen killed five villagers in an attack on a market in Kunduz province on Tuesday, police said.",
          "The attackers fled on motorbikes after the shooting, according to the provincial governor."]
NAIROBI = ["Thousands of people protested in Nairobi on Monday against rising fuel prices.",
           "Police fired tear gas to disperse the crowd near the parliament building."]
MOGADISHU = ["A roadside bomb wounded three soldiers near Mogadishu on Wednesday, a military official said.",
             "No group has claimed responsibility for the blast so far."]


def fast(**watch) -> WatchSettings:
    """Settings that make the faulty cases fail in well under a second each."""
    fetch = FetchSettings(connect_timeout=0.5, read_timeout=0.5, total_timeout=3.0, host_delay=0.0,
                          max_bytes=2 * MiB, user_agent="sitrep-test/1.0")
    return WatchSettings(**{"interval": 0.2, "fetch": fetch, **watch})


@pytest.fixture
def server():
    with FeedServer() as srv:
        srv.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
        yield srv


def serve_news(srv: FeedServer, etag: str | None = '"v1"') -> str:
    srv.routes["/a/kunduz"] = Route(page("Five killed in Kunduz market attack", KUNDUZ))
    srv.routes["/a/nairobi"] = Route(page("Fuel price protest in Nairobi", NAIROBI))
    srv.routes["/rss.xml"] = Route(rss("Example News", [
        (srv.url("/a/kunduz"), "Five killed in Kunduz market attack", "Tue, 05 Mar 2024 09:00:00 GMT"),
        (srv.url("/a/nairobi"), "Fuel price protest in Nairobi", "Mon, 04 Mar 2024 17:00:00 GMT"),
    ]), content_type="application/rss+xml", etag=etag)
    return srv.url("/rss.xml")


def watch(store, urls, extractor, settings=None, **kw) -> Watcher:
    return Watcher(store, urls, settings or fast(), extractor=extractor, **kw)


def test_watch_rss_items_become_articles_with_events(server, store, extractor):
    feed = serve_news(server)
    w = watch(store, [feed], extractor)
    report = w.run(once=True)
    w.close()
    assert report.errors == 0 and report.stored == 2
    art = store.latest_article(server.url("/a/kunduz"))
    assert art["title"] == "Five killed in Kunduz market attack"
    assert art["published"] == dt.date(2024, 3, 5)              # the feed's date
    assert art["outlet"] == "127.0.0.1"                          # no og:site_name: the host
    assert "Gunmen killed five villagers" in art["text"] and "Home | World" not in art["text"]
    types = {r["record"]["event_type"] for r in store.query_events()}
    assert {"ASSAULT", "PROTEST"} <= types
    (state,) = feed_states(store)
    assert (state.status, state.kind, state.title, state.items, state.errors) == ("ok", "rss", "Example News", 2, 0)
    assert store.incident_totals()[1] >= 1                        # incidents were updated


def test_watch_repoll_is_conditional_and_restart_fetches_nothing_stored(server, store, extractor):
    feed = serve_news(server)
    w = watch(store, [feed], extractor)
    w.run(once=True)
    w.close()
    # A restart (new watcher, new HTTP client) sends the stored ETag and gets 304: no page is fetched again.
    w = watch(store, [feed], extractor)
    report = w.run(once=True)
    w.close()
    assert report.feeds[0].status == "not modified"
    assert server.headers_of("/rss.xml")[-1]["if-none-match"] == '"v1"'
    assert server.hits("/a/kunduz") == 1 and server.hits("/a/nairobi") == 1
    # The feed changes (a new ETag, one more item): only the new item's page is fetched.
    server.routes["/a/mogadishu"] = Route(page("Bomb wounds soldiers near Mogadishu", MOGADISHU))
    server.routes["/rss.xml"] = Route(rss("Example News", [
        (server.url("/a/mogadishu"), "Bomb wounds soldiers near Mogadishu", "Wed, 06 Mar 2024 08:00:00 GMT"),
        (server.url("/a/kunduz"), "Five killed in Kunduz market attack", "Tue, 05 Mar 2024 09:00:00 GMT"),
        (server.url("/a/nairobi"), "Fuel price protest in Nairobi", "Mon, 04 Mar 2024 17:00:00 GMT"),
    ]), content_type="application/rss+xml", etag='"v2"')
    w = watch(store, [feed], extractor)
    report = w.run(once=True)
    w.close()
    assert report.stored == 1 and server.hits("/a/mogadishu") == 1
    assert server.hits("/a/kunduz") == 1 and server.hits("/a/nairobi") == 1
    (state,) = feed_states(store)
    assert (state.polls, state.not_modified, state.items, state.etag) == (3, 1, 3, '"v2"')


def test_watch_last_modified_and_same_hash_skip(server, store, extractor):
    stamp = http_date(time.time() - 3600)
    feed = serve_news(server, etag=None)
    server.routes["/rss.xml"].last_modified = stamp
    server.routes["/plain.xml"] = Route(server.routes["/rss.xml"].body, content_type="application/rss+xml")
    w = watch(store, [feed, server.url("/plain.xml")], extractor)
    w.run(once=True)
    report = w.run(once=True)
    w.close()
    statuses = {p.feed_url: p.status for p in report.feeds[-2:]}
    assert statuses == {feed: "not modified", server.url("/plain.xml"): "unchanged"}
    assert server.headers_of("/rss.xml")[-1]["if-modified-since"] == stamp
    # The second feed lists the same items: they were not fetched twice.
    assert server.hits("/a/kunduz") == 1


def test_watch_atom_news_sitemap_index_and_gzip(server, store, extractor):
    server.routes["/a/kunduz"] = Route(page("Kunduz attack", KUNDUZ))
    server.routes["/a/nairobi"] = Route(page("Nairobi protest", NAIROBI, published="2024-03-04T17:00:00+03:00"))
    server.routes["/a/mogadishu"] = Route(page("Mogadishu bomb", MOGADISHU))
    server.routes["/atom.xml"] = Route(atom("Atom News", [(server.url("/a/kunduz"), "Kunduz attack",
                                                           "2024-03-05T09:00:00Z")]),
                                       content_type="application/atom+xml")
    server.routes["/news-sitemap.xml.gz"] = Route(gzip.compress(news_sitemap([
        ("/a/mogadishu", "Mogadishu bomb", "2024-03-06")])), content_type="application/gzip")
    server.routes["/sitemap-index.xml"] = Route(sitemap_index([server.url("/news-sitemap.xml.gz")]),
                                                content_type="application/xml")
    server.routes["/plain-sitemap.xml"] = Route(news_sitemap([(server.url("/a/nairobi"), "", "")]),
                                                content_type="application/xml")
    urls = [server.url(p) for p in ("/atom.xml", "/sitemap-index.xml", "/plain-sitemap.xml")]
    w = watch(store, urls, extractor)
    report = w.run(once=True)
    w.close()
    assert report.errors == 0 and report.stored == 3
    kinds = {s.feed_url: s.kind for s in feed_states(store)}
    assert kinds == dict(zip(urls, ["atom", "sitemapindex", "sitemap"]))
    assert store.latest_article(server.url("/a/kunduz"))["published"] == dt.date(2024, 3, 5)
    assert store.latest_article(server.url("/a/mogadishu"))["published"] == dt.date(2024, 3, 6)
    # No date in the sitemap: the page's own meta tag.
    assert store.latest_article(server.url("/a/nairobi"))["published"] == dt.date(2024, 3, 4)


def test_watch_faulty_feeds_are_backed_off_and_never_stall_the_loop(server, store, extractor):
    feed = serve_news(server)
    server.routes["/slow.xml"] = Route(rss("Slow", []), delay=3.0)
    server.routes["/500.xml"] = Route(status=500)
    server.routes["/loop1.xml"] = Route(redirect=server.url("/loop2.xml"))
    server.routes["/loop2.xml"] = Route(redirect=server.url("/loop1.xml"))
    server.routes["/broken.xml"] = Route(b"<rss><channel><item><title>cut", content_type="application/rss+xml")
    server.routes["/huge.xml"] = Route(content_type="application/rss+xml", endless_bytes=200 * MiB)
    server.routes["/private/feed.xml"] = Route(rss("Private", []))
    bad = {"/slow.xml": "timed out", "/500.xml": "HTTP 500", "/loop1.xml": "redirect loop",
           "/broken.xml": "malformed feed XML", "/huge.xml": "over the 2 MiB limit",
           "/private/feed.xml": "disallowed by robots.txt"}
    urls = [server.url(p) for p in bad] + [feed]
    w = watch(store, urls, extractor, settings=fast(interval=5.0))
    started = time.monotonic()
    report = w.run(once=True)
    assert time.monotonic() - started < 20
    assert report.stored == 2                                   # the good feed went through
    states = {s.feed_url: s for s in feed_states(store)}
    for path, reason in bad.items():
        state = states[server.url(path)]
        assert state.status == "error" and reason in state.error, (path, state.error)
        assert state.errors == 1
        assert state.next_poll > dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    # The huge body was cut off: far less than 200 MiB left the server.
    time.sleep(0.2)
    assert server.sent_bytes["/huge.xml"] < 20 * MiB
    # A second pass leaves the backing-off feeds alone; the server's 500 is fixed, and once due it recovers.
    hits = server.hits("/500.xml")
    w.run(once=True)
    assert server.hits("/500.xml") == hits
    server.routes["/500.xml"] = Route(rss("Fixed", []), content_type="application/rss+xml")
    state = next(s for s in w.states if s.feed_url == server.url("/500.xml"))
    state.next_poll = state.last_poll                           # as if the back-off had passed
    w.run(once=True)
    w.close()
    assert feed_states(store, [server.url("/500.xml")])[0].status == "ok"
    assert feed_states(store, [server.url("/500.xml")])[0].errors == 0


def test_watch_backoff_doubles_with_failures(server, store, extractor):
    server.routes["/500.xml"] = Route(status=503, headers={"Retry-After": "1"})
    w = watch(store, [server.url("/500.xml")], extractor, settings=fast(interval=2.0))
    waits = []
    for _ in range(3):
        (state,) = w.states
        state.next_poll = state.last_poll or state.next_poll
        poll = w.run(once=True).feeds[-1]
        waits.append(poll.retry_in)
    w.close()
    assert waits == [2.0, 4.0, 8.0]
    assert feed_states(store)[0].errors == 3


def test_watch_robots_txt_keeps_private_pages_unfetched(server, store, extractor):
    server.routes["/private/a"] = Route(page("Private", KUNDUZ))
    server.routes["/a/nairobi"] = Route(page("Nairobi protest", NAIROBI))
    server.routes["/feed.xml"] = Route(rss("Mixed", [(server.url("/private/a"), "Private", ""),
                                                      (server.url("/a/nairobi"), "Nairobi protest", "")]),
                                       content_type="application/rss+xml")
    w = watch(store, [server.url("/feed.xml")], extractor)
    report = w.run(once=True)
    w.close()
    assert report.stored == 1 and server.hits("/private/a") == 0
    assert item_attempts(store, [server.url("/private/a")])[server.url("/private/a")][0] == "refused"
    assert server.headers_of("/robots.txt")[0]["user-agent"] == "sitrep-test/1.0"
    assert server.headers_of("/a/nairobi")[0]["user-agent"] == "sitrep-test/1.0"
    assert server.hits("/robots.txt") == 1                      # asked once per host


def test_watch_duplicates_by_canonical_url_and_by_text(server, store, extractor):
    canonical = server.url("/a/kunduz")
    server.routes["/a/kunduz"] = Route(page("Kunduz attack", KUNDUZ, canonical=canonical))
    server.routes["/amp/kunduz"] = Route(page("Kunduz attack", KUNDUZ, canonical=canonical))
    server.routes["/copy/kunduz"] = Route(page("Kunduz attack", KUNDUZ))     # same text, no canonical link
    server.routes["/feed.xml"] = Route(rss("Dups", [
        (server.url("/a/kunduz?utm_source=rss&utm_medium=feed"), "Kunduz attack", ""),
        (server.url("/a/kunduz"), "Kunduz attack", ""),          # the same item once tracking tags are dropped
        (server.url("/amp/kunduz"), "Kunduz attack", ""),
        (server.url("/copy/kunduz"), "Kunduz attack", ""),
    ]), content_type="application/rss+xml")
    w = watch(store, [server.url("/feed.xml")], extractor)
    poll = w.run(once=True).feeds[0]
    w.close()
    assert (poll.items, poll.stored, poll.duplicates) == (3, 1, 2)
    assert server.hits("/a/kunduz?utm_source=rss&utm_medium=feed") == 0
    assert store.counts().articles == 1


def test_watch_failed_page_is_retried_then_given_up(server, store, extractor):
    server.routes["/a/flaky"] = Route(status=500)
    server.routes["/feed.xml"] = Route(rss("Flaky", [(server.url("/a/flaky"), "Flaky", "")]),
                                       content_type="application/rss+xml")
    w = watch(store, [server.url("/feed.xml")], extractor)
    for _ in range(4):
        w.run(once=True)
    w.close()
    assert server.hits("/a/flaky") == 3
    assert item_attempts(store, [server.url("/a/flaky")])[server.url("/a/flaky")] == ("failed", 3)


def test_watch_obeys_robots_crawl_delay(server, store, extractor):
    server.routes["/robots.txt"] = Route(b"User-agent: *\nCrawl-delay: 1\n", content_type="text/plain")
    server.routes["/a/kunduz"] = Route(page("Kunduz attack", KUNDUZ))
    server.routes["/a/nairobi"] = Route(page("Nairobi protest", NAIROBI))
    server.routes["/feed.xml"] = Route(rss("Two", [(server.url("/a/kunduz"), "Kunduz attack", ""),
                                                    (server.url("/a/nairobi"), "Nairobi protest", "")]),
                                       content_type="application/rss+xml")
    w = watch(store, [server.url("/feed.xml")], extractor)       # our own delay is 0
    assert w.run(once=True).stored == 2
    w.close()
    # robots.txt, the feed and two pages: three gaps of at least 1 s (urllib reads whole seconds only). The server
    # sees arrivals, which a loaded machine can delay, so the whole span is checked rather than each gap.
    times = [t for _path, t in server.times]
    assert len(times) == 4 and times[-1] - times[0] >= 3 * 1.0 - 0.15


def test_watch_unexpected_parser_failure_is_one_feeds_error(server, store, extractor, monkeypatch):
    import sitrep.feeds.watch as watch_module

    feed = serve_news(server)
    server.routes["/odd.xml"] = Route(b"<rss>odd</rss>", content_type="application/rss+xml")
    real = watch_module.parse_feed

    def parse(body, base_url=""):
        if b"odd" in body:
            raise RuntimeError("parser bug")
        return real(body, base_url)

    monkeypatch.setattr(watch_module, "parse_feed", parse)
    w = watch(store, [server.url("/odd.xml"), feed], extractor)
    report = w.run(once=True)
    w.close()
    assert report.stored == 2
    odd = feed_states(store, [server.url("/odd.xml")])[0]
    assert (odd.status, odd.error) == ("error", "unexpected RuntimeError: parser bug")

-- sitrep store, schema version 4: what `sitrep watch` knows about the feeds it polls, so that a restart resumes
-- where it stopped. (Version 3 belongs to another change; the numbers are only an order.)
-- feeds: one row per feed or sitemap URL: the validators for conditional requests (etag, last_modified), the hash
-- of the last body (an unchanged feed without validators is skipped by it), the last poll's outcome, the count of
-- failures in a row (the back-off grows with it) and when the feed is due again.
-- feed_items: every item URL met in a feed (normalised: see ingest/pages.py) with what became of it. An item is
-- fetched once; one whose page failed is retried until `attempts` reaches the limit (feeds/watch.py).

CREATE TABLE feeds (
    feed_url       TEXT PRIMARY KEY,
    kind           TEXT,
    title          TEXT,
    etag           TEXT,
    last_modified  TEXT,
    body_hash      TEXT,
    status         TEXT NOT NULL,
    error          TEXT,
    errors         INTEGER NOT NULL,
    polls          INTEGER NOT NULL,
    not_modified   INTEGER NOT NULL,
    unchanged      INTEGER NOT NULL,
    items          INTEGER NOT NULL,
    added_at       TIMESTAMP NOT NULL,
    last_poll      TIMESTAMP,
    last_new       TIMESTAMP,
    next_poll      TIMESTAMP NOT NULL
);

CREATE TABLE feed_items (
    item_url       TEXT PRIMARY KEY,
    feed_url       TEXT NOT NULL,
    canonical_url  TEXT,
    article_id     TEXT,
    content_hash   TEXT,
    status         TEXT NOT NULL,
    attempts       INTEGER NOT NULL,
    error          TEXT,
    seen_at        TIMESTAMP NOT NULL
);
CREATE INDEX feed_items_canonical ON feed_items (canonical_url);
CREATE INDEX feed_items_hash ON feed_items (content_hash);

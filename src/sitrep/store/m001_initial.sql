-- sitrep store, schema version 1: articles (versioned by content), events (full record + flat columns), spans,
-- and incidents (recomputed from events after each ingest).
-- ${JSON} is the dialect's JSON column type (DuckDB JSON, PostgreSQL JSONB).

CREATE TABLE articles (
    article_id    TEXT NOT NULL,
    version       INTEGER NOT NULL,
    content_hash  TEXT NOT NULL,
    is_latest     BOOLEAN NOT NULL,
    title         TEXT,
    url           TEXT,
    published     DATE,
    outlet        TEXT,
    text          TEXT NOT NULL,
    n_events      INTEGER NOT NULL,
    warnings      ${JSON},
    ingested_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (article_id, version),
    UNIQUE (article_id, content_hash)
);

CREATE TABLE events (
    event_id              TEXT PRIMARY KEY,
    article_id            TEXT NOT NULL,
    article_version       INTEGER NOT NULL,
    event_type            TEXT NOT NULL,
    mode                  TEXT,
    status                TEXT NOT NULL,
    is_primary            BOOLEAN NOT NULL,
    acled_event_type      TEXT,
    acled_sub_event_type  TEXT,
    cameo_code            TEXT,
    date_start            DATE,
    date_end              DATE,
    date_precision        TEXT,
    location_name         TEXT,
    geonames_id           BIGINT,
    country               TEXT,
    admin1                TEXT,
    admin2                TEXT,
    lat                   DOUBLE PRECISION,
    lon                   DOUBLE PRECISION,
    geo_precision         TEXT,
    actor_name            TEXT,
    actor_country         TEXT,
    actor_sector          TEXT,
    recipient_name        TEXT,
    recipient_country     TEXT,
    recipient_sector      TEXT,
    fatalities_low        INTEGER,
    fatalities_best       INTEGER,
    fatalities_high       INTEGER,
    injuries_low          INTEGER,
    injuries_best         INTEGER,
    injuries_high         INTEGER,
    source_names          TEXT,
    sentence              TEXT NOT NULL,
    confidence            DOUBLE PRECISION NOT NULL,
    record                ${JSON} NOT NULL
);
CREATE INDEX events_article ON events (article_id, article_version);

CREATE TABLE spans (
    event_id    TEXT NOT NULL,
    field       TEXT NOT NULL,
    span_start  INTEGER NOT NULL,
    span_end    INTEGER NOT NULL,
    text        TEXT,
    PRIMARY KEY (event_id, field)
);

CREATE TABLE incidents (
    incident_id       TEXT PRIMARY KEY,
    event_type        TEXT NOT NULL,
    mode              TEXT,
    date_start        DATE,
    date_end          DATE,
    date_precision    TEXT,
    location_name     TEXT,
    country           TEXT,
    admin1            TEXT,
    admin2            TEXT,
    lat               DOUBLE PRECISION,
    lon               DOUBLE PRECISION,
    geo_precision     TEXT,
    actor_name        TEXT,
    recipient_name    TEXT,
    n_events          INTEGER NOT NULL,
    n_articles        INTEGER NOT NULL,
    n_outlets         INTEGER NOT NULL,
    outlets           TEXT,
    fatalities_low    INTEGER,
    fatalities_best   INTEGER,
    fatalities_high   INTEGER,
    injuries_low      INTEGER,
    injuries_best     INTEGER,
    injuries_high     INTEGER,
    record            ${JSON} NOT NULL
);

CREATE TABLE incident_events (
    incident_id  TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    article_id   TEXT NOT NULL,
    PRIMARY KEY (event_id)
);
CREATE INDEX incident_events_incident ON incident_events (incident_id);

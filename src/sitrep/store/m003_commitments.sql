-- sitrep store, schema version 3: the commitment ledger (src/sitrep/commitments/).
-- commitment_statements: what each article says (one row per statement, like events, per article version);
-- commitments: statements merged across articles into one commitment each (recomputed after each ingest, like
-- incidents), with commitment_members naming the statements of each; commitment_links: the events held against a
-- commitment (breach, fulfilment, invocation, dispute) with the rule that linked them and the period they fall in
-- (the commitment's window, or the baseline before it); commitment_status: the append-only status history
-- (a new row whenever a recheck changes the verdict or the counts; rows are never updated or deleted).

CREATE TABLE commitment_statements (
    statement_id     TEXT PRIMARY KEY,
    article_id       TEXT NOT NULL,
    article_version  INTEGER NOT NULL,
    statement        TEXT NOT NULL,
    holder_name      TEXT,
    holder_country   TEXT,
    holder_sector    TEXT,
    holder_code      TEXT,
    kind             TEXT NOT NULL,
    polarity         TEXT NOT NULL,
    threshold        TEXT,
    quantity         BIGINT,
    start_date       DATE,
    deadline         DATE,
    duration_days    INTEGER,
    said_on          DATE,
    date_precision   TEXT,
    testable         BOOLEAN NOT NULL,
    said_by          TEXT,
    source_mode      TEXT,
    area_country     TEXT,
    area_admin1      TEXT,
    sentence         TEXT NOT NULL,
    record           ${JSON} NOT NULL
);
CREATE INDEX commitment_statements_article ON commitment_statements (article_id, article_version);

CREATE TABLE commitments (
    commitment_id    TEXT PRIMARY KEY,
    holder_name      TEXT,
    holder_country   TEXT,
    holder_sector    TEXT,
    holder_code      TEXT,
    kind             TEXT NOT NULL,
    polarity         TEXT NOT NULL,
    threshold        TEXT,
    quantity         BIGINT,
    start_date       DATE,
    end_date         DATE,
    date_precision   TEXT,
    testable         BOOLEAN NOT NULL,
    area_country     TEXT,
    area_admin1      TEXT,
    n_statements     INTEGER NOT NULL,
    n_articles       INTEGER NOT NULL,
    status           TEXT NOT NULL,
    status_rule      TEXT,
    in_count         INTEGER,
    baseline_count   INTEGER,
    record           ${JSON} NOT NULL
);

CREATE TABLE commitment_members (
    statement_id   TEXT PRIMARY KEY,
    commitment_id  TEXT NOT NULL,
    article_id     TEXT NOT NULL
);
CREATE INDEX commitment_members_commitment ON commitment_members (commitment_id);

CREATE TABLE commitment_links (
    commitment_id  TEXT NOT NULL,
    event_id       TEXT NOT NULL,
    relation       TEXT NOT NULL,
    rule           TEXT NOT NULL,
    period         TEXT NOT NULL,
    evidence       ${JSON},
    PRIMARY KEY (commitment_id, event_id, relation)
);
CREATE INDEX commitment_links_event ON commitment_links (event_id);

CREATE TABLE commitment_status (
    commitment_id    TEXT NOT NULL,
    seq              INTEGER NOT NULL,
    status           TEXT NOT NULL,
    rule             TEXT,
    in_count         INTEGER,
    baseline_count   INTEGER,
    fatalities_best  INTEGER,
    checked_at       TIMESTAMP NOT NULL,
    detail           ${JSON},
    PRIMARY KEY (commitment_id, seq)
);

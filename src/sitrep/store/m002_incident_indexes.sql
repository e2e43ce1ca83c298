-- sitrep store, schema version 2: indexes for keeping incidents up to date incrementally (incidents.py,
-- update_incidents). After an ingest only the events near the new ones are reclustered; finding them asks for
-- the events of one country whose date range starts in a window (by date_start, or by date_end when only that
-- is known), and for undated events by their article's publication date. Already indexed by m001:
-- events (article_id, article_version) for the latest-version join, incident_events (event_id) as its primary
-- key, and incident_events (incident_id).
-- articles.is_latest is deliberately not indexed: it is the one column ingest updates in place.

CREATE INDEX events_country_start ON events (country, date_start);
CREATE INDEX events_country_end ON events (country, date_end);
CREATE INDEX articles_published ON articles (published);

-- Match rate: page views per UTC day, page origin, resolution method, confidence and segment, counted
-- by each isolate and written here in batches through the events queue (edge/match-rate/), never one
-- write per page view. A batch id is recorded with its counts in the same transaction, so a delivery
-- retried by the queue adds nothing twice.
CREATE TABLE match_views (
  site TEXT NOT NULL,
  day TEXT NOT NULL,
  origin TEXT NOT NULL,
  method TEXT NOT NULL,
  confidence TEXT NOT NULL,
  segment TEXT NOT NULL,
  views INTEGER NOT NULL,
  PRIMARY KEY (site, day, origin, method, confidence, segment)
) WITHOUT ROWID;

CREATE TABLE match_batches (
  id TEXT PRIMARY KEY,
  day TEXT NOT NULL
) WITHOUT ROWID;

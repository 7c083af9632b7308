-- Measurement events: one row per counted event. (site, batch, idx) makes a batch delivered or sent
-- twice count once. `unit` is what the holdout is drawn for: `a:<account domain>`, else `v:<visitor id>`.
CREATE TABLE events (
  site TEXT NOT NULL,
  batch TEXT NOT NULL,
  idx INTEGER NOT NULL,
  day TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('exposure', 'conversion')),
  segment TEXT NOT NULL,
  arm TEXT NOT NULL CHECK (arm IN ('personalized', 'holdout')),
  version INTEGER NOT NULL,
  goal TEXT NOT NULL DEFAULT '',
  unit TEXT NOT NULL,
  account TEXT,
  visitor TEXT NOT NULL,
  PRIMARY KEY (site, batch, idx)
) WITHOUT ROWID;

-- The report: exposed and converted units per segment and arm, by day and by version.
CREATE INDEX events_by_unit ON events (site, type, segment, arm, unit, day);
CREATE INDEX events_by_day ON events (site, day);

-- Measurement. `events` is the idempotency gate: one row per event ever counted, keyed by
-- (site, batch, idx), so a batch sent twice or a queue delivery retried is counted once. Each delivery
-- tags the rows it inserted with its own `delivery` id and rolls exactly those into the two tables the
-- report reads, in the same transaction. `unit` is what the holdout is drawn for: `a:<account domain>`,
-- else `v:<visitor id>`.
CREATE TABLE events (
  site TEXT NOT NULL,
  batch TEXT NOT NULL,
  idx INTEGER NOT NULL,
  delivery TEXT NOT NULL,
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
CREATE INDEX events_by_delivery ON events (delivery);

-- Exposures rolled up per visitor, day and variant version: `n` exposure events.
CREATE TABLE exposures (
  site TEXT NOT NULL,
  segment TEXT NOT NULL,
  arm TEXT NOT NULL,
  day TEXT NOT NULL,
  version INTEGER NOT NULL,
  unit TEXT NOT NULL,
  visitor TEXT NOT NULL,
  account TEXT,
  n INTEGER NOT NULL,
  PRIMARY KEY (site, segment, arm, unit, day, version, visitor)
) WITHOUT ROWID;
CREATE INDEX exposures_by_day ON exposures (site, day);

-- Conversions rolled up per unit, goal, day and variant version: `n` conversion events.
CREATE TABLE conversions (
  site TEXT NOT NULL,
  segment TEXT NOT NULL,
  arm TEXT NOT NULL,
  goal TEXT NOT NULL,
  day TEXT NOT NULL,
  version INTEGER NOT NULL,
  unit TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (site, segment, arm, goal, unit, day, version)
) WITHOUT ROWID;
CREATE INDEX conversions_by_day ON conversions (site, day);

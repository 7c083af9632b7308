-- Event batches the queue gave up on: after max_retries failed deliveries a message goes to the
-- dead-letter queue, whose consumer (edge/events/consume.ts) counts it here per site, day and reason,
-- so the report can say what was lost instead of losing it silently.
CREATE TABLE dropped_events (
  site TEXT NOT NULL,
  day TEXT NOT NULL,
  reason TEXT NOT NULL,
  batches INTEGER NOT NULL,
  events INTEGER NOT NULL,
  PRIMARY KEY (site, day, reason)
) WITHOUT ROWID;

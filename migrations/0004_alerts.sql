-- Sales alerts (edge/alerts/). D1 is the system of record that dedupes: one row per site × account ×
-- segment holds the last alert claimed, and a claim is one atomic upsert (D1 has a single writer), so
-- decisions in any number of isolates claim at most one alert per account × segment per window.
CREATE TABLE alert_windows (
  site TEXT NOT NULL,
  account TEXT NOT NULL,
  segment TEXT NOT NULL,
  -- epoch ms of the decision that claimed the latest alert
  alerted_at INTEGER NOT NULL,
  alert_id TEXT NOT NULL,
  PRIMARY KEY (site, account, segment)
) WITHOUT ROWID;

-- Each alert as claimed: what it says (the webhook's body, JSON), written in the claim's transaction.
CREATE TABLE alerts (
  id TEXT PRIMARY KEY,
  site TEXT NOT NULL,
  account TEXT NOT NULL,
  segment TEXT NOT NULL,
  entered_at INTEGER NOT NULL,
  payload TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX alerts_by_site ON alerts (site, entered_at DESC);

-- Per alert and channel (slack, webhook): the delivery's state. A sender takes a lease (status
-- 'sending', lease_until) before it sends and writes the outcome after, so two deliveries of one queue
-- message never send at once, and a delivered channel is never sent again.
CREATE TABLE alert_deliveries (
  alert_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  lease_until INTEGER,
  last_status INTEGER,
  last_error TEXT,
  delivered_at INTEGER,
  updated_at INTEGER,
  PRIMARY KEY (alert_id, channel)
) WITHOUT ROWID;

-- When each destination was last sent to (a hash of its URL, never the URL): Slack takes about one
-- message a second per channel, and consecutive batches of the queue may run in different isolates.
CREATE TABLE alert_hooks (
  hook TEXT PRIMARY KEY,
  last_sent_at INTEGER NOT NULL
) WITHOUT ROWID;

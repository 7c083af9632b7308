import { type AlertChannel, AlertPayload, type AlertRecord, type DeliveryStatus } from '../../shared/schemas';

/**
 * The alerts' tables in D1 (migrations/0004_alerts.sql): the claim that dedupes, each alert, and each
 * channel's delivery. Why D1 and not a Durable Object: the claim has to be atomic across every isolate
 * that decides for the account (one upsert on a primary key does that: D1 has a single writer), and the
 * admin lists a site's alerts with their delivery state, one indexed query here where per-account
 * objects would need an index of their own. D1 is already the measurement store, written only in the
 * background; an alert costs one batch when claimed and a few small writes when delivered.
 */

export interface Claim {
  site: string;
  account: string;
  segment: string;
  /** The decision time, epoch ms. */
  now: number;
  windowMs: number;
  payload: AlertPayload;
  channels: AlertChannel[];
}

/**
 * Claims the alert for `claim.account` × `claim.segment` unless one was claimed within the window, and
 * records it with its deliveries, in one transaction (a D1 batch): a claim without its alert row
 * cannot exist. Answers whether this call claimed it and when the latest alert was claimed.
 */
export async function claimAlert(db: D1Database, claim: Claim): Promise<{ claimed: boolean; alertedAt: number }> {
  const { site, account, segment, now, windowMs, payload } = claim;
  const id = payload.id;
  const owns = 'EXISTS (SELECT 1 FROM alert_windows WHERE site = ?2 AND account = ?3 AND segment = ?4 AND alert_id = ?1)';
  const results = await db.batch<{ alert_id: string; alerted_at: number }>([
    // in DO UPDATE, bare column names are the row as it was: both CASEs test the same old alerted_at
    db
      .prepare(
        `INSERT INTO alert_windows (site, account, segment, alerted_at, alert_id) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (site, account, segment) DO UPDATE SET
           alert_id = CASE WHEN alerted_at <= excluded.alerted_at - ?6 THEN excluded.alert_id ELSE alert_id END,
           alerted_at = CASE WHEN alerted_at <= excluded.alerted_at - ?6 THEN excluded.alerted_at ELSE alerted_at END
         RETURNING alert_id, alerted_at`,
      )
      .bind(site, account, segment, now, id, windowMs),
    db
      .prepare(`INSERT INTO alerts (id, site, account, segment, entered_at, payload) SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE ${owns}`)
      .bind(id, site, account, segment, now, JSON.stringify(payload)),
    ...claim.channels.map((channel) =>
      db
        .prepare(`INSERT INTO alert_deliveries (alert_id, channel, status, updated_at) SELECT ?1, ?5, 'pending', ?6 WHERE ${owns}`)
        .bind(id, site, account, segment, channel, now),
    ),
  ]);
  const row = results[0]!.results[0]!;
  return { claimed: row.alert_id === id, alertedAt: row.alerted_at };
}

export interface DeliveryRow {
  alertId: string;
  channel: AlertChannel;
  status: DeliveryStatus;
  attempts: number;
  leaseUntil: number | null;
}

/** The alerts of a delivery with their channels' states; an id with no row is absent (erased, expired). */
export async function loadAlerts(db: D1Database, ids: string[]): Promise<Map<string, { payload: AlertPayload; deliveries: DeliveryRow[] }>> {
  const found = new Map<string, { payload: AlertPayload; deliveries: DeliveryRow[] }>();
  if (ids.length === 0) return found;
  const marks = ids.map((_, i) => `?${i + 1}`).join(', ');
  const { results } = await db
    .prepare(
      `SELECT a.id, a.payload, d.channel, d.status, d.attempts, d.lease_until FROM alerts a JOIN alert_deliveries d ON d.alert_id = a.id
       WHERE a.id IN (${marks}) ORDER BY a.id, d.channel`,
    )
    .bind(...ids)
    .all<{ id: string; payload: string; channel: AlertChannel; status: DeliveryStatus; attempts: number; lease_until: number | null }>();
  for (const r of results) {
    let entry = found.get(r.id);
    if (!entry) {
      const parsed = AlertPayload.safeParse(JSON.parse(r.payload));
      if (!parsed.success) continue;
      entry = { payload: parsed.data, deliveries: [] };
      found.set(r.id, entry);
    }
    entry.deliveries.push({ alertId: r.id, channel: r.channel, status: r.status, attempts: r.attempts, leaseUntil: r.lease_until });
  }
  return found;
}

/** How long a sender holds a channel: longer than a send may take (SEND_TIMEOUT_MS) plus writing its outcome. */
export const LEASE_MS = 30_000;

/**
 * Takes the channel's lease before sending: only a pending or retrying channel, or one whose sender's
 * lease ran out when `resendExpired` (the webhook: its receivers dedupe by alert id). Answers the
 * attempt number, or null when another sender holds it or it is settled.
 */
export async function takeLease(db: D1Database, alertId: string, channel: AlertChannel, now: number, resendExpired: boolean): Promise<number | null> {
  const row = await db
    .prepare(
      `UPDATE alert_deliveries SET status = 'sending', lease_until = ?3, attempts = attempts + 1, updated_at = ?4
       WHERE alert_id = ?1 AND channel = ?2 AND (status IN ('pending', 'retrying') OR (?5 AND status = 'sending' AND lease_until < ?4))
       RETURNING attempts`,
    )
    .bind(alertId, channel, now + LEASE_MS, now, resendExpired ? 1 : 0)
    .first<{ attempts: number }>();
  return row?.attempts ?? null;
}

/**
 * A Slack channel whose sender stopped between taking the lease and writing the outcome (the Worker
 * was evicted mid-send): Slack may have posted the message, and has no idempotency key, so it is not
 * sent again but marked `unknown` for the admin to show.
 */
export async function markAbandoned(db: D1Database, alertId: string, channel: AlertChannel, now: number): Promise<boolean> {
  const res = await db
    .prepare(
      `UPDATE alert_deliveries SET status = 'unknown', lease_until = NULL, updated_at = ?3,
         last_error = 'the sender stopped mid-send: Slack may have posted it, so it is not sent twice'
       WHERE alert_id = ?1 AND channel = ?2 AND status = 'sending' AND lease_until < ?3`,
    )
    .bind(alertId, channel, now)
    .run();
  return (res.meta.changes ?? 0) > 0;
}

export interface Outcome {
  status: Extract<DeliveryStatus, 'delivered' | 'retrying' | 'failed' | 'cancelled'>;
  httpStatus: number | null;
  error: string | null;
}

/** The outcome of a send (and, when it reached the destination, when it did: the pace of the next send to it). */
export function outcomeStatement(db: D1Database, alertId: string, channel: AlertChannel, outcome: Outcome, now: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE alert_deliveries SET status = ?3, last_status = ?4, last_error = ?5, lease_until = NULL, updated_at = ?6,
         delivered_at = CASE WHEN ?3 = 'delivered' THEN ?6 ELSE delivered_at END
       WHERE alert_id = ?1 AND channel = ?2`,
    )
    .bind(alertId, channel, outcome.status, outcome.httpStatus, outcome.error?.slice(0, 500) ?? null, now);
}

export const hookSentStatement = (db: D1Database, hook: string, at: number) =>
  db.prepare('INSERT INTO alert_hooks (hook, last_sent_at) VALUES (?1, ?2) ON CONFLICT DO UPDATE SET last_sent_at = max(last_sent_at, excluded.last_sent_at)').bind(hook, at);

export async function hooksLastSent(db: D1Database, hooks: string[]): Promise<Map<string, number>> {
  if (hooks.length === 0) return new Map();
  const marks = hooks.map((_, i) => `?${i + 1}`).join(', ');
  const { results } = await db.prepare(`SELECT hook, last_sent_at FROM alert_hooks WHERE hook IN (${marks})`).bind(...hooks).all<{ hook: string; last_sent_at: number }>();
  return new Map(results.map((r) => [r.hook, r.last_sent_at]));
}

/** The dead-letter queue's: every channel of the alert not settled gave up, with the last error it had. */
export const deadLetterStatement = (db: D1Database, alertId: string, now: number) =>
  db
    .prepare(
      `UPDATE alert_deliveries SET status = 'dead-lettered', lease_until = NULL, updated_at = ?2,
         last_error = 'gave up after the queue''s retries' || CASE WHEN last_error IS NULL THEN '' ELSE ': ' || last_error END
       WHERE alert_id = ?1 AND status IN ('pending', 'sending', 'retrying')`,
    )
    .bind(alertId, now);

/** The site's alerts, newest first, with their deliveries (the admin's list). */
export async function listAlerts(db: D1Database, site: string, opts: { limit: number; account?: string; before?: number }): Promise<AlertRecord[]> {
  const { results } = await db
    .prepare(
      `SELECT id, account, segment, entered_at, payload FROM alerts
       WHERE site = ?1 AND (?2 IS NULL OR account = ?2) AND (?3 IS NULL OR entered_at < ?3)
       ORDER BY entered_at DESC LIMIT ?4`,
    )
    .bind(site, opts.account ?? null, opts.before ?? null, opts.limit)
    .all<{ id: string; account: string; segment: string; entered_at: number; payload: string }>();
  if (results.length === 0) return [];
  const marks = results.map((_, i) => `?${i + 1}`).join(', ');
  const deliveries = await db
    .prepare(`SELECT * FROM alert_deliveries WHERE alert_id IN (${marks}) ORDER BY channel`)
    .bind(...results.map((r) => r.id))
    .all<{ alert_id: string; channel: AlertChannel; status: DeliveryStatus; attempts: number; last_status: number | null; last_error: string | null; delivered_at: number | null; updated_at: number | null }>();
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  return results.map((r) => {
    const mine = deliveries.results
      .filter((d) => d.alert_id === r.id)
      .map((d) => ({ channel: d.channel, status: d.status, attempts: d.attempts, lastStatus: d.last_status, lastError: d.last_error, deliveredAt: iso(d.delivered_at), updatedAt: iso(d.updated_at) }));
    const status = mine.every((d) => d.status === 'delivered' || d.status === 'cancelled')
      ? 'delivered'
      : mine.some((d) => d.status === 'failed' || d.status === 'dead-lettered' || d.status === 'unknown')
        ? 'failed'
        : 'pending';
    return { id: r.id, account: r.account, segment: r.segment, enteredAt: new Date(r.entered_at).toISOString(), status, deliveries: mine, payload: AlertPayload.parse(JSON.parse(r.payload)) };
  });
}

/** Erasure of an account: its alerts, their deliveries and its claims go. */
export async function eraseAccountAlerts(db: D1Database, site: string, account: string): Promise<number> {
  const results = await db.batch([
    db.prepare('DELETE FROM alert_deliveries WHERE alert_id IN (SELECT id FROM alerts WHERE site = ?1 AND account = ?2)').bind(site, account),
    db.prepare('DELETE FROM alerts WHERE site = ?1 AND account = ?2').bind(site, account),
    db.prepare('DELETE FROM alert_windows WHERE site = ?1 AND account = ?2').bind(site, account),
  ]);
  return results[1]!.meta.changes ?? 0;
}

/** Alerts kept for the admin's list this long; claims only as long as the longest window. */
export const ALERT_RETENTION_DAYS = 90;

/**
 * Daily (the Worker's Cron Trigger): alerts older than ALERT_RETENTION_DAYS and claims older than the
 * longest window go; and alerts claimed but never queued (the isolate stopped between the claim and the
 * queue's send) are queued again, once they are 10 minutes old and while they are under 2 days old.
 */
export async function alertHousekeeping(db: D1Database, now: number): Promise<{ deleted: number; stranded: { site: string; id: string }[] }> {
  const DAY = 86_400_000;
  const cutoff = now - ALERT_RETENTION_DAYS * DAY;
  const results = await db.batch([
    db.prepare('DELETE FROM alert_deliveries WHERE alert_id IN (SELECT id FROM alerts WHERE entered_at < ?1)').bind(cutoff),
    db.prepare('DELETE FROM alerts WHERE entered_at < ?1').bind(cutoff),
    db.prepare('DELETE FROM alert_windows WHERE alerted_at < ?1').bind(cutoff),
    db.prepare('DELETE FROM alert_hooks WHERE last_sent_at < ?1').bind(now - DAY),
  ]);
  const { results: stranded } = await db
    .prepare(
      `SELECT a.site, a.id FROM alerts a WHERE a.entered_at BETWEEN ?1 AND ?2
       AND NOT EXISTS (SELECT 1 FROM alert_deliveries d WHERE d.alert_id = a.id AND (d.status != 'pending' OR d.attempts > 0)) LIMIT 500`,
    )
    .bind(now - 2 * DAY, now - 10 * 60_000)
    .all<{ site: string; id: string }>();
  return { deleted: results[1]!.meta.changes ?? 0, stranded };
}

import { DAY_MS, dayOf } from '../../shared/measure/days';
import type { Env } from '../env';

/**
 * Measurement retention: a Cron Trigger (wrangler.toml `[triggers]`, daily) deletes raw events,
 * their roll-ups and the match-rate counts older than EVENTS_RETENTION_DAYS (default 396, about 13 months), so the report's
 * store never grows without end. The report then covers at most that far back.
 */
export const DEFAULT_EVENTS_RETENTION_DAYS = 396;

export function retentionDays(env: Pick<Env, 'EVENTS_RETENTION_DAYS'>): number {
  const days = Number(env.EVENTS_RETENTION_DAYS);
  return Number.isInteger(days) && days >= 1 ? days : DEFAULT_EVENTS_RETENTION_DAYS;
}

/** Deletes every row of a day before the first kept one; returns the rows deleted per table. */
const TABLES = ['events', 'exposures', 'conversions', 'match_views', 'match_batches'] as const;

export async function deleteExpiredEvents(db: D1Database, now: number, days: number): Promise<Record<(typeof TABLES)[number], number>> {
  const firstKept = dayOf(now - (days - 1) * DAY_MS);
  const results = await db.batch(TABLES.map((table) => db.prepare(`DELETE FROM ${table} WHERE day < ?1`).bind(firstKept)));
  return Object.fromEntries(TABLES.map((table, i) => [table, results[i]!.meta.changes ?? 0])) as Record<(typeof TABLES)[number], number>;
}

/** The Worker's `scheduled` handler. */
export async function runRetention(_controller: ScheduledController, env: Env, _ctx: ExecutionContext): Promise<void> {
  const days = retentionDays(env);
  const deleted = await deleteExpiredEvents(env.EVENTS_DB, Date.now(), days);
  console.log(`retention: deleted ${JSON.stringify(deleted)} rows older than ${days} days`);
}

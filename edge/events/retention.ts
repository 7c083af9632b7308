import { DAY_MS, dayOf } from '../../shared/measure/days';
import type { Env } from '../env';

/**
 * Measurement retention: a Cron Trigger (wrangler.toml `[triggers]`, daily) deletes raw events and
 * their roll-ups older than EVENTS_RETENTION_DAYS (default 396, about 13 months), so the report's
 * store never grows without end. The report then covers at most that far back.
 */
export const DEFAULT_EVENTS_RETENTION_DAYS = 396;

export function retentionDays(env: Pick<Env, 'EVENTS_RETENTION_DAYS'>): number {
  const days = Number(env.EVENTS_RETENTION_DAYS);
  return Number.isInteger(days) && days >= 1 ? days : DEFAULT_EVENTS_RETENTION_DAYS;
}

/** Deletes every row of a day before the first kept one; returns the rows deleted per table. */
export async function deleteExpiredEvents(db: D1Database, now: number, days: number): Promise<Record<'events' | 'exposures' | 'conversions', number>> {
  const firstKept = dayOf(now - (days - 1) * DAY_MS);
  const [events, exposures, conversions] = await db.batch(
    (['events', 'exposures', 'conversions'] as const).map((table) => db.prepare(`DELETE FROM ${table} WHERE day < ?1`).bind(firstKept)),
  );
  return { events: events!.meta.changes ?? 0, exposures: exposures!.meta.changes ?? 0, conversions: conversions!.meta.changes ?? 0 };
}

/** The Worker's `scheduled` handler. */
export async function runRetention(_controller: ScheduledController, env: Env, _ctx: ExecutionContext): Promise<void> {
  const days = retentionDays(env);
  const deleted = await deleteExpiredEvents(env.EVENTS_DB, Date.now(), days);
  console.log(`retention: deleted ${JSON.stringify(deleted)} rows older than ${days} days`);
}

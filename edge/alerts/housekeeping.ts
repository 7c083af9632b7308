import type { Env } from '../env';
import { alertHousekeeping } from './alerts-db';

/**
 * Daily, from the Worker's Cron Trigger: alerts past their retention go, and alerts claimed but never
 * queued (see alertHousekeeping) are queued again; their deliveries are idempotent, so one queued twice
 * is still sent once.
 */
export async function runAlertHousekeeping(env: Pick<Env, 'EVENTS_DB' | 'ALERTS_QUEUE'>, now = Date.now()): Promise<{ deleted: number; requeued: number }> {
  const { deleted, stranded } = await alertHousekeeping(env.EVENTS_DB, now);
  // sendBatch takes at most 100 messages
  for (let i = 0; i < stranded.length; i += 100)
    await env.ALERTS_QUEUE.sendBatch(stranded.slice(i, i + 100).map(({ site, id }) => ({ body: { kind: 'alert' as const, site, id } })));
  console.log(`alerts: deleted ${deleted} alerts past retention, queued ${stranded.length} stranded again`);
  return { deleted, requeued: stranded.length };
}

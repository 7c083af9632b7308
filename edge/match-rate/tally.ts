import type { MatchRow, QueuedMatchTally } from '../../shared/schemas';
import type { Env } from '../env';

/** How long an isolate gathers counts before it sends them, as one queue message (`MATCH_RATE_FLUSH_MS` overrides: the worker tests, which wait for every request's background work, use 0). */
export const FLUSH_AFTER_MS = 5_000;
/** A tally this big goes at once (one message stays far below the queue's 128 KB). */
const MAX_ROWS = 500;

const tally = new Map<string, MatchRow>();
let pending: Promise<void> | null = null;

/**
 * Counts one page view for the match rate: in this isolate's memory, never a write on the decision's
 * path. The first view of a window schedules, under the request's `waitUntil`, one queue message with
 * every count gathered in the next 5 s (or sooner, at 500 distinct rows); the queue's consumer adds it
 * into D1 (edge/match-rate/store.ts). What an isolate counted in its last seconds before it is evicted
 * may be lost: the match rate is a share, and shares hold.
 */
export function countView(env: Pick<Env, 'EVENTS_QUEUE' | 'MATCH_RATE_FLUSH_MS'>, ctx: Pick<ExecutionContext, 'waitUntil'>, view: Omit<MatchRow, 'views'>): void {
  const key = `${view.site}|${view.day}|${view.origin}|${view.method}|${view.confidence}|${view.segment}`;
  const row = tally.get(key);
  if (row) row.views++;
  else tally.set(key, { ...view, views: 1 });
  if (tally.size >= MAX_ROWS) {
    ctx.waitUntil(send(env));
    return;
  }
  if (!pending) {
    const after = Number(env.MATCH_RATE_FLUSH_MS ?? FLUSH_AFTER_MS);
    pending = new Promise<void>((resolve) => setTimeout(resolve, Number.isFinite(after) && after >= 0 ? after : FLUSH_AFTER_MS))
      .then(() => send(env))
      .finally(() => {
        pending = null;
      });
    ctx.waitUntil(pending);
  }
}

/** Sends what is gathered as one message (nothing when nothing is). Never throws. */
export async function send(env: Pick<Env, 'EVENTS_QUEUE'>): Promise<void> {
  if (tally.size === 0) return;
  const message: QueuedMatchTally = { kind: 'match', batch: crypto.randomUUID(), rows: [...tally.values()] };
  tally.clear();
  try {
    await env.EVENTS_QUEUE.send(message);
  } catch (err) {
    console.error('match rate: counts not sent', err);
  }
}

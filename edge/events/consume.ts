import { QueuedEvents, QueuedMatchTally } from '../../shared/schemas';
import { writeMatchTallies } from '../match-rate/store';
import type { Env } from '../env';
import { dayOf } from '../../shared/measure/days';
import { writeEvents } from './events-db';

/**
 * The queue consumer: writes a delivery of queued event batches (and match-rate tallies) into D1. Writes are
 * idempotent, so when D1 fails the whole delivery is retried (then dead-lettered) without double counting.
 * A message that is not a queued batch came from no producer of ours: it is logged and dropped.
 */
export async function consumeEvents(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  if (batch.queue.endsWith(DEAD_LETTER_SUFFIX)) return recordDropped(batch, env);
  const valid: QueuedEvents[] = [];
  const tallies: QueuedMatchTally[] = [];
  for (const message of batch.messages) {
    const parsed = QueuedEvents.safeParse(message.body);
    const tally = parsed.success ? null : QueuedMatchTally.safeParse(message.body);
    if (parsed.success) valid.push(parsed.data);
    else if (tally?.success) tallies.push(tally.data);
    else console.error(`events: dropping malformed queue message ${message.id}`);
  }
  try {
    await writeEvents(env.EVENTS_DB, valid);
    await writeMatchTallies(env.EVENTS_DB, tallies);
    batch.ackAll();
  } catch (err) {
    console.error('events: D1 write failed, retrying the delivery', err);
    batch.retryAll({ delaySeconds: 5 });
  }
}

/** The dead-letter queue of the events queue (wrangler.toml `dead_letter_queue = "pz-events-dlq"`). */
const DEAD_LETTER_SUFFIX = '-dlq';

/**
 * The dead-letter queue's consumer: each message is a batch whose deliveries all failed. It is counted
 * (site, day received, events) in D1's `dropped_events`, which the report shows, and acknowledged;
 * a message that is not a queued batch counts under site "(unknown)". If D1 is down too, the delivery
 * is retried like any other.
 */
async function recordDropped(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const counts = new Map<string, { site: string; day: string; batches: number; events: number }>();
  for (const message of batch.messages) {
    // a match-rate tally that could not be written is a share lost, not measurement events
    if (QueuedMatchTally.safeParse(message.body).success) continue;
    const parsed = QueuedEvents.safeParse(message.body);
    const site = parsed.success ? parsed.data.site : '(unknown)';
    const day = dayOf(parsed.success ? parsed.data.receivedAt : message.timestamp.getTime());
    const key = `${site}|${day}`;
    const entry = counts.get(key) ?? { site, day, batches: 0, events: 0 };
    entry.batches += 1;
    entry.events += parsed.success ? parsed.data.events.length : 0;
    counts.set(key, entry);
  }
  try {
    await env.EVENTS_DB.batch(
      [...counts.values()].map((c) =>
        env.EVENTS_DB.prepare(
          `INSERT INTO dropped_events (site, day, reason, batches, events) VALUES (?1, ?2, 'delivery failed after retries', ?3, ?4)
           ON CONFLICT DO UPDATE SET batches = batches + excluded.batches, events = events + excluded.events`,
        ).bind(c.site, c.day, c.batches, c.events),
      ),
    );
    console.error(`events: ${batch.messages.length} batch(es) dead-lettered and recorded as dropped`);
    batch.ackAll();
  } catch (err) {
    console.error('events: could not record dropped batches, retrying', err);
    batch.retryAll({ delaySeconds: 30 });
  }
}

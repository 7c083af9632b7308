import { QueuedEvents } from '../../shared/schemas';
import type { Env } from '../env';
import { writeEvents } from './events-db';

/**
 * The queue consumer: writes a delivery of queued event batches into D1 in one transaction. Writes are
 * idempotent, so when D1 fails the whole delivery is retried (then dead-lettered) without double counting.
 * A message that is not a queued batch came from no producer of ours: it is logged and dropped.
 */
export async function consumeEvents(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const valid: QueuedEvents[] = [];
  for (const message of batch.messages) {
    const parsed = QueuedEvents.safeParse(message.body);
    if (parsed.success) valid.push(parsed.data);
    else console.error(`events: dropping malformed queue message ${message.id}`);
  }
  try {
    await writeEvents(env.EVENTS_DB, valid);
    batch.ackAll();
  } catch (err) {
    console.error('events: D1 write failed, retrying the delivery', err);
    batch.retryAll({ delaySeconds: 5 });
  }
}

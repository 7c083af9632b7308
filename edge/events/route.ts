import { Hono } from 'hono';
import { EventBatch, MAX_EVENTS_BODY_BYTES, type EventsAnswer } from '../../shared/schemas';
import { checkEvents } from '../../shared/measure/check-events';
import type { AppEnv } from '../env';
import { jsonError } from '../http/errors';
import { refuseForeignOrigin } from '../http/origin';
import { limitPerClient, refuseOverSiteLimit } from '../http/rate-limit';
import { jsonBody } from '../http/validate';
import { getSiteConfig } from '../kv/site-config';
import { batchSeen } from './events-db';
import { verifyEvents } from './verify-events';
import { signingSecret } from '../signing-secret';

/**
 * `POST /v1/events`: a batch of exposures and conversions from the snippet (sendBeacon, text/plain).
 * Valid events are queued for aggregation (edge/events/consume.ts); refused ones are listed with the
 * field and the reason. A batch id seen before is answered as a duplicate and counted once.
 */
export const eventRoutes = new Hono<AppEnv>();

eventRoutes.post('/v1/events', limitPerClient('events'), jsonBody(EventBatch, MAX_EVENTS_BODY_BYTES), async (c) => {
  const batch = c.req.valid('json');
  const limited = await refuseOverSiteLimit(c, c.env, 'events', batch.site);
  if (limited) return limited;

  const lookup = await getSiteConfig(c.env.KV, batch.site).catch(() => null);
  if (lookup === null || lookup.status === 'corrupt') return jsonError(c, 503, 'site configuration unavailable, retry later');
  if (lookup.status === 'unknown') return jsonError(c, 404, 'unknown site', [{ path: 'site', message: `no site "${batch.site}"` }]);
  const refused = refuseForeignOrigin(c, batch.site, lookup.config.allowedOrigins);
  if (refused) return refused;

  const checked = checkEvents(lookup.config, batch.events);
  const verified = await verifyEvents(signingSecret(c.env), lookup.config, batch.visitor, checked.valid, Date.now() / 1000);
  const valid = verified.valid;
  const rejected = [...checked.rejected, ...verified.rejected].sort((a, b) => a.index - b.index);
  if (!valid.length) return jsonError(c, 400, 'no valid events', rejected.slice(0, 20).map(({ path, message }) => ({ path, message })));

  // A replay is counted once whatever this says (rows are keyed by batch and index); checking first gives a clear answer.
  const seen = await batchSeen(c.env.EVENTS_DB, batch.site, batch.batch).catch(() => false);
  if (seen) return c.json({ batch: batch.batch, accepted: 0, rejected, duplicate: true } satisfies EventsAnswer, 200);

  try {
    await c.env.EVENTS_QUEUE.send({ site: batch.site, batch: batch.batch, visitor: batch.visitor, receivedAt: Date.now(), events: valid.map(({ token: _token, ...event }) => event) });
  } catch (err) {
    console.error('events: queue unavailable', err);
    return jsonError(c, 503, 'events queue unavailable, retry later');
  }
  return c.json({ batch: batch.batch, accepted: valid.length, rejected } satisfies EventsAnswer, 202);
});

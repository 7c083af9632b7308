import { Hono } from 'hono';
import type { AppEnv } from '../env';

/**
 * The benchmark's floor (`npm run bench`): the cheapest answer this Worker can give to the same
 * request as `POST /v1/decide`. It goes through the same app and middleware, reads the body and
 * answers a constant small JSON: no validation, no decision, and no KV unless asked (below). `decide / floor` then
 * measures what deciding itself costs, whatever the machine and the local runtime add.
 * `?kv=<key>` also reads that KV key (and throws the value away), to price one KV read on its own.
 * Not served in production (ENVIRONMENT=production): there it is a 404 like any unknown path.
 */
export const floorRoutes = new Hono<AppEnv>();

const FLOOR = JSON.stringify({ ok: true });

floorRoutes.post('/bench/floor', async (c) => {
  if (c.env.ENVIRONMENT === 'production') return c.notFound();
  await c.req.text();
  const key = c.req.query('kv');
  if (key) await c.env.KV.get(key, 'text'); // priced, never returned
  c.header('Cache-Control', 'no-store');
  return c.body(FLOOR, 200, { 'Content-Type': 'application/json' });
});

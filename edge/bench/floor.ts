import { Hono } from 'hono';
import { devOnly } from '../dev-routes';
import type { AppEnv } from '../env';

/**
 * The benchmark's floor (`npm run bench`): the cheapest answer this Worker can give to the same
 * request as `POST /v1/decide`. It goes through the same app and middleware, reads the body and
 * answers a constant small JSON: no validation, no decision, and no KV unless asked (below). `decide / floor` then
 * measures what deciding itself costs, whatever the machine and the local runtime add.
 * `?kv=<key>` also reads that KV key (and throws the value away), to price one KV read on its own.
 * Development-only (devOnly: DEV_ROUTES="on", see edge/dev-routes.ts): absent in production, where it
 * is the app's 404 like any unknown path and reads nothing. The bench runs the top-level (development)
 * config of wrangler.toml, which enables it.
 */
export const floorRoutes = new Hono<AppEnv>();

const FLOOR = JSON.stringify({ ok: true });

floorRoutes.post('/bench/floor', devOnly, async (c) => {
  await c.req.text();
  const key = c.req.query('kv');
  if (key) await c.env.KV.get(key, 'text'); // priced, never returned
  c.header('Cache-Control', 'no-store');
  return c.body(FLOOR, 200, { 'Content-Type': 'application/json' });
});

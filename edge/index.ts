import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { adminRoutes } from './admin/routes';
import { adminUiRoutes } from './admin/ui-route';
import type { AppEnv, Env } from './env';
import { jsonError } from './http/errors';
import { decideRoutes } from './decide/route';
import { demoRoutes } from './demo/routes';
import { editorRoutes } from './editor/routes';
import { editorScriptRoutes } from './editor/script-route';
import { eventRoutes } from './events/route';
import { consumeEvents } from './events/consume';
import { runRetention } from './events/retention';
import { consumeAlerts } from './alerts/consume';
import { runAlertHousekeeping } from './alerts/housekeeping';
import { floorRoutes } from './bench/floor';
import { homeRoutes } from './home/route';
import { edgeSiteFor } from './edge-mode/hosts';
import { edgeRequest } from './edge-mode/proxy';
import { snippetRoutes } from './snippet/route';

const app = new Hono<AppEnv>();

/** The alerts queue and its dead-letter queue (wrangler.toml): `pz-alerts`, `pz-alerts-dlq`. */
const ALERTS_QUEUE = 'pz-alerts';

// Edge mode: a request for a customer's host (EDGE_HOSTS) is their page, proxied and personalized as it
// streams (edge/edge-mode/proxy.ts); none of this Worker's own routes or headers apply to it.
// Under the site's first-party prefix the snippet and the public API are this Worker's own routes again.
const firstParty = new WeakSet<Request>();
app.use('*', async (c, next) => {
  const site = firstParty.has(c.req.raw) ? null : edgeSiteFor(c.env, new URL(c.req.url));
  if (!site) return next();
  return edgeRequest(c.req.raw, c.env, c.executionCtx, site, (own) => {
    firstParty.add(own);
    return Promise.resolve(app.fetch(own, c.env, c.executionCtx));
  });
});

// Public routes are read from customers' sites: same-origin CORP would block the snippet there.
// `overwrite: false` lets a route be stricter (the admin API sets same-origin).
app.use('*', secureHeaders({ crossOriginResourcePolicy: 'cross-origin', overwrite: false }));

app.get('/health', (c) => c.json({ ok: true }));
app.route('/', homeRoutes);
app.route('/', snippetRoutes);
app.route('/', decideRoutes);
app.route('/', eventRoutes);
app.route('/', editorScriptRoutes);
app.route('/', editorRoutes);
// Development-only (DEV_ROUTES = "on", edge/dev-routes.ts): 404 in production; their data loads on first use.
app.route('/', demoRoutes);
app.route('/', floorRoutes); // the benchmark's baseline: same Worker, constant answer
app.route('/api/admin', adminRoutes);
app.route('/', adminUiRoutes);

app.notFound((c) => jsonError(c, 404, 'not found'));
app.onError((err, c) => {
  console.error('unhandled error', err);
  return jsonError(c, 500, 'internal error');
});

import { CRM_CRON, runCrmSyncs } from './crm/schedule';

export default {
  fetch: app.fetch,
  /** Measurement events queued by POST /v1/events, aggregated into D1; sales alerts (pz-alerts*), sent. */
  queue: (batch, env) => (batch.queue.startsWith(ALERTS_QUEUE) ? consumeAlerts(batch, env) : consumeEvents(batch, env)),
  /** Cron Triggers: every 10 minutes the CRM syncs (edge/crm/schedule.ts); daily, measurement rows past their retention are deleted and alerts' housekeeping runs. */
  scheduled: async (controller, env, ctx) => {
    if (controller.cron === CRM_CRON) return runCrmSyncs(env);
    await runRetention(controller, env, ctx);
    await runAlertHousekeeping(env);
  },
} satisfies ExportedHandler<Env>;
export { SiteStore } from './site-store/site-store';
export { AccountActivity } from './activity/account-activity';
export { AdminDirectory } from './identity/directory';

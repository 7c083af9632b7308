import { Hono } from 'hono';
import { AlertsQuery, type AlertSecret } from '../../shared/schemas';
import { alertSigningSecret } from '../../shared/alerts/signature';
import { listAlerts } from '../alerts/alerts-db';
import type { AdminEnv } from '../env';
import { jsonError, zodIssues } from '../http/errors';
import { signingSecret } from '../signing-secret';
import { siteStore, unknownSite } from './common';
import { can } from './permissions';

export const alertRoutes = new Hono<AdminEnv>();

/**
 * The site's recent sales alerts, newest first, with each channel's delivery: delivered, retrying (with
 * the last error), failed (Slack's `channel_is_archived`, `no_service`…), dead-lettered, or unknown (the
 * sender stopped mid-send). Viewers and up. `?account=<domain>` for one account, `?before=<enteredAt>` pages on.
 */
alertRoutes.get('/sites/:site/alerts', can('viewer'), async (c) => {
  const site = c.req.param('site');
  const query = AlertsQuery.safeParse(c.req.query());
  if (!query.success) return jsonError(c, 400, 'invalid request', zodIssues(query.error));
  if (!(await siteStore(c.env, site).state(site))) return unknownSite(c, site);
  const { limit, account, before } = query.data;
  try {
    const alerts = await listAlerts(c.env.EVENTS_DB, site, { limit, account, before: before ? Date.parse(before) : undefined });
    c.header('Cache-Control', 'no-store');
    return c.json({ alerts, next: alerts.length === limit ? alerts.at(-1)!.enteredAt : null });
  } catch (err) {
    console.error('alerts: D1 unavailable', err);
    return jsonError(c, 503, 'alert store unavailable, retry later');
  }
});

/**
 * The key the site's JSON webhook is signed with (shared/alerts/signature.ts), for the receiver to verify
 * with. Owners only. Derived from the edge's signing key like the identify secret: rotating LINK_SECRET rotates it.
 */
alertRoutes.get('/sites/:site/alerts/secret', can('owner'), async (c) => {
  const site = c.req.param('site');
  const key = signingSecret(c.env);
  if (!key) return jsonError(c, 503, 'no signing key: set LINK_SECRET (wrangler secret put LINK_SECRET)');
  c.header('Cache-Control', 'no-store');
  const body: AlertSecret = {
    secret: await alertSigningSecret(key, site),
    headers: ['X-PZ-Timestamp', 'X-PZ-Signature', 'X-PZ-Alert-Id'],
    usage: 'expected = "v1=" + hex(HMAC-SHA256(secret, X-PZ-Timestamp + "." + raw body)); compare with X-PZ-Signature in constant time; refuse a timestamp more than 300 s away; drop an X-PZ-Alert-Id already handled',
  };
  return c.json(body);
});

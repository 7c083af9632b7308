import { Hono } from 'hono';
import type { AdminEnv } from '../env';
import { jsonError } from '../http/errors';
import { siteStore, unknownSite } from './common';
import { can } from './permissions';

/** The site's CRM sync (edge/crm/): where it stands, and a run now. */
export const crmRoutes = new Hono<AdminEnv>();

/** `GET /api/admin/sites/:site/crm`: last sync, counts of the last pass, its refused records, the last failure. */
crmRoutes.get('/sites/:site/crm', can('viewer'), async (c) => {
  const site = c.req.param('site');
  const status = await siteStore(c.env, site).crmStatus(site);
  return status ? c.json(status) : unknownSite(c, site);
});

/** `POST /api/admin/sites/:site/crm/sync`: one run now (more continues in the background); 409 without a published CRM config. */
crmRoutes.post('/sites/:site/crm/sync', can('editor'), async (c) => {
  const site = c.req.param('site');
  const result = await siteStore(c.env, site).crmSync(site);
  if (!result) return unknownSite(c, site);
  if ('skipped' in result) return jsonError(c, 409, 'no CRM sync', [{ path: 'crm', message: result.skipped }]);
  c.set('audit', `CRM sync run: ${result.written} accounts written, ${result.refused} refused`);
  return c.json(result);
});

import { Hono } from 'hono';
import { ReadCopyRetryRequest, type ReadCopyRetry, type ReadCopyStatus } from '../../shared/schemas';
import type { AdminEnv } from '../env';
import { readJson } from '../http/read-json';
import { siteStore, unknownSite } from './common';
import { can } from './permissions';

/** The edge's KV read copy of a site: how far behind it is, and the writes that failed too often (edge/site-store/outbox.ts). */
export const readCopyRoutes = new Hono<AdminEnv>();

readCopyRoutes.get('/sites/:site/read-copy', can('viewer'), async (c) => {
  const site = c.req.param('site');
  const status: ReadCopyStatus | null = await siteStore(c.env, site).readCopyStatus(site);
  return status ? c.json(status) : unknownSite(c, site);
});

readCopyRoutes.post('/sites/:site/read-copy/retry', can('publisher'), async (c) => {
  const site = c.req.param('site');
  const noBody = c.req.header('content-length') === '0' || !c.req.raw.body;
  const body = noBody ? null : await readJson(c, ReadCopyRetryRequest);
  if (body && !body.ok) return body.response;
  const result: ReadCopyRetry | null = await siteStore(c.env, site).retryStuckWrites(site);
  return result ? c.json(result) : unknownSite(c, site);
});

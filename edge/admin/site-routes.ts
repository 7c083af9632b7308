import { Hono } from 'hono';
import { z } from 'zod';
import { ArchiveRequest, PublishRequest, RollbackRequest, SaveDraftRequest, type SiteState } from '../../shared/schemas';
import { snippetTag } from '../../shared/snippet-tag';
import type { DraftState } from '../site-store/publishing';
import type { AdminEnv } from '../env';
import { jsonError } from '../http/errors';
import { readJson } from '../http/read-json';
import { jsonBody } from '../http/validate';
import { forgetSiteConfig } from '../kv/site-config';
import { segmentCountsWithActivity } from './activity-counts';
import { MAX_JSON_BYTES, siteStore, staleWrite, unknownSite } from './common';
import { can } from './permissions';
import { directory } from '../identity/directory';

export const siteRoutes = new Hono<AdminEnv>();

// The tag hides the draft's selector slots too, so it is current before and after the draft is published.
const siteState = (site: string, origin: string, state: DraftState): SiteState => ({ site, ...state, tag: snippetTag(origin, site, undefined, state.draft.config) });

siteRoutes.get('/sites/:site', can('viewer'), async (c) => {
  const site = c.req.param('site');
  const state = await siteStore(c.env, site).state(site);
  return state ? c.json(siteState(site, new URL(c.req.url).origin, state)) : unknownSite(c, site);
});

siteRoutes.put('/sites/:site/draft', can('editor'), jsonBody(SaveDraftRequest, MAX_JSON_BYTES), async (c) => {
  const site = c.req.param('site');
  const { baseRevision, config } = c.req.valid('json');
  if (config.site !== site) return jsonError(c, 400, 'invalid request', [{ path: 'config.site', message: `must be "${site}", the site being edited` }]);
  const result = await siteStore(c.env, site).saveDraft(site, baseRevision, config, c.get('actor'));
  if (result.status === 'invalid') return jsonError(c, 400, 'invalid request', result.issues);
  if (result.status === 'stale') return staleWrite(c, result.current);
  if (result.status === 'missing') return unknownSite(c, site);
  c.set('audit', `saved revision ${result.state.draft.revision}`);
  await directory(c.env).registerSite(site, config.name, c.get('actor'));
  return c.json(siteState(site, new URL(c.req.url).origin, result.state));
});

siteRoutes.post('/sites/:site/publish', can('publisher'), jsonBody(PublishRequest), async (c) => {
  const site = c.req.param('site');
  const result = await siteStore(c.env, site).publish(site, c.req.valid('json').baseRevision, c.get('actor'));
  if (result.status === 'stale') return staleWrite(c, result.current);
  if (result.status === 'missing') return unknownSite(c, site);
  forgetSiteConfig(site);
  c.set('audit', `published version ${result.version.version}`);
  return c.json(result.version);
});

siteRoutes.post('/sites/:site/archive', can('owner'), jsonBody(ArchiveRequest), async (c) => {
  const site = c.req.param('site');
  const { archived } = c.req.valid('json');
  const state = await siteStore(c.env, site).setArchived(site, archived);
  if (!state) return unknownSite(c, site);
  forgetSiteConfig(site);
  await directory(c.env).setArchived(site, state.archivedAt);
  c.set('audit', archived ? 'archived: not served' : 'restored: served again');
  return c.json(siteState(site, new URL(c.req.url).origin, state));
});

siteRoutes.get('/sites/:site/versions', can('viewer'), async (c) => {
  const site = c.req.param('site');
  const versions = await siteStore(c.env, site).versions(site);
  return versions ? c.json({ versions }) : unknownSite(c, site);
});

siteRoutes.post('/sites/:site/rollback', can('publisher'), jsonBody(RollbackRequest), async (c) => {
  const site = c.req.param('site');
  const { version } = c.req.valid('json');
  const result = await siteStore(c.env, site).rollback(site, version, c.get('actor'));
  if (result.status === 'missing') return unknownSite(c, site);
  if (result.status === 'unknown-version') return jsonError(c, 404, 'unknown version', [{ path: 'version', message: `version ${version} was never published` }]);
  if (result.status === 'already-live') return jsonError(c, 400, 'invalid request', [{ path: 'version', message: `version ${version} is already live` }]);
  forgetSiteConfig(site);
  c.set('audit', `rolled back to version ${version}: now version ${result.version.version}`);
  return c.json(result.version);
});

siteRoutes.get('/sites/:site/segments/counts', can('viewer'), async (c) => {
  const site = c.req.param('site');
  const counts = await segmentCountsWithActivity(c.env, site);
  return counts ? c.json(counts) : unknownSite(c, site);
});

const BootstrapRequest = z.strictObject({ cursor: z.string().min(1).max(4096).optional() });

/**
 * Takes over a site the edge already serves: its config (adopted on first use anyway) and one page
 * of the accounts in KV per call; call again with the returned cursor until it is null.
 * For sites loaded with `wrangler kv bulk put` and the seeded demo.
 */
siteRoutes.post('/sites/:site/bootstrap', can('owner'), async (c) => {
  const site = c.req.param('site');
  const body = c.req.header('content-length') === '0' || !c.req.raw.body ? { ok: true as const, data: {} } : await readJson(c, BootstrapRequest);
  if (!body.ok) return body.response;
  const result = await siteStore(c.env, site).adoptAccounts(site, body.data.cursor);
  if (!result) return unknownSite(c, site);
  const state = await siteStore(c.env, site).state(site);
  if (state) await directory(c.env).registerSite(site, state.draft.config.name, c.get('actor'));
  return c.json({ site, ...result });
});

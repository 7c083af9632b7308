import { Hono } from 'hono';
import { roleOn } from '../../shared/identity/roles';
import { CreateSiteRequest, type SiteConfig, type SiteSummary } from '../../shared/schemas';
import type { AdminEnv } from '../env';
import { jsonError } from '../http/errors';
import { jsonBody } from '../http/validate';
import { directory } from '../identity/directory';
import { MAX_JSON_BYTES, siteStore } from './common';
import { can, signedIn } from './permissions';

/** The sites the caller may see, and creating one. */
export const siteListRoutes = new Hono<AdminEnv>();

siteListRoutes.get('/sites', signedIn, async (c) => {
  const { grants } = c.get('principal');
  const sites: SiteSummary[] = [];
  for (const s of await directory(c.env).sites()) {
    const role = roleOn(grants, s.id);
    if (role) sites.push({ ...s, role });
  }
  return c.json({ sites });
});

async function startingConfig(id: string, name: string, allowedOrigins: string[], template: 'empty' | 'demo'): Promise<SiteConfig> {
  const base: SiteConfig = { site: id, name, version: 1, allowedOrigins, segments: [], slots: [], variants: {} };
  if (template === 'empty') return base;
  const { demoSite } = await import('../../shared/demo/site');
  const { segments, slots, variants, pageGroups, goals } = demoSite;
  return { ...base, segments, slots, variants, ...(pageGroups && { pageGroups }), ...(goals && { goals }) };
}

/** Creates a site: its first draft (nothing is live until it is published) and its place in the list. */
siteListRoutes.post('/sites', can('owner', 'all'), jsonBody(CreateSiteRequest, MAX_JSON_BYTES), async (c) => {
  const { id, name, allowedOrigins, template } = c.req.valid('json');
  const config = await startingConfig(id, name, allowedOrigins, template);
  const result = await siteStore(c.env, id).saveDraft(id, 0, config, c.get('actor'));
  if (result.status !== 'saved') return jsonError(c, 409, 'site exists', [{ path: 'id', message: `there is already a site "${id}"` }]);
  await directory(c.env).registerSite(id, name, c.get('actor'));
  c.set('audit', `created "${name}" from the ${template} template`);
  return c.json({ id, name, draft: result.state.draft }, 201);
});

import { type Context, Hono } from 'hono';
import { signLink } from '../../shared/links/signed-link';
import { signingSecret } from '../signing-secret';
import { devOnly } from '../dev-routes';
import type { AppEnv } from '../env';

/**
 * The demo's pages, for `npm start` and the browser tests. Development-only (devOnly: DEV_ROUTES="on",
 * see edge/dev-routes.ts); absent in production. The page and the demo data (shared/demo, large and
 * parsed with zod) are imported on the first request that needs them, never at the Worker's module load.
 */
export const demoRoutes = new Hono<AppEnv>();

/** How long the View-as bar's signed links stay valid: a demo page left open for a week still works. */
const DEMO_LINK_DAYS = 7;

const landing = async (c: Context<AppEnv>) => {
  const [{ demoPage }, { demoPersonas }] = await Promise.all([import('./page'), import('../../shared/demo/site')]);
  const timeoutMs = Number(c.env.DEMO_TIMEOUT_MS) || undefined;
  // The View-as bar links with signed links (verified), as a marketer's ABM emails would: a plain
  // `?pz_account=` is only a claim, which lifecycle and intent segments are never shown to.
  const secret = signingSecret(c.env);
  const links: Record<string, string> = {};
  if (secret) {
    const exp = Math.floor(Date.now() / 1000) + DEMO_LINK_DAYS * 86_400;
    for (const p of demoPersonas) if (p.domain) links[p.domain] = await signLink(secret, 'demo', { domain: p.domain, exp, campaign: p.utm_campaign });
  }
  return c.html(demoPage({ edgeOrigin: new URL(c.req.url).origin, site: 'demo', timeoutMs, links }));
};
demoRoutes.get('/demo', devOnly, landing);
// The same page under the paths of the demo's page groups (pricing, comparison, docs), for behavioural rules.
demoRoutes.get('/demo/pricing', devOnly, landing);
demoRoutes.get('/demo/vs/:competitor', devOnly, landing);
demoRoutes.get('/demo/docs/*', devOnly, landing);
demoRoutes.get('/demo/signup', devOnly, async (c) => {
  const { demoSignupPage } = await import('./page');
  return c.html(demoSignupPage());
});
demoRoutes.get('/demo/logos/:file', devOnly, async (c) => {
  const { demoLogos } = await import('../../shared/demo/site');
  const svg = demoLogos[c.req.param('file')];
  if (!svg) return c.json({ error: 'not found' }, 404);
  c.header('Cache-Control', 'public, max-age=86400');
  return c.body(svg, 200, { 'Content-Type': 'image/svg+xml' });
});

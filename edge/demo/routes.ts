import { type Context, Hono } from 'hono';
import { demoLogos } from '../../shared/demo/site';
import { demoPage, demoSignupPage } from './page';
import type { AppEnv } from '../env';

export const demoRoutes = new Hono<AppEnv>();

demoRoutes.get('/', (c) => c.redirect('/demo'));
const landing = (c: Context<AppEnv>) => c.html(demoPage({ edgeOrigin: new URL(c.req.url).origin, site: 'demo' }));
demoRoutes.get('/demo', landing);
// The same page under the paths of the demo's page groups (pricing, comparison, docs), for behavioural rules.
demoRoutes.get('/demo/pricing', landing);
demoRoutes.get('/demo/vs/:competitor', landing);
demoRoutes.get('/demo/docs/*', landing);
demoRoutes.get('/demo/signup', (c) => c.html(demoSignupPage()));
demoRoutes.get('/demo/logos/:file', (c) => {
  const svg = demoLogos[c.req.param('file')];
  if (!svg) return c.json({ error: 'not found' }, 404);
  c.header('Cache-Control', 'public, max-age=86400');
  return c.body(svg, 200, { 'Content-Type': 'image/svg+xml' });
});

import { Hono } from 'hono';
import { devRoutesEnabled } from '../dev-routes';
import type { AppEnv } from '../env';

/**
 * `GET /`, the first URL `npm start` prints. In development: where to go next (the demo, the admin, the
 * README's quick start). Elsewhere a plain status, naming nothing about the deployment.
 */
export const homeRoutes = new Hono<AppEnv>();

const page = (origin: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Personalization edge (development)</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1d2433}
a{color:#2747d1}li{margin:.4rem 0}code{background:#f1f3f8;padding:.1rem .3rem;border-radius:4px}</style></head>
<body><h1>Personalization edge is running</h1>
<p>This is <code>npm start</code>: the Worker in workerd with local KV, Durable Objects and D1, seeded with the demo site.</p>
<ul>
<li><a href="/demo">The demo landing page</a>: use the <b>View as</b> bar to see it as different accounts.</li>
<li><a href="/admin">The admin</a>: sign in with the admin token <code>npm start</code> printed (it is in <code>.dev.vars</code>).</li>
<li>The tag for your own page: <code>&lt;script async src="${origin}/p.js" data-site="demo"&gt;&lt;/script&gt;</code> (add your page's origin to the site's allowed origins first).</li>
<li>The quick start: <code>README.md</code> in the project, "Try it: two commands" and "For marketers: the tag".</li>
</ul>
<p><a href="/health">/health</a></p></body></html>`;

homeRoutes.get('/', (c) => {
  if (!devRoutesEnabled(c.env)) return c.text('ok: personalization edge\n', 200, { 'Cache-Control': 'no-store' });
  return c.html(page(new URL(c.req.url).origin));
});

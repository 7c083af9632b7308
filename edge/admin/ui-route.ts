import { Hono } from 'hono';
import { ADMIN_CSS, ADMIN_JS, ADMIN_VERSION } from '../../build/admin';
import type { AppEnv } from '../env';

/**
 * The admin UI (admin/src, bundled by scripts/build.mjs into build/admin.ts): an HTML shell at
 * /admin with no inline script or style and nothing from a CDN, and its script and stylesheet under
 * a content hash, cached for a year. The app talks only to /api/admin on this origin.
 */
export const adminUiRoutes = new Hono<AppEnv>();

const JS_PATH = `/admin/app.${ADMIN_VERSION}.js`;
const CSS_PATH = `/admin/app.${ADMIN_VERSION}.css`;

/**
 * Only this origin's script and stylesheet run; images may come from anywhere on https (variant
 * previews show the customer's images); the API is same-origin; nobody may frame the admin.
 */
export const ADMIN_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' https: data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SHELL = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Personalization admin</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${CSS_PATH}">
<script defer src="${JS_PATH}"></script>
</head>
<body>
<div id="app"><noscript>The admin needs JavaScript.</noscript></div>
</body>
</html>
`;

const IMMUTABLE = 'public, max-age=31536000, immutable';

adminUiRoutes.get('/admin', (c) => {
  c.header('Content-Security-Policy', ADMIN_CSP);
  c.header('Cache-Control', 'no-cache');
  c.header('X-Frame-Options', 'DENY');
  c.header('Referrer-Policy', 'no-referrer');
  c.header('Cross-Origin-Resource-Policy', 'same-origin');
  return c.html(SHELL);
});
adminUiRoutes.get('/admin/', (c) => c.redirect('/admin', 301));

adminUiRoutes.get(JS_PATH, (c) => {
  c.header('Cache-Control', IMMUTABLE);
  c.header('Cross-Origin-Resource-Policy', 'same-origin');
  return c.body(ADMIN_JS, 200, { 'Content-Type': 'application/javascript; charset=utf-8' });
});

adminUiRoutes.get(CSS_PATH, (c) => {
  c.header('Cache-Control', IMMUTABLE);
  c.header('Cross-Origin-Resource-Policy', 'same-origin');
  return c.body(ADMIN_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8' });
});

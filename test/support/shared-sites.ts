/**
 * The browser project's shared Worker is seeded with a copy of the demo site (config and accounts)
 * under each of these ids. "demo" is the one the Worker's own /demo page shows: files that only read
 * it share it. A file that changes its site gets its own copy: the admin tests publish and roll back,
 * save drafts and goals, import accounts; the measurement tests count every event of their site; the
 * behaviour test records page views that move accounts (Northwind Bank among them) into another segment.
 */
export const SHARED_SITES = {
  /** demo.test.ts (the Worker's /demo page) and customer-page.test.ts: read only. */
  demo: 'demo',
  /** admin.test.ts: segments, variants, preview, publish, roll back, drafts, CSV import. */
  admin: 'demo-admin',
  /** admin-report.test.ts: counts its events exactly, saves goals. */
  report: 'demo-report',
  /** behaviour.test.ts: page views that put accounts into "hot pricing interest". */
  behaviour: 'demo-behaviour',
  /** events-load.test.ts: counts 11,000 events exactly. */
  load: 'demo-load',
} as const;
// measure.test.ts ("measured"), robustness.test.ts ("xss"), admin-roles.test.ts ("demo-roles",
// "demo-roles-elsewhere"), selector-slots.test.ts ("demo-selectors"), editor.test.ts ("demo-editor") and
// admin-sites.test.ts ("first-hour", "first-hour-team", "first-hour-nowhere", "first-hour-bad") create sites
// of their own through the admin API or the admin UI (or name one no one creates): no other file may use those ids either.

export type SharedSite = (typeof SHARED_SITES)[keyof typeof SHARED_SITES];

/** Edge mode (edge-proxy.test.ts): the shared Worker proxies this customer host (EDGE_HOSTS) for this site, which that file creates. */
export const EDGE_HOST = 'www.customer.test';
export const EDGE_SITE = 'demo-edge';

/** The shared Worker's ADMIN_TOKEN (`wrangler dev --var`), for the admin API and the admin UI. */
export const SHARED_ADMIN_TOKEN = 'browser-test-admin-token';

/** The shared Worker's LINK_SECRET: tests sign ABM links with it (test/support/links.ts). */
export const SHARED_LINK_SECRET = 'browser-test-link-secret';

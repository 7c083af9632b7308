import { Hono, type MiddlewareHandler } from 'hono';
import { Id } from '../../shared/schemas';
import type { AdminEnv } from '../env';
import { jsonError } from '../http/errors';
import { limitPerClient } from '../http/rate-limit';
import { forgetSite } from '../kv/cache';
import { accountRoutes } from './account-routes';
import { activityRoutes } from './activity-routes';
import { alertRoutes } from './alert-routes';
import { requireAdmin } from './auth';
import { editorLinkRoutes } from './editor-link-routes';
import { importRoutes } from './import-routes';
import { intentRoutes } from './intent-routes';
import { linkRoutes } from './link-routes';
import { previewRoutes } from './preview-routes';
import { readCopyRoutes } from './read-copy-routes';
import { crmRoutes } from './crm-routes';
import { reportRoutes } from './report-routes';
import { siteListRoutes } from './site-list-routes';
import { siteRoutes } from './site-routes';
import { tagCheckRoutes } from './tag-check-routes';
import { teamRoutes } from './team-routes';
import { visitorErasureRoutes } from './visitor-erasure-routes';

/** The admin API, mounted at /api/admin. Contract: shared/schemas/admin.ts. */
export const adminRoutes = new Hono<AdminEnv>();

// Anyone may call these routes: the client's ceiling comes before any credential is looked at, so a
// flood of made-up tokens never reaches the directory.
adminRoutes.use('*', limitPerClient('admin'));
adminRoutes.use('*', requireAdmin);
const validSite: MiddlewareHandler<AdminEnv> = async (c, next) => {
  const site = Id.safeParse(c.req.param('site'));
  if (!site.success) return jsonError(c, 400, 'invalid request', [{ path: 'site', message: site.error.issues[0]!.message }]);
  await next();
};
adminRoutes.use('/sites/:site', validSite);
adminRoutes.use('/sites/:site/*', validSite);
// A change made here is seen at once by this isolate's decisions (others: within the cache TTLs).
adminRoutes.use('/sites/:site/*', async (c, next) => {
  await next();
  if (c.req.method !== 'GET') forgetSite(c.req.param('site')!);
});
adminRoutes.route('/', siteListRoutes);
adminRoutes.route('/', siteRoutes);
adminRoutes.route('/', importRoutes);
adminRoutes.route('/', intentRoutes);
adminRoutes.route('/', activityRoutes);
adminRoutes.route('/', accountRoutes);
adminRoutes.route('/', previewRoutes);
adminRoutes.route('/', linkRoutes);
adminRoutes.route('/', editorLinkRoutes);
adminRoutes.route('/', reportRoutes);
adminRoutes.route('/', teamRoutes);
adminRoutes.route('/', tagCheckRoutes);
adminRoutes.route('/', visitorErasureRoutes);
adminRoutes.route('/', readCopyRoutes);
adminRoutes.route('/', crmRoutes);
adminRoutes.route('/', alertRoutes);

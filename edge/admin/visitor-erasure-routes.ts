import { Hono } from 'hono';
import { VisitorErasureQuery } from '../../shared/schemas';
import type { AdminEnv } from '../env';
import { jsonError, zodIssues } from '../http/errors';
import { visitorParam } from '../http/validate';
import { unknownSite } from './common';
import { can } from './permissions';
import { ErasureIncomplete, eraseVisitorData } from './visitor-erasure';

export const visitorErasureRoutes = new Hono<AdminEnv>();

/** Erases what is kept about one visitor id (shared/schemas/admin.ts VisitorErasure); page on with `?after=<next>`. */
visitorErasureRoutes.delete('/sites/:site/visitors/:visitor', can('owner'), visitorParam, async (c) => {
  const site = c.req.param('site');
  const { visitor } = c.req.valid('param');
  const query = VisitorErasureQuery.safeParse(c.req.query());
  if (!query.success) return jsonError(c, 400, 'invalid request', zodIssues(query.error));
  try {
    const erased = await eraseVisitorData(c.env, site, visitor, query.data.after);
    if (!erased) return unknownSite(c, site);
    // the audit trail must not keep the id it erased
    c.set('auditPath', `/sites/${site}/visitors/(erased)`);
    c.set('audit', 'one visitor erased');
    return c.json(erased);
  } catch (err) {
    if (!(err instanceof ErasureIncomplete)) throw err;
    return jsonError(c, 503, 'erasure incomplete', [{ path: 'visitor', message: err.message }]);
  }
});

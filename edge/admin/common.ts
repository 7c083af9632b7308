import type { Context } from 'hono';
import type { Draft } from '../../shared/schemas';
import type { Env } from '../env';
import { jsonError } from '../http/errors';

/** What every admin module shares: limits, the site's store, common answers. */

/** Admin JSON bodies (a whole site config, a chunk of 500 accounts) are larger than a decide request. */
export const MAX_JSON_BYTES = 1024 * 1024;
export const MAX_CSV_BYTES = 2 * 1024 * 1024;

/** The site's system of record: one Durable Object per site id. */
export const siteStore = (env: Env, site: string) => env.SITE_STORE.getByName(site);

export const unknownSite = (c: Context, site: string) =>
  jsonError(c, 404, 'unknown site', [{ path: 'site', message: `no site "${site}" (create it by saving a draft with baseRevision 0)` }]);

export const staleWrite = (c: Context, current: Draft) =>
  c.json({ error: 'stale' as const, message: `the draft is at revision ${current.revision}: reload it, reapply your change, and save again`, current }, 409);

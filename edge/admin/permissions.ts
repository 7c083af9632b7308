import type { MiddlewareHandler } from 'hono';
import { roleOn, includes } from '../../shared/identity/roles';
import type { Role } from '../../shared/schemas';
import type { AdminEnv } from '../env';
import { jsonError } from '../http/errors';
import { directory } from '../identity/directory';

export type Guard = MiddlewareHandler<AdminEnv> & { requiredRole: Role | 'signed-in'; scope: 'site' | 'all' };

/**
 * The role a route needs. `site`: the site in the path (`:site`) or, for the report, `?site=`; `all`:
 * a grant on every site. A change that succeeded is recorded in the audit trail with the verified name.
 */
export function can(needed: Role, scope: 'site' | 'all' = 'site'): Guard {
  const guard: MiddlewareHandler<AdminEnv> = async (c, next) => {
    const site = scope === 'all' ? '*' : (c.req.param('site') ?? c.req.query('site') ?? '');
    const has = roleOn(c.get('principal').grants, site);
    if (!includes(has, needed)) {
      const where = site === '*' ? 'every site' : `site "${site}"`;
      return jsonError(c, 403, 'forbidden', [{ path: 'role', message: `needs ${needed} on ${where}; you are ${has ?? 'not a member'} there` }]);
    }
    await next();
    if (c.req.method !== 'GET' && c.res.status < 400) {
      const path = c.get('auditPath') ?? new URL(c.req.url).pathname.replace(/^\/api\/admin/, '');
      await directory(c.env)
        .record({ actor: c.get('actor'), site, action: `${c.req.method} ${path}`, detail: c.get('audit') ?? '' })
        .catch((err: unknown) => console.error('audit trail not written', err));
    }
  };
  return Object.assign(guard, { requiredRole: needed, scope });
}

/** For routes any valid credential may call (who am I, which sites may I see): they answer only about the caller. */
export const signedIn: Guard = Object.assign<MiddlewareHandler<AdminEnv>, Pick<Guard, 'requiredRole' | 'scope'>>(async (_c, next) => next(), {
  requiredRole: 'signed-in',
  scope: 'all',
});

import type { Context, MiddlewareHandler } from 'hono';
import { Id, type EditClaims } from '../../shared/schemas';
import { siteStore } from '../admin/common';
import type { Env } from '../env';
import { jsonError } from '../http/errors';
import { allowOrigin, originAllowed, refuseOrigin } from '../http/origin';
import { refuseOverSiteLimit } from '../http/rate-limit';
import type { DraftState } from '../site-store/publishing';
import { signingSecret } from '../signing-secret';
import { verifyEditToken } from './edit-token';

export type EditorEnv = { Bindings: Env; Variables: { claims: EditClaims; state: DraftState } };

/**
 * `?site=` names the site on every editor call, the preflight's included (a preflight carries neither
 * the body nor the token): the page's Origin must be one of the draft's allowed origins (else 403
 * without CORS headers), then the bearer edit token must be valid and for that site (else 401, which
 * the editor can read).
 */
export async function siteForEditor(c: Context<EditorEnv>): Promise<{ site: string; state: DraftState } | Response> {
  const site = Id.safeParse(c.req.query('site'));
  if (!site.success) return jsonError(c, 400, 'invalid request', [{ path: 'site', message: 'needs ?site=<id>' }]);
  const limited = await refuseOverSiteLimit(c, c.env, 'editor', site.data);
  if (limited) return limited;
  const state = await siteStore(c.env, site.data).state(site.data);
  if (!state) return jsonError(c, 404, 'unknown site', [{ path: 'site', message: `no site "${site.data}"` }]);
  const origin = c.req.header('origin');
  if (origin !== undefined && !originAllowed(origin, c.req.url, state.draft.config.allowedOrigins)) return refuseOrigin(c, site.data);
  return { site: site.data, state };
}

/** Middleware for the editor's calls: origin, then token (see siteForEditor). */
export const editorAccess: MiddlewareHandler<EditorEnv> = async (c, next) => {
  c.header('Cache-Control', 'no-store');
  const found = await siteForEditor(c);
  if (found instanceof Response) return found;
  allowOrigin(c);
  const unauthorised = (message: string) => jsonError(c, 401, 'unauthorized', [{ path: 'authorization', message }]);
  const token = /^Bearer (\S+)$/.exec(c.req.header('authorization') ?? '')?.[1];
  if (!token) return unauthorised('needs Authorization: Bearer <edit token>');
  const secret = signingSecret(c.env);
  if (!secret) return jsonError(c, 503, 'edit tokens cannot be checked: set LINK_SECRET');
  const check = await verifyEditToken(token, secret);
  if (!check.ok) return unauthorised(check.reason);
  if (check.claims.site !== found.site) return unauthorised(`the edit token is for another site, not "${found.site}"`);
  c.set('claims', check.claims);
  c.set('state', found.state);
  await next();
};

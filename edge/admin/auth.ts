import type { MiddlewareHandler } from 'hono';
import type { AdminEnv, Env, Principal } from '../env';
import { jsonError } from '../http/errors';
import { accessConfig, verifyAccessJwt } from '../identity/access-jwt';
import { hashToken, looksLikeApiToken } from '../identity/api-token';
import { directory } from '../identity/directory';

const encoder = new TextEncoder();

/** Constant-time comparison: both sides are hashed first so their lengths cannot leak either. */
export async function tokensEqual(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([given, expected].map((t) => crypto.subtle.digest('SHA-256', encoder.encode(t))));
  return crypto.subtle.timingSafeEqual(a!, b!);
}

function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '');
  return match ? match[1]! : null;
}

/** ADMIN_TOKEN, the bootstrap owner credential, unless production turned it off (BOOTSTRAP_TOKEN = "off"). */
const bootstrapToken = (env: Env) => (env.BOOTSTRAP_TOKEN === 'off' ? null : env.ADMIN_TOKEN || null);

type Proof = { ok: true; principal: Principal } | { ok: false; path: string; message: string };

async function fromBearer(env: Env, token: string): Promise<Proof> {
  if (looksLikeApiToken(token)) {
    const used = await directory(env).useToken(await hashToken(token));
    if (used) return { ok: true, principal: { name: `token ${used.name}`, kind: 'token', grants: [used.grant] } };
    return { ok: false, path: 'authorization', message: 'this API token is unknown, revoked or expired' };
  }
  const bootstrap = bootstrapToken(env);
  if (bootstrap !== null && (await tokensEqual(token, bootstrap)))
    return { ok: true, principal: { name: 'admin token', kind: 'bootstrap', grants: [{ site: '*', role: 'owner' }] } };
  return { ok: false, path: 'authorization', message: 'expected Authorization: Bearer <admin or API token>' };
}

async function fromAccess(env: Env, assertion: string): Promise<Proof> {
  const config = accessConfig(env)!;
  const claims = await verifyAccessJwt(assertion.trim(), config);
  if (!claims) return { ok: false, path: 'cf-access-jwt-assertion', message: 'the Cloudflare Access token did not verify' };
  return { ok: true, principal: { name: claims.email, kind: 'access', grants: await directory(env).grantsOf(claims.email) } };
}

/**
 * Every /api/admin route needs a credential, checked before anything is read or changed:
 * `Authorization: Bearer` with an API token or ADMIN_TOKEN, or (with ACCESS_TEAM_DOMAIN and ACCESS_AUD
 * set) Cloudflare Access's `Cf-Access-Jwt-Assertion`, whose verified e-mail is looked up in the
 * directory. No header names anyone by itself. Neither way configured → 503, never an open admin.
 * Answers are never cached and, having no CORS headers, readable only from the edge's own origin.
 */
export const requireAdmin: MiddlewareHandler<AdminEnv> = async (c, next) => {
  c.header('Cache-Control', 'no-store');
  c.header('Cross-Origin-Resource-Policy', 'same-origin');
  if (!bootstrapToken(c.env) && !accessConfig(c.env))
    return jsonError(c, 503, 'admin disabled', [
      { path: 'ADMIN_TOKEN', message: 'set the ADMIN_TOKEN secret, or ACCESS_TEAM_DOMAIN and ACCESS_AUD, to enable the admin API' },
    ]);
  const bearer = bearerToken(c.req.header('authorization'));
  const assertion = c.req.header('cf-access-jwt-assertion');
  let proof: Proof;
  if (bearer !== null) proof = await fromBearer(c.env, bearer);
  else if (assertion && accessConfig(c.env)) proof = await fromAccess(c.env, assertion);
  else proof = { ok: false, path: 'authorization', message: 'expected Authorization: Bearer <admin or API token>' };
  if (!proof.ok) {
    c.header('WWW-Authenticate', 'Bearer');
    return jsonError(c, 401, 'unauthorized', [{ path: proof.path, message: proof.message }]);
  }
  c.set('principal', proof.principal);
  c.set('actor', proof.principal.name);
  await next();
};

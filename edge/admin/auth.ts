import type { MiddlewareHandler } from 'hono';
import type { AdminEnv } from '../env';
import { jsonError } from '../http/errors';

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

/** Who the history records: the Cloudflare Access user when the admin sits behind Access, else a name the client gives. */
function actorOf(header: (name: string) => string | undefined): string {
  const name = header('cf-access-authenticated-user-email') ?? header('x-admin-user') ?? '';
  return name.replace(/[^\x20-\x7e]/g, '').trim().slice(0, 100) || 'admin';
}

/**
 * Every /api/admin route: `Authorization: Bearer <ADMIN_TOKEN>`, else 401 before anything is read or
 * changed; no ADMIN_TOKEN configured → 503, never an open admin. Answers are never cached and,
 * having no CORS headers, are readable only from the edge's own origin.
 */
export const requireAdmin: MiddlewareHandler<AdminEnv> = async (c, next) => {
  c.header('Cache-Control', 'no-store');
  c.header('Cross-Origin-Resource-Policy', 'same-origin');
  const expected = c.env.ADMIN_TOKEN;
  if (!expected) return jsonError(c, 503, 'admin disabled', [{ path: 'ADMIN_TOKEN', message: 'set the ADMIN_TOKEN secret to enable the admin API' }]);
  const given = bearerToken(c.req.header('authorization'));
  if (given === null || !(await tokensEqual(given, expected))) {
    c.header('WWW-Authenticate', 'Bearer');
    return jsonError(c, 401, 'unauthorized', [{ path: 'authorization', message: 'expected Authorization: Bearer <admin token>' }]);
  }
  c.set('actor', actorOf((name) => c.req.header(name)));
  await next();
};

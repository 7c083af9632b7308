import type { Context, MiddlewareHandler } from 'hono';
import { parseIp, toHex } from '../../shared/resolve/ip';
import type { AppEnv, Env } from '../env';
import { jsonError } from './errors';

/**
 * Ceilings on the public routes, with Cloudflare's Rate Limiting binding (`[[ratelimits]]` in
 * wrangler.toml, limits per environment): per client per route (RL_CLIENT), and a higher one per site
 * per route (RL_SITE) so one site's flood cannot take the edge's whole capacity. Counts are kept per
 * Cloudflare location and are approximate (the binding's documented behaviour); local workerd
 * (Miniflare) enforces the same limits. Over a limit: 429 with a JSON error and `Retry-After`.
 */

export type PublicRoute = 'decide' | 'events' | 'editor' | 'admin';

/** The binding's windows are 10 or 60 s; both bindings use 10 s (wrangler.toml), so a client waits at most that. */
const RETRY_AFTER_S = 10;

/**
 * Who a limit counts: the address Cloudflare connected from (`CF-Connecting-IP`, which a client cannot
 * set through Cloudflare), an IPv6 address by its /64 (one subscriber's whole network).
 */
export function clientKey(ip: string | null | undefined): string {
  const address = ip ? parseIp(ip) : null;
  if (!address) return 'unknown';
  if (address.version === 4) return `4:${toHex(4, address.value)}`;
  return `6:${toHex(6, address.value).slice(0, 16)}`;
}

/** True when `binding` lets one more request through under `key`; a missing or failing limiter lets it through. */
async function allows(binding: RateLimit | undefined, key: string): Promise<boolean> {
  if (!binding) return true;
  try {
    return (await binding.limit({ key })).success;
  } catch (err) {
    // The limiter is protection, not a dependency: its outage must not take decisions down with it.
    console.error('rate limiter unavailable', err);
    return true;
  }
}

function tooMany(c: Context, scope: 'client' | 'site', route: PublicRoute): Response {
  c.header('Retry-After', String(RETRY_AFTER_S));
  c.header('Cache-Control', 'no-store');
  const message = scope === 'client' ? `too many ${route} requests from this client` : `too many ${route} requests for this site`;
  return jsonError(c, 429, 'rate limited', [{ path: scope === 'client' ? '(client)' : 'site', message: `${message}; retry after ${RETRY_AFTER_S} s` }]);
}

/** Middleware: the per-client ceiling, before the body is read (malformed requests count too). */
export function limitPerClient(route: PublicRoute): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!(await allows(c.env.RL_CLIENT, `${route}:${clientKey(c.req.header('cf-connecting-ip'))}`))) return tooMany(c, 'client', route);
    await next();
  };
}

/** The per-site ceiling, once the body has named the site: a 429 response, or null to go on. */
export async function refuseOverSiteLimit(c: Context, env: Pick<Env, 'RL_SITE'>, route: PublicRoute, site: string): Promise<Response | null> {
  return (await allows(env.RL_SITE, `${route}:${site}`)) ? null : tooMany(c, 'site', route);
}

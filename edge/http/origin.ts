import type { Context } from 'hono';
import { jsonError } from './errors';

/** Whether a browser origin may read a site's decisions: the same origin as the edge, or one the site allows. */
export function originAllowed(origin: string, requestUrl: string, allowed: readonly string[] | null): boolean {
  if (allowed === null) return true;
  if (origin === new URL(requestUrl).origin) return true;
  return allowed.some((pattern) => {
    if (!pattern.endsWith(':*')) return pattern === origin;
    const base = pattern.slice(0, -2);
    return origin === base || (origin.startsWith(`${base}:`) && /^\d{1,5}$/.test(origin.slice(base.length + 1)));
  });
}

/** The CORS headers that let an accepted page read the answer. */
export function allowOrigin(c: Context): void {
  const origin = c.req.header('origin');
  c.header('Vary', 'Origin');
  if (origin !== undefined) c.header('Access-Control-Allow-Origin', origin);
}

/** The 403 for a page on an origin the site does not allow. */
export function refuseOrigin(c: Context, site: string): Response {
  c.header('Vary', 'Origin');
  const origin = c.req.header('origin') ?? '';
  return jsonError(c, 403, 'origin not allowed', [{ path: 'origin', message: `${origin.slice(0, 200)} is not an allowed origin of site "${site}"` }]);
}

/**
 * For a public route answering a browser page: a 403 when the page's Origin is not allowed for the
 * site, else null after setting the CORS headers that let the page read the answer.
 */
export function refuseForeignOrigin(c: Context, site: string, allowed: readonly string[] | null): Response | null {
  const origin = c.req.header('origin');
  if (origin !== undefined && !originAllowed(origin, c.req.url, allowed)) return refuseOrigin(c, site);
  allowOrigin(c);
  return null;
}

/** The 204 that lets `origin` make the cross-origin request it asked about (a CORS preflight). */
export function allowPreflight(c: Context, origin: string, methods: string, headers: string, maxAgeSeconds: number): Response {
  c.header('Access-Control-Allow-Origin', origin);
  c.header('Access-Control-Allow-Methods', methods);
  c.header('Access-Control-Allow-Headers', headers);
  c.header('Access-Control-Max-Age', String(maxAgeSeconds));
  c.header('Vary', 'Origin');
  return c.body(null, 204);
}

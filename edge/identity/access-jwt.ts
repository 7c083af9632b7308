import { Hono } from 'hono';
import { jwk } from 'hono/jwk';
import type { HonoJsonWebKey } from 'hono/utils/jwt/jws';
import { decodeHeader } from 'hono/utils/jwt/jwt';

/**
 * Cloudflare Access in front of the admin: every request it lets through carries the user's signed
 * application token in `Cf-Access-Jwt-Assertion`. It is verified with Hono's `jwk` middleware
 * against the team's public keys (`<team domain>/cdn-cgi/access/certs`), the team domain as issuer
 * and the application's AUD tag as audience; only RS256 (what Access signs with) is accepted.
 */
export interface AccessConfig {
  /** e.g. `https://your-team.cloudflareaccess.com` */
  teamDomain: string;
  aud: string;
}

export function accessConfig(env: { ACCESS_TEAM_DOMAIN?: string; ACCESS_AUD?: string }): AccessConfig | null {
  const teamDomain = env.ACCESS_TEAM_DOMAIN?.trim().replace(/\/+$/, '');
  const aud = env.ACCESS_AUD?.trim();
  return teamDomain && aud ? { teamDomain, aud } : null;
}

const KEYS_TTL_MS = 10 * 60_000;
/** A token naming a key we do not hold refetches the certs (Access rotates keys), at most this often. */
const REFETCH_MIN_MS = 30_000;
const FETCH_BUDGET_MS = 3_000;

let cached: { url: string; keys: HonoJsonWebKey[]; at: number } | null = null;

async function fetchKeys(url: string): Promise<HonoJsonWebKey[]> {
  const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_BUDGET_MS) });
  if (!res.ok) throw new Error(`Access certs answered ${res.status}`);
  const body = (await res.json()) as { keys?: unknown };
  if (!Array.isArray(body.keys)) throw new Error('Access certs: no "keys"');
  return body.keys as HonoJsonWebKey[];
}

/** The team's keys, from this isolate's cache while fresh and while they know the token's `kid`. */
async function keysFor(url: string, kid: string | undefined, now = Date.now()): Promise<HonoJsonWebKey[]> {
  const fresh = cached?.url === url && now - cached.at < KEYS_TTL_MS;
  const knowsKid = cached?.keys.some((k) => k.kid === kid) ?? false;
  if (cached && fresh && (knowsKid || now - cached.at < REFETCH_MIN_MS)) return cached.keys;
  try {
    cached = { url, keys: await fetchKeys(url), at: now };
  } catch (err) {
    console.error('Access: team certs unavailable', err);
    if (cached?.url === url) return cached.keys;
    return [];
  }
  return cached.keys;
}

export type AccessClaims = { email: string; sub?: string };

/** The verified claims of an Access token, or null: bad signature, wrong issuer or audience, expired, unknown key, any other alg. */
export async function verifyAccessJwt(token: string, config: AccessConfig): Promise<AccessClaims | null> {
  let kid: string | undefined;
  try {
    kid = decodeHeader(token).kid as string | undefined;
  } catch {
    return null;
  }
  const certs = `${config.teamDomain}/cdn-cgi/access/certs`;
  // The middleware reads `Authorization: Bearer`; Access sends the bare token in its own header, so the
  // check runs as its own tiny app on a request that carries the token the way the middleware expects.
  const verifier = new Hono<{ Variables: { jwtPayload: Record<string, unknown> } }>();
  verifier.use('*', jwk({ keys: () => keysFor(certs, kid), alg: ['RS256'], verification: { iss: config.teamDomain, aud: config.aud } }));
  verifier.get('*', (c) => c.json(c.get('jwtPayload')));
  verifier.onError(() => new Response(null, { status: 401 }));
  const res = await verifier.request('/', { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) return null;
  const claims = (await res.json()) as Record<string, unknown>;
  // Service tokens carry no e-mail (their `common_name` is the client id): they name no member.
  if (typeof claims.email !== 'string' || !claims.email) return null;
  return { email: claims.email.toLowerCase(), ...(typeof claims.sub === 'string' && { sub: claims.sub }) };
}

/** For tests: forget the cached keys. */
export function forgetAccessKeys(): void {
  cached = null;
}

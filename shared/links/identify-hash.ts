import { equalInConstantTime, hmacHex } from '../crypto/hmac';

/**
 * Verified identify, the pattern chat widgets call identity verification: the customer's own server,
 * which knows who signed in, computes `hash = HMAC-SHA256(identify secret, company domain)` in hex and
 * the page calls `pz('identify', { domain: 'acme.com~' + hash })` (the snippet passes the value through
 * as it is, so this costs it no bytes). The identify secret is per site, derived from the edge's
 * signing key, and shown to the site's admins (GET /api/admin/sites/:site/identify-secret).
 */

export const identifySecret = (signingSecret: string, site: string): Promise<string> => hmacHex(signingSecret, `pz-identify-1|${site}`);

/** What the customer's server computes for `domain` (lowercased). */
export const identifyHash = (secret: string, domain: string): Promise<string> => hmacHex(secret, domain.trim().toLowerCase());

const HASHED = /^([^~]+)~([0-9a-f]{64})$/;

/** An identify's domain, and whether its hash proves it (`verified`), is wrong (`invalid`) or absent. */
export async function readIdentify(value: string, site: string, signingSecret: string | null): Promise<{ domain: string; hash: 'verified' | 'invalid' | 'none' }> {
  const text = value.trim().toLowerCase();
  const parts = HASHED.exec(text);
  if (!parts) return { domain: text.split('~')[0]!, hash: text.includes('~') ? 'invalid' : 'none' };
  const [, domain, hash] = parts as unknown as [string, string, string];
  if (signingSecret === null) return { domain, hash: 'invalid' };
  const ok = equalInConstantTime(hash, await identifyHash(await identifySecret(signingSecret, site), domain));
  return { domain, hash: ok ? 'verified' : 'invalid' };
}

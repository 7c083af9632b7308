/**
 * Signed ABM links: `?pz_account=<domain>~<expiry>~<campaign>~<signature>`, e.g.
 * `?pz_account=acme.com~tk3a9c~q4-webinar~mfrgg2lbnfxgc3tfm5xxe2lbmvzxi3lp`.
 *
 * - expiry: epoch seconds in base 36; campaign: optional (`acme.com~tk3a9c~~<signature>` without);
 * - signature: HMAC-SHA256 over `pz-link-1|<site>|<domain>|<expiry>|<campaign>`, its first 20 bytes
 *   (160 bits) in lowercase base32.
 *
 * Everything is lowercase on purpose: the snippet remembers the parameter as it remembers an unsigned
 * link (lowercased), so a signed link needs no snippet code at all. The domain stays readable (the link
 * names it anyway); the signature makes it unforgeable and binds it to one site. Runs in the Worker and
 * in Node (Web Crypto).
 */

import { equalInConstantTime, hmacBase32 } from '../crypto/hmac';

export interface LinkClaims {
  domain: string;
  /** Epoch seconds after which the link is ignored. */
  exp: number;
  campaign?: string;
}

/** What a `pz_account` value is: a plain domain, a valid signed link, or a signed link to ignore (and why). */
export type LinkParam =
  | { kind: 'unsigned'; domain: string }
  | { kind: 'signed'; claims: LinkClaims }
  | { kind: 'invalid'; reason: 'link-invalid' | 'link-expired' };

const SEPARATOR = '~';
const SIGNATURE_BYTES = 20;
const CAMPAIGN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const DOMAIN = /^[a-z0-9.-]{1,253}$/;
const EXPIRY = /^[0-9a-z]{1,10}$/;
const SIGNATURE = /^[a-z2-7]{32}$/;

const signature = (secret: string, site: string, domain: string, expiry: string, campaign: string) =>
  hmacBase32(secret, `pz-link-1|${site}|${domain}|${expiry}|${campaign}`, SIGNATURE_BYTES);

/**
 * Links whose signature this isolate has checked: a visitor's every page view carries the same one
 * (the snippet remembers it). Bounded; only valid signatures are kept, so junk cannot fill it.
 */
const verified = new Set<string>();
const VERIFIED_MAX = 5_000;

/** The `pz_account` value of a signed link to `claims.domain` for `site`. */
export async function signLink(secret: string, site: string, claims: LinkClaims): Promise<string> {
  const domain = claims.domain.toLowerCase();
  const campaign = claims.campaign?.toLowerCase() ?? '';
  if (!DOMAIN.test(domain)) throw new Error(`not a domain: ${claims.domain}`);
  if (campaign && !CAMPAIGN.test(campaign)) throw new Error(`campaign must be 1-64 of a-z, 0-9, - and _: ${claims.campaign}`);
  const expiry = Math.floor(claims.exp).toString(36);
  return [domain, expiry, campaign, await signature(secret, site, domain, expiry, campaign)].join(SEPARATOR);
}

/**
 * Reads a `pz_account` value (from the page URL or remembered by the snippet): without `~` it is an
 * unsigned domain; with it, a signed link that must carry a valid signature for `site` (null secret:
 * none can) and not have expired at `nowSeconds`.
 */
export async function readLinkParam(value: string, site: string, secret: string | null, nowSeconds: number): Promise<LinkParam> {
  const text = value.trim().toLowerCase();
  if (!text.includes(SEPARATOR)) return { kind: 'unsigned', domain: text };
  const parts = text.split(SEPARATOR);
  if (parts.length !== 4 || secret === null) return { kind: 'invalid', reason: 'link-invalid' };
  const [domain, expiry, campaign, sig] = parts as [string, string, string, string];
  if (!DOMAIN.test(domain) || !EXPIRY.test(expiry) || (campaign !== '' && !CAMPAIGN.test(campaign)) || !SIGNATURE.test(sig)) return { kind: 'invalid', reason: 'link-invalid' };
  const memo = `${secret}|${site}|${text}`;
  if (!verified.has(memo)) {
    if (!equalInConstantTime(sig, await signature(secret, site, domain, expiry, campaign))) return { kind: 'invalid', reason: 'link-invalid' };
    if (verified.size >= VERIFIED_MAX) verified.delete(verified.values().next().value!);
    verified.add(memo);
  }
  const exp = parseInt(expiry, 36);
  if (!(exp > nowSeconds)) return { kind: 'invalid', reason: 'link-expired' };
  return { kind: 'signed', claims: { domain, exp, ...(campaign && { campaign }) } };
}

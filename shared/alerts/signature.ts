import { equalInConstantTime, hmacHex } from '../crypto/hmac';

/**
 * The JSON webhook's signature, the scheme Stripe and Slack use for theirs: the edge sends
 *
 *   X-PZ-Timestamp: <unix seconds when this attempt was sent>
 *   X-PZ-Signature: v1=<hex HMAC-SHA256(alert signing secret, timestamp + "." + raw body)>
 *   X-PZ-Alert-Id:  <the alert's id, the same on every retry>
 *
 * and a receiver recomputes the HMAC over the raw body it received, compares in constant time, refuses
 * a timestamp more than 5 minutes from its clock (a captured request replayed later), and ignores an
 * alert id it already handled (a retry after a lost answer). The secret is per site, derived from the
 * edge's signing key (alertSigningSecret), shown to owners by GET /api/admin/sites/:site/alerts/secret.
 */

export const SIGNATURE_VERSION = 'v1';
/** How old a timestamp a receiver should accept, as this module's verify does. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export const alertSigningSecret = (signingKey: string, site: string): Promise<string> => hmacHex(signingKey, `pz-alerts-1|${site}`);

export async function signWebhook(secret: string, body: string, timestampSeconds: number): Promise<{ timestamp: string; signature: string }> {
  const timestamp = String(Math.floor(timestampSeconds));
  return { timestamp, signature: `${SIGNATURE_VERSION}=${await hmacHex(secret, `${timestamp}.${body}`)}` };
}

export type Verified = { ok: true } | { ok: false; reason: 'malformed' | 'bad-signature' | 'too-old' | 'in-the-future' };

/** What a receiver does (the README gives the same in Node): signature over `timestamp.body`, then the timestamp's age. */
export async function verifyWebhook(
  secret: string,
  body: string,
  headers: { timestamp: string | null; signature: string | null },
  nowSeconds: number,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): Promise<Verified> {
  const ts = headers.timestamp ?? '';
  if (!/^\d{1,12}$/.test(ts) || !headers.signature) return { ok: false, reason: 'malformed' };
  const given = headers.signature
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith(`${SIGNATURE_VERSION}=`))
    .map((part) => part.slice(SIGNATURE_VERSION.length + 1));
  const expected = await hmacHex(secret, `${ts}.${body}`);
  if (!given.some((sig) => equalInConstantTime(sig, expected))) return { ok: false, reason: 'bad-signature' };
  const age = nowSeconds - Number(ts);
  if (age > toleranceSeconds) return { ok: false, reason: 'too-old' };
  if (age < -toleranceSeconds) return { ok: false, reason: 'in-the-future' };
  return { ok: true };
}

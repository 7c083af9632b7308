import { equalInConstantTime, hmacBase32 } from '../crypto/hmac';
import type { Measure } from '../schemas';

/**
 * Measurement tokens: the decide answer's `measure.token`, which the snippet echoes in every event of
 * that decision. `<expiry, base-36 epoch seconds>.<signature>`: HMAC-SHA256 over the site, the visitor
 * id, the segment, the arm, the version, the account (the unit the holdout was drawn for, when it is
 * an account) and the expiry, its first 128 bits in lowercase base32. POST /v1/events counts an event
 * only when its token was signed by the edge for exactly that site, visitor and measure, and has not
 * expired: a made-up account, arm or version fails. Tokens can still be had by calling decide, so
 * forging at scale costs one rate-limited decide per unit (README: Measurement integrity).
 */

/** How long a decision's events count: a session's remembered decision is reused for hours. */
export const MEASURE_TOKEN_TTL_S = 24 * 3600;
const SIGNATURE_BYTES = 16;
const TOKEN = /^([0-9a-z]{1,10})\.([a-z2-7]{26})$/;

export type MeasureFacts = { site: string; visitor: string; measure: Omit<Measure, 'token'> };

const message = ({ site, visitor, measure }: MeasureFacts, expiry: string) =>
  `pz-measure-1|${site}|${visitor}|${measure.segment}|${measure.arm}|${measure.version}|${measure.account ?? ''}|${expiry}`;

export async function signMeasure(secret: string, facts: MeasureFacts, nowSeconds: number): Promise<string> {
  const expiry = (Math.floor(nowSeconds) + MEASURE_TOKEN_TTL_S).toString(36);
  return `${expiry}.${await hmacBase32(secret, message(facts, expiry), SIGNATURE_BYTES)}`;
}

export type MeasureCheck = { ok: true } | { ok: false; reason: string };

/** Whether `token` was signed for exactly these facts and is still valid at `nowSeconds`. */
export async function verifyMeasure(secret: string, token: string | undefined, facts: MeasureFacts, nowSeconds: number): Promise<MeasureCheck> {
  if (token === undefined) return { ok: false, reason: 'no measurement token: events must echo the decide answer’s measure' };
  const parts = TOKEN.exec(token);
  if (!parts) return { ok: false, reason: 'malformed measurement token' };
  const [, expiry, sig] = parts as unknown as [string, string, string];
  if (!equalInConstantTime(sig, await hmacBase32(secret, message(facts, expiry), SIGNATURE_BYTES)))
    return { ok: false, reason: 'measurement token does not match this site, visitor, segment, arm, version and account' };
  if (!(parseInt(expiry, 36) > nowSeconds)) return { ok: false, reason: 'measurement token expired' };
  return { ok: true };
}

import { EditClaims } from '../../shared/schemas';
import { base64url, fromBase64url } from '../decide/preview-token';

/**
 * Edit tokens: `base64url(claims JSON).base64url(HMAC-SHA256)`, like preview links, keyed with the
 * edge's signing secret. The MAC covers a prefix of its own, so no other token signed with the same
 * key (an ABM link, a measurement token, a preview link) can ever pass as an edit token.
 */

const encoder = new TextEncoder();
const PURPOSE = 'pz-edit\0';

const hmacKey = (secret: string) => crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);

export async function signEditToken(claims: EditClaims, secret: string): Promise<string> {
  const payload = base64url(encoder.encode(JSON.stringify(claims)));
  const mac = await crypto.subtle.sign('HMAC', await hmacKey(secret), encoder.encode(PURPOSE + payload));
  return `${payload}.${base64url(new Uint8Array(mac))}`;
}

export type EditTokenCheck = { ok: true; claims: EditClaims } | { ok: false; reason: string };

/** The claims of an unexpired token signed with `secret`, or why not. */
export async function verifyEditToken(token: string, secret: string, nowSeconds = Math.floor(Date.now() / 1000)): Promise<EditTokenCheck> {
  const invalid = { ok: false, reason: 'the edit token is invalid: open a new edit link from the admin' } as const;
  const [payload, sig, extra] = token.split('.');
  if (!payload || !sig || extra !== undefined) return invalid;
  const mac = fromBase64url(sig);
  // crypto.subtle.verify compares in constant time
  if (!mac || !(await crypto.subtle.verify('HMAC', await hmacKey(secret), mac, encoder.encode(PURPOSE + payload)))) return invalid;
  const json = fromBase64url(payload);
  if (!json) return invalid;
  let claims: ReturnType<typeof EditClaims.safeParse>;
  try {
    claims = EditClaims.safeParse(JSON.parse(new TextDecoder().decode(json)));
  } catch {
    return invalid;
  }
  if (!claims.success) return invalid;
  if (claims.data.exp <= nowSeconds) return { ok: false, reason: 'the edit token has expired: open a new edit link from the admin' };
  return { ok: true, claims: claims.data };
}

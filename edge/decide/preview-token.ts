import { PreviewClaims } from '../../shared/schemas';

/**
 * Preview links carry `base64url(claims JSON).base64url(HMAC-SHA256)`: anyone holding one sees the
 * draft it names until it expires, and nobody can make one without the key.
 */

const encoder = new TextEncoder();

export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    return Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}

const hmacKey = (secret: string) =>
  crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);

/**
 * The key preview links are signed with: PREVIEW_SECRET, else (outside production only) the admin
 * token; none → no previews. Production needs a key of its own, so that the admin credential is never
 * also what a link's signature is checked against.
 */
export const previewSecret = (env: { PREVIEW_SECRET?: string; ADMIN_TOKEN?: string; ENVIRONMENT?: string }) =>
  env.PREVIEW_SECRET || (env.ENVIRONMENT === 'production' ? null : env.ADMIN_TOKEN) || null;

export async function signPreview(claims: PreviewClaims, secret: string): Promise<string> {
  const payload = base64url(encoder.encode(JSON.stringify(claims)));
  const signature = await crypto.subtle.sign('HMAC', await hmacKey(secret), encoder.encode(payload));
  return `${payload}.${base64url(new Uint8Array(signature))}`;
}

/** The claims of a token signed with `secret` that has not expired at `nowSeconds`; null otherwise. */
export async function verifyPreview(token: string, secret: string, nowSeconds = Math.floor(Date.now() / 1000)): Promise<PreviewClaims | null> {
  const [payload, sig, extra] = token.split('.');
  if (!payload || !sig || extra !== undefined) return null;
  const signature = fromBase64url(sig);
  // crypto.subtle.verify compares in constant time
  if (!signature || !(await crypto.subtle.verify('HMAC', await hmacKey(secret), signature, encoder.encode(payload)))) return null;
  const json = fromBase64url(payload);
  if (!json) return null;
  try {
    const claims = PreviewClaims.safeParse(JSON.parse(new TextDecoder().decode(json)));
    return claims.success && claims.data.exp > nowSeconds ? claims.data : null;
  } catch {
    return null;
  }
}

/** A link issued before the site's revocation (or, without `iat`, made before revocation existed) is void. */
export const revokedPreview = (claims: PreviewClaims, revokedBefore: number) => (claims.iat ?? 0) < revokedBefore;

/** A link's `iat`: now, but never before the site's revocation (the SiteStore's clock may run ahead of this one). */
export const issuedAt = (nowSeconds: number, revokedBefore: number) => Math.max(nowSeconds, revokedBefore);

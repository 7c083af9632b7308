/**
 * API tokens for scripts and CI: `pzt_<id>_<secret>`. The id names the token in lists and logs; the
 * whole token is hashed (SHA-256, hex) and only the hash is stored, so the token is shown once.
 */
export const TOKEN_PREFIX = 'pzt_';

const hex = (bytes: ArrayBuffer | Uint8Array) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export async function hashToken(token: string): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)));
}

export function newToken(): { id: string; token: string } {
  const id = hex(crypto.getRandomValues(new Uint8Array(8)));
  return { id, token: `${TOKEN_PREFIX}${id}_${base64url(crypto.getRandomValues(new Uint8Array(32)))}` };
}

export const looksLikeApiToken = (token: string) => /^pzt_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/.test(token);

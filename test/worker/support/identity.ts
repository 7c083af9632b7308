import { inject } from 'vitest';
import { sign } from 'hono/jwt';
import { admin, adminJson } from './admin';
import './access-fixture';

const access = () => inject('access');

export type Claims = Record<string, unknown>;

const b64url = (text: string) => btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** An application token as Access issues it for `email`, signed with the stand-in team's key. */
export async function accessJwt(email: string, changes: Claims = {}): Promise<string> {
  const { teamDomain, aud, privateJwk } = access();
  const now = Math.floor(Date.now() / 1000);
  const claims = { aud: [aud], email, exp: now + 3600, iat: now, nbf: now, iss: teamDomain, type: 'app', identity_nonce: 'n', sub: crypto.randomUUID(), country: 'DE', ...changes };
  return sign(claims, privateJwk as unknown as Parameters<typeof sign>[1]);
}

/** The same claims, signed by a key pair the team never published (its `kid` is unknown to the certs). */
export async function jwtFromUnknownKey(email: string): Promise<string> {
  const { teamDomain, aud } = access();
  const pair = (await crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const jwk = { ...((await crypto.subtle.exportKey('jwk', pair.privateKey)) as JsonWebKey), kid: 'not-a-team-key', alg: 'RS256' };
  const now = Math.floor(Date.now() / 1000);
  return sign({ aud: [aud], email, exp: now + 3600, iat: now, iss: teamDomain }, jwk as Parameters<typeof sign>[1]);
}

/** Unsigned (`alg: none`) and HS256-signed forgeries of a valid token's claims. */
export async function forgeries(email: string) {
  const { teamDomain, aud, kid, privateJwk } = access();
  const now = Math.floor(Date.now() / 1000);
  const claims = { aud: [aud], email, exp: now + 3600, iat: now, iss: teamDomain };
  const none = `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT', kid }))}.${b64url(JSON.stringify(claims))}.`;
  // HS256 keyed with the team's public modulus: the classic confusion of an RSA public key for an HMAC secret.
  const hs256 = await sign({ ...claims }, privateJwk.n, 'HS256');
  const [, payload, signature] = hs256.split('.');
  const hs256WithKid = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid }))}.${payload}.${signature}`;
  return { none, hs256: hs256WithKid };
}

/** A valid token whose payload was changed after signing (another e-mail). */
export async function tampered(signedFor: string, claimed: string): Promise<string> {
  const [header, payload, signature] = (await accessJwt(signedFor)).split('.');
  const claims = JSON.parse(atob(payload!.replace(/-/g, '+').replace(/_/g, '/'))) as Claims;
  return `${header}.${b64url(JSON.stringify({ ...claims, email: claimed }))}.${signature}`;
}

/** An admin call as a signed-in Access user (no bearer token). */
export const asMember = async (email: string, method: string, path: string, body?: unknown) =>
  admin(method, path, body, { token: null, headers: { 'cf-access-jwt-assertion': await accessJwt(email) } });

export const withToken = (token: string, method: string, path: string, body?: unknown) => admin(method, path, body, { token });

/** Gives `email` a role on `site` (or `*`), as the bootstrap owner. */
export async function grant(email: string, site: string, role: string): Promise<void> {
  await adminJson('PUT', site === '*' ? `/members/${encodeURIComponent(email)}` : `/sites/${site}/members/${encodeURIComponent(email)}`, { role });
}

export async function certsFetches(): Promise<number> {
  const res = await fetch(`${access().teamDomain}/__fetches`);
  return ((await res.json()) as { fetches: number }).fetches;
}

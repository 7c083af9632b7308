/**
 * Who the admin believes: a Cloudflare Access token verified against the team's keys (hono/jwk), an
 * API token, or the bootstrap ADMIN_TOKEN. Headers that merely name someone are ignored.
 */
import { describe, expect, it } from 'vitest';
import { WhoAmI } from '../../shared/schemas';
import { admin } from './support/admin';
import { accessJwt, certsFetches, forgeries, jwtFromUnknownKey, tampered } from './support/identity';

const whoami = (headers: Record<string, string>) => admin('GET', '/whoami', undefined, { token: null, headers });
const asAccess = (jwt: string) => whoami({ 'cf-access-jwt-assertion': jwt });

async function refused(res: Response) {
  expect(res.status).toBe(401);
  expect(await res.json()).toMatchObject({ error: 'unauthorized', issues: [{ path: 'cf-access-jwt-assertion' }] });
}

describe('Cloudflare Access tokens', () => {
  it('accepts a token signed by the team, for the application, and names the user by its verified e-mail', async () => {
    const res = await asAccess(await accessJwt('Jane@Vendor.example'));
    expect(res.status).toBe(200);
    expect(WhoAmI.parse(await res.json())).toEqual({ name: 'jane@vendor.example', kind: 'access', grants: [] });
  });

  const now = () => Math.floor(Date.now() / 1000);
  it.each([
    ['expired', () => accessJwt('jane@vendor.example', { exp: now() - 60, iat: now() - 3600, nbf: now() - 3600 })],
    ['not yet valid', () => accessJwt('jane@vendor.example', { nbf: now() + 600 })],
    ['for another application (AUD)', () => accessJwt('jane@vendor.example', { aud: ['some-other-application-aud'] })],
    ['from another issuer', () => accessJwt('jane@vendor.example', { iss: 'https://attacker.cloudflareaccess.com' })],
    ['without an issuer', () => accessJwt('jane@vendor.example', { iss: undefined })],
    ['signed by a key the team never published (unknown kid)', () => jwtFromUnknownKey('jane@vendor.example')],
    ['unsigned (alg: none)', async () => (await forgeries('jane@vendor.example')).none],
    ['HS256 keyed with the public key', async () => (await forgeries('jane@vendor.example')).hs256],
    ['changed after signing', () => tampered('mallory@vendor.example', 'jane@vendor.example')],
    ['of a service token (no e-mail)', () => accessJwt('', { email: undefined, common_name: 'client-id.access' })],
    ['not a JWT', async () => 'not.a.jwt'],
  ])('refuses a token %s', async (_label, make) => {
    await refused(await asAccess(await make()));
  });

  it('ignores headers that only name someone', async () => {
    for (const headers of [{ 'cf-access-authenticated-user-email': 'ceo@vendor.example' }, { 'x-admin-user': 'ceo@vendor.example' }] as Record<string, string>[]) {
      const res = await whoami(headers);
      expect(res.status).toBe(401);
    }
  });

  it("fetches the team's keys once and verifies later tokens from the isolate's cache", async () => {
    await asAccess(await accessJwt('warm@vendor.example'));
    const before = await certsFetches();
    for (let i = 0; i < 5; i++) expect((await asAccess(await accessJwt(`user${i}@vendor.example`))).status).toBe(200);
    expect(await certsFetches()).toBe(before);
  });

  it('lets a bearer token win over an Access token (scripts behind an Access service token)', async () => {
    const res = await admin('GET', '/whoami', undefined, { headers: { 'cf-access-jwt-assertion': await accessJwt('jane@vendor.example') } });
    expect(WhoAmI.parse(await res.json())).toMatchObject({ kind: 'bootstrap', name: 'admin token', grants: [{ site: '*', role: 'owner' }] });
  });
});

import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import app from '../../edge/index';
import { kvKeys } from '../../shared/kv/keys';
import { admin, adminJson, configFor, createSite, uniqueSite } from './support/admin';
import { accounts } from './support/fixture';

const site = uniqueSite('auth');
const account = accounts[0]!;

/** Every admin route, with a body that would change something if it were let through. */
const routes: [method: string, path: string, body?: unknown][] = [
  ['GET', `/sites/${site}`],
  ['PUT', `/sites/${site}/draft`, { baseRevision: 1, config: configFor(site, { name: 'Hijacked' }) }],
  ['POST', `/sites/${site}/publish`, { baseRevision: 1 }],
  ['GET', `/sites/${site}/versions`],
  ['POST', `/sites/${site}/rollback`, { version: 1 }],
  ['GET', `/sites/${site}/segments/counts`],
  ['POST', `/sites/${site}/bootstrap`, {}],
  ['GET', `/sites/${site}/accounts?q=bank`],
  ['GET', `/sites/${site}/accounts/export`],
  ['POST', `/sites/${site}/accounts/import`, { rows: [{ domain: 'intruder.example', name: 'Intruder' }] }],
  ['GET', `/sites/${site}/accounts/${account.domain}`],
  ['PUT', `/sites/${site}/accounts/${account.domain}`, { ...account, name: 'Hijacked' }],
  ['DELETE', `/sites/${site}/accounts/${account.domain}`],
  ['GET', `/sites/${site}/accounts/${account.domain}/activity`],
  ['DELETE', `/sites/${site}/visitors/visitor-1234`],
  ['POST', `/sites/${site}/preview`, { segment: 'customers' }],
  ['POST', `/sites/${site}/preview/revoke`],
  ['GET', `/sites/${site}/read-copy`],
  ['POST', `/sites/${site}/read-copy/retry`],
  ['GET', `/report?site=${site}`],
  ['GET', `/report?site=${site}&format=csv`],
  ['GET', `/sites/${site}/identify-secret`],
  ['POST', `/sites/${site}/links`, { domains: [account.domain] }],
  ['GET', '/whoami'],
  ['GET', `/sites/${site}/members`],
  ['PUT', `/sites/${site}/members/intruder@evil.example`, { role: 'owner' }],
  ['DELETE', `/sites/${site}/members/intruder@evil.example`],
  ['GET', '/members'],
  ['PUT', '/members/intruder@evil.example', { role: 'owner' }],
  ['DELETE', '/members/intruder@evil.example'],
  ['GET', `/sites/${site}/tokens`],
  ['POST', `/sites/${site}/tokens`, { name: 'intruder', role: 'owner' }],
  ['DELETE', `/sites/${site}/tokens/0123456789abcdef`],
  ['GET', `/sites/${site}/audit`],
  ['GET', `/sites/${site}/tag-check`],
  ['POST', `/sites/${site}/archive`, { archived: true }],
  ['GET', '/sites'],
  ['POST', '/sites', { id: 'intruder-site', name: 'Intruder' }],
  ['GET', '/no-such-route'],
];

async function snapshot() {
  return {
    state: await adminJson('GET', `/sites/${site}`),
    versions: await adminJson('GET', `/sites/${site}/versions`),
    accounts: await adminJson('GET', `/sites/${site}/accounts`),
    kvAccount: await env.KV.get(kvKeys.account(site, account.domain)),
    intruder: await env.KV.get(kvKeys.account(site, 'intruder.example')),
    members: await adminJson('GET', `/sites/${site}/members`),
    everySite: await adminJson('GET', '/members'),
    tokens: await adminJson('GET', `/sites/${site}/tokens`),
  };
}

describe('admin authentication', () => {
  beforeAll(async () => {
    await createSite(site);
    await adminJson('PUT', `/sites/${site}/accounts/${account.domain}`, account);
  });

  it.each([
    ['no Authorization header', null],
    ['a wrong token', 'not-the-token'],
    ['the token with a suffix', 'test-admin-tokenX'],
    ['an empty token', ''],
  ])('answers 401 to every route with %s, and changes nothing', async (_label, token) => {
    const before = await snapshot();
    for (const [method, path, body] of routes) {
      const res = await admin(method, path, body, { token });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(await res.json()).toMatchObject({ error: 'unauthorized', issues: [{ path: 'authorization' }] });
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('accepts the token case-insensitively on the scheme only', async () => {
    const ok = await admin('GET', `/sites/${site}`, undefined, { token: null, headers: { authorization: 'bearer test-admin-token' } });
    expect(ok.status).not.toBe(401);
    const wrongCase = await admin('GET', `/sites/${site}`, undefined, { token: 'TEST-ADMIN-TOKEN' });
    expect(wrongCase.status).toBe(401);
  });

  it('is disabled (503), never open, when neither ADMIN_TOKEN nor Access is configured', async () => {
    const request = new Request(`https://edge.test/api/admin/sites/${site}`, { headers: { authorization: 'Bearer ' } });
    const res = await app.fetch(request, { ...env, ADMIN_TOKEN: undefined, PREVIEW_SECRET: undefined, ACCESS_TEAM_DOMAIN: undefined, ACCESS_AUD: undefined });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: 'admin disabled' });
  });

  it('refuses ADMIN_TOKEN once production turns the bootstrap credential off (BOOTSTRAP_TOKEN = "off")', async () => {
    const request = () => new Request(`https://edge.test/api/admin/sites/${site}`, { headers: { authorization: 'Bearer test-admin-token' } });
    expect((await app.fetch(request(), env)).status).toBe(200);
    const res = await app.fetch(request(), { ...env, BOOTSTRAP_TOKEN: 'off' });
    expect(res.status).toBe(401);
    // with neither the token nor Access, the admin is off rather than open
    expect((await app.fetch(request(), { ...env, BOOTSTRAP_TOKEN: 'off', ACCESS_AUD: undefined })).status).toBe(503);
  });

  it('is same-origin only and never cached', async () => {
    const res = await admin('GET', `/sites/${site}`, undefined, { headers: { origin: 'https://evil.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    const preflight = await admin('OPTIONS', `/sites/${site}/draft`, undefined, { token: null, headers: { origin: 'https://evil.example', 'access-control-request-method': 'PUT' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });
});

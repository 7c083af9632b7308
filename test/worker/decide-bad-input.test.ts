import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { ErrorBody } from '../../shared/schemas';
import { kvKeys } from '../../shared/kv/keys';
import { clearConfigCache } from '../../edge/kv/site-config';
import { ALLOWED_ORIGIN, SITE, page, post, seedFixture, signed } from './support/fixture';

beforeEach(seedFixture);

async function expectError(res: Response, status: number, path?: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/json');
  const body = ErrorBody.parse(await res.json());
  if (path) expect(body.issues?.map((i) => i.path)).toContain(path);
  return body;
}

describe('bad input is a 4xx naming the field, never a 500', () => {
  it('rejects malformed JSON', async () => {
    const body = await expectError(await post('/v1/decide', '{"site": "acme-test",'), 400, '(body)');
    expect(body.error).toBe('body is not valid JSON');
  });

  it('rejects invalid UTF-8', async () => {
    const res = await post('/v1/decide', new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) as unknown as string);
    await expectError(res, 400, '(body)');
  });

  it('rejects a missing site and a missing url', async () => {
    const body = await expectError(await post('/v1/decide', {}), 400);
    expect(body.issues?.map((i) => i.path).sort()).toEqual(['site', 'url']);
  });

  it('rejects wrong types and says which field', async () => {
    await expectError(await post('/v1/decide', { site: 42, url: page() }), 400, 'site');
    await expectError(await post('/v1/decide', { site: SITE, url: 'not a url' }), 400, 'url');
    await expectError(await post('/v1/decide', { site: SITE, url: page(), identity: { domain: 'x.com', source: 'guess' } }), 400, 'identity.source');
    await expectError(await post('/v1/decide', { site: SITE, url: page(), visitor: '<script>' }), 400, 'visitor');
  });

  it('rejects unknown fields, including prototype-pollution keys', async () => {
    await expectError(await post('/v1/decide', { site: SITE, url: page(), admin: true }), 400);
    await expectError(await post('/v1/decide', `{"site":"${SITE}","url":"${page()}","__proto__":{"polluted":1}}`), 400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects bodies over 16 KB', async () => {
    const big = { site: SITE, url: page(), referrer: 'x'.repeat(17 * 1024) };
    await expectError(await post('/v1/decide', big), 413, '(body)');
  });

  it('rejects non-object JSON bodies', async () => {
    await expectError(await post('/v1/decide', '[1,2,3]'), 400);
    await expectError(await post('/v1/decide', 'null'), 400);
  });

  it('answers 404 for an unknown site', async () => {
    await expectError(await post('/v1/decide', { site: 'nope', url: page() }), 404, 'site');
  });

  it('answers 403 for a browser origin the site does not allow', async () => {
    await expectError(await post('/v1/decide', { site: SITE, url: page() }, { headers: { origin: 'https://evil.example' } }), 403, 'origin');
  });
});

describe('CORS', () => {
  it('lets an allowed origin read the decision', async () => {
    const res = await post('/v1/decide', { site: SITE, url: page() }, { headers: { origin: ALLOWED_ORIGIN } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
  });

  it('accepts any port for a localhost:* pattern, but not another host', async () => {
    const ok = await post('/v1/decide', { site: SITE, url: page() }, { headers: { origin: 'http://localhost:5173' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    await expectError(await post('/v1/decide', { site: SITE, url: page() }, { headers: { origin: 'http://localhost.evil.example:80' } }), 403);
  });

  it('refuses a preflight from a foreign origin and answers one from an allowed origin', async () => {
    const { exports } = await import('cloudflare:workers');
    const preflight = (origin: string) =>
      exports.default.fetch(new Request(`https://edge.test/v1/decide?site=${SITE}`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } }));
    await expectError(await preflight('https://evil.example'), 403, 'origin');
    const ok = await preflight(ALLOWED_ORIGIN);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
  });
});

describe('broken data', () => {
  it('a corrupt account record does not break decisions for other accounts', async () => {
    await env.KV.put(kvKeys.account(SITE, 'bank.example'), '{"domain": "bank.example", "name": ');
    const broken = await post('/v1/decide', { site: SITE, url: page(`?pz_account=${await signed('bank.example')}`) });
    expect(broken.status).toBe(200);
    expect(await broken.json()).toMatchObject({ method: 'none', segment: null, changes: [] });
    const other = await post('/v1/decide', { site: SITE, url: page(`?pz_account=${await signed('client.example')}`) });
    expect(await other.json()).toMatchObject({ method: 'link', segment: { id: 'customers' } });
  });

  it('a corrupt IP bucket falls through to the organisation name', async () => {
    await env.KV.put(kvKeys.ipBucket(SITE, '4:192.0'), '[["oops"]]');
    const res = await post('/v1/decide', { site: SITE, url: page() }, { headers: { 'cf-connecting-ip': '192.0.2.1' }, cf: { asOrganization: 'Northwind Bank' } });
    expect(await res.json()).toMatchObject({ method: 'org', account: { domain: 'bank.example' } });
  });

  it('a corrupt site config answers the page as written, not an error', async () => {
    await env.KV.put(kvKeys.config(SITE), '{"site": 1}');
    clearConfigCache();
    const res = await post('/v1/decide', { site: SITE, url: page('?pz_account=bank.example') }, { headers: { origin: ALLOWED_ORIGIN } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ changes: [], segment: null, reason: 'site configuration unreadable' });
  });
});

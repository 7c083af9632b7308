/**
 * Verified identify: `pz('identify', { domain: 'acme.com~' + hash })` where the customer's server
 * computed hash = HMAC-SHA256(the site's identify secret, domain) (shared/links/identify-hash.ts). A
 * valid hash makes the identify `verified`, so it unlocks lifecycle segments; a wrong one, or one made
 * for another site, leaves it a claim and says so.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DecideResponse } from '../../shared/schemas';
import { admin, adminJson } from './support/admin';
import { SITE, page, post, seedFixture } from './support/fixture';

beforeAll(seedFixture);

async function identify(domain: string, site = SITE) {
  const res = await post('/v1/decide', { site, url: page(), identity: { domain, source: 'identify' } });
  expect(res.status).toBe(200);
  return DecideResponse.parse(await res.json());
}

/** What the customer's server does, written out with the platform's Web Crypto (not our module). */
async function serverHash(secret: string, domain: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(domain));
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

describe('verified identify', () => {
  it('the admin hands out the site identify secret; a hash made with it makes the identify verified and unlocks a lifecycle segment', async () => {
    const { secret } = await adminJson<{ secret: string; usage: string }>('GET', `/sites/${SITE}/identify-secret`);
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    // Loyal Client is a customer: the lifecycle segment needs more than a claim
    expect(await identify('client.example')).toMatchObject({ confidence: 'claimed', segment: { id: 'fintech' } });
    const verified = await identify(`client.example~${await serverHash(secret, 'client.example')}`);
    expect(verified).toMatchObject({ method: 'identify', confidence: 'verified', account: { domain: 'client.example' }, segment: { id: 'customers' } });
    expect(verified.reasons).toBeUndefined();
  });

  it('a wrong hash, or one for another domain or site, leaves the identify a claim and says so', async () => {
    const { secret } = await adminJson<{ secret: string }>('GET', `/sites/${SITE}/identify-secret`);
    for (const value of [
      `client.example~${'0'.repeat(64)}`,
      `client.example~${await serverHash(secret, 'bank.example')}`,
      `client.example~${await serverHash('another-sites-secret', 'client.example')}`,
      `client.example~${(await serverHash(secret, 'client.example')).slice(0, 40)}`,
    ]) {
      const d = await identify(value);
      expect(d, value).toMatchObject({ confidence: 'claimed', reasons: ['identify-hash-invalid'] });
      expect(d.segment?.id).not.toBe('customers');
    }
  });

  it('gives the identify secret only with the admin token, and a different one per site', async () => {
    expect((await admin('GET', `/sites/${SITE}/identify-secret`, undefined, { token: null })).status).toBe(401);
    const a = await adminJson<{ secret: string }>('GET', `/sites/${SITE}/identify-secret`);
    const b = await adminJson<{ secret: string }>('GET', '/sites/another-site/identify-secret');
    expect(a.secret).not.toBe(b.secret);
  });
});

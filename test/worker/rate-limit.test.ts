/**
 * Rate limits of the public routes (edge/http/rate-limit.ts) with a real Rate Limiting binding: the
 * Worker is handed RL_TEST_ONE (vitest.config.ts: 1 request per key per 10 s, enforced by local
 * workerd) as its per-client or per-site limiter. Every test uses addresses and sites of its own, since
 * the limiter's counters outlive a test.
 */
import { env } from 'cloudflare:workers';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../../edge/index';
import { clientKey } from '../../edge/http/rate-limit';
import { ErrorBody } from '../../shared/schemas';
import { page, seedFixture, SITE } from './support/fixture';

beforeAll(seedFixture);

let n = 0;
/** An address no other test uses. */
const freshIp = () => `198.51.${100 + (n >> 8)}.${n++ & 255}`;

async function call(path: '/v1/decide' | '/v1/events', body: unknown, ip: string, limiters: Partial<Cloudflare.Env>) {
  const ctx = createExecutionContext();
  const request = new Request(`https://edge.test${path}`, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'text/plain', 'cf-connecting-ip': ip },
  });
  const res = await worker.fetch(request, { ...env, ...limiters }, ctx);
  const text = await res.text();
  await waitOnExecutionContext(ctx);
  return { status: res.status, retryAfter: res.headers.get('retry-after'), text };
}

const decideBody = (site = SITE) => ({ site, url: page(), visitor: 'rate-limit-visitor' });
const eventsBody = (site = SITE) => ({ site, batch: crypto.randomUUID().replaceAll('-', ''), visitor: 'rate-limit-visitor', events: [] });

function expect429(answer: { status: number; retryAfter: string | null; text: string }, path: string) {
  expect(answer.status, answer.text).toBe(429);
  expect(answer.retryAfter).toBe('10');
  const body = ErrorBody.parse(JSON.parse(answer.text));
  expect(body.error).toBe('rate limited');
  expect(body.issues?.[0]?.path).toBe(path);
}

describe('per client', () => {
  it('answers 429 with Retry-After and a JSON error once a client is over its decide limit; another client goes on', async () => {
    const limiters = { RL_CLIENT: env.RL_TEST_ONE };
    const ip = freshIp();
    expect((await call('/v1/decide', decideBody(), ip, limiters)).status).toBe(200);
    expect429(await call('/v1/decide', decideBody(), ip, limiters), '(client)');
    expect((await call('/v1/decide', decideBody(), freshIp(), limiters)).status).toBe(200);
  });

  it('counts malformed requests too: the limit is checked before the body is read', async () => {
    const limiters = { RL_CLIENT: env.RL_TEST_ONE };
    const ip = freshIp();
    expect((await call('/v1/decide', '{"site":', ip, limiters)).status).toBe(400);
    expect429(await call('/v1/decide', decideBody(), ip, limiters), '(client)');
  });

  it('limits /v1/events per client separately from /v1/decide', async () => {
    const limiters = { RL_CLIENT: env.RL_TEST_ONE };
    const ip = freshIp();
    expect((await call('/v1/decide', decideBody(), ip, limiters)).status).toBe(200);
    // the first batch passes the limiter (and is refused for having no events), the second does not
    expect((await call('/v1/events', eventsBody(), ip, limiters)).status).toBe(400);
    expect429(await call('/v1/events', eventsBody(), ip, limiters), '(client)');
  });

  it('counts an IPv6 client by its /64: another address of the same network shares the limit, another network does not', async () => {
    const limiters = { RL_CLIENT: env.RL_TEST_ONE };
    const prefix = `2001:db8:${(n++).toString(16)}:1`;
    expect((await call('/v1/decide', decideBody(), `${prefix}::1`, limiters)).status).toBe(200);
    expect429(await call('/v1/decide', decideBody(), `${prefix}:ffff::2`, limiters), '(client)');
    expect((await call('/v1/decide', decideBody(), `2001:db8:${(n++).toString(16)}:2::1`, limiters)).status).toBe(200);
  });
});

describe('per site', () => {
  it('answers 429 once a site is over its ceiling, whichever client asks', async () => {
    const limiters = { RL_SITE: env.RL_TEST_ONE };
    const site = `rl-${crypto.randomUUID().slice(0, 8)}`;
    // an unknown site still counts against its own ceiling (404 first, then 429)
    expect((await call('/v1/decide', decideBody(site), freshIp(), limiters)).status).toBe(404);
    expect429(await call('/v1/decide', decideBody(site), freshIp(), limiters), 'site');
  });

  it('a flood on one site leaves another site answering', async () => {
    const limiters = { RL_SITE: env.RL_TEST_ONE };
    const flooded = `rl-${crypto.randomUUID().slice(0, 8)}`;
    await call('/v1/decide', decideBody(flooded), freshIp(), limiters);
    expect429(await call('/v1/decide', decideBody(flooded), freshIp(), limiters), 'site');
    expect((await call('/v1/decide', decideBody(), freshIp(), limiters)).status).toBe(200);
  });
});

describe('the limiter is protection, not a dependency', () => {
  it('a limiter that fails lets the request through', async () => {
    const failing = { limit: () => Promise.reject(new Error('limiter down')) } as unknown as RateLimit;
    const answer = await call('/v1/decide', decideBody(), freshIp(), { RL_CLIENT: failing, RL_SITE: failing });
    expect(answer.status, answer.text).toBe(200);
  });

  it('the development config (wrangler.toml top level) binds both limiters', () => {
    expect(typeof env.RL_CLIENT?.limit).toBe('function');
    expect(typeof env.RL_SITE?.limit).toBe('function');
  });
});

describe('clientKey', () => {
  it('keys IPv4 by address, IPv6 by /64, IPv4-mapped IPv6 as IPv4, anything else as unknown', () => {
    expect(clientKey('203.0.113.7')).toBe('4:cb007107');
    expect(clientKey('2001:db8:1:2:3:4:5:6')).toBe(clientKey('2001:db8:1:2::9'));
    expect(clientKey('2001:db8:1:2::9')).not.toBe(clientKey('2001:db8:1:3::9'));
    expect(clientKey('::ffff:203.0.113.7')).toBe('4:cb007107');
    expect(clientKey('not an ip')).toBe('unknown');
    expect(clientKey(null)).toBe('unknown');
  });
});

describe('the admin API', () => {
  it('has a per-client ceiling too, checked before any credential is looked at', async () => {
    const limiters = { RL_CLIENT: env.RL_TEST_ONE };
    const ip = freshIp();
    const call = async (token: string) => {
      const ctx = createExecutionContext();
      const request = new Request('https://edge.test/api/admin/whoami', { headers: { authorization: `Bearer ${token}`, 'cf-connecting-ip': ip } });
      const res = await worker.fetch(request, { ...env, ...limiters }, ctx);
      const text = await res.text();
      await waitOnExecutionContext(ctx);
      return { status: res.status, retryAfter: res.headers.get('retry-after'), text };
    };
    expect((await call(`pzt_${'0'.repeat(16)}_${'A'.repeat(43)}`)).status).toBe(401);
    // over the limit, even the right token waits: a flood of guesses never reaches the directory
    expect429(await call('test-admin-token'), '(client)');
  });
});

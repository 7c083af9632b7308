/**
 * The isolate cache in front of KV (edge/kv/cache.ts), and the order the decide route works in: what
 * KV reads a decision makes, counted through a KV binding that records them.
 */
import { env } from 'cloudflare:workers';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import worker from '../../edge/index';
import { BytePool, CACHE_TTL_MS, forget, isolateCache } from '../../edge/kv/cache';
import { DecideResponse } from '../../shared/schemas';
import { uniqueSite } from './support/admin';
import { behaviourConfig, seedSite } from './support/behaviour';
import { signed } from './support/fixture';

/** The real KV, recording every key read. */
function countingKv(): { kv: KVNamespace; reads: string[] } {
  const reads: string[] = [];
  const kv = {
    get: (key: string, type?: unknown) => {
      reads.push(key);
      return env.KV.get(key, type as 'text');
    },
  };
  return { kv: kv as unknown as KVNamespace, reads };
}

async function decide(kv: KVNamespace, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const ctx = createExecutionContext();
  const request = new Request('https://edge.test/v1/decide', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'text/plain', ...headers } });
  const res = await worker.fetch(request, { ...env, KV: kv }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** The pricing page through a signed ABM link to `account` (verified: its digest is read alongside its record). */
const url = async (site: string, account: string) => `https://www.vendor.example/pricing?pz_account=${await signed(account, site)}`;
/** The same with a plain `?pz_account=` anyone can type. */
const claim = (account: string) => `https://www.vendor.example/pricing?pz_account=${account}`;

beforeEach(() => forget());

describe('BytePool', () => {
  it('is bounded by bytes, dropping the least recently used first', () => {
    const pool = new BytePool(1000);
    pool.set('a', 'A', 200, 60_000, 0);
    pool.set('b', 'B', 200, 60_000, 0);
    pool.set('c', 'C', 200, 60_000, 0);
    expect(pool.get('a', 1)).toBe('A'); // a is now the most recently used
    pool.set('d', 'D', 200, 60_000, 1);
    pool.set('e', 'E', 200, 60_000, 1);
    pool.set('f', 'F', 200, 60_000, 1); // 1,200 bytes: b goes
    expect(pool.get('b', 2)).toBeUndefined();
    expect(pool.get('a', 2)).toBe('A');
    expect(pool.size.bytes).toBeLessThanOrEqual(1000);
  });

  it('expires entries after their TTL and never keeps one value over a quarter of the pool', () => {
    const pool = new BytePool(1000);
    pool.set('a', 'A', 100, 10, 0);
    expect(pool.get('a', 9)).toBe('A');
    expect(pool.get('a', 10)).toBeUndefined();
    pool.set('huge', 'H', 300, 60_000, 0);
    expect(pool.get('huge', 1)).toBeUndefined();
    expect(pool.size).toEqual({ entries: 0, bytes: 0 });
  });
});

describe('a hot account costs no KV read', () => {
  it('reads config, account and digest once, then answers from the isolate', async () => {
    const site = uniqueSite('cache');
    await seedSite(behaviourConfig(site));
    const { kv, reads } = countingKv();
    const first = DecideResponse.parse(await (await decide(kv, { site, url: await url(site, 'bank.example'), visitor: 'visitor-a1' })).json());
    expect(first.account?.domain).toBe('bank.example');
    // the digest is read alongside the account record, once the link named the domain
    expect(reads[0]).toBe(`config:${site}`);
    expect(reads.slice(1).sort()).toEqual([`acct:${site}:bank.example`, `act:${site}:bank.example`]);
    reads.length = 0;
    const again = DecideResponse.parse(await (await decide(kv, { site, url: await url(site, 'bank.example'), visitor: 'visitor-a1' })).json());
    expect(again.segment).toEqual(first.segment);
    expect(reads).toEqual([]);
  });

  it('made-up sites and domains never evict what exists', async () => {
    const site = uniqueSite('cache');
    await seedSite(behaviourConfig(site));
    const { kv, reads } = countingKv();
    const started = Date.now();
    await decide(kv, { site, url: await url(site, 'bank.example'), visitor: 'visitor-a1' });
    const knownBytes = isolateCache.known.size.bytes;
    // an adversary's flood of unknown sites and domains
    for (let i = 0; i < 300; i++) {
      await decide(kv, { site: `nosuchsite-${i}`, url: claim('bank.example') });
      await decide(kv, { site, url: claim(`nobody-${i}.example`) });
    }
    expect(isolateCache.known.size.bytes).toBe(knownBytes);
    reads.length = 0;
    await decide(kv, { site, url: await url(site, 'bank.example'), visitor: 'visitor-a1' });
    // nothing was evicted; only the digest's 5 s TTL may have run out if the flood took that long
    const expired = Date.now() - started >= CACHE_TTL_MS.digest ? [`act:${site}:bank.example`] : [];
    expect(reads).toEqual(expired);
  });
});

describe('POST /v1/decide checks before it works', () => {
  it('refuses a page on a foreign origin after reading only the site config', async () => {
    const site = uniqueSite('cache');
    await seedSite(behaviourConfig(site));
    const { kv, reads } = countingKv();
    const res = await decide(kv, { site, url: await url(site, 'bank.example'), visitor: 'visitor-a1' }, { origin: 'https://evil.example', 'cf-connecting-ip': '192.0.2.1' });
    expect(res.status).toBe(403);
    expect(reads).toEqual([`config:${site}`]);
  });
});

describe("the bench's uncached decisions", () => {
  it('read KV every time with x-pz-bench-cache: off where dev routes are on, and never in production', async () => {
    const site = uniqueSite('cache');
    await seedSite(behaviourConfig(site));
    const { kv, reads } = countingKv();
    const body = { site, url: await url(site, 'bank.example'), visitor: 'visitor-a1' };
    await decide(kv, body);
    reads.length = 0;
    await decide(kv, body, { 'x-pz-bench-cache': 'off' });
    expect(reads.sort()).toEqual([`acct:${site}:bank.example`, `act:${site}:bank.example`, `config:${site}`]);
    reads.length = 0;
    const ctx = createExecutionContext();
    const request = new Request('https://edge.test/v1/decide', { method: 'POST', body: JSON.stringify(body), headers: { 'x-pz-bench-cache': 'off' } });
    const res = await worker.fetch(request, { ...env, KV: kv, ENVIRONMENT: 'production', DEV_ROUTES: 'off' }, ctx);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(200);
    expect(reads).toEqual([]);
  });
});

import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { demoAccounts, demoSite } from '../../shared/demo/site';
import { buildKvEntries } from '../../shared/kv/entries';
import { AccountPage, DecideResponse, SiteState } from '../../shared/schemas';
import { clearConfigCache } from '../../edge/kv/site-config';
import { adminJson, uniqueSite } from './support/admin';
import { page, post } from './support/fixture';

/** What `scripts/seed.mjs` does for the demo, under a site id of this test's own. */
async function seedKv(site: string, accounts: unknown[]) {
  const { entries, rejected } = buildKvEntries(site, { ...demoSite, site }, accounts);
  expect(rejected).toEqual([]);
  for (let i = 0; i < entries.length; i += 50) await Promise.all(entries.slice(i, i + 50).map((e) => env.KV.put(e.key, e.value)));
}

type Bootstrap = { site: string; adopted: number; kept: number; unreadable: number; cursor: string | null };

async function bootstrapAll(site: string) {
  const calls: Bootstrap[] = [];
  let cursor: string | null | undefined;
  do {
    const result: Bootstrap = await adminJson('POST', `/sites/${site}/bootstrap`, cursor ? { cursor } : {});
    calls.push(result);
    cursor = result.cursor;
  } while (cursor);
  return calls;
}

describe('taking over a site the edge already serves', () => {
  it('adopts the seeded demo: its segments on first use, its 20 accounts on bootstrap', async () => {
    const site = uniqueSite('demo');
    await seedKv(site, demoAccounts);

    const state = SiteState.parse(await adminJson('GET', `/sites/${site}`));
    expect(state.draft.config.segments.map((s) => s.id)).toEqual(demoSite.segments.map((s) => s.id));
    expect(state).toMatchObject({ live: { version: demoSite.version, summary: 'adopted from the edge' }, unpublished: false });

    expect(await bootstrapAll(site)).toEqual([{ site, adopted: 20, kept: 0, unreadable: 0, cursor: null }]);
    expect(AccountPage.parse(await adminJson('GET', `/sites/${site}/accounts?limit=100`)).accounts).toHaveLength(20);
    const counts = (await adminJson('GET', `/sites/${site}/segments/counts`)) as { total: number; counts: Record<string, number> };
    expect(counts.total).toBe(20);
    expect(counts.counts.customers).toBeGreaterThan(0);

    // running it again takes nothing twice
    expect(await bootstrapAll(site)).toEqual([{ site, adopted: 0, kept: 20, unreadable: 0, cursor: null }]);
  });

  it('pages through large sites, and later edits keep the adopted ranges in their buckets', { timeout: 60_000 }, async () => {
    const site = uniqueSite('big');
    const accounts = Array.from({ length: 1200 }, (_, i) => ({ domain: `k${i}.example`, name: `Kept ${i}`, ipRanges: [`172.16.${i % 256}.${(i >> 8) * 16}/28`] }));
    await seedKv(site, accounts);
    await adminJson('GET', `/sites/${site}`);
    const calls = await bootstrapAll(site);
    expect(calls.length).toBeGreaterThan(1);
    expect(calls.reduce((n, c) => n + c.adopted, 0)).toBe(1200);

    // a new account in the same /16 bucket: the bucket is rewritten from the table, adopted ranges included
    await adminJson('POST', `/sites/${site}/accounts/import`, { rows: [{ domain: 'new.example', name: 'New', ipRanges: ['172.16.200.128/28'] }] });
    clearConfigCache();
    for (const [ip, domain] of [['172.16.7.3', 'k7.example'], ['172.16.200.130', 'new.example'], ['172.16.10.66', 'k1034.example']]) {
      const res = await post('/v1/decide', { site, url: page() }, { headers: { 'cf-connecting-ip': ip! } });
      expect(DecideResponse.parse(await res.json()).account?.domain, ip).toBe(domain);
    }
  });
});

/**
 * Company identification by an enrichment provider (edge/enrichment/), against stand-ins answering in
 * IPinfo's and Clearbit Reveal's documented shapes (test/support/enrichment-server.ts): matches become
 * accounts (imported or not), answers are cached (found and not found, in the isolate and in KV), the
 * network gate keeps consumer ISPs, carriers and hosting out, and no provider fault or delay ever fails
 * a decision or holds it past the budget.
 */
import { env, exports } from 'cloudflare:workers';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { buildKvEntries } from '../../shared/kv/entries';
import { parseIp } from '../../shared/resolve/ip';
import { DecideResponse, type EnrichmentConfig, SiteConfig } from '../../shared/schemas';
import { enrich, resetEnrichmentIsolate } from '../../edge/enrichment/lookup';
import { clearConfigCache } from '../../edge/kv/site-config';
import { CLEARBIT, IPINFO } from './support/enrichment-fixture';
import { accounts, page, siteConfig } from './support/fixture';

const CLEARBIT_SITE = 'enrich-clearbit';
const IPINFO_SITE = 'enrich-ipinfo';
const FUZZY_SITE = 'enrich-fuzzy';

async function seed(site: string, enrichment: EnrichmentConfig): Promise<void> {
  const config = SiteConfig.parse({ ...siteConfig, site, enrichment });
  const { entries } = buildKvEntries(site, config, accounts);
  await Promise.all(entries.map((e) => env.KV.put(e.key, e.value)));
}

interface Call {
  provider: string;
  ip: string;
}
/** The requests the stand-ins received since this test began. */
let seenBefore = 0;
const allCalls = async (): Promise<Call[]> => (await (await fetch(`${inject('enrichmentServer')}/__calls`)).json()) as Call[];
const calls = async (): Promise<Call[]> => (await allCalls()).slice(seenBefore);
const callsFor = async (ip: string) => (await calls()).filter((c) => c.ip === ip).length;

async function decide(site: string, ip: string | null, cf: Record<string, unknown> = {}) {
  const started = performance.now();
  const res = await exports.default.fetch(
    new Request('https://edge.test/v1/decide', {
      method: 'POST',
      body: JSON.stringify({ site, url: page() }),
      headers: { 'content-type': 'text/plain', ...(ip && { 'cf-connecting-ip': ip }) },
      cf,
    } as RequestInit),
  );
  expect(res.status).toBe(200);
  return { body: DecideResponse.parse(await res.json()), ms: performance.now() - started };
}

/** Waits (bounded) for the background lookups of `ip` to have reached the provider `count` times. */
async function providerSaw(ip: string, count: number): Promise<void> {
  for (let i = 0; i < 40 && (await callsFor(ip)) < count; i++) await new Promise((r) => setTimeout(r, 50));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeEach(async () => {
  await seed(CLEARBIT_SITE, { provider: 'clearbit', accept: 'exact' });
  await seed(IPINFO_SITE, { provider: 'ipinfo', accept: 'exact' });
  await seed(FUZZY_SITE, { provider: 'clearbit', accept: 'fuzzy' });
  clearConfigCache();
  resetEnrichmentIsolate();
  seenBefore = (await allCalls()).length;
  const cached = await env.KV.list({ prefix: 'enrich:' });
  await Promise.all(cached.keys.map((k) => env.KV.delete(k.name)));
});

describe('a provider’s company', () => {
  it('personalizes a company nobody imported from the provider’s fields (firmographic), as inferred', async () => {
    const { body } = await decide(CLEARBIT_SITE, CLEARBIT.newBank);
    expect(body).toMatchObject({
      method: 'enrichment',
      confidence: 'inferred',
      account: { domain: 'newco-bank.example', name: 'Newco Bank' },
      segment: { id: 'fintech' },
    });
    expect(body.changes[0]).toMatchObject({ slot: 'headline', content: { text: 'Compliance-ready analytics for Newco Bank' } });
  });

  it('puts the provider’s fields under an imported account’s own: what was imported wins', async () => {
    const { body } = await decide(CLEARBIT_SITE, CLEARBIT.imported);
    // imported: "Northwind Bank", Banking, 5,000 employees; the provider adds only the country it knows (GB)
    expect(body).toMatchObject({ method: 'enrichment', confidence: 'inferred', account: { domain: 'bank.example', name: 'Northwind Bank' }, segment: { id: 'fintech' } });
    expect(body.changes[0]).toMatchObject({ content: { text: 'Compliance-ready analytics for Northwind Bank' } });
  });

  it('reads IPinfo’s company (type business) the same way', async () => {
    const { body } = await decide(IPINFO_SITE, IPINFO.business);
    expect(body).toMatchObject({ method: 'enrichment', confidence: 'inferred', account: { domain: 'snow.example', name: 'Snowy Retail' }, segment: { id: 'snowflake' } });
  });

  it('counts a provider’s guess (Clearbit’s fuzzy) only where the site accepts guesses', async () => {
    expect((await decide(CLEARBIT_SITE, CLEARBIT.fuzzy)).body).toMatchObject({ method: 'none', account: null });
    resetEnrichmentIsolate();
    expect((await decide(FUZZY_SITE, CLEARBIT.fuzzy)).body).toMatchObject({ method: 'enrichment', account: { domain: 'maybe-bank.example' }, segment: { id: 'fintech' } });
  });

  it('never outranks the customer’s own IP ranges: an imported range resolves without asking the provider', async () => {
    const { body } = await decide(CLEARBIT_SITE, '198.51.100.9');
    expect(body).toMatchObject({ method: 'ip', account: { domain: 'client.example' } });
    expect(await callsFor('198.51.100.9')).toBe(0);
  });
});

describe('the cache in front of the provider', () => {
  it('asks once per address: later views read the isolate, a fresh isolate reads KV, for found and not found alike', async () => {
    for (let i = 0; i < 3; i++) expect((await decide(CLEARBIT_SITE, CLEARBIT.newBank)).body.method).toBe('enrichment');
    for (let i = 0; i < 3; i++) expect((await decide(CLEARBIT_SITE, CLEARBIT.unknown)).body.method).toBe('none');
    await sleep(100); // the KV writes run after the answer
    resetEnrichmentIsolate();
    expect((await decide(CLEARBIT_SITE, CLEARBIT.newBank)).body.method).toBe('enrichment');
    expect((await decide(CLEARBIT_SITE, CLEARBIT.unknown)).body.method).toBe('none');
    expect(await callsFor(CLEARBIT.newBank)).toBe(1);
    expect(await callsFor(CLEARBIT.unknown)).toBe(1);
    const found = await env.KV.getWithMetadata(`enrich:clearbit:${CLEARBIT.newBank}`);
    expect(JSON.parse(found.value!)).toMatchObject({ company: { domain: 'newco-bank.example', employees: 2500, industry: 'Banking', quality: 'exact' } });
    expect(JSON.parse((await env.KV.get(`enrich:clearbit:${CLEARBIT.unknown}`))!)).toEqual({ none: true });
  });

  it('keys IPv6 by its /64: two addresses of one network are one lookup', async () => {
    expect((await decide(CLEARBIT_SITE, CLEARBIT.v6a)).body).toMatchObject({ method: 'enrichment', account: { domain: 'newco-bank.example' } });
    expect((await decide(CLEARBIT_SITE, CLEARBIT.v6b)).body).toMatchObject({ method: 'enrichment', account: { domain: 'newco-bank.example' } });
    expect((await calls()).filter((c) => c.ip.startsWith('2600:1f18:1:2:'))).toHaveLength(1);
  });

  it('asks once for simultaneous views of one address', async () => {
    const views = await Promise.all(Array.from({ length: 5 }, () => decide(CLEARBIT_SITE, CLEARBIT.newBank)));
    expect(views.map((v) => v.body.method)).toEqual(Array(5).fill('enrichment'));
    expect(await callsFor(CLEARBIT.newBank)).toBe(1);
  });
});

describe('networks that are not a company', () => {
  it('gives no company to a consumer ISP, a VPN or hosting, whatever the provider names', async () => {
    for (const [site, ip] of [
      [CLEARBIT_SITE, CLEARBIT.isp],
      [IPINFO_SITE, IPINFO.isp],
      [IPINFO_SITE, IPINFO.vpn],
    ] as const) {
      const { body } = await decide(site, ip);
      expect(body, ip).toMatchObject({ method: 'none', account: null, segment: null, changes: [] });
      expect(body.reasons, ip).toContain('network-not-a-company');
    }
  });

  it('by the network list: a Comcast or AWS address is never sent to the provider, and its organisation name never matches', async () => {
    for (const asn of [7922, 16509]) {
      const ip = asn === 7922 ? '23.30.0.1' : '23.30.0.2';
      const { body } = await decide(CLEARBIT_SITE, ip, { asn, asOrganization: 'NORTHWIND BANK, N.A.' });
      expect(body, String(asn)).toMatchObject({ method: 'none', account: null });
      expect(body.reasons).toContain('network-not-a-company');
      expect(await callsFor(ip)).toBe(0);
    }
    // the same organisation name on a network not in the list is the company's own
    const business = await decide(CLEARBIT_SITE, '23.30.0.3', { asn: 64501, asOrganization: 'NORTHWIND BANK, N.A.' });
    expect(business.body).toMatchObject({ method: 'org', account: { domain: 'bank.example' } });
  });
});

describe('provider faults never fail a decision', () => {
  it('decides without a provider that answers 5xx, malformed, huge, not the documented object, or still queued, and says so', async () => {
    for (const ip of [CLEARBIT.serverError, CLEARBIT.malformed, CLEARBIT.huge, CLEARBIT.wrongShape, CLEARBIT.queued]) {
      const { body } = await decide(CLEARBIT_SITE, ip);
      expect(body, ip).toMatchObject({ method: 'none', account: null });
      expect(body.reasons, ip).toContain('enrichment-failed');
    }
  });

  it('after a 429, leaves the provider alone for its Retry-After: later views decide without asking', async () => {
    const first = await decide(CLEARBIT_SITE, CLEARBIT.rateLimited);
    expect(first.body.reasons).toContain('enrichment-rate-limited');
    const before = (await calls()).length;
    const later = await decide(CLEARBIT_SITE, CLEARBIT.newBank);
    expect(later.body).toMatchObject({ method: 'none', reasons: expect.arrayContaining(['enrichment-rate-limited']) });
    expect((await calls()).length).toBe(before);
    // IPinfo's own 429 body, too
    const ipinfo = await decide(IPINFO_SITE, IPINFO.rateLimited);
    expect(ipinfo.body.reasons).toContain('enrichment-rate-limited');
  });

  it('does not wait past the budget for a slow provider; its answer, cached in the background, serves the next view', async () => {
    const slow = await decide(CLEARBIT_SITE, CLEARBIT.slow);
    expect(slow.body).toMatchObject({ method: 'none', reasons: expect.arrayContaining(['enrichment-late']) });
    // the provider takes 600 ms; the decision waited 150 ms for it
    expect(slow.ms).toBeLessThan(500);
    await providerSaw(CLEARBIT.slow, 1);
    await sleep(800);
    const next = await decide(CLEARBIT_SITE, CLEARBIT.slow);
    expect(next.body).toMatchObject({ method: 'enrichment', account: { domain: 'newco-bank.example' } });
    expect(await callsFor(CLEARBIT.slow)).toBe(1);
  });

  it('never sends an address no provider can know: private, loopback, CGNAT, link-local, IPv4-mapped private, unparsable or missing', async () => {
    const before = (await calls()).length;
    for (const ip of ['10.1.2.3', '127.0.0.1', '100.64.0.1', '169.254.1.1', '192.168.1.1', '::1', 'fe80::1', 'fd00::1', '::ffff:10.0.0.1', 'not-an-ip', null]) {
      const { body } = await decide(CLEARBIT_SITE, ip);
      expect(body, String(ip)).toMatchObject({ method: 'none' });
      expect(body.reasons ?? [], String(ip)).not.toContain('enrichment-failed');
    }
    expect((await calls()).length).toBe(before);
  });
});

describe('enrich(), the lookup itself', () => {
  const deps = (over: Record<string, string | undefined> = {}) => ({
    kv: env.KV,
    env: { IPINFO_TOKEN: env.IPINFO_TOKEN, CLEARBIT_KEY: env.CLEARBIT_KEY, IPINFO_API: env.IPINFO_API, CLEARBIT_API: env.CLEARBIT_API, ...over },
    waitUntil: () => {},
  });

  it('asks nothing without the provider’s key', async () => {
    expect(await enrich(deps({ CLEARBIT_KEY: undefined }), { provider: 'clearbit', accept: 'exact' }, parseIp(CLEARBIT.newBank)!)).toEqual({ kind: 'skipped' });
  });

  it('fails, not throws, on a wrong key (IPinfo 403, Clearbit 401)', async () => {
    expect(await enrich(deps({ IPINFO_TOKEN: 'wrong' }), { provider: 'ipinfo', accept: 'exact' }, parseIp(IPINFO.business)!)).toEqual({ kind: 'failed' });
    expect(await enrich(deps({ CLEARBIT_KEY: 'wrong' }), { provider: 'clearbit', accept: 'exact' }, parseIp(CLEARBIT.newBank)!)).toEqual({ kind: 'failed' });
  });

  it('fails on a provider that cannot be reached', async () => {
    const outcome = await enrich(deps({ CLEARBIT_API: 'http://127.0.0.1:9' }), { provider: 'clearbit', accept: 'exact' }, parseIp('23.10.9.9')!);
    expect(outcome).toEqual({ kind: 'failed' });
  });
});

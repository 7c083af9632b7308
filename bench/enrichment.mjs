// What an enrichment provider costs (`node bench/enrichment.mjs`, or `npm run bench -- --only enrichment`):
// provider calls per 1,000 page views on a realistic mix of addresses (vendors bill per lookup, repeats
// included), and the decision's latency when the provider is asked (a cache miss) beside one answered
// from the cache (a hit), interleaved in one run. The provider is a stand-in on 127.0.0.1 answering in
// Clearbit Reveal's documented shape after a vendor-like 60 ms; the Worker is `wrangler dev`.
//
// The mix, per 1,000 page views (3 page views per visit on average, as B2B sites see):
// - 45 % from 40 company offices, Zipf-weighted (a few big accounts send most views), many visitors per address;
// - 35 % from home broadband and mobile, one address per visit (the provider says `isp`);
// - 10 % from cloud and VPN exits (the provider says `isp`/no company), shared by a few visitors;
// - 10 % from companies the provider does not know (404), one address per visit.
import { createServer } from 'node:http';
import { adminClient, publishSite, startWorker } from '../test/support/harness.mjs';
import { rng } from './seed-large.mjs';

const SITE = 'bench-enrich';
const TOKEN = 'bench-enrich-admin-token';
const PROVIDER_KEY = 'bench-clearbit-key';
const PROVIDER_MS = 60;

/** 1,000 page views' addresses, and what the stand-in answers for each. */
export function addressMix(views = 1000, seed = 7) {
  const rnd = rng(seed);
  const zipf = Array.from({ length: 40 }, (_, i) => 1 / (i + 1));
  const total = zipf.reduce((a, b) => a + b, 0);
  const office = () => {
    let x = rnd() * total;
    let i = 0;
    while ((x -= zipf[i]) > 0) i++;
    return `24.${10 + (i >> 4)}.${i & 15}.${1 + Math.floor(rnd() * 4)}`; // a few NAT addresses per office
  };
  const kinds = new Map();
  const list = [];
  let serial = 0;
  while (list.length < views) {
    const r = rnd();
    const visitLength = 1 + Math.floor(rnd() * 5); // 1-5 page views, 3 on average
    let ip;
    if (r < 0.45) (ip = office()), kinds.set(ip, 'company');
    else if (r < 0.8) (ip = `25.${(serial >> 16) & 255}.${(serial >> 8) & 255}.${serial++ & 255}`), kinds.set(ip, 'isp');
    else if (r < 0.9) (ip = `26.0.0.${1 + Math.floor(rnd() * 20)}`), kinds.set(ip, 'isp');
    else (ip = `27.${(serial >> 16) & 255}.${(serial >> 8) & 255}.${serial++ & 255}`), kinds.set(ip, 'unknown');
    for (let i = 0; i < visitLength && list.length < views; i++) list.push(ip);
  }
  return { list, kinds };
}

const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

export async function measureEnrichment({ views = 1000, pairs = 100 } = {}) {
  const { list, kinds } = addressMix(views);
  let calls = 0;
  let ispCalls = 0;
  const provider = createServer((req, res) => {
    const ip = new URL(req.url, 'http://x').searchParams.get('ip') ?? '';
    calls++;
    const kind = kinds.get(ip) ?? (ip.startsWith('28.') ? 'company' : 'unknown');
    if (kind === 'isp') ispCalls++;
    setTimeout(() => {
      if (req.headers.authorization !== `Bearer ${PROVIDER_KEY}`) return res.writeHead(401).end();
      if (kind === 'unknown') return res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { type: 'unknown_record', message: `Unknown IP address: ${ip}` } }));
      if (kind === 'isp') return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ip, fuzzy: false, domain: null, type: 'isp', company: null }));
      const n = ip.split('.').slice(1, 3).join('-');
      const company = { name: `Company ${n}`, domain: `company-${n}.example`, category: { industry: 'Banking' }, metrics: { employees: 2000, employeesRange: '1K-5K' }, geo: { countryCode: 'US' } };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ip, fuzzy: false, domain: company.domain, type: 'company', company }));
    }, PROVIDER_MS);
  });
  await new Promise((r) => provider.listen(0, '127.0.0.1', r));
  const worker = await startWorker({
    vars: { ADMIN_TOKEN: TOKEN, CLEARBIT_KEY: PROVIDER_KEY, CLEARBIT_API: `http://127.0.0.1:${provider.address().port}` },
  });
  try {
    await publishSite(adminClient(worker.origin, TOKEN), { id: SITE, name: 'Bench enrichment', allowedOrigins: ['https://www.bench.example'] }, (config) => ({
      ...config,
      enrichment: { provider: 'clearbit', accept: 'exact' },
      segments: [{ id: 'banks', name: 'Banks', priority: 10, holdout: 0, rule: { all: [{ field: 'account.industry', op: 'equals', value: 'Banking' }] } }],
      slots: [{ id: 'headline', type: 'text' }],
      variants: { banks: { headline: { type: 'text', text: 'Analytics for {{account.name}}' } } },
    }));
    const decide = async (ip) => {
      const t0 = performance.now();
      const res = await fetch(`${worker.origin}/v1/decide`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'cf-connecting-ip': ip },
        body: JSON.stringify({ site: SITE, url: 'https://www.bench.example/pricing' }),
      });
      const body = await res.json();
      return { ms: performance.now() - t0, method: body.method, segment: body.segment?.id ?? null };
    };
    // until the read copy serves the published config
    for (let i = 0; i < 100 && (await decide('28.0.0.1')).segment !== 'banks'; i++) await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 300));

    calls = 0;
    const outcomes = { enrichment: 0, none: 0 };
    for (const ip of list) {
      const d = await decide(ip);
      outcomes[d.method === 'enrichment' ? 'enrichment' : 'none']++;
    }
    const mixCalls = calls;
    // wrangler dev has no real request.cf, so the ASN gate cannot act here; on Cloudflare it keeps the
    // home, mobile and cloud addresses (`isp` above, networks in shared/resolve/networks.ts) from being sent
    const gatedPerThousand = Math.round(((mixCalls - ispCalls) * 1000) / list.length);
    const perThousand = Math.round((mixCalls * 1000) / list.length);
    const distinct = new Set(list).size;

    // latency: a fresh company address (the provider is asked) beside one just answered (the cache), interleaved
    const miss = [];
    const hit = [];
    for (let i = 0; i < pairs; i++) {
      const ip = `28.1.${i >> 8}.${i & 255}`;
      miss.push((await decide(ip)).ms);
      hit.push((await decide(ip)).ms);
    }
    return {
      views: list.length,
      distinctAddresses: distinct,
      providerCalls: mixCalls,
      callsPer1000Views: perThousand,
      callsPer1000ViewsWithAsnGate: gatedPerThousand,
      resolvedByProvider: outcomes.enrichment,
      providerMs: PROVIDER_MS,
      miss: { p50: pct(miss, 50), p95: pct(miss, 95) },
      hit: { p50: pct(hit, 50), p95: pct(hit, 95) },
    };
  } finally {
    await worker.stop();
    provider.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await measureEnrichment();
  const ms = (x) => `${x.toFixed(1)} ms`;
  console.log(`enrichment, ${r.views} page views from ${r.distinctAddresses} addresses (Clearbit Reveal stand-in answering in ${r.providerMs} ms):`);
  console.log(`  provider calls: ${r.providerCalls} (${r.callsPer1000Views} per 1,000 page views; ${r.callsPer1000ViewsWithAsnGate} where request.cf.asn gates ISP, mobile and cloud networks); resolved by the provider: ${r.resolvedByProvider}`);
  console.log(`  decision latency, provider asked (cache miss): p50 ${ms(r.miss.p50)} p95 ${ms(r.miss.p95)}`);
  console.log(`  decision latency, cached answer (hit):         p50 ${ms(r.hit.p50)} p95 ${ms(r.hit.p95)}`);
}

/**
 * `npm run bench` (bench/run.mjs runs this file in workerd through @cloudflare/vitest-plugin): what the
 * activity read path costs and writes, with the bench's own config (the demo's behavioural rules),
 * real local KV and Durable Objects, side by side in one run. Prints one `BENCH_RESULT <json>` line.
 *
 *   npx vitest run --config bench/vitest.bench.config.mts
 *
 * Local workerd has no network, so these are CPU and storage costs; docs/latency-model.md models the
 * network. Timers advance on I/O only in workerd, so times are per awaited call.
 */
import { env } from 'cloudflare:workers';
import { createExecutionContext, runInDurableObject, waitOnExecutionContext } from 'cloudflare:test';
import { it } from 'vitest';
import worker from '../../edge/index';
import { type ActivityKey, activityName } from '../../edge/activity/account-activity';
import { migrateActivity } from '../../edge/activity/activity-table';
import { readDigest } from '../../edge/activity/digest-store';
import { readActivity } from '../../edge/activity/client';
import { forget } from '../../edge/kv/cache';
import { activityPlan } from '../../shared/activity/plan';
import { demoAccounts, demoSite } from '../../shared/demo/site';
import { buildKvEntries } from '../../shared/kv/entries';
import { signLink } from '../../shared/links/signed-link';
import { DAY_MS } from '../../shared/measure/days';
import { SiteConfig } from '../../shared/schemas';

const results: Record<string, unknown> = {};
const stub = (key: ActivityKey) => env.ACCOUNT_ACTIVITY.getByName(activityName(key));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)]!;

async function seed(site: string, changes: Partial<SiteConfig> = {}): Promise<SiteConfig> {
  const config = SiteConfig.parse({ ...demoSite, site, allowedOrigins: ['https://www.bench.example'], ...changes });
  const { entries } = buildKvEntries(site, config, demoAccounts);
  await Promise.all(entries.map((e) => env.KV.put(e.key, e.value)));
  return config;
}

/** A page view from the site's own page (an allowed Origin and page URL: recorded), through a signed ABM link (counted for the account). */
async function pageView(site: string, domain: string, path: string, visitor: string) {
  const ctx = createExecutionContext();
  const link = await signLink('bench-link-secret', site, { domain, exp: Math.floor(Date.now() / 1000) + 3600 });
  const body = JSON.stringify({ site, url: `https://www.bench.example${path}?pz_account=${link}`, visitor });
  const started = performance.now();
  const res = await worker.fetch(new Request('https://edge.test/v1/decide', { method: 'POST', body, headers: { origin: 'https://www.bench.example' } }), env, ctx);
  await res.text();
  const ms = performance.now() - started;
  await waitOnExecutionContext(ctx);
  return ms;
}

async function digestWrites(site: string, domains: string[]): Promise<number> {
  let writes = 0;
  for (const domain of domains)
    writes += await runInDurableObject(stub({ site, domain }), (_, state) => {
      const row = state.storage.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'digest_writes'").toArray()[0];
      return Number(row?.value ?? 0);
    }).catch(() => 0);
  return writes;
}

// A B2B site's traffic: 40 % of page views on a page a rule counts (pricing, comparison), the rest not.
const PATHS = ['/pricing', '/', '/blog/post', '/vs/snowflake', '/docs/setup', '/about', '/pricing/teams', '/customers', '/careers', '/blog/other'];

it('digest writes per 1,000 page views: a burst, and views paced a second apart', { timeout: 180_000 }, async () => {
  const accounts = demoAccounts.slice(0, 20).map((a) => a.domain);
  // burst: 1,000 page views as fast as the Worker answers, 20 accounts in turn
  const burst = `wr-burst-${Date.now().toString(36)}`;
  await seed(burst);
  let started = Date.now();
  for (let i = 0; i < 1000; i++) await pageView(burst, accounts[i % accounts.length]!, PATHS[i % PATHS.length]!, `visitor-${i % 37}xx`);
  await new Promise((r) => setTimeout(r, 2_500)); // the writes that had to wait a second
  const burstSeconds = (Date.now() - started) / 1000;
  const burstWrites = await digestWrites(burst, accounts);
  // paced: every account views a page every ~1.1 s (the worst case for coalescing: each change may be written)
  const paced = `wr-paced-${Date.now().toString(36)}`;
  await seed(paced);
  const pacedAccounts = accounts.slice(0, 10);
  started = Date.now();
  for (let round = 0; round < 20; round++) {
    const roundStart = Date.now();
    for (const [k, domain] of pacedAccounts.entries()) await pageView(paced, domain, PATHS[(round + k) % PATHS.length]!, `visitor-${k}xx`);
    await new Promise((r) => setTimeout(r, Math.max(0, 1_100 - (Date.now() - roundStart))));
  }
  await new Promise((r) => setTimeout(r, 2_500));
  const pacedViews = 20 * pacedAccounts.length;
  const pacedWrites = await digestWrites(paced, pacedAccounts);
  results.writes = {
    burst: { views: 1000, accounts: accounts.length, seconds: burstSeconds, digestWrites: burstWrites, perThousandViews: burstWrites, maxAllowed: Math.ceil(burstSeconds) * accounts.length },
    paced: { views: pacedViews, accounts: pacedAccounts.length, digestWrites: pacedWrites, perThousandViews: (pacedWrites / pacedViews) * 1000 },
    countedShare: PATHS.filter((p) => /pricing|\/vs\//.test(p)).length / PATHS.length,
  };
});

it('the behaviour read: the digest in KV (this design) against an RPC to the activity object (the one before)', { timeout: 180_000 }, async () => {
  const site = `rd-${Date.now().toString(36)}`;
  const config = await seed(site);
  const { needs } = activityPlan(config);
  const key = { site, domain: 'full.example' };
  const now = Date.now();
  // a busy account: 5,000 views in the last 13 days, 40 people, 400 sessions
  await runInDurableObject(stub(key), (_, state) => {
    migrateActivity(state.storage.sql);
    for (let i = 0; i < 5000; i++)
      state.storage.sql.exec("INSERT INTO views (at, visitor, session, path, groups) VALUES (?, ?, ?, '/pricing', 'pricing')", now - (i * 13 * DAY_MS) / 5000, `visitor-${i % 40}`, `s${i % 400}`);
  });
  await stub(key).record({ key, at: now, visitor: 'visitor-x', path: '/vs/x', groups: ['comparison'], retentionDays: 90, needs });
  const rpc: number[] = [];
  const kvCold: number[] = [];
  const kvHit: number[] = [];
  for (let i = 0; i < 80; i++) {
    let t = performance.now();
    await readActivity(env.ACCOUNT_ACTIVITY, key, { now, windowDays: 30 });
    rpc.push(performance.now() - t);
    forget();
    t = performance.now();
    await readDigest(env.KV, key, needs, now);
    kvCold.push(performance.now() - t);
    t = performance.now();
    await readDigest(env.KV, key, needs, now);
    kvHit.push(performance.now() - t);
  }
  const digestBytes = (await env.KV.get(`act:${site}:full.example`))?.length ?? 0;
  const ms = (xs: number[]) => ({ median: median(xs.slice(10)), p90: p90(xs.slice(10)) });
  results.read = { views: 5001, rpcSummary: ms(rpc), digestKv: ms(kvCold), digestIsolateHit: ms(kvHit), digestBytes };
});

it('prints the results', () => {
  console.log(`BENCH_RESULT ${JSON.stringify(results)}`);
});

/**
 * Segment counts with behavioural rules in bounded memory: the accounts' views stay in their objects,
 * which answer digests a batch at a time; the counts are those of counting every account's whole
 * summary at once (how it was done before), and no RPC carries more than one batch of small digests.
 */
import { env } from 'cloudflare:workers';
import { runInDurableObject } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { COUNT_BATCH, segmentCountsWithActivity } from '../../edge/admin/activity-counts';
import { migrateActivity } from '../../edge/activity/activity-table';
import { digestOf } from '../../shared/activity/digest';
import { activityPlan } from '../../shared/activity/plan';
import { decide } from '../../shared/decision/decide';
import { type Account, SegmentCounts, type SiteConfig } from '../../shared/schemas';
import { adminJson, createSite, uniqueSite } from './support/admin';
import { DAY_MS, activity, behaviourConfig, summaryOf } from './support/behaviour';

const NOW = Date.now();
const ACTIVE = COUNT_BATCH + 5; // more than one batch
const accounts: Account[] = Array.from({ length: ACTIVE + 5 }, (_, i) => ({
  domain: `acct-${i}.example`,
  name: `Account ${i}`,
  industry: i % 2 ? 'Retail' : 'Banking',
  employees: 200 + i * 100,
}));
/** Indexed with activity but not (or no longer) imported accounts. */
const ghosts = ['ghost-1.example', 'ghost-2.example'];

/** The behaviour site plus rules that need all a digest can hold: 100 view times, 100 visitors, 100 sessions, first and last seen. */
function heavyConfig(site: string): SiteConfig {
  const base = behaviourConfig(site);
  const segment = (id: string, priority: number, all: unknown[]) => ({ id, name: id, kind: 'behavioural', priority, holdout: 0, rule: { all } });
  return behaviourConfig(site, {
    segments: [
      ...base.segments,
      segment('busy', 60, [{ op: 'views', min: 2000, days: 90 }]),
      segment('crowd', 61, [{ op: 'visitors', min: 120, days: 30 }]),
      segment('regular', 62, [{ op: 'sessions', min: 150, days: 90 }]),
      segment('engaged', 63, [{ op: 'engagement', min: 50, halfLifeDays: 7, group: 'docs' }, { op: 'first_seen', days: 80 }, { op: 'last_seen', days: 2 }]),
    ] as SiteConfig['segments'],
  });
}

/** Account i: i × 90 views (up to ~5,000) over 30 to 89 days, from up to 3i + 1 visitors, a session every 4th view. */
async function seedViews(site: string, domain: string, i: number) {
  await runInDurableObject(activity({ site, domain }), (_, state) => {
    const sql = state.storage.sql;
    migrateActivity(sql);
    const n = i * 90;
    const days = 30 + (i % 60);
    for (let k = 0; k < n; k++) {
      const at = NOW - Math.floor((k / n) * days * DAY_MS) - 60_000;
      const groups = k % 3 === 0 ? 'pricing' : k % 3 === 1 ? 'docs' : '';
      const path = groups ? `/${groups}/page-${k}` : '/';
      sql.exec('INSERT INTO views (at, visitor, session, path, groups) VALUES (?, ?, ?, ?, ?)', at, `visitor-${(k * 7) % (3 * i + 1)}-abcdefgh`, `session-${Math.floor(k / 4)}`, path, groups);
    }
  });
}

/** The counts as they were made before: every indexed account's whole summary in one place, each account decided once. */
async function countedAtOnce(config: SiteConfig, indexed: string[]) {
  const { needs, retentionDays } = activityPlan(config);
  const counts: Record<string, number> = Object.fromEntries(config.segments.map((s) => [s.id, 0]));
  for (const account of accounts) {
    const summary = indexed.includes(account.domain) ? await summaryOf({ site: config.site, domain: account.domain }, { now: NOW, windowDays: retentionDays }) : null;
    const { matched } = decide({
      config,
      resolution: { method: 'link', confidence: 'verified', account },
      visit: { path: '/' },
      activity: summary ? { status: 'ok', digest: digestOf(summary, needs) } : null,
      now: NOW,
      mode: 'explain',
    });
    for (const s of matched ?? []) counts[s.id]!++;
  }
  return counts;
}

type Call = { method: string; bytes: number };

/** The namespace, with the JSON size of every RPC's arguments (`sent`) and answer (`answered`) logged. */
function measured<N extends { getByName(name: string): unknown }>(ns: N, calls: Call[], side: 'sent' | 'answered'): N {
  const wrap = (stub: Record<string, (...args: unknown[]) => Promise<unknown>>) =>
    new Proxy({}, {
      get: (_, method: string) =>
        method === 'then'
          ? undefined
          : async (...args: unknown[]) => {
              const answer = await stub[method]!(...args);
              calls.push({ method, bytes: JSON.stringify(side === 'sent' ? args : answer).length });
              return answer;
            },
    });
  return { getByName: (name: string) => wrap(ns.getByName(name) as never) } as unknown as N;
}

const site = uniqueSite('counts');
const config = heavyConfig(site);
const indexed = [...accounts.slice(0, ACTIVE).map((a) => a.domain), ...ghosts];

beforeAll(async () => {
  await createSite(site, config);
  await adminJson('POST', `/sites/${site}/accounts/import`, { rows: accounts });
  for (const [i, domain] of indexed.entries()) await seedViews(site, domain, (i % ACTIVE) + 1);
  await runInDurableObject(env.SITE_STORE.getByName(site), (_, state) => {
    for (const domain of indexed) state.storage.sql.exec('INSERT INTO active_accounts (domain, last_seen) VALUES (?, ?)', domain, NOW);
  });
}, 120_000);

describe('segment counts with behavioural rules, a batch at a time', () => {
  it('count as counting every account’s whole summary at once did', async () => {
    const counts = SegmentCounts.parse(await adminJson('GET', `/sites/${site}/segments/counts`));
    expect(counts).toEqual({ counts: await countedAtOnce(config, indexed), total: accounts.length, activity: { accounts: indexed.length, unavailable: 0, truncated: false } });
    // the rules do split the accounts: a count of all or none would not show much
    for (const id of ['hot', 'busy', 'crowd', 'regular', 'engaged']) expect(counts.counts[id], id).toBeGreaterThan(0);
    for (const id of ['busy', 'crowd', 'regular']) expect(counts.counts[id], id).toBeLessThan(ACTIVE);
  });

  it(`send at most ${COUNT_BATCH} digests per RPC (under ${COUNT_BATCH} × 16 KB), where one RPC used to carry every account’s views`, async () => {
    const stores: Call[] = [];
    const objects: Call[] = [];
    const counts = await segmentCountsWithActivity(
      { ...env, SITE_STORE: measured(env.SITE_STORE, stores, 'sent'), ACCOUNT_ACTIVITY: measured(env.ACCOUNT_ACTIVITY, objects, 'answered') },
      site,
      NOW,
    );
    expect(counts).toEqual(SegmentCounts.parse(await adminJson('GET', `/sites/${site}/segments/counts`)));
    expect(stores.map((c) => c.method)).toEqual(['activityCountInputs', 'countWithActivity', 'countWithActivity', 'countWithoutActivity']);
    expect(objects.map((c) => c.method)).toEqual(indexed.map(() => 'countingDigest'));

    // before, the SiteStore got every indexed account's summary (its views) in one RPC
    const summaries = await Promise.all(indexed.map((domain) => activity({ site, domain }).summary({ now: NOW, windowDays: 90 })));
    const rawBytes = summaries.map((s) => JSON.stringify(s).length);
    const largestDigest = Math.max(...objects.map((c) => c.bytes));
    const largestCall = Math.max(...stores.map((c) => c.bytes));
    expect(Math.max(...rawBytes)).toBeGreaterThan(250_000);
    expect(largestDigest).toBeLessThan(16_000); // the bound activity-counts.ts states for such rules
    expect(largestCall).toBeLessThan(COUNT_BATCH * 16_000);
    expect(largestCall * 10).toBeLessThan(rawBytes.reduce((a, b) => a + b));
  });
});

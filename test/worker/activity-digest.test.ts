/**
 * The activity digest decisions read instead of the AccountActivity object: exact where a rule's
 * threshold is decided by the newest views, overlaid with this isolate's own views, written by the
 * object only when it changed and never more than once a second per key (KV's limit).
 */
import { env } from 'cloudflare:workers';
import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { digestKey } from '../../edge/activity/account-activity';
import { noteLocalView, readDigest } from '../../edge/activity/digest-store';
import { DIGEST_WRITE_INTERVAL_MS } from '../../edge/activity/publish-digest';
import { addViews, covers, digestOf, overlayViews } from '../../shared/activity/digest';
import { MAX_EXACT, needsOf } from '../../shared/activity/plan';
import { behaviourHolds } from '../../shared/rules/behaviour';
import { ActivityDigest, type ActivitySummary, type BehaviourCondition } from '../../shared/schemas';
import { uniqueSite } from './support/admin';
import { BEHAVIOUR_NEEDS, DAY_MS, HOUR_MS, activity, digestWritten, recordViews } from './support/behaviour';

const NOW = Date.UTC(2026, 5, 15);
const views = (times: number[], groups = ['pricing'], visitor = (i: number) => `visitor-${i}`): ActivitySummary => ({
  firstSeen: Math.min(...times),
  lastSeen: Math.max(...times),
  views: times.map((at, i) => ({ at, visitor: visitor(i), session: `s${i}`, groups })),
});

describe('digest: the numbers behavioural rules read', () => {
  it('stays small however many views there are: at most MAX_EXACT times per key, older ones per day', () => {
    const times = Array.from({ length: 5000 }, (_, i) => NOW - i * 10 * 60_000);
    const summary = views(times);
    const needs = needsOf([{ op: 'engagement', group: 'pricing', halfLifeDays: 7, min: 1 }]);
    const digest = digestOf(summary, needs);
    expect(digest.views.pricing!.t).toHaveLength(MAX_EXACT);
    expect(digest.views.pricing!.tail!.reduce((n, [, count]) => n + count, 0)).toBe(5000 - MAX_EXACT);
    expect(JSON.stringify(digest).length).toBeLessThan(4000);
    expect(ActivityDigest.safeParse(digest).success).toBe(true);
  });

  it('is exact for "at least min views" far beyond the exact list, when the newest views decide it', () => {
    const times = Array.from({ length: 500 }, (_, i) => NOW - i * HOUR_MS); // 500 views, one an hour
    const c = (min: number, days: number): BehaviourCondition => ({ op: 'views', group: 'pricing', min, days });
    const digest = digestOf(views(times), needsOf([c(3, 1)]));
    expect(digest.views.pricing!.t).toHaveLength(3);
    expect(behaviourHolds(c(3, 1), digest, NOW)).toBe(true);
    // 24 views in the last day, counted from the per-day totals beyond the three kept
    const wide = digestOf(views(times), needsOf([c(200, 14)]));
    expect(behaviourHolds(c(200, 14), wide, NOW)).toBe(true);
    expect(behaviourHolds(c(400, 14), wide, NOW)).toBe(false); // 14 days hold 336 views
  });

  it('adding views one at a time gives the digest a recount of every view gives (how the object keeps it)', () => {
    const needs = needsOf([
      { op: 'views', group: 'pricing', min: 3, days: 14 },
      { op: 'engagement', group: 'docs', halfLifeDays: 7, min: 2 },
      { op: 'visitors', min: 50, days: 7 },
      { op: 'sessions', min: 80, days: 30 },
      { op: 'first_seen', days: 30 },
      { op: 'last_seen', days: 1 },
    ]);
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const all: ActivitySummary['views'] = [];
    let digest = digestOf({ firstSeen: null, lastSeen: null, views: [] }, needs);
    for (let i = 0; i < 400; i++) {
      const view = {
        at: NOW - Math.floor(rand() * 60 * DAY_MS) * 1 - i, // any order, distinct times
        visitor: rand() < 0.1 ? '' : `visitor-${Math.floor(rand() * 30)}`,
        session: `s${Math.floor(rand() * 60)}`,
        groups: [['pricing'], ['docs'], ['pricing', 'docs'], []][Math.floor(rand() * 4)]!,
      };
      all.push(view);
      digest = addViews(digest, [view]);
      const times = all.map((v) => v.at);
      expect(digest).toEqual(digestOf({ firstSeen: Math.min(...times), lastSeen: Math.max(...times), views: all }, needs));
    }
    expect(digest.views.docs!.tail).toBeDefined(); // past the 100 kept exactly
  });

  it('knows when a digest was made for other rules', () => {
    const made = needsOf([{ op: 'views', group: 'pricing', min: 3, days: 14 }]);
    expect(covers(made, needsOf([{ op: 'views', group: 'pricing', min: 2, days: 7 }]))).toBe(true);
    expect(covers(made, needsOf([{ op: 'views', group: 'pricing', min: 5, days: 7 }]))).toBe(false);
    expect(covers(made, needsOf([{ op: 'views', group: 'docs', min: 1, days: 7 }]))).toBe(false);
    expect(covers(made, needsOf([{ op: 'last_seen', days: 7 }]))).toBe(false);
  });

  it('overlays views recorded after it, with their visitors, and ignores those it already has', () => {
    const needs = needsOf([{ op: 'views', group: 'pricing', min: 3, days: 7 }, { op: 'visitors', min: 2, days: 7 }]);
    const digest = digestOf(views([NOW - 2 * HOUR_MS], ['pricing'], () => 'visitor-a1'), needs);
    const three: BehaviourCondition = { op: 'views', group: 'pricing', min: 3, days: 7 };
    const two: BehaviourCondition = { op: 'visitors', min: 2, days: 7 };
    const overlaid = overlayViews(digest, [
      { at: NOW - 2 * HOUR_MS, groups: ['pricing'], visitor: 'visitor-a1' }, // already in the digest
      { at: NOW - HOUR_MS, groups: ['pricing'], visitor: 'visitor-a1' },
      { at: NOW - 60_000, groups: ['pricing'], visitor: 'visitor-b2' },
    ]);
    expect(overlaid.views.pricing!.t).toEqual([NOW - 60_000, NOW - HOUR_MS, NOW - 2 * HOUR_MS]);
    expect(behaviourHolds(three, digest, NOW)).toBe(false);
    expect(behaviourHolds(three, overlaid, NOW)).toBe(true);
    expect(behaviourHolds(two, overlaid, NOW)).toBe(true);
    expect(overlaid.visitors.seen).toHaveLength(2); // visitor-a1 once
  });
});

describe('the edge reads the digest, never the object', () => {
  it("sees this isolate's own views at once, before the object's write reaches KV", async () => {
    const key = { site: uniqueSite('dig'), domain: 'plain.example' };
    const needs = needsOf([{ op: 'views', group: 'pricing', min: 3, days: 14 }]);
    const now = Date.now();
    for (const i of [3, 2, 1]) noteLocalView(key, { at: now - i * 10_000, groups: ['pricing'], visitor: `visitor-${i}`, path: '/pricing' });
    const read = await readDigest(env.KV, key, needs, now);
    expect(read).toMatchObject({ status: 'ok' });
    expect(read && read.status === 'ok' && read.digest.views.pricing!.t).toHaveLength(3);
    expect(await env.KV.get(digestKey(key))).toBeNull(); // nothing was written: the views are this isolate's
  });
});

describe('the overlay counts views as the object does', () => {
  it('a page seen again after another page is a new view; the same page again straight after is not', async () => {
    const key = { site: uniqueSite('dig'), domain: 'plain.example' };
    const needs = needsOf([{ op: 'views', group: 'pricing', min: 3, days: 14 }]);
    const now = Date.now();
    const view = (ms: number, path: string, groups: string[]) => noteLocalView(key, { at: now - 10_000 + ms, groups, visitor: 'visitor-a1', path });
    view(0, '/pricing', ['pricing']);
    view(1000, '/docs/a', []);
    view(2000, '/pricing', ['pricing']); // after another page: counts
    view(2500, '/pricing', ['pricing']); // the same page again within 5 s: decided twice, one view
    const read = await readDigest(env.KV, key, needs, now);
    expect(read && read.status === 'ok' && read.digest.views.pricing!.t).toEqual([now - 8_000, now - 10_000]);
  });
});

describe('the object writes the digest', () => {
  it('only when it changed, and at most once a second per key (KV allows one write per second per key)', async () => {
    const key = { site: uniqueSite('dig'), domain: 'busy.example' };
    const stub = activity(key);
    const started = Date.now();
    let last = 0;
    let lastPricing = 0;
    // 40 views in a burst: pricing views change the digest, the /about views do not
    for (let i = 0; i < 40; i++) {
      last = Date.now();
      if (i % 2 === 0) lastPricing = last;
      await stub.record({ key, at: last, visitor: `visitor-${i}`, path: i % 2 ? '/about' : '/pricing', groups: i % 2 ? [] : ['pricing'], retentionDays: 90, needs: needsOf([{ op: 'views', group: 'pricing', min: 3, days: 14 }]) });
    }
    const digest = await digestWritten(key, last - 1_000_000); // the burst's first write
    expect(digest.views.pricing!.t.length).toBeGreaterThan(0);
    const final = await waitFor(async () => {
      const d = ActivityDigest.parse(JSON.parse((await env.KV.get(digestKey(key)))!));
      return d.views.pricing!.t[0] === lastPricing ? d : null; // includes the newest pricing view
    });
    expect(final.views.pricing!.t).toHaveLength(3);
    const writes = await runInDurableObject(stub, (_, state) => Number(state.storage.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'digest_writes'").one().value));
    const seconds = (Date.now() - started) / DIGEST_WRITE_INTERVAL_MS;
    expect(writes).toBeGreaterThanOrEqual(1);
    expect(writes).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
  });

  it('writes nothing for a site whose rules read no activity', async () => {
    const key = { site: uniqueSite('dig'), domain: 'quiet.example' };
    await recordViews(key, [{ at: Date.now() - HOUR_MS }], 90, null);
    expect(await env.KV.get(digestKey(key))).toBeNull();
  });

  it('expires with the views: a KV expiration of the retention plus a day', async () => {
    const key = { site: uniqueSite('dig'), domain: 'ttl.example' };
    await recordViews(key, [{ at: Date.now() - HOUR_MS }], 30, BEHAVIOUR_NEEDS);
    const { metadata, value } = await env.KV.getWithMetadata(digestKey(key));
    expect(value).not.toBeNull();
    const listed = await env.KV.list({ prefix: digestKey(key) });
    const expiration = listed.keys[0]!.expiration!;
    expect(expiration * 1000).toBeGreaterThan(Date.now() + 30 * DAY_MS);
    expect(expiration * 1000).toBeLessThanOrEqual(Date.now() + 31 * DAY_MS + 60_000);
    expect(metadata).toBeNull();
  });
});

async function waitFor<T>(probe: () => Promise<T | null>, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = await probe();
    if (found !== null) return found;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

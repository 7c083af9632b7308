import { env } from 'cloudflare:workers';
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { MAX_VIEWS, migrateActivity } from '../../edge/activity/activity-table';
import { uniqueSite } from './support/admin';
import { DAY_MS, HOUR_MS, activity, recordViews, summaryOf } from './support/behaviour';

const MINUTE_MS = 60_000;
const t0 = Date.UTC(2026, 0, 1);

const tables = (key: Parameters<typeof activity>[0]) =>
  runInDurableObject(activity(key), (_, state) => state.storage.sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('views', 'meta')").toArray().map((r) => r.name));

describe('AccountActivity: what a view records', () => {
  it('groups a visitor’s views into sessions split by 30 idle minutes, separately per visitor', async () => {
    const key = { site: uniqueSite('act'), domain: 'acme.example' };
    await recordViews(key, [
      { at: t0, visitor: 'visitor-a1', path: '/a' },
      { at: t0 + 29 * MINUTE_MS, visitor: 'visitor-a1', path: '/b' },
      { at: t0 + 30 * MINUTE_MS, visitor: 'visitor-b2', path: '/a' },
      { at: t0 + 60 * MINUTE_MS, visitor: 'visitor-a1', path: '/c' }, // 31 minutes after /b
    ]);
    const { views } = await summaryOf(key, { now: t0 + 2 * HOUR_MS, windowDays: 1 });
    const [a1, a2, b1, a3] = views.map((v) => v.session);
    expect(a1).toBe(a2);
    expect(new Set([a1, b1, a3]).size).toBe(3);
  });

  it('records the same page view decided twice (e.g. after identify) once', async () => {
    const key = { site: uniqueSite('act'), domain: 'acme.example' };
    const stub = activity(key);
    const view = { key, visitor: 'visitor-a1', path: '/pricing', groups: ['pricing'], retentionDays: 90 };
    expect(await stub.record({ ...view, at: t0 })).toBe(true);
    expect(await stub.record({ ...view, at: t0 + 1000 })).toBe(false);
    expect(await stub.record({ ...view, at: t0 + 2000, path: '/docs/a' })).toBe(true);
    expect(await stub.record({ ...view, at: t0 + 10_000 })).toBe(true); // a reload later is a view
    expect((await summaryOf(key, { now: t0 + HOUR_MS, windowDays: 1 })).views).toHaveLength(3);
  });

  it('answers first and last seen beyond the window, and only the window’s views', async () => {
    const key = { site: uniqueSite('act'), domain: 'acme.example' };
    await recordViews(key, [{ at: t0 }, { at: t0 + 20 * DAY_MS }, { at: t0 + 29 * DAY_MS, visitor: 'visitor-b2' }]);
    const summary = await summaryOf(key, { now: t0 + 30 * DAY_MS, windowDays: 14 });
    expect(summary).toMatchObject({ firstSeen: t0, lastSeen: t0 + 29 * DAY_MS });
    expect(summary.views.map((v) => v.at)).toEqual([t0 + 20 * DAY_MS, t0 + 29 * DAY_MS]);
  });

  it('creates no storage for a read, and refuses another key', async () => {
    const key = { site: uniqueSite('act'), visitor: 'visitor-q1' };
    expect(await summaryOf(key, { now: t0, windowDays: 14 })).toEqual({ firstSeen: null, lastSeen: null, views: [] });
    expect(await tables(key)).toEqual([]);
    await recordViews(key, [{ at: t0 }]);
    const other = { key: { ...key, visitor: 'visitor-q2' }, at: t0, visitor: null, path: '/', groups: [], retentionDays: 90 };
    const refused = await activity(key).record(other).then(() => null, (err: unknown) => String(err));
    expect(refused).toMatch(/called for/);
  });
});

describe('AccountActivity: storage stays bounded', () => {
  it('deletes views older than the retention on every write', async () => {
    const key = { site: uniqueSite('act'), domain: 'acme.example' };
    await recordViews(key, [{ at: t0, path: '/old' }, { at: t0 + 10 * DAY_MS, path: '/mid' }], 30);
    await recordViews(key, [{ at: t0 + 31 * DAY_MS, path: '/new' }], 30);
    const summary = await summaryOf(key, { now: t0 + 31 * DAY_MS, windowDays: 30 });
    expect(summary.firstSeen).toBe(t0 + 10 * DAY_MS);
    expect(summary.views).toHaveLength(2);
  });

  it(`keeps at most the ${MAX_VIEWS} most recent views`, async () => {
    const key = { site: uniqueSite('act'), domain: 'acme.example' };
    await runInDurableObject(activity(key), (_, state) => {
      const sql = state.storage.sql;
      migrateActivity(sql);
      for (let i = 0; i < MAX_VIEWS + 100; i++) sql.exec("INSERT INTO views (at, visitor, session, path, groups) VALUES (?, 'visitor-a1', 's', '/', '')", t0 + i * MINUTE_MS);
    });
    await recordViews(key, [{ at: t0 + (MAX_VIEWS + 100) * MINUTE_MS, visitor: 'visitor-b2' }]);
    const summary = await summaryOf(key, { now: t0 + 90 * DAY_MS, windowDays: 90 });
    expect(summary.views).toHaveLength(MAX_VIEWS);
    expect(summary.firstSeen).toBe(t0 + 101 * MINUTE_MS); // the 101 oldest went
    expect(summary.views.at(-1)?.visitor).toBe('visitor-b2');
  });

  it('prunes with an alarm, and an object left with no views deletes its storage and leaves the site index', async () => {
    const site = uniqueSite('act');
    const key = { site, domain: 'acme.example' };
    const now = Date.now();
    await recordViews(key, [{ at: now - DAY_MS + 50 }], 1); // 1-day retention: expires 50 ms from now
    const store = env.SITE_STORE.getByName(site);
    expect(await runInDurableObject(store, (_, state) => state.storage.sql.exec('SELECT domain FROM active_accounts').toArray())).toEqual([{ domain: 'acme.example' }]);
    expect(await runInDurableObject(activity(key), (_, state) => state.storage.getAlarm())).toBe(now + 50 + HOUR_MS);
    await new Promise((r) => setTimeout(r, 100));

    expect(await runDurableObjectAlarm(activity(key))).toBe(true);
    expect(await tables(key)).toEqual([]);
    expect(await runInDurableObject(activity(key), (_, state) => state.storage.getAlarm())).toBeNull();
    expect(await runInDurableObject(store, (_, state) => state.storage.sql.exec('SELECT domain FROM active_accounts').toArray())).toEqual([]);
    // and it works again afterwards
    await recordViews(key, [{ at: now }]);
    expect((await summaryOf(key, { now, windowDays: 1 })).views).toHaveLength(1);
  });

  it('keeps views the alarm finds unexpired, and sets the next alarm', async () => {
    const key = { site: uniqueSite('act'), domain: 'acme.example' };
    const now = Date.now();
    await recordViews(key, [{ at: now - 100 * DAY_MS, path: '/old' }, { at: now - DAY_MS, path: '/recent' }]);
    await runDurableObjectAlarm(activity(key));
    const summary = await summaryOf(key, { now, windowDays: 90 });
    expect(summary.views).toHaveLength(1);
    expect(await runInDurableObject(activity(key), (_, state) => state.storage.getAlarm())).toBeGreaterThan(now + 88 * DAY_MS);
  });

  it('announces only account objects to the site index, not anonymous visitors', async () => {
    const site = uniqueSite('act');
    await recordViews({ site, visitor: 'visitor-a1' }, [{ at: Date.now() }]);
    await recordViews({ site, domain: 'b.example' }, [{ at: Date.now() }]);
    const rows = await runInDurableObject(env.SITE_STORE.getByName(site), (_, state) => state.storage.sql.exec('SELECT domain FROM active_accounts').toArray());
    expect(rows).toEqual([{ domain: 'b.example' }]);
  });
});

import { env } from 'cloudflare:workers';
import { runInDurableObject } from 'cloudflare:test';
import { digestKey } from '../../edge/activity/account-activity';
import { describe, expect, it } from 'vitest';
import { evaluateRule, pickSegment } from '../../shared/rules/evaluate';
import { uniqueSite } from './support/admin';
import { DAY_MS, HOUR_MS, activity, behaviourConfig, decideCall, decideSettled, digestFaults, digestFor, recordActivity, seedSite, summaryOf } from './support/behaviour';
import { SITE, accounts, seedFixture, signed, siteConfig } from './support/fixture';

/** A site of its own per test: its own config cache entry and activity objects. */
async function site(changes?: Parameters<typeof behaviourConfig>[1]) {
  const id = uniqueSite('beh');
  const config = behaviourConfig(id, changes);
  await seedSite(config);
  return { id, config };
}

/** A page of the site; with `account`, reached through a signed ABM link to it (verified: behaviour counts for the account). */
const url = async (site: string, path: string, account?: string) =>
  `https://www.vendor.example${path}${account ? `?pz_account=${await signed(account, site)}` : ''}`;

describe('live membership through POST /v1/decide', () => {
  it('puts an account in a behavioural segment on the page view after it crosses the threshold', async () => {
    const { id } = await site();
    // Plain Co matches no attribute segment: three people from it look at pricing.
    for (const visitor of ['visitor-a1', 'visitor-b2', 'visitor-c3']) {
      const d = await decideSettled({ site: id, url: await url(id, '/pricing', 'plain.example'), visitor });
      expect(d).toMatchObject({ account: { domain: 'plain.example' }, segment: null, behaviour: 'ok' });
    }
    const fourth = await decideSettled({ site: id, url: await url(id, '/docs/setup', 'plain.example'), visitor: 'visitor-d4' });
    expect(fourth).toMatchObject({ segment: { id: 'hot' }, behaviour: 'ok' });
    expect(fourth.changes[0]?.content).toEqual({ type: 'text', text: 'Pricing for Plain Co' });
  });

  it('counts several visitors from one account together, and one visitor once', async () => {
    const { id } = await site();
    // Snowy Retail (Retail, 300 people): "team" (25) wins over snowflake (40) once two people visit within 7 days.
    const view = async (visitor: string, path: string) => decideSettled({ site: id, url: await url(id, path, 'snow.example'), visitor });
    await view('visitor-a1', '/');
    await view('visitor-a1', '/about');
    expect((await view('visitor-a1', '/careers')).segment?.id).toBe('snowflake');
    await view('visitor-b2', '/');
    expect((await view('visitor-b2', '/blog')).segment?.id).toBe('team');
    // Northwind Bank is not Retail: two people do not make it "team" (attribute and behaviour in one `all`).
    await decideSettled({ site: id, url: await url(id, '/', 'bank.example'), visitor: 'visitor-a1' });
    await decideSettled({ site: id, url: await url(id, '/', 'bank.example'), visitor: 'visitor-b2' });
    expect((await decideSettled({ site: id, url: await url(id, '/', 'bank.example'), visitor: 'visitor-c3' })).segment?.id).toBe('fintech');
  });

  it('keys an anonymous visitor by the snippet visitor id when no account resolves', async () => {
    const { id } = await site();
    for (let i = 0; i < 3; i++) expect((await decideSettled({ site: id, url: await url(id, `/pricing/plan-${i}`), visitor: 'anon-visitor-1' })).segment).toBeNull();
    expect(await decideSettled({ site: id, url: await url(id, '/'), visitor: 'anon-visitor-1' })).toMatchObject({ account: null, segment: { id: 'hot' }, behaviour: 'ok' });
    expect(await decideSettled({ site: id, url: await url(id, '/'), visitor: 'anon-visitor-2' })).toMatchObject({ segment: null, behaviour: 'ok' });
    expect(await decideSettled({ site: id, url: await url(id, '/') })).toMatchObject({ segment: null, behaviour: 'off' });
  });
});

describe('windows and decay', () => {
  it('counts only views inside the window: 13.9 days ago is in, 14.1 days ago is out', async () => {
    const { id } = await site();
    const now = Date.now();
    await recordActivity({ site: id, domain: 'plain.example' }, [0, 1, 2].map((i) => ({ at: now - 13.9 * DAY_MS + i * HOUR_MS })));
    await recordActivity({ site: id, domain: 'snow.example' }, [0, 1, 2].map((i) => ({ at: now - 14.1 * DAY_MS + i * HOUR_MS })));
    expect((await decideSettled({ site: id, url: await url(id, '/', 'plain.example') })).segment?.id).toBe('hot');
    expect((await decideSettled({ site: id, url: await url(id, '/', 'snow.example') })).segment?.id).toBe('snowflake');
  });

  it('lets an account leave the segment as its activity ages, on a controlled clock', async () => {
    const { id, config } = await site();
    const t0 = Date.now() - 20 * DAY_MS; // inside the 90-day retention, so the store's expiry alarm keeps the views
    await recordActivity({ site: id, domain: 'plain.example' }, [0, 2, 4].map((d) => ({ at: t0 + d * DAY_MS })));
    const plain = accounts.find((a) => a.domain === 'plain.example')!;
    const at = async (now: number) => {
      const summary = await summaryOf({ site: id, domain: 'plain.example' }, { now, windowDays: 14 });
      return pickSegment(config.segments, { account: plain, visit: { path: '/' }, activity: digestFor(summary, config), now })?.id ?? null;
    };
    expect(await at(t0 + 4 * DAY_MS + 1)).toBe('hot');
    expect(await at(t0 + 13.9 * DAY_MS)).toBe('hot');
    expect(await at(t0 + 14.1 * DAY_MS)).toBeNull(); // the first view left the 14-day window
  });

  it('scores recency-weighted engagement with a half-life', async () => {
    const { id } = await site();
    const now = Date.now();
    const engaged = { all: [{ op: 'engagement' as const, group: 'docs', halfLifeDays: 7, min: 1.4 }], any: [] };
    await recordActivity({ site: id, domain: 'plain.example' }, [{ at: now - 7 * DAY_MS, path: '/docs/a', groups: ['docs'] }, { at: now - HOUR_MS, path: '/docs/b', groups: ['docs'] }]);
    const summary = await summaryOf({ site: id, domain: 'plain.example' }, { now, windowDays: 90 });
    const input = (t: number) => ({ account: null, visit: { path: '/' }, activity: digestFor(summary, { segments: [{ rule: engaged }] }), now: t });
    expect(evaluateRule(engaged, input(now))).toBe(true); // 0.5 + 0.996
    expect(evaluateRule(engaged, input(now + DAY_MS))).toBe(false); // 0.45 + 0.90 a day later
  });
});

describe('privacy', () => {
  for (const [name, headers] of [['Global Privacy Control', { 'sec-gpc': '1' }], ['Do Not Track', { dnt: '1' }]] as const) {
    it(`honours ${name}: nothing recorded, decided on attributes alone`, async () => {
      const { id } = await site();
      const now = Date.now();
      await recordActivity({ site: id, domain: 'plain.example' }, [0, 1, 2].map((i) => ({ at: now - (i + 1) * HOUR_MS })));
      const d = await decideSettled({ site: id, url: await url(id, '/pricing', 'plain.example'), visitor: 'visitor-z9' }, headers);
      expect(d).toMatchObject({ account: { domain: 'plain.example' }, segment: null, behaviour: 'off' });
      const summary = await summaryOf({ site: id, domain: 'plain.example' }, { now: Date.now(), windowDays: 1 });
      expect(summary.views.map((v) => v.visitor)).not.toContain('visitor-z9');
      expect(summary.views).toHaveLength(3);
      // anonymous: no object is even created for the visitor
      await decideSettled({ site: id, url: await url(id, '/pricing'), visitor: 'visitor-z9' }, headers);
      await runInDurableObject(activity({ site: id, visitor: 'visitor-z9' }), (_, state) => {
        expect(state.storage.sql.exec("SELECT name FROM sqlite_master WHERE name = 'views'").toArray()).toEqual([]);
      });
    });
  }

  it('records nothing from a page on an origin the site does not allow', async () => {
    const { id } = await site();
    const { res, settled } = await decideCall({ site: id, url: await url(id, '/pricing', 'plain.example'), visitor: 'visitor-a1' }, { origin: 'https://evil.example' });
    await settled();
    expect(res.status).toBe(403);
    expect((await summaryOf({ site: id, domain: 'plain.example' }, { now: Date.now(), windowDays: 1 })).views).toEqual([]);
  });

  it('stores the path without its query and no IP address', async () => {
    const { id } = await site();
    await decideSettled({ site: id, url: `${await url(id, '/pricing', 'plain.example')}&email=jane%40plain.example`, visitor: 'visitor-a1' }, { 'cf-connecting-ip': '192.0.2.77' });
    await runInDurableObject(activity({ site: id, domain: 'plain.example' }), (_, state) => {
      const rows = state.storage.sql.exec('SELECT * FROM views').toArray();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ path: '/pricing', visitor: 'visitor-a1', groups: 'pricing' });
      expect(JSON.stringify(rows)).not.toMatch(/192\.0\.2\.77|jane/);
    });
  });
});

describe('when the activity store fails', () => {
  it('decides on attribute rules alone when the digest read is slower than its budget, and records the view anyway', async () => {
    const { id } = await site();
    const now = Date.now();
    const key = { site: id, domain: 'bank.example' };
    await recordActivity(key, [0, 1, 2].map((i) => ({ at: now - (i + 1) * HOUR_MS })));
    const started = Date.now();
    const { res, settled } = await decideCall({ site: id, url: await url(id, '/pricing', 'bank.example'), visitor: 'visitor-a1' }, {}, { KV: digestFaults({ delayMs: 300 }) });
    const elapsed = Date.now() - started;
    expect(await res.json()).toMatchObject({ segment: { id: 'fintech' }, behaviour: 'unavailable' });
    expect(elapsed).toBeLessThan(300); // the digest budget (100 ms), not the 300 ms read
    await settled();
    const summary = await summaryOf(key, { now: Date.now(), windowDays: 1 });
    expect(summary.views).toHaveLength(4);
  });

  it('never waits for a busy activity object: the decision reads the digest, the object records later', async () => {
    const { id } = await site();
    const key = { site: id, domain: 'bank.example' };
    await recordActivity(key, [{ at: Date.now() - HOUR_MS }]);
    // A real slow object: busy for 400 ms and taking no other call meanwhile.
    const busy = runInDurableObject(activity(key), (_, state) => state.blockConcurrencyWhile(() => new Promise((r) => setTimeout(r, 400))));
    await new Promise((r) => setTimeout(r, 10));
    const started = Date.now();
    const { res, settled } = await decideCall({ site: id, url: await url(id, '/', 'bank.example'), visitor: 'visitor-a1' });
    const elapsed = Date.now() - started;
    expect(await res.json()).toMatchObject({ segment: { id: 'fintech' }, behaviour: 'ok' });
    expect(elapsed).toBeLessThan(300);
    await busy;
    await settled();
    expect((await summaryOf(key, { now: Date.now(), windowDays: 1 })).views).toHaveLength(2);
  });

  it('decides on attribute rules alone when the digest read throws', async () => {
    const { id } = await site();
    const key = { site: id, domain: 'client.example' };
    await recordActivity(key, [{ at: Date.now() - HOUR_MS }]);
    const d = await decideSettled({ site: id, url: await url(id, '/', 'client.example'), visitor: 'visitor-a1' }, {}, { KV: digestFaults('throw') });
    expect(d).toMatchObject({ segment: { id: 'customers' }, behaviour: 'unavailable' });
  });

  it('decides on attribute rules alone when the digest in KV is corrupt', async () => {
    const { id } = await site();
    const key = { site: id, domain: 'plain.example' };
    await recordActivity(key, [0, 1, 2].map((i) => ({ at: Date.now() - (i + 1) * HOUR_MS })));
    await env.KV.put(digestKey(key), '{"needs":');
    const d = await decideSettled({ site: id, url: await url(id, '/', 'plain.example'), visitor: 'visitor-a1' });
    expect(d).toMatchObject({ segment: null, behaviour: 'unavailable' });
  });
});

describe('sites without behavioural rules', () => {
  it('never touch the activity store and say nothing about behaviour', async () => {
    await seedFixture();
    const d = await decideSettled({ site: SITE, url: await url(SITE, '/pricing', 'bank.example'), visitor: 'visitor-a1' });
    expect(d.segment?.id).toBe('fintech');
    expect(d).not.toHaveProperty('behaviour');
    await runInDurableObject(activity({ site: SITE, domain: 'bank.example' }), (_, state) => {
      expect(state.storage.sql.exec("SELECT name FROM sqlite_master WHERE name = 'views'").toArray()).toEqual([]);
    });
  });

  it('record views (without reading them) when the site has page groups, so rules added later have history', async () => {
    const { id } = await site({ segments: siteConfig.segments, variants: siteConfig.variants });
    const d = await decideSettled({ site: id, url: await url(id, '/pricing', 'plain.example'), visitor: 'visitor-a1' });
    expect(d).not.toHaveProperty('behaviour');
    const summary = await summaryOf({ site: id, domain: 'plain.example' }, { now: Date.now(), windowDays: 1 });
    expect(summary.views).toMatchObject([{ visitor: 'visitor-a1', groups: ['pricing'] }]);
  });
});

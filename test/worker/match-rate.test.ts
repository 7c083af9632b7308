/**
 * Match rate (edge/match-rate/): every page view of an allowed origin is counted by day, origin, method,
 * confidence and segment in the isolate, sent in batches through the events queue (never one write per
 * page view), added into D1 once per batch, and reported by GET /api/admin/match-rate (JSON and CSV).
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildKvEntries } from '../../shared/kv/entries';
import { dayOf } from '../../shared/measure/days';
import { MatchRateReport, SiteConfig } from '../../shared/schemas';
import { send } from '../../edge/match-rate/tally';
import { writeMatchTallies } from '../../edge/match-rate/store';
import { clearConfigCache } from '../../edge/kv/site-config';
import { admin } from './support/admin';
import { ALLOWED_ORIGIN, accounts, page, post, signed, siteConfig } from './support/fixture';

const SITE = 'match-rate-test';
const OTHER_ORIGIN = 'https://docs.vendor.example';

beforeAll(async () => {
  const config = SiteConfig.parse({ ...siteConfig, site: SITE, allowedOrigins: [ALLOWED_ORIGIN, OTHER_ORIGIN] });
  const { entries } = buildKvEntries(SITE, config, accounts);
  await Promise.all(entries.map((e) => env.KV.put(e.key, e.value)));
  clearConfigCache();
});

const view = async (origin: string | null, body: Record<string, unknown> = {}, headers: Record<string, string> = {}, cf?: Record<string, unknown>) => {
  const res = await post('/v1/decide', { site: SITE, url: page(), ...body }, { headers: { ...(origin && { origin }), ...headers }, cf });
  expect(res.status).toBe(200);
};

async function matchRate(query = ''): Promise<MatchRateReport> {
  const res = await admin('GET', `/match-rate?site=${SITE}${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return MatchRateReport.parse(await res.json());
}

async function matchRateWhen(done: (r: MatchRateReport) => boolean): Promise<MatchRateReport> {
  for (let i = 0; i < 75; i++) {
    const r = await matchRate();
    if (done(r)) return r;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`match rate never got there: ${JSON.stringify((await matchRate()).byConfidence)}`);
}

describe('match rate', () => {
  it('counts each page view by method, confidence, origin and segment, and reports the shares per day', async () => {
    // verified: a signed link (Northwind Bank → fintech) ×2; inferred: the network's name; claimed: a plain link; none ×3
    await view(ALLOWED_ORIGIN, { url: page(`?pz_account=${await signed('bank.example', SITE)}`) });
    await view(ALLOWED_ORIGIN, { url: page(`?pz_account=${await signed('bank.example', SITE)}`) });
    await view(ALLOWED_ORIGIN, {}, { 'cf-connecting-ip': '203.0.113.5' }, { asOrganization: 'NORTHWIND BANK, N.A.', asn: 64501 });
    await view(OTHER_ORIGIN, { url: page('?pz_account=plain.example') });
    for (let i = 0; i < 3; i++) await view(OTHER_ORIGIN);
    // not page views: a server call without an Origin, an allowed Origin claiming a page elsewhere (curl can
    // send any Origin), a page on another origin (refused)
    await view(null);
    await view(ALLOWED_ORIGIN, { url: 'https://elsewhere.example/pricing' });
    const refused = await post('/v1/decide', { site: SITE, url: page() }, { headers: { origin: 'https://evil.example' } });
    expect(refused.status).toBe(403);
    await send(env);

    const r = await matchRateWhen((x) => x.views >= 7);
    const today = dayOf(Date.now());
    expect(r).toMatchObject({
      site: SITE,
      views: 7,
      byMethod: { link: 3, org: 1, none: 3 },
      byConfidence: { verified: 2, inferred: 1, claimed: 1, none: 3 },
      days: [{ day: today, views: 7, byConfidence: { verified: 2, inferred: 1, claimed: 1, none: 3 } }],
    });
    expect(r.origins).toEqual([
      { origin: ALLOWED_ORIGIN, views: 3, byConfidence: { verified: 2, inferred: 1 } },
      { origin: OTHER_ORIGIN, views: 4, byConfidence: { claimed: 1, none: 3 } },
    ].sort((a, b) => b.views - a.views));
    expect(r.segments).toEqual(expect.arrayContaining([{ segment: 'fintech', views: 3, byConfidence: { verified: 2, inferred: 1 } }]));

    const csv = await admin('GET', `/match-rate?site=${SITE}&format=csv`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('day,origin,method,confidence,segment,views,share_of_day');
    expect(lines).toContain(`${today},${ALLOWED_ORIGIN},link,verified,fintech,2,0.2857`);
  });

  it('adds a batch once, however often the queue delivers it', async () => {
    const tally = { kind: 'match' as const, batch: 'batch-once-0001', rows: [{ site: 'match-once', day: '2026-11-30', origin: ALLOWED_ORIGIN, method: 'ip' as const, confidence: 'verified' as const, segment: '', views: 5 }] };
    await writeMatchTallies(env.EVENTS_DB, [tally]);
    await writeMatchTallies(env.EVENTS_DB, [tally, tally]);
    const row = await env.EVENTS_DB.prepare("SELECT views FROM match_views WHERE site = 'match-once'").first<{ views: number }>();
    expect(row?.views).toBe(5);
  });

  it('sends one queue message for many page views of an isolate, not one per view', async () => {
    const sent: unknown[] = [];
    const queue = { send: async (m: unknown) => void sent.push(m) } as unknown as typeof env.EVENTS_QUEUE;
    const { countView } = await import('../../edge/match-rate/tally');
    const waits: Promise<unknown>[] = [];
    const ctx = { waitUntil: (p: Promise<unknown>) => void waits.push(p) };
    await send(env); // whatever earlier tests left
    for (let i = 0; i < 300; i++) countView({ EVENTS_QUEUE: queue }, ctx, { site: 'match-many', day: '2026-12-01', origin: ALLOWED_ORIGIN, method: i % 3 ? 'none' : 'org', confidence: i % 3 ? 'none' : 'inferred', segment: '' });
    expect(sent).toHaveLength(0);
    await send({ EVENTS_QUEUE: queue });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ kind: 'match', rows: [{ views: 100, method: 'org' }, { views: 200, method: 'none' }] });
  });

  it('refuses a bad range, naming the field', async () => {
    const res = await admin('GET', `/match-rate?site=${SITE}&from=2026-12-02&to=2026-12-01`);
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('from');
  });
});

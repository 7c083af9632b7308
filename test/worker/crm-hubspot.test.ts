/**
 * The HubSpot sync (edge/crm/), against a stand-in that answers HubSpot's documented search shapes and
 * limits (test/support/hubspot-server.ts): 10,000+ companies converge, every one readable at the edge;
 * later runs read only what changed; refused records are reported with the reason and the rest kept;
 * rate limits, 5xx and malformed answers are waited out or retried; the Cron Trigger starts it.
 */
import { env, exports } from 'cloudflare:workers';
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import worker from '../../edge/index';
import { CRM_CRON } from '../../edge/crm/schedule';
import { buildKvEntries } from '../../shared/kv/entries';
import { CrmSyncStatus, DecideResponse, SiteConfig, SiteState } from '../../shared/schemas';
import { admin, adminJson, configFor, createSite, uniqueSite } from './support/admin';
import { until, viewAs } from './support/alerts';
import { crmSite as syncingSite, opportunities, publishDraft, readCopyConverged, status, syncUntilDone } from './support/crm';
import { page, siteConfig } from './support/fixture';
import './support/hubspot-fixture';

/** How long a write-back may take to arrive: 1 s of batching, then an alarm (a loaded machine is slow to fire it). */
const WRITE_BACK_WAIT_MS = 60_000;

const crmSite = (crm: SiteConfig['crm'] = { provider: 'hubspot', tokenSecret: 'HUBSPOT_TOKEN' }) => syncingSite('crm', crm);

const hubspot = (path: string, body: unknown) => fetch(`${inject('hubspotServer')}${path}`, { method: 'POST', body: JSON.stringify(body) });
const stats = async () => (await (await fetch(`${inject('hubspotServer')}/__stats`)).json()) as { searches: number; rateLimited: number; badRequests: number; dealSearches: number; associationReads: number; scripted: number };

describe('HubSpot sync', () => {
  it('syncs 10,050 companies, paging past the search’s 10,000 cap by date window, and every account is readable at the edge', { timeout: 300_000 }, async () => {
    const t0 = Date.now() - 10 * 86_400_000;
    // 30 companies modified in one millisecond right where the 10,000-deep window ends
    await hubspot('/__seed', { count: 10_050, from: t0, step: 60_000, sameAt: { index: 9_990, count: 30 } });
    const site = await crmSite();
    const before = await stats();
    const started = Date.now();
    const done = await syncUntilDone(site, null);
    const syncMs = Date.now() - started;
    expect(done).toMatchObject({ read: 10_050, written: 10_050, refused: 0, lastFailure: null });
    const after = await stats();
    expect(after.badRequests - before.badRequests, 'never paged past 10,000').toBe(0);
    await readCopyConverged(site, 10_050);
    const convergedMs = Date.now() - started;
    console.log(`HubSpot sync of 10,050 companies: ${after.searches - before.searches} searches (${after.rateLimited - before.rateLimited} rate-limited), synced in ${(syncMs / 1000).toFixed(1)} s, read copy converged in ${(convergedMs / 1000).toFixed(1)} s`);

    // at the edge: an account from the straddling millisecond, with the mapped fields
    const res = await exports.default.fetch(
      new Request('https://edge.test/v1/decide', { method: 'POST', body: JSON.stringify({ site, url: page(), identity: { domain: 'company-10001.example', source: 'identify' } }) }),
    );
    const d = DecideResponse.parse(await res.json());
    expect(d.account).toMatchObject({ domain: 'company-10001.example', name: 'Company 10001' });
    const stored = JSON.parse((await env.KV.get(`acct:${site}:company-3.example`))!);
    expect(stored).toMatchObject({ industry: 'Banking', employees: 53, stage: 'aware', tier: 1, attributes: { targetAccount: false, country: 'United States' } });

    // a later run reads only what changed since
    await hubspot('/__touch', { ids: ['1005', '1006', '1007'], at: Date.now() });
    const again = await syncUntilDone(site, done.lastSyncedAt);
    expect(again).toMatchObject({ read: 3, written: 3 });
  });

  it('reports a record it cannot map with the field and the reason, and keeps the rest', async () => {
    await hubspot('/__seed', { count: 5, from: Date.now() - 3_600_000, step: 1000 });
    await hubspot('/__company', { id: '9001', properties: { name: 'No Domain Inc', hs_lastmodifieddate: new Date(Date.now() - 1000).toISOString() } });
    await hubspot('/__company', { id: '9002', properties: { domain: 'not a domain!', name: 'Bad Domain', hs_lastmodifieddate: new Date(Date.now() - 900).toISOString() } });
    const site = await crmSite();
    const done = await syncUntilDone(site, null);
    expect(done).toMatchObject({ read: 7, written: 5, refused: 2 });
    expect(done.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: '9001', field: 'domain' }),
        expect.objectContaining({ id: '9002', field: 'domain' }),
      ]),
    );
  });

  it('keeps an account’s intent scores when HubSpot changes its other fields', { timeout: 120_000 }, async () => {
    await hubspot('/__seed', { count: 3, from: Date.now() - 3_600_000, step: 1000 });
    const site = await crmSite();
    const first = await syncUntilDone(site, null);
    const monday = new Date(Date.now() - ((new Date().getUTCDay() + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
    const imported = await admin('POST', `/sites/${site}/intent/import`, { rows: [{ domain: 'company-1.example', topic: 'Data Warehousing', score: 82, week: monday }] });
    expect(imported.status, await imported.clone().text()).toBe(200);
    await hubspot('/__touch', { ids: ['1001'], at: Date.now() });
    expect(await syncUntilDone(site, first.lastSyncedAt)).toMatchObject({ read: 1, written: 1 });
    const stored = await admin('GET', `/sites/${site}/accounts/company-1.example`);
    expect(JSON.stringify(await stored.json())).toContain('Data Warehousing');
  });

  it('reports a mapping to a field that is not an account field, naming it', async () => {
    const site = uniqueSite('crm-bad');
    const parsed = SiteConfig.safeParse({ ...siteConfig, site, crm: { provider: 'hubspot', mapping: { domain: 'domain', numberofemployees: 'headcount' } } });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.path.join('.')).toBe('crm.mapping.numberofemployees');
  });

  it('waits out a 429 and retries a 5xx or malformed answer, losing nothing', { timeout: 120_000 }, async () => {
    await hubspot('/__seed', { count: 450, from: Date.now() - 3_600_000, step: 1000 });
    await hubspot('/__faults', { next: [429, 'malformed'] });
    const site = await crmSite();
    const first = await admin('POST', `/sites/${site}/crm/sync`);
    const afterFirst = CrmSyncStatus.parse(await first.json());
    expect(afterFirst.lastFailure).toMatch(/429|rate limit/i);
    // the alarm goes on after the wait; a malformed page ends that run, the next (here: by hand) continues
    for (let i = 0; i < 60 && !(await status(site)).lastFailure?.includes('results'); i++) await new Promise((r) => setTimeout(r, 250));
    expect((await status(site)).lastFailure).toMatch(/without a results list/);
    await hubspot('/__faults', { next: [503] });
    const unavailable = CrmSyncStatus.parse(await (await admin('POST', `/sites/${site}/crm/sync`)).json());
    expect(unavailable.lastFailure).toMatch(/503/);
    const done = await syncUntilDone(site, null);
    expect(done).toMatchObject({ read: 450, written: 450, lastFailure: null });
    await readCopyConverged(site, 450);
  });

  it('says what is missing without the token’s secret, and answers 409 without a published CRM config', async () => {
    const site = await crmSite({ provider: 'hubspot', tokenSecret: 'HUBSPOT_TOKEN_MISSING' });
    const res = await admin('POST', `/sites/${site}/crm/sync`);
    expect(CrmSyncStatus.parse(await res.json()).lastFailure).toContain('wrangler secret put HUBSPOT_TOKEN_MISSING');
    const plain = uniqueSite('crm-none');
    const { entries } = buildKvEntries(plain, SiteConfig.parse({ ...siteConfig, site: plain }), []);
    await Promise.all(entries.map((e) => env.KV.put(e.key, e.value)));
    const none = await admin('POST', `/sites/${plain}/crm/sync`);
    expect(none.status).toBe(409);
    expect(JSON.stringify(await none.json())).toContain('crm');
  });

  it('starts from the Cron Trigger', { timeout: 120_000 }, async () => {
    await hubspot('/__seed', { count: 40, from: Date.now() - 3_600_000, step: 1000 });
    const site = await crmSite();
    const ctx = createExecutionContext();
    await worker.scheduled!(createScheduledController({ cron: CRM_CRON, scheduledTime: Date.now() }), env, ctx);
    await waitOnExecutionContext(ctx);
    // the trigger runs every syncing site back to back; sites sharing a HubSpot account share its
    // rate limit, so a run may end on a 429 and go on from its alarm
    let s = await status(site);
    for (let i = 0; i < 60 && !(s.lastSyncedAt && !s.running); i++) {
      await new Promise((r) => setTimeout(r, 250));
      s = await status(site);
    }
    expect(s).toMatchObject({ read: 40, written: 40 });
    await readCopyConverged(site, 40);
  });
});

const updates = async () => (await (await fetch(`${inject('hubspotServer')}/__updates`)).json()) as { id: string; properties: Record<string, string> }[][];
const company = (id: string, domain: string, industry: string, employees: number) => ({
  id,
  properties: { domain, name: domain, industry, numberofemployees: String(employees), hs_lastmodifieddate: new Date(Date.now() - 3_600_000).toISOString() },
});

describe('HubSpot field mapping changes', () => {
  it('reads every company again after the mapping changes, so a newly mapped property reaches accounts HubSpot did not modify', { timeout: 60_000 }, async () => {
    await hubspot('/__seed', { count: 3, from: Date.now() - 3_600_000, step: 1000 });
    const site = uniqueSite('crm-remap');
    await createSite(site, configFor(site, { crm: { provider: 'hubspot', tokenSecret: 'HUBSPOT_TOKEN', mapping: { domain: 'domain', name: 'name' } } }));
    await publishDraft(site);
    const first = await syncUntilDone(site, null);
    expect(first).toMatchObject({ read: 3 });
    const unchanged = await syncUntilDone(site, first.lastSyncedAt);
    expect(unchanged).toMatchObject({ read: 0 });

    const { draft } = SiteState.parse(await adminJson('GET', `/sites/${site}`));
    await adminJson('PUT', `/sites/${site}/draft`, { baseRevision: draft.revision, config: { ...draft.config, crm: { provider: 'hubspot', tokenSecret: 'HUBSPOT_TOKEN', mapping: { domain: 'domain', name: 'name', industry: 'industry' } } } });
    await publishDraft(site);
    const remapped = await syncUntilDone(site, unchanged.lastSyncedAt);
    expect(remapped).toMatchObject({ read: 3, written: 3 });
    const account = await adminJson<{ industry?: string }>('GET', `/sites/${site}/accounts/company-1.example`);
    expect(account.industry).toBe('Banking');
  });
});

describe('HubSpot segment write-back', () => {
  it('writes the segment and its entry time to company properties once per change, batched, and reports a company HubSpot no longer has', { timeout: 120_000 }, async () => {
    await hubspot('/__seed', { count: 0, from: 0, step: 0 });
    await hubspot('/__company', company('7001', 'bank-a.example', 'Banking', 5000));
    await hubspot('/__company', company('7002', 'bank-b.example', 'Banking', 8000));
    await hubspot('/__company', company('7003', 'shop-c.example', 'Retail', 20));
    const site = await crmSite({ provider: 'hubspot', tokenSecret: 'HUBSPOT_TOKEN', writeBack: { segmentField: 'pz_segment', enteredAtField: 'pz_segment_entered_at' } });
    await syncUntilDone(site, null);
    await readCopyConverged(site, 3);
    const before = (await updates()).length;

    expect((await viewAs(site, 'bank-a.example')).segment?.id).toBe('fintech');
    expect((await viewAs(site, 'bank-b.example')).segment?.id).toBe('fintech');
    await viewAs(site, 'shop-c.example'); // in no segment, never in one: nothing to write
    await viewAs(site, 'bank-a.example', '/pricing/enterprise');
    const [batch] = (await until('the batch update', updates, (u) => u.length > before, WRITE_BACK_WAIT_MS)).slice(before);
    expect(batch!.map((i) => i.id).sort()).toEqual(['7001', '7002']);
    expect(batch![0]!.properties).toEqual({ pz_segment: 'fintech', pz_segment_entered_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) });

    // a company deleted in HubSpot after the sync: the 207's OBJECT_NOT_FOUND is kept as its reason
    await hubspot('/__seed', { count: 0, from: 0, step: 0 });
    await hubspot('/__company', company('7001', 'bank-a.example', 'Banking', 5000));
    const store = env.SITE_STORE.getByName(site);
    await store.noteCrmSegment(site, 'bank-a.example', 'webinar', Date.now());
    await store.noteCrmSegment(site, 'bank-b.example', 'webinar', Date.now());
    const s = await until('the refusal', () => status(site), (x) => (x.writeBack?.errors.length ?? 0) > 0, WRITE_BACK_WAIT_MS);
    expect(s.writeBack).toMatchObject({ written: 3, pending: 1, errors: [{ id: '7002', field: 'segment', message: expect.stringContaining('OBJECT_NOT_FOUND') }] });
    expect((await updates()).slice(before).flat().filter((i) => i.id === '7001').map((i) => i.properties.pz_segment)).toEqual(['fintech', 'webinar']);
  });

  it('refuses a write-back property that is not a HubSpot internal name, naming the field', () => {
    const parsed = SiteConfig.safeParse({ ...siteConfig, site: uniqueSite('crm-wb'), crm: { provider: 'hubspot', writeBack: { segmentField: 'PZ Segment' } } });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.path.join('.'))).toEqual(['crm.writeBack.segmentField']);
  });
});

const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);
/** A deal as HubSpot keeps it: its properties (strings, as the API answers them) and its companies. */
const deal = (id: string, companies: { id: string; primary?: boolean }[], over: Record<string, string | null> = {}) => ({
  id,
  companies,
  properties: {
    dealname: `Deal ${id}`,
    amount: '1000',
    amount_in_home_currency: '1000',
    dealstage: 'appointmentscheduled',
    pipeline: 'default',
    createdate: '2026-01-05T10:00:00.000Z',
    closedate: '2026-03-31T00:00:00.000Z',
    hs_is_closed_won: 'false',
    hs_is_closed: 'false',
    hs_lastmodifieddate: new Date(Date.now() - HOUR).toISOString(),
    ...over,
  },
});
const pipelineSite = () => crmSite({ provider: 'hubspot', tokenSecret: 'HUBSPOT_TOKEN', pipeline: true });

describe('HubSpot pipeline (deals)', () => {
  it('stores 250 deals with their company’s account, amount, status and times, paged past 200; a deal of a company not synced stays unmatched until it is; a later run reads only what changed', { timeout: 120_000 }, async () => {
    await hubspot('/__seed', { count: 0, from: 0, step: 0 });
    await hubspot('/__company', company('7101', 'acme-a.example', 'Retail', 50));
    await hubspot('/__company', company('7102', 'bank-b.example', 'Banking', 5000));
    const t0 = Date.now() - 2 * HOUR;
    const modified = (i: number) => new Date(t0 + i * 1000).toISOString();
    await hubspot('/__deals', {
      deals: [
        deal('8000001', [{ id: '7101', primary: true }], { dealname: 'Acme renewal', amount: '12000.5', amount_in_home_currency: '12000.5', dealstage: 'closedwon', hs_is_closed_won: 'true', hs_is_closed: 'true', closedate: '2026-02-10T15:30:00.000Z', hs_lastmodifieddate: modified(1) }),
        // two companies: the primary one is the deal's account, not the first; the amount in the portal's currency
        deal('8000002', [{ id: '7103' }, { id: '7102', primary: true }], { amount: '5000', amount_in_home_currency: '4300', dealstage: 'closedlost', hs_is_closed: 'true', hs_lastmodifieddate: modified(2) }),
        // a company the sync has not brought (yet), and a deal without any
        deal('8000003', [{ id: '7103', primary: true }], { amount: '', amount_in_home_currency: null, closedate: null, hs_lastmodifieddate: modified(3) }),
        deal('8000004', [], { hs_lastmodifieddate: modified(4) }),
        ...Array.from({ length: 246 }, (_, i) => deal(String(8000005 + i), [{ id: i % 2 ? '7102' : '7101', primary: true }], { amount: String(100 * (i + 1)), amount_in_home_currency: String(100 * (i + 1)), hs_lastmodifieddate: modified(5 + i) })),
      ],
    });
    const site = await pipelineSite();
    const before = await stats();
    const first = await syncUntilDone(site, null, 150_000, 'pipeline');
    expect(first).toMatchObject({ read: 2, written: 2, pipeline: { read: 250, written: 250, unmatched: 2, refused: 0, lastFailure: null } });
    const after = await stats();
    expect(after.dealSearches - before.dealSearches, 'two pages of deals').toBe(2);
    expect(after.associationReads - before.associationReads, 'one associations read a page').toBe(2);
    expect(after.badRequests - before.badRequests).toBe(0);

    const rows = await opportunities(site);
    expect(rows.size).toBe(250);
    expect(rows.get('8000001')).toEqual({
      site,
      id: '8000001',
      account: 'acme-a.example',
      crm_account: '7101',
      name: 'Acme renewal',
      created_at: at('2026-01-05T10:00:00.000Z'),
      amount: 12000.5,
      stage: 'closedwon',
      closed_at: at('2026-02-10T15:30:00.000Z'),
      status: 'won',
      modified_at: at(modified(1)),
    });
    expect(rows.get('8000002')).toMatchObject({ account: 'bank-b.example', crm_account: '7102', amount: 4300, stage: 'closedlost', status: 'lost' });
    expect(rows.get('8000003')).toMatchObject({ account: null, crm_account: '7103', amount: null, closed_at: null, status: 'open' });
    expect(rows.get('8000004')).toMatchObject({ account: null, crm_account: null, status: 'open' });
    expect(rows.get('8000250')).toMatchObject({ account: 'bank-b.example', amount: 24_600, status: 'open', closed_at: at('2026-03-31T00:00:00.000Z') });
    expect([...rows.values()].filter((r) => r.account === 'bank-b.example')).toHaveLength(124);

    // the missing company arrives, and one deal is won: the next run reads that deal only, and the unmatched deal gets its account
    await hubspot('/__company', { ...company('7103', 'late-c.example', 'Retail', 20), properties: { ...company('7103', 'late-c.example', 'Retail', 20).properties, hs_lastmodifieddate: new Date().toISOString() } });
    await hubspot('/__touch', { object: 'deals', ids: ['8000005'], at: Date.now(), set: { dealstage: 'closedwon', hs_is_closed_won: 'true', hs_is_closed: 'true', closedate: '2026-04-01T09:00:00.000Z' } });
    const again = await syncUntilDone(site, first.pipeline!.lastSyncedAt, 60_000, 'pipeline');
    expect(again).toMatchObject({ read: 1, written: 1, pipeline: { read: 1, written: 1, unmatched: 0 } });
    const later = await opportunities(site);
    expect(later.get('8000005')).toMatchObject({ status: 'won', stage: 'closedwon', closed_at: at('2026-04-01T09:00:00.000Z'), account: 'acme-a.example' });
    expect(later.get('8000003')).toMatchObject({ account: 'late-c.example', crm_account: '7103' });
    expect(later.get('8000002')).toMatchObject({ account: 'bank-b.example' });

    // deleting an account erases the deals attributed to it, and later reads of them are not its
    expect((await admin('DELETE', `/sites/${site}/accounts/late-c.example`)).status).toBe(204);
    const erased = await opportunities(site);
    expect(erased.has('8000003')).toBe(false);
    expect(erased.size).toBe(249);
    await hubspot('/__touch', { object: 'deals', ids: ['8000003'], at: Date.now() });
    await syncUntilDone(site, again.pipeline!.lastSyncedAt, 60_000, 'pipeline');
    expect((await opportunities(site)).get('8000003')).toMatchObject({ account: null, crm_account: '7103' });
  });

  it('waits out a 429 on the deals search and on the associations read, losing nothing', { timeout: 120_000 }, async () => {
    await hubspot('/__seed', { count: 0, from: 0, step: 0 });
    await hubspot('/__company', company('7201', 'wait-a.example', 'Retail', 50));
    await hubspot('/__deals', { deals: Array.from({ length: 30 }, (_, i) => deal(String(8100000 + i), [{ id: '7201', primary: true }], { amount: String(10 * i), amount_in_home_currency: String(10 * i), hs_lastmodifieddate: new Date(Date.now() - HOUR + i * 1000).toISOString() })) });
    await hubspot('/__faults', { on: 'deals', next: [429] });
    await hubspot('/__faults', { on: 'associations', next: [429] });
    const site = await pipelineSite();
    const before = await stats();
    const first = CrmSyncStatus.parse(await (await admin('POST', `/sites/${site}/crm/sync`)).json());
    expect(first.pipeline?.lastFailure).toBe('HubSpot rate limit (429)');
    // the alarm goes on after each wait
    const done = await until('the pass after the 429s', () => status(site), (s) => !!s.pipeline?.lastSyncedAt && !s.pipeline.running, 30_000);
    expect(done.pipeline).toMatchObject({ read: 30, written: 30, unmatched: 0, lastFailure: null });
    const after = await stats();
    expect(after.scripted - before.scripted, 'both 429s answered').toBe(2);
    expect(after.associationReads - before.associationReads, 'the page read again after its associations’ 429').toBe(1);
    const rows = await opportunities(site);
    expect(rows.size).toBe(30);
    expect([...rows.values()].every((r) => r.account === 'wait-a.example')).toBe(true);
    expect(rows.get('8100029')).toMatchObject({ amount: 290 });
  });
});

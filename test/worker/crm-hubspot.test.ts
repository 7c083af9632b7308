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
import { CrmSyncStatus, DecideResponse, SiteConfig } from '../../shared/schemas';
import { admin, uniqueSite } from './support/admin';
import { until, viewAs } from './support/alerts';
import { crmSite as syncingSite, readCopyConverged, status, syncUntilDone } from './support/crm';
import { page, siteConfig } from './support/fixture';
import './support/hubspot-fixture';

const crmSite = (crm: SiteConfig['crm'] = { provider: 'hubspot', tokenSecret: 'HUBSPOT_TOKEN' }) => syncingSite('crm', crm);

const hubspot = (path: string, body: unknown) => fetch(`${inject('hubspotServer')}${path}`, { method: 'POST', body: JSON.stringify(body) });
const stats = async () => (await (await fetch(`${inject('hubspotServer')}/__stats`)).json()) as { searches: number; rateLimited: number; badRequests: number };

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
    const [batch] = (await until('the batch update', updates, (u) => u.length > before)).slice(before);
    expect(batch!.map((i) => i.id).sort()).toEqual(['7001', '7002']);
    expect(batch![0]!.properties).toEqual({ pz_segment: 'fintech', pz_segment_entered_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) });

    // a company deleted in HubSpot after the sync: the 207's OBJECT_NOT_FOUND is kept as its reason
    await hubspot('/__seed', { count: 0, from: 0, step: 0 });
    await hubspot('/__company', company('7001', 'bank-a.example', 'Banking', 5000));
    const store = env.SITE_STORE.getByName(site);
    await store.noteCrmSegment(site, 'bank-a.example', 'webinar', Date.now());
    await store.noteCrmSegment(site, 'bank-b.example', 'webinar', Date.now());
    const s = await until('the refusal', () => status(site), (x) => (x.writeBack?.errors.length ?? 0) > 0);
    expect(s.writeBack).toMatchObject({ written: 3, pending: 1, errors: [{ id: '7002', field: 'segment', message: expect.stringContaining('OBJECT_NOT_FOUND') }] });
    expect((await updates()).slice(before).flat().filter((i) => i.id === '7001').map((i) => i.properties.pz_segment)).toEqual(['fintech', 'webinar']);
  });

  it('refuses a write-back property that is not a HubSpot internal name, naming the field', () => {
    const parsed = SiteConfig.safeParse({ ...siteConfig, site: uniqueSite('crm-wb'), crm: { provider: 'hubspot', writeBack: { segmentField: 'PZ Segment' } } });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.path.join('.'))).toEqual(['crm.writeBack.segmentField']);
  });
});

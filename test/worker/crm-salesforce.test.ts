/**
 * The Salesforce sync and segment write-back (edge/crm/), against a stand-in org that answers the REST
 * API's documented shapes (test/support/salesforce-server.ts): the client-credentials token, SOQL by
 * LastModifiedDate paged by (LastModifiedDate, Id) across batches and ties, an expired token replaced,
 * busy answers waited out, failures named; and the accounts' segments written back with sObject
 * Collections, batched, once per change.
 */
import { env } from 'cloudflare:workers';
import { runInDurableObject } from 'cloudflare:test';
import { crmIdentity, crmMapping } from '../../edge/crm/run';
import { newSyncState } from '../../edge/crm/sync';
import type { SiteStore } from '../../edge/site-store/site-store';
import { describe, expect, inject, it } from 'vitest';
import { CrmSyncStatus, Report, SiteConfig, SiteState } from '../../shared/schemas';
import { admin, adminJson, configFor, createSite, uniqueSite } from './support/admin';
import { viewAs, until } from './support/alerts';
import { crmSite, opportunities, publishDraft as publish, readCopyConverged, status, syncUntilDone } from './support/crm';
import { ALLOWED_ORIGIN, post, signed, siteConfig } from './support/fixture';
import './support/salesforce-fixture';

/** How long a write-back may take to arrive: 1 s of batching, then an alarm (a loaded machine is slow to fire it). */
const WRITE_BACK_WAIT_MS = 60_000;

const sf = (path: string, body: unknown = {}) => fetch(`${inject('salesforceServer')}${path}`, { method: 'POST', body: JSON.stringify(body) });
const stats = async () => (await (await fetch(`${inject('salesforceServer')}/__stats`)).json()) as { tokens: number; queries: number; batches: number; updates: number; expired: number; soql: string[] };
const updates = async () => (await (await fetch(`${inject('salesforceServer')}/__updates`)).json()) as Record<string, unknown>[][];

const salesforce = (over: Record<string, unknown> = {}) =>
  ({ provider: 'salesforce', loginUrl: inject('salesforceServer'), clientIdSecret: 'SALESFORCE_CLIENT_ID', clientSecretSecret: 'SALESFORCE_CLIENT_SECRET', ...over }) as SiteConfig['crm'];

const HOUR = 3_600_000;

describe('Salesforce sync', () => {
  it('syncs 2,600 accounts, 1,200 of them modified in one second across a page boundary, in batches of 500, and every account is readable at the edge', { timeout: 240_000 }, async () => {
    await sf('/__config', { batchSize: 500 });
    // seconds apart, except 1,200 accounts a mass update gave the same LastModifiedDate (the first page of 2,000 ends among them)
    await sf('/__seed', { count: 2_600, from: Date.now() - 10 * 86_400_000, step: 1000, sameSecond: { index: 1_000, count: 1_200 } });
    const site = await crmSite('sf', salesforce());
    const before = await stats();
    const started = Date.now();
    const done = await syncUntilDone(site, null);
    const syncMs = Date.now() - started;
    expect(done).toMatchObject({ provider: 'salesforce', read: 2_600, written: 2_600, refused: 0, lastFailure: null });
    await readCopyConverged(site, 2_600);
    const after = await stats();
    // a full page of 2,000 and the last; each split by the org into batches of 500 read through nextRecordsUrl
    expect(after.queries - before.queries).toBe(2);
    expect(after.batches - before.batches).toBe(6);
    expect(after.tokens - before.tokens).toBeLessThanOrEqual(1);
    expect(after.soql.at(-1)).toMatch(/^SELECT Id, LastModifiedDate, Website, Name, .* FROM Account WHERE \(LastModifiedDate > \S+Z OR \(LastModifiedDate = \S+Z AND Id > '001\d{12}AAA'\)\) ORDER BY LastModifiedDate ASC, Id ASC LIMIT 2000$/);
    console.log(`Salesforce sync of 2,600 accounts: ${after.queries - before.queries} queries, synced in ${(syncMs / 1000).toFixed(1)} s, read copy converged in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const stored = JSON.parse((await env.KV.get(`acct:${site}:account-3.example`))!);
    expect(stored).toMatchObject({ domain: 'account-3.example', name: 'Account 3', industry: 'Banking', employees: 53, attributes: { annualRevenue: 1_000_003, country: 'United States', accountType: 'Prospect' } });

    // a later run reads only what changed since (the last second's accounts are not read twice)
    await sf('/__touch', { ids: ['001000000000005AAA', '001000000000006AAA'], at: Date.now() });
    const again = await syncUntilDone(site, done.lastSyncedAt);
    expect(again).toMatchObject({ read: 2, written: 2 });
    await sf('/__config', {});
  });

  it('gets a new token when the old one expires, and goes on', { timeout: 60_000 }, async () => {
    await sf('/__seed', { count: 10, from: Date.now() - HOUR, step: 1000 });
    const site = await crmSite('sf-expiry', salesforce());
    const first = await syncUntilDone(site, null);
    expect(first.read).toBe(10);
    await sf('/__expire');
    await sf('/__touch', { ids: ['001000000000001AAA'], at: Date.now() });
    const before = await stats();
    const again = await syncUntilDone(site, first.lastSyncedAt);
    expect(again).toMatchObject({ read: 1, lastFailure: null });
    const after = await stats();
    expect(after.expired - before.expired).toBe(1);
    expect(after.tokens - before.tokens).toBe(1);
  });

  it('names what is wrong: refused credentials, a missing secret, a field the org lacks, a record without a website', { timeout: 60_000 }, async () => {
    await sf('/__seed', { count: 4, from: Date.now() - HOUR, step: 1000 });
    await sf('/__account', { Id: '001000000000900AAA', Name: 'No Website Ltd', Website: null, LastModifiedDate: new Date(Date.now() - 2000).toISOString().replace('Z', '+0000') });

    const wrongSecret = await crmSite('sf-cred', salesforce({ clientSecretSecret: 'ADMIN_TOKEN' }));
    const refused = CrmSyncStatus.parse(await (await admin('POST', `/sites/${wrongSecret}/crm/sync`)).json());
    expect(refused.lastFailure).toBe('Salesforce refused the client credentials (400: invalid_client (invalid client credentials))');

    const missing = await crmSite('sf-missing', salesforce({ clientIdSecret: 'SF_KEY_NOT_SET' }));
    expect(CrmSyncStatus.parse(await (await admin('POST', `/sites/${missing}/crm/sync`)).json()).lastFailure).toContain('wrangler secret put SF_KEY_NOT_SET');

    const unknownField = await crmSite('sf-field', salesforce({ mapping: { Website: 'domain', Headcount__c: 'employees' } }));
    expect(CrmSyncStatus.parse(await (await admin('POST', `/sites/${unknownField}/crm/sync`)).json()).lastFailure).toMatch(/^Salesforce answered 400: INVALID_FIELD .*No such column 'Headcount__c'/s);

    const site = await crmSite('sf-refused', salesforce());
    const done = await syncUntilDone(site, null);
    expect(done).toMatchObject({ read: 5, written: 4, refused: 1 });
    expect(done.errors).toEqual([{ id: '001000000000900AAA', field: 'domain', message: 'the record has no domain (mapped from Website)' }]);
  });

  it('refuses a login URL that is not Salesforce’s, naming the field', () => {
    const parsed = SiteConfig.safeParse({ ...siteConfig, site: uniqueSite('sf-url'), crm: salesforce({ loginUrl: 'https://evil.example/services' }) });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.path.join('.'))).toEqual(['crm.loginUrl']);
    expect(SiteConfig.safeParse({ ...siteConfig, site: uniqueSite('sf-url'), crm: salesforce({ loginUrl: 'https://acme.my.salesforce.com' }) }).success).toBe(true);
  });

  it('waits out a 503, retries a malformed answer on the next run, and pauses near the org’s daily API limit', { timeout: 120_000 }, async () => {
    await sf('/__seed', { count: 30, from: Date.now() - HOUR, step: 1000 });
    const site = await crmSite('sf-busy', salesforce());
    await sf('/__faults', { next: [503] });
    const busy = CrmSyncStatus.parse(await (await admin('POST', `/sites/${site}/crm/sync`)).json());
    expect(busy.lastFailure).toBe('Salesforce answered 503 (busy)');
    // the alarm goes on after Retry-After
    await until('the pass after the 503', () => status(site), (s) => s.lastSyncedAt !== null && !s.running, 30_000);

    await sf('/__touch', { ids: ['001000000000002AAA'], at: Date.now() });
    await sf('/__faults', { next: ['malformed'] });
    const malformed = CrmSyncStatus.parse(await (await admin('POST', `/sites/${site}/crm/sync`)).json());
    expect(malformed.lastFailure).toBe('Salesforce answered 200 with a body that is not JSON');
    await sf('/__config', { apiLimit: 100, apiUsed: 95 });
    const paused = CrmSyncStatus.parse(await (await admin('POST', `/sites/${site}/crm/sync`)).json());
    expect(paused.lastFailure).toMatch(/^the org has used 96 of its 100 daily API requests/);
    await sf('/__config', { apiLimit: 100, apiUsed: 100 });
    const exceeded = CrmSyncStatus.parse(await (await admin('POST', `/sites/${site}/crm/sync`)).json());
    expect(exceeded.lastFailure).toBe('Salesforce answered 403: REQUEST_LIMIT_EXCEEDED TotalRequests Limit exceeded.');
    await sf('/__config', {});
    expect(await syncUntilDone(site, (await status(site)).lastSyncedAt)).toMatchObject({ lastFailure: null });
  });
});

const sfTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');
const bank = (n: number, over: Record<string, unknown> = {}) => ({
  Id: `001${String(500_000 + n).padStart(12, '0')}AAA`,
  Name: `Bank ${n}`,
  Website: `https://bank-${n}.example`,
  Industry: 'Banking',
  NumberOfEmployees: 5000,
  LastModifiedDate: sfTime(Date.now() - HOUR),
  ...over,
});

describe('Salesforce segment write-back', () => {
  it('writes each account’s segment and entry time once per change, in one batch, and clears it when the account leaves', { timeout: 120_000 }, async () => {
    await sf('/__seed', { count: 0, from: 0, step: 0 });
    for (const a of [bank(1), bank(2, { Industry: 'Retail', NumberOfEmployees: 20 }), bank(3)]) await sf('/__account', a);
    const site = await crmSite('sf-wb', salesforce({ writeBack: { segmentField: 'PZ_Segment__c', enteredAtField: 'PZ_Segment_Entered__c' } }));
    await syncUntilDone(site, null);
    await readCopyConverged(site, 3);
    const before = (await updates()).length;

    const entered = Date.now();
    expect((await viewAs(site, 'bank-1.example')).segment?.id).toBe('fintech');
    expect((await viewAs(site, 'bank-2.example', '/pricing?utm_campaign=q4-webinar')).segment?.id).toBe('webinar');
    await viewAs(site, 'bank-1.example', '/pricing/enterprise');
    const [batch] = (await until('the write-back', updates, (u) => u.length > before, WRITE_BACK_WAIT_MS)).slice(before);
    expect(batch).toHaveLength(2);
    const byId = Object.fromEntries(batch!.map((r) => [r.id, r]));
    expect(byId[bank(1).Id]).toMatchObject({ attributes: { type: 'Account' }, PZ_Segment__c: 'fintech' });
    expect(byId[bank(2).Id]).toMatchObject({ PZ_Segment__c: 'webinar' });
    expect(Date.parse(byId[bank(1).Id]!.PZ_Segment_Entered__c as string)).toBeGreaterThanOrEqual(entered - 1000);

    // the same segment again is no change; leaving every segment clears the fields
    await viewAs(site, 'bank-1.example');
    await viewAs(site, 'bank-2.example', '/pricing');
    const [cleared] = (await until('the clearing write', updates, (u) => u.length > before + 1, WRITE_BACK_WAIT_MS)).slice(before + 1);
    expect(cleared).toEqual([{ attributes: { type: 'Account' }, id: bank(2).Id, PZ_Segment__c: null, PZ_Segment_Entered__c: null }]);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await updates()).length).toBe(before + 2);
    const s = await status(site);
    expect(s.writeBack).toMatchObject({ pending: 0, written: 3, errors: [], lastFailure: null });
  });

  it('writes nothing for what an outsider can send: a plain ?pz_account= claim, a signed link from curl (no Origin), or a forged Origin', { timeout: 60_000 }, async () => {
    await sf('/__seed', { count: 0, from: 0, step: 0 });
    await sf('/__account', bank(30));
    const site = await crmSite('sf-wb-outsider', salesforce({ writeBack: { segmentField: 'PZ_Segment__c' } }));
    await syncUntilDone(site, null);
    await readCopyConverged(site, 1);
    const before = (await updates()).length;
    const decide = (url: string, headers: Record<string, string>) => post('/v1/decide', { site, url, visitor: `v-${crypto.randomUUID().slice(0, 8)}` }, { headers });
    // anyone can type the account into the URL: a claim, never written back
    expect((await decide(`${ALLOWED_ORIGIN}/pricing?pz_account=bank-30.example`, { origin: ALLOWED_ORIGIN })).status).toBe(200);
    const link = encodeURIComponent(await signed('bank-30.example', site));
    // a real signed link, but not from a page of the site: a server call, or another site's page
    expect((await decide(`${ALLOWED_ORIGIN}/pricing?pz_account=${link}`, {})).status).toBe(200);
    expect((await decide(`${ALLOWED_ORIGIN}/pricing?pz_account=${link}`, { origin: 'https://evil.example' })).status).toBe(403);
    await new Promise((r) => setTimeout(r, 2500)); // past the write-back's 1 s batching
    expect((await updates()).length).toBe(before);
    expect((await status(site)).writeBack).toMatchObject({ pending: 0, written: 0 });
    // the same signed link from a page of the site is a change, and is written
    await viewAs(site, 'bank-30.example');
    await until('the write-back', updates, (u) => u.length > before, WRITE_BACK_WAIT_MS);
  });

  it('writes 250 changes in batches of at most 200, each account once', { timeout: 120_000 }, async () => {
    await sf('/__seed', { count: 0, from: 0, step: 0 });
    for (let n = 0; n < 250; n++) await sf('/__account', bank(100 + n));
    const site = await crmSite('sf-wb-many', salesforce({ writeBack: { segmentField: 'PZ_Segment__c' } }));
    await syncUntilDone(site, null);
    const before = (await updates()).length;
    const store = env.SITE_STORE.getByName(site);
    await Promise.all(Array.from({ length: 250 }, (_, n) => store.noteCrmSegment(site, `bank-${100 + n}.example`, 'fintech', Date.now())));
    // noted twice: still one change
    await Promise.all(Array.from({ length: 250 }, (_, n) => store.noteCrmSegment(site, `bank-${100 + n}.example`, 'fintech', Date.now())));
    const ours = async () => (await updates()).slice(before).filter((b) => b.some((r) => Number(String(r.id).slice(3, 15)) - 500_000 >= 100));
    const sent = await until('all 250 written', ours, (u) => u.flat().length >= 250, WRITE_BACK_WAIT_MS);
    await new Promise((r) => setTimeout(r, 1000));
    const all = await ours();
    expect(all.every((b) => b.length <= 200)).toBe(true);
    expect(all.length).toBeLessThanOrEqual(3);
    const ids = all.flat().map((r) => r.id);
    expect(ids).toHaveLength(250);
    expect(new Set(ids).size).toBe(250);
    expect(sent.flat().every((r) => r.PZ_Segment__c === 'fintech')).toBe(true);
  });

  it('keeps the reason of a record Salesforce refuses and writes the rest', { timeout: 120_000 }, async () => {
    await sf('/__seed', { count: 0, from: 0, step: 0 });
    await sf('/__account', bank(900));
    await sf('/__account', bank(901));
    const site = await crmSite('sf-wb-bad', salesforce({ writeBack: { segmentField: 'PZ_Segment__c' } }));
    await syncUntilDone(site, null);
    // the org deletes one account after the sync
    await sf('/__delete', { ids: [bank(901).Id] });
    const store = env.SITE_STORE.getByName(site);
    await store.noteCrmSegment(site, 'bank-900.example', 'fintech', Date.now());
    await store.noteCrmSegment(site, 'bank-901.example', 'fintech', Date.now());
    const s = await until('the refusal', () => status(site), (x) => (x.writeBack?.errors.length ?? 0) > 0, WRITE_BACK_WAIT_MS);
    expect(s.writeBack).toMatchObject({ written: 1, pending: 1, errors: [{ id: bank(901).Id, field: 'segment', message: 'bank-901.example: ENTITY_IS_DELETED: entity is deleted' }] });
  });
});

describe('switching the CRM', () => {
  it('starts a Salesforce sync from the beginning after HubSpot, and writes the segment to the Salesforce record, not the HubSpot one', { timeout: 120_000 }, async () => {
    await sf('/__seed', { count: 0, from: 0, step: 0 });
    // modified long before HubSpot's last sync: a sync that went on from HubSpot's watermark would never read it
    await sf('/__account', bank(880, { LastModifiedDate: sfTime(Date.now() - 30 * 86_400_000) }));
    const site = uniqueSite('crm-switch');
    const hubspot = { provider: 'hubspot' as const, tokenSecret: 'HUBSPOT_TOKEN', writeBack: { segmentField: 'pz_segment' } };
    await createSite(site, configFor(site, { crm: hubspot }));
    await publish(site);
    // where a HubSpot sync left the store (the HubSpot stand-in belongs to crm-hubspot.test.ts, which runs beside this file):
    // its watermark now, the company's HubSpot id, the segment written there
    await runInDurableObject(env.SITE_STORE.getByName(site), (_store: SiteStore, state: DurableObjectState) => {
      const sql = state.storage.sql;
      const meta = (key: string, value: string) => sql.exec('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', key, value);
      meta('crm_identity', crmIdentity(hubspot));
      meta('crm_mapping', JSON.stringify(crmMapping(hubspot)));
      meta('crm_state', JSON.stringify({ ...newSyncState(), watermark: Date.now(), lastSyncedAt: new Date().toISOString() }));
      sql.exec(`INSERT INTO crm_records (domain, crm_id) VALUES ('bank-880.example', '8800')`);
      sql.exec(`INSERT INTO crm_segments (domain, segment, entered_at, written) VALUES ('bank-880.example', 'fintech', ?, 'fintech')`, Date.now());
    });
    const first = await status(site);
    const before = (await updates()).length;

    const { draft } = SiteState.parse(await adminJson('GET', `/sites/${site}`));
    await adminJson('PUT', `/sites/${site}/draft`, { baseRevision: draft.revision, config: { ...draft.config, crm: salesforce({ writeBack: { segmentField: 'PZ_Segment__c' } }) } });
    await publish(site);
    const switched = await syncUntilDone(site, first.lastSyncedAt);
    expect(switched).toMatchObject({ provider: 'salesforce', read: 1, written: 1 });
    // the segment HubSpot has is not in Salesforce yet: the run writes it, to the Salesforce record
    const [batch] = (await until('the write-back', updates, (u) => u.length > before, WRITE_BACK_WAIT_MS)).slice(before);
    expect(batch).toEqual([{ attributes: { type: 'Account' }, id: bank(880).Id, PZ_Segment__c: 'fintech' }]);
  });
});

const oppId = (n: number) => `006${String(n).padStart(12, '0')}AAA`;
/** An opportunity as the org answers it: JSON numbers and booleans, CloseDate a date, CreatedDate a datetime. */
const opportunity = (n: number, over: Record<string, unknown> = {}) => ({
  Id: oppId(n),
  AccountId: bank(700).Id,
  Name: `Opportunity ${n}`,
  Amount: 1000,
  StageName: 'Prospecting',
  CloseDate: '2026-06-30',
  IsClosed: false,
  IsWon: false,
  Probability: 10,
  CreatedDate: '2026-01-05T10:00:00.000+0000',
  LastModifiedDate: sfTime(Date.now() - 2 * HOUR),
  ...over,
});

describe('Salesforce pipeline (opportunities)', () => {
  it('stores 2,100 opportunities with their account, amount, status and dates, paged by (LastModifiedDate, Id) across a tie; an account not synced stays unmatched; a later run reads only what changed', { timeout: 120_000 }, async () => {
    await sf('/__config', { batchSize: 500 });
    await sf('/__seed', { count: 0, from: 0, step: 0 });
    await sf('/__account', bank(700));
    await sf('/__account', bank(701));
    const t0 = Math.floor(Date.now() / 1000) * 1000 - 3 * HOUR;
    // seconds apart, except 40 modified in one second where the first page of 2,000 ends
    const modified = (n: number) => sfTime(t0 + (n >= 1_980 && n < 2_020 ? 1_980 : n) * 1000);
    await sf('/__opportunities', {
      records: [
        opportunity(1, { Name: 'Bank renewal', Amount: 25_000.75, StageName: 'Closed Won', IsClosed: true, IsWon: true, Probability: 100, CloseDate: '2026-02-10', LastModifiedDate: modified(1) }),
        opportunity(2, { AccountId: bank(701).Id, Amount: null, StageName: 'Closed Lost', IsClosed: true, LastModifiedDate: modified(2) }),
        opportunity(3, { AccountId: '001000000999999AAA', LastModifiedDate: modified(3) }),
        opportunity(4, { AccountId: null, CloseDate: null, LastModifiedDate: modified(4) }),
        ...Array.from({ length: 2_096 }, (_, i) => opportunity(5 + i, { AccountId: (i % 2 ? bank(701) : bank(700)).Id, Amount: 10 * (i + 1), LastModifiedDate: modified(5 + i) })),
      ],
    });
    const site = await crmSite('sf-pipe', salesforce({ pipeline: true }));
    const before = await stats();
    const first = await syncUntilDone(site, null, 150_000, 'pipeline');
    expect(first).toMatchObject({ read: 2, written: 2, pipeline: { read: 2_100, written: 2_100, unmatched: 2, refused: 0, lastFailure: null } });
    const after = await stats();
    const soql = after.soql.slice(before.soql.length).filter((q) => q.includes('FROM Opportunity'));
    expect(soql).toHaveLength(2);
    expect(soql[0]).toBe('SELECT Id, LastModifiedDate, AccountId, Name, Amount, StageName, CloseDate, IsClosed, IsWon, CreatedDate FROM Opportunity WHERE LastModifiedDate >= 1970-01-01T00:00:00Z ORDER BY LastModifiedDate ASC, Id ASC LIMIT 2000');
    expect(soql[1]).toMatch(/ FROM Opportunity WHERE \(LastModifiedDate > \S+Z OR \(LastModifiedDate = \S+Z AND Id > '006\d{12}AAA'\)\) ORDER BY /);

    const rows = await opportunities(site);
    expect(rows.size).toBe(2_100);
    expect(rows.get(oppId(1))).toEqual({
      site,
      id: oppId(1),
      account: 'bank-700.example',
      crm_account: bank(700).Id,
      name: 'Bank renewal',
      created_at: Date.parse('2026-01-05T10:00:00.000Z'),
      amount: 25_000.75,
      stage: 'Closed Won',
      closed_at: Date.parse('2026-02-10T00:00:00Z'),
      status: 'won',
      modified_at: Date.parse(modified(1).replace('+0000', 'Z')),
    });
    expect(rows.get(oppId(2))).toMatchObject({ account: 'bank-701.example', amount: null, stage: 'Closed Lost', status: 'lost' });
    expect(rows.get(oppId(3))).toMatchObject({ account: null, crm_account: '001000000999999AAA', status: 'open' });
    expect(rows.get(oppId(4))).toMatchObject({ account: null, crm_account: null, closed_at: null });
    expect(rows.get(oppId(2_000))).toMatchObject({ account: 'bank-701.example', amount: 19_960, status: 'open', closed_at: Date.parse('2026-06-30T00:00:00Z') });

    // one opportunity is won: the next run reads it alone
    await sf('/__opportunities', { add: true, records: [opportunity(2_000, { Amount: 20_000, StageName: 'Closed Won', IsClosed: true, IsWon: true, LastModifiedDate: sfTime(Date.now()) })] });
    const again = await syncUntilDone(site, first.pipeline!.lastSyncedAt, 60_000, 'pipeline');
    expect(again.pipeline).toMatchObject({ read: 1, written: 1, unmatched: 0 });
    expect((await opportunities(site)).get(oppId(2_000))).toMatchObject({ amount: 20_000, stage: 'Closed Won', status: 'won' });
    await sf('/__config', {});
  });

  it('counts a synced opportunity in the report’s Pipeline for the arm its account was exposed in', { timeout: 60_000 }, async () => {
    await sf('/__seed', { count: 0, from: 0, step: 0 });
    await sf('/__account', bank(720));
    await sf('/__account', bank(721));
    const daysAgo = (d: number) => Date.now() - d * 86_400_000;
    await sf('/__opportunities', {
      records: [
        opportunity(7_200, { AccountId: bank(720).Id, Amount: 48_000, StageName: 'Closed Won', IsClosed: true, IsWon: true, CreatedDate: sfTime(daysAgo(5)) }),
        // created before the account was first exposed: not the segment's
        opportunity(7_201, { AccountId: bank(721).Id, Amount: 9_000, CreatedDate: sfTime(daysAgo(20)) }),
      ],
    });
    const site = await crmSite('sf-pipe-report', salesforce({ pipeline: true }));
    await syncUntilDone(site, null, 60_000, 'pipeline');
    // both accounts first exposed 10 days ago, as the events consumer rolls exposures up
    const day = new Date(daysAgo(10)).toISOString().slice(0, 10);
    for (const [domain, arm] of [['bank-720.example', 'personalized'], ['bank-721.example', 'holdout']])
      await env.EVENTS_DB.prepare(`INSERT INTO exposures (site, segment, arm, day, version, unit, visitor, account, n) VALUES (?1, 'fintech', ?2, ?3, 1, ?4, 'v-1', ?5, 1)`)
        .bind(site, arm, day, `a:${domain}`, domain)
        .run();
    const res = await admin('GET', `/report?site=${site}`);
    expect(res.status, await res.clone().text()).toBe(200);
    const report = Report.parse(await res.json());
    expect(report.pipeline).toEqual({ attributionDays: 90, opportunities: 2 });
    const pipeline = report.segments.find((x) => x.segment === 'fintech')!.pipeline;
    expect(pipeline.arms.personalized).toMatchObject({ accounts: 1, withOpportunity: 1, opportunities: 1, pipeline: 48_000, won: 48_000, winRate: 1 });
    expect(pipeline.arms.personalized.medianDaysToOpportunity).toBeGreaterThan(4);
    expect(pipeline.arms.holdout).toMatchObject({ accounts: 1, withOpportunity: 0, pipeline: 0 });
  });

  it('waits out a 503 on the opportunities query, losing nothing', { timeout: 60_000 }, async () => {
    await sf('/__seed', { count: 0, from: 0, step: 0 });
    await sf('/__account', bank(710));
    await sf('/__opportunities', { records: Array.from({ length: 20 }, (_, i) => opportunity(9_000 + i, { AccountId: bank(710).Id, LastModifiedDate: sfTime(Date.now() - HOUR + i * 1000) })) });
    await sf('/__faults', { on: 'Opportunity', next: [503] });
    const site = await crmSite('sf-pipe-busy', salesforce({ pipeline: true }));
    const busy = CrmSyncStatus.parse(await (await admin('POST', `/sites/${site}/crm/sync`)).json());
    expect(busy).toMatchObject({ read: 1, lastFailure: null, pipeline: { lastFailure: 'Salesforce answered 503 (busy)' } });
    // the alarm goes on after Retry-After
    const done = await until('the pass after the 503', () => status(site), (s) => !!s.pipeline?.lastSyncedAt && !s.pipeline.running, 30_000);
    expect(done.pipeline).toMatchObject({ read: 20, written: 20, unmatched: 0, lastFailure: null });
    const rows = await opportunities(site);
    expect([...rows.values()].filter((r) => r.id.startsWith('0060000000090')).every((r) => r.account === 'bank-710.example')).toBe(true);
    expect(rows.size).toBe(20);
  });
});

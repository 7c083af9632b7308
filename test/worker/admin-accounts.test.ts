import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import type { SiteStore } from '../../edge/site-store/site-store';
import { describe, expect, it } from 'vitest';
import { readAccountCsv } from '../../shared/admin/account-csv';
import { kvKeys } from '../../shared/kv/keys';
import { bucketOf, parseIp } from '../../shared/resolve/ip';
import { type Account, AccountPage, DecideResponse, ImportResult, ReadCopyStatus } from '../../shared/schemas';
import { clearConfigCache } from '../../edge/kv/site-config';
import { domainForIp } from '../../edge/kv/accounts';
import { FLUSH_BUDGET, KEY_WRITE_INTERVAL_MS } from '../../edge/site-store/outbox';
import { admin, adminJson, createSite, publishRenamed, uniqueSite } from './support/admin';
import { KvRecorder, READ_BUDGET_MS, expectEdgeReadsStore, inGroups, recordFlushes, settleReadCopy } from './support/read-copy';
import { page, post, signed } from './support/fixture';

const ROWS = 10_000;
const CHUNK = 500;
const BUCKETS = 64;
const GROUPS = 40;
/** Cloudflare's limit, which local workerd does not enforce (nor the one write per key per second). */
const KV_OPS_PER_INVOCATION = 1000;

/**
 * Row i of a 10,000-row file, with planted mistakes: a /24 in one of 64 IPv4 /16 buckets and a
 * network name shared with the rows 40 apart, so every chunk rewrites every bucket and every shared
 * org-name key.
 */
function fileRow(i: number): Record<string, unknown> {
  const range = `${11 + (i % BUCKETS)}.0.${Math.floor(i / BUCKETS)}.0/24`;
  if (i % 500 === 7) return { domain: `bad domain ${i}`, name: `Bad ${i}` };
  if (i % 1000 === 13) return { domain: `c${i}.example`, name: `Company ${i}`, ipRanges: ['10.0.0.0/7'] };
  if (i % 2500 === 99) return { domain: `c${i - 1}.example`, name: `Copy of ${i - 1}` };
  return { domain: `c${i}.example`, name: `Company ${i}`, industry: i % 2 ? 'Banking' : 'Retail', employees: i, orgNames: [`Group ${i % GROUPS} Holdings`], ipRanges: [range] };
}
const ipOf = (i: number) => `${11 + (i % BUCKETS)}.0.${Math.floor(i / BUCKETS)}.42`;

async function decide(site: string, body: Record<string, unknown>, ip?: string) {
  clearConfigCache();
  const res = await post('/v1/decide', { site, url: page(), ...body }, ip ? { headers: { 'cf-connecting-ip': ip } } : {});
  expect(res.status).toBe(200);
  return DecideResponse.parse(await res.json());
}

async function publishedSite(prefix: string) {
  const site = uniqueSite(prefix);
  const draft = await createSite(site);
  await adminJson('POST', `/sites/${site}/publish`, { baseRevision: draft.revision });
  return site;
}

const importJson = (site: string, rows: unknown[], firstRow = 0) =>
  adminJson<ImportResult>('POST', `/sites/${site}/accounts/import`, { rows, firstRow });

describe('importing 10,000 accounts', () => {
  it('takes 20 chunks of 500 and a publish within KV’s limits, reports each bad row, and the edge converges on what SQLite holds', { timeout: 300_000 }, async () => {
    const site = await publishedSite('bulk');
    const recorder = new KvRecorder(); // counts the KV operations of every flush, commit's or alarm's
    recordFlushes(site, recorder);
    const started = performance.now();
    let accepted = 0;
    const rejected: ImportResult['rejected'] = [];
    for (let first = 0; first < ROWS; first += CHUNK) {
      const result = await importJson(site, Array.from({ length: CHUNK }, (_, k) => fileRow(first + k)), first);
      accepted += result.accepted;
      rejected.push(...result.rejected);
    }
    const ms = performance.now() - started;
    const published = await publishRenamed(site, 'Renamed after the import');
    const { pending } = ReadCopyStatus.parse(await adminJson('GET', `/sites/${site}/read-copy`));
    const alarms = await settleReadCopy(site, { timeoutMs: 180_000 }); // each commit flushes at most 900 KV writes: the alarm writes the rest
    const converged = performance.now() - started;
    const ops = recorder.flushes.reduce((a, b) => a + b, 0);
    console.log(
      `imported ${ROWS} account rows in ${ROWS / CHUNK} chunks of ${CHUNK} through the admin API in ${Math.round(ms)} ms (${Math.round(ms / (ROWS / CHUNK))} ms a chunk), then published; ` +
        `${pending} KV writes were still queued, and the read copy converged ${Math.round(converged)} ms after the first chunk (${alarms} alarm flushes driven after the publish). ` +
        `${ops} KV operations on ${recorder.writes.size} keys in ${recorder.flushes.length} flushes, at most ${Math.max(...recorder.flushes)} in one; ` +
        `a key written at most ${Math.max(...[...recorder.writes.values()].map((w) => w.length))} times, its writes at least ${recorder.shortestRewriteMs()} ms apart`,
    );

    // KV's limits: every invocation's flush within the budget (the site is open: they read nothing else), one write per key per second
    expect(Math.max(...recorder.flushes)).toBeLessThanOrEqual(FLUSH_BUDGET);
    expect(FLUSH_BUDGET).toBeLessThan(KV_OPS_PER_INVOCATION);
    expect(recorder.shortestRewriteMs()).toBeGreaterThanOrEqual(KEY_WRITE_INTERVAL_MS);
    expect(recorder.writes.get(kvKeys.ipBucket(site, '4:11.0'))!.length).toBeGreaterThan(1); // rewritten, a second or more apart

    // 20 bad domains, 10 bad CIDRs, 4 duplicates inside their chunk
    expect(rejected).toHaveLength(34);
    expect(accepted).toBe(ROWS - 34);
    expect(rejected).toContainEqual({ row: 507, field: 'domain', reason: 'must be a domain such as acme.com' });
    expect(rejected).toContainEqual({ row: 1013, field: 'ipRanges', reason: 'ranges wider than /8 are not accepted for IPv4' });
    expect(rejected).toContainEqual({ row: 2599, field: 'domain', reason: 'duplicate of row 2598' });

    const listed = AccountPage.parse(await adminJson('GET', `/sites/${site}/accounts?limit=1`));
    expect(listed.total).toBe(ROWS - 34);
    expect(await env.KV.get(kvKeys.account(site, 'c4321.example'), 'json')).toMatchObject({ name: 'Company 4321', employees: 4321 });
    expect(await env.KV.get(kvKeys.account(site, 'c1013.example'))).toBeNull();

    // the edge reads what SQLite holds: every account and bucket, the shared org names and one other in 20, the published config
    const record = await expectEdgeReadsStore(site, (name, i) => name.startsWith('group ') || i % 20 === 0);
    expect(record).toMatchObject({ config: { version: published.version, name: 'Renamed after the import' } });
    expect(record.accounts).toHaveLength(ROWS - 34);
    expect(record.buckets).toHaveLength(BUCKETS);
    expect(record.holders).toContainEqual(['group 7 holdings', 'c47.example']); // the first valid row to claim a name keeps it (row 7 is bad)
    await inGroups(record.accounts, async ({ domain }) => {
      expect(await domainForIp(env.KV, site, parseIp(ipOf(Number(domain.slice(1, -'.example'.length))))!, READ_BUDGET_MS), domain).toBe(domain);
    });

    for (const i of [0, 4321, 9999]) {
      expect(await decide(site, { url: page(`?pz_account=${await signed(`c${i}.example`, site)}`) })).toMatchObject({ method: 'link', account: { domain: `c${i}.example` } });
      expect(await decide(site, {}, ipOf(i))).toMatchObject({ method: 'ip', account: { domain: `c${i}.example` } });
    }
    expect((await decide(site, {}, ipOf(1013))).method).toBe('none');
  });
});

describe('editing accounts keeps the read copy exact', () => {
  it('updates a re-imported domain, moves its ranges and org names, and deletes emptied keys', async () => {
    const site = await publishedSite('edit');
    const original = { domain: 'move.example', name: 'Mover Inc', orgNames: ['Mover Networks'], ipRanges: ['100.64.1.0/24'] };
    const neighbour = { domain: 'stay.example', name: 'Stayer', ipRanges: ['100.64.1.128/25'] };
    expect(await importJson(site, [original, neighbour])).toEqual({ accepted: 2, rejected: [] });
    expect(await decide(site, {}, '100.64.1.5')).toMatchObject({ account: { domain: 'move.example' } });
    expect(await decide(site, {}, '100.64.1.200')).toMatchObject({ account: { domain: 'stay.example' } }); // narrowest first

    // a later import of the same domain is an update, not an error
    const moved = { ...original, name: 'Mover Group', orgNames: [], ipRanges: ['100.65.0.0/24'] };
    expect(await importJson(site, [moved])).toEqual({ accepted: 1, rejected: [] });
    await settleReadCopy(site); // KV takes one write per key per second: the rewritten keys follow within a second
    expect(await env.KV.get(kvKeys.account(site, 'move.example'), 'json')).toMatchObject({ name: 'Mover Group' });
    expect(await decide(site, {}, '100.64.1.5')).toMatchObject({ method: 'none' });
    expect(await decide(site, {}, '100.65.0.9')).toMatchObject({ account: { domain: 'move.example' } });
    expect(await env.KV.get(kvKeys.org(site, 'mover networks'))).toBeNull();
    expect(await env.KV.get(kvKeys.org(site, 'mover group'))).toBe('move.example');

    const response = await admin('DELETE', `/sites/${site}/accounts/move.example`);
    expect(response.status).toBe(204);
    await settleReadCopy(site);
    const bucket = kvKeys.ipBucket(site, bucketOf(4, parseIp('100.65.0.9')!.value));
    expect(await env.KV.get(bucket)).toBeNull();
    expect(await env.KV.get(kvKeys.account(site, 'move.example'))).toBeNull();
    expect(await env.KV.get(kvKeys.org(site, 'mover group'))).toBeNull();
    expect(await env.KV.get(kvKeys.ipBucket(site, '4:100.64'))).not.toBeNull(); // the neighbour's range stays
    expect((await admin('DELETE', `/sites/${site}/accounts/move.example`)).status).toBe(404);
  });

  it('writes nothing of a chunk that fails halfway', async () => {
    const site = await publishedSite('atomic');
    const good = (i: number): Account => ({ domain: `ok${i}.example`, name: `Ok ${i}`, ipRanges: [`100.70.${i}.0/24`] });
    // a value JSON cannot hold makes the third write throw inside the transaction
    const poisoned = { ...good(2), employees: 1n } as unknown as Account;
    const stub = env.SITE_STORE.getByName(site);
    const failure = await runInDurableObject(stub, (store: SiteStore) => store.importAccounts(site, [good(0), good(1), poisoned, good(3)]).catch((err: unknown) => err));
    expect(failure).toBeInstanceOf(TypeError);
    expect(AccountPage.parse(await adminJson('GET', `/sites/${site}/accounts`)).total).toBe(0);
    expect(await env.KV.get(kvKeys.account(site, 'ok0.example'))).toBeNull();
    expect(await env.KV.get(kvKeys.ipBucket(site, '4:100.70'))).toBeNull();
    expect(await importJson(site, [good(0), good(1)])).toEqual({ accepted: 2, rejected: [] }); // and the store is fine
  });

  it('gets, puts and searches single accounts', async () => {
    const site = await publishedSite('one');
    await importJson(site, [
      { domain: 'northwind.example', name: 'Northwind Bank' },
      { domain: 'southwind.example', name: 'Southwind Traders' },
      { domain: 'acme.example', name: 'ACME Wind Turbines' },
    ]);
    const put = await admin('PUT', `/sites/${site}/accounts/acme.example`, { domain: 'acme.example', name: 'Acme', stage: 'customer' });
    expect(put.status).toBe(200);
    expect(await adminJson('GET', `/sites/${site}/accounts/acme.example`)).toEqual({ domain: 'acme.example', name: 'Acme', stage: 'customer' });
    expect((await admin('GET', `/sites/${site}/accounts/nobody.example`)).status).toBe(404);

    const search = (q: string, extra = '') => adminJson<AccountPage>('GET', `/sites/${site}/accounts?q=${encodeURIComponent(q)}${extra}`);
    expect((await search('WIND')).accounts.map((a) => a.domain)).toEqual(['northwind.example', 'southwind.example']);
    expect((await search('traders')).total).toBe(1);
    const first = await search('', '&limit=2');
    expect(first).toMatchObject({ total: 3, next: 'northwind.example' });
    expect((await search('', `&limit=2&after=${first.next}`)).accounts.map((a) => a.domain)).toEqual(['southwind.example']);
  });

  it('names the field of a bad single account', async () => {
    const site = await publishedSite('bad');
    const mismatch = await admin('PUT', `/sites/${site}/accounts/a.example`, { domain: 'b.example', name: 'B' });
    expect(await mismatch.json()).toMatchObject({ issues: [{ path: 'domain' }] });
    const cidr = await admin('PUT', `/sites/${site}/accounts/a.example`, { domain: 'a.example', name: 'A', ipRanges: ['nope'] });
    expect(cidr.status).toBe(400);
    expect(await cidr.json()).toMatchObject({ issues: [{ path: 'ipRanges', message: '"nope" is not an IPv4 or IPv6 CIDR range' }] });
    const employees = await admin('PUT', `/sites/${site}/accounts/a.example`, { domain: 'a.example', name: 'A', employees: -1 });
    expect(await employees.json()).toMatchObject({ issues: [{ path: 'employees' }] });
    const badDomain = await admin('GET', `/sites/${site}/accounts/not_a_domain`);
    expect(await badDomain.json()).toMatchObject({ issues: [{ path: 'domain' }] });
    const tooMany = await admin('POST', `/sites/${site}/accounts/import`, { rows: Array.from({ length: 501 }, () => ({})) });
    expect(await tooMany.json()).toMatchObject({ issues: [{ path: 'rows' }] });
    expect((await admin('POST', `/sites/nobody-${Date.now()}/accounts/import`, { rows: [{ domain: 'a.example', name: 'A' }] })).status).toBe(404);
  });
});

describe('CSV import and export', () => {
  const csv = (text: string, site: string) => admin('POST', `/sites/${site}/accounts/import`, text, { contentType: 'text/csv' });

  it('rejects a file whose header lacks domain or name, writing nothing', async () => {
    const site = await publishedSite('csvhead');
    const res = await csv('company,industry\nAcme,Retail\n', site);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid CSV', issues: [{ path: 'header', message: 'the header has no "domain" column (found: company, industry)' }] });
    const unterminated = await csv('domain,name\n"a.example,A\n', site);
    expect(await unterminated.json()).toMatchObject({ issues: [{ path: 'row 2', message: 'record 2 has a quoted field that never ends' }] });
    expect(AccountPage.parse(await adminJson('GET', `/sites/${site}/accounts`)).total).toBe(0);
  });

  it('rejects bad domains, bad CIDRs, duplicates and shifted rows by row, and keeps the rest', async () => {
    const site = await publishedSite('csvrows');
    const file = [
      '\ufeffdomain,name,employees,ipRanges,Owner',
      'good.example,Good Co,"1,200",192.0.2.0/24;198.51.100.0/25,jane',
      'not a domain,Bad Co,,,',
      'cidr.example,Cidr Co,,192.0.2.0/24|banana,',
      'good.example,Good Again,,,',
      'shifted.example,Shifted,10,192.0.2.7,bob,extra',
      'quoted.example,"Quoted, ""Inc""",,,',
      '',
    ].join('\r\n');
    const res = await csv(file, site);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      accepted: 2,
      rejected: [
        { row: 3, field: 'domain', reason: 'must be a domain such as acme.com' },
        { row: 4, field: 'ipRanges', reason: '"banana" is not an IPv4 or IPv6 CIDR range' },
        { row: 5, field: 'domain', reason: 'duplicate of row 2' },
        { row: 6, field: '(row)', reason: 'has 6 cells but the header has 5' },
      ],
    });
    expect(await env.KV.get(kvKeys.account(site, 'good.example'), 'json')).toEqual({
      domain: 'good.example', name: 'Good Co', employees: 1200, ipRanges: ['192.0.2.0/24', '198.51.100.0/25'], attributes: { Owner: 'jane' },
    });
    expect(await adminJson('GET', `/sites/${site}/accounts/quoted.example`)).toEqual({ domain: 'quoted.example', name: 'Quoted, "Inc"' });
  });

  it('exports every account in the columns it imports, round-tripping through the parser', async () => {
    const site = await publishedSite('csvout');
    const accounts: Account[] = Array.from({ length: 1234 }, (_, i) => ({
      domain: `e${String(i).padStart(4, '0')}.example`,
      name: i % 100 === 0 ? `Quote "${i}", Inc` : `Export ${i}`,
      tech: ['Snowflake', 'dbt'],
      ipRanges: [`2001:db8:${i.toString(16)}::/48`],
      ...(i % 2 === 0 && { attributes: { owner: `rep${i % 7}` } }),
    }));
    for (let i = 0; i < accounts.length; i += CHUNK) await importJson(site, accounts.slice(i, i + CHUNK));
    const res = await admin('GET', `/sites/${site}/accounts/export`);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${site}-accounts.csv"`);
    const parsed = readAccountCsv(await res.text());
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.rows.map((r) => r.value)).toEqual(accounts);
  });
});

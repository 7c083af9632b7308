import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { kvKeys } from '../../shared/kv/keys';
import { Account, IntentImportResult, MAX_INTENT_SCORES } from '../../shared/schemas';
import { WEEK_MS, weekOf } from '../../shared/rules/intent';
import { admin, adminJson, createSite, uniqueSite } from './support/admin';
import { expectEdgeReadsStore, settleReadCopy } from './support/read-copy';
import { accounts } from './support/fixture';

/** A site with the fixture's accounts (bank.example, snow.example, client.example, plain.example) in its store. */
async function siteWithAccounts(prefix: string) {
  const site = uniqueSite(prefix);
  await createSite(site);
  await adminJson('POST', `/sites/${site}/accounts/import`, { rows: accounts });
  return site;
}

const csv = (site: string, text: string) => admin('POST', `/sites/${site}/intent/import`, text, { contentType: 'text/csv' });
const importCsv = async (site: string, text: string) => {
  const res = await csv(site, text);
  const body = await res.text();
  expect(res.status, body).toBe(200);
  return IntentImportResult.parse(JSON.parse(body));
};
const accountOf = async (site: string, domain: string) => Account.parse(await adminJson('GET', `/sites/${site}/accounts/${domain}`));

const now = Date.now();
/** The Monday of the week `n` weeks before this one. */
const week = (n: number) => weekOf(now - n * WEEK_MS);
/** A day in the middle of that week, as a vendor may date it: `2026-03-04T12:00:00Z`, or US style `3/4/2026`. */
const midweek = (n: number) => new Date(Date.parse(`${week(n)}T12:00:00Z`) + 2 * 86_400_000);
const usDate = (d: Date) => `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}`;

describe('intent import: CSV', () => {
  it('reads a Bombora Company Surge export, reports each bad row and unknown column, and keeps the rest', async () => {
    const site = await siteWithAccounts('intent-bombora');
    const file = [
      'Company Name,Domain,Size,Industry,HQ City,Topic Id,Topic Name,Composite Score,Week,Sales Rep',
      `Northwind Bank,bank.example,Large,Banking,Seattle,1001,Customer Data Platform,82,${week(0)},ann`,
      `Northwind Bank,bank.example,Large,Banking,Seattle,1002,Data Warehousing,64,${midweek(1).toISOString()},ann`,
      `Snowy Retail,snow.example,Medium,Retail,Oslo,1001,Customer Data Platform,71,${usDate(midweek(2))},bob`,
      `Nobody Inc,unknown.example,Small,Retail,Rome,1001,Customer Data Platform,90,${week(0)},bob`,
      `Northwind Bank,bank.example,Large,Banking,Seattle,1003,Data Lake,high,${week(0)},ann`,
      `Northwind Bank,bank.example,Large,Banking,Seattle,1004,Data Mesh,120,${week(0)},ann`,
      'Northwind Bank,bank.example,Large,Banking,Seattle,1005,ETL,70,2026-02-30,ann',
      'Northwind Bank,bank.example,Large,Banking,Seattle,1005,ETL,70,2099-03-02,ann',
      `Bad Name,not a domain,Large,Banking,Seattle,1001,Customer Data Platform,70,${week(0)},ann`,
      `Northwind Bank,bank.example,Large,Banking,Seattle,1001,customer data platform,99,${week(0)},ann`,
      '',
    ].join('\r\n');
    const result = await importCsv(site, file);
    expect(result).toEqual({
      accepted: 3,
      accounts: 2,
      rejected: [
        { row: 1, field: 'Sales Rep', reason: 'not a column of an intent file: ignored' },
        { row: 5, field: 'domain', reason: 'no account unknown.example: import the account first' },
        { row: 6, field: 'score', reason: 'must be a number from 0 to 100' },
        { row: 7, field: 'score', reason: 'must be a number from 0 to 100' },
        { row: 8, field: 'date', reason: '"2026-02-30" is not a date such as 2026-03-02 or 3/2/2026' },
        { row: 9, field: 'date', reason: 'the week of 2099-03-02 is in the future' },
        { row: 10, field: 'domain', reason: 'must be a domain such as acme.com' },
        { row: 11, field: 'topic', reason: 'duplicate of row 2 (same domain, topic and week)' },
      ],
    });
    // dates are filed under their week's Monday; newest first
    expect((await accountOf(site, 'bank.example')).intent).toEqual([
      { topic: 'Customer Data Platform', score: 82, week: week(0) },
      { topic: 'Data Warehousing', score: 64, week: week(1) },
    ]);
    expect((await accountOf(site, 'snow.example')).intent).toEqual([{ topic: 'Customer Data Platform', score: 71, week: week(2) }]);
    // the edge's read copy holds what the store holds, through the same outbox as account imports
    await settleReadCopy(site);
    await expectEdgeReadsStore(site);
    expect((Account.parse(await env.KV.get(kvKeys.account(site, 'bank.example'), 'json'))).intent).toHaveLength(2);
  });

  it('reads the generic domain,topic,score,date form, any case, and merges with the scores held', async () => {
    const site = await siteWithAccounts('intent-generic');
    expect(await importCsv(site, `domain,topic,score,date\nbank.example,CRM,55,${week(1)}\nbank.example,ERP,61,${week(1)}\n`)).toEqual({ accepted: 2, accounts: 1, rejected: [] });
    // a second file: CRM's score for that week is replaced, a new week is added
    const second = `DOMAIN,Topic,SCORE,Date\nbank.example,crm,66,${week(1)}\nbank.example,CRM,70,${week(0)}\n`;
    expect(await importCsv(site, second)).toEqual({ accepted: 2, accounts: 1, rejected: [] });
    expect((await accountOf(site, 'bank.example')).intent).toEqual([
      { topic: 'CRM', score: 70, week: week(0) },
      { topic: 'crm', score: 66, week: week(1) },
      { topic: 'ERP', score: 61, week: week(1) },
    ]);
  });

  it('refuses a file without a domain, topic, score or date column, writing nothing', async () => {
    const site = await siteWithAccounts('intent-head');
    const res = await csv(site, `domain,topic,date\nbank.example,CRM,${week(0)}\n`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'invalid CSV',
      issues: [{ path: 'header', message: 'the header has no score column (found: domain, topic, date); expected e.g. domain,topic,score,date' }],
    });
    expect((await accountOf(site, 'bank.example')).intent).toBeUndefined();
  });

  it('keeps the newest scores only, at most 200 per account', async () => {
    const site = await siteWithAccounts('intent-bound');
    const rows = Array.from({ length: 250 }, (_, i) => `bank.example,Topic ${i},${i % 100},${week(i % 5)}`);
    expect((await importCsv(site, ['domain,topic,score,week', ...rows].join('\n'))).accepted).toBe(250);
    const intent = (await accountOf(site, 'bank.example')).intent!;
    expect(intent).toHaveLength(MAX_INTENT_SCORES);
    expect(new Set(intent.map((s) => s.week))).toEqual(new Set([week(0), week(1), week(2), week(3)]));
  });
});

describe('intent import: JSON', () => {
  it('takes rows with a week (its Monday) or a date, and reports bad ones by row and field', async () => {
    const site = await siteWithAccounts('intent-json');
    const rows = [
      { domain: 'client.example', topic: 'Payments', score: 77.5, week: week(0) },
      { domain: 'client.example', topic: 'Fraud', score: 61, date: midweek(3).toISOString().slice(0, 10) },
      { domain: 'client.example', topic: 'Fraud', score: 61, week: midweek(3).toISOString().slice(0, 10) },
      { domain: 'client.example', topic: '', score: 61, week: week(0) },
      { domain: 'client.example', topic: 'Risk', score: '61', week: week(0) },
      { domain: 'client.example', topic: 'Risk', score: 61 },
    ];
    const result = IntentImportResult.parse(await adminJson('POST', `/sites/${site}/intent/import`, { rows, firstRow: 10 }));
    expect(result).toEqual({
      accepted: 2,
      accounts: 1,
      rejected: [
        { row: 12, field: 'week', reason: `must be the Monday of its week (UTC): ${week(3)}` },
        { row: 13, field: 'topic', reason: 'is required' },
        { row: 14, field: 'score', reason: 'must be a number from 0 to 100' },
        { row: 15, field: 'date', reason: 'is required: the week (its Monday) or a date in it' },
      ],
    });
    expect((await accountOf(site, 'client.example')).intent).toEqual([
      { topic: 'Payments', score: 77.5, week: week(0) },
      { topic: 'Fraud', score: 61, week: week(3) },
    ]);
    const tooMany = await admin('POST', `/sites/${site}/intent/import`, { rows: Array.from({ length: 5001 }, () => ({})) });
    expect(tooMany.status).toBe(400);
    expect(await tooMany.json()).toMatchObject({ issues: [{ path: 'rows' }] });
    expect((await admin('POST', `/sites/nobody-${Date.now()}/intent/import`, { rows })).status).toBe(404);
  });

  it('is for editors: a viewer is refused and nothing changes', async () => {
    const site = await siteWithAccounts('intent-role');
    const { token } = await adminJson<{ token: string }>('POST', `/sites/${site}/tokens`, { name: 'viewer', role: 'viewer' }, 201);
    const rows = [{ domain: 'bank.example', topic: 'CRM', score: 90, week: week(0) }];
    const res = await admin('POST', `/sites/${site}/intent/import`, { rows }, { token });
    expect(res.status).toBe(403);
    expect((await accountOf(site, 'bank.example')).intent).toBeUndefined();
  });
});

describe('intent and account imports', () => {
  it('an account re-imported or edited without intent keeps its scores', async () => {
    const site = await siteWithAccounts('intent-keep');
    await adminJson('POST', `/sites/${site}/intent/import`, { rows: [{ domain: 'plain.example', topic: 'CRM', score: 80, week: week(0) }] });
    await adminJson('POST', `/sites/${site}/accounts/import`, { rows: [{ domain: 'plain.example', name: 'Plain Co', industry: 'Software' }] });
    await adminJson('PUT', `/sites/${site}/accounts/plain.example`, { domain: 'plain.example', name: 'Plain Co', industry: 'Software', employees: 60 });
    expect(await accountOf(site, 'plain.example')).toEqual({
      domain: 'plain.example', name: 'Plain Co', industry: 'Software', employees: 60, intent: [{ topic: 'CRM', score: 80, week: week(0) }],
    });
  });
});

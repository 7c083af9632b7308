// The CRM sync's Cron Trigger as Cloudflare runs it: `wrangler dev --test-scheduled`, then
// `GET /__scheduled?cron=` with the every-10-minutes expression (edge/crm/schedule.ts CRM_CRON), against a
// HubSpot stand-in (test/support/hubspot-server.ts): the companies become accounts the edge decides for;
// and the deals it reads reach the admin Report's Pipeline goal in Chromium, per arm of the accounts exposed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DecideResponse, Report } from '../../shared/schemas';
import { launchBrowser, withCheckedPage } from '../support/browser';
import { adminClient, publishSite, startWorker } from '../support/harness.mjs';
import type { RunningWorker } from '../support/harness.d.mts';
import { startHubSpotStandIn } from '../support/hubspot-server';
import { HUBSPOT_TOKEN } from '../worker/support/hubspot-fixture';
import { signedAccount } from '../support/links';

const TOKEN = 'crm-scheduled-admin-token';
const LINK_SECRET = 'crm-scheduled-link-secret';
const SITE = 'crm-cron';
let worker: RunningWorker;
let hubspot: { origin: string; close: () => Promise<void> };

beforeAll(async () => {
  hubspot = await startHubSpotStandIn();
  worker = await startWorker({ args: ['--test-scheduled'], vars: { ADMIN_TOKEN: TOKEN, LINK_SECRET, HUBSPOT_TOKEN, HUBSPOT_API: hubspot.origin } });
});

afterAll(async () => {
  await worker?.stop();
  await hubspot?.close();
});

const api = (method: string, path: string, body?: unknown) => adminClient(worker.origin, TOKEN)(method, path, body);

describe('the CRM sync’s Cron Trigger under wrangler dev --test-scheduled', () => {
  it('syncs the published site’s HubSpot companies when /__scheduled runs the every-10-minutes trigger', { timeout: 120_000 }, async () => {
    await fetch(`${hubspot.origin}/__seed`, { method: 'POST', body: JSON.stringify({ count: 250, from: Date.now() - 3_600_000, step: 1000 }) });
    await publishSite(adminClient(worker.origin, TOKEN), { id: SITE, name: 'CRM cron', allowedOrigins: ['https://www.crm.example'] }, (config) => ({ ...config, crm: { provider: 'hubspot' } }));
    // the read copy serves the published config before the trigger looks for syncing sites
    for (let i = 0; i < 50; i++) {
      const res = await fetch(`${worker.origin}/v1/decide`, { method: 'POST', body: JSON.stringify({ site: SITE, url: 'https://www.crm.example/' }) });
      if (res.status === 200) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const ran = await fetch(`${worker.origin}/__scheduled?cron=${encodeURIComponent('*/10 * * * *')}`);
    expect(ran.status).toBe(200);
    let status: any;
    for (let i = 0; i < 120; i++) {
      status = await api('GET', `/sites/${SITE}/crm`);
      if (status.lastSyncedAt && !status.running) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(status).toMatchObject({ read: 250, written: 250, refused: 0, lastFailure: null });
    // the read copy holds them (a decide asked before would cache the account's absence for 30 s)
    for (let i = 0; i < 120 && (await api('GET', `/sites/${SITE}/read-copy`)).pending > 0; i++) await new Promise((r) => setTimeout(r, 250));
    // the edge knows the accounts: a signed link to one resolves it
    const link = await signedAccount(LINK_SECRET, SITE, 'company-249.example');
    let account: unknown = null;
    for (let i = 0; i < 60 && !account; i++) {
      const res = await fetch(`${worker.origin}/v1/decide`, { method: 'POST', body: JSON.stringify({ site: SITE, url: `https://www.crm.example/?pz_account=${encodeURIComponent(link)}` }) });
      account = ((await res.json()) as { account: unknown }).account;
      if (!account) await new Promise((r) => setTimeout(r, 500));
    }
    expect(account).toMatchObject({ domain: 'company-249.example', name: 'Company 249' });
  });
});

describe('the CRM’s deals in the admin Report', () => {
  it('syncs the deals of the companies, and the Report’s Pipeline goal shows them per arm of the accounts exposed', { timeout: 120_000 }, async () => {
    const site = 'crm-pipeline';
    const origin = 'https://www.pipeline.example';
    // 200 companies, every tenth a customer (the demo's "customers" segment, held out here for half the accounts)
    await fetch(`${hubspot.origin}/__seed`, { method: 'POST', body: JSON.stringify({ count: 200, from: Date.now() - 3_600_000, step: 1000 }) });
    const customers = Array.from({ length: 20 }, (_, k) => 10 * k);
    const amount = (i: number) => 1_000 * (i / 10 + 1);
    const now = new Date().toISOString();
    const deals = customers.map((i) => ({
      id: String(5000 + i),
      properties: { dealname: `Deal ${i}`, amount: String(amount(i)), dealstage: i % 20 ? 'appointmentscheduled' : 'closedwon', createdate: now, closedate: now, hs_is_closed_won: i % 20 ? 'false' : 'true', hs_is_closed: i % 20 ? 'false' : 'true', hs_lastmodifieddate: now },
      companies: [{ id: String(1000 + i), primary: true }],
    }));
    await fetch(`${hubspot.origin}/__deals`, { method: 'POST', body: JSON.stringify({ deals }) });
    await publishSite(adminClient(worker.origin, TOKEN), { id: site, name: 'CRM pipeline', allowedOrigins: [origin], template: 'demo' }, (config) => ({
      ...config,
      crm: { provider: 'hubspot', pipeline: true },
      segments: config.segments.map((s: { id: string }) => (s.id === 'customers' ? { ...s, holdout: 0.5 } : s)),
    }));
    for (let i = 0; i < 50 && (await fetch(`${worker.origin}/v1/decide`, { method: 'POST', body: JSON.stringify({ site, url: `${origin}/` }) })).status !== 200; i++) await new Promise((r) => setTimeout(r, 200));
    expect((await fetch(`${worker.origin}/__scheduled?cron=${encodeURIComponent('*/10 * * * *')}`)).status).toBe(200);
    let status: any;
    for (let i = 0; i < 120 && !(status?.pipeline?.lastSyncedAt && !status.running && !status.pipeline.running); i++) {
      await new Promise((r) => setTimeout(r, 500));
      status = await api('GET', `/sites/${site}/crm`);
    }
    expect(status).toMatchObject({ read: 200, pipeline: { read: 20, written: 20, unmatched: 0 } });
    for (let i = 0; i < 120 && (await api('GET', `/sites/${site}/read-copy`)).pending > 0; i++) await new Promise((r) => setTimeout(r, 250));

    // each customer's visitor sees a page of the site, measured as the snippet would report it
    const expected = { personalized: { accounts: 0, pipeline: 0 }, holdout: { accounts: 0, pipeline: 0 } };
    for (const i of customers) {
      const visitor = `visitor-${i}`;
      const link = await signedAccount(LINK_SECRET, site, `company-${i}.example`);
      const res = await fetch(`${worker.origin}/v1/decide`, {
        method: 'POST',
        headers: { origin },
        body: JSON.stringify({ site, url: `${origin}/?pz_account=${encodeURIComponent(link)}`, visitor }),
      });
      const decision = DecideResponse.parse(await res.json());
      expect(decision.segment?.id).toBe('customers');
      const arm = decision.measure!.arm;
      expected[arm].accounts++;
      expected[arm].pipeline += amount(i);
      const sent = await fetch(`${worker.origin}/v1/events`, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json' },
        body: JSON.stringify({ site, batch: crypto.randomUUID().replaceAll('-', ''), visitor, events: [{ type: 'exposure', ...decision.measure }] }),
      });
      expect(sent.status, await sent.clone().text()).toBe(202);
    }
    expect(expected.personalized.accounts).toBeGreaterThan(0);
    expect(expected.holdout.accounts).toBeGreaterThan(0);
    let report: Report | undefined;
    for (let i = 0; i < 100; i++) {
      report = Report.parse(await api('GET', `/report?site=${site}`));
      const p = report.segments.find((s) => s.segment === 'customers')?.pipeline;
      if (p && p.arms.personalized.accounts + p.arms.holdout.accounts === customers.length) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const pipeline = report!.segments.find((s) => s.segment === 'customers')!.pipeline;
    expect(pipeline.arms.personalized).toMatchObject({ accounts: expected.personalized.accounts, withOpportunity: expected.personalized.accounts, pipeline: expected.personalized.pipeline });
    expect(pipeline.arms.holdout).toMatchObject({ accounts: expected.holdout.accounts, withOpportunity: expected.holdout.accounts, pipeline: expected.holdout.pipeline });

    const browser = await launchBrowser();
    try {
      await withCheckedPage(browser, async (page) => {
        await page.goto(`${worker.origin}/admin`);
        await page.getByLabel('Admin token').fill(TOKEN);
        await page.getByLabel('Site id').fill(site);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Report' }).click();
        await page.getByRole('form', { name: 'Report range and goal' }).getByLabel('Goal').selectOption('pipeline');
        const card = page.getByRole('article', { name: /^Customers/ });
        const row = (arm: string) => card.getByRole('row').filter({ hasText: arm });
        await row('Personalized').waitFor();
        const money = (n: number) => n.toLocaleString('en');
        expect(await row('Personalized').innerText()).toMatch(new RegExp(`^\\s*Personalized\\s+${expected.personalized.accounts}\\s+${expected.personalized.accounts}\\s+100\\.0%\\s+${money(expected.personalized.pipeline)}\\s`));
        expect(await row('Holdout').innerText()).toMatch(new RegExp(`^\\s*Holdout\\s+${expected.holdout.accounts}\\s+${expected.holdout.accounts}\\s+100\\.0%\\s+${money(expected.holdout.pipeline)}\\s`));
        // 10 accounts an arm at most: not enough to compare, and the card says so
        expect(await card.innerText()).toContain('Not enough data yet on accounts with a new opportunity');
      });
    } finally {
      await browser.close();
    }
  });
});

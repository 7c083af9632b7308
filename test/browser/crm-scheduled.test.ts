// The CRM sync's Cron Trigger as Cloudflare runs it: `wrangler dev --test-scheduled`, then
// `GET /__scheduled?cron=` with the every-10-minutes expression (edge/crm/schedule.ts CRM_CRON), against a
// HubSpot stand-in (test/support/hubspot-server.ts): the companies become accounts the edge decides for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

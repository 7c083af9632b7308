/**
 * Sales alerts in the admin (Accounts → Sales alerts, Recent alerts) in Chromium against a Worker of its
 * own (wrangler dev), whose SLACK_HOOKS_URL points at the stand-ins for Slack's incoming webhooks and a
 * JSON receiver (test/support/hooks-server.ts): the URLs are saved write-only to the draft (never shown,
 * never in an answer), a bad one is refused at its field, a `(saved)` the draft no longer holds is the
 * API's refusal at its field; after Publish a real page view alerts, and the list shows each channel's
 * delivery; the owner's signing secret verifies the webhook that arrived; Remove stops one channel.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../shared/alerts/signature';
import { type AlertRecord, SAVED_SECRET, SiteState } from '../../shared/schemas';
import { launchBrowser, withCheckedPage } from '../support/browser';
import { adminClient, startWorker } from '../support/harness.mjs';
import type { RunningWorker } from '../support/harness.d.mts';
import { startHooksStandIn } from '../support/hooks-server';
import { signedAccount } from '../support/links';
import type { HookCall } from '../worker/support/hooks-fixture';

const TOKEN = 'admin-alerts-admin-token';
const LINK_SECRET = 'admin-alerts-link-secret';
const SITE = 'alerts-ui';
const ORIGIN = 'https://www.alerts.example';
// the stand-in scripts its answer by the token: ok-… is 200 ok
const SLACK_TOKEN = `ok-${crypto.randomUUID().slice(0, 8)}`;
const HOOK_NAME = `ok-${crypto.randomUUID().slice(0, 8)}`;
const SLACK_URL = `https://hooks.slack.com/services/T0TEST/B0TEST/${SLACK_TOKEN}`;

let worker: RunningWorker;
let hooks: { origin: string; close: () => Promise<void> };
let browser: Browser;
let api: ReturnType<typeof adminClient>;
const hookUrl = () => `${hooks.origin}/hook/${HOOK_NAME}`;

beforeAll(async () => {
  hooks = await startHooksStandIn();
  [worker, browser] = await Promise.all([startWorker({ vars: { ADMIN_TOKEN: TOKEN, LINK_SECRET, SLACK_HOOKS_URL: hooks.origin } }), launchBrowser()]);
  api = adminClient(worker.origin, TOKEN);
  await api('POST', '/sites', { id: SITE, name: 'Alerts UI', allowedOrigins: [ORIGIN], template: 'demo' });
  await api('POST', `/sites/${SITE}/accounts/import`, { rows: [{ domain: 'bank.example', name: 'Northwind Bank', industry: 'Banking', employees: 5000 }] });
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await hooks?.close();
});

const draft = async () => SiteState.parse(await api('GET', `/sites/${SITE}`)).draft;
const calls = async (prefix: string) => (await (await fetch(`${hooks.origin}/__calls?prefix=${encodeURIComponent(prefix)}`)).json()) as HookCall[];

/** Every answer of the admin API the page read, to check no URL ever leaves the edge. */
function recordAnswers(page: Page): () => Promise<string[]> {
  const bodies: Promise<string>[] = [];
  page.on('response', (res) => {
    if (res.url().includes('/api/admin/')) bodies.push(res.text().catch(() => ''));
  });
  return () => Promise.all(bodies);
}

async function openAlerts(page: Page) {
  await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Accounts' }).click();
  await page.getByRole('heading', { level: 1, name: 'Accounts' }).waitFor();
  return page.getByRole('form', { name: 'Sales alerts' });
}

async function signIn(page: Page) {
  await page.goto(`${worker.origin}/admin`);
  await page.getByLabel('Admin token').fill(TOKEN);
  await page.getByLabel('Site id').fill(SITE);
  await page.getByRole('button', { name: 'Sign in' }).click();
  return openAlerts(page);
}

/** What the page shows: its markup and what its inputs hold (a value typed in is a property, not in the markup). */
const pageText = (page: Page) =>
  page.evaluate(() => [document.documentElement.outerHTML, ...Array.from(document.querySelectorAll('input, textarea'), (e) => (e as HTMLInputElement).value)].join('\n'));

/** Neither URL's credential part appears in the text. */
const expectNoUrls = (text: string) => {
  expect(text).not.toContain(SLACK_TOKEN);
  expect(text).not.toContain(HOOK_NAME);
};

describe('sales alerts in the admin', () => {
  it('saves the Slack and webhook URLs to the draft write-only: shown as saved after a reload, never in the page or an answer; a bad URL is refused at its field', { timeout: 90_000 }, async () => {
    await withCheckedPage(browser, async (page) => {
      const answers = recordAnswers(page);
      let form = await signIn(page);
      const slack = form.getByLabel('Slack incoming-webhook URL');
      expect(await form.getByRole('radio', { name: 'Every segment' }).isChecked()).toBe(true);
      expect(await form.getByLabel('Alert an account again after (days)').inputValue()).toBe('7');

      // not a Slack incoming webhook: the shared schema's message at the field, nothing saved
      await slack.fill('https://example.com/not-slack');
      await form.getByRole('button', { name: 'Save alert settings' }).click();
      await form.getByText('must be a Slack incoming-webhook URL').waitFor();
      expect(await slack.getAttribute('aria-invalid')).toBe('true');
      expect((await draft()).config.alerts).toBeUndefined();

      await slack.fill(SLACK_URL);
      await form.getByLabel('JSON webhook URL').fill(hookUrl());
      await form.getByRole('radio', { name: 'Only these:' }).check();
      await form.getByRole('checkbox', { name: 'Fintech enterprise' }).check();
      await form.getByLabel('Alert an account again after (days)').fill('3');
      expect(await pageText(page)).toContain(SLACK_TOKEN); // as typed, until saved
      await form.getByRole('button', { name: 'Save alert settings' }).click();
      await page.getByRole('status').filter({ hasText: 'Sales alerts saved to the draft: publish to send them.' }).waitFor();
      expect(await slack.getAttribute('aria-invalid')).toBeNull();
      expect(await slack.inputValue()).toBe('Saved (not shown: it is a credential)');
      await form.getByRole('button', { name: 'Replace the Slack webhook URL' }).waitFor();
      await form.getByRole('button', { name: 'Remove the webhook URL' }).waitFor();
      expectNoUrls(await pageText(page));
      expect((await draft()).config.alerts).toEqual({ slack: { webhookUrl: SAVED_SECRET }, webhook: { url: SAVED_SECRET }, segments: ['fintech-enterprise'], windowDays: 3 });

      await page.reload();
      form = await openAlerts(page);
      expect(await form.getByLabel('Slack incoming-webhook URL').inputValue()).toBe('Saved (not shown: it is a credential)');
      expect(await form.getByLabel('JSON webhook URL').inputValue()).toBe('Saved (not shown: it is a credential)');
      expect(await form.getByRole('radio', { name: 'Only these:' }).isChecked()).toBe(true);
      expect(await form.getByRole('checkbox', { name: 'Fintech enterprise' }).isChecked()).toBe(true);
      expect(await form.getByRole('checkbox', { name: 'Startups' }).isChecked()).toBe(false);
      expect(await form.getByLabel('Alert an account again after (days)').inputValue()).toBe('3');
      expectNoUrls(await pageText(page));
      const read = await answers();
      expect(read.some((b) => b.includes('"(saved)"'))).toBe(true);
      for (const body of read) expectNoUrls(body);
    });
  });

  it('shows the API’s refusal at its field: a saved URL another admin removed meanwhile cannot be kept', { timeout: 90_000 }, async () => {
    await withCheckedPage(browser, async (page) => {
      const form = await signIn(page);
      // another admin removes the alerts while this form still shows both URLs as saved
      const { revision, config } = await draft();
      await api('PUT', `/sites/${SITE}/draft`, { baseRevision: revision, config: { ...config, alerts: undefined } });

      await form.getByLabel('Alert an account again after (days)').fill('5');
      await form.getByRole('button', { name: 'Save alert settings' }).click();
      await form.getByText('no Slack webhook URL is saved to keep: paste the URL').waitFor();
      await form.getByText('no webhook URL is saved to keep: paste the URL').waitFor();
      expect(await form.getByLabel('Slack incoming-webhook URL').getAttribute('aria-invalid')).toBe('true');
      await form.getByRole('alert').filter({ hasText: 'Fix the 2 fields marked below' }).waitFor();

      // pasted again: the save then meets the other admin's revision, and goes through after Reload
      await form.getByRole('button', { name: 'Replace the Slack webhook URL' }).click();
      await form.getByLabel('Slack incoming-webhook URL').fill(SLACK_URL);
      await form.getByRole('button', { name: 'Replace the webhook URL' }).click();
      await form.getByLabel('JSON webhook URL').fill(hookUrl());
      await form.getByRole('button', { name: 'Save alert settings' }).click();
      await page.getByRole('alert').filter({ hasText: 'Someone else changed this site' }).waitFor();
      await page.getByRole('button', { name: 'Reload' }).click();
      await page.getByRole('alert').filter({ hasText: 'Someone else changed' }).waitFor({ state: 'detached' });
      await form.getByRole('button', { name: 'Save alert settings' }).click();
      await page.getByRole('status').filter({ hasText: 'Sales alerts saved to the draft' }).waitFor();
      expect((await draft()).config.alerts).toEqual({ slack: { webhookUrl: SAVED_SECRET }, webhook: { url: SAVED_SECRET }, segments: ['fintech-enterprise'], windowDays: 5 });
      expectNoUrls(await pageText(page));
    });
  });

  it('publishes; a real page view alerts, Recent alerts shows each channel delivered, and the owner’s signing secret verifies the webhook; Remove stops one channel', { timeout: 120_000 }, async () => {
    await withCheckedPage(browser, async (page) => {
      await signIn(page);
      await page.getByRole('button', { name: 'Publish' }).click();
      await page.getByRole('status').filter({ hasText: /Published version \d+/ }).waitFor();

      // Northwind Bank, known by a signed link, views a page of the site: it enters "Fintech enterprise"
      const link = await signedAccount(LINK_SECRET, SITE, 'bank.example');
      const visitor = `v-${crypto.randomUUID().slice(0, 12)}`;
      let alerts: AlertRecord[] = [];
      // the edge reads the published config within about 10 s; a decision with the older one alerts nobody
      for (let i = 0; i < 60; i++) {
        const res = await fetch(`${worker.origin}/v1/decide`, {
          method: 'POST',
          headers: { origin: ORIGIN, 'content-type': 'application/json' },
          body: JSON.stringify({ site: SITE, url: `${ORIGIN}/?pz_account=${encodeURIComponent(link)}`, visitor }),
        });
        expect(res.status).toBe(200);
        alerts = ((await api('GET', `/sites/${SITE}/alerts`)) as { alerts: AlertRecord[] }).alerts;
        if (alerts[0]?.status === 'delivered') break;
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({ account: 'bank.example', segment: 'fintech-enterprise', status: 'delivered' });

      // the URLs kept through every "(saved)" are the ones pasted: the stand-ins received the alert
      const [slackCall] = await calls(`/services/T0TEST/B0TEST/${SLACK_TOKEN}`);
      const [hookCall] = await calls(`/hook/${HOOK_NAME}`);
      expect(slackCall?.status).toBe(200);
      expect(hookCall?.status).toBe(200);

      const list = page.getByRole('table', { name: 'Recent alerts' });
      await page.getByRole('button', { name: 'Refresh' }).click();
      const row = list.getByRole('row').filter({ hasText: 'Northwind Bank' });
      await row.waitFor();
      expect(await row.getByRole('rowheader').innerText()).toMatch(/Northwind Bank\s+bank\.example/);
      expect(await row.innerText()).toContain('Fintech enterprise');
      expect(await row.getByTestId('delivery').allInnerTexts()).toEqual(['Slack delivered 1 attempt · HTTP 200', 'Webhook delivered 1 attempt · HTTP 200']);

      // the owner's signing secret, as the hint says, verifies the webhook that arrived
      const form = page.getByRole('form', { name: 'Sales alerts' });
      await form.getByRole('button', { name: 'Show the signing secret' }).click();
      const secret = await form.getByLabel('Signing secret').inputValue();
      expect(secret).toMatch(/^[0-9a-f]{64}$/);
      expect(await form.innerText()).toContain('X-PZ-Timestamp, X-PZ-Signature, X-PZ-Alert-Id. To verify: expected = "v1=" + hex(HMAC-SHA256(secret,');
      const header = (name: string) => String(hookCall!.headers[name] ?? '');
      const verified = await verifyWebhook(secret, hookCall!.body, { timestamp: header('x-pz-timestamp'), signature: header('x-pz-signature') }, Date.now() / 1000);
      expect(verified).toEqual({ ok: true });

      // Remove stops one channel; the other URL stays saved
      await form.getByRole('button', { name: 'Remove the Slack webhook URL' }).click();
      expect(await form.getByLabel('Slack incoming-webhook URL').inputValue()).toBe('Removed when you save');
      await form.getByRole('button', { name: 'Save alert settings' }).click();
      await page.getByRole('status').filter({ hasText: 'Sales alerts saved to the draft' }).waitFor();
      expect((await draft()).config.alerts).toEqual({ webhook: { url: SAVED_SECRET }, segments: ['fintech-enterprise'], windowDays: 5 });
      expect(await form.getByLabel('Slack incoming-webhook URL').inputValue()).toBe('');
      expect(await form.getByLabel('JSON webhook URL').inputValue()).toBe('Saved (not shown: it is a credential)');
    });
  });
});

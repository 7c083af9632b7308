import { env } from 'cloudflare:workers';
import { expect, inject } from 'vitest';
import { type Account, type AlertPayload, type AlertRecord, type DecideResponse, SiteConfig } from '../../../shared/schemas';
import { buildKvEntries } from '../../../shared/kv/entries';
import { forgetSiteConfig } from '../../../edge/kv/site-config';
import type { HookCall } from './hooks-fixture';
import { adminJson } from './admin';
import { ALLOWED_ORIGIN, noHoldout, post, signed } from './fixture';

/** The stand-in (test/support/hooks-server.ts): Slack's webhooks under /services/…, a JSON receiver under /hook/…. */
export const hooksServer = () => inject('hooksServer');

/** A Slack webhook URL as Slack hands them out; the Worker sends it to the stand-in (SLACK_HOOKS_URL). */
export const slackUrl = (token: string) => `https://hooks.slack.com/services/T0TEST/B0TEST/${token}`;
export const webhookUrl = (name: string) => `${hooksServer()}/hook/${name}`;

export const token = (kind: string) => `${kind}-${crypto.randomUUID().slice(0, 8)}`;

export const alertAccounts: Account[] = [
  { domain: 'bank.example', name: 'Northwind Bank', industry: 'Banking', employees: 5000, country: 'US', tech: ['Snowflake'] },
  { domain: 'fin.example', name: 'Fin Corp', industry: 'Fintech', employees: 1200 },
  ...Array.from({ length: 10 }, (_, i) => ({ domain: `bank-${i}.example`, name: `Bank ${i}`, industry: 'Banking', employees: 2000 + i })),
  { domain: 'plain.example', name: 'Plain Co', industry: 'Retail', employees: 50 },
];

export interface AlertOptions {
  slack?: string;
  webhook?: string;
  segments?: string[];
  windowDays?: number;
}

/** A site with a firmographic segment, a behavioural one (pricing views) and the given alerts. */
export const alertConfig = (site: string, alerts: AlertOptions) =>
  SiteConfig.parse({
    site,
    name: 'Alerting site',
    version: 2,
    allowedOrigins: [ALLOWED_ORIGIN],
    pageGroups: [{ id: 'pricing', name: 'Pricing', patterns: ['/pricing*'] }],
    segments: noHoldout([
      { id: 'hot-pricing', name: 'Hot on pricing', kind: 'behavioural', priority: 20, rule: { all: [{ op: 'views', group: 'pricing', min: 2, days: 7 }] } },
      {
        id: 'fintech',
        name: 'Fintech enterprise',
        priority: 30,
        rule: { all: [{ field: 'account.industry', op: 'in', values: ['Fintech', 'Banking'] }, { field: 'account.employees', op: 'range', min: 1000 }] },
      },
    ]),
    slots: [{ id: 'headline', type: 'text' }],
    variants: { fintech: { headline: { type: 'text', text: 'Hello {{account.name}}' } }, 'hot-pricing': { headline: { type: 'text', text: 'Pricing questions?' } } },
    alerts: {
      ...(alerts.slack && { slack: { webhookUrl: slackUrl(alerts.slack) } }),
      ...(alerts.webhook && { webhook: { url: webhookUrl(alerts.webhook) } }),
      ...(alerts.segments && { segments: alerts.segments }),
      ...(alerts.windowDays && { windowDays: alerts.windowDays }),
    },
  });

/** Publishes the config straight into the edge's read copy (as the site store would). */
export async function seedAlertSite(site: string, alerts: AlertOptions): Promise<SiteConfig> {
  const config = alertConfig(site, alerts);
  const { entries, rejected } = buildKvEntries(site, config, alertAccounts);
  if (rejected.length) throw new Error(JSON.stringify(rejected));
  await Promise.all(entries.map((e) => env.KV.put(e.key, e.value)));
  forgetSiteConfig(site);
  return config;
}

/** A page view of `path` by a visitor of `domain` known by a signed ABM link (verified), from the site's page. */
export async function viewAs(site: string, domain: string, path = '/pricing', visitor = `v-${crypto.randomUUID().slice(0, 12)}`, headers: Record<string, string> = {}): Promise<DecideResponse> {
  const url = `${ALLOWED_ORIGIN}${path}${path.includes('?') ? '&' : '?'}pz_account=${encodeURIComponent(await signed(domain, site))}`;
  const res = await post('/v1/decide', { site, url, visitor }, { headers: { origin: ALLOWED_ORIGIN, ...headers } });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as DecideResponse;
}

export async function hookCalls(prefix: string): Promise<HookCall[]> {
  return (await (await fetch(`${hooksServer()}/__calls?prefix=${encodeURIComponent(prefix)}`)).json()) as HookCall[];
}
export const slackCalls = (t: string) => hookCalls(`/services/T0TEST/B0TEST/${t}`);
export const webhookCalls = (name: string) => hookCalls(`/hook/${name}`);

export async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: never got there: ${JSON.stringify(value).slice(0, 2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function alertsOf(site: string, query = ''): Promise<AlertRecord[]> {
  return (await adminJson<{ alerts: AlertRecord[] }>('GET', `/sites/${site}/alerts${query}`)).alerts;
}

/** The site's alerts as D1 holds them, without the admin (whose site check needs a site store). */
export async function alertRows(site: string): Promise<{ id: string; account: string; segment: string }[]> {
  return (await env.EVENTS_DB.prepare('SELECT id, account, segment FROM alerts WHERE site = ?1 ORDER BY entered_at').bind(site).all<{ id: string; account: string; segment: string }>()).results;
}

export async function deliveries(alertId: string) {
  return (
    await env.EVENTS_DB.prepare('SELECT channel, status, attempts, last_status, last_error FROM alert_deliveries WHERE alert_id = ?1 ORDER BY channel')
      .bind(alertId)
      .all<{ channel: string; status: string; attempts: number; last_status: number | null; last_error: string | null }>()
  ).results;
}

/** A payload as detection writes it, for consumer tests that claim an alert themselves (no queue message sent). */
export const payloadFor = (site: string, account: string, segment = 'fintech', over: Partial<AlertPayload> = {}): AlertPayload => ({
  type: 'segment.entered',
  id: crypto.randomUUID(),
  site,
  siteName: 'Alerting site',
  account: { domain: account, name: 'Northwind Bank', industry: 'Banking', employees: 5000 },
  segment: { id: segment, name: 'Fintech enterprise', kind: 'firmographic' },
  enteredAt: new Date().toISOString(),
  resolvedBy: { method: 'link', confidence: 'verified' },
  page: '/pricing',
  why: ['account.industry is one of "Fintech", "Banking" (is "Banking")'],
  activity: null,
  adminUrl: `https://edge.test/admin?site=${site}#/accounts?q=${account}`,
  windowDays: 7,
  ...over,
});

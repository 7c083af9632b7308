import { env, exports } from 'cloudflare:workers';
import { signedAccount, WORKER_TEST_LINK_SECRET } from '../../support/links';
import { type Account, SiteConfig } from '../../../shared/schemas';
import { buildKvEntries } from '../../../shared/kv/entries';
import { clearConfigCache } from '../../../edge/kv/site-config';

/** A small site of our own, so each assertion names exactly what it expects. */
export const SITE = 'acme-test';
export const ALLOWED_ORIGIN = 'https://www.vendor.example';

/**
 * Content tests hold nobody out (`holdout: 0`): with the default 10 % a test's random site id would put
 * one account in ten in the holdout arm. Measurement tests use their own site (support/measure.ts).
 */
export const noHoldout = <T extends object>(segments: T[]) => segments.map((s) => ({ ...s, holdout: 0 }));

export const siteConfig = SiteConfig.parse({
  site: SITE,
  name: 'Fixture site',
  version: 7,
  allowedOrigins: [ALLOWED_ORIGIN, 'http://localhost:*'],
  segments: noHoldout([
    { id: 'customers', name: 'Customers', kind: 'intent', priority: 10, rule: { all: [{ field: 'account.stage', op: 'equals', value: 'customer' }] } },
    {
      id: 'fintech',
      name: 'Fintech enterprise',
      priority: 30,
      rule: { all: [{ field: 'account.industry', op: 'in', values: ['Fintech', 'Banking'] }, { field: 'account.employees', op: 'range', min: 1000 }] },
    },
    { id: 'snowflake', name: 'Snowflake users', kind: 'technographic', priority: 40, rule: { all: [{ field: 'account.tech', op: 'contains', value: 'snowflake' }] } },
    { id: 'webinar', name: 'Webinar campaign', kind: 'context', priority: 50, rule: { any: [{ field: 'visit.utm_campaign', op: 'equals', value: 'q4-webinar' }, { field: 'visit.referrer_host', op: 'equals', value: 'events.example' }] } },
  ]),
  slots: [
    { id: 'headline', type: 'text' },
    { id: 'cta', type: 'link', selector: '#cta' },
    { id: 'note', type: 'html' },
  ],
  variants: {
    customers: { headline: { type: 'text', text: 'Welcome back, {{account.name}}' } },
    fintech: {
      headline: { type: 'text', text: 'Compliance-ready analytics for {{account.name|your bank}}' },
      cta: { type: 'link', text: 'Talk to our fintech team', href: '/contact?team=fintech' },
      note: { type: 'html', html: '<p>SOC 2 for <strong>{{account.name}}</strong><img src=x onerror=alert(1)><script>alert(2)</script></p>' },
    },
    snowflake: { headline: { type: 'text', text: 'Native on Snowflake, {{account.region|worldwide}}' } },
    webinar: { headline: { type: 'text', text: 'Thanks for joining the webinar' } },
  },
});

export const accounts: Account[] = [
  { domain: 'bank.example', name: 'Northwind Bank', industry: 'Banking', employees: 5000, tech: ['Snowflake'], orgNames: ['Northwind Bank N.A.'], ipRanges: ['192.0.2.0/24', '2001:db8:100::/48'] },
  { domain: 'snow.example', name: 'Snowy Retail', industry: 'Retail', employees: 300, tech: ['Snowflake', 'HubSpot'], ipRanges: ['192.0.2.16/28'] },
  { domain: 'client.example', name: 'Loyal Client', industry: 'Fintech', employees: 2000, stage: 'customer', ipRanges: ['198.51.100.0/24'] },
  { domain: 'plain.example', name: 'Plain Co', industry: 'Retail', employees: 50 },
];

/** Loads the fixture site into the real local KV binding and forgets any cached config. */
export async function seedFixture(): Promise<void> {
  const { entries, rejected } = buildKvEntries(SITE, siteConfig, accounts);
  if (rejected.length) throw new Error(`fixture rejected: ${JSON.stringify(rejected)}`);
  await Promise.all(entries.map((e) => env.KV.put(e.key, e.value)));
  clearConfigCache();
}

export interface CallOptions {
  headers?: Record<string, string>;
  cf?: Record<string, unknown>;
}

export function post(path: string, body: unknown, { headers = {}, cf }: CallOptions = {}): Promise<Response> {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  return exports.default.fetch(
    new Request(`https://edge.test${path}`, { method: 'POST', body: payload, headers: { 'content-type': 'text/plain', ...headers }, cf } as RequestInit),
  );
}

export const page = (query = '') => `https://www.vendor.example/pricing${query}`;

/**
 * The `pz_account` value of a signed ABM link to `domain` for `site` (verified, as the admin's links
 * are); a plain `?pz_account=<domain>` is only a claim, shown segments that accept claimed identities.
 */
export const signed = (domain: string, site = SITE) => signedAccount(WORKER_TEST_LINK_SECRET, site, domain);

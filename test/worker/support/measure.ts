import { env, exports } from 'cloudflare:workers';
import { expect } from 'vitest';
import { type Account, type DecideResponse, type Measure, type Report, SiteConfig } from '../../../shared/schemas';
import { assignArm, assignmentUnit } from '../../../shared/measure/assign';
import { signMeasure } from '../../../shared/measure/measure-token';
import { WORKER_TEST_LINK_SECRET } from '../../support/links';
import { buildKvEntries } from '../../../shared/kv/entries';
import { forgetSiteConfig } from '../../../edge/kv/site-config';
import { admin } from './admin';
import { post } from './fixture';

/**
 * A site for measurement tests: one segment with a 50 % holdout (so both arms are easy to find), a
 * URL goal and an element goal. Each test seeds its own site id, so D1 rows never mix between tests.
 */
export const measureConfig = (site: string, holdout = 0.5) =>
  SiteConfig.parse({
    site,
    name: 'Measured site',
    version: 3,
    allowedOrigins: ['https://www.vendor.example'],
    segments: [{ id: 'fintech', name: 'Fintech', priority: 10, holdout, rule: { all: [{ field: 'account.industry', op: 'equals', value: 'Fintech' }] } }],
    slots: [{ id: 'headline', type: 'text' }, { id: 'cta', type: 'link', selector: '#cta' }],
    variants: { fintech: { headline: { type: 'text', text: 'Hello {{account.name}}' }, cta: { type: 'link', text: 'Talk to us', href: '/contact' } } },
    goals: [{ id: 'thank-you', name: 'Reached thank-you', urlPatterns: ['/thank-you*'] }, { id: 'demo-request', name: 'Demo request' }],
  });

/** 40 fintech accounts `fin-<i>.example`. */
export const fintechAccounts: Account[] = Array.from({ length: 40 }, (_, i) => ({ domain: `fin-${i}.example`, name: `Fin ${i}`, industry: 'Fintech' }));

export async function seedMeasureSite(site: string, holdout = 0.5): Promise<void> {
  const { entries, rejected } = buildKvEntries(site, measureConfig(site, holdout), fintechAccounts);
  if (rejected.length) throw new Error(JSON.stringify(rejected));
  await Promise.all(entries.map((e) => env.KV.put(e.key, e.value)));
  forgetSiteConfig(site);
}

export async function decideFor(site: string, account: string | null, visitor?: string, path = '/'): Promise<DecideResponse> {
  const res = await post('/v1/decide', { site, url: `https://www.vendor.example${path}${account ? `?pz_account=${account}` : ''}`, visitor });
  expect(res.status).toBe(200);
  return (await res.json()) as DecideResponse;
}

export const randomId = () => crypto.randomUUID().replace(/-/g, '');

/**
 * A measure as the edge hands it out: the arm drawn for the unit (the account, else the visitor) on
 * measureConfig, and the token the edge signs it with (as decide would), so tests can build events
 * without a decide per unit. Forged events are built without this.
 */
export async function signedMeasure(site: string, visitor: string, over: { account?: string; version?: number; holdout?: number; arm?: Measure['arm'] } = {}): Promise<Measure> {
  const version = over.version ?? 3;
  const arm = over.arm ?? assignArm(site, 'fintech', assignmentUnit(over.account, visitor), over.holdout ?? 0.5);
  const measure = { segment: 'fintech', arm, version, ...(over.account && { account: over.account }) };
  return { ...measure, token: await signMeasure(WORKER_TEST_LINK_SECRET, { site, visitor, measure }, Date.now() / 1000) };
}

export function sendEvents(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return post('/v1/events', body, { headers });
}

export async function report(site: string, query = ''): Promise<Report> {
  const res = await admin('GET', `/report?site=${site}${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Report;
}

/** Polls the report until `done` holds: the queue delivers in batches of up to a second. */
export async function reportWhen(site: string, done: (r: Report) => boolean, timeoutMs = 15_000): Promise<Report> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await report(site);
    if (done(r)) return r;
    if (Date.now() > deadline) throw new Error(`report never got there: ${JSON.stringify(r.totals)} ${JSON.stringify(r.segments[0]?.arms)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export const exposure = (m: NonNullable<DecideResponse['measure']>) => ({ type: 'exposure', ...m });
export const conversion = (m: NonNullable<DecideResponse['measure']>, goal: string) => ({ type: 'conversion', goal, ...m });

/** `exports` is used by the tests that call the Worker's queue handler directly. */
export { exports };

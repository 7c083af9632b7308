/**
 * Measurement end to end, on the real Worker (wrangler dev: Queue and D1 local): a site with a 50 %
 * holdout, a visitor of a held-out account clicks the call to action as written, a visitor of a
 * personalized account sees the variant; the report counts each in its own arm.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DecideResponse, type Report, SiteConfig, SiteState } from '../../shared/schemas';
import { snippetTag } from '../../shared/snippet-tag';
import { customerPage, launchBrowser, serve, waitForReveal, type TestServer } from '../support/browser';
import { sharedWorker } from '../support/worker';

/** A site of its own, created here through the admin API, on the browser project's shared Worker. */
const SITE = 'measured';
const worker = sharedWorker();
const TOKEN = worker.adminToken;
let browser: Browser;
let customer: TestServer;
const pages: Record<string, string> = {};

const config = SiteConfig.parse({
  site: SITE,
  name: 'Measured',
  allowedOrigins: ['http://127.0.0.1:*'],
  segments: [{ id: 'fintech', name: 'Fintech', priority: 10, holdout: 0.5, rule: { all: [{ field: 'account.industry', op: 'equals', value: 'Fintech' }] } }],
  slots: [{ id: 'hero-cta', type: 'link' }],
  variants: { fintech: { 'hero-cta': { type: 'link', text: 'Talk to our fintech team', href: '/contact?team=fintech' } } },
  goals: [{ id: 'contact', name: 'Contact page', urlPatterns: ['/contact*'] }],
});
const accounts = Array.from({ length: 12 }, (_, i) => ({ domain: `fin-${i}.example`, name: `Fin ${i}`, industry: 'Fintech' }));

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${worker.origin}/api/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

const report = () => api<Report>('GET', `/report?site=${SITE}`);
async function reportWhen(done: (r: Report) => boolean): Promise<Report> {
  for (let i = 0; ; i++) {
    const r = await report();
    if (done(r)) return r;
    if (i > 100) throw new Error(`report never got there: ${JSON.stringify(r.segments[0]?.arms)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  [browser, customer] = await Promise.all([launchBrowser(), serve(pages)]);
  const draft = SiteState.parse(await api('PUT', `/sites/${SITE}/draft`, { baseRevision: 0, config }));
  await api('POST', `/sites/${SITE}/accounts/import`, { rows: accounts, firstRow: 1 });
  await api('POST', `/sites/${SITE}/publish`, { baseRevision: draft.draft.revision });
  pages['/'] = customerPage(snippetTag(worker.origin, SITE));
  pages['/contact'] = customerPage(snippetTag(worker.origin, SITE));
});

afterAll(async () => {
  await browser?.close();
  await customer?.close();
});

/** The arm the edge draws for an account (the same for every visitor of it). */
async function armOf(domain: string): Promise<DecideResponse['arm']> {
  const res = await fetch(`${worker.origin}/v1/decide`, { method: 'POST', body: JSON.stringify({ site: SITE, url: `${customer.origin}/?pz_account=${domain}` }) });
  return ((await res.json()) as DecideResponse).arm;
}

describe('measurement end to end', () => {
  it('a held-out visitor who clicks the CTA as written is one conversion in the holdout arm; a personalized visitor is exposed in the other', async () => {
    const arms = await Promise.all(accounts.map((a) => armOf(a.domain)));
    const held = accounts[arms.indexOf('holdout')]!.domain;
    const shown = accounts[arms.indexOf('personalized')]!.domain;

    const heldPage = await (await browser.newContext()).newPage();
    await heldPage.goto(`${customer.origin}/?pz_account=${held}`);
    await waitForReveal(heldPage);
    expect(await heldPage.textContent('[data-pz-slot="hero-cta"] a')).toBe('Contact sales'); // as written
    await Promise.all([heldPage.waitForURL('**/contact'), heldPage.click('[data-pz-slot="hero-cta"] a')]);
    await waitForReveal(heldPage);

    const shownPage = await (await browser.newContext()).newPage();
    await shownPage.goto(`${customer.origin}/?pz_account=${shown}`);
    await waitForReveal(shownPage);
    expect(await shownPage.textContent('[data-pz-slot="hero-cta"] a')).toBe('Talk to our fintech team');

    const r = await reportWhen((r) => r.totals.exposures >= 3 && r.totals.conversions >= 2);
    const fintech = r.segments.find((s) => s.segment === 'fintech')!;
    // held-out visitor: exposed on the landing page and on /contact, one CTA click, one URL goal
    expect(fintech.arms.holdout).toMatchObject({ units: 1, accounts: 1, visitors: 1, exposures: 2 });
    expect(fintech.arms.holdout.conversions.cta).toEqual({ units: 1, events: 1, rate: 1 });
    expect(fintech.arms.holdout.conversions.contact).toEqual({ units: 1, events: 1, rate: 1 });
    expect(fintech.arms.personalized).toMatchObject({ units: 1, exposures: 1 });
    expect(fintech.arms.personalized.conversions.cta).toEqual({ units: 0, events: 0, rate: 0 });
    expect(r.totals).toEqual({ exposures: 3, conversions: 2 });
    expect(fintech.lift.cta!.status).toBe('insufficient');
  });
});

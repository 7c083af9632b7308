import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPersonas } from '../../shared/demo/site';
import { snippetTag } from '../../shared/snippet-tag';
import {
  CUSTOMER_DEFAULTS,
  customerPage,
  expectedDemo,
  launchBrowser,
  READY_PROBE,
  readSlots,
  serve,
  slotText,
  waitForReveal,
  watchProblems,
  type TestServer,
} from '../support/browser';
import { sharedWorker } from '../support/worker';

/** The browser project's shared Worker; this file only reads its seeded "demo" site. */
const worker = sharedWorker();
let browser: Browser;
let site: TestServer;

/** Pages of a customer's own site, on another origin than the edge. Filled in beforeAll. */
const pages: Record<string, string> = {};

beforeAll(async () => {
  [browser, site] = await Promise.all([launchBrowser(), serve(pages)]);
  await fetch(`${worker.origin}/p.js`);
  const tag = snippetTag(worker.origin, 'demo');
  // Inline script before the tag: the documented queue stub, a ready probe and any early calls.
  const head = (calls = '') => `<script>${READY_PROBE}${calls}</script>\n${tag}`;
  pages['/'] = customerPage(head());
  pages['/identify-work'] = customerPage(head(`pz('identify',{email:'Jane.Doe@NorthWind-Bank.example'});`));
  pages['/identify-gmail'] = customerPage(head(`pz('identify',{email:'jane.doe@gmail.com'});`));
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

async function withPage<T>(fn: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext();
  try {
    return await fn(await context.newPage());
  } finally {
    await context.close();
  }
}

const ready = (page: Page) => page.waitForFunction(() => (window as any).__pzReady).then((h) => h.jsonValue() as Promise<any>);

function decideRequests(page: Page): Request[] {
  const requests: Request[] = [];
  page.on('request', (r) => r.url().endsWith('/v1/decide') && requests.push(r));
  return requests;
}

describe('a customer page on another origin', () => {
  it('is personalized through CORS, with a text/plain decide request (no preflight)', async () => {
    const persona = demoPersonas.find((p) => p.segment === 'snowflake-users')!;
    await withPage(async (page) => {
      const problems = watchProblems(page);
      const requests = decideRequests(page);
      const url = `${site.origin}/?pz_account=${persona.domain}`;
      const response = page.waitForResponse((r) => r.url().endsWith('/v1/decide'));
      await page.goto(url);
      const res = await response;
      expect(res.status()).toBe(200);
      expect(res.headers()['access-control-allow-origin']).toBe(site.origin);
      await waitForReveal(page);

      const expected = expectedDemo(persona.domain, persona.segment, url);
      const slots = await readSlots(page);
      // as written in shared/demo/site.ts, not only what the renderer makes of it
      expect(slots['hero-headline']!.text).toBe('Already on Snowflake? Keep it, and add a lakehouse beside it');
      expect(slots['hero-cta']).toMatchObject({ text: 'See the Snowflake integration', href: '/demo/signup?intent=snowflake' });
      for (const id of ['hero-headline', 'hero-subheadline', 'hero-cta', 'proof']) {
        expect(slots[id]!.visible, id).toBe(true);
        expect(slots[id]!.applied, id).toBe(true);
        expect(slots[id]!.text, id).toEqual(slotText(expected.slots[id]!));
      }
      // The CTA slot wraps an <a>: the link's text and href change, the wrapper stays.
      const cta = expected.slots['hero-cta']!;
      expect(cta.type === 'link' && slots['hero-cta']!.href).toBe(cta.type === 'link' && cta.href);
      expect(await page.locator('[data-pz-slot="hero-cta"] > a.button').count()).toBe(1);

      expect(requests).toHaveLength(1);
      const req = requests[0]!;
      expect(req.method()).toBe('POST');
      expect(req.headers()['content-type']).toMatch(/^text\/plain/);
      expect(JSON.parse(req.postData()!)).toMatchObject({ site: 'demo', url, identity: { domain: persona.domain, source: 'link' } });
      expect(await ready(page)).toMatchObject({ method: 'link', segment: { id: persona.segment }, applied: true });
      expect(problems).toEqual({ consoleErrors: [], pageErrors: [] });
    });
  });
});

describe("pz('identify') queued before the snippet loaded", () => {
  it('personalizes the page for the work e-mail domain, sending only the domain', async () => {
    const persona = demoPersonas.find((p) => p.domain === 'northwind-bank.example')!;
    await withPage(async (page) => {
      const problems = watchProblems(page);
      const requests = decideRequests(page);
      const url = `${site.origin}/identify-work`;
      await page.goto(url);
      await waitForReveal(page);
      const decision = await ready(page);
      expect(decision).toMatchObject({ method: 'identify', account: { domain: persona.domain }, segment: { id: persona.segment }, applied: true });
      const slots = await readSlots(page);
      expect(slots['hero-headline']!.text).toBe(slotText(expectedDemo(persona.domain, persona.segment, url).slots['hero-headline']!));
      expect(slots['hero-headline']!.text).toBe('The compliant lakehouse for Northwind Bank'); // as written in shared/demo/site.ts

      expect(requests).toHaveLength(1);
      const body = requests[0]!.postData()!;
      expect(JSON.parse(body).identity).toEqual({ domain: 'northwind-bank.example', source: 'identify' });
      expect(body.toLowerCase()).not.toContain('jane');
      expect(await page.evaluate(() => localStorage.getItem('pz_id'))).toBe(JSON.stringify({ domain: 'northwind-bank.example', source: 'identify' }));
      expect(problems).toEqual({ consoleErrors: [], pageErrors: [] });
    });
  });

  it('leaves the page as written for a gmail.com address', async () => {
    await withPage(async (page) => {
      const problems = watchProblems(page);
      const requests = decideRequests(page);
      await page.goto(`${site.origin}/identify-gmail`);
      await waitForReveal(page);
      expect(await ready(page)).toMatchObject({ segment: null, applied: false });
      const slots = await readSlots(page);
      expect(slots['hero-headline']).toMatchObject({ text: CUSTOMER_DEFAULTS['hero-headline'], visible: true, applied: false });
      expect(slots['hero-cta']).toMatchObject({ text: CUSTOMER_DEFAULTS['hero-cta'], href: '/contact', applied: false });
      expect(JSON.parse(requests[0]!.postData()!).identity).toEqual({ domain: 'gmail.com', source: 'identify' });
      expect(problems).toEqual({ consoleErrors: [], pageErrors: [] });
    });
  });

  it('personalizes an already-decided page when identify is called later', async () => {
    const persona = demoPersonas.find((p) => p.segment === 'startups')!;
    await withPage(async (page) => {
      const problems = watchProblems(page);
      await page.goto(`${site.origin}/`);
      await waitForReveal(page);
      expect((await readSlots(page))['hero-headline']!.text).toBe(CUSTOMER_DEFAULTS['hero-headline']);
      const decision = await page.evaluate(
        (email) =>
          new Promise<any>((resolve) => {
            document.addEventListener('pz:decision', (e) => resolve((e as CustomEvent).detail), { once: true });
            (window as any).pz('identify', { email });
          }),
        `sam@${persona.domain}`,
      );
      expect(decision).toMatchObject({ method: 'identify', segment: { id: persona.segment }, applied: true });
      const expected = expectedDemo(persona.domain, persona.segment, `${site.origin}/`);
      expect((await readSlots(page))['hero-headline']!.text).toBe(slotText(expected.slots['hero-headline']!));
      expect((await readSlots(page))['hero-headline']!.text).toBe('Ship your data platform this week, not this quarter'); // as written
      expect(problems).toEqual({ consoleErrors: [], pageErrors: [] });
    });
  });
});

/**
 * What the snippet reports for measurement, against a scripted edge: exposures only once the slot
 * shows its content (or, in the holdout, the content as written), conversions for CTA clicks, goal
 * elements, form submits and URL goals, batched with sendBeacon, and nothing without a `measure`.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DecideRequest, DecideResponse, EventBatch, Measure } from '../../shared/schemas';
import { customTag, EDGE_CORS, launchBrowser, READY_PROBE, serve, serveEdge, waitForReveal, watchProblems, type TestServer } from '../support/browser';

let browser: Browser;
let edge: TestServer;
let site: TestServer;
let context: BrowserContext;

/** Event batches the scripted edge received, each with what the headline showed when it arrived. */
let batches: (EventBatch & { headlineAtArrival: string })[] = [];
let answer: (req: DecideRequest) => DecideResponse;
let pageHeadline: () => Promise<string> = async () => '';

const measure = (arm: Measure['arm']): Measure => ({ segment: 'enterprise', arm, version: 4, account: 'acme.example' });
const decision = (arm: Measure['arm'], over: Partial<DecideResponse> = {}) => (req: DecideRequest): DecideResponse => ({
  site: 'acme',
  version: 4,
  method: 'link',
  account: { domain: 'acme.example', name: 'Acme' },
  segment: { id: 'enterprise', name: 'Enterprise' },
  arm,
  changes: [
    { slot: 'headline', selector: '[data-pz-slot="headline"]', ...(arm === 'personalized' && { content: { type: 'text', text: 'Hello Acme' } }) },
    { slot: 'cta', selector: '#cta', ...(arm === 'personalized' && { content: { type: 'link', text: 'Book a demo', href: '/next' } }) },
  ],
  // as the real edge: nothing to measure without a visitor id
  ...(req.visitor && { measure: measure(arm) }),
  ...over,
});

const PAGE = (tag: string) => `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script>${READY_PROBE}</script>
${tag}
</head><body>
<h1 data-pz-slot="headline">Headline as written</h1>
<div id="cta"><a href="/next">Contact us</a></div>
<button data-pz-goal="pricing-calculator">Calculate</button>
<p id="plain">Plain text</p>
<form action="/next" method="get" data-pz-goal="demo-request"><input name="email" value="a@b.example"><button id="send">Send</button></form>
<form id="newsletter" action="/next" method="get"><button id="subscribe">Subscribe</button></form>
</body></html>`;

beforeAll(async () => {
  browser = await launchBrowser();
  edge = await serveEdge({
    '/v1/decide': (_req, res, body) => res.writeHead(200, { ...EDGE_CORS, 'content-type': 'application/json' }).end(JSON.stringify(answer(JSON.parse(body)))),
    '/v1/events': async (req, res, body) => {
      batches.push({ ...(JSON.parse(body) as EventBatch), headlineAtArrival: await pageHeadline().catch(() => '(page gone)') });
      res.writeHead(202, EDGE_CORS).end();
    },
  });
  const tag = customTag(`${edge.origin}/p.js`, { 'data-site': 'acme' });
  site = await serve({ '/': PAGE(tag), '/thank-you': PAGE(tag), '/next': '<!doctype html><p>next page</p>' });
});

afterAll(async () => {
  await browser?.close();
  await edge?.close();
  await site?.close();
});

beforeEach(async () => {
  batches = [];
  answer = decision('personalized');
  context = await browser.newContext();
});

afterEach(async () => {
  await context?.close();
});

async function open(path = '/'): Promise<Page> {
  const page = await context.newPage();
  pageHeadline = () => page.evaluate(() => document.querySelector('h1')?.textContent ?? '(no headline)');
  await page.goto(`${site.origin}${path}`);
  await waitForReveal(page);
  return page;
}

const events = () => batches.flatMap((b) => b.events as Record<string, unknown>[]);
async function eventsWhen(count: number): Promise<Record<string, unknown>[]> {
  for (let i = 0; i < 50 && events().length < count; i++) await new Promise((r) => setTimeout(r, 100));
  return events();
}

describe('snippet measurement', () => {
  it('sends one exposure after the personalized content is on screen, echoing the decision measure', async () => {
    const page = await open();
    expect(await eventsWhen(1)).toEqual([{ type: 'exposure', ...measure('personalized') }]);
    expect(batches[0]!.headlineAtArrival).toBe('Hello Acme');
    expect(batches[0]!.site).toBe('acme');
    expect(batches[0]!.visitor).toMatch(/^\d{8,}$/);
    expect(batches[0]!.batch).toMatch(/^\d{8,}$/);
    expect(await page.evaluate(() => (window as any).__pzReady)).toMatchObject({ arm: 'personalized', applied: true });
  });

  it('keeps the page as written in the holdout, reveals it, and still reports the exposure for the holdout arm', async () => {
    answer = decision('holdout');
    const page = await open();
    const problems = watchProblems(page);
    expect(await page.textContent('h1')).toBe('Headline as written');
    expect(await page.textContent('#cta')).toBe('Contact us');
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('h1')!).visibility)).toBe('visible');
    expect(await page.evaluate(() => (window as any).__pzReady)).toMatchObject({ arm: 'holdout', applied: false });
    expect(await eventsWhen(1)).toEqual([{ type: 'exposure', ...measure('holdout') }]);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [] });
  });

  it('reports a click on the CTA in a decided slot as a cta conversion, sent before the page is left', async () => {
    const page = await open();
    await eventsWhen(1);
    await Promise.all([page.waitForURL('**/next'), page.click('#cta a')]);
    expect(await eventsWhen(2)).toContainEqual({ type: 'conversion', goal: 'cta', ...measure('personalized') });
  });

  it('counts the CTA as written for the holdout arm, so both arms are compared on the same click', async () => {
    answer = decision('holdout');
    const page = await open();
    await eventsWhen(1);
    await Promise.all([page.waitForURL('**/next'), page.click('#cta a')]);
    expect(await eventsWhen(2)).toContainEqual({ type: 'conversion', goal: 'cta', ...measure('holdout') });
  });

  it('reports clicks on goal elements, and form submits as submit or as the form goal; other clicks report nothing', async () => {
    const page = await open();
    await eventsWhen(1);
    await page.click('#plain');
    await page.click('h1');
    await page.click('[data-pz-goal="pricing-calculator"]');
    await Promise.all([page.waitForURL('**/next*'), page.click('#send')]);
    const page2 = await open();
    await Promise.all([page2.waitForURL('**/next*'), page2.click('#subscribe')]);
    const conversions = (await eventsWhen(5)).filter((e) => e.type === 'conversion').map((e) => e.goal);
    expect(conversions).toEqual(['pricing-calculator', 'demo-request', 'submit']);
  });

  it('reports the URL goals the edge names for this page view, and never again from the cached decision', async () => {
    answer = (req) => decision('personalized', new URL(req.url).pathname === '/thank-you' ? { goals: ['thank-you'] } : {})(req);
    await open('/thank-you');
    expect((await eventsWhen(2)).filter((e) => e.type === 'conversion')).toEqual([{ type: 'conversion', goal: 'thank-you', ...measure('personalized') }]);
    batches = [];
    answer = decision('personalized'); // the next page reaches no goal; its cached decision must not repeat one
    await open('/');
    await new Promise((r) => setTimeout(r, 1200));
    expect(events().filter((e) => e.type === 'conversion')).toEqual([]);
    expect(events().filter((e) => e.type === 'exposure')).toHaveLength(1);
  });

  it('batches events that happen together into one request', async () => {
    answer = decision('personalized', { goals: ['thank-you', 'signup'] });
    await open('/thank-you');
    await eventsWhen(3);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.events).toHaveLength(3);
  });

  it('sends nothing when the decision has no measure: no segment, or Global Privacy Control', async () => {
    answer = (req) => ({ ...decision('personalized')(req), segment: null, changes: [], measure: undefined });
    const page = await open();
    await page.click('#cta a').catch(() => {});
    const gpc = await browser.newContext({ extraHTTPHeaders: { 'Sec-GPC': '1' } });
    try {
      const p = await gpc.newPage();
      await p.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
      answer = decision('personalized');
      await p.goto(`${site.origin}/`);
      await waitForReveal(p);
      expect(await p.textContent('h1')).toBe('Hello Acme'); // still personalized
      await p.click('[data-pz-goal="pricing-calculator"]');
    } finally {
      await gpc.close();
    }
    await new Promise((r) => setTimeout(r, 1200));
    expect(batches).toEqual([]);
  });
});

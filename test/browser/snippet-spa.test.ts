/**
 * The snippet in a React single-page app (test/browser/spa: server-rendered, hydrated, client-side
 * routing by react-router, built with esbuild here): every view (the load, each navigation by link, a
 * back/forward, `pz('page')`) shows its own personalized slots and never a default one, React hydrates
 * without a mismatch, and each view reports one exposure. The edge is a stand-in answering per path.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DecideResponse } from '../../shared/schemas';
import { EDGE_CORS, READY_PROBE, customTag, launchBrowser, serve, serveEdge, watchProblems, type TestServer } from '../support/browser';
import { DEFAULTS } from './spa/app';
import { buildSpa, type SpaBuild } from './spa/build';

let browser: Browser;
let edge: TestServer;
let site: TestServer;
let spa: SpaBuild;
let decideDelayMs = 0;
let appDelayMs = 0;
let decides: string[] = [];
let exposures: string[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the stand-in edge gives Acme on each route: the persistent slots, and the route's own. */
const PERSONALIZED: Record<string, Record<string, string>> = {
  '/': { banner: 'Welcome back, Acme', 'page-title': 'Acme’s home', 'home-hero': 'Data Acme can trust' },
  '/pricing': { banner: 'Welcome back, Acme', 'page-title': 'Acme’s pricing', 'pricing-hero': 'The enterprise plan for Acme', 'pricing-note': 'Acme pays monthly' },
  '/customers': { banner: 'Welcome back, Acme', 'page-title': 'Acme’s peers', 'customers-hero': 'Teams like Acme' },
};
const DEFAULT_TEXTS = new Set([DEFAULTS.banner, ...Object.values(DEFAULTS.title), DEFAULTS['home-hero'], DEFAULTS['pricing-hero'], DEFAULTS['pricing-note'], `${DEFAULTS['pricing-note']}.`, DEFAULTS['customers-hero']]);

function decision(path: string): DecideResponse {
  const slots = PERSONALIZED[path] ?? PERSONALIZED['/']!;
  return {
    site: 'acme',
    version: 3,
    method: 'link',
    confidence: 'verified',
    account: { domain: 'acme.example', name: 'Acme' },
    segment: { id: 'enterprise', name: 'Enterprise' },
    arm: 'personalized',
    changes: Object.entries(slots).map(([slot, text]) => ({ slot, selector: `[data-pz-slot="${slot}"]`, content: { type: 'text', text } })),
    // the token names the view, so the test can count exposures per view
    measure: { segment: 'enterprise', arm: 'personalized', version: 3, account: 'acme.example', token: `view${path}` },
  } as DecideResponse;
}

/** Every animation frame (what is painted), each slot's visibility and text when either changed, with the route. */
const FRAME_RECORDER = `(() => {
  const states = (window.__frames = []);
  const seen = {};
  const frame = () => {
    for (const el of document.querySelectorAll('[data-pz-slot]')) {
      const id = el.dataset.pzSlot;
      const visible = getComputedStyle(el).visibility === 'visible';
      const text = el.textContent;
      const key = visible + '|' + text;
      if (seen[id] !== key) { seen[id] = key; states.push({ path: location.pathname, id, visible, text }); }
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})();`;

interface FrameState {
  path: string;
  id: string;
  visible: boolean;
  text: string;
}

const page = (path: string, suppress: boolean) => `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script>window.__suppress=${suppress};${READY_PROBE}</script>
${customTag(`${edge.origin}/p.js`, { 'data-site': 'acme' })}
</head><body><div id="root">${spa.renderApp(path, suppress)}</div>
<script async src="/app.js"></script>
</body></html>`;

beforeAll(async () => {
  spa = await buildSpa();
  browser = await launchBrowser();
  edge = await serveEdge({
    '/v1/decide': async (_req, res, body) => {
      const url = new URL((JSON.parse(body) as { url: string }).url);
      decides.push(url.pathname);
      if (decideDelayMs) await sleep(decideDelayMs);
      res.writeHead(200, { ...EDGE_CORS, 'content-type': 'application/json' }).end(JSON.stringify(decision(url.pathname)));
    },
    '/v1/events': (_req, res, body) => {
      for (const e of (JSON.parse(body) as { events: { type: string; token: string }[] }).events) if (e.type === 'exposure') exposures.push(e.token);
      res.writeHead(202, EDGE_CORS).end();
    },
  });
  const html = (path: string) => (req: { url?: string }, res: import('node:http').ServerResponse) =>
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page(path, !req.url?.includes('control')));
  site = await serve({
    '/': html('/'),
    '/pricing': html('/pricing'),
    '/customers': html('/customers'),
    '/fight': `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><script>${READY_PROBE}</script>${customTag(`${edge.origin}/p.js`, { 'data-site': 'acme' })}${FIGHTER}</head>
<body><p data-pz-slot="banner">Mine</p><h1 data-pz-slot="page-title">Home</h1></body></html>`,
    '/app.js': async (_req, res) => {
      if (appDelayMs) await sleep(appDelayMs);
      res.writeHead(200, { 'content-type': 'application/javascript', 'cache-control': 'no-store' }).end(spa.clientJs);
    },
  });
});

afterAll(async () => {
  await browser?.close();
  await edge?.close();
  await site?.close();
});

beforeEach(() => {
  decideDelayMs = 0;
  appDelayMs = 0;
  decides = [];
  exposures = [];
});

const slotTexts = (p: Page) =>
  p.evaluate(() => Object.fromEntries(Array.from(document.querySelectorAll<HTMLElement>('[data-pz-slot]'), (el) => [el.dataset.pzSlot!, el.textContent])));

/** Waits until the route's slots all show the personalized text. */
async function personalized(p: Page, path: string): Promise<void> {
  const want = PERSONALIZED[path]!;
  await p.waitForFunction((w) => Object.entries(w).every(([id, text]) => document.querySelector(`[data-pz-slot="${id}"]`)?.textContent === text), want, { timeout: 5000 });
}

/** Frames that showed a slot's default text (none may). */
async function flashes(p: Page): Promise<FrameState[]> {
  const frames = await p.evaluate(() => (window as unknown as { __frames: FrameState[] }).__frames);
  return frames.filter((f) => f.visible && DEFAULT_TEXTS.has(f.text));
}

/** Waits for the exposures to arrive (beacons are batched for half a second, sent at once on hide). */
async function sentExposures(p: Page, count: number): Promise<string[]> {
  await p.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
  for (let i = 0; i < 50 && exposures.length < count; i++) await sleep(100);
  await sleep(300);
  return [...exposures].sort();
}

async function navigateByLink(p: Page, name: string, path: string): Promise<void> {
  await p.click(`nav a:text("${name}")`);
  await p.waitForURL(`**${path}`);
  await personalized(p, path);
}

type Win = { __recoverable: string[]; __hydrated?: boolean; __beforeHydration: string | null; pz: (cmd: string) => void };

/**
 * Loads `/` and walks the views: a link to /pricing (whose note React re-renders 150 ms after mount), a
 * link to /customers, back, forward, `pz('page')`; then a link to the page shown and a hash change,
 * which are not views. Returns the views the walk made.
 */
async function walk(p: Page, query = ''): Promise<string[]> {
  await p.goto(`${site.origin}/${query}`);
  await personalized(p, '/');
  await p.waitForFunction(() => (window as unknown as Win).__hydrated);
  await sleep(100);
  expect(await slotTexts(p), 'after hydration').toMatchObject(PERSONALIZED['/']!);

  await navigateByLink(p, 'Pricing', '/pricing');
  await sleep(400);
  expect(await slotTexts(p), 'after React re-rendered the note').toMatchObject(PERSONALIZED['/pricing']!);
  await navigateByLink(p, 'Customers', '/customers');
  await p.goBack();
  await p.waitForURL('**/pricing');
  await personalized(p, '/pricing');
  await p.goForward();
  await p.waitForURL('**/customers');
  await personalized(p, '/customers');
  await p.evaluate(() => (window as unknown as Win).pz('page'));
  await sleep(decideDelayMs + 200);
  await personalized(p, '/customers');
  await p.click('nav a:text("Customers")');
  await p.evaluate(() => (location.hash = 'team'));
  await sleep(decideDelayMs + 200);

  // React is still in charge: the app responds
  await p.click('#counter');
  await p.waitForFunction(() => document.querySelector('#counter')?.textContent === 'clicked 1');
  return ['/', '/pricing', '/customers', '/pricing', '/customers', '/customers'];
}

describe('the snippet in a React single-page app', () => {
  it('decision before hydration: every view personalized from its first painted frame, React hydrates without a mismatch, one decision and one exposure per view', async () => {
    appDelayMs = 400;
    decideDelayMs = 120; // each navigation waits for its decision, its slots hidden
    const context = await browser.newContext();
    const p = await context.newPage();
    const problems = watchProblems(p);
    await p.addInitScript(FRAME_RECORDER);
    const views = await walk(p);
    expect(await p.evaluate(() => (window as unknown as Win).__beforeHydration), 'React hydrated a page already personalized').toBe(PERSONALIZED['/']!.banner);
    expect(decides).toEqual(views);
    expect(await sentExposures(p, views.length)).toEqual(views.map((v) => `view${v}`).sort());
    expect(await flashes(p), 'frames that showed a default text').toEqual([]);
    expect(await p.evaluate(() => (window as unknown as Win).__recoverable)).toEqual([]);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [] });
    await context.close();
  });

  it('hydration before the decision: the same, React first', async () => {
    decideDelayMs = 400;
    const context = await browser.newContext();
    const p = await context.newPage();
    const problems = watchProblems(p);
    await p.addInitScript(FRAME_RECORDER);
    const views = await walk(p);
    expect(await p.evaluate(() => (window as unknown as Win).__beforeHydration), 'React hydrated the page as written').toBe(DEFAULTS.banner);
    expect(decides).toEqual(views);
    expect(await sentExposures(p, views.length)).toEqual(views.map((v) => `view${v}`).sort());
    expect(await flashes(p)).toEqual([]);
    expect(await p.evaluate(() => (window as unknown as Win).__recoverable)).toEqual([]);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [] });
    await context.close();
  });

  it('without the Navigation API: the same views, seen when each view renders', async () => {
    appDelayMs = 400;
    decideDelayMs = 120;
    const context = await browser.newContext();
    const p = await context.newPage();
    const problems = watchProblems(p);
    await p.addInitScript(() => Object.defineProperty(window, 'navigation', { value: undefined, configurable: true }));
    await p.addInitScript(FRAME_RECORDER);
    const views = await walk(p);
    expect(await p.evaluate(() => (window as unknown as { navigation?: unknown }).navigation)).toBeUndefined();
    expect(decides).toEqual(views);
    expect(await sentExposures(p, views.length)).toEqual(views.map((v) => `view${v}`).sort());
    expect(await flashes(p)).toEqual([]);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [] });
    await context.close();
  });

  it('control: slots without suppressHydrationWarning make React report the mismatch (so the tests above would see one)', async () => {
    appDelayMs = 400;
    const context = await browser.newContext();
    const p = await context.newPage();
    const problems = watchProblems(p);
    await p.goto(`${site.origin}/?control`);
    await p.waitForFunction(() => (window as unknown as Win).__hydrated);
    await sleep(300);
    expect(await p.evaluate(() => (window as unknown as Win).__beforeHydration)).toBe(PERSONALIZED['/']!.banner);
    const reported = [...(await p.evaluate(() => (window as unknown as Win).__recoverable)), ...problems.consoleErrors].join('\n');
    expect(reported).toMatch(/hydrat/i);
    // React threw the server's HTML away and rendered again: the snippet put its content back
    await personalized(p, '/');
    await context.close();
  });
});

/** A script on the page that puts a slot's text back whenever anything changes it (a framework at war with the snippet). */
const FIGHTER = `<script>
window.__reverts = 0;
addEventListener('DOMContentLoaded', () => {
  const el = document.querySelector('[data-pz-slot="banner"]');
  new MutationObserver(() => { if (el.textContent !== 'Mine') { window.__reverts++; el.textContent = 'Mine'; } }).observe(el, { childList: true, characterData: true, subtree: true });
});
</script>`;

describe('the snippet against a script that keeps changing a slot back', () => {
  it('gives up after a bounded number of passes: the page stays responsive and the script keeps its text', async () => {
    const context = await browser.newContext();
    const p = await context.newPage();
    const problems = watchProblems(p);
    await p.goto(`${site.origin}/fight`);
    await p.waitForFunction(() => (window as unknown as { __pzReady?: unknown }).__pzReady);
    await sleep(300);
    const reverts = await p.evaluate(() => (window as unknown as { __reverts: number }).__reverts);
    expect(reverts, 'the snippet put its text back a bounded number of times').toBeGreaterThan(1);
    expect(reverts).toBeLessThanOrEqual(21);
    expect(await slotTexts(p)).toMatchObject({ banner: 'Mine', 'page-title': PERSONALIZED['/']!['page-title'] });
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [] });
    await context.close();
  });
});

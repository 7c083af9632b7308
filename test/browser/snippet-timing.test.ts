/**
 * The snippet on a timing budget, against a stand-in edge (serveEdge) and a customer page on another
 * origin: the budget counts from navigation start, so a late p.js never hides what is already on
 * screen and its decide request gets only the time left; a DOM still loading at the budget is revealed
 * as written; the session's remembered decision is keyed by identity, path and campaign; image variants
 * win inside <picture>; a free-mail identify is never stored; listeners never throw into the page.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DecideRequest, DecideResponse } from '../../shared/schemas';
import { DEFAULT_TIMEOUT_MS } from '../../shared/snippet-tag';
import {
  acmeDecision,
  builtSnippet,
  customTag,
  EDGE_CORS,
  FLASH_RECORDER,
  launchBrowser,
  QUEUE_STUB,
  recordedStates,
  serve,
  serveEdge,
  watchProblems,
  type TestServer,
} from '../support/browser';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let browser: Browser;
let edge: TestServer;
let site: TestServer;
let context: BrowserContext;

/** What the stand-in edge does: how late it serves p.js, how it answers /v1/decide, what it saw. */
let pjsDelayMs = 0;
let decideDelayMs = 0;
/** `hang`: never answer (the request stays open until the browser gives up on it). */
let hang = false;
let answer: (req: DecideRequest) => DecideResponse;
interface Seen {
  body: DecideRequest;
  /** epoch ms the request arrived at, and when its connection closed (aborted, or answered) */
  arrivedAt: number;
  closedAt?: number;
}
let received: Seen[] = [];
let batches: { arrivedAt: number; events: unknown[] }[] = [];
let slowScriptMs = 0;

const decision = acmeDecision;
const headline = (text: string, over: Partial<DecideResponse> = {}) =>
  decision([{ slot: 'headline', selector: '[data-pz-slot="headline"]', content: { type: 'text', text } }], over);

const AS_WRITTEN = 'Headline as written';

/** Records the snippet's `ready` report, with when it came and how far the document had loaded. */
const PROBE = `<script>${QUEUE_STUB}pz('ready',function(d){window.__pzReady=d;window.__readyAt=performance.now();window.__readyState=document.readyState});</script>`;

function page(head: string, body = ''): string {
  return `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
${PROBE}
${head}
${customTag(`${edge.origin}/p.js`, { 'data-site': 'acme' })}
</head><body>
<h1 data-pz-slot="headline">${AS_WRITTEN}</h1>
<p data-pz-slot="sub">Subheadline as written</p>
${body}
</body></html>`;
}

/** Square SVGs of distinct sizes, so the rendered image tells which source the browser picked. */
const svg = (size: number) => (_req: IncomingMessage, res: ServerResponse) =>
  res
    .writeHead(200, { 'content-type': 'image/svg+xml', 'cache-control': 'no-store' })
    .end(`<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect width="${size}" height="${size}"/></svg>`);

beforeAll(async () => {
  browser = await launchBrowser();
  const snippet = builtSnippet();
  edge = await serveEdge({
    '/p.js': async (_req, res) => {
      if (pjsDelayMs) await sleep(pjsDelayMs);
      res.writeHead(200, { ...EDGE_CORS, 'content-type': 'application/javascript' }).end(snippet);
    },
    '/v1/decide': async (_req, res, body) => {
      const seen: Seen = { body: JSON.parse(body) as DecideRequest, arrivedAt: Date.now() };
      received.push(seen);
      res.on('close', () => (seen.closedAt = Date.now()));
      if (hang) return;
      if (decideDelayMs) await sleep(decideDelayMs);
      res.writeHead(200, { ...EDGE_CORS, 'content-type': 'application/json' }).end(JSON.stringify(answer(seen.body)));
    },
    '/v1/events': (_req, res, body) => {
      batches.push({ arrivedAt: Date.now(), events: (JSON.parse(body) as { events: unknown[] }).events });
      res.writeHead(202, EDGE_CORS).end();
    },
  });
  const plain = () => page('');
  site = await serve({
    '/': (_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(plain()),
    '/other': (_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(plain()),
    '/identify-gmail': (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
        .end(page(`<script>pz('identify',{email:'jane.doe@gmail.com'})</script>`)),
    // The parser is held at a synchronous script that takes 2.5 s: DOMContentLoaded comes long after the budget.
    '/slow-dom': (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
        .end(page('', `<script src="/slow.js"></script><p id="after">after the slow script</p>`)),
    '/slow.js': async (_req, res) => {
      await sleep(slowScriptMs);
      res.writeHead(200, { 'content-type': 'application/javascript', 'cache-control': 'no-store' }).end('window.__slowRan = 1;');
    },
    '/picture': (_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(
        page(
          '',
          // A slot around a <picture>, and an <img> slot inside one; each <source> matches any viewport.
          `<div data-pz-slot="hero-image"><picture><source srcset="/wide.svg" media="(min-width: 1px)"><img src="/default.svg" alt="default"></picture></div>
<picture><source srcset="/wide.svg" type="image/svg+xml"><img data-pz-slot="logo" src="/default.svg" alt="logo"></picture>`,
        ),
      ),
    '/default.svg': svg(10),
    '/wide.svg': svg(20),
    '/acme.svg': svg(30),
    '/acme-logo.svg': svg(40),
  });
});

afterAll(async () => {
  await browser?.close();
  await edge?.close();
  await site?.close();
});

beforeEach(async () => {
  pjsDelayMs = 0;
  decideDelayMs = 0;
  hang = false;
  slowScriptMs = 0;
  received = [];
  batches = [];
  answer = () => headline('Hello Acme');
  context = await browser.newContext();
});

afterEach(async () => {
  await context?.close();
});

async function open(p: Page, path: string): Promise<void> {
  await p.evaluate(() => delete (window as any).__pzReady).catch(() => {});
  await p.goto(`${site.origin}${path}`, { waitUntil: 'commit' });
  await p.waitForFunction(() => (window as any).__pzReady, undefined, { timeout: 10_000 });
}

const text = (p: Page, sel = '[data-pz-slot="headline"]') => p.textContent(sel);
const visibility = (p: Page, sel = '[data-pz-slot="headline"]') => p.evaluate((s) => getComputedStyle(document.querySelector(s)!).visibility, sel);
const storage = (p: Page, area: 'localStorage' | 'sessionStorage', key: string) => p.evaluate(([a, k]) => window[a as 'localStorage'].getItem(k!), [area, key]);

/** Records whether a `#pz-hide` style was ever put in the document, however briefly. */
const HIDE_WATCH = `(() => {
  window.__pzHideSeen = false;
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) if (n.id === 'pz-hide') window.__pzHideSeen = true;
  }).observe(document, { childList: true, subtree: true });
})();`;

async function eventsWhen(count: number): Promise<void> {
  for (let i = 0; i < 50 && batches.flatMap((b) => b.events).length < count; i++) await sleep(50);
}

describe('the budget counts from navigation start', () => {
  it('a p.js that arrives 1.5 s late never hides a slot already on screen, keeps the page as written, and only refreshes the next view’s decision', async () => {
    await context.addInitScript(FLASH_RECORDER);
    await context.addInitScript(HIDE_WATCH);
    pjsDelayMs = 1500;
    const p = await context.newPage();
    const problems = watchProblems(p);
    await open(p, '/');

    const ready = await p.evaluate(() => ({ d: (window as any).__pzReady, at: (window as any).__readyAt as number }));
    expect(ready.at, 'the snippet ran after the budget').toBeGreaterThan(1500);
    expect(ready.d).toMatchObject({ method: 'none', account: null, segment: null, applied: false });
    expect(await p.evaluate(() => (window as any).__pzHideSeen), 'no hide style was ever injected').toBe(false);

    // The background decision arrives and is remembered, but this page stays as written.
    await p.waitForFunction(() => sessionStorage.getItem('pz_d:acme')?.includes('Hello Acme'));
    await sleep(300);
    expect(await text(p)).toBe(AS_WRITTEN);
    expect(await p.getAttribute('[data-pz-slot="headline"]', 'data-pz-applied')).toBeNull();

    const states = await recordedStates(p);
    for (const slot of ['headline', 'sub']) {
      const history = states[slot] ?? [];
      const firstVisible = history.findIndex((s) => s.visible);
      expect(firstVisible, `${slot} became visible`).toBeGreaterThanOrEqual(0);
      expect(history[firstVisible]!.t, `${slot} was revealed by the tag's style, before p.js arrived`).toBeLessThan(1500);
      expect(
        history.slice(firstVisible).filter((s) => !s.visible),
        `${slot} never went from visible back to hidden`,
      ).toEqual([]);
      for (const s of history) expect(s.text, `${slot} showed only its content as written`).not.toBe('Hello Acme');
    }
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [] });

    // The next page view of the session (p.js on time now) applies the decision refreshed in the background.
    pjsDelayMs = 0;
    answer = () => headline('Fresh answer');
    await open(p, '/');
    expect(await text(p)).toBe('Hello Acme');
  });

  it('aborts the decide request when the budget runs out counted from navigation start, not a full timeout after p.js ran', async () => {
    // p.js runs with a few hundred ms of the 800 ms budget left (the page itself takes ~100 ms to load).
    pjsDelayMs = 450;
    hang = true;
    const p = await context.newPage();
    await open(p, '/');
    const { timeOrigin, readyAt } = await p.evaluate(() => ({ timeOrigin: performance.timeOrigin, readyAt: (window as any).__readyAt as number }));
    for (let i = 0; i < 60 && received[0]?.closedAt === undefined; i++) await sleep(50);

    expect(received).toHaveLength(1);
    const sentAfter = received[0]!.arrivedAt - timeOrigin;
    const abortedAfter = received[0]!.closedAt! - timeOrigin;
    expect(sentAfter, 'ms from navigation start to the decide request (p.js was late)').toBeGreaterThanOrEqual(400);
    expect(sentAfter, 'p.js ran inside the budget (else this test proves nothing)').toBeLessThan(DEFAULT_TIMEOUT_MS - 50);
    expect(abortedAfter, 'ms from navigation start to the aborted request').toBeGreaterThanOrEqual(DEFAULT_TIMEOUT_MS - 60);
    expect(abortedAfter).toBeLessThan(DEFAULT_TIMEOUT_MS + 400);
    // Given only the time left, not a full timeout after it was sent (that would be past 1,200 ms).
    expect(abortedAfter - sentAfter, 'ms the request was given').toBeLessThan(DEFAULT_TIMEOUT_MS - 300);
    expect(readyAt, 'revealed as written at the budget').toBeGreaterThanOrEqual(DEFAULT_TIMEOUT_MS - 60);
    expect(readyAt, 'revealed as written at the budget').toBeLessThan(DEFAULT_TIMEOUT_MS + 400);
    expect(await p.evaluate(() => (window as any).__pzReady)).toMatchObject({ method: 'none', applied: false });
    expect(await visibility(p)).toBe('visible');
    expect(await text(p)).toBe(AS_WRITTEN);
  });

  it('reveals the page as written at the budget while the DOM is still loading, and drops the decision that waited for it', async () => {
    slowScriptMs = 2500;
    const p = await context.newPage();
    const problems = watchProblems(p);
    await open(p, '/slow-dom');
    const at = await p.evaluate(() => ({ readyAt: (window as any).__readyAt as number, state: (window as any).__readyState as string }));

    expect(received, 'the decision was asked for (and answered at once)').toHaveLength(1);
    expect(at.state, 'revealed before DOMContentLoaded').toBe('loading');
    expect(at.readyAt, 'revealed at the budget').toBeLessThan(DEFAULT_TIMEOUT_MS + 400);
    expect(await p.evaluate(() => (window as any).__pzReady)).toMatchObject({ method: 'none', applied: false });
    expect(await visibility(p)).toBe('visible');
    expect(await text(p)).toBe(AS_WRITTEN);

    // Once the slow script ran and the DOM is complete, the page is still as written.
    await p.waitForFunction(() => (window as any).__slowRan && document.readyState !== 'loading', undefined, { timeout: 10_000 });
    await sleep(200);
    expect(await text(p)).toBe(AS_WRITTEN);
    expect(await p.getAttribute('[data-pz-slot="headline"]', 'data-pz-applied')).toBeNull();
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [] });
  });
});

describe('the session’s remembered decision', () => {
  it('is keyed by identity, path and campaign: a UTM landing later in the session gets its campaign’s content', async () => {
    let n = 0;
    answer = (req) => {
      const url = new URL(req.url);
      n++;
      if (url.searchParams.get('utm_campaign') === 'q4-webinar') return headline(`Webinar ${n}`);
      return headline(url.pathname === '/other' ? `Other page ${n}` : `Generic ${n}`);
    };
    const p = await context.newPage();
    await open(p, '/?pz_account=acme.example');
    expect(await text(p)).toBe('Generic 1');

    // Same identity, path and (no) campaign: the remembered decision, refreshed in the background.
    await open(p, '/');
    expect(await text(p)).toBe('Generic 1');

    // A campaign landing in the same session: decided afresh, not the remembered decision.
    await open(p, '/?utm_campaign=q4-webinar&utm_source=email');
    expect(await text(p)).toMatch(/^Webinar \d$/);

    // Another path: decided afresh too.
    await open(p, '/other');
    expect(await text(p)).toMatch(/^Other page \d$/);
    expect(received.map((r) => r.body.identity)).toEqual(received.map(() => ({ domain: 'acme.example', source: 'link' })));
  });
});

describe('image variants', () => {
  it('show the new image inside <picture>, whose <source srcset> would otherwise win', async () => {
    answer = () =>
      decision([
        { slot: 'hero-image', selector: '[data-pz-slot="hero-image"]', content: { type: 'image', src: '/acme.svg', alt: 'Acme team' } },
        { slot: 'logo', selector: '[data-pz-slot="logo"]', content: { type: 'image', src: '/acme-logo.svg', alt: 'Acme' } },
      ]);
    const p = await context.newPage();
    const problems = watchProblems(p);
    await open(p, '/picture');
    await p.waitForFunction(() => Array.from(document.images).every((i) => i.complete && i.naturalWidth > 0));
    const shown = await p.evaluate(() =>
      Array.from(document.images).map((i) => ({ src: new URL(i.currentSrc).pathname, width: i.naturalWidth, alt: i.alt })),
    );
    expect(shown).toEqual([
      { src: '/acme.svg', width: 30, alt: 'Acme team' },
      { src: '/acme-logo.svg', width: 40, alt: 'Acme' },
    ]);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [] });
  });
});

describe('free-mail identify', () => {
  it('is never stored, and a later ABM link is honoured', async () => {
    const p = await context.newPage();
    await open(p, '/identify-gmail');
    expect(await storage(p, 'localStorage', 'pz_id'), 'nothing stored').toBeNull();
    // Used for this page view only (the edge ignores free mail).
    expect(received[0]!.body.identity).toEqual({ domain: 'gmail.com', source: 'identify' });

    await open(p, '/?pz_account=acme.example');
    expect(received.at(-1)!.body.identity).toEqual({ domain: 'acme.example', source: 'link' });
    expect(await storage(p, 'localStorage', 'pz_id')).toBe(JSON.stringify({ domain: 'acme.example', source: 'link' }));

    // A free-mail identify later on does not displace the link either.
    await p.evaluate(() => (window as any).pz('identify', { email: 'jane@outlook.com' }));
    await sleep(200);
    expect(await storage(p, 'localStorage', 'pz_id')).toBe(JSON.stringify({ domain: 'acme.example', source: 'link' }));
    await open(p, '/');
    expect(received.at(-1)!.body.identity).toEqual({ domain: 'acme.example', source: 'link' });
  });
});

describe('never throwing into the page, and sending events promptly', () => {
  it('listeners never throw: a click and a submit dispatched on the document itself raise no error', async () => {
    const p = await context.newPage();
    const problems = watchProblems(p);
    await open(p, '/');
    await p.evaluate(() => {
      document.dispatchEvent(new MouseEvent('click', { bubbles: true }));
      document.dispatchEvent(new Event('submit', { bubbles: true }));
      window.dispatchEvent(new Event('pagehide'));
      document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
    });
    await sleep(200);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [] });
  });

  it('sends queued events at once on visibilitychange, without waiting for the half-second batch window', async () => {
    answer = () => headline('Hello Acme', { arm: 'personalized', measure: { segment: 'enterprise', arm: 'personalized', version: 3, account: 'acme.example' } });
    const p = await context.newPage();
    await open(p, '/');
    // The exposure is queued as the decision is applied; hide the page right away.
    const hiddenAt = await p.evaluate(() => {
      document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
      return performance.timeOrigin + performance.now();
    });
    await eventsWhen(1);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.events).toEqual([{ type: 'exposure', segment: 'enterprise', arm: 'personalized', version: 3, account: 'acme.example' }]);
    expect(batches[0]!.arrivedAt - hiddenAt, 'ms from visibilitychange to the batch').toBeLessThan(300);
  });
});

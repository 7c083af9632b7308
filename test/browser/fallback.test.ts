/**
 * When the edge cannot answer in time or answers badly, the page shows what it was written with,
 * within about a second of the timeout, without any error in the host page.
 */
import type { ServerResponse } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TIMEOUT_MS } from '../../shared/snippet-tag';
import {
  CUSTOMER_DEFAULTS,
  customerPage,
  customTag,
  EDGE_CORS,
  launchBrowser,
  READY_PROBE,
  readSlots,
  serve,
  serveEdge,
  watchProblems,
  type Handler,
  type TestServer,
} from '../support/browser';
import { freePort } from '../support/worker';

/** A decision that would personalize the page, had it arrived in time. */
const LATE_DECISION = {
  site: 'demo',
  version: 1,
  method: 'link',
  account: { domain: 'late.example', name: 'Late' },
  segment: { id: 'late', name: 'Late' },
  changes: [{ slot: 'hero-headline', selector: '[data-pz-slot="hero-headline"]', content: { type: 'text', text: 'TOO LATE' } }],
};

const cors = EDGE_CORS;
const decideWith = (answer: (res: ServerResponse) => void): Handler => (_req, res) => answer(res);

/** Bad edges: each serves the real snippet at /p.js and misbehaves at /v1/decide. */
const EDGES: Record<string, Handler> = {
  slow: (_req, res) => {
    const timer = setTimeout(() => res.writeHead(200, { ...cors, 'content-type': 'application/json' }).end(JSON.stringify(LATE_DECISION)), 3000);
    res.on('close', () => clearTimeout(timer));
  },
  error500: decideWith((res) => res.writeHead(500, { ...cors, 'content-type': 'application/json' }).end('{"error":"internal error"}')),
  // the edge's rate limit (edge/http/rate-limit.ts): the snippet treats it like any failure
  rateLimited429: decideWith((res) =>
    res
      .writeHead(429, { ...cors, 'content-type': 'application/json', 'retry-after': '10' })
      .end('{"error":"rate limited","issues":[{"path":"(client)","message":"too many decide requests from this client; retry after 10 s"}]}'),
  ),
  invalidJson: decideWith((res) => res.writeHead(200, { ...cors, 'content-type': 'application/json' }).end('{"site":"demo","changes":[')),
};

let browser: Browser;
const servers: TestServer[] = [];
const edgeOrigin: Record<string, string> = {};
let closedOrigin: string;
let site: TestServer;
const pages: Record<string, string> = {};

beforeAll(async () => {
  browser = await launchBrowser();
  for (const [name, decide] of Object.entries(EDGES)) {
    const server = await serveEdge({ '/v1/decide': decide });
    servers.push(server);
    edgeOrigin[name] = server.origin;
  }
  closedOrigin = `http://127.0.0.1:${await freePort()}`; // nothing listens there
  site = await serve(pages);
  servers.push(site);
  const probe = `<script>${READY_PROBE}</script>`;
  pages['/closed-script'] = customerPage(`${probe}\n${customTag(`${closedOrigin}/p.js`, { 'data-site': 'demo' })}`);
  // The script loads (from one of the test edges) but data-endpoint names a dead origin.
  pages['/closed-endpoint'] = customerPage(`${probe}\n${customTag(`${edgeOrigin.slow}/p.js`, { 'data-site': 'demo', 'data-endpoint': closedOrigin })}`);
  for (const name of Object.keys(EDGES)) pages[`/${name}`] = customerPage(`${probe}\n${customTag(`${edgeOrigin[name]}/p.js`, { 'data-site': 'demo' })}`);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((s) => s.close()));
});

const CASES: { name: string; path: string; snippetRuns: boolean }[] = [
  { name: 'the script URL is a closed port (snippet never loads: the tag style reveals)', path: '/closed-script', snippetRuns: false },
  { name: 'the decide endpoint is a closed port', path: '/closed-endpoint', snippetRuns: true },
  { name: 'the edge answers after 3 s', path: '/slow', snippetRuns: true },
  { name: 'the edge answers 500', path: '/error500', snippetRuns: true },
  { name: 'the edge answers 429 (rate limited)', path: '/rateLimited429', snippetRuns: true },
  { name: 'the edge answers invalid JSON', path: '/invalidJson', snippetRuns: true },
];

describe('fallback to the page as written', () => {
  for (const c of CASES) {
    it(`shows the original content within ~1 s of the timeout when ${c.name}`, async () => {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        const problems = watchProblems(page);
        await page.goto(`${site.origin}${c.path}`, { waitUntil: 'domcontentloaded' });
        await page.waitForFunction(
          () => Array.from(document.querySelectorAll('[data-pz-slot]')).every((el) => getComputedStyle(el).visibility === 'visible'),
          undefined,
          { timeout: DEFAULT_TIMEOUT_MS + 3000, polling: 'raf' },
        );
        const visibleAt = await page.evaluate(() => performance.now());
        expect(visibleAt, 'ms from navigation start until every slot is visible').toBeLessThan(DEFAULT_TIMEOUT_MS + 1000);

        if (c.snippetRuns) {
          const decision = await page.waitForFunction(() => (window as any).__pzReady).then((h) => h.jsonValue());
          expect(decision).toMatchObject({ method: 'none', account: null, segment: null, applied: false });
          expect(await page.evaluate(() => document.documentElement.classList.contains('pz-on'))).toBe(true);
          expect(await page.evaluate(() => document.getElementById('pz-hide'))).toBeNull();
        }
        // A decision arriving after the timeout is ignored.
        if (c.path === '/slow') await page.waitForTimeout(3000);

        const slots = await readSlots(page);
        expect(slots['hero-headline']).toMatchObject({ text: CUSTOMER_DEFAULTS['hero-headline'], visible: true, applied: false });
        expect(slots['hero-subheadline']).toMatchObject({ text: CUSTOMER_DEFAULTS['hero-subheadline'], visible: true, applied: false });
        expect(slots['hero-cta']).toMatchObject({ text: CUSTOMER_DEFAULTS['hero-cta'], href: '/contact', visible: true, applied: false });
        expect(slots['security-note']).toMatchObject({ text: CUSTOMER_DEFAULTS['security-note'], visible: true, applied: false });
        expect(problems, 'no console error and no uncaught error from the snippet').toEqual({ consoleErrors: [], pageErrors: [] });
      } finally {
        await context.close();
      }
    });
  }
});

/**
 * Browser-test helpers: the system Chromium through playwright-core, a tiny static server for
 * "customer pages" on another origin, and a recorder of what the page reports as errors.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { listenLocal } from './local-server';
import { visitContext, type DecisionInput } from '../../shared/decision/context';
import { renderContent } from '../../shared/decision/variants';
import { demoAccounts, demoSite } from '../../shared/demo/site';
import type { Content, DecideResponse, SlotChange } from '../../shared/schemas';
import { antiFlickerStyle, DEFAULT_TIMEOUT_MS } from '../../shared/snippet-tag';
import { root } from './harness.mjs';

export const CHROMIUM = '/usr/bin/chromium';

/** Headless Chromium. Each launch gets a fresh temporary profile (user-data-dir) from Playwright. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** The built snippet (dist/p.js); `npm run build` writes it. */
export function builtSnippet(): string {
  return readFileSync(join(root, 'dist/p.js'), 'utf8');
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => unknown;

export interface TestServer {
  origin: string;
  close(): Promise<void>;
}

/**
 * An HTTP server on 127.0.0.1 (free port). `routes` maps a path (without query) to a handler or to
 * an HTML string; `fallback` may name a handler for other paths; anything else is a 404.
 */
export function serve(routes: Record<string, Handler | string>, fallback?: (path: string) => Handler | undefined): Promise<TestServer> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const route = routes[path] ?? fallback?.(path);
      if (route === undefined) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      } else if (typeof route === 'string') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(route);
      } else {
        Promise.resolve(route(req, res, body)).catch(() => {
          if (!res.headersSent) res.writeHead(500);
          res.end();
        });
      }
    });
  });
  return listenLocal(server);
}

/**
 * The real Worker's demo pages (/demo, /demo/pricing, /demo/vs/…, /demo/docs/…, and their logos),
 * proxied from `workerOrigin` onto another origin with the tag's `data-site` switched from "demo" to
 * `site`: the demo page, as the Worker renders it, for a copy of the demo site on the shared Worker
 * (the Worker's own /demo always names "demo"). The snippet still loads from, and decides at, the Worker.
 */
export function serveDemoAs(workerOrigin: string, site: string): Promise<TestServer> {
  const proxy: Handler = async (req, res) => {
    const upstream = await fetch(`${workerOrigin}${req.url ?? '/'}`, { headers: { 'user-agent': req.headers['user-agent'] ?? '' } });
    const type = upstream.headers.get('content-type') ?? 'application/octet-stream';
    if (!type.startsWith('text/html')) return res.writeHead(upstream.status, { 'content-type': type }).end(Buffer.from(await upstream.arrayBuffer()));
    const html = await upstream.text();
    // a page with the tag (not e.g. /demo/signup) must name "demo" exactly once, or it would be served as is
    const tags = html.split(' data-site="demo"').length - 1;
    if (html.includes('/p.js"') && tags !== 1) return res.writeHead(500, { 'content-type': 'text/plain' }).end(`expected one data-site="demo" in ${req.url}, found ${tags}`);
    res.writeHead(upstream.status, { 'content-type': type, 'cache-control': 'no-store' }).end(html.replace(' data-site="demo"', ` data-site="${site}"`));
  };
  return serve({}, (path) => (path === '/demo' || path.startsWith('/demo/') ? proxy : undefined));
}

/** A stand-in edge's decide answer for the account acme.example in segment "enterprise", with `changes`. */
export const acmeDecision = (changes: SlotChange[], over: Partial<DecideResponse> = {}): DecideResponse => ({
  site: 'acme',
  version: 3,
  method: 'link',
  account: { domain: 'acme.example', name: 'Acme' },
  segment: { id: 'enterprise', name: 'Enterprise' },
  changes,
  ...over,
});

/** Headers of a stand-in edge's answers: readable from any origin, never cached. */
export const EDGE_CORS = { 'access-control-allow-origin': '*', 'cache-control': 'no-store' };

/** A stand-in edge on 127.0.0.1: the built snippet at /p.js, plus `routes` (a scripted /v1/decide, /v1/events…). */
export function serveEdge(routes: Record<string, Handler>): Promise<TestServer> {
  const snippet = builtSnippet();
  return serve({ '/p.js': (_req, res) => res.writeHead(200, { ...EDGE_CORS, 'content-type': 'application/javascript' }).end(snippet), ...routes });
}

export interface PageProblems {
  /** console.error messages, less the browser's own "Failed to load resource" network notices. */
  consoleErrors: string[];
  /** Uncaught exceptions and unhandled rejections. */
  pageErrors: string[];
}

/**
 * Records a page's errors. The browser itself logs every failed or non-2xx request as a console error
 * ("Failed to load resource: ..."); those are the network failures under test, not the snippet's doing.
 */
export function watchProblems(page: Page): PageProblems {
  const problems: PageProblems = { consoleErrors: [], pageErrors: [] };
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) problems.consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => problems.pageErrors.push(String(err)));
  return problems;
}

/**
 * Runs `run` on a page of a fresh context (1280×800 unless `options` say otherwise), then checks the
 * page logged no console error and threw nothing, and closes the context.
 */
export async function withCheckedPage(browser: Browser, run: (page: Page, context: BrowserContext) => Promise<void>, options: BrowserContextOptions = {}): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  try {
    const page = await context.newPage();
    const problems = watchProblems(page);
    await run(page, context);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [] });
  } finally {
    await context.close();
  }
}

/** Resolves once the snippet revealed the page (`html.pz-on`). */
export async function waitForReveal(page: Page, timeout = 10_000): Promise<void> {
  await page.waitForFunction(() => document.documentElement.classList.contains('pz-on'), undefined, { timeout });
}

// ── What the demo slots should show ─────────────────────────────────────────────

/** The text a slot shows for some content, as `el.textContent` reads it (proof: per figure). */
export function slotText(content: Content): string | string[] {
  switch (content.type) {
    case 'text':
    case 'link':
      return content.text;
    case 'image':
      return '';
    case 'proof':
      return content.items.map((p) => (p.quote ?? '') + (p.author ?? '') + (p.stat ?? '') + (p.label ?? ''));
    case 'html':
      return content.html.replace(/<[^>]*>/g, '');
  }
}

export interface Expected {
  segment: string | null;
  /** slot id → content the slot should show (rendered variant, or the page's default as written) */
  slots: Record<string, Content>;
}

/**
 * What the demo site shows an account: its segment's variants with tokens rendered as the edge
 * renders them, and the defaults for slots the segment leaves alone. `segment` null: the page as written.
 */
export function expectedDemo(domain: string | null, segment: string | null, pageUrl: string): Expected {
  const account = (domain && demoAccounts.find((a) => a.domain === domain)) || null;
  const input: DecisionInput = { account, visit: visitContext(new URL(pageUrl), undefined, undefined) };
  const slots: Record<string, Content> = {};
  for (const slot of demoSite.slots) {
    const variant = segment ? demoSite.variants[segment]?.[slot.id] : undefined;
    slots[slot.id] = variant ? renderContent(variant, input) : slot.default!;
  }
  return { segment, slots };
}

/** Reads the slots the way the assertions compare them. */
export function readSlots(page: Page): Promise<Record<string, { text: string | string[]; href: string | null; visible: boolean; applied: boolean }>> {
  return page.evaluate(() => {
    const out: Record<string, { text: string | string[]; href: string | null; visible: boolean; applied: boolean }> = {};
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('[data-pz-slot]'))) {
      const figures = Array.from(el.querySelectorAll(':scope > figure.pz-proof'));
      out[el.dataset.pzSlot!] = {
        text: figures.length ? figures.map((f) => f.textContent ?? '') : (el.textContent ?? ''),
        href: el.getAttribute('href') ?? el.querySelector('a')?.getAttribute('href') ?? null,
        visible: getComputedStyle(el).visibility === 'visible',
        applied: el.hasAttribute('data-pz-applied'),
      };
    }
    return out;
  });
}

// ── Flash recorder ──────────────────────────────────────────────────────────────

export interface SlotState {
  t: number;
  visible: boolean;
  /** textContent; proof slots: one entry per figure */
  text: string | string[];
}

/**
 * Install with `page.addInitScript(FLASH_RECORDER)` so it runs at document start: after every DOM
 * mutation and on every animation frame (what gets painted) it records each slot's (visible, text)
 * whenever it changes. Read back with `recordedStates(page)`. Plain JS source, so no transpiler helper
 * can leak into the page.
 */
export const FLASH_RECORDER = `(() => {
  const states = (window.__pzStates = {});
  const sample = () => {
    for (const el of document.querySelectorAll('[data-pz-slot]')) {
      const id = el.dataset.pzSlot;
      const figures = Array.from(el.querySelectorAll(':scope > figure.pz-proof'));
      const text = figures.length ? figures.map((f) => f.textContent || '') : el.textContent || '';
      const visible = getComputedStyle(el).visibility === 'visible';
      const list = (states[id] = states[id] || []);
      const last = list[list.length - 1];
      if (!last || last.visible !== visible || JSON.stringify(last.text) !== JSON.stringify(text)) list.push({ t: performance.now(), visible, text });
    }
  };
  new MutationObserver(sample).observe(document, { childList: true, subtree: true, characterData: true, attributes: true });
  const frame = () => {
    sample();
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})();`;

/**
 * Like FLASH_RECORDER, for slots found by CSS selector (pages that have no `data-pz-slot`): each
 * selector's (visible, text) on every mutation and animation frame into `window.__states`, and the
 * page's layout shifts into `window.__cls`, from document start (`page.addInitScript`).
 */
export const selectorRecorder = (selectors: Record<string, string>) => `(() => {
  const states = (window.__states = {});
  window.__cls = 0;
  new PerformanceObserver((list) => { for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value; }).observe({ type: 'layout-shift', buffered: true });
  const sample = () => {
    for (const [id, sel] of Object.entries(${JSON.stringify(selectors)})) {
      const el = document.querySelector(sel);
      if (!el) continue;
      const visible = getComputedStyle(el).visibility === 'visible';
      const text = el.textContent.trim();
      const list = (states[id] = states[id] || []);
      const last = list[list.length - 1];
      if (!last || last.visible !== visible || last.text !== text) list.push({ visible, text });
    }
  };
  new MutationObserver(sample).observe(document, { childList: true, subtree: true, characterData: true, attributes: true });
  const frame = () => { sample(); requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
})();`;

export function recordedStates(page: Page): Promise<Record<string, SlotState[]>> {
  return page.evaluate(() => (window as unknown as { __pzStates: Record<string, SlotState[]> }).__pzStates);
}

// ── A customer's page on another origin ─────────────────────────────────────────

/** Stub + queued calls a page makes before the snippet loads (the documented queue API). */
export const QUEUE_STUB = 'window.pz=window.pz||function(){(pz.q=pz.q||[]).push(arguments)};';
/** Records the snippet's `ready` report in `window.__pzReady`. */
export const READY_PROBE = `${QUEUE_STUB}pz('ready',function(d){window.__pzReady=d});`;

export const CUSTOMER_DEFAULTS = {
  'hero-headline': 'Acme Analytics: data you can trust',
  'hero-subheadline': 'The platform page as the customer wrote it.',
  'hero-cta': 'Contact sales',
  'security-note': 'SOC 2 certified.',
};

/**
 * A B2B site's landing page with the five demo slots, marked up the customer's own way, and `head`
 * (the tag plus any inline script) in its <head>.
 */
export function customerPage(head: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Acme Analytics</title><link rel="icon" href="data:,">
${head}
</head><body>
<header><a href="/">Acme</a></header>
<main>
<h1 data-pz-slot="hero-headline">${CUSTOMER_DEFAULTS['hero-headline']}</h1>
<p data-pz-slot="hero-subheadline">${CUSTOMER_DEFAULTS['hero-subheadline']}</p>
<div data-pz-slot="hero-cta"><a class="button" href="/contact">${CUSTOMER_DEFAULTS['hero-cta']}</a></div>
<section data-pz-slot="proof"><figure class="pz-proof"><blockquote>Great product.</blockquote><figcaption>A happy customer</figcaption></figure></section>
<div data-pz-slot="security-note"><p>${CUSTOMER_DEFAULTS['security-note']}</p></div>
</main>
</body></html>`;
}

/** The tag with explicit attributes, e.g. an endpoint other than the script's origin. */
export function customTag(scriptSrc: string, attrs: Record<string, string>, timeoutMs = DEFAULT_TIMEOUT_MS): string {
  const data = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${v}"`)
    .join('');
  return `${antiFlickerStyle(timeoutMs)}\n<script async src="${scriptSrc}"${data}></script>`;
}

/**
 * The snippet on a customer's page in Chromium when things go wrong:
 * - the edge answers 500, answers invalid JSON, or never answers: the page keeps its own content,
 *   throws nothing, and nothing moves (cumulative layout shift 0, measured in the page with a
 *   buffered PerformanceObserver on 'layout-shift'; fallback.test.ts covers the timing of the reveal);
 * - a variant carries script tags, event handlers, `javascript:` links and SVG payloads, in every content
 *   type and through an account name in tokens, served by the real Worker (wrangler dev) after being
 *   saved and published through the admin API: it reaches the page as inert text.
 */
import type { ServerResponse } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiteConfig } from '../../shared/schemas';
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
import { sharedWorker } from '../support/worker';

/** The browser project's shared Worker; the hostile site "xss" is this file's own, created through the admin API. */
const worker = sharedWorker();
const TOKEN = worker.adminToken;

/** Sums the page's layout shifts not caused by input, from document start (an init script: plain JS). */
const CLS_RECORDER = `(() => {
  window.__cls = { value: 0, entries: 0, supported: PerformanceObserver.supportedEntryTypes.includes('layout-shift') };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) { window.__cls.value += e.value; window.__cls.entries++; }
  }).observe({ type: 'layout-shift', buffered: true });
})();`;

type Cls = { value: number; entries: number; supported: boolean };
const readCls = (page: Page) => page.evaluate(() => (window as unknown as { __cls: Cls }).__cls);

let browser: Browser;
const servers: TestServer[] = [];
const pages: Record<string, string> = {};
let site: TestServer;

const cors = EDGE_CORS;
const hanging = new Set<ServerResponse>();

/** Bad edges: each serves the real snippet at /p.js and misbehaves at /v1/decide. */
const EDGES: Record<string, Handler> = {
  error500: (_req, res) => res.writeHead(500, { ...cors, 'content-type': 'application/json' }).end('{"error":"internal error"}'),
  invalidJson: (_req, res) => res.writeHead(200, { ...cors, 'content-type': 'application/json' }).end('{"site":"demo","changes":[{"slot":'),
  // headers sent, then nothing: the connection stays open until the test ends
  neverAnswers: (_req, res) => {
    res.writeHead(200, { ...cors, 'content-type': 'application/json' });
    res.write(' ');
    hanging.add(res);
    res.on('close', () => hanging.delete(res));
  },
};

async function withPage(run: (page: Page, context: BrowserContext) => Promise<void>) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await run(await context.newPage(), context);
  } finally {
    await context.close();
  }
}

// ── The real Worker, with a site whose variants are hostile ─────────────────────

const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${worker.origin}/api/admin/sites/xss${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.text() };
};

/** Each payload records its name in window.__xss (and some open a dialog) if it ever runs. */
const PAYLOADS = [
  `<script>__xss.push('script');alert('script')</script>`,
  `<img src=x onerror="__xss.push('img-onerror');alert('img')">`,
  `<svg onload="__xss.push('svg-onload')"><script>__xss.push('svg-script')</script></svg>`,
  `<svg><animate onbegin="__xss.push('svg-animate')" attributeName="x" dur="1s"/></svg>`,
  `<a href="javascript:__xss.push('js-link')">click</a>`,
  `<iframe srcdoc="<script>parent.__xss.push('iframe')</script>"></iframe>`,
  `"><img src=x onerror=__xss.push('attr-breakout')>`,
  `<details open ontoggle="__xss.push('ontoggle')"><summary>s</summary></details>`,
  `<object data="javascript:__xss.push('object')"></object><embed src="javascript:__xss.push('embed')">`,
  `<noscript><p title="</noscript><img src=x onerror=__xss.push('noscript')>"></noscript>`,
  `<a href=" JaVaScRiPt:__xss.push('js-case')">x</a><a href="jav&#x09;ascript:__xss.push('js-entity')">y</a>`,
  // last: an unclosed <math> swallows everything after it in an html variant
  `<math><mtext><table><mglyph><style><img src=x onerror=__xss.push('mxss')>`,
].join('');
const SHORT = `<svg/onload=__xss.push('stat')>`;
/** The account's name itself is hostile, and reaches the page through {{account.name}}. */
const ACCOUNT_NAME = `<img src=x onerror=__xss.push('token')><script>__xss.push('token-script')</script>`;

function hostileConfig(pageOrigin: string): SiteConfig {
  return {
    site: 'xss',
    name: 'Hostile variants',
    version: 1,
    allowedOrigins: [pageOrigin.replace(/:\d+$/, ':*')],
    segments: [{ id: 'targets', name: 'Targets', kind: 'firmographic', priority: 10, holdout: 0, rule: { all: [{ field: 'account.industry', op: 'equals', value: 'Attack' }], any: [] } }],
    slots: [
      { id: 'hero-headline', type: 'text' },
      { id: 'hero-cta', type: 'link' },
      { id: 'hero-image', type: 'image' },
      { id: 'proof', type: 'proof' },
      { id: 'security-note', type: 'html' },
    ],
    variants: {
      targets: {
        'hero-headline': { type: 'text', text: `${PAYLOADS} for {{account.name}}` },
        'hero-cta': { type: 'link', text: PAYLOADS, href: `/contact?x="><script>__xss.push('href')</script>` },
        'hero-image': { type: 'image', src: `/x.png" onerror="__xss.push('img-src')`, alt: PAYLOADS },
        proof: {
          type: 'proof',
          items: [{ quote: PAYLOADS, author: '{{account.name}}', stat: SHORT, label: `<img src=x onerror=__xss.push('label')>`, logo: `/logo.svg?"><script>__xss.push('logo')</script>` }],
        },
        'security-note': { type: 'html', html: `<p>Secure for <strong>{{account.name}}</strong></p><img src="x" onerror="__xss.push('html-img')">${PAYLOADS}` },
      },
    },
  };
}

/** A page with one slot of each content type, marked up the customer's way. */
const xssPage = (head: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Acme</title><link rel="icon" href="data:,">
<script>window.__xss = [];</script>
${head}
</head><body>
<main>
<h1 data-pz-slot="hero-headline">Acme Analytics</h1>
<div data-pz-slot="hero-cta"><a class="button" href="/contact">Contact sales</a></div>
<div data-pz-slot="hero-image"><img src="data:," alt="Our product" width="200" height="100"></div>
<section data-pz-slot="proof"><figure class="pz-proof"><blockquote>Great product.</blockquote></figure></section>
<div data-pz-slot="security-note"><p>SOC 2 certified.</p></div>
</main>
</body></html>`;

/** What in the document could run script: event-handler attributes, script-bearing URLs, script-capable elements in the slots. */
function liveMarkup(page: Page) {
  return page.evaluate(() => {
    const handlers: string[] = [];
    const urls: string[] = [];
    for (const el of Array.from(document.querySelectorAll('*'))) {
      for (const attr of Array.from(el.attributes)) {
        if (/^on/i.test(attr.name)) handlers.push(`<${el.localName} ${attr.name}>`);
        if (/^(href|src|xlink:href|action|formaction|data|srcdoc)$/i.test(attr.name)) {
          let protocol = '';
          try {
            protocol = new URL(attr.value, location.href).protocol;
          } catch {
            // an unparsable URL cannot be followed
          }
          if (!/^(https?:|data:)$/.test(protocol) || (protocol === 'data:' && attr.value !== 'data:,')) urls.push(`<${el.localName} ${attr.name}="${attr.value}">`);
        }
      }
    }
    const elements = Array.from(document.querySelectorAll('[data-pz-slot] :is(script, iframe, svg, math, object, embed, style, details, noscript, frame)')).map((el) => el.localName);
    return { handlers, urls, elements };
  });
}

beforeAll(async () => {
  browser = await launchBrowser();
  const edgeOrigin: Record<string, string> = {};
  for (const [name, decide] of Object.entries(EDGES)) {
    const server = await serveEdge({ '/v1/decide': decide });
    servers.push(server);
    edgeOrigin[name] = server.origin;
  }
  site = await serve(pages);
  servers.push(site);
  const probe = `<script>${READY_PROBE}</script>`;
  for (const name of Object.keys(EDGES)) pages[`/${name}`] = customerPage(`${probe}\n${customTag(`${edgeOrigin[name]}/p.js`, { 'data-site': 'demo' })}`);
  // control: the page itself moves its content down once loaded
  pages['/shifting'] = customerPage(
    `<script>addEventListener('load', () => setTimeout(() => document.body.prepend(Object.assign(document.createElement('div'), { style: 'height:300px' })), 100));</script>`,
  );
  pages['/xss'] = xssPage(`${probe}\n${customTag(`${worker.origin}/p.js`, { 'data-site': 'xss' })}`);

  // the hostile site, saved and published through the admin API like any other
  const saved = await api('PUT', '/draft', { baseRevision: 0, config: hostileConfig(site.origin) });
  expect(saved.status, saved.body).toBe(200);
  const account = await api('PUT', '/accounts/attack.example', { domain: 'attack.example', name: ACCOUNT_NAME, industry: 'Attack' });
  expect(account.status, account.body).toBe(200);
  const published = await api('POST', '/publish', { baseRevision: 1 });
  expect(published.status, published.body).toBe(200);
});

afterAll(async () => {
  for (const res of hanging) res.destroy();
  await browser?.close();
  await Promise.all(servers.map((s) => s.close()));
});

// ── A broken edge: the page as written, and nothing moves ───────────────────────

describe('a broken edge leaves the page as written, with no uncaught error and no layout shift', () => {
  it('the CLS recorder sees a layout shift when the page makes one (control)', async () => {
    await withPage(async (page) => {
      await page.addInitScript(CLS_RECORDER);
      await page.goto(`${site.origin}/shifting`, { waitUntil: 'load' });
      await page.waitForFunction(() => (window as unknown as { __cls: Cls }).__cls.entries > 0, undefined, { timeout: 5000 });
      expect((await readCls(page)).value).toBeGreaterThan(0.05);
    });
  });

  for (const [name, label] of [
    ['error500', 'answers 500'],
    ['invalidJson', 'answers invalid JSON'],
    ['neverAnswers', 'never answers'],
  ] as const) {
    it(`shows the page's own content with CLS 0 when the edge ${label}`, async () => {
      await withPage(async (page) => {
        const problems = watchProblems(page);
        await page.addInitScript(CLS_RECORDER);
        await page.goto(`${site.origin}/${name}`, { waitUntil: 'load' });
        const decision = await page.waitForFunction(() => (window as any).__pzReady, undefined, { timeout: DEFAULT_TIMEOUT_MS + 5000 }).then((h) => h.jsonValue());
        expect(decision).toMatchObject({ method: 'none', segment: null, applied: false });
        // the anti-flicker style's own reveal falls at 800 ms: look past it, and past a late answer
        await page.waitForTimeout(Math.max(0, DEFAULT_TIMEOUT_MS + 400 - (await page.evaluate(() => performance.now()))));
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

        const slots = await readSlots(page);
        for (const [slot, text] of Object.entries(CUSTOMER_DEFAULTS)) expect(slots[slot], slot).toMatchObject({ text, visible: true, applied: false });
        const cls = await readCls(page);
        expect(cls.supported, 'Chromium reports layout-shift entries').toBe(true);
        expect(cls).toMatchObject({ value: 0, entries: 0 });
        expect(problems, 'no console error and no uncaught error').toEqual({ consoleErrors: [], pageErrors: [] });
      });
    });
  }
});

// ── Hostile variants through the real Worker ────────────────────────────────────

describe('hostile variants reach the page as inert text', () => {
  it('the payloads do run when a page writes them as HTML itself (control)', async () => {
    await withPage(async (page) => {
      await page.goto(`${site.origin}/shifting`);
      const ran = await page.evaluate(async (html) => {
        (window as any).__xss = [];
        const div = document.createElement('div');
        div.innerHTML = html;
        document.body.append(div);
        await new Promise((r) => setTimeout(r, 500));
        return (window as any).__xss as string[];
      }, PAYLOADS);
      expect(ran).toContain('img-onerror');
    });
  });

  it('the admin refuses javascript:, data: and protocol-relative URLs in links, images and logos', async () => {
    const base = hostileConfig(site.origin);
    const withUrl = (url: string): SiteConfig => ({
      ...base,
      variants: { targets: { 'hero-cta': { type: 'link', text: 'Go', href: url }, 'hero-image': { type: 'image', src: url, alt: '' }, proof: { type: 'proof', items: [{ logo: url }] } } },
    });
    for (const url of ['javascript:alert(1)', ' JaVaScRiPt:alert(1)', 'data:text/html,<script>alert(1)</script>', '//evil.example/x', 'vbscript:msgbox(1)']) {
      const res = await api('PUT', '/draft', { baseRevision: 1, config: withUrl(url) });
      expect(res.status, `${url}: ${res.body}`).toBe(400);
      expect(JSON.parse(res.body).issues.map((i: { path: string }) => i.path)).toEqual(
        expect.arrayContaining(['config.variants.targets.hero-cta.href', 'config.variants.targets.hero-image.src', 'config.variants.targets.proof.items.0.logo']),
      );
    }
  });

  it('text, link, image, proof and html variants with scripts, handlers, javascript: links and SVG run nothing and leave no live markup', async () => {
    await withPage(async (page) => {
      const problems = watchProblems(page);
      const dialogs: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await page.goto(`${site.origin}/xss?pz_account=attack.example`, { waitUntil: 'load' });
      const decision = await page.waitForFunction(() => (window as any).__pzReady, undefined, { timeout: 10_000 }).then((h) => h.jsonValue());
      // the hostile variants were applied: otherwise nothing here would prove anything
      expect(decision).toMatchObject({ method: 'link', account: { domain: 'attack.example' }, segment: { id: 'targets' }, applied: true });
      await page.waitForTimeout(1000); // failed image loads, SVG and iframe events fire asynchronously

      expect(await page.evaluate(() => (window as any).__xss), 'payloads that ran').toEqual([]);
      expect(dialogs, 'dialogs opened').toEqual([]);
      expect(await liveMarkup(page)).toEqual({ handlers: [], urls: [], elements: [] });

      // …and the payloads are there, as text
      const slots = await page.evaluate(() => {
        const slot = (id: string) => document.querySelector(`[data-pz-slot="${id}"]`)!;
        return {
          headline: slot('hero-headline').textContent,
          cta: slot('hero-cta').querySelector('a')!.textContent,
          href: slot('hero-cta').querySelector('a')!.getAttribute('href'),
          alt: slot('hero-image').querySelector('img')!.getAttribute('alt'),
          quote: slot('proof').querySelector('blockquote')?.textContent,
          author: slot('proof').querySelector('figcaption')?.textContent,
          stat: slot('proof').querySelector('strong')?.textContent,
          strong: slot('security-note').querySelector('strong')?.textContent,
          htmlTags: [...new Set(Array.from(slot('security-note').querySelectorAll('*')).map((el) => el.localName))].sort(),
        };
      });
      expect(slots.headline).toBe(`${PAYLOADS} for ${ACCOUNT_NAME}`);
      expect(slots.cta).toBe(PAYLOADS);
      expect(slots.href).toBe(`/contact?x="><script>__xss.push('href')</script>`);
      expect(slots.alt).toBe(PAYLOADS);
      expect(slots.quote).toBe(PAYLOADS);
      expect(slots.author).toBe(ACCOUNT_NAME);
      expect(slots.stat).toBe(SHORT);
      expect(slots.strong, 'the account name in an html variant is escaped text').toBe(ACCOUNT_NAME);
      expect(slots.htmlTags, 'only the sanitizer’s allowlisted tags, here').toEqual(['a', 'img', 'p', 'strong']);
      expect(problems.pageErrors).toEqual([]);
    });
  });
});

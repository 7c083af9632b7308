// Time to personalized content in Chromium (Debian's /usr/bin/chromium through playwright-core),
// a fresh browser context (empty cache and storage: a first visit) per load, loads interleaved:
//   snippet@worker  the demo page as the Worker serves it (same origin as the edge)
//   snippet@site    the same HTML from a separate local server: a customer's site, the edge cross-origin
//   no snippet      the same HTML with the tag (style + script) removed, from that server
// In the page, from navigation start (performance.now()): when the hero headline holds the
// personalized text (MutationObserver), the next animation frame, and first (contentful) paint.
import { createServer } from 'node:http';
import { chromium } from 'playwright-core';
import { importBenchTs } from './ts.mjs';

export const CHROMIUM = '/usr/bin/chromium';
const SLOT = 'hero-headline';

/** Same flags as test/support/browser.ts launchBrowser. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Runs at document start: records paints and when the slot first holds `window.__pzExpect`. */
const PROBE = `(() => {
  const t = (window.__pzT = {});
  new PerformanceObserver((list) => { for (const e of list.getEntries()) t[e.name] = e.startTime; }).observe({ type: 'paint', buffered: true });
  const check = () => {
    if (t.reveal === undefined && document.documentElement.classList.contains('pz-on')) t.reveal = performance.now();
    if (t.personalized !== undefined) return;
    const el = document.querySelector('[data-pz-slot="${SLOT}"]');
    if (el && window.__pzExpect !== undefined && el.textContent === window.__pzExpect) {
      t.personalized = performance.now();
      requestAnimationFrame(() => (t.frame = performance.now()));
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true, attributes: true });
  document.addEventListener('DOMContentLoaded', check);
})();`;

function serveSite(pages, upstream) {
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (pages[path] !== undefined) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(pages[path]);
      return;
    }
    // Logos and anything else the page references: from the Worker.
    try {
      const r = await fetch(upstream + req.url);
      res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/octet-stream', 'cache-control': r.headers.get('cache-control') ?? 'no-store' });
      res.end(Buffer.from(await r.arrayBuffer()));
    } catch {
      res.writeHead(502).end();
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        origin: `http://127.0.0.1:${server.address().port}`,
        close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
      }),
    ),
  );
}

const median = (xs) => {
  const v = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  return v.length ? v[Math.floor((v.length - 1) / 2)] : null;
};

async function load(browser, url, expect, timeoutMs) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(`window.__pzExpect = ${JSON.stringify(expect)};`);
    await page.addInitScript(PROBE);
    await page.goto(url, { waitUntil: 'load' });
    await page
      .waitForFunction((want) => window.__pzT['first-contentful-paint'] !== undefined && (!want || window.__pzT.frame !== undefined), expect !== null, { timeout: timeoutMs })
      .catch(() => {});
    return await page.evaluate(() => ({ ...window.__pzT }));
  } finally {
    await context.close();
  }
}

/**
 * `persona`: an account domain of the demo data (the `pz_account` link parameter); `loads` per variant.
 */
export async function measureBrowser({ origin, loads = 10, persona = 'northwind-bank.example', timeoutMs = 5000, log = () => {} }) {
  const lib = await importBenchTs('bench/shared.ts');
  const query = `?pz_account=${encodeURIComponent(persona)}`;
  const html = await (await fetch(`${origin}/demo`)).text();
  const tag = lib.snippetTag(origin, 'demo');
  if (!html.includes(tag)) throw new Error('the demo page does not contain the snippet tag as shared/snippet-tag.ts writes it');
  const bare = html.replace(tag, '');
  if (bare.includes('/p.js')) throw new Error('the page without the snippet still references /p.js');

  // The personalized text the slot should end up with: what the edge answers this visit.
  const decided = await (
    await fetch(`${origin}/v1/decide`, { method: 'POST', body: JSON.stringify({ site: 'demo', url: `${origin}/demo${query}` }) })
  ).json();
  const change = decided.changes?.find((c) => c.slot === SLOT);
  if (!change) throw new Error(`no ${SLOT} change for ${persona}: ${JSON.stringify(decided).slice(0, 300)}`);
  const expect = change.content.text;

  const site = await serveSite({ '/demo': html, '/demo-bare': bare }, origin);
  const browser = await launchBrowser();
  const variants = [
    { name: 'snippetWorker', url: `${origin}/demo${query}`, expect },
    { name: 'snippetSite', url: `${site.origin}/demo${query}`, expect },
    { name: 'noSnippet', url: `${site.origin}/demo-bare${query}`, expect: null },
  ];
  const samples = Object.fromEntries(variants.map((v) => [v.name, []]));
  try {
    for (const v of variants) await load(browser, v.url, v.expect, timeoutMs); // warm-up
    for (let i = 0; i < loads; i++) for (const v of variants) samples[v.name].push(await load(browser, v.url, v.expect, timeoutMs));
  } finally {
    await browser.close();
    await site.close();
  }
  const summary = {};
  for (const v of variants) {
    const s = samples[v.name];
    summary[v.name] = {
      loads: s.length,
      personalizedMs: v.expect ? median(s.map((x) => x.personalized)) : null,
      frameMs: v.expect ? median(s.map((x) => x.frame)) : null,
      revealMs: v.expect ? median(s.map((x) => x.reveal)) : null,
      missed: v.expect ? s.filter((x) => x.personalized === undefined).length : 0,
      firstPaintMs: median(s.map((x) => x['first-paint'])),
      fcpMs: median(s.map((x) => x['first-contentful-paint'])),
    };
    log(`    ${v.name}: ${JSON.stringify(summary[v.name])}`);
  }
  return { persona, segment: decided.segment?.id ?? null, expect, ...summary };
}

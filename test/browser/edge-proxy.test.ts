/**
 * Edge mode in a real browser: Chromium resolves a customer's hostname to the shared `wrangler dev`
 * (as a Cloudflare route would send it), which proxies a real origin server and personalizes its HTML
 * as it streams. The personalized content is in the first paint: no slot's text changes afterwards,
 * the snippet asks nothing, and another account sees the page as written.
 */
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SiteState } from '../../shared/schemas';
import { CHROMIUM, FLASH_RECORDER, READY_PROBE, recordedStates, serve, watchProblems, type TestServer } from '../support/browser';
import { signedAccount } from '../support/links';
import { EDGE_HOST, EDGE_SITE, SHARED_LINK_SECRET } from '../support/shared-sites';
import { adminApi, sharedWorker } from '../support/worker';

const worker = sharedWorker();
let browser: Browser;
let origin: TestServer;
const pages: Record<string, string> = {};

const page = (tag: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Customer</title><link rel="icon" href="data:,">
<script>${READY_PROBE}</script>
${tag}
</head><body>
<h1 data-pz-slot="headline">Analytics for every team</h1>
<p><a id="cta" href="/signup">Start a trial</a></p>
</body></html>`;

beforeAll(async () => {
  origin = await serve(pages);
  await adminApi('POST', '/sites', { id: EDGE_SITE, name: 'Edge mode', allowedOrigins: [`http://${EDGE_HOST}`] });
  const state = SiteState.parse(await adminApi('GET', `/sites/${EDGE_SITE}`));
  const config = {
    ...state.draft.config,
    edge: { origin: origin.origin, prefix: '/assets-e' },
    segments: [{ id: 'fintech', name: 'Fintech', priority: 10, holdout: 0, rule: { all: [{ field: 'account.industry', op: 'equals', value: 'Fintech' }] } }],
    slots: [
      { id: 'headline', type: 'text' },
      { id: 'cta', type: 'link', selector: '#cta' },
    ],
    variants: { fintech: { headline: { type: 'text', text: 'Analytics for {{account.name}}' }, cta: { type: 'link', text: 'Talk to our fintech team', href: '/contact' } } },
  };
  const saved = SiteState.parse(await adminApi('PUT', `/sites/${EDGE_SITE}/draft`, { baseRevision: state.draft.revision, config }));
  await adminApi('POST', `/sites/${EDGE_SITE}/accounts/import`, { rows: [{ domain: 'fin-one.example', name: 'Fin One', industry: 'Fintech' }, { domain: 'shop.example', name: 'Shop', industry: 'Retail' }] });
  await adminApi('POST', `/sites/${EDGE_SITE}/publish`, { baseRevision: saved.draft.revision });
  pages['/pricing'] = page(SiteState.parse(await adminApi('GET', `/sites/${EDGE_SITE}`)).tag);
  // first-party: the snippet and its API on the customer's own host, under the site's neutral prefix
  pages['/first-party'] = page(`<script async src="/assets-e/p.js" data-site="${EDGE_SITE}" data-endpoint="http://${EDGE_HOST}/assets-e"></script>`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', `--host-resolver-rules=MAP ${EDGE_HOST} ${new URL(worker.origin).host}`],
  });
  // the read copy takes a moment (one write per key per second): wait until the edge serves the published config
  for (let i = 0; i < 50; i++) {
    const res = await fetch(`${worker.origin}/v1/decide`, { method: 'POST', body: JSON.stringify({ site: EDGE_SITE, url: `http://${EDGE_HOST}/` }) });
    if (res.ok) break;
    await new Promise((r) => setTimeout(r, 200));
  }
});

afterAll(async () => {
  await browser?.close();
  await origin?.close();
});

async function visit(account: string) {
  const context = await browser.newContext();
  const tab = await context.newPage();
  const problems = watchProblems(tab);
  const decides: string[] = [];
  tab.on('request', (r) => r.url().includes('/v1/decide') && decides.push(r.url()));
  await tab.addInitScript(FLASH_RECORDER);
  await tab.goto(`http://${EDGE_HOST}/pricing?pz_account=${await signedAccount(SHARED_LINK_SECRET, EDGE_SITE, account)}`);
  await tab.waitForFunction(() => (window as unknown as { __pzReady?: unknown }).__pzReady);
  const states = await recordedStates(tab);
  const cta = { text: await tab.textContent('#cta'), href: await tab.getAttribute('#cta', 'href') };
  await context.close();
  return { states, cta, decides, problems };
}

describe('edge mode in Chromium', () => {
  it('paints the personalized content first: no text change after it, no decide from the browser', async () => {
    const { states, cta, decides, problems } = await visit('fin-one.example');
    expect(states.headline).toEqual([expect.objectContaining({ visible: true, text: 'Analytics for Fin One' })]);
    expect(cta).toEqual({ text: 'Talk to our fintech team', href: '/contact' });
    expect(decides).toEqual([]);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [] });
  });

  it('serves the snippet, decide and events from the customer’s own host under the neutral prefix', async () => {
    const context = await browser.newContext();
    const tab = await context.newPage();
    const problems = watchProblems(tab);
    const answered: Record<string, number> = {};
    tab.on('response', (r) => {
      const url = new URL(r.url());
      if (url.host === EDGE_HOST && url.pathname.startsWith('/assets-e/')) answered[url.pathname] = r.status();
    });
    await tab.goto(`http://${EDGE_HOST}/first-party?pz_account=${await signedAccount(SHARED_LINK_SECRET, EDGE_SITE, 'fin-one.example')}`);
    await tab.waitForFunction(() => (window as unknown as { __pzReady?: unknown }).__pzReady);
    expect(await tab.textContent('[data-pz-slot="headline"]')).toBe('Analytics for Fin One');
    // a same-origin decide, as a page whose edge decision came too late would make
    const decided = await tab.evaluate(async (site) => {
      const res = await fetch('/assets-e/v1/decide', { method: 'POST', body: JSON.stringify({ site, url: location.href }) });
      return { status: res.status, segment: ((await res.json()) as { segment: { id: string } | null }).segment };
    }, EDGE_SITE);
    expect(decided).toMatchObject({ status: 200, segment: { id: 'fintech' } });
    // the exposure goes out when the page is hidden, to the same host
    await tab.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await expect.poll(() => answered['/assets-e/v1/events']).toBe(202);
    expect(answered['/assets-e/p.js']).toBe(200);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [] });
    await context.close();
  });

  it('another account sees the page as written', async () => {
    const { states, cta } = await visit('shop.example');
    expect(states.headline!.filter((s) => s.visible).map((s) => s.text)).toEqual(['Analytics for every team']);
    expect(cta).toEqual({ text: 'Start a trial', href: '/signup' });
  });
});

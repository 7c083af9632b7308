/**
 * The snippet on a page the edge has already decided (edge mode, edge/edge-mode/proxy.ts): it reads
 * the decision from the page instead of asking, leaves the slots the edge filled as they are (no text
 * change after the first paint), fills a slot the edge could not find itself, measures with the edge's
 * visitor id, and never hides what the edge revealed.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecideResponse } from '../../shared/schemas';
import { EDGE_CORS, FLASH_RECORDER, READY_PROBE, customTag, launchBrowser, recordedStates, serve, serveEdge, watchProblems, type TestServer } from '../support/browser';

let browser: Browser;
let edge: TestServer;
let site: TestServer;
const decides: string[] = [];
const batches: { visitor?: string; events: { type: string }[] }[] = [];

const EDGE_VISITOR = 'edgevisitor0123456789abcdef0123';
const decided: DecideResponse & { visitor: string; e: 1 } = {
  site: 'acme',
  version: 3,
  method: 'link',
  confidence: 'verified',
  account: { domain: 'acme.example', name: 'Acme' },
  segment: { id: 'fintech', name: 'Fintech' },
  arm: 'personalized',
  changes: [
    { slot: 'headline', selector: '[data-pz-slot="headline"]', content: { type: 'text', text: 'Hello Acme' } },
    // a selector the edge could not match: the snippet fills it
    { slot: 'aside', selector: 'aside:is(.promo)', content: { type: 'text', text: 'Promo for Acme' } },
  ],
  measure: { segment: 'fintech', arm: 'personalized', version: 3, account: 'acme.example', token: 'tpixiv.token' },
  visitor: EDGE_VISITOR,
  e: 1,
} as never;

/** What the edge streams: the headline already personalized and revealed, the decision in the head. */
const page = (tag: string) => `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script>${READY_PROBE}</script>
${tag}
<script type="application/json" id="pz-edge">${JSON.stringify(decided)}</script><style id="pz-edge-reveal">:is([data-pz-slot="headline"]){visibility:visible!important;animation:none!important}</style>
</head><body>
<h1 data-pz-slot="headline" data-pz-applied="headline">Hello Acme</h1>
<aside class="promo" data-pz-slot="aside">Promo as written</aside>
</body></html>`;

beforeAll(async () => {
  browser = await launchBrowser();
  edge = await serveEdge({
    '/v1/decide': (_req, res, body) => {
      decides.push(body);
      res.writeHead(500, EDGE_CORS).end();
    },
    '/v1/events': (_req, res, body) => {
      batches.push(JSON.parse(body));
      res.writeHead(202, EDGE_CORS).end();
    },
  });
  site = await serve({ '/': page(customTag(`${edge.origin}/p.js`, { 'data-site': 'acme' })) });
});

afterAll(async () => {
  await browser?.close();
  await edge?.close();
  await site?.close();
});

describe('the snippet on a page the edge decided', () => {
  it('asks nothing, changes no text the edge wrote, fills the slot the edge could not, and measures with the edge’s visitor', async () => {
    const context = await browser.newContext();
    const tab = await context.newPage();
    const problems = watchProblems(tab);
    await tab.addInitScript(FLASH_RECORDER);
    await tab.goto(`${site.origin}/`);
    await tab.waitForFunction(() => (window as unknown as { __pzReady?: unknown }).__pzReady);
    const ready = await tab.evaluate(() => (window as unknown as { __pzReady: { segment: { id: string }; applied: boolean } }).__pzReady);
    expect(ready).toMatchObject({ segment: { id: 'fintech' }, applied: true });
    const states = await recordedStates(tab);
    // the headline: visible with the edge's text from the first sample, never hidden, never changed
    expect(states.headline).toEqual([expect.objectContaining({ visible: true, text: 'Hello Acme' })]);
    expect(states.aside!.at(-1)).toMatchObject({ visible: true, text: 'Promo for Acme' });
    expect(await tab.locator('#pz-hide').count()).toBe(0);
    await tab.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await expect.poll(() => batches.length).toBeGreaterThan(0);
    expect(batches[0]).toMatchObject({ visitor: EDGE_VISITOR, events: [expect.objectContaining({ type: 'exposure', token: 'tpixiv.token' })] });
    expect(decides).toEqual([]);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [] });
    await context.close();
  });
});

/**
 * Snippet behaviours the demo site does not exercise (selector slots, image and html content,
 * privacy signals, link and reset handling), against a scripted edge whose answers each test sets.
 * The real edge is covered by demo.test.ts and customer-page.test.ts.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DecideRequest, DecideResponse, SlotChange } from '../../shared/schemas';
import { wireChanges } from '../../shared/content/proof-html';
import { acmeDecision, customTag, EDGE_CORS, launchBrowser, READY_PROBE, serve, serveEdge, waitForReveal, watchProblems, type TestServer } from '../support/browser';

let browser: Browser;
let edge: TestServer;
let site: TestServer;
let context: BrowserContext;

/** Requests the scripted edge received, and how it answers the next ones. */
let received: DecideRequest[] = [];
let answer: (req: DecideRequest) => DecideResponse;
let delayMs = 0;

const decision = acmeDecision;
const anonymous = (): DecideResponse => decision([], { method: 'none', account: null, segment: null });

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script>${READY_PROBE}</script>
TAG
</head><body>
<h1 data-pz-slot="headline">Headline as written</h1>
<div data-pz-slot="cta"><span>Go:</span> <a href="/contact">Contact us</a></div>
<picture data-pz-slot="hero-image"><img src="/default.png" srcset="/default-2x.png 2x" alt="default"></picture>
<section data-pz-slot="proof"><p>Loved by teams</p></section>
<div data-pz-slot="note"><p>Note as written</p></div>
<div class="promo"><h2>Promo as written</h2></div>
</body></html>`;

beforeAll(async () => {
  browser = await launchBrowser();
  edge = await serveEdge({
    '/v1/decide': async (_req, res, body) => {
      const req = JSON.parse(body) as DecideRequest;
      received.push(req);
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      res.writeHead(200, { ...EDGE_CORS, 'content-type': 'application/json' }).end(JSON.stringify(answer(req)));
    },
  });
  // A 2 s budget: these tests check what is applied and remembered, and on a loaded machine the page
  // load alone can use most of 800 ms from navigation start (timing: snippet-timing.test.ts).
  const tag = customTag(`${edge.origin}/p.js`, { 'data-site': 'acme', 'data-timeout': '2000' }, 2000);
  site = await serve({ '/': PAGE.replace('TAG', tag) });
});

afterAll(async () => {
  await browser?.close();
  await edge?.close();
  await site?.close();
});

beforeEach(async () => {
  received = [];
  answer = anonymous;
  delayMs = 0;
  context = await browser.newContext();
});

afterEach(async () => {
  await context?.close();
});

async function open(query = '', p?: Page): Promise<Page> {
  const page = p ?? (await context.newPage());
  await page.goto(`${site.origin}/${query}`);
  await waitForReveal(page);
  await page.waitForFunction(() => (window as any).__pzReady);
  return page;
}

const storage = (page: Page, area: 'localStorage' | 'sessionStorage', key: string) =>
  page.evaluate(([a, k]) => window[a as 'localStorage'].getItem(k!), [area, key]);

describe('applying content', () => {
  it('applies text, link, image, proof (as the edge renders it) and html content and marks the changed elements', async () => {
    answer = () =>
      decision([
        { slot: 'headline', selector: '[data-pz-slot="headline"]', content: { type: 'text', text: 'Hello <b>Acme</b>' } },
        { slot: 'cta', selector: '[data-pz-slot="cta"]', content: { type: 'link', text: 'Book a demo', href: '/demo?acme' } },
        { slot: 'hero-image', selector: '[data-pz-slot="hero-image"]', content: { type: 'image', src: '/acme.png', alt: 'Acme team' } },
        {
          slot: 'proof',
          selector: '[data-pz-slot="proof"]',
          // as the edge sends proof points: rendered, from escaped values (shared/content/proof-html.ts)
          content: wireChanges([
            {
              slot: 'proof',
              selector: '',
              content: {
                type: 'proof',
                items: [
                  { logo: '/logo.svg', quote: 'It <i>works</i>', author: 'Ann, CTO' },
                  { stat: '3×', label: 'faster' },
                ],
              },
            },
          ])[0]!.content,
        },
        { slot: 'note', selector: '[data-pz-slot="note"]', content: { type: 'html', html: '<p><strong>Acme</strong> note</p>' } },
      ]);
    const page = await context.newPage();
    const problems = watchProblems(page);
    await open('', page);
    const dom = await page.evaluate(() => {
      const q = (s: string) => document.querySelector(s)!;
      return {
        headline: q('[data-pz-slot="headline"]').innerHTML,
        cta: q('[data-pz-slot="cta"]').innerHTML,
        img: q('[data-pz-slot="hero-image"] img').outerHTML,
        proof: q('[data-pz-slot="proof"]').innerHTML,
        note: q('[data-pz-slot="note"]').innerHTML,
        applied: Array.from(document.querySelectorAll('[data-pz-applied]')).map((e) => e.getAttribute('data-pz-applied')),
      };
    });
    expect(dom.headline).toBe('Hello &lt;b&gt;Acme&lt;/b&gt;');
    expect(dom.cta).toBe('<span>Go:</span> <a href="/demo?acme">Book a demo</a>');
    expect(dom.img).toBe('<img src="/acme.png" alt="Acme team">');
    expect(dom.proof).toBe(
      '<figure class="pz-proof"><img src="/logo.svg" alt="Ann, CTO"><blockquote>It &lt;i&gt;works&lt;/i&gt;</blockquote><figcaption>Ann, CTO</figcaption></figure>' +
        '<figure class="pz-proof"><strong>3×</strong><span>faster</span></figure>',
    );
    expect(dom.note).toBe('<p><strong>Acme</strong> note</p>');
    expect(dom.applied).toEqual(['headline', 'cta', 'hero-image', 'proof', 'note']);
    expect(await page.evaluate(() => (window as any).__pzReady)).toMatchObject({ method: 'link', segment: { id: 'enterprise' }, applied: true });
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [] });
  });

  it('skips a change with an invalid selector and applies the rest', async () => {
    answer = () =>
      decision([
        { slot: 'bad', selector: 'h1[', content: { type: 'text', text: 'x' } },
        { slot: 'note', selector: '[data-pz-slot="note"]', content: { type: 'text', text: 'Still applied' } },
      ]);
    const page = await context.newPage();
    const problems = watchProblems(page);
    await open('', page);
    expect(await page.textContent('[data-pz-slot="note"]')).toBe('Still applied');
    expect(await page.textContent('[data-pz-slot="headline"]')).toBe('Headline as written');
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [] });
  });

  it('remembers selector-configured slots and hides them from the start of the next visit', async () => {
    const promo: SlotChange = { slot: 'promo', selector: '.promo h2', content: { type: 'text', text: 'Acme promo' } };
    answer = () => decision([promo, { slot: 'headline', selector: '[data-pz-slot="headline"]', content: { type: 'text', text: 'Hi' } }]);
    const first = await open();
    expect(await first.textContent('.promo h2')).toBe('Acme promo');
    expect(JSON.parse((await storage(first, 'localStorage', 'pz_sel:acme'))!)).toEqual(['.promo h2', '[data-pz-slot="headline"]']);

    // A new tab: same localStorage, empty sessionStorage, so no cached decision; the edge is slow.
    delayMs = 400;
    const second = await context.newPage();
    await second.addInitScript(RECORD_HIDING);
    await second.goto(`${site.origin}/`, { waitUntil: 'commit' });
    await waitForReveal(second);
    const seen = await recordedHiding(second);
    expect(seen.style).toContain(':is(.promo h2):not([data-pz-applied]){visibility:hidden!important}');
    // with the snippet's style in the page and before the reveal, the remembered slot was hidden
    expect(seen.promo).toBe('hidden');
    expect(await second.evaluate(() => getComputedStyle(document.querySelector('.promo h2')!).visibility)).toBe('visible');
    expect(await second.textContent('.promo h2')).toBe('Acme promo');
  });

  it('injects exactly the documented hide style on a first visit', async () => {
    delayMs = 300;
    const page = await context.newPage();
    await page.addInitScript(RECORD_HIDING);
    await page.goto(`${site.origin}/`, { waitUntil: 'commit' });
    await waitForReveal(page);
    expect((await recordedHiding(page)).styleHtml).toBe('<style id="pz-hide">:is([data-pz-slot]):not([data-pz-applied]){visibility:hidden!important}</style>');
  });
});

/**
 * Records, from document start, the snippet's hiding style as it was inserted (it is removed at the
 * reveal) and the visibility of `.promo h2` once both are in the page, before the reveal: what a slow
 * machine would otherwise race.
 */
const RECORD_HIDING = `(() => {
  const seen = (window.__pzHiding = {});
  new MutationObserver(() => {
    const style = document.getElementById('pz-hide');
    if (style && !seen.styleHtml) { seen.styleHtml = style.outerHTML; seen.style = style.textContent; }
    const promo = document.querySelector('.promo h2');
    if (promo && style && !seen.promo && !document.documentElement.classList.contains('pz-on')) seen.promo = getComputedStyle(promo).visibility;
  }).observe(document, { childList: true, subtree: true, attributes: true });
})();`;
const recordedHiding = (page: Page) => page.evaluate(() => (window as unknown as { __pzHiding: { styleHtml?: string; style?: string; promo?: string } }).__pzHiding);

describe('identity and privacy', () => {
  it('sends a persistent random visitor id', async () => {
    const page = await open();
    await open('', page);
    expect(received).toHaveLength(2);
    expect(received[0]!.visitor).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(received[1]!.visitor).toBe(received[0]!.visitor);
    expect(received[0]).toMatchObject({ site: 'acme', url: `${site.origin}/` });
    expect(received[0]!.identity).toBeUndefined();
  });

  for (const [signal, script] of [
    ['Global Privacy Control', `Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true })`],
    ['Do Not Track', `Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1' })`],
  ] as const) {
    it(`neither creates nor sends a visitor id under ${signal}`, async () => {
      await context.addInitScript(script);
      const page = await open();
      expect(received[0]!.visitor).toBeUndefined();
      expect(await storage(page, 'localStorage', 'pz_vid')).toBeNull();
    });
  }

  it('remembers an ABM link account, forgets it on an empty pz_account, and never lets a link override identify', async () => {
    const page = await open('?pz_account=Acme.Example');
    expect(received.at(-1)!.identity).toEqual({ domain: 'acme.example', source: 'link' });
    await open('', page);
    expect(received.at(-1)!.identity).toEqual({ domain: 'acme.example', source: 'link' });
    await open('?pz_account=', page);
    expect(received.at(-1)!.identity).toBeUndefined();

    await page.evaluate(() => (window as any).pz('identify', { domain: 'Globex.example' }));
    await page.waitForFunction(() => localStorage.getItem('pz_id')?.includes('globex'));
    await open('?pz_account=acme.example', page);
    expect(received.at(-1)!.identity).toEqual({ domain: 'globex.example', source: 'identify' });
  });

  it('sends an identify’s role with its company domain, never the address, and remembers both for later page views', async () => {
    const page = await open();
    await page.evaluate(() => (window as any).pz('identify', { email: 'jane.doe@Initech.example', role: 'CFO', phone: '555-0100' }));
    await page.waitForFunction(() => localStorage.getItem('pz_id')?.includes('initech'));
    const sent = received.at(-1)!;
    expect(sent.identity).toEqual({ domain: 'initech.example', source: 'identify', role: 'CFO' });
    expect(JSON.stringify(sent)).not.toMatch(/jane|555-0100/);
    expect(await storage(page, 'localStorage', 'pz_id')).not.toMatch(/jane/);
    await open('', page);
    expect(received.at(-1)!.identity).toEqual({ domain: 'initech.example', source: 'identify', role: 'CFO' });
  });

  it('passes a signed link and a hashed identify through as given (lowercase tokens survive), and remembers them', async () => {
    const link = 'acme.example~tk3a9c~q4-abm~mfrgg2lbnfxgc3tfm5xxe2lbmvzxi3lp';
    const page = await open(`?pz_account=${link}`);
    expect(received.at(-1)!.identity).toEqual({ domain: link, source: 'link' });
    const hashed = `globex.example~${'0123456789abcdef'.repeat(4)}`;
    await page.evaluate((domain) => (window as any).pz('identify', { domain }), hashed);
    await page.waitForFunction(() => localStorage.getItem('pz_id')?.includes('globex'));
    expect(received.at(-1)!.identity).toEqual({ domain: hashed, source: 'identify' });
    await open('', page);
    expect(received.at(-1)!.identity).toEqual({ domain: hashed, source: 'identify' });
  });

  it('applies the cached decision on the next page view of the session and refreshes it in the background', async () => {
    let n = 0;
    answer = () => decision([{ slot: 'headline', selector: '[data-pz-slot="headline"]', content: { type: 'text', text: `Decision ${++n}` } }]);
    const page = await open('?pz_account=acme.example');
    expect(await page.textContent('[data-pz-slot="headline"]')).toBe('Decision 1');
    await open('', page);
    // The cached decision is on the page; the refreshed one (2) waits in the cache for the next view.
    expect(await page.textContent('[data-pz-slot="headline"]')).toBe('Decision 1');
    await page.waitForFunction(() => sessionStorage.getItem('pz_d:acme')?.includes('Decision 2'));
    await open('', page);
    expect(await page.textContent('[data-pz-slot="headline"]')).toBe('Decision 2');

    // Another identity: the cache is not used.
    await open('?pz_account=globex.example', page);
    expect(await page.textContent('[data-pz-slot="headline"]')).toBe('Decision 4');
  });

  it("pz('reset') forgets the identity and the cached decision", async () => {
    const page = await open('?pz_account=acme.example');
    expect(await storage(page, 'localStorage', 'pz_id')).not.toBeNull();
    expect(await storage(page, 'sessionStorage', 'pz_d:acme')).not.toBeNull();
    await page.evaluate(() => (window as any).pz('reset'));
    expect(await storage(page, 'localStorage', 'pz_id')).toBeNull();
    expect(await storage(page, 'sessionStorage', 'pz_d:acme')).toBeNull();
    const count = received.length;
    await open('', page);
    expect(received).toHaveLength(count + 1);
    expect(received.at(-1)!.identity).toBeUndefined();
  });

  it('ignores unknown commands and bad arguments without errors', async () => {
    const page = await context.newPage();
    const problems = watchProblems(page);
    await open('', page);
    await page.evaluate(() => {
      const pz = (window as any).pz;
      pz('nope');
      pz('identify');
      pz('identify', { email: 'no-at-sign' });
      pz('identify', { domain: 42 });
      pz('ready', 'not a function');
      pz();
    });
    await page.waitForTimeout(100);
    expect(await storage(page, 'localStorage', 'pz_id')).toBeNull();
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [] });
  });
});

/**
 * Behavioural segments live, in Chromium against `wrangler dev` (the seeded demo site): the account's
 * page views are recorded at the edge and its segment changes on a later page view.
 *
 * The page views recorded here move accounts into "hot pricing interest" for two weeks, so this file has
 * its own copy of the demo site on the shared Worker (SHARED_SITES.behaviour), and views the Worker's
 * demo pages through serveDemoAs, which names that copy in the tag.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DecideResponse } from '../../shared/schemas';
import { expectedDemo, launchBrowser, readSlots, serveDemoAs, slotText, waitForReveal, watchProblems, type TestServer } from '../support/browser';
import { signedAccount } from '../support/links';
import { SHARED_LINK_SECRET, SHARED_SITES, sharedWorker } from '../support/worker';

const SITE = SHARED_SITES.behaviour;
const edge = sharedWorker();
/** The Worker's demo pages, for SITE. */
let pages: TestServer;
let browser: Browser;

beforeAll(async () => {
  [pages, browser] = await Promise.all([serveDemoAs(edge.origin, SITE), launchBrowser()]);
  await fetch(`${edge.origin}/p.js`);
  await fetch(`${pages.origin}/demo`);
});

afterAll(async () => {
  await browser?.close();
  await pages?.close();
});

/** A signed ABM link to `domain` for SITE: verified, so the account's page views count towards its behaviour. */
const link = (domain: string) => signedAccount(SHARED_LINK_SECRET, SITE, domain);

const decisionOf = (page: Page) => page.evaluate(() => new Promise<any>((resolve) => (window as any).pz('ready', resolve)));
const headline = async (page: Page) => (await readSlots(page))['hero-headline']!.text;

/** Atlas Civic matches no demo segment on its attributes, so only behaviour can change its page. */
const ACCOUNT = 'atlas-civic.example';

describe('hot pricing interest (3 pricing views by the account in 14 days)', () => {
  it('three people from one account viewing pricing change the headline on the fourth page view', async () => {
    const pricing = `${pages.origin}/demo/pricing?pz_account=${await link(ACCOUNT)}`;
    const asWritten = slotText(expectedDemo(ACCOUNT, null, pricing).slots['hero-headline']!);
    expect(asWritten).toBe('One lakehouse for every team’s data'); // as written in shared/demo/site.ts
    // A new browser context per visit: another person at the company, with their own visitor id and session.
    for (let visit = 1; visit <= 3; visit++) {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        const problems = watchProblems(page);
        await page.goto(pricing);
        await waitForReveal(page);
        expect(await headline(page), `visit ${visit}`).toEqual(asWritten);
        expect(await decisionOf(page)).toMatchObject({ account: { domain: ACCOUNT }, segment: null });
        expect(problems).toEqual({ consoleErrors: [], pageErrors: [] });
      } finally {
        await context.close();
      }
    }
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const home = `${pages.origin}/demo?pz_account=${await link(ACCOUNT)}`;
      await page.goto(home);
      await waitForReveal(page);
      expect(await headline(page)).toEqual(slotText(expectedDemo(ACCOUNT, 'hot-pricing', home).slots['hero-headline']!));
      expect(await headline(page)).toBe('Pricing Atlas Civic Services can plan around'); // as written in shared/demo/site.ts
      expect(await decisionOf(page)).toMatchObject({ segment: { id: 'hot-pricing' }, applied: true });
    } finally {
      await context.close();
    }
  });

  it('in one tab, the session’s cached decision shows first and the background refresh brings the segment on the next view', async () => {
    const account = 'stonebridge-mfg.example'; // no segment without its webinar campaign
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const asWritten = slotText(expectedDemo(account, null, `${pages.origin}/demo`).slots['hero-headline']!);
      const hot = slotText(expectedDemo(account, 'hot-pricing', `${pages.origin}/demo`).slots['hero-headline']!);
      /** A page view that lasts until its decision (or background refresh) has come back, as a reader's would. */
      const view = async (url: string) => {
        const decided = page.waitForResponse((r) => r.url().endsWith('/v1/decide')).then((r) => r.json());
        await page.goto(url);
        await waitForReveal(page);
        return DecideResponse.parse(await decided);
      };
      const path = ['/demo/pricing', '/demo/docs/getting-started', '/demo/pricing', '/demo/vs/snowflake', '/demo/pricing'];
      await view(`${pages.origin}${path[0]}?pz_account=${await link(account)}`);
      for (const next of path.slice(1)) {
        await view(`${pages.origin}${next}`); // the account is remembered from the link
        expect(await headline(page), next).toEqual(asWritten);
      }
      // Next view of the same page: the session's cached decision for it (from before the third pricing
      // view) is applied at once, while the background refresh, now in the segment, is remembered for the
      // view after. (The session remembers a decision per path and campaign: another page decides afresh.)
      const refreshed = await view(`${pages.origin}/demo/pricing`);
      expect(await headline(page)).toEqual(asWritten);
      expect(refreshed.segment?.id).toBe('hot-pricing');
      await page.goto(`${pages.origin}/demo/pricing`);
      await waitForReveal(page);
      expect(await headline(page)).toEqual(hot);
      expect(hot).toBe('Pricing Stonebridge Manufacturing can plan around'); // as written in shared/demo/site.ts
    } finally {
      await context.close();
    }
  });
});

describe('privacy', () => {
  it('records nothing for a browser with Global Privacy Control', async () => {
    const account = 'fernwood.example'; // a startup: firmographics only
    const context = await browser.newContext({ extraHTTPHeaders: { 'Sec-GPC': '1' } });
    try {
      await context.addInitScript(() => Object.defineProperty(navigator, 'globalPrivacyControl', { value: true }));
      for (let i = 0; i < 4; i++) {
        const page = await context.newPage();
        await page.goto(`${pages.origin}/demo/pricing?pz_account=${await link(account)}`);
        await waitForReveal(page);
        expect(await decisionOf(page)).toMatchObject({ segment: { id: 'startups' } });
        await page.close();
      }
    } finally {
      await context.close();
    }
    const res = await fetch(`${edge.origin}/v1/decide`, { method: 'POST', body: JSON.stringify({ site: SITE, url: `https://x.example/?pz_account=${await link(account)}` }) });
    expect(await res.json()).toMatchObject({ segment: { id: 'startups' }, behaviour: 'ok' });
  });
});

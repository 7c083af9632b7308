import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPersonas, demoSite, personaQuery } from '../../shared/demo/site';
import type { Content } from '../../shared/schemas';
import {
  expectedDemo,
  FLASH_RECORDER,
  launchBrowser,
  readSlots,
  recordedStates,
  slotText,
  waitForReveal,
  watchProblems,
  type Expected,
  type SlotState,
} from '../support/browser';
import { signedPersonaQuery } from '../support/links';
import { SHARED_LINK_SECRET, sharedWorker } from '../support/worker';

/** The browser project's shared Worker: its /demo page shows the seeded "demo" site, which this file only reads. */
const worker = sharedWorker();
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
  // Warm the Worker up so a cold first request does not eat into the anti-flicker timeout.
  await fetch(`${worker.origin}/p.js`);
  await fetch(`${worker.origin}/demo`);
});

afterAll(async () => {
  await browser?.close();
});

/**
 * What each persona's hero reads, typed out by hand from shared/demo/site.ts (variants, with the
 * account's name from shared/demo/accounts.ts in place of {{account.name}}), so the page is checked
 * against the demo as written and not only against the production renderer's own output.
 */
const AS_WRITTEN: Record<string, { headline: string; cta: string; href: string }> = {
  Anonymous: { headline: 'One lakehouse for every team’s data', cta: 'Start a free trial', href: '/demo/signup' },
  'Halcyon Freight': { headline: 'Hold and grow: get more from the lakehouse Halcyon Freight already runs', cta: 'Book your expansion review', href: '/demo/signup?intent=expansion' },
  'Quillon Health': { headline: 'Lakehouse Cloud vs. your shortlist: the numbers for Quillon Health', cta: 'Talk to an engineer', href: '/demo/signup?intent=engineer' },
  'Northwind Bank': { headline: 'The compliant lakehouse for Northwind Bank', cta: 'Get the compliance brief', href: '/demo/signup?intent=fsi-brief' },
  'Orchard Retail': { headline: 'Already on Snowflake? Keep it, and add a lakehouse beside it', cta: 'See the Snowflake integration', href: '/demo/signup?intent=snowflake' },
  'Ironleaf Mfg': { headline: 'Running Databricks at Ironleaf Manufacturing? Bring your notebooks', cta: 'Get the Databricks migration guide', href: '/demo/signup?intent=databricks' },
  'Stonebridge (webinar)': { headline: 'Thanks for joining the Q4 webinar: here is everything we showed', cta: 'Get the webinar kit', href: '/demo/signup?intent=webinar-kit' },
  'Sprocket AI': { headline: 'Ship your data platform this week, not this quarter', cta: 'Start free, no credit card', href: '/demo/signup?plan=startup' },
};

/** The hero as the page shows it, against AS_WRITTEN. */
async function expectHeroAsWritten(page: Page, persona: string) {
  const want = AS_WRITTEN[persona];
  expect(want, `AS_WRITTEN has the hero of ${persona}`).toBeDefined();
  const slots = await readSlots(page);
  expect(slots['hero-headline']!.text, `${persona}: headline`).toBe(want!.headline);
  expect(slots['hero-cta']!.text, `${persona}: CTA`).toBe(want!.cta);
  expect(slots['hero-cta']!.href, `${persona}: CTA link`).toBe(want!.href);
}

const segmentPersonas = demoPersonas.filter((p) => p.segment !== null);
const anonymous = demoPersonas.find((p) => p.domain === null)!;

async function expectShows(page: Page, expected: Expected) {
  const slots = await readSlots(page);
  for (const [slotId, content] of Object.entries(expected.slots)) {
    const slot = slots[slotId];
    expect(slot, `slot ${slotId} on the page`).toBeDefined();
    expect(slot!.visible, `${slotId} visible`).toBe(true);
    expect(slot!.text, `${slotId} text`).toEqual(slotText(content));
    if (content.type === 'link') expect(slot!.href, `${slotId} href`).toBe(content.href);
  }
}

const isDefault = (slotId: string, content: Content) => demoSite.slots.find((s) => s.id === slotId)!.default === content;

describe('demo page', () => {
  it('has a persona for at least three segments', () => {
    expect(new Set(segmentPersonas.map((p) => p.segment)).size).toBeGreaterThanOrEqual(3);
  });

  for (const persona of segmentPersonas) {
    it(`shows ${persona.label} the ${persona.segment} headline, CTA and proof`, async () => {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        const problems = watchProblems(page);
        const url = `${worker.origin}/demo${await signedPersonaQuery(SHARED_LINK_SECRET, 'demo', persona)}`;
        await page.goto(url);
        await waitForReveal(page);
        const expected = expectedDemo(persona.domain, persona.segment, url);
        expect(isDefault('hero-headline', expected.slots['hero-headline']!), 'the segment has its own headline').toBe(false);
        await expectShows(page, expected);
        await expectHeroAsWritten(page, persona.label);
        const slots = await readSlots(page);
        expect(slots['hero-headline']!.applied).toBe(true);
        const decision = await page.evaluate(() => new Promise<unknown>((resolve) => (window as any).pz('ready', resolve)));
        expect(decision).toMatchObject({ method: 'link', confidence: 'verified', account: { domain: persona.domain }, segment: { id: persona.segment }, applied: true });
        expect(problems).toEqual({ consoleErrors: [], pageErrors: [] });
      } finally {
        await context.close();
      }
    });
  }

  it('links the View-as bar with signed links: clicking Halcyon Freight shows its lifecycle segment, while a plain ?pz_account= link (a claim) does not', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const problems = watchProblems(page);
      await page.goto(`${worker.origin}/demo`);
      await waitForReveal(page);
      const bar = page.getByRole('complementary', { name: 'Demo controls' });
      const href = await bar.locator('a[data-domain="halcyon-freight.example"]').getAttribute('href');
      expect(href, 'a signed link: domain~expiry~campaign~signature').toMatch(/^\?pz_account=halcyon-freight\.example~[0-9a-z]+~~[a-z2-7]{32}$/);
      await bar.locator('a[data-domain="halcyon-freight.example"]').click();
      await page.waitForURL(/pz_account=halcyon-freight/);
      await waitForReveal(page);
      await expectHeroAsWritten(page, 'Halcyon Freight');
      expect(problems).toEqual({ consoleErrors: [], pageErrors: [] });
    } finally {
      await context.close();
    }
    const claimed = await browser.newContext();
    try {
      const page = await claimed.newPage();
      await page.goto(`${worker.origin}/demo?pz_account=halcyon-freight.example`);
      await waitForReveal(page);
      await expectHeroAsWritten(page, 'Anonymous');
      const decision = await page.evaluate(() => new Promise<unknown>((resolve) => (window as any).pz('ready', resolve)));
      expect(decision).toMatchObject({ method: 'link', confidence: 'claimed', account: null, segment: null, applied: false });
    } finally {
      await claimed.close();
    }
  });

  it('shows an anonymous visitor the page as written', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const problems = watchProblems(page);
      const url = `${worker.origin}/demo${personaQuery(anonymous)}`;
      await page.goto(url);
      await waitForReveal(page);
      await expectShows(page, expectedDemo(null, null, url));
      await expectHeroAsWritten(page, anonymous.label);
      const slots = await readSlots(page);
      for (const [id, slot] of Object.entries(slots)) expect(slot.applied, `${id} untouched`).toBe(false);
      const decision = await page.evaluate(() => new Promise<unknown>((resolve) => (window as any).pz('ready', resolve)));
      expect(decision).toMatchObject({ method: 'none', account: null, segment: null, applied: false });
      expect(problems).toEqual({ consoleErrors: [], pageErrors: [] });
    } finally {
      await context.close();
    }
  });
});

describe('no flash of default content', () => {
  /**
   * Every state in which a slot was visible showed its final content: never the default text first.
   * (Slots the segment leaves alone show the default throughout, which is their final content.)
   */
  function expectNoFlash(states: Record<string, SlotState[]>, expected: Expected) {
    for (const [slotId, content] of Object.entries(expected.slots)) {
      const history = states[slotId] ?? [];
      const want = slotText(content);
      expect(history.length, `${slotId} was recorded`).toBeGreaterThan(0);
      const visible = history.filter((s) => s.visible);
      expect(visible.length, `${slotId} became visible`).toBeGreaterThan(0);
      for (const state of visible) expect(state.text, `${slotId} visible at ${state.t.toFixed(0)} ms`).toEqual(want);
      if (!isDefault(slotId, content)) {
        // The default was on the page, hidden, before the swap: the recorder did see it.
        const defaultText = slotText(demoSite.slots.find((s) => s.id === slotId)!.default!);
        expect(history.some((s) => !s.visible && JSON.stringify(s.text) === JSON.stringify(defaultText)), `${slotId} default was hidden`).toBe(true);
      }
    }
  }

  const persona = demoPersonas.find((p) => p.segment === 'fintech-enterprise') ?? segmentPersonas[0]!;

  it(`never shows a slot's default before the personalized content, on the first and a cached second page view (${persona.label})`, async () => {
    const context = await browser.newContext();
    try {
      await context.addInitScript(FLASH_RECORDER);
      const page = await context.newPage();
      const problems = watchProblems(page);

      const first = `${worker.origin}/demo${await signedPersonaQuery(SHARED_LINK_SECRET, 'demo', persona)}`;
      await page.goto(first);
      await waitForReveal(page);
      await page.waitForTimeout(300); // a few more frames after the reveal
      const expected = expectedDemo(persona.domain, persona.segment, first);
      expectNoFlash(await recordedStates(page), expected);
      await expectHeroAsWritten(page, persona.label);

      // Second view in the same session, without the link parameter: the identity is remembered and the
      // session's cached decision is applied at DOMContentLoaded. The edge answers too slowly to matter.
      let decideCalls = 0;
      await page.route('**/v1/decide', async (route) => {
        decideCalls++;
        await new Promise((r) => setTimeout(r, 2000));
        await route.continue().catch(() => undefined);
      });
      const second = `${worker.origin}/demo`;
      await page.goto(second);
      await waitForReveal(page);
      await page.waitForTimeout(300);
      expectNoFlash(await recordedStates(page), expectedDemo(persona.domain, persona.segment, second));
      await expectHeroAsWritten(page, persona.label);
      const revealedAt = await page.evaluate(() => {
        const states = (window as any).__pzStates['hero-headline'] as SlotState[];
        return states.find((s) => s.visible)!.t;
      });
      expect(revealedAt, 'revealed from the cache, before the decide timeout').toBeLessThan(800);
      expect(decideCalls, 'a background decide refreshes the cache').toBe(1);
      expect(problems).toEqual({ consoleErrors: [], pageErrors: [] });
    } finally {
      await context.close();
    }
  });
});

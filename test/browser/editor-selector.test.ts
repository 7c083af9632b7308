/**
 * The visual editor's selectors (editor/src/selector.ts), in Chromium on a page built to tempt it:
 * ids before data attributes before hand-written classes before positions; hashed and utility class
 * names and generated ids skipped; every answer matching its element alone; typed selectors matching
 * none or several elements refused with the reason.
 */
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser';
import { root } from '../support/worker';

const PAGE = `<!doctype html><html><body>
<main>
  <h1 id="hero-title" class="css-1x2y3z text-center">Title</h1>
  <p data-section="intro" class="mt-4 lead">Intro</p>
  <p class="lead">Second lead</p>
  <div class="pricing-card pro sc-AbCdE"><h2 class="jsx-123456">Pro</h2><a class="btn btn-primary px-4" href="/buy">Buy</a></div>
  <div class="pricing-card"><h2>Team</h2><a class="btn btn-primary" href="/team">Buy</a></div>
  <section id="react-aria-1234567"><ul><li>One</li><li>Two</li><li>Three</li></ul></section>
</main></body></html>`;

let browser: Browser;
let page: Page;

beforeAll(async () => {
  const bundle = await esbuild.build({ entryPoints: [join(root, 'editor/src/selector.ts')], bundle: true, write: false, format: 'iife', globalName: 'pzSelector', platform: 'browser' });
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.setContent(PAGE);
  await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
});

afterAll(async () => {
  await browser?.close();
});

/** The generated selector for the element `locate` finds, and how many elements it matches. */
const generated = (locate: string) =>
  page.evaluate((sel) => {
    const { robustSelector } = (window as unknown as { pzSelector: typeof import('../../editor/src/selector') }).pzSelector;
    const el = eval(sel) as Element;
    const made = robustSelector(el);
    return { made, matches: made ? document.querySelectorAll(made).length : 0, same: made ? document.querySelector(made) === el : false };
  }, locate);

describe('robust selectors', () => {
  it.each([
    ['an id', "document.querySelector('h1')", '#hero-title'],
    ['a data attribute before classes', "document.querySelector('[data-section]')", 'p[data-section="intro"]'],
    ['a hand-written class of an ancestor as the scope, skipping hashed names', "document.querySelectorAll('.pricing-card h2')[0]", 'div.pro h2'],
    ['a stable class with a scope, not utilities', "document.querySelectorAll('.pricing-card a')[0]", 'div.pro a.btn'],
    ['positions under a generated id, which is skipped', "document.querySelectorAll('li')[1]", 'body > main > section > ul > li:nth-of-type(2)'],
    ['positions when two elements differ only by position', "document.querySelectorAll('.pricing-card h2')[1]", 'body > main > div:nth-of-type(2) > h2'],
  ])('prefers %s', async (_label, locate, expected) => {
    const { made, matches, same } = await generated(locate);
    expect(matches, String(made)).toBe(1);
    expect(same).toBe(true);
    expect(made).toBe(expected);
    expect(made).not.toMatch(/css-|sc-|jsx-|px-4|mt-4|react-aria/);
  });

  it.each([
    ['#nowhere', 'matches no element'],
    ['.lead', 'matches 2 elements'],
    ['p::no-such-pseudo', 'not a valid CSS selector'],
    ['p[', 'unclosed quote or bracket'],
    ['body', 'may not select the whole page'],
    ['h1 { color: red }', 'may not contain'],
  ])('refuses %s with the reason', async (sel, reason) => {
    const check = await page.evaluate((s) => (window as unknown as { pzSelector: typeof import('../../editor/src/selector') }).pzSelector.checkSelector(s), sel);
    expect(check.ok).toBe(false);
    expect((check as { reason: string }).reason).toContain(reason);
  });
});

/**
 * The visual editor on a landing page nobody here wrote (Start Bootstrap's Creative theme, from npm):
 * create a site, paste the tag, see it live in the tag check, open the page with an edit link, pick
 * three elements (headline, call to action, section heading), make them slots, write one segment's
 * variants, save (through a 409 and a reload), publish in the admin API. Then a visitor of that
 * segment's account sees the variants on a first view with no flash of the defaults, no layout shift,
 * no console error and the theme's own scripts working; another account sees the page as written;
 * and no visitor ever downloads editor.js.
 */
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Draft, EditorLink, SiteState, type TagCheck, VersionInfo } from '../../shared/schemas';
import { launchBrowser, watchProblems, type TestServer, selectorRecorder } from '../support/browser';
import { landingHtml, serveLanding } from '../support/landing-template';
import { signedAccount } from '../support/links';
import { SHARED_LINK_SECRET } from '../support/shared-sites';
import { root, sharedWorker } from '../support/worker';

const SITE = 'demo-editor';
const worker = sharedWorker();
/** What the theme says, and what the Fintech segment is to see instead (lengths kept close, so the swap moves nothing). */
const DEFAULTS = { headline: 'Your Favorite Place for Free Bootstrap Themes', cta: 'Find Out More', section: "We've got what you need!" };
const VARIANTS = { headline: 'Analytics for {{account.name|your bank}}, built for compliance', cta: 'Talk to sales', section: 'Built for regulated banks' };
const PERSONAL = { headline: 'Analytics for Fin One, built for compliance', cta: 'Talk to sales', section: 'Built for regulated banks' };
const ELEMENTS = { headline: 'header.masthead h1', cta: 'header.masthead a.btn', section: '#about h2' };

let browser: Browser;
let landing: TestServer;
let tag = '';

/**
 * The admin's tag with a 3 s budget instead of 800 ms, as the browser project gives the demo pages
 * (test/support/global-worker.ts): this theme's page (240 KB of CSS, Bootstrap, images) on 2 cores
 * shared with workerd can take most of 800 ms to load. What is checked here is what each visitor sees;
 * the 800 ms timing is proven in snippet-timing.test.ts and selector-slots.test.ts.
 */
const withBudget = (adminTag: string) => adminTag.replaceAll('0s 800ms', '0s 3000ms').replace('<script async ', '<script async data-timeout="3000" ');

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${worker.origin}/api/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${worker.adminToken}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

const editorLink = async () => EditorLink.parse(await api('POST', `/sites/${SITE}/editor-link`, { pageUrl: `${landing.origin}/` })).url;

/** The editor's panel (in its shadow root: Playwright's locators pierce open shadow roots). */
const panel = (page: Page) => page.getByRole('complementary', { name: 'Visual editor' });

const recorder = selectorRecorder(ELEMENTS);

type States = Record<keyof typeof ELEMENTS, { visible: boolean; text: string }[]>;

/** A first view in a fresh profile, as `account` arriving from a signed ABM link. */
async function visit(account: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = watchProblems(page);
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.addInitScript(recorder);
  await page.goto(`${landing.origin}/?pz_account=${await signedAccount(SHARED_LINK_SECRET, SITE, account)}`);
  await page.waitForFunction(() => document.documentElement.classList.contains('pz-on'), undefined, { timeout: 10_000 });
  await page.waitForTimeout(300);
  const seen = await page.evaluate(() => {
    const w = window as unknown as { __states: unknown; __cls: number };
    return { states: w.__states as States, cls: w.__cls };
  });
  return { page, problems, requests, ...seen };
}

beforeAll(async () => {
  [browser, landing] = await Promise.all([launchBrowser(), serveLanding(() => landingHtml(withBudget(tag)))]);
  await api('POST', '/sites', { id: SITE, name: 'Creative landing page', allowedOrigins: ['http://127.0.0.1:*'] });
  const state = await api<SiteState>('GET', `/sites/${SITE}`);
  const segments = [{ id: 'fintech', name: 'Fintech', priority: 10, holdout: 0, rule: { all: [{ field: 'account.industry', op: 'equals', value: 'Fintech' }] } }];
  const saved = await api<SiteState>('PUT', `/sites/${SITE}/draft`, { baseRevision: state.draft.revision, config: { ...state.draft.config, segments } });
  // a first publish (no slots yet): the edge answers decisions, and so notes the tag, only for a site with a live version
  await api<VersionInfo>('POST', `/sites/${SITE}/publish`, { baseRevision: saved.draft.revision });
  await api('POST', `/sites/${SITE}/accounts/import`, { rows: [{ domain: 'fin-one.example', name: 'Fin One', industry: 'Fintech' }, { domain: 'shop.example', name: 'Shop', industry: 'Retail' }] });
  tag = (await api<SiteState>('GET', `/sites/${SITE}`)).tag;
});

afterAll(async () => {
  await browser?.close();
  await landing?.close();
});

describe('the visual editor on a third-party landing page', () => {
  it('the pasted tag is live: the tag check shows the page origin seen, and visitors never download editor.js', async () => {
    const { page, requests } = await visit('shop.example');
    expect(requests.some((u) => u.endsWith('/p.js'))).toBe(true);
    expect(requests.filter((u) => u.includes('editor.js'))).toEqual([]);
    await page.context().close();
    await expect
      .poll(async () => (await api<TagCheck>('GET', `/sites/${SITE}/tag-check`)).origins[0]?.lastSeen?.path, { timeout: 10_000 })
      .toBe('/');
  });

  it('makes three slots on the page, writes a segment\'s variants, saves through a 409, and leaves the page as written', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const problems = watchProblems(page);
    await page.goto(await editorLink());
    await panel(page).getByText('draft revision').waitFor();
    // the token leaves the address bar at once: the page's own scripts that read the URL later never see it
    expect(new URL(page.url()).hash).toBe('');

    const pick = async (id: keyof typeof ELEMENTS) => {
      await page.locator(ELEMENTS[id]).first().click();
      await panel(page).getByRole('form', { name: 'Make this a slot' }).waitFor();
    };
    const selectorField = () => panel(page).getByLabel('CSS selector');
    const make = () => panel(page).getByRole('button', { name: 'Make this a slot' }).click();

    // hovering draws a box over the element, in the editor's shadow root; the page's own markup is untouched
    const before = await page.locator(ELEMENTS.headline).evaluate((el) => el.outerHTML);
    await page.locator(ELEMENTS.headline).hover();
    const box = await page.evaluate((sel) => {
      const hover = document.querySelector('pz-editor')!.shadowRoot!.querySelector<HTMLElement>('.box:not(.picked)')!;
      const a = hover.getBoundingClientRect();
      const b = document.querySelector(sel)!.getBoundingClientRect();
      return { hidden: hover.hidden, same: Math.abs(a.top - b.top) < 1 && Math.abs(a.left - b.left) < 1 && Math.abs(a.width - b.width) < 1 };
    }, ELEMENTS.headline);
    expect(box).toEqual({ hidden: false, same: true });
    expect(await page.locator(ELEMENTS.headline).evaluate((el) => el.outerHTML)).toBe(before);

    // the headline: an h1 is text, its generated selector matches it alone
    await pick('headline');
    const headlineSelector = await selectorField().inputValue();
    expect(await page.evaluate((s) => document.querySelectorAll(s).length, headlineSelector)).toBe(1);
    expect(await panel(page).getByLabel('Content type').inputValue()).toBe('text');
    await panel(page).getByLabel('Slot id').fill('headline');
    await make();
    await panel(page).getByLabel('View and edit as').selectOption('fintech');
    await panel(page).getByLabel('Text', { exact: true }).fill(VARIANTS.headline);
    // previewed in place, tokens with their fallback
    await expect.poll(() => page.locator(ELEMENTS.headline).textContent()).toBe('Analytics for your bank, built for compliance');

    // the call to action: a link; stable classes, not utilities
    await pick('cta');
    const ctaSelector = await selectorField().inputValue();
    expect(ctaSelector).not.toMatch(/btn-xl|nth-of-type/); // a scope and one stable class, not every modifier
    expect(await page.evaluate((s) => document.querySelectorAll(s).length, ctaSelector)).toBe(1);
    expect(await panel(page).getByLabel('Content type').inputValue()).toBe('link');
    await panel(page).getByLabel('Slot id').fill('cta');
    await make();
    await panel(page).getByLabel('Link text').fill(VARIANTS.cta);
    await panel(page).getByLabel('Link address').fill('/contact?team=fintech');
    await expect.poll(() => page.locator(ELEMENTS.cta).getAttribute('href')).toBe('/contact?team=fintech');
    // the README's screenshot, taken again with PZ_SCREENSHOTS=1 (a test run never rewrites tracked files otherwise)
    if (process.env.PZ_SCREENSHOTS === '1') await page.screenshot({ path: resolve(root, 'docs/editor.png') });

    // the section heading; a selector matching nothing or several elements is refused with the reason
    await pick('section');
    const sectionSelector = await selectorField().inputValue();
    await selectorField().fill('#no-such-element');
    await make();
    await expect.poll(() => panel(page).getByRole('alert').textContent()).toContain('matches no element');
    await selectorField().fill('h2');
    await make();
    await expect.poll(() => panel(page).getByRole('alert').textContent()).toMatch(/matches \d+ elements/);
    await selectorField().fill(sectionSelector);
    await panel(page).getByLabel('Slot id').fill('section');
    await make();
    await panel(page).getByLabel('Text', { exact: true }).fill(VARIANTS.section);
    await expect.poll(() => page.locator(ELEMENTS.section).textContent()).toBe(VARIANTS.section);

    // "view as" the default puts the page back as written; the segment again shows the variants
    await panel(page).getByLabel('View and edit as').selectOption('');
    await expect.poll(() => page.locator(ELEMENTS.headline).textContent()).toBe(DEFAULTS.headline);
    await panel(page).getByLabel('View and edit as').selectOption('fintech');
    await expect.poll(() => page.locator(ELEMENTS.headline).textContent()).toBe('Analytics for your bank, built for compliance');

    // someone saves in the admin meanwhile: the editor's save is stale, it says so and reloads, keeping the edits
    const current = await api<SiteState>('GET', `/sites/${SITE}`);
    await api('PUT', `/sites/${SITE}/draft`, { baseRevision: current.draft.revision, config: { ...current.draft.config, name: 'Creative landing page (renamed)' } });
    await panel(page).getByRole('button', { name: 'Save to draft' }).click();
    await expect.poll(() => panel(page).getByRole('alert').textContent()).toContain('Someone saved since');
    await panel(page).getByRole('button', { name: 'Reload' }).click();
    await expect.poll(() => panel(page).getByRole('status').textContent()).toContain('your changes are kept');
    await panel(page).getByRole('button', { name: 'Save to draft' }).click();
    await expect.poll(() => panel(page).getByRole('status').textContent()).toContain('Saved to the draft');

    // keyboard: Enter picks the focused page element; the panel's controls are reached with Tab
    await page.locator('#mainNav a.navbar-brand').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => selectorField().inputValue()).toBe('a.navbar-brand');
    await panel(page).getByRole('button', { name: 'Cancel' }).focus();
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.querySelector('pz-editor')!.shadowRoot!.activeElement?.textContent)).toBe('Make this a slot');
    await panel(page).getByRole('button', { name: 'Cancel' }).click();
    // the panel moves aside for what it covers
    await panel(page).getByRole('button', { name: 'Move the panel left' }).click();
    expect((await panel(page).boundingBox())!.x).toBeLessThan(100);
    await panel(page).getByRole('button', { name: 'Move the panel right' }).click();

    // Escape leaves the editor: the page as written
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('pz-editor').count()).toBe(0);
    expect(await page.locator(ELEMENTS.headline).textContent()).toBe(DEFAULTS.headline);
    expect(await page.locator(ELEMENTS.cta).getAttribute('href')).toBe('#about');
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [] });
    await context.close();

    const draft = (await api<SiteState>('GET', `/sites/${SITE}`)).draft as Draft;
    expect(draft.updatedBy).toBe('admin token (visual editor)');
    expect(draft.config.name).toBe('Creative landing page (renamed)');
    expect(draft.config.slots.map((s) => [s.id, s.type])).toEqual([
      ['headline', 'text'],
      ['cta', 'link'],
      ['section', 'text'],
    ]);
    expect(draft.config.slots[0]?.default).toEqual({ type: 'text', text: DEFAULTS.headline });
    expect(draft.config.variants.fintech).toEqual({
      headline: { type: 'text', text: VARIANTS.headline },
      cta: { type: 'link', text: VARIANTS.cta, href: '/contact?team=fintech' },
      section: { type: 'text', text: VARIANTS.section },
    });
    await api<VersionInfo>('POST', `/sites/${SITE}/publish`, { baseRevision: draft.revision });
    // the new selector slots are in the tag's hiding rules: the marketer copies the tag again
    tag = (await api<SiteState>('GET', `/sites/${SITE}`)).tag;
    expect(tag).toContain(`:is(${ctaSelector})`);
    // warm the new version's first reads (KV, isolate cache), so the 800 ms budget measures the page, not a cold start
    await (await visit('fin-one.example')).page.context().close();
  });

  it("the segment's account sees the variants on a first view: no flash of the defaults, no layout shift, no error, the theme's scripts run", async () => {
    const { page, problems, requests, states, cls } = await visit('fin-one.example');
    for (const id of Object.keys(ELEMENTS) as (keyof typeof ELEMENTS)[]) {
      const shown = states[id].filter((s) => s.visible).map((s) => s.text);
      expect(shown, `${id}: ${JSON.stringify(states[id])}`).toEqual([PERSONAL[id]]);
    }
    expect(await page.locator(ELEMENTS.cta).getAttribute('href')).toBe('/contact?team=fintech');
    expect(cls).toBe(0);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [] });
    expect(requests.filter((u) => u.includes('editor.js'))).toEqual([]);
    // the theme's own script shrinks the navbar once the page scrolls
    expect(await page.locator('#mainNav').getAttribute('class')).not.toContain('navbar-shrink');
    await page.evaluate(() => window.scrollTo(0, 600));
    await expect.poll(() => page.locator('#mainNav').getAttribute('class')).toContain('navbar-shrink');
    await page.context().close();
  });

  it('another account sees the page as written', async () => {
    const { states, page, requests } = await visit('shop.example');
    for (const id of Object.keys(ELEMENTS) as (keyof typeof ELEMENTS)[]) expect(states[id].filter((s) => s.visible).map((s) => s.text)).toEqual([DEFAULTS[id]]);
    expect(requests.filter((u) => u.includes('editor.js'))).toEqual([]);
    await page.context().close();
  });

  it("the admin's Slots view opens the page in the editor in a new tab", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${worker.origin}/admin#/slots`);
    await page.getByLabel('Admin token').fill(worker.adminToken);
    await page.getByLabel('Site id').fill(SITE);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const field = page.getByLabel('Your page');
    await field.waitFor();
    // the default, from the allowed origin http://127.0.0.1:*, has no port: the test server's page is typed in
    expect(await field.inputValue()).toBe('http://127.0.0.1/');
    await field.fill(`${landing.origin}/`);
    const [tab] = await Promise.all([context.waitForEvent('page'), page.getByRole('button', { name: 'Open my page in the editor' }).click()]);
    await panel(tab).getByText('draft revision').waitFor({ timeout: 10_000 });
    expect(tab.url()).toBe(`${landing.origin}/`);
    await context.close();
  });

  it('an expired or tampered edit link says so in the panel and leaves the page as written', async () => {
    const page = await (await browser.newContext()).newPage();
    const link = new URL(await editorLink());
    const [payload, sig] = link.hash.slice('#pz_edit='.length).split('.');
    link.hash = `pz_edit=${payload}.${sig!.slice(0, -4)}AAAA`;
    await page.goto(link.toString());
    await expect.poll(() => panel(page).getByRole('alert').textContent(), { timeout: 10_000 }).toContain('edit token is invalid');
    expect(await page.locator(ELEMENTS.headline).textContent()).toBe(DEFAULTS.headline);
    await page.context().close();
  });
});

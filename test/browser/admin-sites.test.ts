/**
 * The admin's first hour, in Chromium against the real Worker: signed in at a site that does not
 * exist yet, the empty state offers to create it; the new site opens on Site & tag with its tag, and
 * the top bar switches between it and the demo in the same session (`?site=` follows). The New site
 * form shows the API's field errors (a bad origin, an id taken); an owner archives a site and restores
 * it. A viewer sees no New site and no archive button, and a token for a site no one created lands on
 * an empty state that says whom to ask.
 *
 * Sites of its own (see test/support/shared-sites.ts): "first-hour", created here from the UI;
 * "first-hour-team", created through the API; "first-hour-nowhere", never created (API tokens and
 * members exist only for sites that do). The demo is only
 * read, after a bootstrap that lists it among the sites, as `npm start` does.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreatedToken, type Role, SiteList, SiteState } from '../../shared/schemas';
import { launchBrowser, withCheckedPage } from '../support/browser';
import { sharedWorker, adminApi } from '../support/worker';

const NEW = 'first-hour';
const TEAM = 'first-hour-team';
const NOWHERE = 'first-hour-nowhere';
const worker = sharedWorker();
const TOKEN = worker.adminToken;

let browser: Browser;

const api = (method: string, path: string, body?: unknown) => adminApi(method, path, body, TOKEN);

const createToken = async (site: string, name: string, role: Role) =>
  CreatedToken.parse(await api('POST', `/sites/${site}/tokens`, { name, role })).token;
const siteState = async (site: string) => SiteState.parse(await api('GET', `/sites/${site}`));

beforeAll(async () => {
  browser = await launchBrowser();
  await api('POST', '/sites', { id: TEAM, name: 'First hour team', allowedOrigins: [], template: 'demo' });
  await api('POST', '/sites/demo/bootstrap', {});
});

afterAll(async () => {
  await browser?.close();
});

const withPage = (run: (page: Page, context: BrowserContext) => Promise<void>) => withCheckedPage(browser, run);

async function signIn(page: Page, token: string, site: string) {
  await page.goto(`${worker.origin}/admin`);
  await page.getByLabel('Admin token').fill(token);
  await page.getByLabel('Site id').fill(site);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name }).waitFor();

async function go(page: Page, view: string) {
  await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: view, exact: true }).click();
  await heading(page, view);
}

const switcherSites = (page: Page) => page.getByLabel('Switch site').locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
const siteInAddress = (page: Page) => new URL(page.url()).searchParams.get('site');

describe('admin: sites', () => {
  it('leads from a site that does not exist to a new one on Site & tag, then switches sites in the session', async () => {
    await withPage(async (page) => {
      await signIn(page, TOKEN, NEW);
      await heading(page, `There is no site “${NEW}” yet`);
      const form = page.getByRole('form', { name: 'New site' });
      expect(await form.getByLabel('Site id').inputValue()).toBe(NEW);
      await form.getByLabel('Site name').fill('First hour');
      await form.getByLabel('Allowed origins').fill('https://www.first-hour.example');
      expect(await form.getByLabel('Empty').isChecked()).toBe(true);
      await form.getByRole('button', { name: 'Create site' }).click();

      await heading(page, 'Site & tag');
      expect(await page.getByLabel('Tag to paste into <head>').inputValue()).toContain(`data-site="${NEW}"`);
      expect(await page.getByLabel('Allowed origins').inputValue()).toBe('https://www.first-hour.example');
      expect(siteInAddress(page)).toBe(NEW);
      const created = await siteState(NEW);
      expect(created.draft.config).toMatchObject({ name: 'First hour', allowedOrigins: ['https://www.first-hour.example'], segments: [] });

      expect(await switcherSites(page)).toEqual(expect.arrayContaining([NEW, 'demo', TEAM]));
      await page.getByLabel('Switch site').selectOption('demo');
      await page.getByText('site demo', { exact: true }).waitFor();
      await heading(page, 'Site & tag');
      expect(await page.getByLabel('Tag to paste into <head>').inputValue()).toContain('data-site="demo"');
      expect(siteInAddress(page)).toBe('demo');
      expect(await page.getByTestId('whoami').textContent()).toBe('Signed in as admin token · owner');

      // a reload keeps the session and the site
      await page.reload();
      await heading(page, 'Site & tag');
      await page.getByText('site demo', { exact: true }).waitFor();
    });
  });

  it("shows the API's field errors in the New site form: a bad origin, an id taken", async () => {
    await withPage(async (page) => {
      await signIn(page, TOKEN, TEAM);
      await heading(page, 'Segments');
      await go(page, 'Sites');
      await page.getByRole('row', { name: /First hour team/ }).getByText('open now').waitFor();

      const form = page.getByRole('form', { name: 'New site' });
      await form.getByLabel('Site id').fill('first-hour-bad');
      await form.getByLabel('Site name').fill('Bad origin');
      await form.getByLabel('Allowed origins').fill('https://ok.example\nwww.example.com');
      await form.getByRole('button', { name: 'Create site' }).click();
      await form.getByText('Line 2: must be an origin such as https://www.example.com').waitFor();
      expect(await form.getByLabel('Allowed origins').getAttribute('aria-invalid')).toBe('true');
      expect(SiteList.parse(await api('GET', '/sites')).sites.map((s) => s.id)).not.toContain('first-hour-bad');

      await form.getByLabel('Site id').fill(TEAM);
      await form.getByLabel('Allowed origins').fill('https://ok.example');
      await form.getByRole('button', { name: 'Create site' }).click();
      await form.getByText(`there is already a site "${TEAM}"`).waitFor();
      expect(await form.getByLabel('Site id').getAttribute('aria-invalid')).toBe('true');
      expect(await form.getByText('Line 2').count()).toBe(0);
      expect((await siteState(TEAM)).draft.config.name).toBe('First hour team'); // untouched
    });
  });

  it('archives a site from Site & tag (not served, nothing deleted) and restores it', async () => {
    await withPage(async (page) => {
      await signIn(page, TOKEN, TEAM);
      await heading(page, 'Segments');
      await go(page, 'Site & tag');
      await page.getByRole('button', { name: 'Archive this site' }).click();
      await page.getByText('Pages stay as written; nothing is deleted.').waitFor();
      await page.getByRole('button', { name: 'Archive', exact: true }).click();
      await page.getByRole('status').filter({ hasText: 'Archived: not served' }).waitFor();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('archived-banner'); // the banner is at the top: focus follows
      expect((await siteState(TEAM)).archivedAt).not.toBeNull();
      expect(await page.getByRole('button', { name: 'Archive this site' }).count()).toBe(0);
      expect(await page.getByLabel('Switch site').locator('option:checked').textContent()).toBe(`First hour team (${TEAM}), archived`);

      await page.getByRole('button', { name: 'Restore' }).click();
      await page.getByRole('button', { name: 'Archive this site' }).waitFor();
      expect(await page.getByText('Archived: not served').count()).toBe(0);
      const restored = await siteState(TEAM);
      expect(restored.archivedAt).toBeNull();
      expect(restored.draft.config.segments.length).toBeGreaterThan(0); // the demo template's, kept
    });
  });

  it('shows a viewer the sites without New site or archiving; asked for a site they have no role on, tells them whom to ask', async () => {
    const viewer = await createToken(TEAM, 'first-hour-viewer', 'viewer');
    await withPage(async (page) => {
      // no site id: the first (here the only) site the token has a role on
      await signIn(page, viewer, '');
      await heading(page, 'Segments');
      expect(siteInAddress(page)).toBe(TEAM);
      await go(page, 'Sites');
      const row = page.getByRole('row', { name: /First hour team/ });
      await row.getByRole('cell', { name: 'viewer', exact: true }).waitFor();
      expect(await page.getByRole('form', { name: 'New site' }).count()).toBe(0);
      await page.getByText('Only an owner of every site can create one').waitFor();
      await go(page, 'Site & tag');
      expect(await page.getByRole('button', { name: /Archive/ }).count()).toBe(0);
      await page.getByRole('button', { name: 'Sign out' }).click();

      // a site they have no role on: told whom to ask, and (whether it exists or not) nothing about it
      await signIn(page, viewer, NOWHERE);
      await heading(page, 'No access to this site');
      await page.getByText('An owner of this site must add you').waitFor();
      expect(await page.getByRole('form', { name: 'New site' }).count()).toBe(0);
      expect(await page.getByRole('navigation', { name: 'Admin sections' }).count()).toBe(0);
      await page.getByRole('button', { name: `Open ${TEAM}` }).waitFor();
    });
  });
});

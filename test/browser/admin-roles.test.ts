/**
 * The admin UI by role, in Chromium against the real Worker: API tokens made by the bootstrap owner
 * sign a viewer, an editor and a publisher in, and each sees only what their role may do (the rest is
 * not rendered); the owner manages members and tokens in Team, sees a new token once, and a revoked
 * token is refused. Also: a credential with no role on the site, and the sign-in behind Cloudflare
 * Access (no form, no Authorization header from the browser).
 *
 * A site of its own, created here through the admin API on the shared Worker ("demo-roles", a copy of
 * the demo config), and a site id no one creates ("demo-roles-elsewhere") for a token scoped elsewhere.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAccounts, demoSite } from '../../shared/demo/site';
import { CreatedToken, type Role, SiteState, WhoAmI } from '../../shared/schemas';
import { launchBrowser, withCheckedPage } from '../support/browser';
import { sharedWorker, adminApi } from '../support/worker';

const SITE = 'demo-roles';
const ELSEWHERE = 'demo-roles-elsewhere';
const worker = sharedWorker();
const TOKEN = worker.adminToken;

let browser: Browser;
/** API tokens for SITE by role, and one for ELSEWHERE. */
const tokens = {} as Record<Exclude<Role, 'owner'> | 'elsewhere', string>;

const api = (method: string, path: string, body?: unknown, token = TOKEN) => adminApi(method, path, body, token);

const createToken = async (site: string, name: string, role: Role) =>
  CreatedToken.parse(await api('POST', `/sites/${site}/tokens`, { name, role })).token;

/** Saves a change to SITE's draft as the bootstrap owner, so there is something to publish. */
async function touchDraft(name: string) {
  const state = SiteState.parse(await api('GET', `/sites/${SITE}`));
  await api('PUT', `/sites/${SITE}/draft`, { baseRevision: state.draft.revision, config: { ...state.draft.config, name } });
}

beforeAll(async () => {
  browser = await launchBrowser();
  const created = SiteState.parse(await api('PUT', `/sites/${SITE}/draft`, { baseRevision: 0, config: { ...demoSite, site: SITE, name: 'Roles' } }));
  await api('POST', `/sites/${SITE}/accounts/import`, { rows: demoAccounts.slice(0, 5), firstRow: 1 });
  // two versions: version 1 is not live, so it offers a roll back to those who may
  await api('POST', `/sites/${SITE}/publish`, { baseRevision: created.draft.revision });
  await touchDraft('Roles v2');
  await api('POST', `/sites/${SITE}/publish`, { baseRevision: SiteState.parse(await api('GET', `/sites/${SITE}`)).draft.revision });
  for (const role of ['viewer', 'editor', 'publisher'] as const) tokens[role] = await createToken(SITE, `roles-${role}`, role);
  await api('POST', '/sites', { id: ELSEWHERE, name: 'Elsewhere' });
  tokens.elsewhere = await createToken(ELSEWHERE, 'roles-elsewhere', 'editor');
});

afterAll(async () => {
  await browser?.close();
});

const withPage = (run: (page: Page, context: BrowserContext) => Promise<void>) => withCheckedPage(browser, run);

async function signIn(page: Page, token: string) {
  await page.goto(`${worker.origin}/admin`);
  await page.getByLabel('Admin token').fill(token);
  await page.getByLabel('Site id').fill(SITE);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Segments' }).waitFor();
}

const nav = (page: Page) => page.getByRole('navigation', { name: 'Admin sections' });

async function go(page: Page, view: string) {
  await nav(page).getByRole('link', { name: view, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: view }).waitFor();
}

const navLinks = (page: Page) => nav(page).getByRole('link').allInnerTexts();
const count = (page: Page, name: string | RegExp) => page.getByRole('button', { name }).count();
const whoami = (page: Page) => page.getByTestId('whoami').textContent();

describe('admin UI by role', () => {
  it('shows a viewer everything read-only: no Publish, no editing, no Team', { timeout: 90_000 }, async () => {
    await withPage(async (page) => {
      await signIn(page, tokens.viewer);
      expect(await whoami(page)).toBe('Signed in as token roles-viewer · viewer');
      expect(await page.getByRole('listitem').filter({ hasText: 'Startups' }).count()).toBeGreaterThan(0); // the segments are listed
      expect(await count(page, 'Publish')).toBe(0);
      expect(await count(page, 'New segment')).toBe(0);
      expect(await count(page, /^(Edit|Delete|Move) /)).toBe(0);
      expect(await navLinks(page)).not.toContain('Team');
      expect(await navLinks(page)).not.toContain('Preview');

      // a bookmarked Team view is not opened either
      await page.goto(`${worker.origin}/admin#/team`);
      await page.getByRole('heading', { level: 1, name: 'Segments' }).waitFor();

      await go(page, 'Slots');
      expect(await count(page, /^(New slot|Edit slot|Delete slot)/)).toBe(0);
      await go(page, 'Variants');
      expect(await page.locator('button.cell').count()).toBe(0);
      expect(await page.getByRole('cell').filter({ hasText: /\S/ }).count()).toBeGreaterThan(0); // the variants are shown as text

      await go(page, 'Site & tag');
      expect(await page.getByLabel('Site name').isDisabled()).toBe(true);
      expect(await page.getByLabel('Site name').inputValue()).toBe('Roles v2');
      expect(await count(page, /^Save /)).toBe(0);
      expect(await count(page, 'Add page group')).toBe(0);

      await page.getByRole('link', { name: 'Accounts' }).click();
      await page.getByRole('rowheader').first().waitFor();
      expect(await count(page, /^(New account|Edit|Delete|Import|Make a link)/)).toBe(0);
      expect(await count(page, 'Export CSV')).toBe(1);
      expect(await page.getByRole('form', { name: 'Signed links' }).count()).toBe(0);
      // sales alerts: the settings read-only, the signing secret (owners) not offered, the delivery list readable
      expect(await page.getByRole('form', { name: 'Sales alerts' }).getByLabel('Slack incoming-webhook URL').isDisabled()).toBe(true);
      expect(await count(page, /^(Save alert settings|Show the signing secret)$/)).toBe(0);
      await page.getByRole('heading', { name: 'Recent alerts' }).locator('..').getByText('No alerts yet').waitFor();

      await go(page, 'Versions');
      await page.getByRole('table', { name: 'Published versions' }).waitFor();
      expect(await count(page, /Roll back/)).toBe(0);
      await page.getByRole('table', { name: /Activity/ }).getByText('admin token').first().waitFor(); // who published

      await go(page, 'Report');
      expect(await count(page, /^(Save goals|Add goal)$/)).toBe(0);
    });
  });

  it('lets an editor edit segments and save the draft, without Publish', { timeout: 60_000 }, async () => {
    await withPage(async (page) => {
      await signIn(page, tokens.editor);
      expect(await whoami(page)).toBe('Signed in as token roles-editor · editor');
      expect(await count(page, 'Publish')).toBe(0);
      expect(await count(page, 'New segment')).toBe(1);
      expect(await navLinks(page)).toContain('Preview');
      expect(await navLinks(page)).not.toContain('Team');

      await page.getByRole('button', { name: 'Edit Startups' }).click();
      const form = page.getByRole('form', { name: /Edit segment Startups/ });
      await form.getByLabel('Name').fill('Startups by the editor');
      await form.getByRole('button', { name: 'Save segment' }).click();
      await page.getByRole('status').filter({ hasText: 'Segment Startups by the editor saved' }).waitFor();
      await page.getByTestId('unpublished').waitFor();
      const saved = SiteState.parse(await api('GET', `/sites/${SITE}`));
      expect(saved.draft.updatedBy).toBe('token roles-editor'); // the verified name, not anything the browser said

      // sales alerts are an edit of the draft; the signing secret is the owners'
      await go(page, 'Accounts');
      expect(await count(page, 'Save alert settings')).toBe(1);
      expect(await count(page, 'Show the signing secret')).toBe(0);

      await go(page, 'Versions');
      await page.getByRole('table', { name: 'Published versions' }).waitFor();
      expect(await count(page, /Roll back/)).toBe(0);
    });
  });

  it('lets a publisher publish and roll back, without Team', { timeout: 60_000 }, async () => {
    await touchDraft('Roles, to publish');
    await withPage(async (page) => {
      await signIn(page, tokens.publisher);
      expect(await whoami(page)).toBe('Signed in as token roles-publisher · publisher');
      expect(await navLinks(page)).not.toContain('Team');
      await page.getByRole('button', { name: 'Publish' }).click();
      await page.getByRole('status').filter({ hasText: /Published version \d+/ }).waitFor();
      await go(page, 'Versions');
      await page.getByRole('button', { name: 'Roll back to version 1' }).waitFor();
    });
  });

  it('lets the owner manage members and tokens in Team: a new token is shown once and refused once revoked', { timeout: 90_000 }, async () => {
    await withPage(async (page) => {
      await signIn(page, TOKEN);
      expect(await whoami(page)).toBe('Signed in as admin token · owner');
      await go(page, 'Team');

      // a member by e-mail (as Cloudflare Access names them), their role changed, then removed
      const members = page.getByRole('region', { name: 'Members' });
      const member = members.getByRole('row', { name: /jane@vendor\.example/ });
      await members.getByLabel('E-mail').fill('Jane@Vendor.example');
      await members.getByLabel('Role', { exact: true }).selectOption('editor');
      await members.getByRole('button', { name: 'Save member' }).click();
      await member.getByRole('cell', { name: 'editor', exact: true }).waitFor();
      await member.getByRole('button', { name: 'Change the role of jane@vendor.example' }).click();
      expect(await members.getByLabel('E-mail').inputValue()).toBe('jane@vendor.example');
      await members.getByLabel('Role', { exact: true }).selectOption('publisher');
      await members.getByRole('button', { name: 'Save member' }).click();
      await member.getByRole('cell', { name: 'publisher', exact: true }).waitFor();
      await member.getByRole('button', { name: 'Remove jane@vendor.example' }).click();
      await member.getByRole('button', { name: 'Remove', exact: true }).click();
      await member.waitFor({ state: 'detached' });

      // a token, shown once
      const section = page.getByRole('region', { name: 'API tokens' });
      await section.getByLabel('Token name').fill('made in the UI');
      await section.getByLabel('Role', { exact: true }).selectOption('viewer');
      await section.getByLabel('Expires after (days, optional)').fill('30');
      await section.getByRole('button', { name: 'Create token' }).click();
      const token = await section.getByLabel('New API token').inputValue();
      expect(token).toMatch(/^pzt_[0-9a-f]{16}_/);
      await section.getByText('it will not be shown again').waitFor();
      const me = WhoAmI.parse(await api('GET', `/whoami?site=${SITE}`, undefined, token));
      expect(me).toMatchObject({ name: 'token made in the UI', kind: 'token', role: 'viewer' });
      const row = section.getByRole('row', { name: /made in the UI/ });
      await row.getByRole('cell', { name: 'Active' }).waitFor();
      await section.getByRole('button', { name: 'Done' }).click();
      expect(await page.content()).not.toContain(token);

      await row.getByRole('button', { name: 'Revoke made in the UI' }).click();
      await row.getByRole('button', { name: 'Revoke', exact: true }).click();
      await row.getByRole('cell', { name: /^Revoked/ }).waitFor();
      const refused = await fetch(`${worker.origin}/api/admin/whoami?site=${SITE}`, { headers: { authorization: `Bearer ${token}` } });
      expect(refused.status).toBe(401);

      // and all of it is in the activity, under the verified name
      await go(page, 'Versions');
      await page.getByRole('table', { name: /Activity/ }).getByText(/"made in the UI" revoked/).waitFor();
    });
  });

  it('tells a credential without a role on the site who it is and whom to ask', async () => {
    await withPage(async (page) => {
      await page.goto(`${worker.origin}/admin`);
      await page.getByLabel('Admin token').fill(tokens.elsewhere);
      await page.getByLabel('Site id').fill(SITE);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'No access to this site' }).waitFor();
      expect(await page.getByTestId('whoami-name').textContent()).toBe('token roles-elsewhere');
      await page.getByText('An owner of this site must add you').waitFor();
      expect(await count(page, `Open ${ELSEWHERE}`)).toBe(1);
      expect(await nav(page).count()).toBe(0);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('Admin token').waitFor();
    });
  });

  it('signs in behind Cloudflare Access without the form, the browser sending no credential', { timeout: 60_000 }, async () => {
    await withPage(async (page, context) => {
      // Stands in for Access: it adds a credential to every admin call in transit (here the editor's
      // token) and the edge names the verified e-mail.
      const sent: (string | undefined)[] = [];
      await context.route((url) => url.origin === worker.origin && url.pathname.startsWith('/api/admin/'), async (route) => {
        sent.push(route.request().headers().authorization);
        const headers = { ...route.request().headers(), authorization: `Bearer ${tokens.editor}` };
        if (new URL(route.request().url()).pathname !== '/api/admin/whoami') return route.continue({ headers });
        const answer = await route.fetch({ headers });
        const me = WhoAmI.parse(await answer.json());
        await route.fulfill({ response: answer, json: { ...me, name: 'jane@vendor.example', kind: 'access' } });
      });
      await page.goto(`${worker.origin}/admin?site=${SITE}`);
      await page.getByRole('heading', { level: 1, name: 'Segments' }).waitFor();
      expect(await whoami(page)).toBe('Signed in as jane@vendor.example · editor');
      expect(await page.getByLabel('Admin token').count()).toBe(0);
      expect(sent.length).toBeGreaterThan(1);
      expect(sent.filter(Boolean)).toEqual([]);
    });
  });
});

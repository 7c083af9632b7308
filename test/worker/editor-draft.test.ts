/** /v1/editor/draft: the visual editor reads and saves the draft with its edit token only, CORS for the site's allowed origins only. */
import { exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { signEditToken } from '../../edge/editor/edit-token';
import { AuditLog, EditorDraft, EditorLink, SiteState, StaleWrite } from '../../shared/schemas';
import { adminJson, createSite, uniqueSite } from './support/admin';

const SECRET = 'test-link-secret'; // vitest.config.ts LINK_SECRET
const ALLOWED = 'https://www.vendor.example'; // support/fixture.ts allowedOrigins
const site = uniqueSite('editor');
let token: string;
const now = () => Math.floor(Date.now() / 1000);

function call(method: string, { auth = token, origin = ALLOWED as string | null, body, query = `?site=${site}` }: { auth?: string | null; origin?: string | null; body?: unknown; query?: string } = {}) {
  const headers: Record<string, string> = {};
  if (auth !== null) headers.authorization = `Bearer ${auth}`;
  if (origin !== null) headers.origin = origin;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return exports.default.fetch(new Request(`https://edge.test/v1/editor/draft${query}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
}

beforeAll(async () => {
  await createSite(site);
  const link = EditorLink.parse(await adminJson('POST', `/sites/${site}/editor-link`, { pageUrl: `${ALLOWED}/` }));
  token = new URL(link.url).hash.slice('#pz_edit='.length);
});

describe('the editor API', () => {
  it('reads the draft with a valid token, with CORS for an allowed origin', async () => {
    const res = await call('GET');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    const body = EditorDraft.parse(await res.json());
    expect(body).toMatchObject({ site, user: 'admin token', draft: { revision: 1 } });
  });

  it('answers a preflight from an allowed origin, and refuses a foreign one without CORS headers', async () => {
    const ok = await call('OPTIONS', { auth: null });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(ok.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(ok.headers.get('access-control-allow-headers')).toContain('authorization');
    for (const method of ['OPTIONS', 'GET', 'PUT']) {
      const res = await call(method, { origin: 'https://evil.example', auth: method === 'OPTIONS' ? null : token, body: method === 'PUT' ? {} : undefined });
      expect(res.status, method).toBe(403);
      expect(res.headers.get('access-control-allow-origin'), method).toBeNull();
    }
  });

  it.each([
    ['no token', async () => null],
    ['an expired token', async () => signEditToken({ site, user: 'admin token', exp: now() - 1, iat: now() - 1800 }, SECRET)],
    ['a token signed with another key', async () => signEditToken({ site, user: 'admin token', exp: now() + 600, iat: now() }, 'guessed')],
    ['a token for another site', async () => signEditToken({ site: 'other-site', user: 'admin token', exp: now() + 600, iat: now() }, SECRET)],
    [
      'a tampered token (user swapped, signature kept)',
      async () => {
        const [, sig] = token.split('.');
        const forged = btoa(JSON.stringify({ site, user: 'someone else', exp: now() + 86_400, iat: now() })).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
        return `${forged}.${sig}`;
      },
    ],
    ['garbage', async () => 'not-a-token'],
  ])('refuses %s with a 401 JSON the page can read', async (_label, make) => {
    const auth = await make();
    for (const method of ['GET', 'PUT']) {
      const res = await call(method, { auth, body: method === 'PUT' ? { site, baseRevision: 1, config: {} } : undefined });
      expect(res.status, method).toBe(401);
      expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
      expect(await res.json()).toMatchObject({ error: 'unauthorized', issues: [{ path: 'authorization' }] });
    }
  });

  it('saves the draft, recording the user of the token as the visual editor', async () => {
    const { draft } = EditorDraft.parse(await (await call('GET')).json());
    const config = {
      ...draft.config,
      slots: [...draft.config.slots, { id: 'hero', label: 'Hero headline', selector: '#hero h1', type: 'text', default: { type: 'text', text: 'As written' } }],
      variants: { ...draft.config.variants, fintech: { ...draft.config.variants.fintech, hero: { type: 'text', text: 'Hello {{account.name|bank}}' } } },
    };
    const res = await call('PUT', { body: { site, baseRevision: draft.revision, config } });
    expect(res.status).toBe(200);
    const saved = EditorDraft.parse(await res.json());
    expect(saved.draft).toMatchObject({ revision: draft.revision + 1, updatedBy: 'admin token (visual editor)' });
    const state = SiteState.parse(await adminJson('GET', `/sites/${site}`));
    expect(state.draft.updatedBy).toBe('admin token (visual editor)');
    expect(state.draft.config.slots.at(-1)).toMatchObject({ id: 'hero', selector: '#hero h1' });
    expect(state.draft.config.variants.fintech?.hero).toEqual({ type: 'text', text: 'Hello {{account.name|bank}}' });
    const audit = AuditLog.parse(await adminJson('GET', `/sites/${site}/audit`));
    expect(audit.entries[0]).toMatchObject({ actor: 'admin token (visual editor)', action: 'PUT /editor/draft', detail: `saved revision ${draft.revision + 1}` });
  });

  it('answers 409 with the current draft when someone saved since', async () => {
    const { draft } = EditorDraft.parse(await (await call('GET')).json());
    await adminJson('PUT', `/sites/${site}/draft`, { baseRevision: draft.revision, config: { ...draft.config, name: 'Renamed in the admin' } });
    const res = await call('PUT', { body: { site, baseRevision: draft.revision, config: draft.config } });
    expect(res.status).toBe(409);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    const stale = StaleWrite.parse(await res.json());
    expect(stale.current).toMatchObject({ revision: draft.revision + 1, config: { name: 'Renamed in the admin' } });
  });

  it('refuses bad input with a 400 naming the field', async () => {
    const { draft } = EditorDraft.parse(await (await call('GET')).json());
    const cases: [unknown, string][] = [
      [{ site, baseRevision: draft.revision, config: { ...draft.config, slots: [{ id: 'x', type: 'text', selector: 'body' }] } }, 'config.slots.0.selector'],
      [{ site, baseRevision: -1, config: draft.config }, 'baseRevision'],
      [{ site: 'other-site', baseRevision: draft.revision, config: draft.config }, 'site'],
      [{ site, baseRevision: draft.revision, config: { ...draft.config, site: 'other-site' } }, 'config.site'],
    ];
    for (const [body, path] of cases) {
      const res = await call('PUT', { body });
      expect(res.status, path).toBe(400);
      expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
      expect(((await res.json()) as { issues: { path: string }[] }).issues.map((i) => i.path), path).toContain(path);
    }
    const noSite = await call('GET', { query: '' });
    expect(noSite.status).toBe(400);
    expect(await noSite.json()).toMatchObject({ issues: [{ path: 'site' }] });
  });

  it('serves the editor bundle at /editor.js', async () => {
    const res = await exports.default.fetch(new Request('https://edge.test/editor.js'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('javascript');
    expect((await res.text()).length).toBeGreaterThan(1000);
  });
});

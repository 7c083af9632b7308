/**
 * Roles per site: what a viewer, editor, publisher and owner may do, on their own site only; API
 * tokens scoped to a site and a role, shown once, revocable; the history names the verified caller.
 */
import { describe, expect, it } from 'vitest';
import { adminRoutes } from '../../edge/admin/routes';
import type { Guard } from '../../edge/admin/permissions';
import { hashToken } from '../../edge/identity/api-token';
import { ApiTokenInfo, ApiTokenList, AuditLog, CreatedToken, SiteState, VersionInfo, WhoAmI } from '../../shared/schemas';
import { admin, adminJson, configFor, createSite, uniqueSite } from './support/admin';
import { accounts } from './support/fixture';
import { asMember, grant, withToken } from './support/identity';

async function siteWithMembers() {
  const site = uniqueSite('roles');
  await createSite(site);
  const people = { viewer: `viewer@${site}.example`, editor: `editor@${site}.example`, publisher: `publisher@${site}.example`, owner: `owner@${site}.example` };
  for (const [role, email] of Object.entries(people)) await grant(email, site, role);
  return { site, people };
}

const draftSave = async (site: string) => {
  const state = SiteState.parse(await adminJson('GET', `/sites/${site}`));
  return { baseRevision: state.draft.revision, config: configFor(site, { name: `Edited ${crypto.randomUUID().slice(0, 4)}` }) };
};

describe('roles', () => {
  it('a viewer reads the site and its report but cannot save, import, preview or publish', async () => {
    const { site, people } = await siteWithMembers();
    expect((await asMember(people.viewer, 'GET', `/sites/${site}`)).status).toBe(200);
    expect((await asMember(people.viewer, 'GET', `/sites/${site}/versions`)).status).toBe(200);
    expect((await asMember(people.viewer, 'GET', `/sites/${site}/accounts`)).status).toBe(200);
    const saved = await asMember(people.viewer, 'PUT', `/sites/${site}/draft`, await draftSave(site));
    expect(saved.status).toBe(403);
    expect(await saved.json()).toMatchObject({ error: 'forbidden', issues: [{ path: 'role', message: `needs editor on site "${site}"; you are viewer there` }] });
    for (const [method, path, body] of [
      ['POST', `/sites/${site}/accounts/import`, { rows: [accounts[0]] }],
      ['POST', `/sites/${site}/preview`, { segment: 'customers' }],
      ['POST', `/sites/${site}/publish`, { baseRevision: 1 }],
    ] as const)
      expect((await asMember(people.viewer, method, path, body)).status, `${method} ${path}`).toBe(403);
  });

  it('an editor saves drafts and accounts but cannot publish or roll back', async () => {
    const { site, people } = await siteWithMembers();
    const saved = await asMember(people.editor, 'PUT', `/sites/${site}/draft`, await draftSave(site));
    expect(saved.status).toBe(200);
    expect(SiteState.parse(await saved.json()).draft.updatedBy).toBe(people.editor);
    expect((await asMember(people.editor, 'PUT', `/sites/${site}/accounts/${accounts[0]!.domain}`, accounts[0])).status).toBe(200);
    const state = SiteState.parse(await adminJson('GET', `/sites/${site}`));
    expect((await asMember(people.editor, 'POST', `/sites/${site}/publish`, { baseRevision: state.draft.revision })).status).toBe(403);
    expect((await asMember(people.editor, 'POST', `/sites/${site}/rollback`, { version: 1 })).status).toBe(403);
  });

  it('a publisher publishes and rolls back, and the history names them from the verified token', async () => {
    const { site, people } = await siteWithMembers();
    let state = SiteState.parse(await adminJson('GET', `/sites/${site}`));
    const first = await asMember(people.publisher, 'POST', `/sites/${site}/publish`, { baseRevision: state.draft.revision });
    expect(first.status).toBe(200);
    expect(VersionInfo.parse(await first.json()).publishedBy).toBe(people.publisher);
    await asMember(people.editor, 'PUT', `/sites/${site}/draft`, await draftSave(site));
    state = SiteState.parse(await adminJson('GET', `/sites/${site}`));
    await asMember(people.publisher, 'POST', `/sites/${site}/publish`, { baseRevision: state.draft.revision });
    const back = await asMember(people.publisher, 'POST', `/sites/${site}/rollback`, { version: 1 });
    expect(VersionInfo.parse(await back.json())).toMatchObject({ publishedBy: people.publisher, rolledBackFrom: 1 });
    // only owners manage members and tokens
    expect((await asMember(people.publisher, 'PUT', `/sites/${site}/members/x@y.example`, { role: 'owner' })).status).toBe(403);
    expect((await asMember(people.publisher, 'POST', `/sites/${site}/tokens`, { name: 'ci', role: 'owner' })).status).toBe(403);
  });

  it('an owner of one site manages its members but has no say on another site or over every site', async () => {
    const { site, people } = await siteWithMembers();
    const other = uniqueSite('roles-other');
    await createSite(other);
    expect((await asMember(people.owner, 'PUT', `/sites/${site}/members/new@${site}.example`, { role: 'editor' })).status).toBe(200);
    for (const [method, path, body] of [
      ['GET', `/sites/${other}`, undefined],
      ['GET', `/report?site=${other}`, undefined],
      ['PUT', `/sites/${other}/members/new@${site}.example`, { role: 'owner' }],
      ['PUT', `/members/new@${site}.example`, { role: 'owner' }],
    ] as const)
      expect((await asMember(people.owner, method, path, body)).status, `${method} ${path}`).toBe(403);
  });

  it('names the field of a bad member e-mail in the path, percent signs included (never a 500)', async () => {
    const site = uniqueSite('roles-bad');
    await createSite(site);
    for (const email of ['not-an-email', '%25', '%E0%A4%A', 'a%40']) {
      const res = await admin('PUT', `/sites/${site}/members/${email}`, { role: 'viewer' });
      expect(res.status, email).toBe(400);
      expect(await res.json()).toMatchObject({ issues: [{ path: 'email' }] });
    }
  });

  it('someone Access lets in who is no member sees who they are and nothing else', async () => {
    const site = uniqueSite('roles-none');
    await createSite(site);
    const me = await asMember('stranger@vendor.example', 'GET', `/whoami?site=${site}`);
    expect(WhoAmI.parse(await me.json())).toEqual({ name: 'stranger@vendor.example', kind: 'access', grants: [], site, role: null });
    expect((await asMember('stranger@vendor.example', 'GET', `/sites/${site}`)).status).toBe(403);
  });

  it('a grant on every site covers sites created later', async () => {
    const email = `all-${crypto.randomUUID().slice(0, 6)}@vendor.example`;
    await grant(email, '*', 'publisher');
    const site = uniqueSite('roles-later');
    await createSite(site);
    const me = WhoAmI.parse(await (await asMember(email, 'GET', `/whoami?site=${site}`)).json());
    expect(me.role).toBe('publisher');
    expect((await asMember(email, 'POST', `/sites/${site}/publish`, { baseRevision: 1 })).status).toBe(200);
  });

  it('every admin route states the role it needs (only /whoami and the site list answer any valid credential)', () => {
    const guarded = new Set<string>();
    const open = new Set<string>();
    const all = new Set<string>();
    for (const r of adminRoutes.routes) {
      if (r.method === 'ALL') continue;
      all.add(`${r.method} ${r.path}`);
      const needs = (r.handler as Partial<Guard>).requiredRole;
      if (needs && needs !== 'signed-in') guarded.add(`${r.method} ${r.path}`);
      if (needs === 'signed-in') open.add(`${r.method} ${r.path}`);
    }
    expect(all.size).toBeGreaterThan(20);
    expect([...all].filter((r) => !guarded.has(r))).toEqual([...open]);
    expect([...open].sort()).toEqual(['GET /sites', 'GET /whoami']);
  });
});

describe('API tokens', () => {
  async function create(site: string, role: string, name = 'ci') {
    const res = await admin('POST', `/sites/${site}/tokens`, { name, role });
    expect(res.status).toBe(201);
    return CreatedToken.parse(await res.json());
  }

  it('are shown once, kept only as a hash, and scoped to their site and role', async () => {
    const site = uniqueSite('tok');
    const other = uniqueSite('tok-other');
    await createSite(site);
    await createSite(other);
    const { token, info } = await create(site, 'editor', 'deploy bot');
    expect(token).toMatch(/^pzt_[0-9a-f]{16}_/);
    const listed = ApiTokenList.parse(await adminJson('GET', `/sites/${site}/tokens`));
    // the secret is everything after the id (base64url: it may itself contain `_`)
    expect(JSON.stringify(listed)).not.toContain(token.slice('pzt_'.length + 16 + 1));
    expect(JSON.stringify(listed)).not.toContain(await hashToken(token));
    expect(listed.tokens).toEqual([expect.objectContaining({ id: info.id, name: 'deploy bot', role: 'editor', lastUsedAt: null, revokedAt: null })]);

    const saved = await withToken(token, 'PUT', `/sites/${site}/draft`, await draftSave(site));
    expect(saved.status).toBe(200);
    expect(SiteState.parse(await saved.json()).draft.updatedBy).toBe('token deploy bot');
    expect((await withToken(token, 'POST', `/sites/${site}/publish`, { baseRevision: 2 })).status).toBe(403);
    expect((await withToken(token, 'GET', `/sites/${other}`)).status).toBe(403);
    expect((await withToken(token, 'GET', `/report?site=${other}`)).status).toBe(403);
    const used = ApiTokenList.parse(await adminJson('GET', `/sites/${site}/tokens`)).tokens[0]!;
    expect(Date.parse(used.lastUsedAt!)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('a revoked token gets 401 at once, as does an unknown one', async () => {
    const site = uniqueSite('tok-revoke');
    await createSite(site);
    const { token, info } = await create(site, 'publisher');
    expect((await withToken(token, 'GET', `/sites/${site}`)).status).toBe(200);
    const revoked = ApiTokenInfo.parse(await adminJson('DELETE', `/sites/${site}/tokens/${info.id}`));
    expect(revoked.revokedAt).not.toBeNull();
    const res = await withToken(token, 'GET', `/sites/${site}`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ issues: [{ path: 'authorization', message: 'this API token is unknown, revoked or expired' }] });
    const forged = `${token.slice(0, -4)}AAAA`;
    expect((await withToken(forged, 'GET', `/sites/${site}`)).status).toBe(401);
  });

  it("one site's owner cannot revoke another site's token", async () => {
    const site = uniqueSite('tok-a');
    const other = uniqueSite('tok-b');
    await createSite(site);
    await createSite(other);
    const { info } = await create(other, 'viewer');
    const owner = await create(site, 'owner', 'site owner');
    expect((await withToken(owner.token, 'DELETE', `/sites/${other}/tokens/${info.id}`)).status).toBe(403);
    expect((await withToken(owner.token, 'DELETE', `/sites/${site}/tokens/${info.id}`)).status).toBe(404);
  });

  it('rejects a token request naming no role, and an unknown role', async () => {
    const site = uniqueSite('tok-bad');
    await createSite(site);
    for (const body of [{ name: 'ci' }, { name: 'ci', role: 'root' }, { name: '', role: 'viewer' }]) {
      const res = await admin('POST', `/sites/${site}/tokens`, body);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'invalid request' });
    }
  });
});

describe('audit trail', () => {
  it('records imports, publishes and member changes under the verified name', async () => {
    const { site, people } = await siteWithMembers();
    await asMember(people.editor, 'POST', `/sites/${site}/accounts/import`, { rows: accounts.slice(0, 3) });
    await asMember(people.publisher, 'POST', `/sites/${site}/publish`, { baseRevision: 1 });
    await asMember(people.viewer, 'PUT', `/sites/${site}/draft`, await draftSave(site)); // refused: not recorded
    const { entries } = AuditLog.parse(await adminJson('GET', `/sites/${site}/audit`));
    expect(entries.map((e) => [e.actor, e.action, e.detail])).toEqual([
      [people.publisher, `POST /sites/${site}/publish`, 'published version 1'],
      [people.editor, `POST /sites/${site}/accounts/import`, 'JSON import: 3 accepted, 0 rejected'],
      ...Object.entries(people).reverse().map(([role, email]) => ['admin token', `PUT /sites/${site}/members/${encodeURIComponent(email)}`, `${email} is ${role}`]),
      ['admin token', `PUT /sites/${site}/draft`, 'saved revision 1'],
    ]);
  });
});

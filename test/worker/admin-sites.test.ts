/** The admin's list of sites (only those the caller has a role on) and creating a site, empty or from the demo template. */
import { describe, expect, it } from 'vitest';
import { SiteList, SiteState } from '../../shared/schemas';
import { admin, adminJson, createSite, uniqueSite } from './support/admin';
import { asMember, grant, withToken } from './support/identity';
import { CreatedToken } from '../../shared/schemas';

describe('creating a site', () => {
  it('starts empty with its name and origins, as a draft nothing serves yet', async () => {
    const id = uniqueSite('new');
    const res = await admin('POST', '/sites', { id, name: 'Acme marketing site', allowedOrigins: ['https://www.acme.example'] });
    expect(res.status).toBe(201);
    const state = SiteState.parse(await adminJson('GET', `/sites/${id}`));
    expect(state).toMatchObject({ live: null, unpublished: true, draft: { revision: 1, updatedBy: 'admin token' } });
    expect(state.draft.config).toMatchObject({ name: 'Acme marketing site', allowedOrigins: ['https://www.acme.example'], segments: [], slots: [] });
    expect(state.tag).toContain(`data-site="${id}"`);
  });

  it('from the demo template copies its segments, slots and variants under the new id', async () => {
    const id = uniqueSite('tmpl');
    expect((await admin('POST', '/sites', { id, name: 'From the template', template: 'demo' })).status).toBe(201);
    const { config } = SiteState.parse(await adminJson('GET', `/sites/${id}`)).draft;
    expect(config.site).toBe(id);
    expect(config.segments.length).toBeGreaterThan(3);
    expect(Object.keys(config.variants).length).toBeGreaterThan(0);
  });

  it('refuses an id in use (409), a bad id or origin (400 naming the field), and anyone but an owner of every site (403)', async () => {
    const id = uniqueSite('dup');
    await createSite(id);
    const dup = await admin('POST', '/sites', { id, name: 'Again' });
    expect(dup.status).toBe(409);
    expect(await dup.json()).toMatchObject({ error: 'site exists', issues: [{ path: 'id' }] });
    for (const [body, path] of [
      [{ id: 'Bad Id!', name: 'x' }, 'id'],
      [{ id: uniqueSite(), name: 'x', allowedOrigins: ['javascript:alert(1)'] }, 'allowedOrigins.0'],
      [{ id: uniqueSite(), name: '' }, 'name'],
    ] as const) {
      const res = await admin('POST', '/sites', body);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ issues: [{ path }] });
    }
    await grant(`owner@${id}.example`, id, 'owner');
    expect((await asMember(`owner@${id}.example`, 'POST', '/sites', { id: uniqueSite(), name: 'Mine' })).status).toBe(403);
  });
});

describe('the site list', () => {
  it('shows each caller only the sites they have a role on, with that role', async () => {
    const [a, b] = [uniqueSite('list-a'), uniqueSite('list-b')];
    await createSite(a);
    await createSite(b);
    const everything = SiteList.parse(await adminJson('GET', '/sites')).sites.map((s) => s.id);
    expect(everything).toEqual(expect.arrayContaining([a, b]));

    const email = `member@${a}.example`;
    await grant(email, a, 'editor');
    const mine = SiteList.parse(await (await asMember(email, 'GET', '/sites')).json());
    expect(mine.sites).toEqual([expect.objectContaining({ id: a, role: 'editor' })]);

    const { token } = CreatedToken.parse(await adminJson('POST', `/sites/${b}/tokens`, { name: 'ci', role: 'viewer' }, 201));
    const viaToken = SiteList.parse(await (await withToken(token, 'GET', '/sites')).json());
    expect(viaToken.sites.map((s) => [s.id, s.role])).toEqual([[b, 'viewer']]);
  });
});

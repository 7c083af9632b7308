/** POST /api/admin/sites/:site/editor-link: editors only, pages on the site's allowed origins only, a token in the fragment. */
import { describe, expect, it } from 'vitest';
import { verifyEditToken } from '../../edge/editor/edit-token';
import { EditorLink } from '../../shared/schemas';
import { admin, adminJson, createSite, uniqueSite } from './support/admin';
import { asMember, grant } from './support/identity';

const SECRET = 'test-link-secret'; // vitest.config.ts LINK_SECRET

describe('editor links', () => {
  it('puts a 30-minute token naming the site and the verified caller in the page URL fragment', async () => {
    const site = uniqueSite('edlink');
    await createSite(site);
    const link = EditorLink.parse(await adminJson('POST', `/sites/${site}/editor-link`, { pageUrl: 'https://www.vendor.example/pricing?x=1' }));
    const url = new URL(link.url);
    expect(url.origin + url.pathname + url.search).toBe('https://www.vendor.example/pricing?x=1');
    const token = url.hash.replace(/^#pz_edit=/, '');
    const check = await verifyEditToken(token, SECRET);
    expect(check).toMatchObject({ ok: true, claims: { site, user: 'admin token' } });
    if (!check.ok) return;
    expect(check.claims.exp - check.claims.iat).toBeLessThanOrEqual(30 * 60);
    expect(Date.parse(link.expiresAt) / 1000).toBe(check.claims.exp);
  });

  it('needs a credential, and the editor role (a viewer gets 403)', async () => {
    const site = uniqueSite('edlink-roles');
    await createSite(site);
    const body = { pageUrl: 'https://www.vendor.example/' };
    expect((await admin('POST', `/sites/${site}/editor-link`, body, { token: null })).status).toBe(401);
    await grant(`viewer@${site}.example`, site, 'viewer');
    await grant(`editor@${site}.example`, site, 'editor');
    expect((await asMember(`viewer@${site}.example`, 'POST', `/sites/${site}/editor-link`, body)).status).toBe(403);
    const res = await asMember(`editor@${site}.example`, 'POST', `/sites/${site}/editor-link`, body);
    expect(res.status).toBe(200);
    const token = new URL(EditorLink.parse(await res.json()).url).hash.slice('#pz_edit='.length);
    expect(await verifyEditToken(token, SECRET)).toMatchObject({ ok: true, claims: { user: `editor@${site}.example` } });
  });

  it.each([
    ['a foreign origin', 'https://evil.example/'],
    ['a page that is not http(s)', 'javascript:alert(1)'],
    ['no URL', 'not a url'],
  ])('refuses %s with a 400 naming pageUrl', async (_label, pageUrl) => {
    const site = uniqueSite('edlink-bad');
    await createSite(site);
    const res = await admin('POST', `/sites/${site}/editor-link`, { pageUrl });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ issues: [{ path: 'pageUrl' }] });
  });

  it('answers 404 for an unknown site', async () => {
    expect((await admin('POST', `/sites/${uniqueSite('nosuch')}/editor-link`, { pageUrl: 'https://www.vendor.example/' })).status).toBe(404);
  });
});

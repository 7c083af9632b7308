/**
 * The admin's tag check: the edge notes, in the background and at most once a minute per origin and
 * isolate, that a page on an allowed origin ran the tag, and lists page views from origins the site
 * does not allow as refused (capped: anyone can send any Origin).
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import worker from '../../edge/index';
import { SNIPPET_VERSION } from '../../build/snippet';
import { SiteState, TagCheck, VersionInfo } from '../../shared/schemas';
import { tagVersion } from '../../shared/snippet-tag';
import { forgetNotedTags } from '../../edge/tag-check/note';
import { MAX_REFUSED_ORIGINS } from '../../edge/tag-check/tag-table';
import { adminJson, configFor, createSite, uniqueSite } from './support/admin';
import { decideCall } from './support/behaviour';
import { settleReadCopy } from './support/read-copy';

async function publishedSite() {
  const site = uniqueSite('tag');
  await createSite(site, configFor(site, { allowedOrigins: ['https://www.acme.example', 'http://localhost:*'] }));
  VersionInfo.parse(await adminJson('POST', `/sites/${site}/publish`, { baseRevision: 1 }));
  return site;
}

async function pageView(site: string, url: string, origin = new URL(url).origin, versions: { tag?: string; sv?: string } = {}) {
  const { res, settled } = await decideCall({ site, url, ...versions }, { origin });
  await settled();
  return res.status;
}

const check = (site: string) => adminJson<unknown>('GET', `/sites/${site}/tag-check`).then((b) => TagCheck.parse(b));

describe('tag check', () => {
  beforeEach(() => forgetNotedTags());

  it('shows each allowed origin as not seen until a page there runs the tag, then its last page view without the query', async () => {
    const site = await publishedSite();
    const unseen = { lastSeen: null, tagCurrent: null, snippetCurrent: null };
    expect((await check(site)).origins).toEqual([
      { origin: 'https://www.acme.example', ...unseen },
      { origin: 'http://localhost:*', ...unseen },
    ]);
    const before = Date.now();
    expect(await pageView(site, 'https://www.acme.example/pricing?utm_campaign=q4&email=jane@acme.example')).toBe(200);
    expect(await pageView(site, 'http://localhost:5173/')).toBe(200);
    const { origins, refused } = await check(site);
    expect(origins[0]!.lastSeen).toMatchObject({ origin: 'https://www.acme.example', path: '/pricing' });
    expect(Date.parse(origins[0]!.lastSeen!.at)).toBeGreaterThanOrEqual(before - 1000);
    expect(origins[1]!.lastSeen).toMatchObject({ origin: 'http://localhost:5173', path: '/' });
    expect(JSON.stringify(await check(site))).not.toContain('utm_campaign');
    expect(refused).toEqual([]);
  });

  it("says whether each origin's tag hides the current selector slots and runs the current snippet", async () => {
    const site = await publishedSite();
    const config = SiteState.parse(await adminJson('GET', `/sites/${site}`)).draft.config;
    await pageView(site, 'https://www.acme.example/', undefined, { tag: tagVersion(config), sv: SNIPPET_VERSION });
    await pageView(site, 'http://localhost:5173/', undefined, { tag: tagVersion({ slots: [] }), sv: 'old1' });
    const { origins } = await check(site);
    expect(origins[0]).toMatchObject({ tagCurrent: true, snippetCurrent: true, lastSeen: { tag: tagVersion(config), snippet: SNIPPET_VERSION } });
    expect(origins[1]).toMatchObject({ tagCurrent: false, snippetCurrent: false });
    // the tag the admin offers is the one that counts as current
    expect(SiteState.parse(await adminJson('GET', `/sites/${site}`)).tag).toContain(`data-v="${tagVersion(config)}"`);
  });

  it('refuses a version that is not a short token (400 naming the field)', async () => {
    const site = await publishedSite();
    const { res } = await decideCall({ site, url: 'https://www.acme.example/', tag: '<script>' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ issues: [{ path: 'tag' }] });
  });

  it("counts page views of a site created but not published yet (the edge's read copy knows no config for it)", async () => {
    const site = uniqueSite('tag-new');
    await createSite(site, configFor(site, { allowedOrigins: ['https://www.acme.example'] }));
    await settleReadCopy(site);
    expect(await pageView(site, 'https://www.acme.example/landing')).toBe(404);
    expect(await pageView(site, 'https://elsewhere.example/')).toBe(404);
    const { origins, refused } = await check(site);
    expect(origins[0]!.lastSeen).toMatchObject({ origin: 'https://www.acme.example', path: '/landing' });
    expect(refused).toEqual([expect.objectContaining({ origin: 'https://elsewhere.example' })]);
    // a site nobody created: nothing is noted (and nothing created) for it
    expect(await pageView(uniqueSite('tag-nobody'), 'https://www.acme.example/')).toBe(404);
  });

  it('lists a page view from an origin the site does not allow as refused, naming the origin', async () => {
    const site = await publishedSite();
    expect(await pageView(site, 'https://staging.acme.example/')).toBe(403);
    const { refused, origins } = await check(site);
    expect(refused).toEqual([expect.objectContaining({ origin: 'https://staging.acme.example', path: '/' })]);
    expect(origins.every((o) => o.lastSeen === null)).toBe(true);
  });

  it('writes at most once a minute per origin from one isolate, and keeps only the latest refused origins', async () => {
    const site = await publishedSite();
    await pageView(site, 'https://www.acme.example/first');
    await pageView(site, 'https://www.acme.example/second');
    expect((await check(site)).origins[0]!.lastSeen!.path).toBe('/first');
    for (let i = 0; i < MAX_REFUSED_ORIGINS + 5; i++) await pageView(site, `https://spam${i}.example/`);
    const { refused } = await check(site);
    expect(refused).toHaveLength(MAX_REFUSED_ORIGINS);
    expect(refused[0]!.origin).toBe(`https://spam${MAX_REFUSED_ORIGINS + 4}.example`);
  });

  it('ignores requests whose Origin is not the page they claim, and server calls without one', async () => {
    const site = await publishedSite();
    expect(await pageView(site, 'https://www.acme.example/', 'http://localhost:3000')).toBe(200);
    const ctx = createExecutionContext();
    const serverCall = new Request('https://edge.test/v1/decide', { method: 'POST', body: JSON.stringify({ site, url: 'https://www.acme.example/' }) });
    expect((await worker.fetch(serverCall, env, ctx)).status).toBe(200);
    await waitOnExecutionContext(ctx);
    expect((await check(site)).origins.map((o) => o.lastSeen)).toEqual([null, null]);
  });
});

import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { buildKvEntries } from '../../shared/kv/entries';
import { DecideResponse, SiteConfig, SiteState, StaleWrite, VersionInfo } from '../../shared/schemas';
import { clearConfigCache } from '../../edge/kv/site-config';
import { admin, adminJson, configFor, createSite, uniqueSite } from './support/admin';
import { settleReadCopy } from './support/read-copy';
import { accounts, page, post, signed } from './support/fixture';

const withHeadline = (config: SiteConfig, text: string): SiteConfig => ({
  ...config,
  variants: { ...config.variants, customers: { ...config.variants.customers, headline: { type: 'text', text } } },
});

async function decideAs(site: string, domain: string) {
  clearConfigCache(); // the edge trusts its cached config for 10 s
  const res = await post('/v1/decide', { site, url: page(`?pz_account=${await signed(domain, site)}`) });
  expect(res.status).toBe(200);
  return DecideResponse.parse(await res.json());
}

/** A site with the fixture's accounts in the read copy, created and published through the admin. */
async function publishedSite() {
  const site = uniqueSite('pub');
  const draft = await createSite(site);
  await adminJson('POST', `/sites/${site}/accounts/import`, { rows: accounts });
  const v1 = VersionInfo.parse(await adminJson('POST', `/sites/${site}/publish`, { baseRevision: draft.revision }));
  return { site, draft, v1 };
}

describe('site state and first use', () => {
  it('answers 404 for a site nobody created, and creates one with baseRevision 0', async () => {
    const site = uniqueSite();
    const missing = await admin('GET', `/sites/${site}`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'unknown site', issues: [{ path: 'site' }] });

    const draft = await createSite(site);
    expect(draft).toMatchObject({ revision: 1, updatedBy: 'admin token' });
    const state = SiteState.parse(await adminJson('GET', `/sites/${site}`));
    expect(state).toMatchObject({ site, live: null, unpublished: true });
    expect(state.tag).toContain(`src="https://edge.test/p.js" data-site="${site}"`);
  });

  it('adopts a site the edge already serves from its KV config, as draft and live version', async () => {
    const site = uniqueSite('kv');
    const { entries } = buildKvEntries(site, configFor(site, { version: 4 }), []);
    await Promise.all(entries.map((e) => env.KV.put(e.key, e.value)));

    const state = SiteState.parse(await adminJson('GET', `/sites/${site}`));
    expect(state).toMatchObject({ draft: { revision: 1 }, live: { version: 4 }, unpublished: false });
    const next = VersionInfo.parse(
      await adminJson('POST', `/sites/${site}/publish`, { baseRevision: (await saveHeadline(site, 1, 'Edited')).revision }),
    );
    expect(next.version).toBe(5);
  });

  it('records who acted from the credential, never from a header the client sets', async () => {
    const site = uniqueSite();
    const headers = { 'x-admin-user': 'jane@vendor.example', 'cf-access-authenticated-user-email': 'jane@vendor.example' };
    const res = await admin('PUT', `/sites/${site}/draft`, { baseRevision: 0, config: configFor(site) }, { headers });
    expect(SiteState.parse(await res.json()).draft.updatedBy).toBe('admin token');
  });
});

async function saveHeadline(site: string, baseRevision: number, text: string) {
  const state = SiteState.parse(await adminJson('GET', `/sites/${site}`));
  const saved = SiteState.parse(await adminJson('PUT', `/sites/${site}/draft`, { baseRevision, config: withHeadline(state.draft.config, text) }));
  return saved.draft;
}

describe('validation names the field', () => {
  it.each([
    ['a segment without a rule condition', (c: SiteConfig) => ({ ...c, segments: [{ ...c.segments[0], rule: { all: [] } }] }), 'config.segments.0.rule'],
    ['a variant for an unknown slot', (c: SiteConfig) => ({ ...c, variants: { customers: { nowhere: { type: 'text', text: 'x' } } } }), 'config.variants.customers.nowhere'],
    ['a link variant with a javascript: URL', (c: SiteConfig) => ({ ...c, variants: { fintech: { cta: { type: 'link', text: 'x', href: 'javascript:alert(1)' } } } }), 'config.variants.fintech.cta.href'],
    ['a link variant leaving the site through /\\ (an open redirect)', (c: SiteConfig) => ({ ...c, variants: { fintech: { cta: { type: 'link', text: 'x', href: '/\\evil.example' } } } }), 'config.variants.fintech.cta.href'],
    ['a link variant leaving the site through /<tab>/', (c: SiteConfig) => ({ ...c, variants: { fintech: { cta: { type: 'link', text: 'x', href: '/\t/evil.example' } } } }), 'config.variants.fintech.cta.href'],
    ['an id with capitals', (c: SiteConfig) => ({ ...c, segments: [{ ...c.segments[0], id: 'Customers' }], variants: {} }), 'config.segments.0.id'],
  ])('rejects %s', async (_label, change, path) => {
    const site = uniqueSite();
    const draft = await createSite(site);
    const res = await admin('PUT', `/sites/${site}/draft`, { baseRevision: draft.revision, config: change(draft.config) });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { issues: { path: string }[] };
    expect(body.issues.map((i) => i.path)).toContain(path);
    expect(SiteState.parse(await adminJson('GET', `/sites/${site}`)).draft.revision).toBe(draft.revision); // nothing saved
  });

  it('rejects a config for another site, unknown body fields, malformed JSON and a bad site id', async () => {
    const site = uniqueSite();
    const draft = await createSite(site);
    const other = await admin('PUT', `/sites/${site}/draft`, { baseRevision: draft.revision, config: configFor('elsewhere') });
    expect(await other.json()).toMatchObject({ issues: [{ path: 'config.site' }] });
    const extra = await admin('POST', `/sites/${site}/publish`, { baseRevision: draft.revision, force: true });
    expect(extra.status).toBe(400);
    const malformed = await admin('POST', `/sites/${site}/publish`, '{"baseRevision":');
    expect(await malformed.json()).toMatchObject({ error: 'body is not valid JSON' });
    const badSite = await admin('GET', '/sites/Not%20A%20Site');
    expect(badSite.status).toBe(400);
    expect(await badSite.json()).toMatchObject({ issues: [{ path: 'site' }] });
    const badVersion = await admin('POST', `/sites/${site}/rollback`, { version: 0 });
    expect(await badVersion.json()).toMatchObject({ issues: [{ path: 'version' }] });
  });
});

describe('no lost updates', () => {
  it('refuses a save over a stale revision with 409 and the current draft', async () => {
    const site = uniqueSite();
    const draft = await createSite(site);
    // two admins loaded revision 1; the first saves
    const first = await saveHeadline(site, draft.revision, 'From admin one');
    const second = await admin('PUT', `/sites/${site}/draft`, { baseRevision: draft.revision, config: withHeadline(draft.config, 'From admin two') });
    expect(second.status).toBe(409);
    const stale = StaleWrite.parse(await second.json());
    expect(stale.current.revision).toBe(first.revision);
    expect(stale.current.config.variants.customers?.headline).toEqual({ type: 'text', text: 'From admin one' });
  });

  it('lets exactly one of two simultaneous saves win', async () => {
    const site = uniqueSite();
    const draft = await createSite(site);
    const results = await Promise.all(
      ['A', 'B'].map((who) => admin('PUT', `/sites/${site}/draft`, { baseRevision: draft.revision, config: withHeadline(draft.config, who) })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it('refuses to publish a draft the publisher has not seen', async () => {
    const site = uniqueSite();
    const draft = await createSite(site);
    await saveHeadline(site, draft.revision, 'Newer');
    const res = await admin('POST', `/sites/${site}/publish`, { baseRevision: draft.revision });
    expect(res.status).toBe(409);
    expect(StaleWrite.parse(await res.json()).current.revision).toBe(draft.revision + 1);
    expect(await adminJson('GET', `/sites/${site}/versions`)).toEqual({ versions: [] });
  });
});

describe('publish, versions and rollback', () => {
  it('publishes to the edge, keeps every version and rolls back as a new version', async () => {
    const { site, draft, v1 } = await publishedSite();
    expect(v1).toMatchObject({ version: 1, publishedBy: 'admin token', summary: 'first version: 4 segments, 3 slots' });
    expect(await decideAs(site, 'client.example')).toMatchObject({ version: 1, segment: { id: 'customers' }, changes: [{ content: { text: 'Welcome back, Loyal Client' } }] });

    const edited = await saveHeadline(site, draft.revision, 'Good to see you again, {{account.name}}');
    const v2 = VersionInfo.parse(await adminJson('POST', `/sites/${site}/publish`, { baseRevision: edited.revision }));
    expect(v2).toMatchObject({ version: 2, summary: 'segments: no change; slots: no change; variants: ~1 changed (customers/headline)' });
    await settleReadCopy(site); // the config key was written a moment ago: KV takes one write per key per second
    expect((await decideAs(site, 'client.example')).changes[0]?.content).toEqual({ type: 'text', text: 'Good to see you again, Loyal Client' });

    const back = VersionInfo.parse(await adminJson('POST', `/sites/${site}/rollback`, { version: 1 }));
    expect(back).toMatchObject({ version: 3, rolledBackFrom: 1, summary: 'rollback to v1: segments: no change; slots: no change; variants: ~1 changed (customers/headline)' });
    await settleReadCopy(site);
    const d = await decideAs(site, 'client.example');
    expect(d.version).toBe(3);
    expect(d.changes[0]?.content).toEqual({ type: 'text', text: 'Welcome back, Loyal Client' });

    const { versions } = (await adminJson('GET', `/sites/${site}/versions`)) as { versions: VersionInfo[] };
    expect(versions.map((v) => v.version)).toEqual([3, 2, 1]);
    // the draft is the rolled-back config, at a new revision: an editor still on the old one gets 409
    const state = SiteState.parse(await adminJson('GET', `/sites/${site}`));
    expect(state).toMatchObject({ draft: { revision: edited.revision + 1 }, live: { version: 3 }, unpublished: false });
    expect((await admin('PUT', `/sites/${site}/draft`, { baseRevision: edited.revision, config: state.draft.config })).status).toBe(409);
  });

  it('treats publishing an unchanged draft as a no-op answering the live version', async () => {
    const { site, draft } = await publishedSite();
    const again = VersionInfo.parse(await adminJson('POST', `/sites/${site}/publish`, { baseRevision: draft.revision }));
    expect(again.version).toBe(1);
    expect(((await adminJson('GET', `/sites/${site}/versions`)) as { versions: unknown[] }).versions).toHaveLength(1);
  });

  it('refuses a rollback to a version never published or already live', async () => {
    const { site } = await publishedSite();
    const unknown = await admin('POST', `/sites/${site}/rollback`, { version: 9 });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ issues: [{ path: 'version' }] });
    const live = await admin('POST', `/sites/${site}/rollback`, { version: 1 });
    expect(live.status).toBe(400);
    expect(await live.json()).toMatchObject({ issues: [{ path: 'version', message: 'version 1 is already live' }] });
  });

  it('stores an HTML variant as written but serves it sanitized', async () => {
    const site = uniqueSite();
    const html = '<p onclick="steal()">Hello <strong>{{account.name}}</strong><script>alert(1)</script><img src="javascript:alert(2)"></p>';
    const config = configFor(site, { variants: { customers: { note: { type: 'html', html } } } });
    const draft = await createSite(site, config);
    expect(draft.config.variants.customers?.note).toEqual({ type: 'html', html });
    await adminJson('POST', `/sites/${site}/accounts/import`, { rows: accounts });
    await adminJson('POST', `/sites/${site}/publish`, { baseRevision: draft.revision });

    const d = await decideAs(site, 'client.example');
    expect(d.changes).toEqual([{ slot: 'note', selector: '[data-pz-slot="note"]', content: { type: 'html', html: '<p>Hello <strong>Loyal Client</strong><img></p>' } }]);
  });
});

describe('segment counts', () => {
  it('counts the accounts each draft segment matches, an account in every segment it matches', async () => {
    const site = uniqueSite();
    await createSite(site);
    await adminJson('POST', `/sites/${site}/accounts/import`, { rows: accounts });
    // bank: fintech + snowflake; snow: snowflake; client: customers + fintech; plain: none; webinar needs a campaign
    expect(await adminJson('GET', `/sites/${site}/segments/counts`)).toEqual({
      counts: { customers: 1, fintech: 2, snowflake: 2, webinar: 0 },
      total: 4,
    });
  });
});

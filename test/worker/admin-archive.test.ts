/** Archiving a site stops its decisions (the snippet then leaves the page as written); restoring serves its live version again. */
import { describe, expect, it } from 'vitest';
import { Report, SiteList, SiteState, VersionInfo } from '../../shared/schemas';
import { admin, adminJson, configFor, createSite, uniqueSite } from './support/admin';
import { decideCall } from './support/behaviour';
import { settleReadCopy } from './support/read-copy';
import { accounts, page, signed } from './support/fixture';
import { asMember, grant } from './support/identity';

const BANK = 'bank.example';

async function decideStatus(site: string) {
  const { res, settled } = await decideCall({ site, url: page(`?pz_account=${await signed(BANK, site)}`) });
  await settled();
  return { status: res.status, body: (await res.json()) as { segment?: { id: string } | null } };
}

async function servedSite() {
  const site = uniqueSite('archive');
  await createSite(site);
  for (const account of accounts) await adminJson('PUT', `/sites/${site}/accounts/${account.domain}`, account);
  VersionInfo.parse(await adminJson('POST', `/sites/${site}/publish`, { baseRevision: 1 }));
  return site;
}

describe('archiving a site', () => {
  it('stops decisions (once the read copy has its write: KV takes one write per key per second), keeps publishing into the record, and restoring serves the latest live version', async () => {
    const site = await servedSite();
    expect((await decideStatus(site)).body.segment).toBeTruthy();

    const archived = SiteState.parse(await adminJson('POST', `/sites/${site}/archive`, { archived: true }));
    expect(archived.archivedAt).not.toBeNull();
    await settleReadCopy(site);
    expect((await decideStatus(site)).status).toBe(404);

    // a publish while archived is recorded but not served
    const state = SiteState.parse(await adminJson('PUT', `/sites/${site}/draft`, { baseRevision: 1, config: configFor(site, { name: 'Renamed while archived' }) }));
    expect(VersionInfo.parse(await adminJson('POST', `/sites/${site}/publish`, { baseRevision: state.draft.revision })).version).toBe(2);
    expect((await decideStatus(site)).status).toBe(404);
    // its report stays readable
    expect(Report.parse(await adminJson('GET', `/report?site=${site}`)).site).toBe(site);
    expect(SiteList.parse(await adminJson('GET', '/sites')).sites.find((s) => s.id === site)?.archivedAt).toBe(archived.archivedAt);

    const restored = SiteState.parse(await adminJson('POST', `/sites/${site}/archive`, { archived: false }));
    expect(restored.archivedAt).toBeNull();
    await settleReadCopy(site);
    const after = await decideStatus(site);
    expect(after.status).toBe(200);
    expect(after.body.segment).toBeTruthy();
  });

  it('is for owners, and names the field of a bad body', async () => {
    const site = await servedSite();
    await grant(`publisher@${site}.example`, site, 'publisher');
    expect((await asMember(`publisher@${site}.example`, 'POST', `/sites/${site}/archive`, { archived: true })).status).toBe(403);
    const bad = await admin('POST', `/sites/${site}/archive`, { archived: 'yes' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ issues: [{ path: 'archived' }] });
    expect((await decideStatus(site)).status).toBe(200);
  });
});

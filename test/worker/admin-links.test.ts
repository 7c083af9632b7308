/**
 * POST /api/admin/sites/:site/links: signed ABM links for a list of domains (JSON or CSV) or for every
 * imported account (CSV), each of which the edge resolves as verified.
 */
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../shared/csv';
import { readLinkParam } from '../../shared/links/signed-link';
import { WORKER_TEST_LINK_SECRET } from '../support/links';
import { admin, adminJson, createSite, uniqueSite } from './support/admin';
import { accounts } from './support/fixture';

async function siteWithAccounts() {
  const site = uniqueSite('links');
  await createSite(site);
  for (const account of accounts) await adminJson('PUT', `/sites/${site}/accounts/${account.domain}`, account);
  return site;
}

describe('signed links from the admin API', () => {
  it('signs a link per domain onto the landing page, keeping its query, valid for the days asked', async () => {
    const site = await siteWithAccounts();
    const answer = await adminJson<{ expiresAt: string; links: { domain: string; url: string }[] }>('POST', `/sites/${site}/links`, {
      url: 'https://www.vendor.example/pricing?utm_source=email&pz_account=old.example#plans',
      domains: ['bank.example', 'client.example'],
      campaign: 'q4-abm',
      days: 30,
    });
    expect(Date.parse(answer.expiresAt) - Date.now()).toBeGreaterThan(29.9 * 86_400_000);
    for (const { domain, url } of answer.links) {
      const u = new URL(url);
      expect(`${u.origin}${u.pathname}${u.hash}`).toBe('https://www.vendor.example/pricing#plans');
      expect(u.searchParams.get('utm_source')).toBe('email');
      expect(url).not.toContain('%7E'); // the token goes in as it is
      const param = await readLinkParam(u.searchParams.get('pz_account')!, site, WORKER_TEST_LINK_SECRET, Date.now() / 1000);
      expect(param).toEqual({ kind: 'signed', claims: { domain, exp: Date.parse(answer.expiresAt) / 1000, campaign: 'q4-abm' } });
    }
  });

  it('answers a CSV of every imported account, one signed link each', async () => {
    const site = await siteWithAccounts();
    const res = await admin('POST', `/sites/${site}/links`, { url: 'https://www.vendor.example/', format: 'csv' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const parsed = parseCsv(await res.text());
    if (!parsed.ok) throw new Error(parsed.reason);
    const rows = parsed.records;
    expect(rows[0]).toEqual(['domain', 'name', 'url', 'expires_at']);
    expect(rows.slice(1).map((r) => r[0]).sort()).toEqual(accounts.map((a) => a.domain).sort());
    for (const [domain, , url] of rows.slice(1)) {
      const param = await readLinkParam(new URL(url!).searchParams.get('pz_account')!, site, WORKER_TEST_LINK_SECRET, Date.now() / 1000);
      expect(param.kind === 'signed' && param.claims.domain).toBe(domain);
    }
  });

  it('refuses bad requests with a 400 naming the field, an unknown site with 404, and no token with 401', async () => {
    const site = await siteWithAccounts();
    for (const [body, path] of [
      [{ url: 'https://www.vendor.example/' }, 'domains'],
      [{ url: 'not a url', domains: ['bank.example'] }, 'url'],
      [{ url: 'https://www.vendor.example/', domains: ['bank.example'], campaign: 'Q4 ABM!' }, 'campaign'],
      [{ url: 'https://www.vendor.example/', domains: ['bank.example'], days: 400 }, 'days'],
      [{ url: 'https://www.vendor.example/', domains: ['not a domain'] }, 'domains.0'],
    ] as const) {
      const res = await admin('POST', `/sites/${site}/links`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { issues: { path: string }[] }).issues[0]!.path).toBe(path);
    }
    expect((await admin('POST', '/sites/no-such-site-links/links', { url: 'https://x.example/', domains: ['a.example'] })).status).toBe(404);
    expect((await admin('POST', `/sites/${site}/links`, { url: 'https://x.example/', domains: ['a.example'] }, { token: null })).status).toBe(401);
  });
});

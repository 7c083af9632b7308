/**
 * Attack: forging behaviour. Before, four decides with no Origin, the page
 * `https://attacker.invalid/pricing?pz_account=ironleaf.example` and four random visitor ids moved
 * Ironleaf from "Databricks users" into "Hot pricing interest", and every random visitor id created an
 * activity object. Now only page views from the site's own pages are recorded (an Origin and a page
 * URL on its allowed origins), a claimed identity's views are the anonymous visitor's only, and views
 * are capped per minute. The demo site allows http://localhost:* (its pages here).
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { clearConfigCache } from '../../edge/kv/site-config';
import { demoAccounts } from '../../shared/demo/accounts';
import { demoSite } from '../../shared/demo/site';
import { buildKvEntries } from '../../shared/kv/entries';
import { SiteConfig } from '../../shared/schemas';
import { uniqueSite } from './support/admin';
import { activity, decideSettled, summaryOf } from './support/behaviour';
import { MAX_VIEWS_PER_MINUTE, MAX_VISITOR_VIEWS_PER_MINUTE } from '../../edge/activity/activity-table';
import { DecideResponse } from '../../shared/schemas';
import { post, signed } from './support/fixture';

const site = uniqueSite('forge');
const config = SiteConfig.parse({ ...demoSite, site });

beforeAll(async () => {
  const { entries } = buildKvEntries(site, config, demoAccounts);
  for (let i = 0; i < entries.length; i += 100) await Promise.all(entries.slice(i, i + 100).map((e) => env.KV.put(e.key, e.value)));
  clearConfigCache();
});

const PAGE = 'http://localhost:8787';

/** A decide as curl sends it: no Origin; it is still answered. */
async function curlDecide(body: Record<string, unknown>) {
  const res = await post('/v1/decide', { site, ...body });
  expect(res.status).toBe(200);
  return DecideResponse.parse(await res.json());
}

describe('forged views', () => {
  it('the issue’s attack: four no-Origin decides for Ironleaf’s pricing page leave it in "Databricks users", with no views recorded for it and no objects for the random visitors', async () => {
    const before = await decideSettled({ site, url: `${PAGE}/?pz_account=${await signed('ironleaf.example', site)}`, visitor: 'real-visitor' });
    expect(before.segment?.id).toBe('databricks-users');

    const forgers = Array.from({ length: 4 }, () => `forger-${crypto.randomUUID()}`);
    for (const visitor of forgers) {
      const forged = await curlDecide({ url: 'https://attacker.invalid/pricing?pz_account=ironleaf.example', visitor });
      expect(forged).toMatchObject({ confidence: 'claimed' });
      expect(forged.segment?.id).not.toBe('hot-pricing');
    }
    // even with a signed link: no Origin, no record
    for (const visitor of forgers) await curlDecide({ url: `https://attacker.invalid/pricing?pz_account=${await signed('ironleaf.example', site)}`, visitor });
    await new Promise((r) => setTimeout(r, 300));
    for (const visitor of forgers) expect((await summaryOf({ site, visitor }, { now: Date.now(), windowDays: 90 })).views, visitor).toEqual([]);

    const summary = await summaryOf({ site, domain: 'ironleaf.example' }, { now: Date.now(), windowDays: 90 });
    // the one real (verified) visit above is the account's only view
    expect(summary.views).toHaveLength(1);
    expect(summary.views[0]!.visitor).toBe('real-visitor');
    const after = await decideSettled({ site, url: `${PAGE}/?pz_account=${await signed('ironleaf.example', site)}`, visitor: 'real-visitor-2' });
    expect(after.segment?.id).toBe('databricks-users');
  });

  it('a claimed visitor’s views are its own: they count for that visitor, not for the account it named', async () => {
    const visitor = `claimer-${crypto.randomUUID()}`;
    for (const path of ['/pricing', '/pricing/enterprise', '/pricing/faq'])
      await decideSettled({ site, url: `${PAGE}${path}?pz_account=northwind-bank.example`, visitor });
    const own = await summaryOf({ site, visitor }, { now: Date.now(), windowDays: 90 });
    expect(own.views.map((v) => v.groups)).toEqual([['pricing'], ['pricing'], ['pricing']]);
    const account = await summaryOf({ site, domain: 'northwind-bank.example' }, { now: Date.now(), windowDays: 90 });
    expect(account.views).toEqual([]);
  });

  it('an allowed Origin with a page URL elsewhere is answered but not recorded', async () => {
    const visitor = `elsewhere-${crypto.randomUUID()}`;
    const d = await decideSettled({ site, url: `https://attacker.invalid/pricing?pz_account=${await signed('orchard-retail.example', site)}`, visitor }, { origin: PAGE });
    expect(d.account?.domain).toBe('orchard-retail.example');
    expect((await summaryOf({ site, domain: 'orchard-retail.example' }, { now: Date.now(), windowDays: 90 })).views).toEqual([]);
  });

  it(`caps views at ${MAX_VISITOR_VIEWS_PER_MINUTE} per visitor and ${MAX_VIEWS_PER_MINUTE} per account a minute, so a flood cannot flush an account's history`, async () => {
    const key = { site, domain: 'sprocket-ai.example' };
    const stub = activity(key);
    const now = Date.now();
    const view = (visitor: string, i: number) => stub.record({ key, at: now + i, visitor, path: `/p/${i}`, groups: [], retentionDays: 90, needs: null });
    let kept = 0;
    for (let i = 0; i < 30; i++) kept += (await view('one-visitor', i)) ? 1 : 0;
    expect(kept).toBe(MAX_VISITOR_VIEWS_PER_MINUTE);
    for (let i = 0; i < 200; i++) kept += (await view(`visitor-${i % 50}`, 100 + i)) ? 1 : 0;
    expect(kept).toBe(MAX_VIEWS_PER_MINUTE);
    // a minute later the account records again
    expect(await stub.record({ key, at: now + 61_000, visitor: 'one-visitor', path: '/later', groups: [], retentionDays: 90, needs: null })).toBe(true);
  });
});

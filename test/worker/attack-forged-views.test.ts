/**
 * Attack: forging behaviour. Before confidence levels, four decides with no Origin, the page
 * `https://attacker.invalid/pricing?pz_account=ironleaf.example` and four random visitor ids moved
 * Ironleaf from "Databricks users" into "Hot pricing interest". Now a claimed identity's views are
 * recorded for the anonymous visitor only: none reaches the account's activity, and the account's
 * segment for a real (signed) visit is unchanged.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { clearConfigCache } from '../../edge/kv/site-config';
import { demoAccounts } from '../../shared/demo/accounts';
import { demoSite } from '../../shared/demo/site';
import { buildKvEntries } from '../../shared/kv/entries';
import { SiteConfig } from '../../shared/schemas';
import { uniqueSite } from './support/admin';
import { decideSettled, summaryOf } from './support/behaviour';
import { signed } from './support/fixture';

const site = uniqueSite('forge');
const config = SiteConfig.parse({ ...demoSite, site });

beforeAll(async () => {
  const { entries } = buildKvEntries(site, config, demoAccounts);
  for (let i = 0; i < entries.length; i += 100) await Promise.all(entries.slice(i, i + 100).map((e) => env.KV.put(e.key, e.value)));
  clearConfigCache();
});

describe('forged views through unsigned links', () => {
  it('never reach the account: four forged pricing views leave Ironleaf in "Databricks users", with no views recorded for it', async () => {
    const before = await decideSettled({ site, url: `https://attacker.invalid/?pz_account=${await signed('ironleaf.example', site)}`, visitor: 'real-visitor' });
    expect(before.segment?.id).toBe('databricks-users');

    for (let i = 0; i < 4; i++) {
      const forged = await decideSettled({ site, url: 'https://attacker.invalid/pricing?pz_account=ironleaf.example', visitor: `forger-${crypto.randomUUID()}` });
      expect(forged).toMatchObject({ confidence: 'claimed' });
      expect(forged.segment?.id).not.toBe('hot-pricing');
    }

    const summary = await summaryOf({ site, domain: 'ironleaf.example' }, { now: Date.now(), windowDays: 90 });
    // the one real (verified) visit above is the account's only view
    expect(summary.views).toHaveLength(1);
    expect(summary.views[0]!.visitor).toBe('real-visitor');
    const after = await decideSettled({ site, url: `https://attacker.invalid/?pz_account=${await signed('ironleaf.example', site)}`, visitor: 'real-visitor-2' });
    expect(after.segment?.id).toBe('databricks-users');
  });

  it('a claimed visitor’s views are its own: they count for that visitor, not for the account it named', async () => {
    const visitor = `claimer-${crypto.randomUUID()}`;
    for (const path of ['/pricing', '/pricing/enterprise', '/pricing/faq'])
      await decideSettled({ site, url: `https://attacker.invalid${path}?pz_account=northwind-bank.example`, visitor });
    const own = await summaryOf({ site, visitor }, { now: Date.now(), windowDays: 90 });
    expect(own.views.map((v) => v.groups)).toEqual([['pricing'], ['pricing'], ['pricing']]);
    const account = await summaryOf({ site, domain: 'northwind-bank.example' }, { now: Date.now(), windowDays: 90 });
    expect(account.views).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { AccountPage, DecideResponse, Rule, type SiteConfig } from '../../shared/schemas';
import { requiredConfidence } from '../../shared/resolve/confidence';
import { WEEK_MS, weekOf } from '../../shared/rules/intent';
import { clearConfigCache } from '../../edge/kv/site-config';
import { forgetSite } from '../../edge/kv/cache';
import { admin, adminJson, configFor, createSite, uniqueSite } from './support/admin';
import { settleReadCopy } from './support/read-copy';
import { accounts, page, post, signed } from './support/fixture';

const TOPICS = ['Customer Data Platform', 'Data Warehousing', 'Marketing Automation'];

/** The fixture site with an intent segment (surging on 2 of 3 topics in 12 weeks) and a fit formula whose tier 1 has a segment. */
const intentConfig = (site: string): SiteConfig =>
  configFor(site, {
    segments: [
      { id: 'surging', name: 'Researching data platforms', kind: 'intent', priority: 5, holdout: 0, rule: { all: [{ op: 'surging', topics: TOPICS, min: 60, count: 2, weeks: 12 }], any: [] } },
      { id: 'tier-one', name: 'Best fit', kind: 'firmographic', priority: 8, holdout: 0, rule: { all: [{ field: 'account.tier', op: 'equals', value: 1 }], any: [] } },
      ...configFor(site).segments,
    ],
    variants: {
      ...configFor(site).variants,
      surging: { headline: { type: 'text', text: 'Comparing data platforms, {{account.name}}?' } },
      'tier-one': { headline: { type: 'text', text: 'Fit {{account.fitScore}}, tier {{account.tier}}: {{account.name}}' } },
    },
    fit: {
      criteria: [
        { field: 'account.industry', op: 'in', values: ['Banking', 'Fintech'], weight: 50 },
        { field: 'account.employees', op: 'range', min: 1000, weight: 30 },
        { field: 'account.tech', op: 'contains', value: 'snowflake', weight: 20 },
      ],
      tiers: { 1: 80, 2: 50 },
    },
  });

/** A published site with the fixture's accounts and the given intent rows, its read copy settled. */
async function publishedSite(prefix: string, intent: unknown[]) {
  const site = uniqueSite(prefix);
  const draft = await createSite(site, intentConfig(site));
  await adminJson('POST', `/sites/${site}/publish`, { baseRevision: draft.revision });
  await adminJson('POST', `/sites/${site}/accounts/import`, { rows: accounts });
  if (intent.length) await adminJson('POST', `/sites/${site}/intent/import`, { rows: intent });
  await settleReadCopy(site);
  return site;
}

/** POST /v1/decide for a page reached through a signed ABM link to `domain` (verified), or a plain one (`claimed`). */
async function decide(site: string, domain: string, claimed = false) {
  clearConfigCache();
  forgetSite(site);
  const account = claimed ? domain : await signed(domain, site);
  const res = await post('/v1/decide', { site, url: page(`?pz_account=${encodeURIComponent(account)}`) });
  expect(res.status).toBe(200);
  return DecideResponse.parse(await res.json());
}

const week = (n: number) => weekOf(Date.now() - n * WEEK_MS);
/** One score per topic of TOPICS, in that order, all for the week `weeksAgo` weeks before this one. */
const scores = (domain: string, weeksAgo: number, values: number[]) => TOPICS.map((topic, i) => ({ domain, topic, score: values[i], week: week(weeksAgo) }));

describe('intent conditions through POST /v1/decide', () => {
  it('puts an account surging on 2 of 3 topics in the intent segment; the same scores 13 weeks old do not count', async () => {
    const site = await publishedSite('intent-decide', [
      ...scores('snow.example', 1, [82, 64, 40]),
      ...scores('plain.example', 13, [82, 64, 40]),
      ...scores('bank.example', 0, [82, 59, 40]), // one topic only
    ]);
    const snow = await decide(site, 'snow.example');
    expect(snow.segment?.id).toBe('surging');
    expect(snow.changes).toContainEqual(expect.objectContaining({ slot: 'headline', content: { type: 'text', text: 'Comparing data platforms, Snowy Retail?' } }));
    expect((await decide(site, 'plain.example')).segment).toBeNull();
    expect((await decide(site, 'bank.example')).segment?.id).toBe('tier-one');
  });

  it('never shows intent to a claimed identity: a plain link to the account sees what anyone may', async () => {
    const site = await publishedSite('intent-claim', scores('snow.example', 0, [90, 90, 90]));
    expect(await decide(site, 'snow.example', true)).toMatchObject({ confidence: 'claimed', segment: { id: 'snowflake' } });
    expect(await decide(site, 'snow.example')).toMatchObject({ confidence: 'verified', segment: { id: 'surging' } });
  });

  it('needs inferred confidence for a rule with an intent condition whatever its segment’s kind, unless the segment says otherwise', () => {
    const rule = Rule.parse({ all: [{ field: 'account.industry', op: 'equals', value: 'Banking' }, { op: 'intent', topic: 'CRM', min: 60, weeks: 4 }] });
    expect(requiredConfidence({ kind: 'firmographic', rule })).toBe('inferred');
    expect(requiredConfidence({ kind: 'firmographic', rule, minConfidence: 'claimed' })).toBe('claimed');
    expect(requiredConfidence({ kind: 'firmographic', rule: Rule.parse({ all: [rule.all[0]] }) })).toBe('claimed');
  });

  it('refuses a surging condition that asks for more topics than it lists, naming the field', async () => {
    const site = uniqueSite('intent-bad');
    const config = intentConfig(site);
    const bad = { ...config, segments: [{ ...config.segments[0]!, rule: { all: [{ op: 'surging', topics: ['CRM', 'crm'], min: 60, count: 2, weeks: 4 }], any: [] } }] };
    const res = await admin('PUT', `/sites/${site}/draft`, { baseRevision: 0, config: { ...bad, variants: {} } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { issues: { path: string }[] }).issues.map((i) => i.path)).toContain('config.segments.0.rule.all.0.count');
  });
});

describe('fit tiers', () => {
  it('computes the fit score and tier from the site’s formula, for rules, content and the admin’s account list', async () => {
    const site = await publishedSite('fit-decide', []);
    // Northwind Bank: Banking (50) + 5,000 people (30) + Snowflake (20) = 100, tier 1
    const bank = await decide(site, 'bank.example');
    expect(bank.segment?.id).toBe('tier-one');
    expect(bank.changes).toContainEqual(expect.objectContaining({ slot: 'headline', content: { type: 'text', text: 'Fit 100, tier 1: Northwind Bank' } }));
    // Snowy Retail: Snowflake only = 20, tier 3: its technographic segment
    expect((await decide(site, 'snow.example')).segment?.id).toBe('snowflake');

    // an imported tier (a CRM's ICP tier) is the account's own: Loyal Client's formula says 80 (tier 1), its CRM says 3
    await adminJson('PUT', `/sites/${site}/accounts/client.example`, { ...accounts.find((a) => a.domain === 'client.example'), tier: 3 });
    await settleReadCopy(site); // KV takes one write per key per second: the edit reaches the edge's copy a moment later
    expect((await decide(site, 'client.example')).segment?.id).toBe('customers');

    const list = AccountPage.parse(await adminJson('GET', `/sites/${site}/accounts`));
    expect(list.fit).toEqual({
      'bank.example': { fitScore: 100, tier: 1 },
      'client.example': { fitScore: 80, tier: 3 },
      'plain.example': { fitScore: 0, tier: 3 },
      'snow.example': { fitScore: 20, tier: 3 },
    });
    // the accounts themselves stay as imported: the score is the formula's, not stored
    expect(list.accounts.find((a) => a.domain === 'bank.example')).not.toHaveProperty('fitScore');
    const counts = await adminJson<{ counts: Record<string, number> }>('GET', `/sites/${site}/segments/counts`);
    expect(counts.counts['tier-one']).toBe(1);
  });

  it('imports tier and fit score from account CSV columns (a CRM’s `Tier 2` too) and rejects bad ones by row', async () => {
    const site = await publishedSite('fit-csv', []);
    const file = 'domain,name,tier,fitScore\nt1.example,T One,1,91\nt2.example,T Two,Tier 2,\nbad.example,Bad,gold,\nbad2.example,Bad Two,,101\n';
    const res = await admin('POST', `/sites/${site}/accounts/import`, file, { contentType: 'text/csv' });
    expect(await res.json()).toEqual({
      accepted: 2,
      rejected: [
        { row: 4, field: 'tier', reason: 'must be 1, 2 or 3 (1 fits best)' },
        { row: 5, field: 'fitScore', reason: 'must be a number from 0 to 100' },
      ],
    });
    expect(await adminJson('GET', `/sites/${site}/accounts/t2.example`)).toEqual({ domain: 't2.example', name: 'T Two', tier: 2 });
    // T Two: imported tier 2, and a score from the formula (nothing of it holds: 0)
    const list = AccountPage.parse(await adminJson('GET', `/sites/${site}/accounts?q=t`));
    expect(list.fit?.['t1.example']).toEqual({ fitScore: 91, tier: 1 });
    expect(list.fit?.['t2.example']).toEqual({ fitScore: 0, tier: 2 });
  });

  it('refuses a fit formula that reads no account field, or whose tier 1 needs less than tier 2, naming the field', async () => {
    const site = uniqueSite('fit-bad');
    const config = intentConfig(site);
    const fit = { criteria: [{ field: 'visit.path', op: 'matches', pattern: '/pricing*', weight: 10 }], tiers: { 1: 40, 2: 60 } };
    const res = await admin('PUT', `/sites/${site}/draft`, { baseRevision: 0, config: { ...config, fit } });
    expect(res.status).toBe(400);
    const paths = ((await res.json()) as { issues: { path: string }[] }).issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['config.fit.criteria.0.field', 'config.fit.tiers.1']));
  });
});

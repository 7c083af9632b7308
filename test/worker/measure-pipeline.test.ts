/**
 * The report's Pipeline goal: the arithmetic of the pipeline-per-account lift against vectors an
 * independent implementation computed from per-account values (test/cases/pipeline-lift.json,
 * scripts/pipeline-vectors.py), and the report route on real local D1 rows: accounts exposed per arm,
 * opportunities created within the attribution window after each account's first exposure, amounts,
 * won, win rate, days to the first, the lifts and the CSV.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import raw from '../cases/pipeline-lift.json';
import { dayOf, DAY_MS } from '../../shared/measure/days';
import { type AmountSums, meanRatioLift, median } from '../../shared/measure/pipeline';
import { liftOf } from '../../shared/measure/stats';
import { Report } from '../../shared/schemas';
import { admin, uniqueSite } from './support/admin';
import { seedMeasureSite } from './support/measure';

type Expected = { status: 'insufficient' } | { status: 'ok'; lift: number; low: number; high: number; difference: number; verdict: string };
const vectors = raw as { lift: { name: string; personalized: number[]; holdout: number[]; fixed: Expected; sequential: Expected }[] };

const close = (actual: number, expected: number, what: string) => expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-9 * Math.abs(expected) + 1e-12);
const sums = (values: number[]): AmountSums => ({ n: values.length, positive: values.filter((v) => v > 0).length, sum: values.reduce((a, b) => a + b, 0), sumSquares: values.reduce((a, b) => a + b * b, 0) });

describe('pipeline per exposed account: lift and its interval', () => {
  it.each(vectors.lift.flatMap((v) => (['fixed', 'sequential'] as const).map((method) => ({ ...v, method, expected: v[method] }))))('$name ($method) matches the independent implementation', ({ personalized, holdout, method, expected }) => {
    const lift = meanRatioLift(sums(personalized), sums(holdout), method);
    expect(lift.status).toBe(expected.status);
    if (lift.status !== 'ok' || expected.status !== 'ok') return;
    close(lift.lift, expected.lift, 'lift');
    close(lift.low, expected.low, 'low');
    close(lift.high, expected.high, 'high');
    close(lift.difference, expected.difference, 'difference');
    expect(lift.verdict).toBe(expected.verdict);
  });

  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([])).toBeNull();
    expect(median([9, 1, 5])).toBe(5);
    expect(median([10, 2, 4, 8])).toBe(6);
  });
});

const today = Date.now();
const dayStart = (daysAgo: number) => Date.parse(`${dayOf(today - daysAgo * DAY_MS)}T00:00:00Z`);

/** Exposure roll-ups of accounts `<prefix><i>.example` on a day, as the events consumer writes them. */
async function exposeAccounts(site: string, arm: 'personalized' | 'holdout', prefix: string, count: number, daysAgo: number) {
  await env.EVENTS_DB.prepare(
    `INSERT INTO exposures (site, segment, arm, day, version, unit, visitor, account, n)
     SELECT ?1, 'fintech', ?2, ?3, 3, 'a:' || ?4 || value || '.example', 'visitor-' || ?4 || value, ?4 || value || '.example', 2 FROM json_each(?5)`,
  )
    .bind(site, arm, dayOf(today - daysAgo * DAY_MS), prefix, JSON.stringify(Array.from({ length: count }, (_, i) => i)))
    .run();
}

interface Opp {
  account: string | null;
  createdDaysAfter: number;
  exposedDaysAgo: number;
  amount: number | null;
  status: 'open' | 'won' | 'lost';
}
async function opportunities(site: string, opps: Opp[], idPrefix = 'opp') {
  await env.EVENTS_DB.batch(
    opps.map((o, i) =>
      env.EVENTS_DB.prepare(
        `INSERT INTO opportunities (site, id, account, crm_account, name, created_at, amount, stage, closed_at, status, modified_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, NULL, ?9, ?6)`,
      ).bind(site, `${idPrefix}-${i}`, o.account, `crm-${o.account}`, `Deal ${i}`, dayStart(o.exposedDaysAgo) + o.createdDaysAfter * DAY_MS, o.amount, o.status, o.status),
    ),
  );
}

const get = async (query: string) => {
  const res = await admin('GET', `/report?${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return Report.parse(await res.json());
};

describe('the Pipeline goal of the report', () => {
  async function seeded() {
    const site = uniqueSite('pipe');
    await seedMeasureSite(site);
    // 40 personalized and 36 holdout accounts, first exposed 30 days ago; some seen again since
    await exposeAccounts(site, 'personalized', 'p', 40, 30);
    await exposeAccounts(site, 'personalized', 'p', 10, 5);
    await exposeAccounts(site, 'holdout', 'h', 36, 30);
    // anonymous visitors do not count
    await env.EVENTS_DB.prepare(`INSERT INTO exposures (site, segment, arm, day, version, unit, visitor, account, n) VALUES (?1, 'fintech', 'holdout', ?2, 3, 'v:anon', 'anon', NULL, 1)`).bind(site, dayOf(today - 30 * DAY_MS)).run();
    await opportunities(site, [
      // personalized: 6 accounts with new opportunities (one with two), days 2..12 after exposure
      { account: 'p0.example', createdDaysAfter: 2, exposedDaysAgo: 30, amount: 50_000, status: 'won' },
      { account: 'p0.example', createdDaysAfter: 9, exposedDaysAgo: 30, amount: 10_000, status: 'open' },
      { account: 'p1.example', createdDaysAfter: 4, exposedDaysAgo: 30, amount: 20_000, status: 'lost' },
      { account: 'p2.example', createdDaysAfter: 6, exposedDaysAgo: 30, amount: 30_000, status: 'won' },
      { account: 'p3.example', createdDaysAfter: 8, exposedDaysAgo: 30, amount: null, status: 'open' },
      { account: 'p4.example', createdDaysAfter: 10, exposedDaysAgo: 30, amount: 40_000, status: 'open' },
      { account: 'p5.example', createdDaysAfter: 12, exposedDaysAgo: 30, amount: 60_000, status: 'lost' },
      // not attributed: created before the first exposure; an account never exposed; no account
      { account: 'p6.example', createdDaysAfter: -3, exposedDaysAgo: 30, amount: 99_000, status: 'won' },
      { account: 'elsewhere.example', createdDaysAfter: 3, exposedDaysAgo: 30, amount: 99_000, status: 'won' },
      { account: null, createdDaysAfter: 3, exposedDaysAgo: 30, amount: 99_000, status: 'won' },
      // holdout: 2 accounts
      { account: 'h0.example', createdDaysAfter: 20, exposedDaysAgo: 30, amount: 15_000, status: 'won' },
      { account: 'h1.example', createdDaysAfter: 25, exposedDaysAgo: 30, amount: 5_000, status: 'open' },
    ]);
    return site;
  }

  it('counts per arm the accounts exposed, those with a new opportunity after their first exposure, its amount, what was won, the win rate and the days it took', async () => {
    const site = await seeded();
    const r = await get(`site=${site}`);
    expect(r.pipeline).toEqual({ attributionDays: 90, opportunities: 12 });
    const p = r.segments.find((s) => s.segment === 'fintech')!.pipeline;
    expect(p.from).toBe(dayOf(today - 30 * DAY_MS));
    expect(p.arms.personalized).toEqual({
      arm: 'personalized',
      accounts: 40,
      withOpportunity: 6,
      rate: 6 / 40,
      opportunities: 7,
      pipeline: 210_000,
      won: 80_000,
      wonCount: 2,
      lostCount: 2,
      winRate: 0.5,
      pipelinePerAccount: 210_000 / 40,
      medianDaysToOpportunity: 7, // firsts: 2, 4, 6, 8, 10, 12
    });
    expect(p.arms.holdout).toMatchObject({ accounts: 36, withOpportunity: 2, opportunities: 2, pipeline: 20_000, won: 15_000, winRate: 1, medianDaysToOpportunity: 22.5 });
    // two holdout accounts are not enough to compare on
    expect(p.opportunityLift).toMatchObject({ status: 'insufficient', method: 'sequential', conclusion: 'not enough data yet' });
    expect(p.opportunityLift.advice).toContain('Holdout has 2 of 5 conversions');
    expect(p.pipelineLift).toMatchObject({ status: 'insufficient', conclusion: 'not enough data yet' });
  });

  it('counts only opportunities created within the attribution window, which the report may be asked for', async () => {
    const site = await seeded();
    const p = (await get(`site=${site}&attribution=7`)).segments.find((s) => s.segment === 'fintech')!.pipeline;
    // created 2, 4 and 6 days after the exposure's day (9, 10, 12 and the holdout's 20, 25 are past 7 days)
    expect(p.arms.personalized).toMatchObject({ withOpportunity: 3, opportunities: 3, pipeline: 100_000 });
    expect(p.arms.holdout).toMatchObject({ withOpportunity: 0, pipeline: 0, winRate: null, medianDaysToOpportunity: null });
    const bad = await admin('GET', `/report?site=${site}&attribution=0`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { issues: { path: string }[] }).issues[0]!.path).toBe('attribution');
  });

  it('measures the lift on the opportunity rate and on pipeline per account once both arms have enough, as liftOf and meanRatioLift compute them', async () => {
    const site = await seeded();
    // six more holdout accounts with an opportunity each
    await opportunities(
      site,
      [2, 3, 4, 5, 6, 7].map((n) => ({ account: `h${n}.example`, createdDaysAfter: 5, exposedDaysAgo: 30, amount: 1_000 * n, status: 'open' as const })),
      'more',
    );
    const r = await get(`site=${site}&interval=fixed&from=${dayOf(today - 40 * DAY_MS)}`);
    const p = r.segments.find((s) => s.segment === 'fintech')!.pipeline;
    expect(p.arms.holdout).toMatchObject({ withOpportunity: 8, pipeline: 47_000 });
    const opportunityLift = liftOf({ units: 40, converted: 6 }, { units: 36, converted: 8 }, 'fixed');
    expect(p.opportunityLift).toMatchObject({ ...opportunityLift, method: 'fixed' });
    const personalizedAmounts = [60_000, 20_000, 30_000, 0, 40_000, 60_000, ...Array(34).fill(0)];
    const holdoutAmounts = [15_000, 5_000, 2_000, 3_000, 4_000, 5_000, 6_000, 7_000, ...Array(28).fill(0)];
    const pipelineLift = meanRatioLift(sums(personalizedAmounts), sums(holdoutAmounts), 'fixed');
    expect(pipelineLift.status).toBe('ok');
    expect(p.pipelineLift).toMatchObject({ ...pipelineLift, method: 'fixed' });
    // a fixed-sample interval is read once its end date is over: today is not
    expect(p.pipelineLift.conclusion).toBe('keep running');
  });

  it('puts a pipeline row per arm in the CSV', async () => {
    const site = await seeded();
    const res = await admin('GET', `/report?site=${site}&format=csv`);
    const [header, ...lines] = (await res.text()).trim().split('\r\n');
    const columns = header!.split(',');
    const row = (arm: string) => Object.fromEntries(lines.find((l) => l.startsWith(`fintech,Fintech,${arm},pipeline,`))!.split(',').map((v, i) => [columns[i], v]));
    expect(row('personalized')).toMatchObject({ exposed_units: '40', accounts: '40', converted_units: '6', conversion_rate: '0.15', lift_verdict: 'not enough data', opportunities: '7', pipeline: '210000', won: '80000', win_rate: '0.5', median_days_to_opportunity: '7', pipeline_per_account: '5250', pipeline_conclusion: 'not enough data yet' });
    expect(row('holdout')).toMatchObject({ exposed_units: '36', converted_units: '2', opportunities: '2', pipeline: '20000', win_rate: '1', pipeline_conclusion: '' });
  });
});

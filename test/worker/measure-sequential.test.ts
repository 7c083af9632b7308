/**
 * The report's always-valid (sequential) interval: its arithmetic against vectors an independent
 * implementation computed (test/cases/sequential-lift.json, scripts/sequential-vectors.py), a simulation
 * of daily looks (no true effect: it declares a winner in at most ~5 % of runs, where the fixed-sample
 * interval looked at daily does far more often; a true effect: it still finds it), the conclusion in
 * words, and the report route: sequential on every exposure since the segment's first, fixed over the range.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import raw from '../cases/sequential-lift.json';
import { conclude } from '../../shared/measure/conclusion';
import { dayOf, DAY_MS } from '../../shared/measure/days';
import { REPORT_CSV_COLUMNS } from '../../shared/measure/report-csv';
import { mixtureRho, SEQUENTIAL_PLANNED_UNITS, sequentialMultiplier } from '../../shared/measure/sequential';
import { type ArmCounts, type Lift, liftOf, Z_95 } from '../../shared/measure/stats';
import { Report } from '../../shared/schemas';
import { admin, uniqueSite } from './support/admin';
import { seedMeasureSite } from './support/measure';

type Expected = { status: 'insufficient' } | { status: 'ok'; multiplier: number; lift: number; low: number; high: number; difference: number; verdict: string };
interface Vectors {
  alpha: number;
  boundary: { units: number; plannedUnits: number; rho: number; multiplier: number }[];
  lift: { name: string; personalized: ArmCounts; holdout: ArmCounts; plannedUnits: number; fixed: Expected; sequential: Expected }[];
}
const vectors = raw as Vectors;

/** Equal within 1e-9 of the expected value (and 1e-15 absolute, for a lift of exactly 0). */
const close = (actual: number, expected: number, what: string) => expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-9 * Math.abs(expected) + 1e-15);

describe('sequential interval: vectors from an independent implementation', () => {
  it.each(vectors.boundary)('the boundary after $units units, tuned for $plannedUnits, is $multiplier standard errors', ({ units, plannedUnits, rho, multiplier }) => {
    close(mixtureRho(plannedUnits), rho, 'rho');
    close(sequentialMultiplier(units, plannedUnits), multiplier, 'multiplier');
  });

  it('is tightest at the planned units and never narrower than the fixed-sample interval', () => {
    const at = (units: number) => sequentialMultiplier(units);
    expect(at(SEQUENTIAL_PLANNED_UNITS)).toBeLessThan(at(SEQUENTIAL_PLANNED_UNITS * 0.8));
    expect(at(SEQUENTIAL_PLANNED_UNITS)).toBeLessThan(at(SEQUENTIAL_PLANNED_UNITS * 1.25));
    for (const units of [60, 1e3, 1e4, 1e5, 1e6, 1e8]) expect(at(units)).toBeGreaterThan(Z_95);
  });

  describe.each(['fixed', 'sequential'] as const)('liftOf, %s', (method) => {
    it.each(vectors.lift)('$name', (v) => {
      const expected = v[method];
      const lift = liftOf(v.personalized, v.holdout, method, v.plannedUnits);
      expect(lift.status).toBe(expected.status);
      if (lift.status !== 'ok' || expected.status !== 'ok') return;
      for (const key of ['lift', 'low', 'high', 'difference'] as const) close(lift[key], expected[key], key);
      expect(lift.verdict).toBe(expected.verdict);
    });
  });
});

/** mulberry32: a small seeded PRNG, uniform on [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A binomial(n, p) draw by inversion of its CDF: about n·p steps, exact. */
function binomial(n: number, p: number, random: () => number): number {
  const ratio = p / (1 - p);
  let pk = (1 - p) ** n;
  let cdf = pk;
  let k = 0;
  const u = random();
  while (u > cdf && k < n) {
    pk *= ((n - k) / (k + 1)) * ratio;
    k++;
    cdf += pk;
  }
  return k;
}

interface Scenario {
  /** Units exposed per day in each arm. */
  personalized: number;
  holdout: number;
  /** The holdout's conversion rate, and the true relative lift of personalized over it. */
  base: number;
  trueLift: number;
  seed: number;
}
const RUNS = 2000;
const DAYS = 60;

/**
 * RUNS experiments of DAYS days, each looked at after every day (on everything since day 1): how often
 * each interval declared a winner (better or worse) at any look, how often at the last look only, and
 * how often the sequential one found personalized better, with the median day it first did.
 */
function simulate({ personalized, holdout, base, trueLift, seed }: Scenario) {
  const random = prng(seed);
  const p1 = base * (1 + trueLift);
  let sequentialAny = 0;
  let fixedAny = 0;
  let fixedLast = 0;
  let sequentialLast = 0;
  let sequentialBetter = 0;
  const firstDays: number[] = [];
  const declared = (l: Lift) => l.status === 'ok' && l.verdict !== 'inconclusive';
  for (let run = 0; run < RUNS; run++) {
    const a = { units: 0, converted: 0 };
    const b = { units: 0, converted: 0 };
    let seq = false;
    let fixed = false;
    let better = false;
    for (let day = 1; day <= DAYS; day++) {
      a.units += personalized;
      a.converted += binomial(personalized, p1, random);
      b.units += holdout;
      b.converted += binomial(holdout, base, random);
      const s = liftOf(a, b, 'sequential');
      const f = liftOf(a, b, 'fixed');
      if (declared(s) && !seq) {
        seq = true;
        if (s.status === 'ok' && s.verdict === 'better') {
          better = true;
          firstDays.push(day);
        }
      }
      fixed ||= declared(f);
      if (day === DAYS) {
        fixedLast += Number(declared(f));
        sequentialLast += Number(declared(s));
      }
    }
    sequentialAny += Number(seq);
    fixedAny += Number(fixed);
    sequentialBetter += Number(better);
  }
  firstDays.sort((x, y) => x - y);
  return {
    sequentialAny: sequentialAny / RUNS,
    fixedAny: fixedAny / RUNS,
    fixedLast: fixedLast / RUNS,
    sequentialLast: sequentialLast / RUNS,
    sequentialBetter: sequentialBetter / RUNS,
    medianDay: firstDays.length ? firstDays[Math.floor(firstDays.length / 2)]! : null,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

describe(`sequential interval: ${RUNS} simulated experiments looked at every day for ${DAYS} days`, () => {
  it.each([
    { name: 'equal arms, 300 units a day each', scenario: { personalized: 300, holdout: 300, base: 0.05, trueLift: 0, seed: 17 } },
    { name: 'a 10 % holdout, 900 and 100 units a day', scenario: { personalized: 900, holdout: 100, base: 0.05, trueLift: 0, seed: 1017 } },
  ])('no true effect ($name, 5 % conversion): the sequential interval declares a winner in at most ~5 % of runs, the fixed one far more', ({ name, scenario }) => {
    const r = simulate(scenario);
    console.log(
      `no effect, ${name}: sequential declared a winner in ${pct(r.sequentialAny)} of runs (at day ${DAYS} alone: ${pct(r.sequentialLast)}); ` +
        `fixed-sample looked at daily ${pct(r.fixedAny)}, at day ${DAYS} alone ${pct(r.fixedLast)}`,
    );
    // 5 % plus binomial slack: the standard error of a rate near 5 % over 2,000 runs is 0.5 points
    expect(r.sequentialAny).toBeLessThanOrEqual(0.06);
    expect(r.fixedAny).toBeGreaterThan(0.1);
    // a single look at the end is what the fixed-sample interval is for: about 5 %
    expect(r.fixedLast).toBeGreaterThan(0.03);
    expect(r.fixedLast).toBeLessThan(0.07);
  });

  it.each([
    { name: 'equal arms, 300 units a day each', scenario: { personalized: 300, holdout: 300, base: 0.05, trueLift: 0.3, seed: 29 } },
    { name: 'a 10 % holdout, 900 and 100 units a day', scenario: { personalized: 900, holdout: 100, base: 0.05, trueLift: 0.3, seed: 1029 } },
  ])('a true +30 % lift ($name, 5 % base): the sequential interval finds personalized better in most runs by day 60', ({ name, scenario }) => {
    const r = simulate(scenario);
    console.log(`+30 % lift, ${name}: sequential found personalized better in ${pct(r.sequentialBetter)} of runs, on day ${r.medianDay} at the median`);
    expect(r.sequentialBetter).toBeGreaterThanOrEqual(0.8);
  });
});

describe('the conclusion in words', () => {
  const range = { from: '2026-11-01', to: '2026-11-30' };
  const ok = (low: number, high: number): Lift => ({ status: 'ok', lift: (low + high) / 2, low, high, difference: 0, verdict: low > 0 ? 'better' : high < 0 ? 'worse' : 'inconclusive' });

  it('sequential: better, worse or keep running, whatever the day', () => {
    for (const final of [false, true]) {
      expect(conclude(ok(0.04, 0.3), 'sequential', { ...range, final })).toEqual({ conclusion: 'personalized is better', advice: expect.stringMatching(/^The always-valid 95% interval \(\+4% to \+30%\) excludes no change: personalized converts \+17% against the holdout/) });
      expect(conclude(ok(-0.3, -0.05), 'sequential', { ...range, final })).toEqual({ conclusion: 'holdout is better', advice: expect.stringContaining('against the page as written') });
      expect(conclude(ok(-0.03, 0.29), 'sequential', { ...range, final })).toEqual({ conclusion: 'keep running', advice: expect.stringMatching(/^The always-valid 95% interval \(−3% to \+29%\) still includes no change/) });
    }
  });

  it('fixed: keep running until the end date is over, then better, worse or no difference shown', () => {
    for (const lift of [ok(0.04, 0.3), ok(-0.3, -0.05), ok(-0.03, 0.29)])
      expect(conclude(lift, 'fixed', { ...range, final: false })).toEqual({ conclusion: 'keep running', advice: expect.stringContaining('read once, after its end date 2026-11-30') });
    expect(conclude(ok(0.04, 0.3), 'fixed', { ...range, final: true }).conclusion).toBe('personalized is better');
    expect(conclude(ok(-0.3, -0.05), 'fixed', { ...range, final: true }).conclusion).toBe('holdout is better');
    expect(conclude(ok(-0.03, 0.29), 'fixed', { ...range, final: true })).toEqual({
      conclusion: 'no difference shown',
      advice: expect.stringContaining('The planned test from 2026-11-01 to 2026-11-30 ended'),
    });
  });

  it('not enough data yet, saying what is missing', () => {
    for (const method of ['fixed', 'sequential'] as const) {
      const r = conclude(liftOf({ units: 1000, converted: 3 }, { units: 12, converted: 1 }, method), method, { ...range, final: true });
      expect(r).toEqual({ conclusion: 'not enough data yet', advice: 'Personalized has 3 of 5 conversions; holdout has 12 of 30 exposed. The lift is measured once each arm has 30 exposed units and 5 conversions.' });
    }
  });
});

/** `units` exposed units of one arm on `day`, the first `converted` of them converting on cta: roll-up rows, as the queue's consumer writes them. */
async function seedArm(site: string, arm: 'personalized' | 'holdout', day: string, units: number, converted: number) {
  const ids = JSON.stringify(Array.from({ length: units }, (_, i) => i));
  const unit = `'v:${arm}-${day}-' || value`;
  await env.EVENTS_DB.batch([
    env.EVENTS_DB.prepare(
      `INSERT INTO exposures (site, segment, arm, day, version, unit, visitor, account, n)
       SELECT ?1, 'fintech', ?2, ?3, 3, ${unit}, 'visitor-' || value, NULL, 1 FROM json_each(?4)`,
    ).bind(site, arm, day, ids),
    env.EVENTS_DB.prepare(
      `INSERT INTO conversions (site, segment, arm, goal, day, version, unit, n)
       SELECT ?1, 'fintech', ?2, 'cta', ?3, 3, ${unit}, 1 FROM json_each(?4) WHERE value < ?5`,
    ).bind(site, arm, day, ids, converted),
  ]);
}

describe('GET /api/admin/report: which data each interval is computed on', () => {
  const today = Date.now();
  const start = dayOf(today - 20 * DAY_MS);
  const recent = dayOf(today - 2 * DAY_MS);
  const yesterday = dayOf(today - DAY_MS);

  async function seeded() {
    const site = uniqueSite('seq');
    await seedMeasureSite(site);
    // the segment's first exposures, 20 days ago, then a few 2 days ago
    await seedArm(site, 'personalized', start, 400, 80);
    await seedArm(site, 'holdout', start, 400, 30);
    await seedArm(site, 'personalized', recent, 20, 4);
    await seedArm(site, 'holdout', recent, 20, 1);
    return site;
  }
  const get = async (query: string) => {
    const res = await admin('GET', `/report?${query}`);
    expect(res.status, await res.clone().text()).toBe(200);
    return Report.parse(await res.json());
  };

  it('sequential (the default): every exposure since the segment first was, however late the range starts', async () => {
    const site = await seeded();
    const r = await get(`site=${site}&from=${recent}`);
    expect(r.interval).toBe('sequential');
    const s = r.segments.find((x) => x.segment === 'fintech')!;
    // the range's own counts: the recent day only
    expect(s.arms.personalized).toMatchObject({ units: 20, conversions: { cta: { units: 4 } } });
    const lift = s.lift.cta!;
    const sample = { from: start, to: dayOf(today), personalized: { units: 420, converted: 84 }, holdout: { units: 420, converted: 31 } };
    expect(lift).toMatchObject({ method: 'sequential', sample, ...liftOf(sample.personalized, sample.holdout, 'sequential') });
    expect(lift).toMatchObject({ status: 'ok', verdict: 'better', conclusion: 'personalized is better', advice: expect.stringContaining('always-valid 95% interval') });
    // a goal nobody reached: not enough data, saying so
    expect(s.lift.submit).toMatchObject({ status: 'insufficient', method: 'sequential', conclusion: 'not enough data yet', advice: expect.stringContaining('Personalized has 0 of 5 conversions') });
  });

  it('fixed: the range only; keep running until its end date is over, then the verdict', async () => {
    const site = await seeded();
    const short = await get(`site=${site}&from=${recent}&interval=fixed`);
    expect(short.interval).toBe('fixed');
    expect(short.segments[0]!.lift.cta).toMatchObject({
      status: 'insufficient',
      method: 'fixed',
      sample: { from: recent, personalized: { units: 20, converted: 4 }, holdout: { units: 20, converted: 1 } },
      conclusion: 'not enough data yet',
    });
    const open = await get(`site=${site}&from=${start}&interval=fixed`);
    expect(open.segments[0]!.lift.cta).toMatchObject({ status: 'ok', method: 'fixed', verdict: 'better', conclusion: 'keep running' });
    const ended = await get(`site=${site}&from=${start}&to=${yesterday}&interval=fixed`);
    expect(ended.segments[0]!.lift.cta).toMatchObject({
      method: 'fixed',
      sample: { from: start, to: yesterday, personalized: { units: 420, converted: 84 } },
      ...liftOf({ units: 420, converted: 84 }, { units: 420, converted: 31 }, 'fixed'),
      conclusion: 'personalized is better',
    });
  });

  it('refuses an unknown interval with a 400 naming the field', async () => {
    const res = await admin('GET', '/report?site=demo&interval=peeking');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { issues: { path: string }[] }).issues[0]!.path).toBe('interval');
  });

  it('the CSV carries the interval, the data it was computed on and the conclusion', async () => {
    const site = await seeded();
    const res = await admin('GET', `/report?site=${site}&from=${recent}&format=csv`);
    expect(res.status).toBe(200);
    const [header, ...lines] = (await res.text()).trim().split('\r\n');
    expect(header!.split(',').slice(15, 21)).toEqual(['lift_interval', 'lift_from', 'lift_to', 'lift_exposed_units', 'lift_converted_units', 'conclusion']);
    expect(header!.split(',')).toEqual([...REPORT_CSV_COLUMNS]);
    const row = (arm: string) => lines.find((l) => l.startsWith(`fintech,Fintech,${arm},cta,,,`))!.split(',');
    expect(row('personalized').slice(14, 21)).toEqual(['better', 'sequential', start, dayOf(today), '420', '84', 'personalized is better']);
    expect(row('holdout').slice(15, 21)).toEqual(['sequential', start, dayOf(today), '420', '31', '']);
  });
});

/**
 * The report's always-valid (sequential) interval: its arithmetic against vectors an independent
 * implementation computed (test/cases/sequential-lift.json, scripts/sequential-vectors.py), a simulation
 * of daily looks (no true effect: it declares a winner in at most ~5 % of runs, where the fixed-sample
 * interval looked at daily does far more often; a true effect: it still finds it).
 */
import { describe, expect, it } from 'vitest';
import raw from '../cases/sequential-lift.json';
import { mixtureRho, SEQUENTIAL_PLANNED_UNITS, sequentialMultiplier } from '../../shared/measure/sequential';
import { type ArmCounts, type Lift, liftOf, Z_95 } from '../../shared/measure/stats';

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

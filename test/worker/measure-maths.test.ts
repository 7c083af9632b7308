import { describe, expect, it } from 'vitest';
import { assignArm, assignmentUnit, bucketOf } from '../../shared/measure/assign';
import { liftOf, MIN_CONVERSIONS_PER_ARM, MIN_UNITS_PER_ARM } from '../../shared/measure/stats';

const ids = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('holdout assignment', () => {
  it('gives the same arm to the same site, segment and unit every time', () => {
    for (const unit of ids(1000, 'a:account-')) {
      const first = assignArm('demo', 'fintech', unit, 0.1);
      for (let i = 0; i < 3; i++) expect(assignArm('demo', 'fintech', unit, 0.1)).toBe(first);
    }
  });

  it.each([0.05, 0.1, 0.2, 0.5])('holds out %s of 100,000 sequential visitor ids within ±1 point', (share) => {
    const held = ids(100_000, 'v:visitor-').filter((unit) => assignArm('demo', 'evaluating', unit, share) === 'holdout').length;
    expect(Math.abs(held / 100_000 - share)).toBeLessThan(0.01);
  });

  it('holds out 10% of 100,000 random-looking account domains within ±1 point', () => {
    const domains = ids(100_000, '').map((i) => `a:${(Number(i) * 2654435761 >>> 0).toString(36)}.example`);
    const held = domains.filter((unit) => assignArm('acme', 'startups', unit, 0.1) === 'holdout').length;
    expect(Math.abs(held / 100_000 - 0.1)).toBeLessThan(0.01);
  });

  it('draws independently per segment: being held out of one segment says little about another', () => {
    const units = ids(20_000, 'a:co-');
    const both = units.filter((u) => bucketOf('demo', 'one', u) < 0.5 && bucketOf('demo', 'two', u) < 0.5).length;
    expect(Math.abs(both / units.length - 0.25)).toBeLessThan(0.02);
  });

  it('never holds out with a share of 0 or without a unit to draw for', () => {
    expect(ids(1000, 'v:x').every((u) => assignArm('demo', 's', u, 0) === 'personalized')).toBe(true);
    expect(assignArm('demo', 's', undefined, 0.5)).toBe('personalized');
  });

  it('draws for the account when one is resolved, so every visitor of a company shares one arm', () => {
    expect(assignmentUnit('acme.com', 'visitor-1')).toBe('a:acme.com');
    expect(assignmentUnit('acme.com', 'visitor-2')).toBe('a:acme.com');
    expect(assignmentUnit(undefined, 'visitor-1')).toBe('v:visitor-1');
    expect(assignmentUnit(undefined, undefined)).toBeUndefined();
  });
});

describe('lift and its 95% interval', () => {
  it('matches the Katz log interval computed by hand for 20% vs 15% on 1,000 each', () => {
    // ln(4/3) ± 1.96·sqrt(1/200 − 1/1000 + 1/150 − 1/1000) = 0.287682 ± 0.192705
    const lift = liftOf({ units: 1000, converted: 200 }, { units: 1000, converted: 150 });
    expect(lift).toMatchObject({ status: 'ok', verdict: 'better' });
    if (lift.status !== 'ok') return;
    expect(lift.lift).toBeCloseTo(1 / 3, 10);
    expect(lift.low).toBeCloseTo(Math.exp(0.2876821 - 0.1927050) - 1, 5);
    expect(lift.high).toBeCloseTo(Math.exp(0.2876821 + 0.1927050) - 1, 5);
    expect(lift.difference).toBeCloseTo(0.05, 12);
  });

  it('is inconclusive when both arms convert alike, and the interval straddles zero', () => {
    const lift = liftOf({ units: 900, converted: 90 }, { units: 100, converted: 10 });
    expect(lift).toMatchObject({ status: 'ok', lift: expect.closeTo(0, 12), verdict: 'inconclusive' });
    if (lift.status !== 'ok') return;
    expect(lift.low).toBeLessThan(0);
    expect(lift.high).toBeGreaterThan(0);
  });

  it('says worse when the personalized page converts less', () => {
    expect(liftOf({ units: 4000, converted: 200 }, { units: 1000, converted: 80 })).toMatchObject({ status: 'ok', verdict: 'worse' });
  });

  it('narrows as the holdout grows', () => {
    const small = liftOf({ units: 1000, converted: 120 }, { units: 100, converted: 10 });
    const large = liftOf({ units: 10000, converted: 1200 }, { units: 1000, converted: 100 });
    if (small.status !== 'ok' || large.status !== 'ok') throw new Error('expected both ok');
    expect(large.high - large.low).toBeLessThan((small.high - small.low) / 2);
  });

  it('says "not enough data yet" below the minimum units or conversions of either arm, naming what is short', () => {
    const fewUnits = liftOf({ units: 1000, converted: 100 }, { units: MIN_UNITS_PER_ARM - 1, converted: 10 });
    expect(fewUnits).toEqual({ status: 'insufficient', reason: expect.stringContaining(`holdout has ${MIN_UNITS_PER_ARM - 1} of ${MIN_UNITS_PER_ARM} exposed`) });
    const fewConversions = liftOf({ units: 1000, converted: MIN_CONVERSIONS_PER_ARM - 1 }, { units: 500, converted: 40 });
    expect(fewConversions).toEqual({ status: 'insufficient', reason: expect.stringContaining('personalized has 4 of 5 conversions') });
    expect(liftOf({ units: 0, converted: 0 }, { units: 0, converted: 0 }).status).toBe('insufficient');
  });
});

/**
 * Lift of the personalized page over the holdout, with a 95% interval.
 *
 * Relative lift is the ratio of the two conversion rates minus one. Its interval is built on the log of
 * that ratio and its delta-method variance (Katz's log method for a ratio of two independent
 * proportions), log(RR) ± m·sqrt(1/x₁ − 1/n₁ + 1/x₀ − 1/n₀), with
 * - `fixed`: m = z = 1.96, valid for one look at a sample size fixed in advance;
 * - `sequential`: m from the confidence sequence of ./sequential.ts, valid however often it is looked at.
 */
import type { IntervalMethod } from '../schemas/report';
import { SEQUENTIAL_PLANNED_UNITS, sequentialMultiplier } from './sequential';

export const Z_95 = 1.959963984540054;

/** Below these the normal approximation is poor and the report says "not enough data yet". */
export const MIN_UNITS_PER_ARM = 30;
export const MIN_CONVERSIONS_PER_ARM = 5;

export interface ArmCounts {
  /** Units (accounts, or visitors without one) exposed. */
  units: number;
  /** Of those, units that converted. */
  converted: number;
}

export type Lift =
  | { status: 'insufficient'; reason: string }
  | {
      status: 'ok';
      /** (personalized rate / holdout rate) − 1, e.g. 0.25 for +25 %. */
      lift: number;
      low: number;
      high: number;
      /** Personalized rate minus holdout rate, in points of probability. */
      difference: number;
      /** `better` or `worse` when the interval excludes no change. */
      verdict: 'better' | 'worse' | 'inconclusive';
    };

export const rate = (arm: ArmCounts): number => (arm.units > 0 ? arm.converted / arm.units : 0);

/** What is short of MIN_UNITS_PER_ARM / MIN_CONVERSIONS_PER_ARM, arm by arm; empty when both arms have enough. */
export function shortOf(personalized: ArmCounts, holdout: ArmCounts): string[] {
  const short: string[] = [];
  for (const [name, arm] of [['personalized', personalized], ['holdout', holdout]] as const) {
    if (arm.units < MIN_UNITS_PER_ARM) short.push(`${name} has ${arm.units} of ${MIN_UNITS_PER_ARM} exposed`);
    else if (arm.converted < MIN_CONVERSIONS_PER_ARM) short.push(`${name} has ${arm.converted} of ${MIN_CONVERSIONS_PER_ARM} conversions`);
  }
  return short;
}

/** The lift and its interval; `fixed` (Katz, z = 1.96) unless told `sequential`. */
export function liftOf(personalized: ArmCounts, holdout: ArmCounts, method: IntervalMethod = 'fixed', plannedUnits = SEQUENTIAL_PLANNED_UNITS): Lift {
  const short = shortOf(personalized, holdout);
  if (short.length) return { status: 'insufficient', reason: `not enough data yet: ${short.join('; ')}` };

  const p1 = rate(personalized);
  const p0 = rate(holdout);
  const logRatio = Math.log(p1 / p0);
  const se = Math.sqrt(1 / personalized.converted - 1 / personalized.units + 1 / holdout.converted - 1 / holdout.units);
  const m = method === 'fixed' ? Z_95 : sequentialMultiplier(personalized.units + holdout.units, plannedUnits);
  const low = Math.exp(logRatio - m * se) - 1;
  const high = Math.exp(logRatio + m * se) - 1;
  return {
    status: 'ok',
    lift: p1 / p0 - 1,
    low,
    high,
    difference: p1 - p0,
    verdict: low > 0 ? 'better' : high < 0 ? 'worse' : 'inconclusive',
  };
}

/**
 * Pipeline per segment and arm (the report's Pipeline goal): the accounts exposed, those with a new
 * opportunity created within the attribution window after their first exposure, its amount, what was
 * won, the win rate and how long it took; and the lift of personalized over holdout on the opportunity
 * rate (a proportion: ./stats.ts liftOf) and on pipeline per exposed account (a ratio of two means).
 *
 * The ratio of means gets the same treatment as the rates' ratio: its log, with the delta-method variance
 * s₁²/(n₁x̄₁²) + s₀²/(n₀x̄₀²) (s² the sample variance of pipeline per exposed account, zeros included), and
 * the multiplier of the chosen interval (z = 1.96, or the confidence sequence of ./sequential.ts).
 */
import type { IntervalMethod } from '../schemas/report';
import { type Lift, MIN_CONVERSIONS_PER_ARM, MIN_UNITS_PER_ARM, Z_95 } from './stats';
import { SEQUENTIAL_PLANNED_UNITS, sequentialMultiplier } from './sequential';

/** How long after an account's first exposure a new opportunity counts for the segment, unless the report is asked for another window. */
export const DEFAULT_ATTRIBUTION_DAYS = 90;
export const MAX_ATTRIBUTION_DAYS = 365;

/** Pipeline per exposed account in one arm, as sums (what the store answers). */
export interface AmountSums {
  /** Accounts exposed. */
  n: number;
  /** Of those, accounts with pipeline (an attributed opportunity with an amount). */
  positive: number;
  sum: number;
  sumSquares: number;
}

/** (mean pipeline per exposed account, personalized) / (the same, holdout) − 1, with its 95 % interval. */
export function meanRatioLift(personalized: AmountSums, holdout: AmountSums, method: IntervalMethod = 'fixed', plannedUnits = SEQUENTIAL_PLANNED_UNITS): Lift {
  const short: string[] = [];
  for (const [name, arm] of [['personalized', personalized], ['holdout', holdout]] as const) {
    if (arm.n < MIN_UNITS_PER_ARM) short.push(`${name} has ${arm.n} of ${MIN_UNITS_PER_ARM} exposed accounts`);
    else if (arm.positive < MIN_CONVERSIONS_PER_ARM || arm.sum <= 0) short.push(`${name} has ${arm.positive} of ${MIN_CONVERSIONS_PER_ARM} accounts with pipeline`);
  }
  if (short.length) return { status: 'insufficient', reason: `not enough data yet: ${short.join('; ')}` };
  const mean = (a: AmountSums) => a.sum / a.n;
  // the sample variance (n − 1) from the sums, never below 0 for rounding
  const variance = (a: AmountSums) => Math.max(0, (a.sumSquares - (a.sum * a.sum) / a.n) / (a.n - 1));
  const m1 = mean(personalized);
  const m0 = mean(holdout);
  const se = Math.sqrt(variance(personalized) / (personalized.n * m1 * m1) + variance(holdout) / (holdout.n * m0 * m0));
  const m = method === 'fixed' ? Z_95 : sequentialMultiplier(personalized.n + holdout.n, plannedUnits);
  const logRatio = Math.log(m1 / m0);
  const low = Math.exp(logRatio - m * se) - 1;
  const high = Math.exp(logRatio + m * se) - 1;
  return { status: 'ok', lift: m1 / m0 - 1, low, high, difference: m1 - m0, verdict: low > 0 ? 'better' : high < 0 ? 'worse' : 'inconclusive' };
}

/** The middle value (the mean of the two middle ones for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

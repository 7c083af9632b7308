/**
 * The always-valid (sequential) 95 % interval: an asymptotic confidence sequence.
 *
 * Waudby-Smith, Arbour, Sinha, Kennedy, Ramdas, "Time-uniform central limit theory and asymptotic
 * confidence sequences" (arXiv:2103.06476, 2023; Annals of Statistics 2024): for an estimate whose variance
 * is σ²/t after t observations, θ̂_t ± σ̂·sqrt(2(tρ² + 1) / (t²ρ²) · ln(sqrt(tρ² + 1) / α)) covers θ at
 * every t at once with probability → 1 − α (their eq. 9, the two-sided normal-mixture boundary of Howard
 * et al., "Time-uniform, nonparametric, nonasymptotic confidence sequences", Annals of Statistics 2021). So the interval may be
 * looked at every day, and acted on the first day it excludes no change, without inflating the 5 %.
 * It is what GrowthBook's sequential testing computes (gbstats, SequentialTwoSidedTTest).
 *
 * Here θ is ln(personalized rate / holdout rate), t the units exposed in both arms and σ̂²/t the delta-method
 * (Katz) variance of the log ratio: the same estimate as the fixed-sample interval, with a wider multiplier.
 */

/** Two-sided: the sequence's probability of ever excluding the true lift. */
export const SEQUENTIAL_ALPHA = 0.05;

/**
 * The units exposed (both arms) at which the sequence is tightest: it sets the mixture's ρ (eq. 161 of
 * the paper). Any value keeps the guarantee; this one (GrowthBook's default) suits a segment with a few
 * thousand units a month, and the width grows only slowly past it (×1.07 at 10× the units).
 */
export const SEQUENTIAL_PLANNED_UNITS = 5000;

/** ρ of the normal mixture tightest at `plannedUnits` observations: sqrt((−2 ln α + ln(1 − 2 ln α)) / N). */
export function mixtureRho(plannedUnits = SEQUENTIAL_PLANNED_UNITS, alpha = SEQUENTIAL_ALPHA): number {
  const l = -2 * Math.log(alpha);
  return Math.sqrt((l + Math.log(l + 1)) / plannedUnits);
}

/**
 * What replaces z = 1.96 after `units` observations: the half-width of the confidence sequence in
 * standard errors, sqrt(2(tρ² + 1)/(tρ²) · ln(sqrt(tρ² + 1)/α)): 3.04 at the planned units, more
 * before (8.4 at 60 units, 3.4 at 1,000), 3.24 at ten times the planned units.
 */
export function sequentialMultiplier(units: number, plannedUnits = SEQUENTIAL_PLANNED_UNITS, alpha = SEQUENTIAL_ALPHA): number {
  const r2 = mixtureRho(plannedUnits, alpha) ** 2;
  const v = units * r2;
  return Math.sqrt((2 * (v + 1)) / v * Math.log(Math.sqrt(v + 1) / alpha));
}

/** Numbers and days of the Report view, in words ("+33%", "12.5%", "2026-12-02"). */
import { DAY_MS, dayOf } from '../../shared/measure/days';
import type { SegmentReport } from '../../shared/schemas';

/** Every day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); t <= end; t += DAY_MS) days.push(dayOf(t));
  return days;
}

export const count = (n: number) => n.toLocaleString('en');

/** A conversion rate: "12.5%". */
export const pct = (rate: number) => `${(rate * 100).toFixed(1)}%`;

/** A relative change with its sign: "+33%", "−8%", "+2.5%"; finer below 10% (the report's conclusions word it alike). */
export { signedPct } from '../../shared/measure/conclusion';

/** A difference of two rates in percentage points: "+3.1 points". */
export function signedPoints(x: number): string {
  const n = Number(Math.abs(x * 100).toFixed(1));
  return `${n === 0 ? '' : x > 0 ? '+' : '−'}${n} ${n === 1 ? 'point' : 'points'}`;
}

export interface ArmPoint {
  units: number;
  converted: number;
}
export interface DayPoint {
  /** The first day of the bucket. */
  day: string;
  personalized: ArmPoint;
  holdout: ArmPoint;
}

/** Most bars a chart draws: longer ranges sum several days per bar. */
const MAX_BARS = 62;

/**
 * Exposed and converted units per day (of one goal) for both arms, every day of the range present,
 * in buckets of `size` days when the range is longer than MAX_BARS days (each bucket sums its days).
 */
export function dayPoints(report: SegmentReport, from: string, to: string, goal: string): { size: number; points: DayPoint[] } {
  const days = daysBetween(from, to);
  const size = Math.max(1, Math.ceil(days.length / MAX_BARS));
  const index = new Map(days.map((d, i) => [d, Math.floor(i / size)]));
  const points: DayPoint[] = [];
  for (let i = 0; i < days.length; i += size)
    points.push({ day: days[i]!, personalized: { units: 0, converted: 0 }, holdout: { units: 0, converted: 0 } });
  for (const d of report.days) {
    const i = index.get(d.day);
    if (i === undefined) continue;
    const p = points[i]![d.arm];
    p.units += d.units;
    p.converted += d.conversions[goal] ?? 0;
  }
  return { size, points };
}

/** A round axis maximum at or above `n` whose half is a whole number too: 2, 4, 6, 10, 20, 40, 60, 100… */
export function niceMax(n: number): number {
  if (n <= 2) return 2;
  const step = 10 ** Math.floor(Math.log10(n));
  return [1, 2, 4, 6, 10].map((m) => m * step).find((m) => m >= n && m % 2 === 0)!;
}

/**
 * What a marketer may conclude from a lift today, in words: the one place the report's verdict words
 * come from (the API carries them, the admin's cards and the CSV show them).
 */
import type { Conclusion, IntervalMethod } from '../schemas/report';
import { type Lift, MIN_CONVERSIONS_PER_ARM, MIN_UNITS_PER_ARM } from './stats';

/** A relative change with its sign: "+33%", "−8%", "+2.5%"; finer below 10%. */
export function signedPct(x: number): string {
  const n = Math.abs(x * 100);
  const digits = Number(n.toFixed(n < 10 ? 1 : 0));
  return digits === 0 ? '0%' : `${x > 0 ? '+' : '−'}${digits}%`;
}

export interface Reading {
  conclusion: Conclusion;
  /** Why, or what is missing, in a sentence or two that follow the conclusion ("Keep running. The interval…"). */
  advice: string;
}

/**
 * The conclusion of `lift` computed with `method` on the data from `from` to `to`. `final`: the day `to`
 * is over. A fixed-sample interval is read once, at its pre-registered end: before that it says keep
 * running whatever it shows, and at the end an interval across no change means no difference was shown
 * (running on would be peeking). The always-valid interval may be acted on any day.
 */
export function conclude(lift: Lift, method: IntervalMethod, { from, to, final }: { from: string; to: string; final: boolean }): Reading {
  if (lift.status === 'insufficient') {
    const missing = lift.reason.replace(/^not enough data yet:\s*/, '');
    return {
      conclusion: 'not enough data yet',
      advice: `${missing.charAt(0).toUpperCase()}${missing.slice(1)}. The lift is measured once each arm has ${MIN_UNITS_PER_ARM} exposed units and ${MIN_CONVERSIONS_PER_ARM} conversions.`,
    };
  }
  const range = `${signedPct(lift.low)} to ${signedPct(lift.high)}`;
  const converts = (against: string) => `personalized converts ${signedPct(lift.lift)} against ${against}`;
  if (method === 'sequential') {
    if (lift.verdict === 'better')
      return { conclusion: 'personalized is better', advice: `The always-valid 95% interval (${range}) excludes no change: ${converts('the holdout')}. You may stop the test here.` };
    if (lift.verdict === 'worse')
      return { conclusion: 'holdout is better', advice: `The always-valid 95% interval (${range}) excludes no change: ${converts('the page as written')}. Review this segment's content.` };
    return { conclusion: 'keep running', advice: `The always-valid 95% interval (${range}) still includes no change. It allows a look every day: check again tomorrow.` };
  }
  if (!final)
    return {
      conclusion: 'keep running',
      advice: `This fixed-sample interval (${range}) is read once, after its end date ${to}: acting on it earlier overstates the evidence. To decide before then, use the always-valid interval.`,
    };
  const test = `the planned test from ${from} to ${to}`;
  if (lift.verdict === 'better') return { conclusion: 'personalized is better', advice: `Over ${test} ${converts('the holdout')}, and the 95% interval (${range}) excludes no change.` };
  if (lift.verdict === 'worse') return { conclusion: 'holdout is better', advice: `Over ${test} ${converts('the page as written')}, and the 95% interval (${range}) excludes no change.` };
  return {
    conclusion: 'no difference shown',
    advice: `${test.charAt(0).toUpperCase()}${test.slice(1)} ended with a 95% interval (${range}) that includes no change. Extending it and looking again would be peeking: start a new test, or use the always-valid interval.`,
  };
}

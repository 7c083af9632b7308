import type { ActivityDigest, ActivitySummary, BehaviourCondition } from '../schemas';
import { ALL_PAGES } from '../activity/digest';
import { DAY_MS } from '../measure/days';

/**
 * Behavioural conditions over an account's activity digest (shared/activity/digest.ts), evaluated at an
 * explicit time `now` (epoch ms) so tests, previews and the edge agree. Pure: no clock, no storage.
 *
 * A view is "in the last D days" when `now - at < D days`; a view stamped a little after `now` (clocks
 * of two machines) counts as age 0. Without activity no behavioural condition holds.
 *
 * "At least min" is exact from the newest view times the digest keeps; only when all of them are in
 * the window and do not reach `min` are older views added from their per-day counts (a day counts by
 * its middle), and distinct visitors or sessions beyond the kept ones count as in the window.
 */

export { DAY_MS };

const ageOf = (at: number, now: number) => Math.max(0, now - at);
const within = (at: number, now: number, days: number | undefined) => days === undefined || ageOf(at, now) < days * DAY_MS;
const dayMiddle = (day: number) => day * DAY_MS + DAY_MS / 2;

function countViews(digest: ActivityDigest, now: number, days: number, group: string | undefined): number {
  const entry = digest.views[group ?? ALL_PAGES];
  if (!entry) return 0;
  const n = entry.t.filter((at) => within(at, now, days)).length;
  if (n < entry.t.length || !entry.tail) return n;
  return entry.tail.reduce((sum, [day, count]) => sum + (within(dayMiddle(day), now, days) ? count : 0), n);
}

function countDistinct(times: readonly number[], more: number, now: number, days: number): number {
  const n = times.filter((at) => within(at, now, days)).length;
  return n === times.length ? n + more : n;
}

/** Σ 0.5^(age / halfLife) over the views (of `group`, within `days` when given): 1 for a view now, ½ one half-life ago. */
export function engagementScore(digest: ActivityDigest, now: number, halfLifeDays: number, group?: string, days?: number): number {
  const entry = digest.views[group ?? ALL_PAGES];
  if (!entry) return 0;
  const halfLife = halfLifeDays * DAY_MS;
  const weight = (at: number) => (within(at, now, days) ? 0.5 ** (ageOf(at, now) / halfLife) : 0);
  let score = 0;
  for (const at of entry.t) score += weight(at);
  for (const [day, count] of entry.tail ?? []) score += count * weight(dayMiddle(day));
  return score;
}

const seenWithin = (at: number | null, now: number, days: number) => at !== null && ageOf(at, now) < days * DAY_MS;

export function behaviourHolds(c: BehaviourCondition, digest: ActivityDigest | undefined, now: number | undefined): boolean {
  if (digest === undefined || now === undefined) return false;
  switch (c.op) {
    case 'views':
      return countViews(digest, now, c.days, c.group) >= c.min;
    case 'visitors':
      return countDistinct(digest.visitors.seen.map(([, at]) => at), digest.visitors.more, now, c.days) >= c.min;
    case 'sessions':
      return countDistinct(digest.sessions.seen.map(([, at]) => at), digest.sessions.more, now, c.days) >= c.min;
    case 'engagement':
      return engagementScore(digest, now, c.halfLifeDays, c.group, c.days) >= c.min;
    case 'first_seen':
      return seenWithin(digest.first, now, c.days);
    case 'last_seen':
      return seenWithin(digest.last, now, c.days);
  }
}

/**
 * What a behavioural condition measured (for saying why it held, shared/alerts/explain.ts): the views,
 * visitors or sessions counted, the engagement score, or for first/last seen the age in days (null: never seen).
 */
export function behaviourValue(c: BehaviourCondition, digest: ActivityDigest | undefined, now: number | undefined): number | null {
  if (digest === undefined || now === undefined) return null;
  switch (c.op) {
    case 'views':
      return countViews(digest, now, c.days, c.group);
    case 'visitors':
      return countDistinct(digest.visitors.seen.map(([, at]) => at), digest.visitors.more, now, c.days);
    case 'sessions':
      return countDistinct(digest.sessions.seen.map(([, at]) => at), digest.sessions.more, now, c.days);
    case 'engagement':
      return engagementScore(digest, now, c.halfLifeDays, c.group, c.days);
    case 'first_seen':
      return digest.first === null ? null : ageOf(digest.first, now) / DAY_MS;
    case 'last_seen':
      return digest.last === null ? null : ageOf(digest.last, now) / DAY_MS;
  }
}

// ── The admin's account activity view reads every recorded view, not a digest ──

export interface ActivityTotals {
  views: number;
  /** Distinct visitor ids (views without one are not counted here). */
  visitors: number;
  sessions: number;
  /** Views per page group. */
  byGroup: Record<string, number>;
}

/** Views, visitors, sessions and views per group in the last `days` days (every view given when undefined). */
export function activityTotals(activity: ActivitySummary, now: number, days?: number): ActivityTotals {
  const visitors = new Set<string>();
  const sessions = new Set<string>();
  const byGroup: Record<string, number> = {};
  let views = 0;
  for (const v of activity.views) {
    if (!within(v.at, now, days)) continue;
    views++;
    if (v.visitor) visitors.add(v.visitor);
    sessions.add(v.session);
    for (const g of v.groups) byGroup[g] = (byGroup[g] ?? 0) + 1;
  }
  return { views, visitors: visitors.size, sessions: sessions.size, byGroup };
}

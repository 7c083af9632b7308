import type { ActivitySummary, ActivityView, BehaviourCondition } from '../schemas';

/**
 * Behavioural conditions over an account's recorded activity, evaluated at an explicit time `now`
 * (epoch ms) so tests, previews and the edge agree. Pure: no clock, no storage.
 *
 * A view is "in the last D days" when `now - at < D days`; a view stamped a little after `now` (clocks
 * of two machines) counts as age 0. Without activity no behavioural condition holds.
 */

export const DAY_MS = 86_400_000;

const ageOf = (at: number, now: number) => Math.max(0, now - at);
const inWindow = (v: ActivityView, now: number, days: number | undefined) => days === undefined || ageOf(v.at, now) < days * DAY_MS;
const inGroup = (v: ActivityView, group: string | undefined) => group === undefined || v.groups.includes(group);

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
    if (!inWindow(v, now, days)) continue;
    views++;
    if (v.visitor) visitors.add(v.visitor);
    sessions.add(v.session);
    for (const g of v.groups) byGroup[g] = (byGroup[g] ?? 0) + 1;
  }
  return { views, visitors: visitors.size, sessions: sessions.size, byGroup };
}

/** Σ 0.5^(age / halfLife) over the views (of `group`, within `days` when given): 1 for a view now, ½ one half-life ago. */
export function engagementScore(activity: ActivitySummary, now: number, halfLifeDays: number, group?: string, days?: number): number {
  const halfLife = halfLifeDays * DAY_MS;
  let score = 0;
  for (const v of activity.views) if (inWindow(v, now, days) && inGroup(v, group)) score += 0.5 ** (ageOf(v.at, now) / halfLife);
  return score;
}

function countViews(activity: ActivitySummary, now: number, days: number, group?: string): number {
  let n = 0;
  for (const v of activity.views) if (inWindow(v, now, days) && inGroup(v, group)) n++;
  return n;
}

const seenWithin = (at: number | null, now: number, days: number) => at !== null && ageOf(at, now) < days * DAY_MS;

export function behaviourHolds(c: BehaviourCondition, activity: ActivitySummary | undefined, now: number | undefined): boolean {
  if (activity === undefined || now === undefined) return false;
  switch (c.op) {
    case 'views':
      return countViews(activity, now, c.days, c.group) >= c.min;
    case 'visitors':
      return activityTotals(activity, now, c.days).visitors >= c.min;
    case 'sessions':
      return activityTotals(activity, now, c.days).sessions >= c.min;
    case 'engagement':
      return engagementScore(activity, now, c.halfLifeDays, c.group, c.days) >= c.min;
    case 'first_seen':
      return seenWithin(activity.firstSeen, now, c.days);
    case 'last_seen':
      return seenWithin(activity.lastSeen, now, c.days);
  }
}

import { type ActivityNeeds, type Condition, DEFAULT_ACTIVITY_RETENTION_DAYS, isBehavioural, type PageGroup, type SiteConfig } from '../schemas';
import { globMatch } from '../rules/glob';
import { ALL_PAGES } from './digest';

/**
 * What a site config asks of the activity store, worked out once per config object:
 * - `read`: some segment has a behavioural condition, so a decision reads the account's digest;
 * - `record`: page views are recorded (the site has page groups or behavioural segments); a site
 *   with neither never touches the store;
 * - `needs`: what the digest must keep for these rules (see shared/activity/digest.ts);
 * - `retentionDays`: how long the views are kept.
 */
export interface ActivityPlan {
  read: boolean;
  record: boolean;
  needs: ActivityNeeds;
  retentionDays: number;
}

/**
 * The most view times kept exactly per key. A `views` rule with a higher `min`, an `engagement` score
 * over more views, or more distinct visitors or sessions than this are counted from per-day totals
 * beyond it (still exact for "at least min" whenever the newest MAX_EXACT already decide it).
 */
export const MAX_EXACT = 100;

const plans = new WeakMap<SiteConfig, ActivityPlan>();

export const retentionDays = (config: Pick<SiteConfig, 'activityRetentionDays'>) => config.activityRetentionDays ?? DEFAULT_ACTIVITY_RETENTION_DAYS;

export function behaviourConditions(config: { segments: readonly { rule: { all: Condition[]; any: Condition[] } }[] }): Condition[] {
  return config.segments.flatMap((s) => [...s.rule.all, ...s.rule.any]).filter(isBehavioural);
}

/** What the digest must keep to answer these conditions. */
export function needsOf(conditions: readonly Condition[]): ActivityNeeds {
  const needs: ActivityNeeds = { views: {}, visitors: 0, sessions: 0, first: false, last: false };
  const keep = (n: number) => Math.min(MAX_EXACT, Math.ceil(n));
  for (const c of conditions) {
    switch (c.op) {
      case 'views':
      case 'engagement': {
        const key = c.group ?? ALL_PAGES;
        // an engagement score adds every view: keep as many exactly as we keep at all
        needs.views[key] = Math.max(needs.views[key] ?? 0, c.op === 'views' ? keep(c.min) : MAX_EXACT);
        break;
      }
      case 'visitors':
        needs.visitors = Math.max(needs.visitors, keep(c.min));
        break;
      case 'sessions':
        needs.sessions = Math.max(needs.sessions, keep(c.min));
        break;
      case 'first_seen':
        needs.first = true;
        break;
      case 'last_seen':
        needs.last = true;
        break;
    }
  }
  return needs;
}

export function activityPlan(config: SiteConfig): ActivityPlan {
  const known = plans.get(config);
  if (known) return known;
  const conditions = behaviourConditions(config);
  const plan: ActivityPlan = {
    read: conditions.length > 0,
    record: conditions.length > 0 || (config.pageGroups ?? []).length > 0,
    needs: needsOf(conditions),
    retentionDays: retentionDays(config),
  };
  plans.set(config, plan);
  return plan;
}

/** The ids of the page groups a path belongs to, in config order. */
export function pageGroupsOf(path: string, groups: readonly PageGroup[] | undefined): string[] {
  return (groups ?? []).filter((g) => g.patterns.some((p) => globMatch(p, path))).map((g) => g.id);
}

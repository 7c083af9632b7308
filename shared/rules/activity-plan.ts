import { type Condition, DEFAULT_ACTIVITY_RETENTION_DAYS, isBehavioural, type PageGroup, type SiteConfig } from '../schemas';
import { globMatch } from './evaluate';

/**
 * What a site config asks of the activity store, worked out once per config object:
 * - `read`: some segment has a behavioural condition, so a decision reads the activity first;
 * - `record`: page views are recorded (the site has page groups or behavioural segments); a site
 *   with neither never touches the store;
 * - `windowDays`: how far back the decision looks (the longest window in use), so the store sends only that.
 */
export interface ActivityPlan {
  read: boolean;
  record: boolean;
  windowDays: number;
  retentionDays: number;
}

const plans = new WeakMap<SiteConfig, ActivityPlan>();

export const retentionDays = (config: Pick<SiteConfig, 'activityRetentionDays'>) => config.activityRetentionDays ?? DEFAULT_ACTIVITY_RETENTION_DAYS;

export function behaviourConditions(config: SiteConfig): Condition[] {
  return config.segments.flatMap((s) => [...s.rule.all, ...s.rule.any]).filter(isBehavioural);
}

export function activityPlan(config: SiteConfig): ActivityPlan {
  const known = plans.get(config);
  if (known) return known;
  const retention = retentionDays(config);
  const conditions = behaviourConditions(config);
  let windowDays = 0;
  for (const c of conditions) {
    if (c.op === 'first_seen' || c.op === 'last_seen') continue; // answered from the first and last view alone
    windowDays = Math.max(windowDays, 'days' in c && c.days !== undefined ? c.days : retention);
  }
  const plan: ActivityPlan = {
    read: conditions.length > 0,
    record: conditions.length > 0 || (config.pageGroups ?? []).length > 0,
    windowDays: Math.min(windowDays, retention),
    retentionDays: retention,
  };
  plans.set(config, plan);
  return plan;
}

/** The ids of the page groups a path belongs to, in config order. */
export function pageGroupsOf(path: string, groups: readonly PageGroup[] | undefined): string[] {
  return (groups ?? []).filter((g) => g.patterns.some((p) => globMatch(p, path))).map((g) => g.id);
}

import type { Account, ActivitySummary, DecideResponse, SiteConfig } from '../../shared/schemas';
import { activityPlan, pageGroupsOf } from '../../shared/rules/activity-plan';
import type { ActivityKey, ViewRecord } from './account-activity';
import { ACTIVITY_BUDGET_MS, type ActivityNamespace, activityStub, readActivity, withinBudget } from './client';

/** What a decision needs to read and record activity. */
export interface ActivityDeps {
  /** The AccountActivity namespace (absent: every behavioural decision is `unavailable`). */
  ns: ActivityNamespace | undefined;
  /** The decision time, epoch ms: windows count back from it and the view is stamped with it. */
  now: number;
  /** False when the request carries Global Privacy Control or Do Not Track: nothing is read or recorded. */
  tracking: boolean;
  /** Runs the recording after the response (ctx.waitUntil). */
  waitUntil(promise: Promise<unknown>): void;
  /** False for a request the site refuses (a browser Origin it does not allow): nothing is read or recorded. */
  accepts?: (config: SiteConfig) => boolean;
  budgetMs?: number;
}

export interface Observed {
  status: NonNullable<DecideResponse['behaviour']>;
  activity?: ActivitySummary;
}

/** `Sec-GPC: 1` (Global Privacy Control) or `DNT: 1` (Do Not Track) → the visitor is not tracked. */
export const trackingAllowed = (headers: Headers) => headers.get('sec-gpc')?.trim() !== '1' && headers.get('dnt')?.trim() !== '1';

/** The account's activity, else (no account resolved) the anonymous visitor's; null with neither. */
export function activityKey(site: string, account: Account | null, visitor: string | undefined): ActivityKey | null {
  if (account) return { site, domain: account.domain };
  return visitor ? { site, visitor } : null;
}

const MAX_PATH = 512;

/**
 * For a site that uses activity: reads what its behavioural rules need (within 50 ms) and records
 * this page view afterwards, in the background. The decision sees the activity before this view:
 * the read never waits for a write, and a view counts from the next page view on.
 * Answers null for a site without behavioural rules (the response then says nothing about behaviour).
 */
export async function observeVisit(deps: ActivityDeps, config: SiteConfig, account: Account | null, visitor: string | undefined, path: string): Promise<Observed | null> {
  const plan = activityPlan(config);
  const off: Observed | null = plan.read ? { status: 'off' } : null;
  if (!plan.record || !deps.tracking || deps.accepts?.(config) === false) return off;
  const key = activityKey(config.site, account, visitor);
  if (!key) return off;
  const ns = deps.ns;
  if (!ns) return plan.read ? { status: 'unavailable' } : null;
  let stub: ReturnType<typeof activityStub>;
  try {
    stub = activityStub(ns, key);
  } catch (err) {
    // a namespace that cannot even hand out a stub is an unavailable store, never a failed decision
    console.error('activity store unavailable', err);
    return plan.read ? { status: 'unavailable' } : null;
  }
  const view: ViewRecord = {
    key,
    at: deps.now,
    visitor: visitor ?? null,
    path: path.slice(0, MAX_PATH),
    groups: pageGroupsOf(path, config.pageGroups),
    retentionDays: plan.retentionDays,
  };
  const record = () =>
    Promise.resolve()
      .then(() => stub.record(view))
      .catch((err: unknown) => console.error('activity not recorded', err));
  if (!plan.read) {
    deps.waitUntil(record());
    return null;
  }
  const summary = Promise.resolve().then(() => readActivity(ns, key, { now: deps.now, windowDays: plan.windowDays }));
  // Recorded once the read is answered, even a late one: this view is never part of its own decision.
  deps.waitUntil(summary.then(record, record));
  const result = await withinBudget(() => summary, deps.budgetMs ?? ACTIVITY_BUDGET_MS);
  return result.ok ? { status: 'ok', activity: result.value } : { status: 'unavailable' };
}

import type { Account, SiteConfig } from '../../shared/schemas';
import { activityPlan, pageGroupsOf } from '../../shared/activity/plan';
import type { ActivityRead } from '../../shared/decision/decide';
import type { ActivityKey, ViewRecord } from './account-activity';
import { type ActivityNamespace, activityStub } from './client';
import { DIGEST_BUDGET_MS, noteLocalView, readDigest } from './digest-store';

/** What a decision needs to read and record activity. */
export interface ActivityDeps {
  /** Where digests are read (the edge's KV). */
  kv: KVNamespace;
  /** The AccountActivity namespace, where views are recorded (absent: nothing is recorded). */
  ns: ActivityNamespace | undefined;
  /** The decision time, epoch ms: windows count back from it and the view is stamped with it. */
  now: number;
  /** False when the request carries Global Privacy Control or Do Not Track: nothing is read or recorded. */
  tracking: boolean;
  /** Runs the recording after the response (ctx.waitUntil). */
  waitUntil(promise: Promise<unknown>): void;
  budgetMs?: number;
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
 * For a site that uses activity: reads the digest its behavioural rules need (KV, within the budget)
 * and, for a recordable request, records this page view in the background (the AccountActivity object,
 * never awaited). The
 * decision sees the activity before this view: a view counts from the next page view on.
 * Answers null for a site without behavioural rules (the response then says nothing about behaviour).
 */
export async function observeVisit(
  deps: ActivityDeps,
  config: SiteConfig,
  account: Account | null,
  visitor: string | undefined,
  path: string,
  prefetched?: DigestPrefetch,
  /** False for a request that is not provably a page of the site (no Origin, or a page elsewhere): read, never recorded. */
  recordable = true,
): Promise<ActivityRead> {
  const plan = activityPlan(config);
  const off: ActivityRead = plan.read ? { status: 'off' } : null;
  if (!plan.record || !deps.tracking) return off;
  const key = activityKey(config.site, account, visitor);
  if (!key) return off;

  const early = account ? prefetched?.reads.get(account.domain) : undefined;
  const read = plan.read ? (early ?? readDigest(deps.kv, key, plan.needs, deps.now, deps.budgetMs ?? DIGEST_BUDGET_MS)) : null;
  const view: ViewRecord = {
    key,
    at: deps.now,
    visitor: visitor ?? null,
    path: path.slice(0, MAX_PATH),
    groups: pageGroupsOf(path, config.pageGroups),
    retentionDays: plan.retentionDays,
    needs: plan.read ? plan.needs : null,
  };
  if (recordable) record(deps, view);
  return read ?? null;
}

/**
 * Digest reads started while the visitor is being resolved: once a link, identify or IP bucket names a
 * domain, its digest is read alongside its account record rather than after it (one KV round trip, not two).
 */
export interface DigestPrefetch {
  reads: Map<string, Promise<ActivityRead>>;
  /** For resolveAccount's onCandidate; undefined when the site reads no activity or the visitor is not tracked. */
  onCandidate?: (domain: string) => void;
}

export function digestPrefetch(deps: ActivityDeps | undefined, config: SiteConfig): DigestPrefetch {
  const reads = new Map<string, Promise<ActivityRead>>();
  const plan = activityPlan(config);
  if (!deps || !plan.read || !deps.tracking) return { reads };
  const budget = deps.budgetMs ?? DIGEST_BUDGET_MS;
  return {
    reads,
    onCandidate: (domain) => {
      if (!reads.has(domain)) reads.set(domain, readDigest(deps.kv, { site: config.site, domain }, plan.needs, deps.now, budget));
    },
  };
}

function record(deps: ActivityDeps, view: ViewRecord): void {
  const ns = deps.ns;
  if (!ns) return;
  noteLocalView(view.key, { at: view.at, groups: view.groups, visitor: view.visitor ?? '', path: view.path });
  deps.waitUntil(
    Promise.resolve()
      .then(() => activityStub(ns, view.key).record(view))
      .catch((err: unknown) => console.error('activity not recorded', err)),
  );
}

import type { Account, SiteConfig } from '../../shared/schemas';
import { activityPlan, pageGroupsOf } from '../../shared/activity/plan';
import type { ActivityRead } from '../../shared/decision/decide';
import { type ActivityKey, type ViewRecord, activityName, digestKey } from './account-activity';
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
  if (recordable) {
    record(deps, view);
    if (account && visitor) stitch(deps, visitor, view);
  }
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

/** Visitor → account handovers this isolate has made (bounded): each pair is asked once, not on every page view. */
const stitched = new Set<string>();
const MAX_STITCH_MEMO = 10_000;

/**
 * Identity stitching: a visitor known now as an account (a signed link, a verified identify, the
 * company's network; never a mere claim, which records nothing under the account) hands the account its
 * recent anonymous views (at most 200), so what it did before it was known counts for the account. In
 * the background: the visitor's object hands them over, the account's adds each it does not have yet
 * (so a second handover counts nothing twice), then the visitor's object is emptied.
 */
function stitch(deps: ActivityDeps, visitor: string, into: ViewRecord): void {
  const ns = deps.ns;
  if (!ns || !('domain' in into.key)) return;
  const from: ActivityKey = { site: into.key.site, visitor };
  const pair = `${activityName(from)}>${activityName(into.key)}`;
  if (stitched.has(pair)) return;
  if (stitched.size >= MAX_STITCH_MEMO) stitched.clear();
  stitched.add(pair);
  deps.waitUntil(
    Promise.resolve()
      .then(async () => {
        const handed = await activityStub(ns, from).handOver();
        if (handed.length === 0) return;
        await activityStub(ns, into.key).absorb({ key: into.key, retentionDays: into.retentionDays, needs: into.needs }, handed);
        await activityStub(ns, from).erase(digestKey(from));
      })
      .catch((err: unknown) => {
        stitched.delete(pair);
        console.error('activity not stitched', err);
      }),
  );
}

/** Tests: forget which handovers this isolate made. */
export function resetStitchMemo(): void {
  stitched.clear();
}

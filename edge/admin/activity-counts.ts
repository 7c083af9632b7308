import type { ActivityDigest, SegmentCounts } from '../../shared/schemas';
import type { Env } from '../env';
import { activityStub, withinBudget } from '../activity/client';
import { siteStore } from './common';

/**
 * Segment counts with behavioural rules, without visiting every account: the site's SiteStore keeps
 * an index of the accounts with recorded activity, so only those (at most MAX_COUNTED, the most
 * recently active) are asked for their activity; every other account counts as having none.
 * A Worker request may make a bounded number of subrequests, hence the cap; the answer says when it bit.
 *
 * Bounded memory: no account's views leave its object. Each answers the digest of its views for the
 * draft's rules (AccountActivity.countingDigest: per page group a rule counts at most 100 view times
 * and a count per day, at most 100 visitors and 100 sessions), COUNT_BATCH accounts at a time, and the
 * SiteStore counts each batch before the next is read; accounts without activity are counted once, at
 * the end. So this isolate holds at most one batch: max bytes ≈ COUNT_BATCH × max digest size, under
 * 50 × 16 KB = 800 KB for rules counting three page groups, visitors and sessions over 90 days (11 KB
 * a digest, test/worker/admin-activity-counts.test.ts; each further group or retained day adds a
 * little), and no RPC carries more than that. Before, every summary was held and sent at once: up to
 * 500 × ~0.3 MB (5,000 views each), more than an isolate's 128 MB.
 */
const MAX_COUNTED = 500;
export const COUNT_BATCH = 50;
const BUDGET_MS = 2_000;

export async function segmentCountsWithActivity(env: Env, site: string, now = Date.now()): Promise<SegmentCounts | null> {
  const store = siteStore(env, site);
  const inputs = await store.activityCountInputs(site, now, MAX_COUNTED);
  if (!inputs) return null;
  if (!inputs.read) return store.segmentCounts(site);

  const { revision, needs } = inputs;
  const query = { now, windowDays: inputs.retentionDays, needs };
  const counts: Record<string, number> = {};
  const counted: string[] = [];
  let unavailable = 0;
  for (let i = 0; i < inputs.domains.length; i += COUNT_BATCH) {
    const batch = inputs.domains.slice(i, i + COUNT_BATCH);
    const results = await Promise.all(batch.map((domain) => withinBudget(() => activityStub(env.ACCOUNT_ACTIVITY, { site, domain }).countingDigest(query), BUDGET_MS)));
    const digests: Record<string, ActivityDigest> = {};
    results.forEach((r, j) => {
      if (r.ok) digests[batch[j]!] = r.value as ActivityDigest; // RPC types widen its tuples
      else unavailable++; // counted at the end, as having no activity
    });
    const part = await store.countWithActivity(site, revision, now, digests);
    if (!part) return null;
    addCounts(counts, part.counts);
    counted.push(...part.counted);
  }
  const rest = await store.countWithoutActivity(site, revision, now, counted);
  if (!rest) return null;
  return { counts: addCounts(rest.counts, counts), total: rest.total, activity: { accounts: inputs.domains.length, unavailable, truncated: inputs.total > inputs.domains.length } };
}

function addCounts(into: Record<string, number>, counts: Record<string, number>): Record<string, number> {
  for (const [id, n] of Object.entries(counts)) into[id] = (into[id] ?? 0) + n;
  return into;
}

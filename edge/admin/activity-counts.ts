import type { SegmentCounts } from '../../shared/schemas';
import type { ActivityWire } from '../activity/activity-table';
import type { Env } from '../env';
import { activityStub, withinBudget } from '../activity/client';
import { siteStore } from './common';

/**
 * Segment counts with behavioural rules, without visiting every account: the site's SiteStore keeps
 * an index of the accounts with recorded activity, so only those (at most MAX_COUNTED, the most
 * recently active) are asked for their activity; every other account counts as having none.
 * A Worker request may make a bounded number of subrequests, hence the cap; the answer says when it bit.
 */
const MAX_COUNTED = 500;
const PARALLEL = 50;
const BUDGET_MS = 2_000;

export async function segmentCountsWithActivity(env: Env, site: string, now = Date.now()): Promise<SegmentCounts | null> {
  const store = siteStore(env, site);
  const inputs = await store.activityCountInputs(site, now, MAX_COUNTED);
  if (!inputs) return null;
  if (!inputs.read) return store.segmentCounts(site);

  const summaries: Record<string, ActivityWire> = {};
  let unavailable = 0;
  for (let i = 0; i < inputs.domains.length; i += PARALLEL) {
    const batch = inputs.domains.slice(i, i + PARALLEL);
    const query = { now, windowDays: inputs.retentionDays };
    const results = await Promise.all(batch.map((domain) => withinBudget(() => activityStub(env.ACCOUNT_ACTIVITY, { site, domain }).summary(query), BUDGET_MS)));
    results.forEach((r, j) => {
      if (r.ok) summaries[batch[j]!] = r.value;
      else unavailable++;
    });
  }
  const counts = await store.segmentCounts(site, { now, summaries });
  return counts && { ...counts, activity: { accounts: inputs.domains.length, unavailable, truncated: inputs.total > inputs.domains.length } };
}

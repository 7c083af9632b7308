import type { ActivitySummary } from '../../shared/schemas';
import { type ActivityKey, type AccountActivity, type SummaryQuery, activityName } from './account-activity';
import { decodeSummary } from './activity-table';

/** The edge's access to AccountActivity objects: bounded in time, never throwing. */

export type ActivityNamespace = DurableObjectNamespace<AccountActivity>;

export const activityStub = (ns: ActivityNamespace, key: ActivityKey) => ns.getByName(activityName(key));

/** The activity of one account or visitor, from its object (the admin, tests and the bench; decisions read the digest). */
export const readActivity = (ns: ActivityNamespace, key: ActivityKey, query: SummaryQuery): Promise<ActivitySummary> =>
  activityStub(ns, key)
    .summary(query)
    .then((wire) => decodeSummary(wire));

export type Bounded<T> = { ok: true; value: T } | { ok: false; reason: 'failed' | 'slow' };

/** The call's result, or why there is none: it threw or it took longer than `budgetMs`. */
export async function withinBudget<T>(call: () => Promise<T>, budgetMs: number): Promise<Bounded<T>> {
  let timer = 0;
  const slow = new Promise<Bounded<T>>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: 'slow' }), budgetMs);
  });
  try {
    const answer = Promise.resolve()
      .then(call)
      .then(
        (value): Bounded<T> => ({ ok: true, value }),
        (err: unknown): Bounded<T> => {
          console.error('activity store failed', err);
          return { ok: false, reason: 'failed' };
        },
      );
    return await Promise.race([answer, slow]);
  } finally {
    clearTimeout(timer);
  }
}

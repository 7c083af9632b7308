import type { QueryPage } from './salesforce';
import { type SyncState, type SyncedAccount, advanceWatermark, finishPass, writePage } from './sync';

export interface SalesforceSyncIo {
  /** Accounts after (`since`, `afterId`) in (LastModifiedDate, Id) order; at or after `since` without an id. */
  query(since: number, afterId: string | null): Promise<QueryPage>;
  write(accounts: SyncedAccount[]): void;
  now(): number;
}

/**
 * One run of the incremental Salesforce sync: up to `maxPages` SOQL pages of accounts modified since
 * the watermark, oldest first, paged by (LastModifiedDate, Id) so that a run can stop anywhere. A
 * pass ends on a page that is not full; the next starts at the newest modification read (its records
 * remembered, since the next pass reads that second again). A busy answer (429/503) is waited out;
 * anything else ends the run with the reason, and the next schedule resumes from the cursor.
 */
export async function salesforceRun(state: SyncState, io: SalesforceSyncIo, mapping: Record<string, string>, maxPages: number): Promise<{ state: SyncState; more: boolean; waitMs: number }> {
  const s: SyncState = structuredClone(state);
  s.lastRunAt = new Date(io.now()).toISOString();
  s.running = true;
  for (let page = 0; page < maxPages; page++) {
    const res = await io.query(s.afterAt ?? s.watermark, s.after);
    if (!res.ok) {
      s.lastFailure = res.why;
      if (res.status === 429 || res.status === 503) return { state: s, more: true, waitMs: (res.retryAfterSeconds ?? 5) * 1000 };
      return { state: s, more: false, waitMs: 0 };
    }
    s.lastFailure = null;
    writePage(s, io, res.records, mapping);
    const last = res.records.at(-1);
    if (res.full && last) {
      s.afterAt = last.modifiedAt;
      s.after = last.id;
      continue;
    }
    advanceWatermark(s);
    finishPass(s, io.now());
    return { state: s, more: false, waitMs: 0 };
  }
  return { state: s, more: true, waitMs: 0 };
}

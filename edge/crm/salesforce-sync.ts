import type { QueryPage } from './salesforce';
import { type PageWriter, type RunOutcome, type SyncState, advanceWatermark, pagedRun, writePage } from './sync';

export interface SalesforceSyncIo {
  /** Records after (`since`, `afterId`) in (LastModifiedDate, Id) order; at or after `since` without an id. */
  query(since: number, afterId: string | null): Promise<QueryPage>;
  write: PageWriter;
  now(): number;
}

/**
 * One run of the incremental Salesforce sync: up to `maxPages` SOQL pages of records modified since
 * the watermark, oldest first, paged by (LastModifiedDate, Id) so that a run can stop anywhere. A
 * pass ends on a page that is not full; the next starts at the newest modification read (its records
 * remembered, since the next pass reads that second again). A busy answer (429/503) is waited out;
 * anything else ends the run with the reason, and the next schedule resumes from the cursor.
 */
export function salesforceRun(state: SyncState, io: SalesforceSyncIo, maxPages: number): Promise<RunOutcome> {
  return pagedRun(state, io.now, maxPages, { statuses: [429, 503], waitSeconds: 5 }, async (s) => {
    const res = await io.query(s.afterAt ?? s.watermark, s.after);
    if (!res.ok) return res;
    const failed = await writePage(s, io.write, res.records);
    if (failed) return failed;
    const last = res.records.at(-1);
    if (res.full && last) {
      s.afterAt = last.modifiedAt;
      s.after = last.id;
      return 'next';
    }
    advanceWatermark(s);
    return 'done';
  });
}

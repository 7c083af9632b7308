import type { CrmConfig } from '../../shared/schemas';
import type { PageFailure } from './sync';
import { type PendingSegment, markRefused, markWritten, pendingSegments } from './write-back-table';

/** What a CRM's batch update answers: the records it refused, by CRM id; or why the whole request failed. */
export type BatchResult = { ok: true; refused: Map<string, string> } | PageFailure;

export interface WriteBackIo {
  sql: SqlStorage;
  /** One batch update of the CRM (HubSpot: 100 companies; Salesforce: 200 accounts). */
  send(rows: PendingSegment[]): Promise<BatchResult>;
  batchSize: number;
  /** Writes the store's changes in one transaction. */
  transaction<T>(fn: () => T): T;
}

export interface WriteBackRun {
  written: number;
  refused: number;
  /** More is pending (after `waitMs` for a rate limit). */
  more: boolean;
  waitMs: number;
  failure: string | null;
}

/**
 * Writes pending segment changes to the CRM, a batch at a time, up to `maxBatches`: each change at
 * most once (a change made while its batch is in flight stays pending and goes in the next). Records
 * the CRM refuses keep their reason and are tried again on the next run, at most 5 times.
 */
export async function writeBackRun(io: WriteBackIo, maxBatches: number): Promise<WriteBackRun> {
  const run: WriteBackRun = { written: 0, refused: 0, more: false, waitMs: 0, failure: null };
  for (let b = 0; b < maxBatches; b++) {
    const rows = pendingSegments(io.sql, io.batchSize);
    if (!rows.length) return run;
    const res = await io.send(rows);
    if (!res.ok) {
      run.failure = res.why;
      if (res.status === 429 || res.status === 503) return { ...run, more: true, waitMs: (res.retryAfterSeconds ?? 1) * 1000 };
      return run;
    }
    const refused = rows.filter((r) => res.refused.has(r.crmId));
    io.transaction(() => {
      markWritten(
        io.sql,
        rows.filter((r) => !res.refused.has(r.crmId)),
      );
      for (const r of refused) markRefused(io.sql, r, res.refused.get(r.crmId)!);
    });
    run.refused += refused.length;
    run.written += rows.length - refused.length;
    if (rows.length < io.batchSize) return run;
  }
  return { ...run, more: pendingSegments(io.sql, 1).length > 0 };
}

/** The fields one change sets: the segment's id ('' clears it: the account is in none) and its entry time. */
export function writeBackFields(writeBack: NonNullable<CrmConfig['writeBack']>, row: PendingSegment, empty: '' | null): Record<string, string | null> {
  return {
    [writeBack.segmentField]: row.segment || empty,
    ...(writeBack.enteredAtField && { [writeBack.enteredAtField]: row.segment ? new Date(row.enteredAt).toISOString() : empty }),
  };
}

import { type RecordProblem, recordToAccount } from '../../shared/crm/mapping';
import type { Account, CrmProvider, CrmSyncStatus } from '../../shared/schemas';
import { PAGE_SIZE, SEARCH_CAP, type SearchPage } from './hubspot';

/** Where a sync stands between runs (kept in the site's SiteStore). */
export interface SyncState {
  /** Companies modified at or after this (epoch ms) are read next. */
  watermark: number;
  /** Ids already read that were modified exactly at the watermark (the filter is GTE, so they come again). */
  seen: string[];
  /** The paging cursor within the current window, null at its start: HubSpot's `after`; Salesforce's last record id… */
  after: string | null;
  /** …and its LastModifiedDate (keyset paging). */
  afterAt: number | null;
  /** The newest modification read in this window, and the ids modified exactly then. */
  newest: number;
  newestIds: string[];
  pass: { read: number; written: number; refused: number; errors: (RecordProblem & { id: string })[] };
  last: { read: number; written: number; refused: number; errors: (RecordProblem & { id: string })[] };
  lastSyncedAt: string | null;
  lastRunAt: string | null;
  lastFailure: string | null;
  running: boolean;
}

export const newSyncState = (): SyncState => ({
  watermark: 0,
  seen: [],
  after: null,
  afterAt: null,
  newest: 0,
  newestIds: [],
  pass: { read: 0, written: 0, refused: 0, errors: [] },
  last: { read: 0, written: 0, refused: 0, errors: [] },
  lastSyncedAt: null,
  lastRunAt: null,
  lastFailure: null,
  running: false,
});

const MAX_ERRORS = 50;
const MAX_SEEN = 10_000;

/** A CRM record as the sync reads it: its id in the CRM, its fields, when it was last modified (epoch ms). */
export interface CrmRecord {
  id: string;
  fields: Record<string, unknown>;
  modifiedAt: number;
}

/** An account mapped from a CRM record, with the record's id (write-back writes to it). */
export interface SyncedAccount {
  account: Account;
  crmId: string;
}

export interface SyncIo {
  search(since: number, after: string | null): Promise<SearchPage>;
  /** Writes accounts to the system of record (one transaction per page). */
  write(accounts: SyncedAccount[]): void;
  now(): number;
}

/**
 * One run of the incremental sync: up to `maxPages` search pages of companies modified since the
 * watermark, oldest first, each page's accounts written as it comes. The search pages at most 10,000
 * results deep, so past that a new date window starts at the newest modification read (its companies
 * are remembered, since GTE reads them again). Answers the new state, and whether to run again now
 * (`more`, after `waitMs` for a rate limit) or at the next schedule.
 */
export async function syncRun(state: SyncState, io: SyncIo, mapping: Record<string, string>, maxPages: number): Promise<{ state: SyncState; more: boolean; waitMs: number }> {
  const s: SyncState = structuredClone(state);
  s.lastRunAt = new Date(io.now()).toISOString();
  s.running = true;
  for (let page = 0; page < maxPages; page++) {
    const res = await io.search(s.watermark, s.after);
    if (!res.ok) {
      s.lastFailure = res.why;
      if (res.status === 429) return { state: s, more: true, waitMs: (res.retryAfterSeconds ?? 1) * 1000 };
      return { state: s, more: false, waitMs: 0 };
    }
    s.lastFailure = null;
    writePage(s, io, res.companies, mapping);
    const deepest = res.next !== null && Number(res.next) + PAGE_SIZE > SEARCH_CAP;
    if (res.next !== null && !deepest) {
      s.after = res.next;
      continue;
    }
    // the window is read (or as deep as the search goes): the next starts at the newest modification read
    advanceWatermark(s);
    if (deepest) continue;
    finishPass(s, io.now());
    return { state: s, more: false, waitMs: 0 };
  }
  return { state: s, more: true, waitMs: 0 };
}

/** The next window starts at the newest modification read; the ids modified then are remembered, since GTE reads them again. */
export function advanceWatermark(s: SyncState): void {
  if (s.newest > s.watermark) {
    s.watermark = s.newest;
    s.seen = s.newestIds.slice(0, MAX_SEEN);
  } else if (s.newest === s.watermark) {
    s.seen = [...new Set([...s.seen, ...s.newestIds])].slice(0, MAX_SEEN);
  }
  s.after = null;
  s.afterAt = null;
}

/** Writes a page of records, skipping those already read at the watermark, and notes the newest modification. */
export function writePage(s: SyncState, io: Pick<SyncIo, 'write'>, companies: CrmRecord[], mapping: Record<string, string>): void {
  const fresh: CrmRecord[] = [];
  for (const c of companies) {
    if (c.modifiedAt === s.watermark && s.seen.includes(c.id)) continue;
    fresh.push(c);
    if (c.modifiedAt > s.newest) {
      s.newest = c.modifiedAt;
      s.newestIds = [c.id];
    } else if (c.modifiedAt === s.newest) s.newestIds.push(c.id);
  }
  writeRecords(s, io, fresh, mapping);
}

/** Maps a page of records and writes the accounts, counting what was read, written and refused in the pass. */
export function writeRecords(s: SyncState, io: Pick<SyncIo, 'write'>, records: CrmRecord[], mapping: Record<string, string>): void {
  const byDomain = new Map<string, SyncedAccount>();
  for (const r of records) {
    s.pass.read++;
    const mapped = recordToAccount(r.fields, mapping);
    // one domain twice in a page (two CRM records): the later one wins
    if ('account' in mapped) byDomain.set(mapped.account.domain, { account: mapped.account, crmId: r.id });
    else {
      s.pass.refused++;
      for (const p of mapped.problems) if (s.pass.errors.length < MAX_ERRORS) s.pass.errors.push({ id: r.id, ...p });
    }
  }
  if (byDomain.size) io.write([...byDomain.values()]);
  s.pass.written += byDomain.size;
}

/** The pass is done: what it did is what the admin shows. */
export function finishPass(s: SyncState, now: number): void {
  s.last = s.pass;
  s.pass = { read: 0, written: 0, refused: 0, errors: [] };
  s.lastSyncedAt = new Date(now).toISOString();
  s.running = false;
}

/** The admin's view of a state. */
export function syncStatus(provider: CrmProvider, s: SyncState): CrmSyncStatus {
  const shown = s.running && s.pass.read > 0 ? s.pass : s.last;
  return {
    provider,
    lastSyncedAt: s.lastSyncedAt,
    lastRunAt: s.lastRunAt,
    watermark: s.watermark,
    running: s.running,
    read: shown.read,
    written: shown.written,
    refused: shown.refused,
    errors: shown.errors,
    lastFailure: s.lastFailure,
  };
}

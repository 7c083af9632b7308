import { type RecordProblem, recordToAccount } from '../../shared/crm/mapping';
import type { Account, CrmProvider, CrmSyncStatus } from '../../shared/schemas';
import { PAGE_SIZE, SEARCH_CAP, type SearchPage } from './hubspot';

/** What a pass read, wrote and refused (the first 50 refusals with their reason); deals and opportunities: how many of those written have no account. */
export interface PassCounts {
  read: number;
  written: number;
  refused: number;
  errors: (RecordProblem & { id: string })[];
  unmatched?: number;
}

/** Where a sync stands between runs (kept in the site's SiteStore). */
export interface SyncState {
  /** Records modified at or after this (epoch ms) are read next. */
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
  pass: PassCounts;
  last: PassCounts;
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

/** Why a call to the CRM (or a page's write) failed; 429/503 say how long to wait. */
export type PageFailure = { ok: false; status: number; retryAfterSeconds?: number; why: string };

/** Writes a page's records (those not read before), counting them in the pass; or why it could not (then nothing of the page counts). */
export type PageWriter = (s: SyncState, records: CrmRecord[]) => PageFailure | null | Promise<PageFailure | null>;

export interface SyncIo {
  search(since: number, after: string | null): Promise<SearchPage>;
  write: PageWriter;
  now(): number;
}

export type RunOutcome = { state: SyncState; more: boolean; waitMs: number };

/**
 * The loop both CRMs' runs share: up to `maxPages` steps, each reading a page and writing it. A busy
 * answer (a status of `busy`, from the read or the write) ends the run to go on after its wait; any
 * other failure ends it with the reason, and the next schedule resumes from the cursor. A step that
 * finishes the pass ends the run; pages left over are the next run's (`more`).
 */
export async function pagedRun(state: SyncState, now: () => number, maxPages: number, busy: { statuses: number[]; waitSeconds: number }, step: (s: SyncState) => Promise<PageFailure | 'next' | 'done'>): Promise<RunOutcome> {
  const s: SyncState = structuredClone(state);
  s.lastRunAt = new Date(now()).toISOString();
  s.running = true;
  for (let page = 0; page < maxPages; page++) {
    const res = await step(s);
    if (typeof res === 'object') {
      s.lastFailure = res.why;
      if (busy.statuses.includes(res.status)) return { state: s, more: true, waitMs: (res.retryAfterSeconds ?? busy.waitSeconds) * 1000 };
      return { state: s, more: false, waitMs: 0 };
    }
    s.lastFailure = null;
    if (res === 'done') {
      finishPass(s, now());
      return { state: s, more: false, waitMs: 0 };
    }
  }
  return { state: s, more: true, waitMs: 0 };
}

/**
 * One run of the incremental HubSpot sync: up to `maxPages` search pages of records modified since the
 * watermark, oldest first, each page written as it comes. The search pages at most 10,000 results
 * deep, so past that a new date window starts at the newest modification read (its records are
 * remembered, since GTE reads them again). A 429 is waited out. Answers the new state, and whether to
 * run again now (`more`, after `waitMs` for a rate limit) or at the next schedule.
 */
export function syncRun(state: SyncState, io: SyncIo, maxPages: number): Promise<RunOutcome> {
  return pagedRun(state, io.now, maxPages, { statuses: [429], waitSeconds: 1 }, async (s) => {
    const res = await io.search(s.watermark, s.after);
    if (!res.ok) return res;
    const failed = await writePage(s, io.write, res.records);
    if (failed) return failed;
    const deepest = res.next !== null && Number(res.next) + PAGE_SIZE > SEARCH_CAP;
    if (res.next !== null && !deepest) {
      s.after = res.next;
      return 'next';
    }
    // the window is read (or as deep as the search goes): the next starts at the newest modification read
    advanceWatermark(s);
    return deepest ? 'next' : 'done';
  });
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

/** Writes a page of records, skipping those already read at the watermark, and notes the newest modification written. */
export async function writePage(s: SyncState, write: PageWriter, records: CrmRecord[]): Promise<PageFailure | null> {
  const fresh = records.filter((c) => !(c.modifiedAt === s.watermark && s.seen.includes(c.id)));
  const failed = await write(s, fresh);
  if (failed) return failed;
  for (const c of fresh) {
    if (c.modifiedAt > s.newest) {
      s.newest = c.modifiedAt;
      s.newestIds = [c.id];
    } else if (c.modifiedAt === s.newest) s.newestIds.push(c.id);
  }
  return null;
}

/** A refusal of a record, kept for the admin (the first 50 of a pass). */
export function refuse(s: SyncState, id: string, problems: RecordProblem[]): void {
  s.pass.refused++;
  for (const p of problems) if (s.pass.errors.length < MAX_ERRORS) s.pass.errors.push({ id, ...p });
}

/** The page writer of companies/accounts: maps each record and writes the accounts, counting what was read, written and refused in the pass. */
export const accountWriter =
  (mapping: Record<string, string>, write: (accounts: SyncedAccount[]) => void): PageWriter =>
  (s, records) => {
    const byDomain = new Map<string, SyncedAccount>();
    for (const r of records) {
      s.pass.read++;
      const mapped = recordToAccount(r.fields, mapping);
      // one domain twice in a page (two CRM records): the later one wins
      if ('account' in mapped) byDomain.set(mapped.account.domain, { account: mapped.account, crmId: r.id });
      else refuse(s, r.id, mapped.problems);
    }
    if (byDomain.size) write([...byDomain.values()]);
    s.pass.written += byDomain.size;
    return null;
  };

/** The pass is done: what it did is what the admin shows. */
export function finishPass(s: SyncState, now: number): void {
  s.last = s.pass;
  s.pass = { read: 0, written: 0, refused: 0, errors: [] };
  s.lastSyncedAt = new Date(now).toISOString();
  s.running = false;
}

/** While a pass runs, the counts so far; else the last pass's. */
const shownPass = (s: SyncState): PassCounts => (s.running && s.pass.read > 0 ? s.pass : s.last);

/** The admin's view of a state. */
export function syncStatus(provider: CrmProvider, s: SyncState): CrmSyncStatus {
  const shown = shownPass(s);
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

/** The admin's view of the deals/opportunities stream. */
export function pipelineStatus(s: SyncState): NonNullable<CrmSyncStatus['pipeline']> {
  const shown = shownPass(s);
  return { lastSyncedAt: s.lastSyncedAt, running: s.running, read: shown.read, written: shown.written, unmatched: shown.unmatched ?? 0, refused: shown.refused, errors: shown.errors, lastFailure: s.lastFailure };
}

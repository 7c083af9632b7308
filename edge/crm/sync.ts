import { type RecordProblem, companyToAccount } from '../../shared/crm/hubspot-mapping';
import type { Account, CrmSyncStatus } from '../../shared/schemas';
import { type HubSpotCompany, PAGE_SIZE, SEARCH_CAP, type SearchPage } from './hubspot';

/** Where a sync stands between runs (kept in the site's SiteStore). */
export interface SyncState {
  /** Companies modified at or after this (epoch ms) are read next. */
  watermark: number;
  /** Ids already read that were modified exactly at the watermark (the filter is GTE, so they come again). */
  seen: string[];
  /** The search's paging cursor within the current date window, null at its start. */
  after: string | null;
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

export interface SyncIo {
  search(since: number, after: string | null): Promise<SearchPage>;
  /** Writes accounts to the system of record (one transaction per page). */
  write(accounts: Account[]): void;
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
    write(s, io, res.companies, mapping);
    const deepest = res.next !== null && Number(res.next) + PAGE_SIZE > SEARCH_CAP;
    if (res.next !== null && !deepest) {
      s.after = res.next;
      continue;
    }
    // the window is read (or as deep as the search goes): the next starts at the newest modification read
    if (s.newest > s.watermark) {
      s.watermark = s.newest;
      s.seen = s.newestIds.slice(0, MAX_SEEN);
    } else if (s.newest === s.watermark) {
      s.seen = [...new Set([...s.seen, ...s.newestIds])].slice(0, MAX_SEEN);
    }
    s.after = null;
    if (deepest) continue;
    // the pass is done: what it did is what the admin shows
    s.last = s.pass;
    s.pass = { read: 0, written: 0, refused: 0, errors: [] };
    s.lastSyncedAt = new Date(io.now()).toISOString();
    s.running = false;
    return { state: s, more: false, waitMs: 0 };
  }
  return { state: s, more: true, waitMs: 0 };
}

function write(s: SyncState, io: SyncIo, companies: HubSpotCompany[], mapping: Record<string, string>): void {
  const accounts: Account[] = [];
  for (const c of companies) {
    if (c.modifiedAt === s.watermark && s.seen.includes(c.id)) continue;
    s.pass.read++;
    if (c.modifiedAt > s.newest) {
      s.newest = c.modifiedAt;
      s.newestIds = [c.id];
    } else if (c.modifiedAt === s.newest) s.newestIds.push(c.id);
    const mapped = companyToAccount(c.properties, mapping);
    if ('account' in mapped) accounts.push(mapped.account);
    else {
      s.pass.refused++;
      for (const p of mapped.problems) if (s.pass.errors.length < MAX_ERRORS) s.pass.errors.push({ id: c.id, ...p });
    }
  }
  // one domain twice in a page (two HubSpot records): the later one wins
  const byDomain = new Map(accounts.map((a) => [a.domain, a]));
  if (byDomain.size) io.write([...byDomain.values()]);
  s.pass.written += byDomain.size;
}

/** The admin's view of a state. */
export function syncStatus(s: SyncState): CrmSyncStatus {
  const shown = s.running && s.pass.read > 0 ? s.pass : s.last;
  return {
    provider: 'hubspot',
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

import type { ActivitySummary } from '../../shared/schemas';
import { DAY_MS } from '../../shared/rules/behaviour';

/** Row access for one AccountActivity object's page views. */

/** A visitor's views with no gap longer than this are one session. */
export const SESSION_GAP_MS = 30 * 60_000;
/** The same visitor on the same path this soon again is the same page view decided twice (e.g. after identify). */
export const REPEAT_MS = 5_000;
/** At most this many views are kept per account, the most recent. */
export const MAX_VIEWS = 5_000;

const STATEMENTS = [
  // groups: the page group ids, space-separated (ids have no spaces).
  `CREATE TABLE IF NOT EXISTS views (
     id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, visitor TEXT NOT NULL, session TEXT NOT NULL,
     path TEXT NOT NULL, groups TEXT NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS views_by_time ON views (at)`,
  `CREATE INDEX IF NOT EXISTS views_by_visitor ON views (visitor, at)`,
  `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
];

export function migrateActivity(sql: SqlStorage): void {
  for (const statement of STATEMENTS) sql.exec(statement);
}

export const getMeta = (sql: SqlStorage, key: string): string | undefined =>
  sql.exec<{ value: string }>('SELECT value FROM meta WHERE key = ?', key).toArray()[0]?.value;

export const setMeta = (sql: SqlStorage, key: string, value: string | number) =>
  sql.exec('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', key, String(value));

export interface NewView {
  at: number;
  /** '' when the request carried no visitor id. */
  visitor: string;
  path: string;
  groups: readonly string[];
}

const newSession = () => crypto.randomUUID().replace(/-/g, '').slice(0, 16);

/** Inserts a view in its visitor's session (a new one after 30 idle minutes): its session id; null when it repeats the visitor's last view. */
export function insertView(sql: SqlStorage, view: NewView): string | null {
  if (overMinuteCap(sql, view)) return null;
  const last = sql
    .exec<{ at: number; session: string; path: string }>('SELECT at, session, path FROM views WHERE visitor = ? AND at <= ? ORDER BY at DESC LIMIT 1', view.visitor, view.at)
    .toArray()[0];
  const gap = last ? view.at - last.at : Infinity;
  if (view.visitor && last?.path === view.path && gap < REPEAT_MS) return null;
  const session = gap <= SESSION_GAP_MS ? last!.session : newSession();
  sql.exec('INSERT INTO views (at, visitor, session, path, groups) VALUES (?, ?, ?, ?, ?)', view.at, view.visitor, session, view.path, view.groups.join(' '));
  return session;
}

/**
 * At most this many views are recorded per object (account or anonymous visitor), and per visitor
 * within it, in any minute: a flood of views (forged or a runaway script) cannot flush an account's
 * history or inflate its counts. A real team browsing together stays far below.
 */
export const MAX_VIEWS_PER_MINUTE = 120;
export const MAX_VISITOR_VIEWS_PER_MINUTE = 20;

function overMinuteCap(sql: SqlStorage, view: NewView): boolean {
  const since = view.at - 60_000;
  const all = sql.exec<{ n: number }>('SELECT count(*) AS n FROM views WHERE at > ? AND at <= ?', since, view.at).one().n;
  if (all >= MAX_VIEWS_PER_MINUTE) return true;
  if (!view.visitor) return false;
  return sql.exec<{ n: number }>('SELECT count(*) AS n FROM views WHERE visitor = ? AND at > ? AND at <= ?', view.visitor, since, view.at).one().n >= MAX_VISITOR_VIEWS_PER_MINUTE;
}

/** Deletes views older than the retention at `now`; returns how many. */
export const pruneExpired = (sql: SqlStorage, now: number, retentionDays: number): number =>
  sql.exec('DELETE FROM views WHERE at <= ?', now - retentionDays * DAY_MS).rowsWritten;

/** Keeps the `max` most recent views; returns how many were deleted. */
export const pruneExcess = (sql: SqlStorage, max = MAX_VIEWS): number =>
  sql.exec('DELETE FROM views WHERE id IN (SELECT id FROM views ORDER BY at DESC, id DESC LIMIT -1 OFFSET ?)', max).rowsWritten;

/** A visitor's anonymous views carried over to an account when it becomes known: at most this many, the most recent. */
export const MAX_STITCHED_VIEWS = 200;

export interface StitchedView {
  at: number;
  visitor: string;
  session: string;
  path: string;
  groups: string[];
}

/** The most recent views (at most `limit`), oldest first: what an anonymous visitor hands to its account. */
export function newestViews(sql: SqlStorage, limit = MAX_STITCHED_VIEWS): StitchedView[] {
  return sql
    .exec<{ at: number; visitor: string; session: string; path: string; groups: string }>(
      'SELECT at, visitor, session, path, groups FROM (SELECT * FROM views ORDER BY at DESC, id DESC LIMIT ?) ORDER BY at, id',
      limit,
    )
    .toArray()
    .map((r) => ({ ...r, groups: r.groups ? r.groups.split(' ') : [] }));
}

/**
 * Adds views handed over by an anonymous visitor, each unless the account already has it (same visitor,
 * time and path): merging the same visitor twice counts its views once. Returns how many were added.
 */
export function insertStitched(sql: SqlStorage, stitched: readonly StitchedView[]): number {
  const before = countViews(sql);
  for (const v of stitched) {
    sql.exec(
      `INSERT INTO views (at, visitor, session, path, groups)
       SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM views WHERE visitor = ? AND at = ? AND path = ?)`,
      v.at, v.visitor, v.session, v.path, v.groups.join(' '), v.visitor, v.at, v.path,
    );
  }
  return countViews(sql) - before;
}

/** Erasure of one visitor id: deletes its views; returns how many. */
export const deleteVisitorViews = (sql: SqlStorage, visitor: string): number => sql.exec('DELETE FROM views WHERE visitor = ?', visitor).rowsWritten;

export const countViews = (sql: SqlStorage): number => sql.exec<{ n: number }>('SELECT count(*) AS n FROM views').one().n;

export const oldestView = (sql: SqlStorage): number | null => sql.exec<{ at: number | null }>('SELECT min(at) AS at FROM views').one().at;

/**
 * A summary as it crosses the RPC boundary: the views as one JSON text built by SQLite,
 * `[[at, visitor, session, "group group"], ...]`, several times cheaper to send than thousands of objects.
 */
export interface ActivityWire {
  firstSeen: number | null;
  lastSeen: number | null;
  views: string;
}

/** The views of the last `windowDays` days at `now`, oldest first, with the first and last view ever retained. */
export function readSummary(sql: SqlStorage, now: number, windowDays: number): ActivityWire {
  const row = sql
    .exec<{ first: number | null; last: number | null; views: string }>(
      `SELECT (SELECT min(at) FROM views) AS first, (SELECT max(at) FROM views) AS last,
              (SELECT json_group_array(json_array(at, visitor, session, groups))
                 FROM (SELECT at, visitor, session, groups FROM views WHERE at > ? ORDER BY at, id)) AS views`,
      windowDays > 0 ? now - windowDays * DAY_MS : Number.MAX_SAFE_INTEGER,
    )
    .one();
  return { firstSeen: row.first, lastSeen: row.last, views: row.views };
}

export const EMPTY_WIRE: ActivityWire = { firstSeen: null, lastSeen: null, views: '[]' };

export function decodeSummary(wire: ActivityWire): ActivitySummary {
  const rows = JSON.parse(wire.views) as [number, string, string, string][];
  return {
    firstSeen: wire.firstSeen,
    lastSeen: wire.lastSeen,
    views: rows.map(([at, visitor, session, groups]) => ({ at, visitor, session, groups: groups ? groups.split(' ') : [] })),
  };
}

export interface RecentView {
  at: number;
  path: string;
  groups: string[];
  session: string;
}

/** The newest views with their paths, newest first. */
export function recentViews(sql: SqlStorage, limit: number): RecentView[] {
  return sql
    .exec<{ at: number; path: string; groups: string; session: string }>('SELECT at, path, groups, session FROM views ORDER BY at DESC, id DESC LIMIT ?', limit)
    .toArray()
    .map((r) => ({ at: r.at, path: r.path, session: r.session, groups: r.groups ? r.groups.split(' ') : [] }));
}

/** Every retained view, for the digest (activity/publish-digest.ts). */
export function allViews(sql: SqlStorage): ActivitySummary {
  const rows = sql.exec<{ at: number; visitor: string; session: string; groups: string }>('SELECT at, visitor, session, groups FROM views ORDER BY at, id').toArray();
  const views = rows.map((r) => ({ at: r.at, visitor: r.visitor, session: r.session, groups: r.groups ? r.groups.split(' ') : [] }));
  return { firstSeen: views[0]?.at ?? null, lastSeen: views.at(-1)?.at ?? null, views };
}

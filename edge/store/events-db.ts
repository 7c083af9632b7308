import type { QueuedEvents } from '../../shared/schemas';
import type { ReportRows } from '../../shared/measure/report';
import { assignmentUnit } from '../../shared/measure/assign';

/** The measurement store (D1): events in, report rows out. Schema: migrations/0001_events.sql. */

const COLUMNS = ['site', 'batch', 'idx', 'day', 'received_at', 'type', 'segment', 'arm', 'version', 'goal', 'unit', 'account', 'visitor'] as const;

/** Rows per INSERT: every row travels in one JSON parameter, well under D1's parameter size limit. */
const ROWS_PER_STATEMENT = 2000;

const INSERT = `INSERT OR IGNORE INTO events (${COLUMNS.join(', ')})
  SELECT ${COLUMNS.map((_, i) => `json_extract(value, '$[${i}]')`).join(', ')} FROM json_each(?1)`;

/** Whether a batch was counted before (a replay); one primary-key lookup. */
export async function batchSeen(db: D1Database, site: string, batch: string): Promise<boolean> {
  return (await db.prepare('SELECT 1 FROM events WHERE site = ?1 AND batch = ?2 LIMIT 1').bind(site, batch).first()) !== null;
}

/**
 * Writes queued batches in one D1 transaction. Rows already there (a batch delivered or sent twice)
 * are ignored, so writing the same batches again changes nothing. Resolves with the rows new to D1.
 */
export async function writeEvents(db: D1Database, batches: readonly QueuedEvents[]): Promise<number> {
  const rows = batches.flatMap((b) => {
    const day = new Date(b.receivedAt).toISOString().slice(0, 10);
    return b.events.map((e) => [
      b.site, b.batch, e.index, day, b.receivedAt, e.type, e.segment, e.arm, e.version,
      e.type === 'conversion' ? e.goal : '', assignmentUnit(e.account, b.visitor)!, e.account ?? null, b.visitor,
    ]);
  });
  if (!rows.length) return 0;
  const statements = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT)
    statements.push(db.prepare(INSERT).bind(JSON.stringify(rows.slice(i, i + ROWS_PER_STATEMENT))));
  const results = await db.batch(statements);
  return results.reduce((n, r) => n + (r.meta.changes ?? 0), 0);
}

/** Units converted on a goal count only if they were exposed in the same segment and arm in the range. */
const EXPOSED = `EXISTS (SELECT 1 FROM events e WHERE e.site = ?1 AND e.type = 'exposure' AND e.segment = c.segment
  AND e.arm = c.arm AND e.unit = c.unit AND e.day BETWEEN ?2 AND ?3)`;
const IN_RANGE = `c.site = ?1 AND c.day BETWEEN ?2 AND ?3`;
const COUNTED = `(c.type = 'exposure' OR ${EXPOSED})`;

/** Everything the report needs for one site and day range, in one round trip. */
export async function readReportRows(db: D1Database, site: string, from: string, to: string): Promise<ReportRows> {
  const q = (sql: string) => db.prepare(sql).bind(site, from, to);
  const [arms, goals, days, versions, totals] = await db.batch([
    q(`SELECT segment, arm, COUNT(DISTINCT unit) AS units, COUNT(DISTINCT visitor) AS visitors,
         COUNT(DISTINCT account) AS accounts, COUNT(*) AS events
       FROM events c WHERE ${IN_RANGE} AND c.type = 'exposure' GROUP BY segment, arm`),
    q(`SELECT segment, arm, goal, COUNT(DISTINCT unit) AS units, COUNT(*) AS events
       FROM events c WHERE ${IN_RANGE} AND c.type = 'conversion' AND ${EXPOSED} GROUP BY segment, arm, goal`),
    q(`SELECT type, segment, arm, goal, day AS slice, COUNT(DISTINCT unit) AS units
       FROM events c WHERE ${IN_RANGE} AND ${COUNTED} GROUP BY type, segment, arm, goal, day`),
    q(`SELECT type, segment, arm, goal, version AS slice, COUNT(DISTINCT unit) AS units
       FROM events c WHERE ${IN_RANGE} AND ${COUNTED} GROUP BY type, segment, arm, goal, version`),
    q(`SELECT type, COUNT(*) AS events FROM events c WHERE ${IN_RANGE} GROUP BY type`),
  ]);
  return {
    arms: arms!.results as ReportRows['arms'],
    goals: goals!.results as ReportRows['goals'],
    days: days!.results as ReportRows['days'],
    versions: versions!.results as ReportRows['versions'],
    totals: totals!.results as ReportRows['totals'],
  };
}

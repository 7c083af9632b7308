import type { QueuedEvents } from '../../shared/schemas';
import type { ReportRows } from '../../shared/measure/report';
import { assignmentUnit } from '../../shared/measure/assign';
import { dayOf } from '../../shared/measure/days';
import { DEFAULT_ATTRIBUTION_DAYS } from '../../shared/measure/pipeline';

/** The measurement store (D1): events in, report rows out. Schema: migrations/0001_events.sql. */

const COLUMNS = ['site', 'batch', 'idx', 'delivery', 'day', 'received_at', 'type', 'segment', 'arm', 'version', 'goal', 'unit', 'account', 'visitor'] as const;

/** Rows per INSERT: every row travels in one JSON parameter, well under D1's parameter size limit. */
const ROWS_PER_STATEMENT = 2000;

const INSERT_EVENTS = `INSERT OR IGNORE INTO events (${COLUMNS.join(', ')})
  SELECT ${COLUMNS.map((_, i) => `json_extract(value, '$[${i}]')`).join(', ')} FROM json_each(?1)`;

/**
 * Conversion events counted per unit, goal, day and version at most: a unit that converts counts once
 * in the report's rates anyway; the cap keeps one unit's clicks from inflating the event counts.
 */
export const MAX_CONVERSIONS_PER_UNIT_GOAL_DAY = 20;

/** Only the rows this delivery inserted (a duplicate kept its first delivery's id) reach the roll-ups. */
const ROLL_UP = [
  `INSERT INTO exposures (site, segment, arm, day, version, unit, visitor, account, n)
     SELECT site, segment, arm, day, version, unit, visitor, account, COUNT(*) FROM events
     WHERE delivery = ?1 AND type = 'exposure' GROUP BY site, segment, arm, unit, day, version, visitor
     ON CONFLICT DO UPDATE SET n = n + excluded.n`,
  `INSERT INTO conversions (site, segment, arm, goal, day, version, unit, n)
     SELECT site, segment, arm, goal, day, version, unit, MIN(COUNT(*), ${MAX_CONVERSIONS_PER_UNIT_GOAL_DAY}) FROM events
     WHERE delivery = ?1 AND type = 'conversion' GROUP BY site, segment, arm, goal, unit, day, version
     ON CONFLICT DO UPDATE SET n = MIN(n + excluded.n, ${MAX_CONVERSIONS_PER_UNIT_GOAL_DAY})`,
];

/** Whether a batch was counted before (a replay); one primary-key lookup. */
export async function batchSeen(db: D1Database, site: string, batch: string): Promise<boolean> {
  return (await db.prepare('SELECT 1 FROM events WHERE site = ?1 AND batch = ?2 LIMIT 1').bind(site, batch).first()) !== null;
}

/**
 * Writes a delivery of queued batches and rolls them up, in one D1 transaction. Events already there
 * (a batch delivered or sent twice) are ignored, so writing the same batches again changes nothing.
 * Resolves with the number of events new to D1.
 */
export async function writeEvents(db: D1Database, batches: readonly QueuedEvents[]): Promise<number> {
  const delivery = crypto.randomUUID();
  const rows = batches.flatMap((b) => {
    const day = dayOf(b.receivedAt);
    return b.events.map((e) => [
      b.site, b.batch, e.index, delivery, day, b.receivedAt, e.type, e.segment, e.arm, e.version,
      e.type === 'conversion' ? e.goal : '', assignmentUnit(e.account, b.visitor)!, e.account ?? null, b.visitor,
    ]);
  });
  if (!rows.length) return 0;
  const inserts = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT)
    inserts.push(db.prepare(INSERT_EVENTS).bind(JSON.stringify(rows.slice(i, i + ROWS_PER_STATEMENT))));
  const results = await db.batch([...inserts, ...ROLL_UP.map((sql) => db.prepare(sql).bind(delivery))]);
  return results.slice(0, inserts.length).reduce((n, r) => n + (r.meta.changes ?? 0), 0);
}

/** A unit's conversions count as converted only if it was exposed in the same segment and arm in the range. */
const EXPOSED = `EXISTS (SELECT 1 FROM exposures e WHERE e.site = ?1 AND e.segment = c.segment AND e.arm = c.arm
  AND e.unit = c.unit AND e.day BETWEEN ?2 AND ?3)`;
const IN_RANGE = `site = ?1 AND day BETWEEN ?2 AND ?3`;

/** Exposed units (goal '') and converted units per goal, per `slice` (day or version). */
const slices = (slice: 'day' | 'version') => `
  SELECT 'exposure' AS type, segment, arm, '' AS goal, ${slice} AS slice, COUNT(DISTINCT unit) AS units
    FROM exposures WHERE ${IN_RANGE} GROUP BY segment, arm, ${slice}
  UNION ALL
  SELECT 'conversion', segment, arm, goal, ${slice}, COUNT(DISTINCT unit)
    FROM conversions c WHERE ${IN_RANGE} AND ${EXPOSED} GROUP BY segment, arm, goal, ${slice}`;

/** Before any day: `day BETWEEN EARLIEST AND to` is every day kept up to `to`. */
const EARLIEST = '0000-00-00';

/**
 * The accounts exposed per segment × arm from ?2 to ?3 (`x`, each from the start of the day of its first
 * exposure: exposures are kept per day), and per account what it had of the CRM's opportunities created
 * from then to ?4 days later (`a`): how many, their amount, the amount won, won and lost, and the time to
 * the first. Units are accounts here: visitors without one do not count.
 */
const PIPELINE_ACCOUNTS = `WITH x AS (
    SELECT segment, arm, substr(unit, 3) AS account, CAST(strftime('%s', MIN(day)) AS INTEGER) * 1000 AS exposed_at
    FROM exposures WHERE site = ?1 AND day BETWEEN ?2 AND ?3 AND unit LIKE 'a:%' GROUP BY segment, arm, unit),
  a AS (
    SELECT x.segment, x.arm, COUNT(o.id) AS opps, COALESCE(SUM(o.amount), 0) AS pipeline,
      COALESCE(SUM(CASE WHEN o.status = 'won' THEN o.amount END), 0) AS won,
      COALESCE(SUM(o.status = 'won'), 0) AS won_n, COALESCE(SUM(o.status = 'lost'), 0) AS lost_n,
      MIN(o.created_at) - x.exposed_at AS to_first
    FROM x LEFT JOIN opportunities o ON o.site = ?1 AND o.account = x.account
      AND o.created_at >= x.exposed_at AND o.created_at < x.exposed_at + ?4 * 86400000
    GROUP BY x.segment, x.arm, x.account)`;

/**
 * Everything the report needs for one site and day range, in one round trip, from the roll-ups. With
 * `cumulative` (the sequential interval) also the units exposed and converted per segment and arm from
 * every day kept up to `to`, with each segment's first day: a scan of up to the retention period.
 */
export async function readReportRows(db: D1Database, site: string, from: string, to: string, { cumulative = false, attributionDays = DEFAULT_ATTRIBUTION_DAYS } = {}): Promise<ReportRows> {
  const q = (sql: string, since = from) => db.prepare(sql).bind(site, since, to);
  // the Pipeline goal counts the accounts exposed over the same days as the lifts
  const pipelineSince = cumulative ? EARLIEST : from;
  const pipeline = (sql: string) => db.prepare(`${PIPELINE_ACCOUNTS} ${sql}`).bind(site, pipelineSince, to, attributionDays);
  const statements = [
    q(`SELECT segment, arm, COUNT(DISTINCT unit) AS units, COUNT(DISTINCT visitor) AS visitors,
         COUNT(DISTINCT account) AS accounts, SUM(n) AS events
       FROM exposures WHERE ${IN_RANGE} GROUP BY segment, arm`),
    q(`SELECT segment, arm, goal, COUNT(DISTINCT unit) AS units, SUM(n) AS events
       FROM conversions c WHERE ${IN_RANGE} AND ${EXPOSED} GROUP BY segment, arm, goal`),
    q(slices('day')),
    q(slices('version')),
    q(`SELECT 'exposure' AS type, COALESCE(SUM(n), 0) AS events FROM exposures WHERE ${IN_RANGE}
       UNION ALL SELECT 'conversion', COALESCE(SUM(n), 0) FROM conversions WHERE ${IN_RANGE}`),
    q(`SELECT COALESCE(SUM(batches), 0) AS batches, COALESCE(SUM(events), 0) AS events FROM dropped_events WHERE ${IN_RANGE}`),
    pipeline(`SELECT segment, arm, COUNT(*) AS accounts, SUM(opps > 0) AS withOpportunity, SUM(opps) AS opportunities,
       SUM(pipeline) AS pipeline, SUM(pipeline * pipeline) AS pipelineSquares, SUM(pipeline > 0) AS withPipeline,
       SUM(won) AS won, SUM(won_n) AS wonCount, SUM(lost_n) AS lostCount FROM a GROUP BY segment, arm`),
    pipeline(`SELECT segment, arm, to_first / 86400000.0 AS days FROM a WHERE opps > 0`),
    db.prepare('SELECT COUNT(*) AS n FROM opportunities WHERE site = ?1').bind(site),
  ];
  if (cumulative)
    statements.push(
      q(`SELECT segment, arm, COUNT(DISTINCT unit) AS units, MIN(day) AS start FROM exposures WHERE ${IN_RANGE} GROUP BY segment, arm`, EARLIEST),
      q(`SELECT segment, arm, goal, COUNT(DISTINCT unit) AS units FROM conversions c WHERE ${IN_RANGE} AND ${EXPOSED} GROUP BY segment, arm, goal`, EARLIEST),
    );
  const [arms, goals, days, versions, totals, dropped, pipelineArms, pipelineDays, opportunities, cumulativeArms, cumulativeGoals] = await db.batch(statements);
  return {
    arms: arms!.results as ReportRows['arms'],
    goals: goals!.results as ReportRows['goals'],
    days: days!.results as ReportRows['days'],
    versions: versions!.results as ReportRows['versions'],
    totals: totals!.results as ReportRows['totals'],
    dropped: (dropped!.results[0] as ReportRows['dropped'] | undefined) ?? { batches: 0, events: 0 },
    pipeline: {
      since: pipelineSince === EARLIEST ? null : from,
      arms: pipelineArms!.results as ReportRows['pipeline']['arms'],
      days: pipelineDays!.results as ReportRows['pipeline']['days'],
      opportunities: (opportunities!.results[0] as { n: number } | undefined)?.n ?? 0,
    },
    ...(cumulative && {
      cumulative: {
        arms: cumulativeArms!.results as NonNullable<ReportRows['cumulative']>['arms'],
        goals: cumulativeGoals!.results as NonNullable<ReportRows['cumulative']>['goals'],
      },
    }),
  };
}

import type { MatchRow, QueuedMatchTally } from '../../shared/schemas';

/**
 * Adds queued match-rate tallies into D1 in one transaction: each row's views onto its day's count,
 * unless its batch was added before (the queue may deliver a message again), then the batch id.
 */
export async function writeMatchTallies(db: D1Database, tallies: QueuedMatchTally[]): Promise<void> {
  const statements: D1PreparedStatement[] = [];
  for (const t of tallies) {
    for (const r of t.rows) {
      statements.push(
        db
          .prepare(
            `INSERT INTO match_views (site, day, origin, method, confidence, segment, views)
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE NOT EXISTS (SELECT 1 FROM match_batches WHERE id = ?8)
             ON CONFLICT (site, day, origin, method, confidence, segment) DO UPDATE SET views = views + excluded.views`,
          )
          .bind(r.site, r.day, r.origin, r.method, r.confidence, r.segment, r.views, t.batch),
      );
    }
    statements.push(db.prepare('INSERT OR IGNORE INTO match_batches (id, day) VALUES (?1, ?2)').bind(t.batch, t.rows[0]!.day));
  }
  if (statements.length) await db.batch(statements);
}

/** The site's rows between two UTC days (both included). */
export async function readMatchRows(db: D1Database, site: string, from: string, to: string): Promise<MatchRow[]> {
  const { results } = await db
    .prepare('SELECT site, day, origin, method, confidence, segment, views FROM match_views WHERE site = ?1 AND day >= ?2 AND day <= ?3 ORDER BY day, origin, method, confidence, segment')
    .bind(site, from, to)
    .all<MatchRow>();
  return results;
}

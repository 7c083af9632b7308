/**
 * Per key of the read copy: when it was last written (for the one write per key per second), and
 * how its write keeps failing (backoff, then the stuck table). Used by the outbox's flush (outbox.ts).
 */

/** A key's write is set aside as stuck after this many failed attempts in a row. */
export const MAX_ATTEMPTS = 8;
const BACKOFF_BASE_MS = 2000;
const BACKOFF_MAX_MS = 5 * 60_000;
/** The stuck keys a status lists, oldest first. */
const STUCK_LISTED = 100;

/** After `attempts` failures in a row: 2 s, 4 s, 8 s, … (about four minutes in all before a key is stuck). */
export const backoffMs = (attempts: number) => Math.min(BACKOFF_BASE_MS * 2 ** (attempts - 1), BACKOFF_MAX_MS);

interface Attempted {
  seq: number;
  key: string;
  attempts: number;
}

/** The write went through: the queued row goes, unless a newer write to the key replaced it meanwhile (a new seq). */
export function recordWrite(sql: SqlStorage, write: Attempted, at: number): void {
  sql.exec('DELETE FROM kv_outbox WHERE seq = ?', write.seq);
  sql.exec(
    `INSERT INTO kv_key_state (key, written_at) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET
       written_at = excluded.written_at, attempts = 0, retry_at = NULL, failing_since = NULL, last_error = NULL`,
    write.key, at,
  );
}

/** The write failed: the key retries after its backoff or, out of attempts, its latest value is set aside as stuck. */
export function recordFailure(sql: SqlStorage, write: Attempted, at: number, reason: unknown): void {
  const attempts = write.attempts + 1;
  const error = (reason instanceof Error ? reason.message : String(reason)).slice(0, 500);
  if (attempts < MAX_ATTEMPTS) {
    sql.exec(
      `INSERT INTO kv_key_state (key, attempts, retry_at, failing_since, last_error) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET attempts = excluded.attempts, retry_at = excluded.retry_at,
         failing_since = coalesce(failing_since, excluded.failing_since), last_error = excluded.last_error`,
      write.key, attempts, at + backoffMs(attempts), at, error,
    );
    return;
  }
  const since = sql.exec<{ since: number | null }>('SELECT failing_since AS since FROM kv_key_state WHERE key = ?', write.key).toArray()[0]?.since ?? at;
  sql.exec(
    'INSERT OR REPLACE INTO kv_stuck (key, value, attempts, last_error, since) SELECT key, value, ?, ?, ? FROM kv_outbox WHERE key = ?',
    attempts, error, since, write.key,
  );
  sql.exec('DELETE FROM kv_outbox WHERE key = ?', write.key);
  sql.exec('DELETE FROM kv_key_state WHERE key = ?', write.key);
}

/** Queues every stuck write again, with fresh attempts; answers how many. */
export function requeueStuck(sql: SqlStorage): number {
  // a stuck key never has a queued write (enqueue clears it), but if one did, the queued one is newer
  sql.exec('INSERT OR IGNORE INTO kv_outbox (key, value) SELECT key, value FROM kv_stuck ORDER BY since');
  return sql.exec('DELETE FROM kv_stuck').rowsWritten;
}

/** How far the read copy is behind: ReadCopyStatus of shared/schemas/admin.ts. */
export function outboxStatus(sql: SqlStorage) {
  const count = (query: string) => sql.exec<{ n: number }>(query).one().n;
  const stuck = sql
    .exec<{ key: string; attempts: number; last_error: string; since: number }>('SELECT key, attempts, last_error, since FROM kv_stuck ORDER BY since, key LIMIT ?', STUCK_LISTED)
    .toArray()
    .map((r) => ({ key: r.key, attempts: r.attempts, lastError: r.last_error, since: new Date(r.since).toISOString() }));
  return {
    pending: count('SELECT count(*) AS n FROM kv_outbox'),
    retrying: count('SELECT count(*) AS n FROM kv_outbox o JOIN kv_key_state s ON s.key = o.key WHERE s.attempts > 0'),
    stuck,
    stuckTotal: count('SELECT count(*) AS n FROM kv_stuck'),
  };
}

import { recordFailure, recordWrite } from './key-state';

/**
 * The transactional outbox between the system of record (SQLite) and the edge's read copy (KV):
 * a change enqueues its KV writes in the same transaction as the rows, then flushes write them out.
 * Pending writes are coalesced per key (the last one wins), so KV converges on what SQLite holds.
 *
 * A flush keeps within Cloudflare's KV limits, which local workerd does not enforce:
 * - at most FLUSH_BUDGET operations; what is left is the next flush's (SiteStore arms its alarm);
 * - at most one write per key per second: a key written less than a second ago waits;
 * - a failing key backs off on its own, and is set aside as stuck after MAX_ATTEMPTS (key-state.ts),
 *   so it never holds up the others.
 * Keys therefore reach KV in no fixed order; each key's value is always its latest.
 */

/** KV allows 1,000 operations per invocation; the invocation that flushes may also read a site config (SiteStore.open). */
export const FLUSH_BUDGET = 900;
export const KEY_WRITE_INTERVAL_MS = 1000;
const PARALLEL_WRITES = 50;

/** What a flush needs of a KV namespace (a real one is one; tests wrap one to count or fail operations). */
export interface KvWriter {
  put(key: string, value: string): Promise<unknown>;
  delete(key: string): Promise<unknown>;
}

export interface FlushOptions {
  now?: () => number;
  budget?: number;
}

export interface FlushReport {
  /** KV operations attempted. */
  ops: number;
  failed: number;
  /** Writes still queued, and when the first of them may go (epoch ms; null: none queued). */
  remaining: number;
  nextDueAt: number | null;
}

/** `value` null deletes the key. A write to a stuck key replaces it and is queued afresh. */
export function enqueue(sql: SqlStorage, key: string, value: string | null): void {
  sql.exec('INSERT OR REPLACE INTO kv_outbox (key, value) VALUES (?, ?)', key, value);
  sql.exec('DELETE FROM kv_stuck WHERE key = ?', key);
}

export function pendingWrites(sql: SqlStorage): number {
  return sql.exec<{ n: number }>('SELECT count(*) AS n FROM kv_outbox').one().n;
}

type QueuedWrite = {
  seq: number;
  key: string;
  value: string | null;
  attempts: number;
};

/** The oldest queued writes whose key may be written at `now`. */
function dueWrites(sql: SqlStorage, now: number, limit: number): QueuedWrite[] {
  return sql
    .exec<QueuedWrite>(
      `SELECT o.seq, o.key, o.value, coalesce(s.attempts, 0) AS attempts
       FROM kv_outbox o LEFT JOIN kv_key_state s ON s.key = o.key
       WHERE (s.written_at IS NULL OR s.written_at <= ?) AND (s.retry_at IS NULL OR s.retry_at <= ?)
       ORDER BY o.seq LIMIT ?`,
      now - KEY_WRITE_INTERVAL_MS, now, limit,
    )
    .toArray();
}

/** How many writes are queued, and when the first of them may go. */
export function outboxBacklog(sql: SqlStorage): Pick<FlushReport, 'remaining' | 'nextDueAt'> {
  const row = sql
    .exec<{ n: number; due: number | null }>(
      `SELECT count(*) AS n, min(max(coalesce(s.written_at + ?, 0), coalesce(s.retry_at, 0))) AS due
       FROM kv_outbox o LEFT JOIN kv_key_state s ON s.key = o.key`,
      KEY_WRITE_INTERVAL_MS,
    )
    .one();
  return { remaining: row.n, nextDueAt: row.n ? row.due : null };
}

/**
 * Applies at most `budget` queued writes, PARALLEL_WRITES at a time, oldest first, skipping keys
 * that must wait. Callers must not run two at once (see SiteStore).
 */
export async function drainOutbox(sql: SqlStorage, kv: KvWriter, { now = Date.now, budget = FLUSH_BUDGET }: FlushOptions = {}): Promise<FlushReport> {
  const start = now();
  // only keys written within the last second, or failing, need their state
  sql.exec('DELETE FROM kv_key_state WHERE attempts = 0 AND written_at <= ?', start - KEY_WRITE_INTERVAL_MS);
  const rows = dueWrites(sql, start, budget);
  let failed = 0;
  for (let i = 0; i < rows.length; i += PARALLEL_WRITES) {
    const group = rows.slice(i, i + PARALLEL_WRITES);
    const results = await Promise.allSettled(group.map(async (r) => (r.value === null ? kv.delete(r.key) : kv.put(r.key, r.value))));
    // stamped after the write settles, so the next write of the key comes a full interval later
    const at = now();
    group.forEach((row, j) => {
      const result = results[j]!;
      if (result.status === 'fulfilled') recordWrite(sql, row, at);
      else {
        failed++;
        recordFailure(sql, row, at, result.reason);
      }
    });
  }
  return { ops: rows.length, failed, ...outboxBacklog(sql) };
}

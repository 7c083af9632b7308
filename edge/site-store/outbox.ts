/**
 * The transactional outbox between the system of record (SQLite) and the edge's read copy (KV):
 * a change enqueues its KV writes in the same transaction as the rows, then they are flushed.
 * A flush that fails leaves them queued for the next flush, so KV converges on what SQLite holds.
 */
const PARALLEL_WRITES = 50;
const ROWS_PER_READ = 1000;

/** `value` null deletes the key. */
export function enqueue(sql: SqlStorage, key: string, value: string | null): void {
  sql.exec('INSERT OR REPLACE INTO kv_outbox (key, value) VALUES (?, ?)', key, value);
}

export function pendingWrites(sql: SqlStorage): number {
  return sql.exec<{ n: number }>('SELECT count(*) AS n FROM kv_outbox').one().n;
}

/** Applies queued writes, 50 at a time, oldest first. Callers must not run two at once (see SiteStore). */
export async function drainOutbox(sql: SqlStorage, kv: KVNamespace): Promise<number> {
  let written = 0;
  for (;;) {
    const rows = sql.exec<{ seq: number; key: string; value: string | null }>('SELECT seq, key, value FROM kv_outbox ORDER BY seq LIMIT ?', ROWS_PER_READ).toArray();
    if (!rows.length) return written;
    for (let i = 0; i < rows.length; i += PARALLEL_WRITES) {
      const group = rows.slice(i, i + PARALLEL_WRITES);
      await Promise.all(group.map((r) => (r.value === null ? kv.delete(r.key) : kv.put(r.key, r.value))));
      for (const r of group) sql.exec('DELETE FROM kv_outbox WHERE seq = ?', r.seq);
      written += group.length;
    }
  }
}

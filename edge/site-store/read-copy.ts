import { bucketEntry } from '../../shared/kv/entries';
import { kvKeys } from '../../shared/kv/keys';
import type { BucketEntry } from '../../shared/resolve/ip';
import type { Touched } from './accounts-table';
import { enqueue } from './outbox';

/**
 * Recomputes, from the tables, the KV values of the buckets and org names a change touched, and
 * queues them: a bucket or name nobody holds any more is deleted from KV.
 */
export function enqueueIndexes(sql: SqlStorage, site: string, touched: Touched): void {
  for (const bucket of touched.buckets) {
    const parts = sql
      .exec<{ range_start: string; range_end: string; domain: string; prefix: number }>(
        'SELECT range_start, range_end, domain, prefix FROM ip_ranges WHERE bucket = ? ORDER BY rowid',
        bucket,
      )
      .toArray()
      .map((r) => ({ entry: [r.range_start, r.range_end, r.domain] as BucketEntry, prefix: r.prefix }));
    if (parts.length) {
      const { key, value } = bucketEntry(site, bucket, parts);
      enqueue(sql, key, value);
    } else enqueue(sql, kvKeys.ipBucket(site, bucket), null);
  }
  for (const name of touched.orgNames) {
    const holder = sql.exec<{ domain: string }>('SELECT domain FROM org_names WHERE name = ? ORDER BY rowid LIMIT 1', name).toArray()[0];
    enqueue(sql, kvKeys.org(site, name), holder?.domain ?? null);
  }
}

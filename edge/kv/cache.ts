import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * A bounded in-isolate cache for what the hot path reads from KV (site configs, account records, IP
 * buckets, network names, activity digests), so a hot account costs no storage read at all.
 *
 * - Bounded by bytes, not by count: each entry is charged what its stored text weighs, and the least
 *   recently used entries go first when a pool is full. An isolate has 128 MB; the pools take a few.
 * - Two pools: what exists, and what does not (unknown sites, domains nobody imported, empty buckets).
 *   Requests for made-up sites or domains fill only the second, so they never evict a known entry.
 * - Every entry has a TTL: how stale a hit may be is the entry's TTL plus KV's own propagation
 *   (docs/latency-model.md).
 */

interface Entry<T> {
  value: T;
  bytes: number;
  expires: number;
}

/** Rough cost of a parsed value whose stored text had `length` characters: UTF-16, object overhead. */
export const weigh = (length: number) => 64 + length * 3;

export class BytePool {
  private readonly entries = new Map<string, Entry<unknown>>();
  private used = 0;

  constructor(readonly maxBytes: number) {}

  get<T>(key: string, now: number): T | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    this.entries.delete(key);
    if (hit.expires <= now) {
      this.used -= hit.bytes;
      return undefined;
    }
    this.entries.set(key, hit); // most recently used last
    return hit.value as T;
  }

  set<T>(key: string, value: T, bytes: number, ttlMs: number, now: number): void {
    this.delete(key);
    if (bytes > this.maxBytes / 4) return; // one huge value must not flush the pool
    this.entries.set(key, { value, bytes, expires: now + ttlMs });
    this.used += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.used <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.used -= entry.bytes;
    }
  }

  /** Drops every entry whose key starts with `prefix` (admin writes; O(entries)). */
  deletePrefix(prefix: string): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.delete(key);
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.used -= entry.bytes;
  }

  clear(): void {
    this.entries.clear();
    this.used = 0;
  }

  get size() {
    return { entries: this.entries.size, bytes: this.used };
  }
}

/** How long an isolate trusts what it read, by kind of key. */
export const CACHE_TTL_MS = {
  /** A publish reaches every isolate within this (plus KV propagation). */
  config: 10_000,
  /** Imported accounts, IP buckets and network names: admin edits reach every isolate within this. */
  account: 60_000,
  /** Activity digests: this isolate's own recorded views are overlaid on top, so only other isolates' views wait. */
  digest: 5_000,
  /** What does not exist: a new import shows within this. */
  missing: 30_000,
} as const;

export const isolateCache = {
  known: new BytePool(16 * 1024 * 1024),
  missing: new BytePool(2 * 1024 * 1024),
};

/** The bench's "no cache hits" runs (edge/decide/route.ts honours it only where dev routes are on). */
const bypass = new AsyncLocalStorage<true>();
export const withoutCache = <T>(run: () => Promise<T>): Promise<T> => bypass.run(true, run);

/**
 * The cached value of `key`, else `read()`'s, cached in the pool its answer belongs to (null: missing).
 * `read` answers the value and the length of its stored text; failures are not cached.
 */
export async function cached<T>(key: string, ttlMs: number, read: () => Promise<{ value: T | null; length: number }>, now = Date.now()): Promise<T | null> {
  if (bypass.getStore()) return (await read()).value;
  const known = isolateCache.known.get<T>(key, now);
  if (known !== undefined) return known;
  if (isolateCache.missing.get<true>(key, now)) return null;
  const { value, length } = await read();
  if (value === null) isolateCache.missing.set(key, true, weigh(key.length), Math.min(ttlMs, CACHE_TTL_MS.missing), now);
  else isolateCache.known.set(key, value, weigh(length + key.length), ttlMs, now);
  return value;
}

/** Forget one key in this isolate (after a publish here), or everything (tests). */
export function forget(key?: string): void {
  if (key === undefined) {
    isolateCache.known.clear();
    isolateCache.missing.clear();
    return;
  }
  isolateCache.known.delete(key);
  isolateCache.missing.delete(key);
}

/** Forget every key of one site in this isolate (`<kind>:<site>:...`): after an admin write here. */
export function forgetSite(site: string): void {
  for (const pool of [isolateCache.known, isolateCache.missing])
    for (const kind of ['config', 'acct', 'ip', 'org', 'act']) pool.deletePrefix(`${kind}:${site}:`);
  forget(`config:${site}`);
}

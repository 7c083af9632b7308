import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { domainForOrg, getAccount } from '../../../edge/kv/accounts';
import { readText } from '../../../edge/kv/read';
import { clearConfigCache, getSiteConfig } from '../../../edge/kv/site-config';
import { liveVersion } from '../../../edge/site-store/drafts';
import { flushIoWrappers } from '../../../edge/site-store/flush-io';
import { type KvWriter, outboxBacklog } from '../../../edge/site-store/outbox';
import { bucketEntry } from '../../../shared/kv/entries';
import type { Account } from '../../../shared/schemas';

/** The site's SiteStore, as the admin routes reach it. */
export const storeOf = (site: string) => env.SITE_STORE.getByName(site);

/**
 * A wrapper around the real local KV a site's flushes use: counts each flush's operations (one flush
 * is one invocation's worth: a commit's or an alarm's), stamps every write of every key, and fails
 * the keys in `failing` (counted as operations, not as writes).
 */
export class KvRecorder {
  /** Operations per flush that made any, in order. */
  readonly flushes: number[] = [];
  /** Every successful write (put or delete) of a key, by the time it was issued. */
  readonly writes = new Map<string, number[]>();
  /** Every attempt at a failing key, by the flush clock's time. */
  readonly failedAttempts = new Map<string, number[]>();
  readonly failing = new Set<string>();

  constructor(private readonly now: () => number = Date.now) {}

  /** One flush's writer around `kv`. */
  writer(kv: KvWriter): KvWriter {
    let flush = -1;
    const op = async (key: string, write: () => Promise<unknown>) => {
      if (flush < 0) flush = this.flushes.push(0) - 1;
      this.flushes[flush]!++;
      if (this.failing.has(key)) {
        push(this.failedAttempts, key, this.now());
        throw new Error(`injected: KV write of ${key} failed`);
      }
      push(this.writes, key, Date.now());
      return write();
    };
    return { put: (key, value) => op(key, () => kv.put(key, value)), delete: (key) => op(key, () => kv.delete(key)) };
  }

  /** The shortest time between two writes of one key (Infinity when no key was written twice). */
  shortestRewriteMs(): number {
    let shortest = Infinity;
    for (const times of this.writes.values()) for (let i = 1; i < times.length; i++) shortest = Math.min(shortest, times[i]! - times[i - 1]!);
    return shortest;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** From now on the site's flushes go through `recorder` and read `now`. */
export function recordFlushes(site: string, recorder: KvRecorder, now: () => number = Date.now): void {
  flushIoWrappers.set(storeOf(site).id.toString(), (real) => ({ kv: recorder.writer(real.kv), now }));
}

export const backlogOf = (site: string) => runInDurableObject(storeOf(site), (_, state) => outboxBacklog(state.storage.sql));

/**
 * Drives the site's alarm until its outbox is empty, as soon as a queued write may go (rather than
 * when the alarm is due, ≥ 1 s after each flush); answers how many alarm runs it took.
 */
export async function settleReadCopy(site: string, { timeoutMs = 60_000 } = {}): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let alarms = 0;
  for (;;) {
    const { remaining, nextDueAt } = await backlogOf(site);
    if (!remaining) return alarms;
    if (Date.now() > deadline) throw new Error(`${site}: ${remaining} KV writes still queued after ${timeoutMs} ms`);
    const wait = (nextDueAt ?? 0) - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait + 5));
    if (await runDurableObjectAlarm(storeOf(site))) alarms++;
  }
}

/** Reads in the checks wait for a loaded machine, not the decide path's 300 ms. */
export const READ_BUDGET_MS = 10_000;

/** In groups, so thousands of reads do not all wait on the local KV at once. */
export async function inGroups<T>(items: T[], check: (item: T) => Promise<void>, size = 100) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(check));
}

/** What SQLite holds: every account, every bucket's KV value, every org name's holder, the live config. */
export const systemOfRecord = (site: string) =>
  runInDurableObject(storeOf(site), (_, state) => {
    const sql = state.storage.sql;
    const accounts = sql.exec<{ data: string }>('SELECT data FROM accounts').toArray().map((r) => JSON.parse(r.data) as Account);
    const parts = new Map<string, { entry: [string, string, string]; prefix: number }[]>();
    for (const r of sql.exec<{ bucket: string; range_start: string; range_end: string; domain: string; prefix: number }>('SELECT * FROM ip_ranges ORDER BY rowid'))
      parts.set(r.bucket, [...(parts.get(r.bucket) ?? []), { entry: [r.range_start, r.range_end, r.domain], prefix: r.prefix }]);
    const buckets = [...parts].map(([bucket, list]) => bucketEntry(site, bucket, list));
    const holders = new Map<string, string>();
    for (const r of sql.exec<{ name: string; domain: string }>('SELECT name, domain FROM org_names ORDER BY rowid')) if (!holders.has(r.name)) holders.set(r.name, r.domain);
    return { accounts, buckets, holders: [...holders], config: liveVersion(sql)?.config ?? null };
  });

/**
 * The edge reads what SQLite holds, through the decide path's functions: the live config, every
 * account, every IP bucket's value, and the holder of the org names `checkOrg` picks.
 */
export async function expectEdgeReadsStore(site: string, checkOrg: (name: string, index: number) => boolean = () => true) {
  const record = await systemOfRecord(site);
  clearConfigCache();
  expect(await getSiteConfig(env.KV, site)).toEqual(record.config ? { status: 'ok', config: record.config } : { status: 'unknown' });
  await inGroups(record.accounts, async (account) => {
    expect(await getAccount(env.KV, site, account.domain, READ_BUDGET_MS)).toEqual(account);
  });
  await inGroups(record.buckets, async ({ key, value }) => {
    expect(await readText(env.KV, key, READ_BUDGET_MS), key).toBe(value);
  });
  await inGroups(
    record.holders.filter(([name], i) => checkOrg(name, i)),
    async ([name, domain]) => {
      expect(await domainForOrg(env.KV, site, name, READ_BUDGET_MS), name).toBe(domain);
    },
  );
  return record;
}

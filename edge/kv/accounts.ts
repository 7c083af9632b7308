import { Account } from '../../shared/schemas';
import { kvKeys } from '../../shared/kv/keys';
import { type BucketEntry, type IpAddress, bucketOf, findInBucket } from '../../shared/resolve/ip';
import { normalizeOrgName } from '../../shared/resolve/org';
import { CACHE_TTL_MS, cached } from './cache';
import { KV_READ_BUDGET_MS, parseStored, readText } from './read';

/** Each lookup is at most one KV read (none on a cache hit), given up after `budgetMs` (StoreUnavailable). */

/** One KV key through this isolate's cache: a corrupt record reads as absent. */
function readCached<T>(kv: KVNamespace, key: string, budgetMs: number, parse: (v: unknown) => { success: true; data: T } | { success: false }) {
  return cached<T>(key, CACHE_TTL_MS.account, async () => {
    const text = await readText(kv, key, budgetMs);
    return { value: parseStored(key, text, parse), length: text?.length ?? 0 };
  });
}

export function getAccount(kv: KVNamespace, site: string, domain: string, budgetMs = KV_READ_BUDGET_MS): Promise<Account | null> {
  return readCached(kv, kvKeys.account(site, domain), budgetMs, (v) => Account.safeParse(v));
}

const isBucket = (v: unknown): v is BucketEntry[] =>
  Array.isArray(v) && v.every((e) => Array.isArray(e) && e.length === 3 && e.every((x) => typeof x === 'string'));

/** One KV read whatever the number of imported ranges: the address's bucket, scanned narrowest first. */
export async function domainForIp(kv: KVNamespace, site: string, ip: IpAddress, budgetMs = KV_READ_BUDGET_MS): Promise<string | null> {
  const key = kvKeys.ipBucket(site, bucketOf(ip.version, ip.value));
  const entries = await readCached(kv, key, budgetMs, (v) => (isBucket(v) ? { success: true, data: v } : { success: false }));
  return entries ? findInBucket(entries, ip) : null;
}

export function domainForOrg(kv: KVNamespace, site: string, organisation: string, budgetMs = KV_READ_BUDGET_MS): Promise<string | null> {
  const name = normalizeOrgName(organisation);
  if (!name) return Promise.resolve(null);
  const key = kvKeys.org(site, name);
  // the index holds the bare domain, not JSON
  return cached<string>(key, CACHE_TTL_MS.account, async () => {
    const text = await readText(kv, key, budgetMs);
    return { value: text || null, length: text?.length ?? 0 };
  });
}

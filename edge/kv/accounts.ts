import { Account } from '../../shared/schemas';
import { kvKeys } from '../../shared/kv/keys';
import { type BucketEntry, type IpAddress, bucketOf, findInBucket } from '../../shared/resolve/ip';
import { normalizeOrgName } from '../../shared/resolve/org';
import { KV_READ_BUDGET_MS, parseStored, readText } from './read';

/** Each lookup is one KV read, given up after `budgetMs` (StoreUnavailable). */

export async function getAccount(kv: KVNamespace, site: string, domain: string, budgetMs = KV_READ_BUDGET_MS): Promise<Account | null> {
  const key = kvKeys.account(site, domain);
  return parseStored(key, await readText(kv, key, budgetMs), (v) => Account.safeParse(v));
}

const isBucket = (v: unknown): v is BucketEntry[] =>
  Array.isArray(v) && v.every((e) => Array.isArray(e) && e.length === 3 && e.every((x) => typeof x === 'string'));

/** One KV read whatever the number of imported ranges: the address's bucket, scanned narrowest first. */
export async function domainForIp(kv: KVNamespace, site: string, ip: IpAddress, budgetMs = KV_READ_BUDGET_MS): Promise<string | null> {
  const key = kvKeys.ipBucket(site, bucketOf(ip.version, ip.value));
  const entries = parseStored(key, await readText(kv, key, budgetMs), (v) => (isBucket(v) ? { success: true, data: v } : { success: false }));
  return entries ? findInBucket(entries, ip) : null;
}

export async function domainForOrg(kv: KVNamespace, site: string, organisation: string, budgetMs = KV_READ_BUDGET_MS): Promise<string | null> {
  const name = normalizeOrgName(organisation);
  return name ? readText(kv, kvKeys.org(site, name), budgetMs) : null;
}

import { Account } from '../../shared/schemas';
import { kvKeys } from '../../shared/kv/keys';
import { type BucketEntry, type IpAddress, bucketOf, findInBucket } from '../../shared/resolve/ip';
import { normalizeOrgName } from '../../shared/resolve/org';
import { parseStored, readText } from './kv-read';

export async function getAccount(kv: KVNamespace, site: string, domain: string): Promise<Account | null> {
  const key = kvKeys.account(site, domain);
  return parseStored(key, await readText(kv, key), (v) => Account.safeParse(v));
}

const isBucket = (v: unknown): v is BucketEntry[] =>
  Array.isArray(v) && v.every((e) => Array.isArray(e) && e.length === 3 && e.every((x) => typeof x === 'string'));

/** One KV read whatever the number of imported ranges: the address's bucket, scanned narrowest first. */
export async function domainForIp(kv: KVNamespace, site: string, ip: IpAddress): Promise<string | null> {
  const key = kvKeys.ipBucket(site, bucketOf(ip.version, ip.value));
  const entries = parseStored(key, await readText(kv, key), (v) => (isBucket(v) ? { success: true, data: v } : { success: false }));
  return entries ? findInBucket(entries, ip) : null;
}

export async function domainForOrg(kv: KVNamespace, site: string, organisation: string): Promise<string | null> {
  const name = normalizeOrgName(organisation);
  return name ? readText(kv, kvKeys.org(site, name)) : null;
}

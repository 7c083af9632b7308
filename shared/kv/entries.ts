import { Account, type SiteConfig } from '../schemas';
import { normalizeOrgName } from '../resolve/org';
import { type BucketEntry, parseCidr, splitIntoBuckets, toHex } from '../resolve/ip';
import { kvKeys } from './keys';

export interface KvEntry {
  key: string;
  value: string;
}

export interface Rejection {
  row: number;
  field: string;
  reason: string;
}

/**
 * Turns a site's config and accounts into the KV entries the edge reads: the config, one record per
 * account, the org-name index and the IP-range buckets. Invalid accounts and ranges are reported,
 * never written, and never stop the rest.
 */
export function buildKvEntries(site: string, config: SiteConfig | null, accounts: readonly unknown[]) {
  const entries: KvEntry[] = [];
  const rejected: Rejection[] = [];
  if (config) entries.push({ key: kvKeys.config(site), value: JSON.stringify(config) });

  const orgIndex = new Map<string, string>();
  const buckets = new Map<string, { entry: BucketEntry; prefix: number }[]>();
  accounts.forEach((raw, row) => {
    const parsed = Account.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues.slice(0, 3))
        rejected.push({ row, field: issue.path.join('.') || '(row)', reason: issue.message });
      return;
    }
    const account = parsed.data;
    entries.push({ key: kvKeys.account(site, account.domain), value: JSON.stringify(account) });
    for (const name of [account.name, ...(account.orgNames ?? [])]) {
      const key = normalizeOrgName(name);
      if (key && !orgIndex.has(key)) orgIndex.set(key, account.domain);
    }
    for (const cidr of account.ipRanges ?? []) {
      const result = parseCidr(cidr);
      if (!result.ok) {
        rejected.push({ row, field: 'ipRanges', reason: result.reason });
        continue;
      }
      for (const part of splitIntoBuckets(result.range)) {
        const v = result.range.version;
        const list = buckets.get(part.bucket) ?? [];
        list.push({ entry: [toHex(v, part.start), toHex(v, part.end), account.domain], prefix: result.range.prefix });
        buckets.set(part.bucket, list);
      }
    }
  });
  for (const [name, domain] of orgIndex) entries.push({ key: kvKeys.org(site, name), value: domain });
  for (const [bucket, list] of buckets) {
    list.sort((a, b) => b.prefix - a.prefix); // narrowest first: the first hit is the most specific
    entries.push({ key: kvKeys.ipBucket(site, bucket), value: JSON.stringify(list.map((l) => l.entry)) });
  }
  return { entries, rejected };
}

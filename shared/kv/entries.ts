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

/** One account's share of an IP-range bucket. */
export interface RangePart {
  bucket: string;
  entry: BucketEntry;
  /** The CIDR prefix length: a bucket lists the narrowest ranges first. */
  prefix: number;
}

export function accountEntry(site: string, account: Account): KvEntry {
  return { key: kvKeys.account(site, account.domain), value: JSON.stringify(account) };
}

/** The org-name index keys an account answers to: its name and its network names, normalised. */
export function orgNamesOf(account: Account): string[] {
  const names = [account.name, ...(account.orgNames ?? [])].map(normalizeOrgName).filter(Boolean);
  return [...new Set(names)];
}

/** An account's ranges split into bucket parts; invalid ranges are reported, never stored. */
export function ipRangeParts(account: Account): { parts: RangePart[]; rejected: { field: string; reason: string }[] } {
  const parts: RangePart[] = [];
  const rejected: { field: string; reason: string }[] = [];
  for (const cidr of account.ipRanges ?? []) {
    const result = parseCidr(cidr);
    if (!result.ok) {
      rejected.push({ field: 'ipRanges', reason: result.reason });
      continue;
    }
    const v = result.range.version;
    for (const part of splitIntoBuckets(result.range))
      parts.push({ bucket: part.bucket, entry: [toHex(v, part.start), toHex(v, part.end), account.domain], prefix: result.range.prefix });
  }
  return { parts, rejected };
}

/** A bucket's KV value: its parts narrowest first (stable, so ties keep the given order), since the first hit wins. */
export function bucketEntry(site: string, bucket: string, parts: readonly Pick<RangePart, 'entry' | 'prefix'>[]): KvEntry {
  const sorted = [...parts].sort((a, b) => b.prefix - a.prefix);
  return { key: kvKeys.ipBucket(site, bucket), value: JSON.stringify(sorted.map((p) => p.entry)) };
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
  const buckets = new Map<string, RangePart[]>();
  accounts.forEach((raw, row) => {
    const parsed = Account.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues.slice(0, 3))
        rejected.push({ row, field: issue.path.join('.') || '(row)', reason: issue.message });
      return;
    }
    const account = parsed.data;
    entries.push(accountEntry(site, account));
    for (const name of orgNamesOf(account)) if (!orgIndex.has(name)) orgIndex.set(name, account.domain);
    const { parts, rejected: badRanges } = ipRangeParts(account);
    for (const bad of badRanges) rejected.push({ row, ...bad });
    for (const part of parts) {
      const list = buckets.get(part.bucket);
      if (list) list.push(part);
      else buckets.set(part.bucket, [part]);
    }
  });
  for (const [name, domain] of orgIndex) entries.push({ key: kvKeys.org(site, name), value: domain });
  for (const [bucket, parts] of buckets) entries.push(bucketEntry(site, bucket, parts));
  return { entries, rejected };
}

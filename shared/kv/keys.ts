/** Every KV key the edge reads, in one place: `<kind>:<site>:<id>`. */
export const kvKeys = {
  config: (site: string) => `config:${site}`,
  account: (site: string, domain: string) => `acct:${site}:${domain}`,
  /** `bucket` as returned by bucketOf: `4:10.1` or `6:20010db8`. */
  ipBucket: (site: string, bucket: string) => `ip:${site}:${bucket}`,
  org: (site: string, normalizedName: string) => `org:${site}:${normalizedName}`,
  /** An account's (`<domain>`) or anonymous visitor's (`v:<visitor id>`) activity digest, written by its AccountActivity object. */
  activity: (site: string, subject: string) => `act:${site}:${subject}`,
  /** A site the admin holds (written when it is created): before its first publish, its page views still reach the tag check. */
  created: (site: string) => `site:${site}`,
};

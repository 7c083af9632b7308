/**
 * IP ranges are stored in buckets so one lookup is one KV read whatever the size of the table:
 * IPv4 by /16 (`10.1`), IPv6 by /32 (`20010db8`). A range wider than a bucket is split into one
 * entry per bucket it covers; ranges wider than /8 (IPv4) or /24 (IPv6) are refused, since no
 * single company owns them and they would fan out to too many buckets.
 *
 * Kept over a library (measured 2026-12, esbuild --minify, gzip -9): this file is 2.1 KB min / 1.1 KB gzip, in the
 * Worker and the admin import. A library would replace only parseIpv4/parseIpv6; the bucketing, the widest-prefix
 * refusal and its reasons stay ours. ipaddr.js 2.5.0 (no deps): 13.5 KB min / 4.2 KB gzip, and its parse()/isValid()
 * accept inet_aton forms this file refuses (`127.1`, `0x7f.0.0.1`, `01.2.3.4`, `4294967295`) — only
 * IPv4.isValidFourPartDecimal is strict. ip-address 10.7.6: 33.5 KB min / 9.6 KB gzip. cidr-tools 11.3.2 (13.0.0
 * needs ip-bigint 10, not on our registry): 4.2 KB min / 1.9 KB gzip. Ours gives bigint values for fixed-width hex
 * bucket entries, so a lookup reads one bucket and compares strings (test/worker/ip-ranges.test.ts).
 */
export type IpVersion = 4 | 6;

export interface IpAddress {
  version: IpVersion;
  value: bigint;
}

export interface CidrRange {
  version: IpVersion;
  start: bigint;
  end: bigint;
  prefix: number;
}

const BITS = { 4: 32, 6: 128 } as const;
const BUCKET_PREFIX = { 4: 16, 6: 32 } as const;
const WIDEST_PREFIX = { 4: 8, 6: 24 } as const;

function parseIpv4(s: string): bigint | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255 || (p.length > 1 && p.startsWith('0'))) return null;
    n = (n << 8n) | BigInt(p);
  }
  return n;
}

function parseIpv6(s: string): bigint | null {
  let text = s.toLowerCase().replace(/%.*$/, '');
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    // embedded IPv4 (`::ffff:1.2.3.4`): rewrite its 32 bits as two hex groups
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === null) return null;
    text = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const group = (h: string) => (h === '' ? [] : h.split(':'));
  const head = group(halves[0]!);
  const rest = halves.length === 2 ? group(halves[1]!) : [];
  const given = head.length + rest.length;
  if (halves.length === 1 ? given !== 8 : given > 7) return null;
  let n = 0n;
  for (const g of [...head, ...Array<string>(8 - given).fill('0'), ...rest]) {
    if (!/^[0-9a-f]{1,4}$/.test(g)) return null;
    n = (n << 16n) | BigInt('0x' + g);
  }
  return n;
}

/** Parses a v4 or v6 address; IPv4-mapped IPv6 (`::ffff:1.2.3.4`) is treated as IPv4. */
export function parseIp(s: string): IpAddress | null {
  const text = s.trim();
  if (text.length > 64) return null;
  if (!text.includes(':')) {
    const v4 = parseIpv4(text);
    return v4 === null ? null : { version: 4, value: v4 };
  }
  const v6 = parseIpv6(text);
  if (v6 === null) return null;
  if (v6 >> 32n === 0xffffn) return { version: 4, value: v6 & 0xffffffffn };
  return { version: 6, value: v6 };
}

export type CidrResult = { ok: true; range: CidrRange } | { ok: false; reason: string };

export function parseCidr(s: string): CidrResult {
  const [addr, bits, extra] = s.trim().split('/');
  const ip = addr ? parseIp(addr) : null;
  if (!ip || extra !== undefined) return { ok: false, reason: `"${s.slice(0, 80)}" is not an IPv4 or IPv6 CIDR range` };
  const total = BITS[ip.version];
  const prefix = bits === undefined ? total : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
  if (!(prefix >= 0 && prefix <= total)) return { ok: false, reason: `prefix length must be 0-${total}` };
  if (prefix < WIDEST_PREFIX[ip.version])
    return { ok: false, reason: `ranges wider than /${WIDEST_PREFIX[ip.version]} are not accepted for IPv${ip.version}` };
  const hostBits = BigInt(total - prefix);
  const start = (ip.value >> hostBits) << hostBits;
  return { ok: true, range: { version: ip.version, start, end: start | ((1n << hostBits) - 1n), prefix } };
}

/** The bucket an address falls in: `4:10.1` style for v4, `6:20010db8` for v6. */
export function bucketOf(version: IpVersion, value: bigint): string {
  const shift = BigInt(BITS[version] - BUCKET_PREFIX[version]);
  const top = value >> shift;
  return version === 4 ? `4:${top >> 8n}.${top & 0xffn}` : `6:${top.toString(16).padStart(8, '0')}`;
}

/** The buckets a range covers, with the part of the range inside each. */
export function splitIntoBuckets(range: CidrRange): { bucket: string; start: bigint; end: bigint }[] {
  const shift = BigInt(BITS[range.version] - BUCKET_PREFIX[range.version]);
  const out: { bucket: string; start: bigint; end: bigint }[] = [];
  for (let top = range.start >> shift; top <= range.end >> shift; top++) {
    const lo = top << shift;
    const hi = lo | ((1n << shift) - 1n);
    out.push({
      bucket: bucketOf(range.version, lo),
      start: range.start > lo ? range.start : lo,
      end: range.end < hi ? range.end : hi,
    });
  }
  return out;
}

/**
 * A bucket's entries: [start, end, domain] as fixed-width hex (8 digits for v4, 32 for v6), so a
 * lookup compares strings instead of parsing numbers. Entries are kept narrowest range first, so the
 * first entry containing the address is the most specific one.
 */
export type BucketEntry = [start: string, end: string, domain: string];

export const toHex = (version: IpVersion, n: bigint) => n.toString(16).padStart(BITS[version] / 4, '0');

export function findInBucket(entries: readonly BucketEntry[], address: IpAddress): string | null {
  const hex = toHex(address.version, address.value);
  for (const [start, end, domain] of entries) if (hex >= start && hex <= end) return domain;
  return null;
}

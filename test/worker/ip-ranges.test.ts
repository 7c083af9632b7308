import { describe, expect, it } from 'vitest';
import { buildKvEntries } from '../../shared/kv/entries';
import { type BucketEntry, bucketOf, findInBucket, parseCidr, parseIp } from '../../shared/resolve/ip';
import { normalizeOrgName } from '../../shared/resolve/org';
import { companyDomain } from '../../shared/resolve/email';

describe('IP parsing', () => {
  it.each([
    ['192.0.2.1', 4, 0xc0000201n],
    ['0.0.0.0', 4, 0n],
    ['255.255.255.255', 4, 0xffffffffn],
    ['::ffff:192.0.2.1', 4, 0xc0000201n],
    ['2001:db8::1', 6, 0x20010db8000000000000000000000001n],
    ['::', 6, 0n],
    ['::1', 6, 1n],
    ['2001:DB8:0:0:0:0:0:1', 6, 0x20010db8000000000000000000000001n],
    ['64:ff9b::192.0.2.33', 6, 0x0064ff9b0000000000000000c0000221n],
    ['fe80::1%eth0', 6, 0xfe800000000000000000000000000001n],
  ])('parses %s', (text, version, value) => {
    expect(parseIp(text)).toEqual({ version, value });
  });

  it.each(['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1.2.3.-1', '2001:db8::1::1', '1:2:3:4:5:6:7:8:9', 'g::1', '12345::', 'x'.repeat(100)])(
    'rejects %s',
    (text) => expect(parseIp(text)).toBeNull(),
  );
});

describe('CIDR ranges', () => {
  it('normalises a range to its network and broadcast', () => {
    expect(parseCidr('192.0.2.77/24')).toEqual({ ok: true, range: { version: 4, start: 0xc0000200n, end: 0xc00002ffn, prefix: 24 } });
    expect(parseCidr('203.0.113.9')).toMatchObject({ ok: true, range: { prefix: 32 } });
  });

  it.each([
    ['10.0.0.0/33', 'prefix length must be 0-32'],
    ['10.0.0.0/7', 'ranges wider than /8 are not accepted for IPv4'],
    ['2001::/16', 'ranges wider than /24 are not accepted for IPv6'],
    ['10.0.0.0/x', 'prefix length must be 0-32'],
    ['banana/24', '"banana/24" is not an IPv4 or IPv6 CIDR range'],
    ['10.0.0.0/8/8', '"10.0.0.0/8/8" is not an IPv4 or IPv6 CIDR range'],
  ])('rejects %s with a reason', (text, reason) => {
    expect(parseCidr(text)).toEqual({ ok: false, reason });
  });

  it('splits a range wider than a bucket into one entry per bucket', () => {
    const { entries } = buildKvEntries('s', null, [{ domain: 'wide.example', name: 'Wide', ipRanges: ['10.0.0.0/14'] }]);
    const buckets = entries.filter((e) => e.key.startsWith('ip:'));
    expect(buckets.map((b) => b.key)).toEqual(['ip:s:4:10.0', 'ip:s:4:10.1', 'ip:s:4:10.2', 'ip:s:4:10.3']);
  });

  it('reports bad ranges per row and keeps the account and its good ranges', () => {
    const { entries, rejected } = buildKvEntries('s', null, [
      { domain: 'ok.example', name: 'Ok', ipRanges: ['192.0.2.0/24', 'nope'] },
      { domain: 'not a domain', name: 'Bad' },
    ]);
    expect(rejected).toEqual([
      { row: 0, field: 'ipRanges', reason: '"nope" is not an IPv4 or IPv6 CIDR range' },
      { row: 1, field: 'domain', reason: 'must be a domain such as acme.com' },
    ]);
    expect(entries.map((e) => e.key)).toEqual(['acct:s:ok.example', 'org:s:ok', 'ip:s:4:192.0']);
  });
});

describe('bucketed lookup stays flat as the table grows', () => {
  it('finds every one of 50,000 ranges by reading only its own bucket, of bounded size', () => {
    const accounts = Array.from({ length: 50_000 }, (_, i) => ({
      domain: `c${i}.example`,
      name: `Company ${i}`,
      // /24s spread over the whole IPv4 space
      ipRanges: [`${11 + (i % 200)}.${(i * 7) % 256}.${Math.floor(i / 200) % 256}.0/24`],
    }));
    const { entries, rejected } = buildKvEntries('s', null, accounts);
    expect(rejected).toEqual([]);
    const buckets = new Map(entries.filter((e) => e.key.startsWith('ip:')).map((e) => [e.key, JSON.parse(e.value) as BucketEntry[]]));
    const largest = Math.max(...[...buckets.values()].map((b) => b.length));
    expect(largest).toBeLessThanOrEqual(256); // a /16 bucket holds at most 256 distinct /24s
    for (let i = 0; i < accounts.length; i += 97) {
      const ip = parseIp(accounts[i]!.ipRanges[0]!.replace('.0/24', '.42'))!;
      const bucket = buckets.get(`ip:s:${bucketOf(ip.version, ip.value)}`)!;
      expect(findInBucket(bucket, ip)).toBe(`c${i}.example`);
    }
  });
});

describe('organisation names and email domains', () => {
  it.each([
    ['Northwind Bank, N.A.', 'northwind bank'],
    ['NORTHWIND BANK N.A.', 'northwind bank'],
    ['Acme Corp.', 'acme'],
    ['Société Générale SA', 'societe generale'],
    ['Inc', 'inc'],
  ])('normalises %s to %s', (name, key) => expect(normalizeOrgName(name)).toBe(key));

  it.each([
    ['jane@Acme.com', 'acme.com'],
    ['https://www.acme.com/pricing', 'acme.com'],
    ['acme.com.', 'acme.com'],
    ['jane@gmail.com', null],
    ['outlook.com', null],
    ['not a domain', null],
    ['jane@', null],
  ])('reads %s as company domain %s', (input, domain) => expect(companyDomain(input)).toBe(domain));
});

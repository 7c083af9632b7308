// Synthetic accounts and IP ranges for the bench, turned into KV entries by the project's own
// buildKvEntries and written to a local KV directory that `wrangler dev --persist-to` reads.
//
//   node bench/seed-large.mjs --persist-to DIR --accounts 10000 --ranges 100000 [--demo]
//
// Writing: `wrangler kv bulk put --local` stores one entry per round trip to workerd (about 4.5 ms
// each on the 2-core bench machine: 65k entries would take 5 minutes, 2M entries 2.5 hours). So the
// first chunk (the site configs, the demo data and up to HEAD_ENTRIES entries) always goes through
// `wrangler kv bulk put`, which creates the namespace's SQLite index and blob directory, and the rest
// is appended to that same store directly: one blob file per value plus one row in miniflare's
// `_mf_entries` table, exactly what the bulk put writes. Small seeds (≤ WRANGLER_MAX entries) go
// through wrangler entirely. Every run checks sampled hits through the Worker before measuring
// (bench/latency.mjs), so a store the Worker cannot read fails loudly.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { wrangler } from '../scripts/lib.mjs';
import { importBenchTs } from './ts.mjs';

export const SITE = 'bench';
/** Seeds of at most this many entries go through `wrangler kv bulk put` only. */
export const WRANGLER_MAX = 5000;
/** Entries per bulk-put file (wrangler's API batches are 10,000; keep well under). */
const BULK_FILE_MAX = 5000;

// ── Deterministic synthetic data ────────────────────────────────────────────────

/** A deterministic pseudo-random stream (mulberry32): every run makes the same data. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = (r, list) => list[Math.floor(r() * list.length)];

const WORDS = ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'vandelay', 'stark', 'wayne', 'tyrell', 'cyberdyne', 'soylent', 'aperture', 'wonka', 'oscorp', 'massive', 'gringotts'];
const SUFFIX = ['Bank', 'Health', 'Retail', 'Logistics', 'Systems', 'Labs', 'Capital', 'Insurance', 'Energy', 'Media'];
const INDUSTRIES = ['Financial Services', 'Banking', 'Insurance', 'Fintech', 'Healthcare', 'Life Sciences', 'Retail', 'Logistics', 'Manufacturing', 'Software', 'Telecommunications', 'Media', 'Energy'];
const TECH = ['Snowflake', 'Databricks', 'dbt', 'Kafka', 'Looker', 'Tableau', 'Power BI', 'BigQuery', 'Redshift', 'Airflow', 'Fivetran', 'Segment'];
const STAGES = ['unaware', 'aware', 'aware', 'evaluating', 'committed', 'customer', undefined, undefined];
const COUNTRIES = [['US', 'North America'], ['CA', 'North America'], ['GB', 'EMEA'], ['DE', 'EMEA'], ['FR', 'EMEA'], ['JP', 'APAC'], ['AU', 'APAC'], ['BR', 'LATAM']];
const EMPLOYEES = [12, 45, 120, 180, 350, 800, 1500, 4000, 9000, 30000];

export const accountDomain = (i) => `${WORDS[i % WORDS.length]}-${i.toString(36)}.example`;

export function makeAccount(i, ipRanges) {
  const r = rng(i * 7919 + 1);
  const [country, region] = pick(r, COUNTRIES);
  const tech = TECH.filter(() => r() < 0.22);
  const account = {
    domain: accountDomain(i),
    name: `${WORDS[i % WORDS.length][0].toUpperCase()}${WORDS[i % WORDS.length].slice(1)} ${pick(r, SUFFIX)} ${i}`,
    industry: pick(r, INDUSTRIES),
    employees: Math.round(pick(r, EMPLOYEES) * (0.8 + r() * 0.4)),
    revenueBand: pick(r, ['<$10M', '$10M-$100M', '$100M-$1B', '$1B+']),
    country,
    region,
    tech,
    ipRanges,
  };
  const stage = pick(r, STAGES);
  if (stage) account.stage = stage;
  return account;
}

// IPv4 ranges live in first octets 16..223 except 127 (so 9.x.x.x, used for misses, and the local
// 127.0.0.1 never match): one distinct /24 slot per range, spread over ~53k /16 buckets by a
// multiplicative permutation. 1 range in 20 is an IPv6 /48 spread over 2^20 /32 buckets.
const OCTETS = Array.from({ length: 208 }, (_, k) => k + 16).filter((o) => o !== 127);
const V4_SLOTS = OCTETS.length * 65536; // 207 · 2^16 = 3² · 23 · 2^16
const V4_MULT = 2654435761; // odd, not a multiple of 3 or 23: a permutation of the slots
const PREFIX = [24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 26, 26, 26, 26, 28, 28, 28];

/** Range `j`: its CIDR and an address inside it. */
export function makeRange(j) {
  if (j % 20 === 19) {
    const t = (j * 40503 + 7) % 1048576;
    const g1 = (0x2a00 + (t >>> 16)).toString(16);
    const g2 = (t & 0xffff).toString(16);
    const g3 = (j & 0xffff).toString(16);
    return { cidr: `${g1}:${g2}:${g3}::/48`, ip: `${g1}:${g2}:${g3}::17` };
  }
  if (j >= V4_SLOTS) throw new Error('too many IPv4 ranges');
  const slot = Number((BigInt(j) * BigInt(V4_MULT) + 12345n) % BigInt(V4_SLOTS));
  const a = OCTETS[Math.floor(slot / 65536)];
  const b = (slot >>> 8) & 0xff;
  const c = slot & 0xff;
  const prefix = PREFIX[j % PREFIX.length];
  return { cidr: `${a}.${b}.${c}.0/${prefix}`, ip: `${a}.${b}.${c}.${5 + (j % 9)}` };
}

/** Range j belongs to account j mod accounts. */
export function makeAccounts(accounts, ranges) {
  const byAccount = Array.from({ length: accounts }, () => []);
  for (let j = 0; j < ranges; j++) byAccount[j % accounts].push(makeRange(j).cidr);
  return byAccount.map((ipRanges, i) => makeAccount(i, ipRanges));
}

/** Segments the bench config has: the demo site's, padded with HEALTHCARE to at least this many. */
export const BENCH_SEGMENTS = 8;

const HEALTHCARE = {
  id: 'healthcare',
  name: 'Healthcare and life sciences',
  kind: 'firmographic',
  priority: 35,
  holdout: 0,
  rule: {
    all: [{ field: 'account.employees', op: 'range', min: 100 }],
    any: [
      { field: 'account.industry', op: 'in', values: ['Healthcare', 'Life Sciences'] },
      { field: 'account.name', op: 'matches', pattern: '* health *' },
    ],
  },
};

/**
 * The demo site's config as site "bench": its segments (and page groups, variants, slots) as they are
 * in shared/demo/site.ts, plus a healthcare segment if the demo has fewer than BENCH_SEGMENTS.
 */
export function benchConfig(lib) {
  const demo = structuredClone(lib.demoSite);
  const extra = demo.segments.length < BENCH_SEGMENTS && !demo.segments.some((s) => s.id === HEALTHCARE.id);
  const headline = { type: 'text', text: 'HIPAA-ready analytics for {{account.name|your care teams}}' };
  return lib.SiteConfig.parse({
    ...demo,
    site: SITE,
    name: 'Bench site (the demo config)',
    segments: extra ? [...demo.segments, HEALTHCARE] : demo.segments,
    variants: extra ? { ...demo.variants, healthcare: { 'hero-headline': headline } } : demo.variants,
  });
}

/** Sample hits for the load mix: link domains and IPs inside imported ranges. */
export function sampleHits(accounts, ranges, n) {
  const r = rng(42 + accounts + ranges);
  const link = [];
  const ip = [];
  for (let k = 0; k < n; k++) {
    link.push(accountDomain(Math.floor(r() * accounts)));
    ip.push(makeRange(Math.floor(r() * ranges)).ip);
  }
  return { link, ip };
}

// ── Writing ─────────────────────────────────────────────────────────────────────

async function bulkPut(entries, persistTo, tmp) {
  for (let k = 0; k < entries.length; k += BULK_FILE_MAX) {
    const file = join(tmp, `bulk-${k}.json`);
    writeFileSync(file, JSON.stringify(entries.slice(k, k + BULK_FILE_MAX)));
    await wrangler(['kv', 'bulk', 'put', file, '--binding', 'KV', '--local', '--persist-to', persistTo], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
}

/** Appends entries to the store the bulk put created: blob files + rows of miniflare's KV index. */
async function directPut(entries, persistTo) {
  const { DatabaseSync } = await import('node:sqlite');
  const kvDir = join(persistTo, 'v3/kv');
  const objDir = join(kvDir, 'miniflare-KVNamespaceObject');
  const dbs = readdirSync(objDir).filter((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite');
  const blobParents = readdirSync(kvDir).filter((f) => f !== 'miniflare-KVNamespaceObject');
  if (dbs.length !== 1 || blobParents.length !== 1) throw new Error(`unexpected local KV layout in ${kvDir}: ${dbs} / ${blobParents}`);
  const blobs = join(kvDir, blobParents[0], 'blobs');
  mkdirSync(blobs, { recursive: true });
  const db = new DatabaseSync(join(objDir, dbs[0]));
  const cols = db.prepare('PRAGMA table_info(_mf_entries)').all().map((c) => c.name).join(',');
  if (cols !== 'key,blob_id,expiration,metadata') throw new Error(`unexpected _mf_entries columns: ${cols}`);
  const insert = db.prepare('INSERT OR REPLACE INTO _mf_entries (key, blob_id, expiration, metadata) VALUES (?, ?, NULL, NULL)');
  const stamp = Buffer.alloc(8);
  stamp.writeBigInt64BE(BigInt(Date.now()));
  const suffix = stamp.toString('hex');
  const BATCH = 20000;
  for (let k = 0; k < entries.length; k += BATCH) {
    const random = randomBytes(32 * BATCH);
    db.exec('BEGIN');
    for (let i = k; i < Math.min(k + BATCH, entries.length); i++) {
      const o = (i - k) * 32;
      const id = random.subarray(o, o + 32).toString('hex') + suffix; // miniflare's generateBlobId format
      writeFileSync(join(blobs, id), entries[i].value);
      insert.run(entries[i].key, id);
    }
    db.exec('COMMIT');
  }
  db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  db.close();
}

/**
 * Seeds `persistTo` with the bench site (8 segments) for `accounts` accounts and `ranges` IP ranges,
 * plus the demo site when `demo`. Returns counts and timings.
 */
export async function seedLarge({ persistTo, accounts, ranges, demo = false, log = () => {} }) {
  const t0 = performance.now();
  const lib = await importBenchTs('bench/shared.ts');
  const built = lib.buildKvEntries(SITE, benchConfig(lib), makeAccounts(accounts, ranges));
  if (built.rejected.length) throw new Error(`generated data has invalid rows: ${JSON.stringify(built.rejected.slice(0, 3))}`);
  const entries = demo ? [...lib.demoSeed().entries, ...built.entries] : built.entries;
  const tBuild = performance.now();
  const head = entries.length <= WRANGLER_MAX ? entries.length : Math.min(entries.length, 1000 + (demo ? lib.demoSeed().entries.length : 0));
  const tmp = join(persistTo, '..', `.seed-${process.pid}-${Date.now()}`);
  mkdirSync(tmp, { recursive: true });
  try {
    log(`  seeding ${entries.length.toLocaleString('en')} KV entries (${head.toLocaleString('en')} via wrangler kv bulk put, ${(entries.length - head).toLocaleString('en')} appended directly)`);
    await bulkPut(entries.slice(0, head), persistTo, tmp);
    const tBulk = performance.now();
    if (head < entries.length) await directPut(entries.slice(head), persistTo);
    const tEnd = performance.now();
    return {
      accounts,
      ranges,
      entries: entries.length,
      viaWrangler: head,
      direct: entries.length - head,
      buckets: built.entries.filter((e) => e.key.startsWith(`ip:${SITE}:`)).length,
      ms: { build: Math.round(tBuild - t0), bulkPut: Math.round(tBulk - tBuild), direct: Math.round(tEnd - tBulk) },
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { 'persist-to': { type: 'string' }, accounts: { type: 'string' }, ranges: { type: 'string' }, demo: { type: 'boolean' } } });
  if (!values['persist-to'] || !values.accounts || !values.ranges) {
    console.error('usage: node bench/seed-large.mjs --persist-to DIR --accounts N --ranges M [--demo]');
    process.exit(2);
  }
  const result = await seedLarge({ persistTo: values['persist-to'], accounts: +values.accounts, ranges: +values.ranges, demo: values.demo, log: console.error });
  // The parent reads the last line.
  console.log(JSON.stringify(result));
}

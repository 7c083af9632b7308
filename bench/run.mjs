// `npm run bench` (after `npm run build`): snippet size, decision latency and throughput against a
// floor, scale with the number of accounts and IP ranges, CPU per decision, and time to personalized
// content in Chromium. Prints a markdown table and writes bench/results.json
// (`--quick`: a short run, bench/results-quick.json). `--only size,cpu,latency,browser,scale,events,activity,edge,enrichment` runs a subset.
//
// Everything runs on 127.0.0.1. The machine is small and shared, so every comparison is a ratio
// against a baseline measured in the same run, interleaved with it.
import { execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { root } from '../scripts/lib.mjs';
import { measureBrowser } from './browser.mjs';
import { measureCpu } from './cpu.mjs';
import { measureEdge } from './edge.mjs';
import { measureEnrichment } from './enrichment.mjs';
import { measureEvents } from './events.mjs';
import { compare, requestMix, verifyMix, withGpc } from './latency.mjs';
import { report } from './report.mjs';
import { liveDirs, measureScale, pickStorage, seedInChild } from './scale.mjs';
import { SITE, accountDomain } from './seed-large.mjs';
import { measureSizes } from './size.mjs';
import { measureActivity } from './activity.mjs';
import { productionBundle, snapshotWorker, startWorker } from './worker.mjs';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } } });
const quick = values.quick;
const only = values.only ? new Set(values.only.split(',')) : null;
const want = (section) => !only || only.has(section);

const P = quick
  ? {
      main: { accounts: 10_000, ranges: 100_000 },
      load: { connections: 10, duration: 3, rounds: 1, extraRounds: 1, warmup: 1 },
      single: { connections: 1, duration: 2, rounds: 1, extraRounds: 1, warmup: 1 },
      scalePoints: [{ accounts: 1_000, ranges: 1_000 }, { accounts: 100_000, ranges: 100_000 }],
      scaleBudgetMs: 90_000,
      loads: 4,
      events: 20_000,
    }
  : {
      main: { accounts: 10_000, ranges: 100_000 },
      load: { connections: 10, duration: 10, rounds: 3, extraRounds: 1, warmup: 2 },
      single: { connections: 1, duration: 5, rounds: 1, extraRounds: 1, warmup: 1 },
      scalePoints: [
        { accounts: 1_000, ranges: 1_000 },
        { accounts: 10_000, ranges: 100_000 },
        { accounts: 100_000, ranges: 100_000 },
        { accounts: 1_000_000, ranges: 1_000_000 },
      ],
      scaleBudgetMs: 10 * 60_000,
      loads: 10,
      events: 100_000,
    };

const started = Date.now();
const log = (line) => console.log(line);
const since = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
const sh = (cmd) => {
  try {
    return execSync(cmd, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
};

const results = {
  mode: quick ? 'quick' : 'full',
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavgAtStart: loadavg() },
  versions: {
    node: process.version,
    wrangler: JSON.parse(readFileSync(`${root}node_modules/wrangler/package.json`, 'utf8')).version,
    chromium: sh('/usr/bin/chromium --version'),
  },
  git: { head: sh('git rev-parse --short HEAD'), dirty: (sh('git status --porcelain') ?? '') !== '' },
  params: P,
};

// One place for every local KV directory of the run (tmpfs when it can hold the largest point).
const storage = pickStorage([P.main, ...(want('scale') ? P.scalePoints : [])]);
results.storage = storage.kind;

let snapshot;
let mainDir;
let worker;
// Ctrl+C: the Worker's process group dies with us (bench/worker.mjs); remove the KV directories too.
for (const signal of ['SIGINT', 'SIGTERM'])
  process.once(signal, () => {
    for (const dir of [...liveDirs, mainDir, snapshot?.dir].filter(Boolean)) rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  });
try {
  if (want('size')) {
    log('1. snippet size');
    results.size = measureSizes();
    // What `npm run deploy` uploads (no demo pages or floor there); fails the bench if the dry run fails.
    log(`   production bundle (wrangler deploy --dry-run --env production) (${since()})`);
    results.worker = { ...results.worker, production: await productionBundle() };
  }

  if (want('activity')) {
    log(`7. activity inside workerd: digest writes per 1,000 page views, digest vs object read (${since()})`);
    results.activity = measureActivity();
  }

  if (want('cpu')) {
    log(`4. CPU per decision in Node (${since()})`);
    results.cpu = await measureCpu({ quick });
  }

  if (want('edge')) {
    log(`   edge mode: TTFB and full load through the Worker vs the origin direct (${since()})`);
    results.edge = await measureEdge({ rounds: quick ? 50 : 200 });
  }

  if (want('enrichment')) {
    log(`   enrichment: provider calls per 1,000 page views, decision latency on a cache miss and a hit (${since()})`);
    results.enrichment = await measureEnrichment({ pairs: quick ? 30 : 100 });
  }

  if (want('latency') || want('browser') || want('scale') || want('events')) {
    log(`   bundling the Worker (wrangler deploy --dry-run) (${since()})`);
    snapshot = await snapshotWorker();
    results.worker = { ...results.worker, entry: snapshot.entry, config: 'top level (DEV_ROUTES = "on": demo pages and floor)', bundleBytes: snapshot.bytes };
  }

  if (want('latency') || want('browser')) {
    log(`2. decision latency: seeding ${P.main.accounts.toLocaleString('en')} accounts, ${P.main.ranges.toLocaleString('en')} IP ranges + the demo site (${since()})`);
    mainDir = mkdtempSync(join(storage.dir, 'pz-bench-main-'));
    const seed = await seedInChild({ persistTo: join(mainDir, 'kv'), ...P.main, demo: true, log });
    worker = await startWorker({ persistTo: join(mainDir, 'kv'), snapshot });
    results.latency = { seed, startMs: worker.startMs };
  }

  if (want('latency')) {
    const mix = await requestMix(P.main.accounts, P.main.ranges);
    const gpc = withGpc(mix);
    // every read misses the isolate cache (the header is honoured only where dev routes are on)
    const uncached = mix.map((r) => ({ ...r, headers: { ...r.headers, 'x-pz-bench-cache': 'off' } }));
    results.latency.verified = { default: await verifyMix(worker.origin, mix), gpc: await verifyMix(worker.origin, gpc) };
    log(`   checked: ${JSON.stringify(results.latency.verified.default)}`);
    const kvKey = `acct:${SITE}:${accountDomain(0)}`;
    log(`   ${P.load.connections} connections, ${P.load.duration} s per run, ${P.load.rounds} round(s) (${since()})`);
    results.latency.loaded = await compare(
      worker.origin,
      [
        { name: 'floor', path: '/bench/floor', mix },
        { name: 'floorKv', path: `/bench/floor?kv=${encodeURIComponent(kvKey)}`, mix },
        { name: 'decideGpc', path: '/v1/decide', mix: gpc },
        { name: 'decide', path: '/v1/decide', mix },
        { name: 'decideUncached', path: '/v1/decide', mix: uncached },
      ],
      { ...P.load, cpu: worker.cpu, log },
    );
    log(`   1 connection (${since()})`);
    results.latency.single = await compare(
      worker.origin,
      [
        { name: 'floor', path: '/bench/floor', mix },
        { name: 'decideGpc', path: '/v1/decide', mix: gpc },
        { name: 'decide', path: '/v1/decide', mix },
      ],
      { ...P.single, cpu: worker.cpu, log },
    );
    results.latency.verifiedAfter = await verifyMix(worker.origin, mix, 30);
  }

  if (want('browser')) {
    log(`5. time to personalized content in Chromium, ${P.loads} loads per variant (${since()})`);
    results.browser = await measureBrowser({ origin: worker.origin, loads: P.loads, log });
  }

  await worker?.stop();
  worker = undefined;
  if (mainDir) rmSync(mainDir, { recursive: true, force: true });
  mainDir = undefined;

  if (want('events')) {
    log(`6. event ingestion (${since()})`);
    results.events = await measureEvents({ snapshot, events: P.events, log });
  }

  if (want('scale')) {
    log(`3. scale (budget ${Math.round(P.scaleBudgetMs / 60000)} min) (${since()})`);
    results.scale = await measureScale({ points: P.scalePoints, snapshot, load: P.load, deadline: Date.now() + P.scaleBudgetMs, storage, log });
  }
} finally {
  await worker?.stop();
  if (mainDir) rmSync(mainDir, { recursive: true, force: true });
  snapshot?.remove();
}

results.totalSeconds = Math.round((Date.now() - started) / 1000);
const { markdown, budgets } = report(results);
results.budgets = budgets;
const out = join(root, 'bench', quick ? 'results-quick.json' : 'results.json');
writeFileSync(out, JSON.stringify(results, (k, v) => (k === 'latencies' ? undefined : v), 1) + '\n');
console.log(`\n${markdown}\n`);
console.log(`wrote ${out.slice(root.length)} (${results.totalSeconds} s)`);

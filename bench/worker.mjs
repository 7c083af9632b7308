// Starts and stops the Worker under `wrangler dev` (workerd) for the bench, with a given --persist-to
// and no seeding, through the browser tests' own harness (test/support/harness.mjs: free port, process
// group, readiness), plus what only the bench needs: the snapshot below and CPU sampling by process group.
//
// The Worker runs from a snapshot: `wrangler deploy --dry-run` bundles it once (the artifact a deploy
// would upload) next to a copy of wrangler.toml, and `wrangler dev --no-bundle` serves that. Other
// people's edits to edge/ or wrangler.toml during a run then neither reload the Worker mid-measurement
// nor change the code between sections.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { root, wrangler } from '../scripts/lib.mjs';
import { startWranglerDev } from '../test/support/harness.mjs';

export { freePort } from '../test/support/harness.mjs';

/**
 * Whether wrangler.toml's top-level [vars] set DEV_ROUTES = "on", which mounts POST /bench/floor
 * (edge/dev-routes.ts). The bench's snapshot runs that top-level (development) config.
 */
export function floorMounted(toml = readFileSync(`${root}wrangler.toml`, 'utf8')) {
  let table = '';
  for (const line of toml.split('\n')) {
    const header = /^\s*\[+\s*([^\]]+?)\s*\]+/.exec(line);
    if (header) table = header[1];
    else if (table === 'vars' && /^\s*DEV_ROUTES\s*=\s*"on"/.test(line)) return true;
  }
  return false;
}

/**
 * `wrangler deploy --dry-run --env production` into a temporary directory: what `npm run deploy`
 * would upload. Rejects if the dry run fails. Sizes of the bundle (`index.js`, no source map), raw and
 * gzipped (level 9, as bench/size.mjs; wrangler's own "gzip:" figure uses its default level).
 */
export async function productionBundle() {
  const dir = mkdtempSync(join(tmpdir(), 'pz-bench-prod-'));
  try {
    await wrangler(['deploy', '--dry-run', '--env', 'production', '--config', `${root}wrangler.toml`, '--outdir', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
    const code = readFileSync(join(dir, 'index.js'));
    return { command: 'wrangler deploy --dry-run --env production', bytes: code.length, gzip: gzipSync(code, { level: 9 }).length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const TICKS = 100; // USER_HZ: /proc/<pid>/stat times are in clock ticks of 10 ms on Linux

/** CPU seconds (user+system) used so far by each process of a process group: pid → { comm, seconds }. */
export function groupCpu(pgid) {
  const out = {};
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' '); // fields[0] is field 3 (state)
    if (Number(fields[2]) !== pgid) continue; // field 5: pgrp
    out[name] = { comm, seconds: (Number(fields[11]) + Number(fields[12])) / TICKS }; // fields 14, 15: utime, stime
  }
  return out;
}

/** CPU seconds the whole machine's processes used so far (all cores), from /proc/stat. */
export function machineBusy() {
  const [, ...f] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const [user, nice, system] = f; // not idle, iowait, or (soft)irq time, which includes our own loopback traffic
  return (user + nice + system) / TICKS;
}

/**
 * CPU seconds a process group used between two groupCpu samples: workerd processes and the rest
 * (wrangler's Node). `restarted` when a workerd process came or went (the runtime restarted).
 */
export function cpuDelta(before, after) {
  const out = { workerd: 0, other: 0, restarted: false };
  for (const [pid, a] of Object.entries(after)) {
    const b = before[pid];
    if (!b) {
      if (a.comm === 'workerd') out.restarted = true;
      continue;
    }
    out[a.comm === 'workerd' ? 'workerd' : 'other'] += a.seconds - b.seconds;
  }
  for (const [pid, b] of Object.entries(before)) if (!after[pid] && b.comm === 'workerd') out.restarted = true;
  return out;
}

/**
 * Bundles the Worker (edge/index.ts with wrangler.toml's top-level, development config, where
 * DEV_ROUTES = "on" mounts POST /bench/floor) into a temporary directory with its own copy of wrangler.toml.
 */
export async function snapshotWorker() {
  const toml = readFileSync(`${root}wrangler.toml`, 'utf8');
  if (!/^main\s*=.*$/m.test(toml)) throw new Error('wrangler.toml has no main = line');
  if (!floorMounted(toml)) throw new Error('wrangler.toml\'s top-level [vars] must set DEV_ROUTES = "on": the bench needs POST /bench/floor');
  const entry = 'edge/index.ts';
  const dir = mkdtempSync(join(tmpdir(), 'pz-bench-worker-'));
  // --env= : the top-level environment, said explicitly (wrangler warns otherwise, as there is an [env.production])
  await wrangler(['deploy', '--dry-run', '--env=', '--config', `${root}wrangler.toml`, '--outdir', join(dir, 'out')], { stdio: ['ignore', 'ignore', 'inherit'] });
  const out = `out/${basename(entry, '.ts')}.js`;
  writeFileSync(join(dir, 'wrangler.toml'), toml.replace(/^main\s*=.*$/m, `main = ${JSON.stringify(out)}`));
  return {
    entry,
    dir,
    config: join(dir, 'wrangler.toml'),
    bytes: readFileSync(join(dir, out)).length,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * `wrangler dev` on a free port of 127.0.0.1 with the given local KV directory (and `vars`, e.g. an
 * ADMIN_TOKEN), serving the snapshot without bundling (test/support/harness.mjs startWranglerDev).
 * Resolves once /health answers; `stop()` takes the whole process group down, `cpu()` samples it.
 */
/** The LINK_SECRET the bench's Worker runs with, so its load mix can use signed ABM links (bench/latency.mjs). */
export const BENCH_LINK_SECRET = 'bench-link-secret';

export async function startWorker({ persistTo, snapshot, vars = {}, readyTimeoutMs = 90_000 }) {
  vars = { LINK_SECRET: BENCH_LINK_SECRET, ...vars };
  const dev = await startWranglerDev({ persistTo, config: snapshot.config, cwd: snapshot.dir, args: ['--no-bundle'], logLevel: 'error', vars, readyTimeoutMs });
  return { origin: dev.origin, pgid: dev.pgid, startMs: dev.startMs, cpu: () => groupCpu(dev.pgid), stop: dev.stop };
}

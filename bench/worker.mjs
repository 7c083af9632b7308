// Starts and stops the Worker under `wrangler dev` (workerd) for the bench: a copy of the small part of
// test/support/worker.ts the bench needs (that file computes its root from import.meta.url, so it
// cannot be loaded through scripts/lib.mjs importTs), with a given --persist-to and no seeding.
//
// The Worker runs from a snapshot: `wrangler deploy --dry-run` bundles it once (the artifact a deploy
// would upload) next to a copy of wrangler.toml, and `wrangler dev --no-bundle` serves that. Other
// people's edits to edge/ or wrangler.toml during a run then neither reload the Worker mid-measurement
// nor change the code between sections.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { quietEnv, root, wrangler, wranglerBin } from '../scripts/lib.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Whether edge/index.ts mounts floorRoutes (POST /bench/floor). */
export function floorMounted() {
  return /\bfloorRoutes\b/.test(readFileSync(`${root}edge/index.ts`, 'utf8'));
}

const exited = (child) =>
  new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));

/** Kills the process group (wrangler → workerd), SIGKILL after a grace period. */
async function killGroup(child, graceMs = 5000) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const done = exited(child);
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  if (!(await Promise.race([done.then(() => true), sleep(graceMs).then(() => false)]))) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {}
    await Promise.race([done, sleep(2000)]);
  }
  try {
    process.kill(-child.pid, 'SIGKILL'); // workerd may outlive wrangler by a moment
  } catch {}
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
 * Bundles the Worker into a temporary directory with its own copy of wrangler.toml. The entry is
 * edge/index.ts; if it does not mount floorRoutes, a generated entry in the temporary directory
 * re-exports it with the floor route added.
 */
export async function snapshotWorker() {
  const mounted = floorMounted();
  const dir = mkdtempSync(join(tmpdir(), 'pz-bench-worker-'));
  const toml = readFileSync(`${root}wrangler.toml`, 'utf8');
  if (!/^main\s*=.*$/m.test(toml)) throw new Error('wrangler.toml has no main = line');
  let entry = 'edge/index.ts';
  if (!mounted) {
    entry = join(dir, 'floor-entry.ts');
    writeFileSync(
      entry,
      `import app from ${JSON.stringify(`${root}edge/index.ts`)};\n` +
        `import { floorRoutes } from ${JSON.stringify(`${root}edge/bench/floor.ts`)};\n` +
        `export * from ${JSON.stringify(`${root}edge/index.ts`)};\n` +
        `app.route('/', floorRoutes);\nexport default app;\n`,
    );
  }
  const outdir = join(dir, 'out');
  await wrangler(['deploy', '--dry-run', '--config', `${root}wrangler.toml`, '--outdir', outdir, entry], { stdio: ['ignore', 'ignore', 'inherit'] });
  const out = `out/${basename(entry).replace(/\.ts$/, '.js')}`;
  writeFileSync(join(dir, 'wrangler.toml'), toml.replace(/^main\s*=.*$/m, `main = ${JSON.stringify(out)}`));
  return {
    entry: mounted ? entry : 'edge/index.ts + floorRoutes (generated entry: edge/index.ts does not mount it)',
    mounted,
    dir,
    config: join(dir, 'wrangler.toml'),
    bytes: readFileSync(join(dir, out)).length,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * `wrangler dev` on a free port of 127.0.0.1 with the given local KV directory (and `vars`, e.g. an
 * ADMIN_TOKEN). Resolves once
 * /health answers; `stop()` takes the whole process group down.
 */
export async function startWorker({ persistTo, snapshot, vars = {}, readyTimeoutMs = 90_000 }) {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [wranglerBin, 'dev', '--config', snapshot.config, '--no-bundle', '--port', String(port), '--ip', '127.0.0.1', '--persist-to', persistTo, '--log-level', 'error',
      ...Object.entries(vars).flatMap(([name, value]) => ['--var', `${name}:${value}`])],
    { cwd: snapshot.dir, env: quietEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const add = (chunk) => (output = (output + chunk.toString()).slice(-8000));
  child.stdout.on('data', add);
  child.stderr.on('data', add);
  let exitCode;
  child.once('exit', (code) => (exitCode = code));
  child.once('error', () => (exitCode ??= -1));
  const onExit = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {}
  };
  process.once('exit', onExit);
  const stop = async () => {
    process.off('exit', onExit);
    await killGroup(child);
  };

  const started = performance.now();
  for (;;) {
    if (exitCode !== undefined) {
      await stop();
      throw new Error(`wrangler dev exited with ${exitCode} before answering /health:\n${output}`);
    }
    try {
      const res = await fetch(`${origin}/health`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {}
    if (performance.now() - started > readyTimeoutMs) {
      await stop();
      throw new Error(`wrangler dev did not answer ${origin}/health in time:\n${output}`);
    }
    await sleep(250);
  }
  return { origin, pgid: child.pid, startMs: Math.round(performance.now() - started), cpu: () => groupCpu(child.pid), stop };
}

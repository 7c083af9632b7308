// Scale: the decide measurement of bench/latency.mjs with more or fewer accounts and IP ranges in
// KV. Each point seeds a fresh local KV directory (bench/seed-large.mjs in a child process, for
// its memory), starts the Worker on it, checks sampled hits and measures floor/decide interleaved.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from '../scripts/lib.mjs';
import { compare, requestMix, verifyMix } from './latency.mjs';
import { startWorker } from './worker.mjs';

/** Temporary directories in use, removed by bench/run.mjs if the run is interrupted (they can hold GBs of tmpfs). */
export const liveDirs = new Set();

/** KV entries a point makes: an account record and an org-name key per account, plus IP buckets. */
export const estimateEntries = ({ accounts, ranges }) => 2 * accounts + Math.min(ranges, 110_000);

/** A local KV entry on disk or tmpfs costs a blob file (a 4 KiB page) plus its inode and row. */
const BYTES_PER_ENTRY = 6 * 1024;
/** On a disk file system, seeding and deleting more entries than this takes many minutes (ext4 with discard: ~10 min for 2M). */
const DISK_MAX_ENTRIES = 600_000;

/**
 * Where the local KV directories go: /dev/shm (tmpfs) when it and the machine's free memory can hold
 * the largest point with room to spare, since creating and deleting millions of small files is slow
 * on disk; else the temporary directory on disk, where points over DISK_MAX_ENTRIES are skipped.
 */
export function pickStorage(points) {
  const need = Math.max(...points.map(estimateEntries)) * BYTES_PER_ENTRY;
  try {
    const fs = statfsSync('/dev/shm');
    const shmFree = fs.bavail * fs.bsize;
    const memAvailable = Number(/MemAvailable:\s+(\d+) kB/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0) * 1024;
    if (shmFree > need * 1.5 && memAvailable > need + 6 * 2 ** 30) return { dir: '/dev/shm', kind: 'tmpfs', maxEntries: Infinity };
  } catch {}
  return { dir: tmpdir(), kind: 'disk', maxEntries: DISK_MAX_ENTRIES };
}

/** Runs bench/seed-large.mjs; resolves with its JSON summary. */
export function seedInChild({ persistTo, accounts, ranges, demo = false, timeoutMs = 8 * 60_000, log = () => {} }) {
  return new Promise((resolve, reject) => {
    const args = ['--max-old-space-size=8192', '--disable-warning=ExperimentalWarning', 'bench/seed-large.mjs', '--persist-to', persistTo, '--accounts', String(accounts), '--ranges', String(ranges)];
    if (demo) args.push('--demo');
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => {
      err = (err + c).slice(-4000);
      for (const line of String(c).split('\n')) if (line.startsWith('  seeding')) log(line);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(JSON.parse(out.trim().split('\n').pop()));
      else reject(new Error(`seeding ${accounts} accounts / ${ranges} ranges failed (${signal ?? code}):\n${err}`));
    });
  });
}

/**
 * `points`: [{ accounts, ranges }]. A point not started before `deadline` (epoch ms) is reported as
 * skipped, so the section stays within its time budget.
 */
export async function measureScale({ points, snapshot, load, deadline, storage = pickStorage(points), log = () => {} }) {
  const results = [];
  for (const point of points) {
    const skip =
      Date.now() > deadline
        ? 'time budget for this section used up'
        : estimateEntries(point) > storage.maxEntries
          ? `~${estimateEntries(point).toLocaleString('en')} KV entries: too slow to seed and delete on disk (no room on /dev/shm)`
          : null;
    if (skip) {
      results.push({ ...point, skipped: skip });
      log(`  ${point.accounts.toLocaleString('en')} accounts / ${point.ranges.toLocaleString('en')} ranges: skipped (${skip})`);
      continue;
    }
    const dir = mkdtempSync(join(storage.dir, 'pz-bench-scale-'));
    liveDirs.add(dir);
    const t0 = performance.now();
    let worker;
    try {
      log(`  ${point.accounts.toLocaleString('en')} accounts / ${point.ranges.toLocaleString('en')} IP ranges`);
      const seed = await seedInChild({ persistTo: join(dir, 'kv'), ...point, timeoutMs: Math.max(60_000, deadline + 5 * 60_000 - Date.now()), log });
      worker = await startWorker({ persistTo: join(dir, 'kv'), snapshot });
      const mix = await requestMix(point.accounts, point.ranges);
      const verified = await verifyMix(worker.origin, mix);
      const r = await compare(
        worker.origin,
        [
          { name: 'floor', path: '/bench/floor', mix },
          { name: 'decide', path: '/v1/decide', mix },
        ],
        { ...load, cpu: worker.cpu, log },
      );
      results.push({ ...point, storage: storage.kind, seed, startMs: worker.startMs, verified, ...r, sectionMs: Math.round(performance.now() - t0) });
    } catch (err) {
      results.push({ ...point, error: String(err instanceof Error ? err.message : err).slice(0, 2000) });
      log(`    failed: ${String(err).slice(0, 500)}`);
    } finally {
      await worker?.stop();
      const tRm = performance.now();
      rmSync(dir, { recursive: true, force: true });
      liveDirs.delete(dir);
      const rmMs = performance.now() - tRm;
      if (rmMs > 2000) log(`    removed the KV directory in ${(rmMs / 1000).toFixed(1)} s`);
    }
  }
  return results;
}

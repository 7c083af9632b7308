// Scale: the decide measurement of bench/latency.mjs with more or fewer accounts and IP ranges in
// KV. Each point seeds a fresh local KV directory (bench/seed-large.mjs in a child process, for
// its memory), starts the Worker on it, checks sampled hits and measures floor/decide interleaved.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from '../scripts/lib.mjs';
import { compare, requestMix, verifyMix } from './latency.mjs';
import { startWorker } from './worker.mjs';

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
export async function measureScale({ points, snapshot, load, deadline, log = () => {} }) {
  const results = [];
  for (const point of points) {
    if (Date.now() > deadline) {
      results.push({ ...point, skipped: 'time budget for this section used up' });
      log(`  ${point.accounts.toLocaleString('en')} accounts / ${point.ranges.toLocaleString('en')} ranges: skipped (time budget)`);
      continue;
    }
    const dir = mkdtempSync(join(tmpdir(), 'pz-bench-scale-'));
    const t0 = performance.now();
    let worker;
    try {
      log(`  ${point.accounts.toLocaleString('en')} accounts / ${point.ranges.toLocaleString('en')} IP ranges`);
      const seed = await seedInChild({ persistTo: join(dir, 'kv'), ...point, timeoutMs: Math.max(60_000, deadline + 5 * 60_000 - Date.now()), log });
      worker = await startWorker({ persistTo: join(dir, 'kv'), snapshot });
      const mix = requestMix(point.accounts, point.ranges);
      const verified = await verifyMix(worker.origin, mix);
      const r = await compare(
        worker.origin,
        [
          { name: 'floor', path: '/bench/floor', mix },
          { name: 'decide', path: '/v1/decide', mix },
        ],
        { ...load, cpu: worker.cpu, log },
      );
      results.push({ ...point, seed, startMs: worker.startMs, verified, ...r, sectionMs: Math.round(performance.now() - t0) });
    } catch (err) {
      results.push({ ...point, error: String(err instanceof Error ? err.message : err).slice(0, 2000) });
      log(`    failed: ${String(err).slice(0, 500)}`);
    } finally {
      await worker?.stop();
      const tRm = performance.now();
      rmSync(dir, { recursive: true, force: true });
      if (point.accounts >= 100_000) log(`    removed the KV directory in ${((performance.now() - tRm) / 1000).toFixed(1)} s`);
    }
  }
  return results;
}

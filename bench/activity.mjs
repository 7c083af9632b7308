// The bench's measurements inside workerd (bench/workerd/*.bench.ts, run through @cloudflare/vitest-plugin
// with bench/vitest.bench.config.mts): digest writes per 1,000 page views, and the digest read against
// an RPC to the activity object. Each file prints one `BENCH_RESULT <json>` line.
import { spawnSync } from 'node:child_process';
import { quietEnv, root } from '../scripts/lib.mjs';

export function measureActivity() {
  const run = spawnSync(process.execPath, [`${root}node_modules/vitest/vitest.mjs`, 'run', '--config', 'bench/vitest.bench.config.mts'], {
    cwd: root,
    env: quietEnv,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = `${run.stdout}\n${run.stderr}`.split('\n').find((l) => l.includes('BENCH_RESULT '));
  if (run.status !== 0 || !line) throw new Error(`bench/workerd failed (exit ${run.status}):\n${(run.stdout + run.stderr).slice(-4000)}`);
  return JSON.parse(line.slice(line.indexOf('BENCH_RESULT ') + 'BENCH_RESULT '.length));
}

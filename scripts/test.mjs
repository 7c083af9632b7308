// `npm test` (after the build): the two vitest projects side by side, each its own process, their lines
// prefixed with the project's name. Vitest runs the projects of one process one after the other (the
// worker project's pool first); side by side the suite takes ~4.5 min on 2 cores instead of ~6.3
// (the browser project still runs one file at a time). Any argument (`npm test -- test/worker/x.test.ts`)
// runs one plain `vitest run` with it instead.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const args = process.argv.slice(2);
const vitest = (extra, prefix) => {
  const child = spawn('npx', ['vitest', 'run', ...extra], { stdio: ['ignore', prefix ? 'pipe' : 'inherit', prefix ? 'pipe' : 'inherit'], detached: true });
  if (prefix)
    for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream }).on('line', (line) => process.stdout.write(`${prefix} ${line}\n`));
  return child;
};

const children = args.length ? [vitest(args, null)] : [vitest(['--project', 'worker'], '[worker] '), vitest(['--project', 'browser'], '[browser]')];
// stopping the run stops both, with everything they started (wrangler dev, workerd, Chromium)
const stop = () => {
  for (const c of children) {
    try {
      process.kill(-c.pid, 'SIGTERM');
    } catch {}
  }
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

const codes = await Promise.all(children.map((c) => new Promise((resolve) => c.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0))))));
if (children.length > 1) console.log(`worker project: ${codes[0] === 0 ? 'passed' : `failed (${codes[0]})`}; browser project: ${codes[1] === 0 ? 'passed' : `failed (${codes[1]})`}`);
process.exit(codes.some((c) => c !== 0) ? 1 : 0);

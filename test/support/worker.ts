/**
 * Runs the real Worker for browser tests: seeds the demo data into a fresh local KV directory, then
 * `wrangler dev` on a free port. Needs `npm run build` first (the Worker imports build/snippet.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

const quietEnv = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };

export interface RunningWorker {
  /** e.g. http://127.0.0.1:43817 */
  origin: string;
  stop(): Promise<void>;
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
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

/** Keeps the last `max` characters a child printed, for error messages. */
function tail(child: ChildProcess, max = 8000): () => string {
  let out = '';
  const add = (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-max);
  };
  child.stdout?.on('data', add);
  child.stderr?.on('data', add);
  return () => out;
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function seed(persistTo: string): Promise<void> {
  const child = spawn('npx', ['node', 'scripts/seed.mjs', '--persist-to', persistTo], {
    cwd: root,
    env: quietEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = tail(child);
  const code = await new Promise<number | null>((resolve) => {
    child.once('error', () => resolve(-1));
    void exited(child).then(resolve);
  });
  if (code !== 0) throw new Error(`scripts/seed.mjs exited with ${code}:\n${output()}`);
}

/** Kills the process group (npx → wrangler → workerd), SIGKILL after a grace period. */
async function killGroup(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const done = exited(child);
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  if ((await Promise.race([done.then(() => true), sleep(graceMs).then(() => false)])) === false) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await Promise.race([done, sleep(2000)]);
  }
  // workerd children may outlive the npx leader by a moment; make sure the group is gone.
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // no process left in the group
  }
}

export interface StartOptions {
  readyTimeoutMs?: number;
  /**
   * Worker variables and secrets for this run (`wrangler dev --var NAME:value`), e.g. an ADMIN_TOKEN
   * for the admin. They take precedence over a developer's `.dev.vars`.
   */
  vars?: Record<string, string>;
}

export async function startWorker(opts: StartOptions = {}): Promise<RunningWorker> {
  if (!existsSync(join(root, 'build/snippet.ts'))) throw new Error('build/snippet.ts is missing: run `npm run build` first');
  const port = await freePort();
  const persistTo = mkdtempSync(join(tmpdir(), 'pz-worker-'));
  const origin = `http://127.0.0.1:${port}`;
  const cleanup = () => rmSync(persistTo, { recursive: true, force: true });

  try {
    await seed(persistTo);
  } catch (err) {
    cleanup();
    throw err;
  }

  const child = spawn(
    'npx',
    [
      'wrangler', 'dev', '--port', String(port), '--ip', '127.0.0.1', '--persist-to', persistTo, '--log-level', 'warn',
      ...Object.entries(opts.vars ?? {}).flatMap(([name, value]) => ['--var', `${name}:${value}`]),
    ],
    { cwd: root, env: quietEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output = tail(child);
  let exitCode: number | null | undefined;
  child.once('exit', (code) => (exitCode = code));
  child.once('error', () => (exitCode ??= -1)); // could not spawn npx

  // If the test process dies without calling stop(), take the Worker down with it.
  const onExit = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', onExit);

  const stop = async () => {
    process.off('exit', onExit);
    await killGroup(child);
    cleanup();
  };

  const deadline = Date.now() + (opts.readyTimeoutMs ?? 90_000);
  for (;;) {
    if (exitCode !== undefined) {
      await stop();
      throw new Error(`wrangler dev exited with ${exitCode} before answering /health:\n${output()}`);
    }
    try {
      const res = await fetch(`${origin}/health`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return { origin, stop };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`wrangler dev did not answer ${origin}/health in time:\n${output()}`);
    }
    await sleep(250);
  }
}

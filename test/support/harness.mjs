// @ts-check
// The one harness that runs the Worker under `wrangler dev` (workerd) outside vitest's workerd pool:
// a free port, the process group (npx/node → wrangler → workerd) taken down as a whole, readiness on
// /health, and the seeded demo data. Used by the browser tests (test/support/worker.ts and the browser
// project's globalSetup, test/support/global-worker.ts) and by the bench (bench/worker.mjs, which adds
// its `wrangler deploy --dry-run` snapshot and CPU sampling on top).
//
// Plain JavaScript so the bench's plain Node imports it as it is; the types are in harness.d.mts.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, with a trailing slash. */
export const root = fileURLToPath(new URL('../..', import.meta.url));

/** The environment every wrangler run gets: no telemetry, no request.cf lookup over the network. */
export const quietEnv = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };

const wranglerBin = join(root, 'node_modules/wrangler/bin/wrangler.js');
const localNode = join(root, 'node_modules/.bin/node');
/** The project's pinned Node (the `node` devDependency, what `npx` runs) when installed, else this process's. */
export const nodeBin = existsSync(localNode) ? localNode : process.execPath;

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/** A port that was free a moment ago on 127.0.0.1. @returns {Promise<number>} */
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

/**
 * Keeps the last `max` characters a child printed, for error messages.
 * @param {import('node:child_process').ChildProcess} child
 * @returns {() => string}
 */
export function tail(child, max = 8000) {
  let out = '';
  const add = (/** @type {Buffer} */ chunk) => {
    out = (out + chunk.toString()).slice(-max);
  };
  child.stdout?.on('data', add);
  child.stderr?.on('data', add);
  return () => out;
}

/** @param {import('node:child_process').ChildProcess} child @returns {Promise<number | null>} */
function exited(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

/**
 * Kills a detached child's whole process group (wrangler → workerd), SIGKILL after a grace period.
 * Killing only wrangler's pid would leave workerd running.
 * @param {import('node:child_process').ChildProcess} child
 */
export async function killGroup(child, graceMs = 5000) {
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
  // workerd may outlive wrangler by a moment; make sure the group is gone.
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // no process left in the group
  }
}

/**
 * Runs a Node script of the project (with the project's Node) and resolves once it exited 0.
 * @param {string[]} args
 */
function runNode(args) {
  const child = spawn(nodeBin, args, { cwd: root, env: quietEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = tail(child);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    void exited(child).then((code) => (code === 0 ? resolve(undefined) : reject(new Error(`${args.join(' ')} exited with ${code}:\n${output()}`))));
  });
}

/**
 * Seeds a local state directory: the demo site and its accounts into KV under each of `sites` (copies
 * of the demo, each its own site id), and the measurement database's migrations (scripts/seed.mjs).
 * @param {{ persistTo: string, sites?: readonly string[] }} opts
 */
export async function seedDemo({ persistTo, sites = ['demo'] }) {
  await runNode(['scripts/seed.mjs', '--persist-to', persistTo, '--sites', sites.join(',')]);
}

/**
 * `wrangler dev` on a free port of 127.0.0.1 in its own process group. Resolves once /health answers;
 * `stop()` takes the whole group down (also when this process exits without calling it).
 * @param {import('./harness.d.mts').WranglerDevOptions} opts
 * @returns {Promise<import('./harness.d.mts').WranglerDev>}
 */
export async function startWranglerDev({ persistTo, config, cwd = root, args = [], vars = {}, logLevel = 'warn', readyTimeoutMs = 90_000, cleanup = () => {} }) {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const child = spawn(
    nodeBin,
    [
      wranglerBin, 'dev', ...(config ? ['--config', config] : []), ...args,
      '--port', String(port), '--ip', '127.0.0.1', '--persist-to', persistTo, '--log-level', logLevel,
      ...Object.entries(vars).flatMap(([name, value]) => ['--var', `${name}:${value}`]),
    ],
    { cwd, env: quietEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output = tail(child);
  /** @type {number | null | undefined} */
  let exitCode;
  child.once('exit', (code) => (exitCode = code));
  child.once('error', () => (exitCode ??= -1)); // could not spawn

  // If this process exits or is killed without calling stop(), take the Worker down with it: its group
  // was detached, so neither Ctrl+C in the terminal nor a signal to this process reaches it.
  const onExit = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    cleanup();
  };
  /** @param {NodeJS.Signals} signal */
  const onSignal = (signal) => {
    onExit();
    // then what the signal would have done without this listener (others, e.g. vitest's, decide otherwise)
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const signals = /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP']);
  process.once('exit', onExit);
  for (const signal of signals) process.once(signal, onSignal);
  const stop = async () => {
    process.off('exit', onExit);
    for (const signal of signals) process.off(signal, onSignal);
    await killGroup(child);
    cleanup();
  };

  const started = performance.now();
  for (;;) {
    if (exitCode !== undefined) {
      await stop();
      throw new Error(`wrangler dev exited with ${exitCode} before answering /health:\n${output()}`);
    }
    try {
      const res = await fetch(`${origin}/health`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (performance.now() - started > readyTimeoutMs) {
      await stop();
      throw new Error(`wrangler dev did not answer ${origin}/health in time:\n${output()}`);
    }
    await sleep(250);
  }
  return { origin, port, pgid: /** @type {number} */ (child.pid), startMs: Math.round(performance.now() - started), output, stop };
}

/**
 * The real Worker from the working tree, seeded: a fresh temporary state directory with the demo data
 * (under each of `sites`), then `wrangler dev`. `stop()` also removes the directory. Needs
 * `npm run build` first (the Worker imports build/snippet.ts).
 * @param {import('./harness.d.mts').StartOptions} [opts]
 * @returns {Promise<import('./harness.d.mts').RunningWorker>}
 */
export async function startWorker(opts = {}) {
  if (!existsSync(join(root, 'build/snippet.ts'))) throw new Error('build/snippet.ts is missing: run `npm run build` first');
  const persistTo = mkdtempSync(join(tmpdir(), 'pz-worker-'));
  const cleanup = () => rmSync(persistTo, { recursive: true, force: true });
  try {
    await seedDemo({ persistTo, sites: opts.sites });
  } catch (err) {
    cleanup();
    throw err;
  }
  // startWranglerDev removes the directory once the Worker is down, also when it fails to start
  const dev = await startWranglerDev({ persistTo, vars: opts.vars, args: opts.args, readyTimeoutMs: opts.readyTimeoutMs, cleanup });
  return { origin: dev.origin, stop: dev.stop };
}

/**
 * The admin API of a Worker this process started: `api(method, path, body)` answers the parsed JSON,
 * and throws on a non-2xx answer (with its status and body).
 * @param {string} origin
 * @param {string} token
 */
export function adminClient(origin, token) {
  return async (/** @type {string} */ method, /** @type {string} */ path, /** @type {unknown} */ body) => {
    const res = await fetch(`${origin}/api/admin${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
}

/**
 * Creates a site through the admin API, saves `edit(draft config)` as its draft, imports `accounts`
 * (if any) and publishes it. Answers the published config's draft state.
 * @param {ReturnType<typeof adminClient>} api
 * @param {{ id: string, name: string, allowedOrigins: string[] }} site
 * @param {(config: any) => any} edit
 * @param {object[]} [accounts]
 */
export async function publishSite(api, site, edit, accounts = []) {
  await api('POST', '/sites', site);
  const state = await api('GET', `/sites/${site.id}`);
  const saved = await api('PUT', `/sites/${site.id}/draft`, { baseRevision: state.draft.revision, config: edit(state.draft.config) });
  if (accounts.length) await api('POST', `/sites/${site.id}/accounts/import`, { rows: accounts });
  return api('POST', `/sites/${site.id}/publish`, { baseRevision: saved.draft.revision });
}

// Helpers shared by the project's Node scripts (start, seed, bench).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const wranglerBin = `${root}node_modules/wrangler/bin/wrangler.js`;
export const quietEnv = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };

/** Imports a TypeScript module by bundling it in memory (the scripts run on plain Node). */
export async function importTs(entry) {
  const out = await esbuild.build({ entryPoints: [`${root}${entry}`], bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'error' });
  const code = out.outputFiles[0].text;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

/** Runs wrangler with the project's Node and resolves with its exit code. */
export function wrangler(args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [wranglerBin, ...args], { cwd: root, env: quietEnv, stdio: 'inherit', ...options });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`wrangler ${args[0]} exited with ${code}`))));
  });
}

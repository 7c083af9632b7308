// scripts/lib.mjs importTs, plus a stub for `cloudflare:workers` (the Durable Object base class) so
// modules that reach edge/site-store/ and edge/activity/ can be loaded in Node. Nothing the bench runs in Node uses it.
import * as esbuild from 'esbuild';
import { root } from '../scripts/lib.mjs';

const STUB = 'export class DurableObject { constructor(ctx, env) { this.ctx = ctx; this.env = env; } }\nexport class WorkerEntrypoint {}\nexport const env = {};\n';

const cloudflareStub = {
  name: 'cloudflare-stub',
  setup(build) {
    build.onResolve({ filter: /^cloudflare:/ }, (args) => ({ path: args.path, namespace: 'cloudflare-stub' }));
    build.onLoad({ filter: /.*/, namespace: 'cloudflare-stub' }, () => ({ contents: STUB, loader: 'js' }));
  },
};

const cache = new Map();

/** Imports a TypeScript module of the repo (path relative to the root) by bundling it in memory. */
export function importBenchTs(entry) {
  if (!cache.has(entry)) cache.set(entry, load(entry));
  return cache.get(entry);
}

async function load(entry) {
  const out = await esbuild.build({ entryPoints: [`${root}${entry}`], bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'error', plugins: [cloudflareStub] });
  return import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
}

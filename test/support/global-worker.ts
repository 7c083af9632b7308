/**
 * globalSetup of the browser project: one `wrangler dev` for all its test files, seeded with the demo
 * site under each id of SHARED_SITES and run with SHARED_ADMIN_TOKEN. Its origin and token reach the
 * files through `provide` (read them with `sharedWorker()` from test/support/worker.ts). Teardown
 * kills the process group (wrangler and workerd) and removes the state directory. In watch mode a
 * rerun gets a freshly seeded Worker, since the files change their sites.
 */
import type { TestProject } from 'vitest/node';
import { startWorker, type RunningWorker } from './harness.mjs';
import { EDGE_HOST, EDGE_SITE, SHARED_ADMIN_TOKEN, SHARED_LINK_SECRET, SHARED_SITES } from './shared-sites';

async function start(project: TestProject): Promise<RunningWorker> {
  const started = performance.now();
  // The snippet's budget counts from navigation start, and on a 2-core machine shared by Chromium and
  // workerd a page load alone can take most of 800 ms: the demo pages, which these files use to check
  // what each visitor sees (not how fast), get 3 s. Timing is proven against 800 ms elsewhere
  // (snippet-timing.test.ts, fallback.test.ts), with pages whose loading the test controls.
  const vars = { ADMIN_TOKEN: SHARED_ADMIN_TOKEN, LINK_SECRET: SHARED_LINK_SECRET, DEMO_TIMEOUT_MS: '3000', EDGE_HOSTS: `${EDGE_HOST}=${EDGE_SITE}` };
  const worker = await startWorker({ sites: Object.values(SHARED_SITES), vars });
  // Compile and warm up the Worker once, so no file's first page load pays for it (an anonymous
  // decision without a visitor id: nothing is recorded).
  const decide: RequestInit = { method: 'POST', body: JSON.stringify({ site: SHARED_SITES.demo, url: `${worker.origin}/demo` }) };
  const warmUp: [string, RequestInit?][] = [['/p.js'], ['/demo'], ['/admin'], ['/v1/decide', decide]];
  await Promise.all(warmUp.map(([path, init]) => fetch(`${worker.origin}${path}`, init).then((r) => r.arrayBuffer())));
  console.log(`browser tests: shared Worker at ${worker.origin} (seeded and started in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  project.provide('sharedWorker', { origin: worker.origin, adminToken: SHARED_ADMIN_TOKEN });
  return worker;
}

export default async function setup(project: TestProject) {
  let worker = await start(project);
  project.onTestsRerun(async () => {
    await worker.stop();
    worker = await start(project);
  });
  return async () => {
    await worker.stop();
  };
}

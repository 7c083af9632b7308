/**
 * The real Worker for browser tests. The browser project starts ONE `wrangler dev` for all its files
 * (test/support/global-worker.ts, a vitest globalSetup), seeded with a copy of the demo site under
 * each id of SHARED_SITES, and run with SHARED_ADMIN_TOKEN; a test file reaches it with
 * `sharedWorker()`. A file that changes a site (publishes, counts its events, records behaviour) uses
 * its own copy, so files cannot see each other's changes.
 *
 * The process management itself is test/support/harness.mjs, which the bench uses too.
 */
import { expect, inject } from 'vitest';

export { freePort, root, startWorker, type RunningWorker, type StartOptions } from './harness.mjs';
export { SHARED_ADMIN_TOKEN, SHARED_LINK_SECRET, SHARED_SITES, type SharedSite } from './shared-sites';

export interface SharedWorker {
  /** e.g. http://127.0.0.1:43817 */
  origin: string;
  /** The Worker's ADMIN_TOKEN (also what preview links are signed with: no PREVIEW_SECRET is set). */
  adminToken: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Provided by test/support/global-worker.ts. */
    sharedWorker: SharedWorker;
  }
}

/** The browser project's shared Worker (started once by its globalSetup). */
export function sharedWorker(): SharedWorker {
  const worker = inject('sharedWorker');
  if (!worker) throw new Error('no shared Worker: run the file in the browser project (vitest --project browser), whose globalSetup starts it');
  return worker;
}

/** Calls the shared Worker's admin API (`/api/admin<path>`) with `token` (default: its ADMIN_TOKEN); a non-2xx answer fails the test. */
export async function adminApi(method: string, path: string, body?: unknown, token = sharedWorker().adminToken): Promise<unknown> {
  const res = await fetch(`${sharedWorker().origin}/api/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  expect(res.ok, `${method} ${path}: ${res.status} ${text.slice(0, 300)}`).toBe(true);
  return text ? (JSON.parse(text) as unknown) : null;
}

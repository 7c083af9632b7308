/**
 * globalSetup of the worker project (vitest.config.ts): a customer's origin on 127.0.0.1 for edge-mode
 * tests (edge/edge-mode/proxy.ts): HTML pages with slots, a page that sends its <head> and then pauses
 * 1 s before its body, a redirect, JSON, an image, a `no-transform` page and an error. Its address
 * reaches the tests through `provide('customerOrigin')`. Each answer is the same bytes every time, so
 * a test can compare what the Worker passed through byte for byte. `GET /__hits` counts requests per path.
 */
import { createServer } from 'node:http';
import type { TestProject } from 'vitest/node';
import { ORIGIN_PAGES } from '../worker/support/origin-pages';

export default async function setup(project: TestProject) {
  const port = Number(process.env.PZ_ORIGIN_PORT);
  const hits: Record<string, number> = {};
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/__hits') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(hits));
    hits[path] = (hits[path] ?? 0) + 1;
    if (path === '/slow') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.write(ORIGIN_PAGES.slowHead);
      setTimeout(() => res.end(ORIGIN_PAGES.slowBody), 1000);
      return;
    }
    const page = ORIGIN_PAGES.static[path];
    if (!page) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    res.writeHead(page.status, page.headers).end(Buffer.from(page.body, 'base64'));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  project.provide('customerOrigin', `http://127.0.0.1:${port}`);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}

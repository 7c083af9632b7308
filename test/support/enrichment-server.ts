/**
 * globalSetup of the worker project (vitest.config.ts): stand-ins for two enrichment providers on
 * 127.0.0.1, answering in their documented request and response shapes (the vendors themselves cannot
 * be reached from here):
 * - IPinfo under `/ipinfo`: `GET /<ip>/json` with `Authorization: Bearer <token>` → `{ip, country,
 *   company: {name, domain, type}, asn: {asn, name, domain, route, type}, privacy: {...}}`; errors as
 *   `{status, error: {title, message}}` (403 unknown token, 429 rate limit).
 * - Clearbit Reveal under `/clearbit`: `GET /v1/companies/find?ip=<ip>` with `Authorization: Bearer
 *   <key>` → `{ip, fuzzy, domain, type, company: {name, domain, category, metrics, geo}}`; 404
 *   `unknown_record`, 202 queued, 401 without a key, 429 with Retry-After.
 * Each address in test/worker/support/enrichment-fixture.ts scripts one answer (a company, an ISP, a
 * fuzzy guess, an error, a slow, malformed or huge body). `GET /__calls` lists the requests received.
 */
import { createServer } from 'node:http';
import type { TestProject } from 'vitest/node';
import { ENRICH_KEYS, scriptedAnswer } from '../worker/support/enrichment-fixture';

export default async function setup(project: TestProject) {
  const port = Number(process.env.PZ_ENRICH_PORT);
  const calls: { provider: string; ip: string; at: number }[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/__calls') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(calls));
    const ipinfo = url.pathname.match(/^\/ipinfo\/([^/]+)\/json$/);
    const clearbit = url.pathname === '/clearbit/v1/companies/find';
    if (!ipinfo && !clearbit) return void res.writeHead(404).end();
    const provider = ipinfo ? 'ipinfo' : 'clearbit';
    const ip = decodeURIComponent(ipinfo ? ipinfo[1]! : (url.searchParams.get('ip') ?? ''));
    calls.push({ provider, ip, at: Date.now() });
    if (req.headers.authorization !== `Bearer ${ENRICH_KEYS[provider]}`) {
      return provider === 'ipinfo'
        ? void res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 403, error: { title: 'Unknown token', message: "Please ensure you've entered your token correctly." } }))
        : void res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { type: 'auth_required', message: 'API key required' } }));
    }
    const answer = scriptedAnswer(provider, ip);
    setTimeout(() => res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end(answer.body), answer.delayMs ?? 0);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  project.provide('enrichmentServer', `http://127.0.0.1:${port}`);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}

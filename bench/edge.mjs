// Edge mode's cost (`node bench/edge.mjs`, or `npm run bench -- --only edge`): time to first byte and
// to the last byte of a 12 KB landing page, fetched from the origin directly and through the Worker in
// edge mode (wrangler dev proxying that origin and personalizing the page as it streams), interleaved
// request by request so both see the same machine. Everything runs on 127.0.0.1, in bounded loops.
import { createServer, request } from 'node:http';
import { adminClient, publishSite, startWorker } from '../test/support/harness.mjs';
import { importBenchTs } from './ts.mjs';

const HOST = 'bench.customer.test';
const SITE = 'bench-edge';
const TOKEN = 'bench-edge-admin-token';
const SECRET = 'bench-edge-link-secret';

const filler = Array.from({ length: 120 }, (_, i) => `<p>Paragraph ${i}: our platform helps data teams ship analytics faster, with governance built in.</p>`).join('\n');
const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Landing</title></head><body>
<h1 data-pz-slot="headline">Analytics for every team</h1><a id="cta" href="/signup">Start a trial</a>
${filler}</body></html>`;

/** One GET over a fresh connection: ms to the response headers, to the first body byte, to the end. */
function timedGet(port, path, host) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request({ host: '127.0.0.1', port, path, headers: { host, connection: 'close' }, agent: false }, (res) => {
      let first = 0;
      let bytes = 0;
      res.on('data', (chunk) => {
        if (!first) first = performance.now() - t0;
        bytes += chunk.length;
      });
      res.on('end', () => resolve({ status: res.statusCode, ttfb: first, total: performance.now() - t0, bytes }));
    });
    req.on('error', reject);
    req.end();
  });
}

const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

export async function measureEdge({ rounds = 200 } = {}) {
  const origin = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(PAGE));
  await new Promise((r) => origin.listen(0, '127.0.0.1', r));
  const originPort = origin.address().port;
  const worker = await startWorker({ vars: { ADMIN_TOKEN: TOKEN, LINK_SECRET: SECRET, EDGE_HOSTS: `${HOST}=${SITE}` } });
  try {
    const api = adminClient(worker.origin, TOKEN);
    await publishSite(api, { id: SITE, name: 'Bench edge', allowedOrigins: [`http://${HOST}`] }, (config) => ({
      ...config,
      edge: { origin: `http://127.0.0.1:${originPort}` },
      segments: [{ id: 'fintech', name: 'Fintech', priority: 10, holdout: 0, rule: { all: [{ field: 'account.industry', op: 'equals', value: 'Fintech' }] } }],
      slots: [{ id: 'headline', type: 'text' }, { id: 'cta', type: 'link', selector: '#cta' }],
      variants: { fintech: { headline: { type: 'text', text: 'Analytics for {{account.name}}' }, cta: { type: 'link', text: 'Talk to us', href: '/contact' } } },
    }), [{ domain: 'fin-one.example', name: 'Fin One', industry: 'Fintech' }]);
    const { signLink } = await importBenchTs('shared/links/signed-link.ts');
    const link = await signLink(SECRET, SITE, { domain: 'fin-one.example', exp: Math.floor(Date.now() / 1000) + 3600 });
    const workerPort = Number(new URL(worker.origin).port);
    const personalized = `/landing?pz_account=${encodeURIComponent(link)}`;
    // until the read copy serves the published config and the page comes back personalized
    for (let i = 0; i < 100; i++) {
      const probe = await new Promise((resolve) => {
        request({ host: '127.0.0.1', port: workerPort, path: personalized, headers: { host: HOST } }, (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve(text));
        }).end();
      });
      if (probe.includes('Analytics for Fin One')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const runs = { direct: [], edge: [], anonymous: [] };
    for (let i = 0; i < 20; i++) await timedGet(workerPort, personalized, HOST); // warm-up
    for (let i = 0; i < rounds; i++) {
      runs.direct.push(await timedGet(originPort, '/landing', `127.0.0.1:${originPort}`));
      runs.edge.push(await timedGet(workerPort, personalized, HOST));
      runs.anonymous.push(await timedGet(workerPort, '/landing', HOST));
    }
    const summary = (xs) => ({ ttfbP50: pct(xs.map((x) => x.ttfb), 50), ttfbP95: pct(xs.map((x) => x.ttfb), 95), totalP50: pct(xs.map((x) => x.total), 50), totalP95: pct(xs.map((x) => x.total), 95), bytes: xs[0].bytes });
    return { rounds, direct: summary(runs.direct), edge: summary(runs.edge), anonymous: summary(runs.anonymous) };
  } finally {
    await worker.stop();
    origin.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await measureEdge();
  const ms = (x) => `${x.toFixed(1)} ms`;
  console.log(`edge mode, ${r.rounds} rounds interleaved, ${r.direct.bytes} B page:`);
  for (const [name, s] of Object.entries({ 'origin direct': r.direct, 'edge, personalized': r.edge, 'edge, no segment': r.anonymous }))
    console.log(`  ${name.padEnd(20)} TTFB p50 ${ms(s.ttfbP50)} p95 ${ms(s.ttfbP95)} · full p50 ${ms(s.totalP50)} p95 ${ms(s.totalP95)}`);
  console.log(`  added at p95: TTFB +${ms(r.edge.ttfbP95 - r.direct.ttfbP95)}, full +${ms(r.edge.totalP95 - r.direct.totalP95)} (personalized)`);
}

// 6. Event ingestion: 100,000 events (`--quick`: 20,000) in batches of 100, 16 in flight, to
// POST /v1/events of the Worker in workerd (wrangler dev, local Queue and D1) on 127.0.0.1; then the
// report is read until it counts every event. Throughput over HTTP, time until all are in the report,
// and the report's own query time at that size.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, wrangler } from '../scripts/lib.mjs';
import { importBenchTs } from './ts.mjs';
import { BENCH_LINK_SECRET, cpuDelta, startWorker } from './worker.mjs';

const TOKEN = 'bench-events-token';

export async function measureEvents({ snapshot, events, log }) {
  const dir = mkdtempSync(join(tmpdir(), 'pz-bench-events-'));
  let worker;
  try {
    await wrangler(['kv', 'key', 'put', 'config:demo', '--binding', 'KV', '--local', '--persist-to', dir, JSON.stringify((await importBenchTs('bench/shared.ts')).demoSite)], { stdio: ['ignore', 'ignore', 'inherit'] });
    await wrangler(['d1', 'migrations', 'apply', 'pz-events', '--local', '--persist-to', dir, '--config', `${root}wrangler.toml`], { stdio: ['ignore', 'ignore', 'inherit'] });
    worker = await startWorker({ persistTo: dir, snapshot, vars: { ADMIN_TOKEN: TOKEN } });
    const { sendEventLoad, reportCounts } = await importBenchTs('bench/event-load.ts');
    const { demoSite } = await importBenchTs('bench/shared.ts');
    const segments = demoSite.segments.map((s) => ({ id: s.id, holdout: s.holdout }));
    const before = worker.cpu();
    log(`   sending ${events.toLocaleString('en')} events, 16 requests in flight`);
    const load = await sendEventLoad({ origin: worker.origin, site: 'demo', segments, version: demoSite.version, secret: BENCH_LINK_SECRET, events, batchSize: 100, concurrency: 16 });
    const counted = await reportCounts(worker.origin, TOKEN, 'demo', load.accepted, 5 * 60_000);
    const cpu = cpuDelta(before, worker.cpu());
    log(`   ${Math.round(load.eventsPerSecond)} events/s accepted; ${counted.counted.toLocaleString('en')} counted ${counted.seconds.toFixed(1)} s after the last was sent`);
    return {
      events,
      accepted: load.accepted,
      refused: load.refused,
      sendSeconds: load.seconds,
      acceptedPerSecond: load.eventsPerSecond,
      counted: counted.counted,
      countedAfterSeconds: counted.seconds,
      endToEndPerSecond: counted.counted / (load.seconds + counted.seconds),
      reportMs: counted.reportMs,
      lossless: counted.counted === load.accepted && load.accepted === events,
      /** workerd CPU (all cores) per event, ingestion and aggregation together, polling of the report included. */
      workerdCpuMicrosPerEvent: (cpu.workerd / events) * 1e6,
    };
  } finally {
    await worker?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

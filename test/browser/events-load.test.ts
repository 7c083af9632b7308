/**
 * The events load test, small enough for `npm test` (the 100,000-event run is `npm run bench`):
 * 10,000 events in concurrent batches to the real Worker (wrangler dev, local Queue and D1) on
 * 127.0.0.1; every event accepted is counted in the report exactly once, replays included. The count is
 * of every event of the site, so this file has its own copy of the demo site on the shared Worker.
 */
import { expect, it } from 'vitest';
import { demoSite } from '../../shared/demo/site';
import { makeBatch, reportCounts, sendEventLoad } from '../../bench/event-load';
import { SHARED_LINK_SECRET, SHARED_SITES, sharedWorker } from '../support/worker';

const SITE = SHARED_SITES.load;
const worker = sharedWorker();
const TOKEN = worker.adminToken;

it('counts every one of 10,000 events sent in concurrent batches once, and replayed batches not again', async () => {
  const segments = demoSite.segments.map((s) => ({ id: s.id, holdout: s.holdout }));
  const secret = SHARED_LINK_SECRET;
  const load = await sendEventLoad({ origin: worker.origin, site: SITE, segments, version: demoSite.version, secret, events: 10_000, batchSize: 100, concurrency: 8 });
  expect(load.refused).toEqual({});
  expect(load.accepted).toBe(10_000);

  // 10 batches sent again, as a flaky network would
  const replays = await Promise.all(
    Array.from({ length: 10 }, async (_, i) => fetch(`${worker.origin}/v1/events`, { method: 'POST', body: JSON.stringify(await makeBatch(i, { site: SITE, segments, version: demoSite.version, secret }, 100, 'replay')) })),
  );
  expect(replays.map((r) => r.status)).toEqual(Array(10).fill(202));
  await Promise.all(
    Array.from({ length: 10 }, async (_, i) => fetch(`${worker.origin}/v1/events`, { method: 'POST', body: JSON.stringify(await makeBatch(i, { site: SITE, segments, version: demoSite.version, secret }, 100, 'replay')) })),
  );

  const counted = await reportCounts(worker.origin, TOKEN, SITE, 11_000, 60_000);
  console.log(`events load: ${load.eventsPerSecond.toFixed(0)} events/s accepted over HTTP; all counted in the report ${counted.seconds.toFixed(1)} s after the last was sent`);
  expect(counted.counted).toBe(11_000);
  // nothing trickles in afterwards
  await new Promise((r) => setTimeout(r, 2500));
  const settled = await reportCounts(worker.origin, TOKEN, SITE, 11_000, 1);
  expect(settled.counted).toBe(11_000);
  const arms = settled.report!.segments.flatMap((s) => [s.arms.personalized, s.arms.holdout]);
  expect(arms.reduce((n, a) => n + a.exposures, 0)).toBe(settled.report!.totals.exposures);
});

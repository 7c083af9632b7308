// The event load generator: `npm run bench` (bench/events.mjs, 100,000 events) and its smaller twin in
// `npm test` (test/browser/events-load.test.ts). Sends batches of events to POST /v1/events on
// 127.0.0.1 with a bounded number in flight, then reads the report until every event is counted.
import type { EventsAnswer, Measure, Report } from '../shared/schemas';

export interface LoadOptions {
  origin: string;
  site: string;
  /** Segments of the site the events belong to (both arms are used). */
  segments: string[];
  version: number;
  events: number;
  batchSize?: number;
  concurrency?: number;
  /** Requests that fail are retried with the same batch id at most this often (a retry is never double counted). */
  retries?: number;
}

export interface LoadResult {
  sent: number;
  accepted: number;
  batches: number;
  /** Answers other than 202, by status (retried). */
  refused: Record<string, number>;
  seconds: number;
  eventsPerSecond: number;
}

/** Batch i: one visitor exposed, and every third batch's visitor converts once on `cta`. Deterministic. */
export function makeBatch(i: number, o: Pick<LoadOptions, 'site' | 'segments' | 'version'>, size: number, runId: string) {
  const measure: Measure = {
    segment: o.segments[i % o.segments.length]!,
    arm: i % 10 === 0 ? 'holdout' : 'personalized',
    version: o.version,
    ...(i % 2 === 0 && { account: `load-${i % 5000}.example` }),
  };
  const events = Array.from({ length: size }, (_, j) => (j === 0 || i % 3 !== 0 ? { type: 'exposure', ...measure } : { type: 'conversion', goal: 'cta', ...measure }));
  return { site: o.site, batch: `${runId}-${i}`, visitor: `load-visitor-${runId}-${i}`, events };
}

export async function sendEventLoad(o: LoadOptions): Promise<LoadResult> {
  const batchSize = o.batchSize ?? 100;
  const batches = Math.ceil(o.events / batchSize);
  const runId = Math.random().toString(36).slice(2, 10);
  const refused: Record<string, number> = {};
  let accepted = 0;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < batches; i = next++) {
      const size = Math.min(batchSize, o.events - i * batchSize);
      const body = JSON.stringify(makeBatch(i, o, size, runId));
      for (let attempt = 0; ; attempt++) {
        const res = await fetch(`${o.origin}/v1/events`, { method: 'POST', body, headers: { 'content-type': 'text/plain' } }).catch(() => null);
        if (res?.status === 202) {
          const answer = (await res.json()) as EventsAnswer; // read before adding: `x += await y` loses updates
          accepted += answer.accepted;
          break;
        }
        const key = String(res?.status ?? 'network');
        refused[key] = (refused[key] ?? 0) + 1;
        await res?.body?.cancel();
        if (attempt >= (o.retries ?? 3)) break;
        await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency ?? 16 }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { sent: o.events, accepted, batches, refused, seconds, eventsPerSecond: o.events / seconds };
}

/** Reads the report until it counts `expected` events (or the deadline): the end of ingestion. */
export async function reportCounts(origin: string, token: string, site: string, expected: number, timeoutMs: number) {
  const started = performance.now();
  let last: Report | undefined;
  let reportMs = 0;
  while (performance.now() - started < timeoutMs) {
    const t = performance.now();
    const res = await fetch(`${origin}/api/admin/report?site=${site}`, { headers: { authorization: `Bearer ${token}` } });
    if (res.ok) {
      last = (await res.json()) as Report;
      reportMs = performance.now() - t;
      if (last.totals.exposures + last.totals.conversions >= expected) break;
    } else await res.body?.cancel();
    await new Promise((r) => setTimeout(r, 250));
  }
  const counted = last ? last.totals.exposures + last.totals.conversions : 0;
  return { counted, report: last, seconds: (performance.now() - started) / 1000, reportMs };
}

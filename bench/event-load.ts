// The event load generator: `npm run bench` (bench/events.mjs, 100,000 events) and its smaller twin in
// `npm test` (test/browser/events-load.test.ts). Sends batches of events to POST /v1/events on
// 127.0.0.1 with a bounded number in flight, then reads the report until every event is counted.
import { assignArm, assignmentUnit } from '../shared/measure/assign';
import { signMeasure } from '../shared/measure/measure-token';
import type { EventsAnswer, Measure, Report } from '../shared/schemas';

export interface LoadOptions {
  origin: string;
  site: string;
  /** Segments of the site the events belong to, with their holdout shares (both arms occur). */
  segments: { id: string; holdout: number }[];
  version: number;
  /** The Worker's LINK_SECRET: each batch carries the measurement token the edge would have signed. */
  secret: string;
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

/**
 * Batch i: one visitor exposed, and every third batch's visitor converts once on `cta`. Deterministic.
 * The arm is the one the edge draws for the unit, and the measure carries the token the edge signs
 * (as a decide answer would): POST /v1/events refuses anything else.
 */
export async function makeBatch(i: number, o: Pick<LoadOptions, 'site' | 'segments' | 'version' | 'secret'>, size: number, runId: string) {
  const segment = o.segments[i % o.segments.length]!;
  const visitor = `load-visitor-${runId}-${i}`;
  const account = i % 2 === 0 ? `load-${i % 5000}.example` : undefined;
  const fields = {
    segment: segment.id,
    arm: assignArm(o.site, segment.id, assignmentUnit(account, visitor), segment.holdout),
    version: o.version,
    ...(account && { account }),
  };
  const measure: Measure = { ...fields, token: await signMeasure(o.secret, { site: o.site, visitor, measure: fields }, Date.now() / 1000) };
  // one conversion (conversions are capped per unit, goal and day; exposures are not)
  const events = Array.from({ length: size }, (_, j) => (j === 1 && i % 3 === 0 ? { type: 'conversion', goal: 'cta', ...measure } : { type: 'exposure', ...measure }));
  return { site: o.site, batch: `${runId}-${i}`, visitor, events };
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
      const body = JSON.stringify(await makeBatch(i, o, size, runId));
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

/**
 * Robustness of the measurement endpoints under generated bad input (fast-check): POST /v1/events and
 * GET /api/admin/report. Every bad input gets a 4xx JSON error, never a 5xx, and nothing is counted:
 * the report of the site is the same afterwards.
 */
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EventBatch, MAX_EVENTS_BODY_BYTES } from '../../shared/schemas';
import { checkEvents } from '../../shared/measure/check-events';
import { assignArm, assignmentUnit } from '../../shared/measure/assign';
import { signMeasure } from '../../shared/measure/measure-token';
import { WORKER_TEST_LINK_SECRET } from '../support/links';
import { ADMIN_TOKEN, uniqueSite } from './support/admin';
import { measureConfig, report, seedMeasureSite } from './support/measure';
import {
  accepts,
  anyText,
  badDomain,
  badId,
  deepText,
  expectJsonError,
  expectPrototypeClean,
  j,
  obj,
  pollutionText,
  protoKey,
  replaying,
  reportTally,
  runs,
  segment,
  send,
  sized,
  withInvalidUtf8,
  wrongTypeText,
} from './support/robustness';

const EVENTS = 'POST /v1/events';
const REPORT = 'GET /api/admin/report';
let site: string;

const events = (text: string | Uint8Array) =>
  send(EVENTS, new Request('https://edge.test/v1/events', { method: 'POST', body: typeof text === 'string' ? new TextEncoder().encode(text) : text, headers: { 'content-type': 'text/plain' } }));
const reportQuery = (query: string, token = ADMIN_TOKEN) =>
  send(REPORT, new Request(`https://edge.test/api/admin/report?${query}`, { headers: { authorization: `Bearer ${token}` } }));
const describeBody = (body: string | Uint8Array) => (typeof body === 'string' ? `${body.length} chars: ${body.slice(0, 200)}` : `${body.length} bytes`);

async function storedRows(): Promise<number> {
  const row = await env.EVENTS_DB.prepare('SELECT COUNT(*) AS n FROM events WHERE site = ?1').bind(site).first<{ n: number }>();
  return row!.n;
}

beforeAll(async () => {
  site = uniqueSite('robust');
  await seedMeasureSite(site);
});

afterAll(async () => {
  // nothing was queued: give a delivery time to show up if one had been
  await new Promise((r) => setTimeout(r, 1500));
  expect(await storedRows()).toBe(0);
  expect((await report(site)).totals).toEqual({ exposures: 0, conversions: 0 });
  expectPrototypeClean();
  const total = reportTally('robustness-measure');
  if (!replaying) expect(total).toBeGreaterThanOrEqual(2_000);
});

const measure = () => ({ segment: j('fintech'), arm: j('personalized'), version: j(3) });

/** Events every one of which must be refused: wrong types, unknown segments and goals, extra keys. */
const badEvent = fc.oneof(
  wrongTypeText(50),
  fc.tuple(fc.constantFrom('type', 'segment', 'arm', 'version', 'account', 'goal'), wrongTypeText(50)).map(([key, value]) =>
    obj(Object.entries({ type: j('conversion'), goal: j('cta'), ...measure(), [key]: value })),
  ),
  badId.map((id) => obj(Object.entries({ type: j('exposure'), ...measure(), segment: j(id) }))),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/).filter((s) => s !== 'fintech').map((s) => obj(Object.entries({ type: j('exposure'), ...measure(), segment: j(s) }))),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/).filter((g) => !['cta', 'submit', 'thank-you', 'demo-request'].includes(g)).map((g) => obj(Object.entries({ type: j('conversion'), goal: j(g), ...measure() }))),
  badDomain.map((d) => obj(Object.entries({ type: j('exposure'), ...measure(), account: j(d) }))),
  fc.tuple(fc.oneof(protoKey, anyText(12)), pollutionText).map(([k, v]) => obj([...Object.entries({ type: j('exposure'), ...measure() }), [k, v]])),
  fc.integer({ min: -1e12, max: -1 }).map((v) => obj(Object.entries({ type: j('exposure'), ...measure(), version: j(v) }))),
).filter((text) => {
  // refused by the same per-event check the endpoint runs (invalid JSON text is refused by any check)
  try {
    return checkEvents(measureConfig(site), [JSON.parse(text)]).valid.length === 0;
  } catch {
    return true;
  }
});

const envelope = (members: [string, string][]) => obj(members);
const goodEnvelope = (eventsText: string): [string, string][] => [['site', j(site)], ['batch', j('batch-robust-1')], ['visitor', j('visitor-robust-1')], ['events', eventsText]];

it('POST /v1/events answers 400 to a batch whose every event is bad, naming each, and counts nothing', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(badEvent, { minLength: 1, maxLength: 20 }), async (list) => {
      const body = envelope(goodEnvelope(`[${list.join(',')}]`));
      await expectJsonError(await events(body), describeBody(body), sized(body, MAX_EVENTS_BODY_BYTES, [400]));
    }),
    runs(600),
  );
});

it('POST /v1/events answers 400 to events whose measurement token is missing, malformed, truncated, re-signed, expired or for another visitor or measure, and counts nothing', async () => {
  const visitor = 'visitor-robust-1';
  const fields = { segment: 'fintech', arm: assignArm(site, 'fintech', assignmentUnit('fin-1.example', visitor), 0.5), version: 3, account: 'fin-1.example' };
  const real = await signMeasure(WORKER_TEST_LINK_SECRET, { site, visitor, measure: fields }, Date.now() / 1000);
  const [expiry, sig] = real.split('.') as [string, string];
  const badToken = fc.oneof(
    anyText(80),
    fc.integer({ min: 0, max: real.length - 1 }).map((n) => real.slice(0, n)),
    fc.tuple(fc.integer({ min: 0, max: real.length - 1 }), fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz234567.')).map(([i, ch]) => real.slice(0, i) + ch + real.slice(i + 1)).filter((t) => t !== real),
    fc.integer({ min: 1, max: 2 ** 40 }).map((n) => `${n.toString(36)}.${sig}`).filter((t) => t !== real),
    fc.constant(`${expiry}.${sig.toUpperCase()}`),
    fc.constant(`${real}.${sig}`),
    fc.constantFrom('', '.', `${expiry}.`, `.${sig}`),
  );
  const event = fc.tuple(badToken, fc.constantFrom('exposure', 'conversion'), fc.constantFrom('keep', 'other-visitor', 'other-account')).map(([token, type, twist]) => ({
    text: obj(Object.entries({ type: j(type), ...(type === 'conversion' && { goal: j('cta') }), segment: j('fintech'), arm: j(fields.arm), version: j(3), account: j(twist === 'other-account' ? 'fin-2.example' : fields.account), token: j(token) })),
    visitor: twist === 'other-visitor' ? 'visitor-robust-2' : visitor,
  }));
  await fc.assert(
    fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 10 }), async (list) => {
      const body = envelope([['site', j(site)], ['batch', j('batch-robust-2')], ['visitor', j(list[0]!.visitor)], ['events', `[${list.map((e) => e.text).join(',')}]`]]);
      const error = await expectJsonError(await events(body), describeBody(body), [400]);
      expect(error.issues!.every((i) => /^events\.\d+\.token$/.test(i.path)), JSON.stringify(error.issues)).toBe(true);
    }),
    runs(400),
  );
});

it('POST /v1/events answers 400/404/413 to a bad envelope: wrong types, bad ids, too many events, extra keys, unknown sites', async () => {
  const field = fc.constantFrom('site', 'batch', 'visitor', 'events');
  const badEnvelope = fc.oneof(
    fc.tuple(field, wrongTypeText(200)).map(([k, v]) => envelope(goodEnvelope('[]').map(([key, val]) => [key, key === k ? v : val]))),
    fc.tuple(fc.constantFrom('batch', 'visitor'), fc.constantFrom('', 'short', 'x'.repeat(65), 'has space!', '../../etc', 'ü-nicode-1')).map(([k, v]) =>
      envelope(goodEnvelope(`[${obj(Object.entries({ type: j('exposure'), ...measure() }))}]`).map(([key, val]) => [key, key === k ? j(v) : val])),
    ),
    fc.integer({ min: 101, max: 400 }).map((n) => envelope(goodEnvelope(j(Array(n).fill({}))))),
    fc.tuple(fc.oneof(protoKey, anyText(12)), pollutionText).map(([k, v]) => envelope([...goodEnvelope('[{}]'), [k, v]])),
    fc.stringMatching(/^[a-z][a-z0-9-]{2,20}$/).map((s) => envelope(goodEnvelope(`[${obj(Object.entries({ type: j('exposure'), ...measure() }))}]`).map(([key, val]) => [key, key === 'site' ? j(`nosuch-${s}`) : val]))),
    badId.map((s) => envelope(goodEnvelope('[{}]').map(([key, val]) => [key, key === 'site' ? j(s) : val]))),
    deepText(3000),
    anyText(200),
  ).filter((text) => !accepts(EventBatch, text) || text.includes('nosuch-'));
  await fc.assert(
    fc.asyncProperty(badEnvelope, async (body) => {
      await expectJsonError(await events(body), describeBody(body), sized(body, MAX_EVENTS_BODY_BYTES, [400, 404]));
    }),
    runs(800),
  );
});

it('POST /v1/events answers 400 to invalid UTF-8 and 413 to a body over 32 KB', async () => {
  const valid = envelope(goodEnvelope(`[${obj(Object.entries({ type: j('exposure'), ...measure() }))}]`));
  await fc.assert(
    fc.asyncProperty(withInvalidUtf8(fc.constant(valid)), async (bytes) => {
      await expectJsonError(await events(bytes), describeBody(bytes), [400]);
    }),
    runs(200),
  );
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: MAX_EVENTS_BODY_BYTES + 1, max: 200_000 }), async (size) => {
      const body = envelope([...goodEnvelope('[]'), ['pad', j('p'.repeat(size))]]);
      await expectJsonError(await events(body), `${size} bytes of padding`, [413]);
    }),
    runs(100),
  );
});

it('GET /api/admin/report answers 400 to bad query strings and 401 to bad tokens, never 5xx', async () => {
  const badQuery = fc.oneof(
    badId.map((s) => `site=${segment(s)}`),
    fc.tuple(fc.constantFrom('from', 'to'), fc.oneof(anyText(20), fc.constantFrom('2026-02-30', '2026-13-01', '26-12-01', '2026-1-1', '0000-00-00', '2026-12-01T00:00:00Z'))).map(
      ([k, v]) => `site=${site}&${k}=${segment(v)}`,
    ),
    fc.tuple(fc.date({ min: new Date('2000-01-02'), max: new Date('2099-12-31'), noInvalidDate: true }), fc.integer({ min: 1, max: 400 })).map(([d, back]) => {
      const to = d.toISOString().slice(0, 10);
      return `site=${site}&from=${to}&to=${new Date(d.getTime() - back * 86_400_000).toISOString().slice(0, 10)}`;
    }),
    anyText(12).filter((f) => f !== 'json' && f !== 'csv').map((f) => `site=${site}&format=${segment(f)}`),
    anyText(12).filter((i) => i !== 'sequential' && i !== 'fixed').map((i) => `site=${site}&interval=${segment(i)}`),
    fc.tuple(anyText(10).filter((k) => !['site', 'from', 'to', 'interval', 'format'].includes(k) && k !== ''), anyText(10)).map(([k, v]) => `site=${site}&${segment(k)}=${segment(v)}`),
    fc.constant(''),
  );
  await fc.assert(
    fc.asyncProperty(badQuery, async (query) => {
      await expectJsonError(await reportQuery(query), query, [400]);
    }),
    runs(500),
  );
  await fc.assert(
    fc.asyncProperty(fc.stringMatching(/^[\x21-\x7e]{0,40}$/), async (token) => {
      await expectJsonError(await reportQuery(`site=${site}`, token === ADMIN_TOKEN ? `${token}x` : token), `token ${token}`, [401]);
    }),
    runs(200),
  );
});

import { describe, expect, it } from 'vitest';
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import worker from '../../edge/index';
import { MAX_EVENTS_PER_BATCH, type DecideResponse, type EventsAnswer } from '../../shared/schemas';
import { admin, uniqueSite } from './support/admin';
import { conversion, decideFor, exposure, fintechAccounts, randomId, report, reportWhen, seedMeasureSite, sendEvents, signedMeasure } from './support/measure';

/** Decides for each fintech account once (visitor ids of their own) and returns them by arm. */
async function decisionsByArm(site: string) {
  const all = await Promise.all(fintechAccounts.map((a, i) => decideFor(site, a.domain, `visitor-${i}-xyz`)));
  const visitorOf = new Map(all.map((d, i) => [d, `visitor-${i}-xyz`]));
  return { all, visitorOf, personalized: all.filter((d) => d.arm === 'personalized'), holdout: all.filter((d) => d.arm === 'holdout') };
}

describe('POST /v1/events → queue → D1 → report', () => {
  it('counts exposed units and conversions per arm, with the conversion rate per goal', async () => {
    const site = uniqueSite('ev');
    await seedMeasureSite(site);
    const { personalized, holdout, visitorOf } = await decisionsByArm(site);
    const send = async (d: DecideResponse, events: unknown[]) => {
      const res = await sendEvents({ site, batch: randomId(), visitor: visitorOf.get(d)!, events });
      expect(res.status, await res.clone().text()).toBe(202);
      return (await res.json()) as EventsAnswer;
    };
    // every account exposed twice; 3 personalized and 1 held-out account convert on the CTA, one of them twice
    for (const d of [...personalized, ...holdout]) expect((await send(d, [exposure(d.measure!), exposure(d.measure!)])).accepted).toBe(2);
    for (const d of personalized.slice(0, 3)) await send(d, [conversion(d.measure!, 'cta')]);
    await send(personalized[0]!, [conversion(personalized[0]!.measure!, 'cta')]);
    await send(holdout[0]!, [conversion(holdout[0]!.measure!, 'cta'), conversion(holdout[0]!.measure!, 'demo-request')]);

    const exposures = 2 * (personalized.length + holdout.length);
    const r = await reportWhen(site, (r) => r.totals.exposures === exposures && r.totals.conversions === 6);
    const fintech = r.segments.find((s) => s.segment === 'fintech')!;
    expect(fintech.name).toBe('Fintech');
    expect(fintech.holdout).toBe(0.5);
    expect(fintech.arms.personalized).toMatchObject({ units: personalized.length, accounts: personalized.length, visitors: personalized.length, exposures: 2 * personalized.length });
    expect(fintech.arms.holdout).toMatchObject({ units: holdout.length, exposures: 2 * holdout.length });
    expect(fintech.arms.personalized.conversions.cta).toEqual({ units: 3, events: 4, rate: 3 / personalized.length });
    expect(fintech.arms.holdout.conversions.cta).toEqual({ units: 1, events: 1, rate: 1 / holdout.length });
    expect(fintech.arms.holdout.conversions['demo-request']).toMatchObject({ units: 1 });
    expect(fintech.lift.cta).toMatchObject({ status: 'insufficient', reason: expect.stringMatching(/^not enough data yet/), method: 'sequential', conclusion: 'not enough data yet' });
    expect(r.goals.map((g) => g.id)).toEqual(['cta', 'submit', 'thank-you', 'demo-request']);
    const today = new Date().toISOString().slice(0, 10);
    expect(fintech.days).toContainEqual({ day: today, arm: 'personalized', units: personalized.length, conversions: { cta: 3 } });
    expect(fintech.versions).toContainEqual({ version: 3, arm: 'holdout', units: holdout.length, conversions: { cta: 1, 'demo-request': 1 } });
  });

  it('counts a conversion as a converted unit only when that unit was exposed in the same arm', async () => {
    const site = uniqueSite('unexposed');
    await seedMeasureSite(site);
    const { personalized, visitorOf } = await decisionsByArm(site);
    const [seen, unseen] = personalized;
    await sendEvents({ site, batch: randomId(), visitor: visitorOf.get(seen!)!, events: [exposure(seen!.measure!), conversion(seen!.measure!, 'cta')] });
    await sendEvents({ site, batch: randomId(), visitor: visitorOf.get(unseen!)!, events: [conversion(unseen!.measure!, 'cta')] });
    const r = await reportWhen(site, (r) => r.totals.conversions === 2);
    expect(r.segments[0]!.arms.personalized.conversions.cta).toMatchObject({ units: 1, events: 1 });
  });

  it('counts a batch sent twice once, and says the second time that it is a duplicate', async () => {
    const site = uniqueSite('dup');
    await seedMeasureSite(site);
    const { personalized, visitorOf } = await decisionsByArm(site);
    const d = personalized[0]!;
    const batch = { site, batch: randomId(), visitor: visitorOf.get(d)!, events: [exposure(d.measure!), conversion(d.measure!, 'cta')] };
    // sent twice at once (before the queue delivers), and again once it is counted
    const [a, b] = await Promise.all([sendEvents(batch), sendEvents(batch)]);
    expect([a.status, b.status]).toEqual([202, 202]);
    await reportWhen(site, (r) => r.totals.exposures === 1 && r.totals.conversions === 1);
    const again = await sendEvents(batch);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ batch: batch.batch, accepted: 0, rejected: [], duplicate: true });
    // a later batch is counted, and the replays still are not
    await sendEvents({ ...batch, batch: randomId(), events: [exposure(d.measure!)] });
    const r = await reportWhen(site, (r) => r.totals.exposures === 2);
    expect(r.totals.conversions).toBe(1);
    expect(r.segments[0]!.arms.personalized.exposures).toBe(2);
  });

  it('writing the same queued batches again changes nothing in D1 (an at-least-once delivery)', async () => {
    const site = uniqueSite('redeliver');
    await seedMeasureSite(site);
    const body = { site, batch: randomId(), visitor: 'visitor-redeliver', receivedAt: Date.now(), events: [{ index: 0, type: 'exposure', segment: 'fintech', arm: 'holdout', version: 3 }] };
    for (let i = 0; i < 3; i++) {
      const batch = createMessageBatch('pz-events', [{ id: `m${i}`, timestamp: new Date(), attempts: 1, body }]);
      const ctx = createExecutionContext();
      await worker.queue(batch, env);
      expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual([]);
      expect((await getQueueResult(batch, ctx)).ackAll).toBe(true);
    }
    expect((await report(site)).totals.exposures).toBe(1);
  });

  it('drops a queue message that is not a queued batch, and still writes the valid ones of the delivery', async () => {
    const site = uniqueSite('poison');
    await seedMeasureSite(site);
    const good = { site, batch: randomId(), visitor: 'visitor-poison', receivedAt: Date.now(), events: [{ index: 0, type: 'exposure', segment: 'fintech', arm: 'personalized', version: 3 }] };
    const batch = createMessageBatch<unknown>('pz-events', [
      { id: 'bad', timestamp: new Date(), attempts: 1, body: { hello: 'world' } },
      { id: 'good', timestamp: new Date(), attempts: 1, body: good },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env);
    expect((await getQueueResult(batch, ctx)).ackAll).toBe(true);
    expect((await report(site)).totals.exposures).toBe(1);
  });
});

describe('the dead-letter queue', () => {
  it('counts the batches the events queue gave up on, per site and day, and the report shows them instead of losing them silently', async () => {
    const site = uniqueSite('dlq');
    await seedMeasureSite(site);
    const queued = (n: number) => ({ site, batch: randomId(), visitor: 'visitor-dlq', receivedAt: Date.now(), events: Array.from({ length: n }, (_, index) => ({ index, type: 'exposure', segment: 'fintech', arm: 'personalized', version: 3 })) });
    const batch = createMessageBatch<unknown>('pz-events-dlq', [
      { id: 'a', timestamp: new Date(), attempts: 11, body: queued(3) },
      { id: 'b', timestamp: new Date(), attempts: 11, body: queued(2) },
      { id: 'junk', timestamp: new Date(), attempts: 11, body: 'not a batch' },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env);
    expect((await getQueueResult(batch, ctx)).ackAll).toBe(true);
    const r = await report(site);
    expect(r.dropped).toEqual({ batches: 2, events: 5 });
    expect(r.totals).toEqual({ exposures: 0, conversions: 0 });
    const other = uniqueSite('other');
    await seedMeasureSite(other);
    expect((await report(other)).dropped).toEqual({ batches: 0, events: 0 });
  });
});

describe('POST /v1/events: bad input', () => {
  const valid = async (site: string) => ({ site, batch: randomId(), visitor: 'visitor-bad-input', events: [{ type: 'exposure', ...(await signedMeasure(site, 'visitor-bad-input')) }] });

  it('keeps the valid events of a batch and names each refused one: unknown segment, unknown goal, bad fields', async () => {
    const site = uniqueSite('mixed');
    await seedMeasureSite(site);
    const m = await signedMeasure(site, 'visitor-bad-input');
    const res = await sendEvents({
      ...(await valid(site)),
      events: [
        { type: 'exposure', ...m },
        { type: 'exposure', ...m, segment: 'ghost' },
        { type: 'conversion', ...m, goal: 'nope' },
        { type: 'conversion', ...m },
        { type: 'exposure', ...m, arm: 'control' },
        { type: 'exposure', ...m, __proto__: { polluted: true }, extra: 1 },
        'not an event',
        { type: 'conversion', ...m, goal: 'thank-you' },
      ],
    });
    expect(res.status).toBe(202);
    const body = (await res.json()) as EventsAnswer;
    expect(body.accepted).toBe(2);
    expect(body.rejected.map((r) => r.index)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(body.rejected[0]).toEqual({ index: 1, path: 'events.1.segment', message: `no segment "ghost" in site "${site}"` });
    expect(body.rejected[1]).toEqual({ index: 2, path: 'events.2.goal', message: `no goal "nope" in site "${site}"` });
    expect(body.rejected[2]!.path).toBe('events.3.goal');
    expect(body.rejected[3]!.path).toBe('events.4.arm');
    await reportWhen(site, (r) => r.totals.exposures === 1 && r.totals.conversions === 1);
  });

  it.each([
    ['malformed JSON', '{"site":', 400, '(body)'],
    ['a missing visitor', { site: 'x', batch: 'batch-1234', events: [{}] }, 400, 'visitor'],
    ['no events', { site: 'x', batch: 'batch-1234', visitor: 'visitor-1', events: [] }, 400, 'events'],
    ['too many events', { site: 'x', batch: 'batch-1234', visitor: 'visitor-1', events: Array(MAX_EVENTS_PER_BATCH + 1).fill({}) }, 400, 'events'],
    ['a bad batch id', { site: 'x', batch: 'no spaces please', visitor: 'visitor-1', events: [{}] }, 400, 'batch'],
    ['an unknown field', { site: 'x', batch: 'batch-1234', visitor: 'visitor-1', events: [{}], ip: '1.2.3.4' }, 400, ''],
  ])('refuses %s with a 400 naming the field', async (_, body, status, path) => {
    const res = await sendEvents(body);
    expect(res.status).toBe(status);
    const error = (await res.json()) as { issues: { path: string }[] };
    expect(error.issues[0]!.path).toContain(path);
  });

  it('refuses a body over 32 KB with 413 before reading it', async () => {
    const res = await sendEvents({ ...(await valid('x')), pad: 'x'.repeat(40_000) });
    expect(res.status).toBe(413);
  });

  it('refuses an unknown site with 404, and a batch whose every event is invalid with 400', async () => {
    expect((await sendEvents(await valid('no-such-site'))).status).toBe(404);
    const site = uniqueSite('allbad');
    await seedMeasureSite(site);
    const res = await sendEvents({ ...(await valid(site)), events: [{ type: 'exposure', segment: 'ghost', arm: 'holdout', version: 1 }] });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'no valid events', issues: [{ path: 'events.0.segment', message: `no segment "ghost" in site "${site}"` }] });
  });

  it('refuses events from a page on an origin the site does not allow', async () => {
    const site = uniqueSite('origin');
    await seedMeasureSite(site);
    expect((await sendEvents(await valid(site), { origin: 'https://evil.example' })).status).toBe(403);
    const ok = await sendEvents(await valid(site), { origin: 'https://www.vendor.example' });
    expect(ok.status).toBe(202);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://www.vendor.example');
  });
});

describe('GET /api/admin/report', () => {
  it('needs the admin token', async () => {
    expect((await admin('GET', '/report?site=demo', undefined, { token: null })).status).toBe(401);
    expect((await admin('GET', '/report?site=demo', undefined, { token: 'wrong' })).status).toBe(401);
  });

  it.each([
    ['?site=Bad Site', 'site'],
    ['?site=demo&from=2026-13-01', 'from'],
    ['?site=demo&from=2026-02-30', 'from'],
    ['?site=demo&from=2026-12-02&to=2026-12-01', 'from'],
    ['?site=demo&format=xml', 'format'],
    ['?site=demo&extra=1', ''],
  ])('refuses %s with a 400 naming the field', async (query, path) => {
    const res = await admin('GET', `/report${query}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { issues: { path: string }[] }).issues[0]!.path).toContain(path);
  });

  it('answers 404 for an unknown site', async () => {
    expect((await admin('GET', '/report?site=no-such-site')).status).toBe(404);
  });

  it('exports the same numbers as CSV: a row per segment × arm × goal, then per day and per version', async () => {
    const site = uniqueSite('csv');
    await seedMeasureSite(site);
    const { personalized, visitorOf } = await decisionsByArm(site);
    const d = personalized[0]!;
    await sendEvents({ site, batch: randomId(), visitor: visitorOf.get(d)!, events: [exposure(d.measure!), conversion(d.measure!, 'cta')] });
    await reportWhen(site, (r) => r.totals.conversions === 1);
    const res = await admin('GET', `/report?site=${site}&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(new RegExp(`attachment; filename="report-${site}-`));
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toBe(
      'segment,segment_name,arm,goal,day,version,exposed_units,visitors,accounts,converted_units,conversion_rate,lift,lift_low,lift_high,lift_verdict,' +
        'lift_interval,lift_from,lift_to,lift_exposed_units,lift_converted_units,conclusion,' +
        'opportunities,pipeline,won,win_rate,median_days_to_opportunity,pipeline_per_account,pipeline_lift,pipeline_lift_low,pipeline_lift_high,pipeline_conclusion',
    );
    const today = new Date().toISOString().slice(0, 10);
    expect(lines).toContain(`fintech,Fintech,personalized,cta,,,1,1,1,1,1,,,,not enough data,sequential,${today},${today},1,1,not enough data yet,,,,,,,,,,`);
    expect(lines).toContain(`fintech,Fintech,holdout,cta,,,0,0,0,0,0,,,,,sequential,${today},${today},0,0,,,,,,,,,,,`);
    expect(lines).toContain(`fintech,Fintech,personalized,cta,${today},,1,,,1,1,,,,,,,,,,,,,,,,,,,,`);
    expect(lines).toContain('fintech,Fintech,personalized,cta,,3,1,,,1,1,,,,,,,,,,,,,,,,,,,,');
  });
});

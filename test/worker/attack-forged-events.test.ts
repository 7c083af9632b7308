/**
 * Attack: setting the lift report to any value. Before signed measurement, three POST /v1/events
 * batches with made-up accounts gave "customers / personalized: 3 units, CTA rate 100 %", and
 * `arm: "holdout"` with `version: 999` was accepted for a segment whose holdout is 0. Now every event
 * must carry the measurement token of a decision the edge made for that site, visitor and measure;
 * anything else is refused with a 4xx naming the reason and counted nowhere.
 */
import { describe, expect, it } from 'vitest';
import { signMeasure } from '../../shared/measure/measure-token';
import { MAX_CONVERSIONS_PER_UNIT_GOAL_DAY } from '../../edge/events/events-db';
import type { EventsAnswer } from '../../shared/schemas';
import { WORKER_TEST_LINK_SECRET } from '../support/links';
import { uniqueSite } from './support/admin';
import { conversion, decideFor, exposure, randomId, report, reportWhen, seedMeasureSite, sendEvents, signedMeasure } from './support/measure';

const batch = (site: string, visitor: string, events: unknown[]) => ({ site, batch: randomId(), visitor, events });

async function refused(site: string, visitor: string, events: unknown[]) {
  const res = await sendEvents(batch(site, visitor, events));
  const body = (await res.json()) as { error: string; issues: { path: string; message: string }[] };
  expect(res.status, JSON.stringify(body)).toBe(400);
  expect(body.error).toBe('no valid events');
  return body.issues;
}

describe('forged measurement events', () => {
  it('refuses made-up accounts (no token), and the report stays empty', async () => {
    const site = uniqueSite('forge-ev');
    await seedMeasureSite(site);
    for (const account of ['fin-1.example', 'fin-2.example', 'fin-3.example']) {
      const m = { segment: 'fintech', arm: 'personalized', version: 3, account };
      const issues = await refused(site, `forger-${randomId()}`, [exposure(m as never), conversion(m as never, 'cta')]);
      expect(issues.map((i) => i.path)).toEqual(['events.0.token', 'events.1.token']);
      expect(issues[0]!.message).toContain('no measurement token');
    }
    // a real visit afterwards is counted alone: nothing of the above reached the store
    const d = await decideFor(site, 'fin-4.example', 'real-visitor-1');
    expect((await sendEvents(batch(site, 'real-visitor-1', [exposure(d.measure!)]))).status).toBe(202);
    const r = await reportWhen(site, (x) => x.totals.exposures === 1);
    expect(r.totals).toEqual({ exposures: 1, conversions: 0 });
  });

  it('refuses a version the site never published, whatever the arm', async () => {
    const site = uniqueSite('forge-ev');
    await seedMeasureSite(site, 0);
    const m = { segment: 'fintech', arm: 'holdout' as const, version: 999, account: 'fin-1.example' };
    const token = await signMeasure(WORKER_TEST_LINK_SECRET, { site, visitor: 'v-forger-1', measure: m }, Date.now() / 1000);
    const issues = await refused(site, 'v-forger-1', [exposure({ ...m, token })]);
    expect(issues).toEqual([{ path: 'events.0.version', message: `site "${site}" has published no version 999` }]);
  });

  it('refuses the arm other than the one drawn for the unit, even with a token for it', async () => {
    const site = uniqueSite('forge-ev');
    await seedMeasureSite(site, 0); // nobody is held out
    const m = { segment: 'fintech', arm: 'holdout' as const, version: 3, account: 'fin-1.example' };
    const token = await signMeasure(WORKER_TEST_LINK_SECRET, { site, visitor: 'v-forger-2', measure: m }, Date.now() / 1000);
    const issues = await refused(site, 'v-forger-2', [exposure({ ...m, token })]);
    expect(issues).toEqual([{ path: 'events.0.arm', message: 'this account is drawn into the other arm of "fintech"' }]);
  });

  it('refuses a real token replayed for another visitor, another account, another arm, or past its expiry', async () => {
    const site = uniqueSite('forge-ev');
    await seedMeasureSite(site);
    const d = await decideFor(site, 'fin-5.example', 'real-visitor-2');
    const m = d.measure!;
    expect(m.token).toMatch(/^[0-9a-z]+\.[a-z2-7]{26}$/);
    const tokenMismatch = 'measurement token does not match this site, visitor, segment, arm, version and account';
    expect(await refused(site, 'someone-else-1', [exposure(m)])).toEqual([{ path: 'events.0.token', message: tokenMismatch }]);
    // another account of the same arm (so only the token can tell)
    let other: string | undefined;
    for (let i = 6; !other; i++) if ((await signedMeasure(site, 'real-visitor-2', { account: `fin-${i}.example` })).arm === m.arm) other = `fin-${i}.example`;
    expect(await refused(site, 'real-visitor-2', [exposure({ ...m, account: other })])).toEqual([{ path: 'events.0.token', message: tokenMismatch }]);
    const flipped = m.arm === 'holdout' ? 'personalized' : 'holdout';
    expect((await refused(site, 'real-visitor-2', [exposure({ ...m, arm: flipped })]))[0]!.path).toMatch(/^events\.0\.(arm|token)$/);
    expect((await refused(site, 'real-visitor-2', [exposure({ ...m, token: 'abc.def' })]))[0]!.message).toBe('malformed measurement token');
    const expired = await signMeasure(WORKER_TEST_LINK_SECRET, { site, visitor: 'real-visitor-2', measure: { segment: m.segment, arm: m.arm, version: m.version, account: m.account } }, Date.now() / 1000 - 2 * 86_400);
    expect(await refused(site, 'real-visitor-2', [exposure({ ...m, token: expired })])).toEqual([{ path: 'events.0.token', message: 'measurement token expired' }]);
    // and the real one still counts
    expect((await sendEvents(batch(site, 'real-visitor-2', [exposure(m)]))).status).toBe(202);
    await reportWhen(site, (x) => x.totals.exposures === 1);
  });

  it(`caps conversion events at ${MAX_CONVERSIONS_PER_UNIT_GOAL_DAY} per unit, goal and day`, async () => {
    const site = uniqueSite('forge-ev');
    await seedMeasureSite(site);
    const d = await decideFor(site, 'fin-10.example', 'clicker-1');
    const clicks = Array.from({ length: 60 }, () => conversion(d.measure!, 'cta'));
    for (let i = 0; i < clicks.length; i += 30) {
      const res = await sendEvents(batch(site, 'clicker-1', [exposure(d.measure!), ...clicks.slice(i, i + 30)]));
      expect(((await res.json()) as EventsAnswer).accepted).toBe(31);
    }
    await reportWhen(site, (x) => x.totals.exposures === 2 && x.totals.conversions > 0);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // both deliveries in
    const settled = await report(site);
    expect(settled.totals).toEqual({ exposures: 2, conversions: MAX_CONVERSIONS_PER_UNIT_GOAL_DAY });
    const arm = settled.segments[0]!.arms[d.measure!.arm];
    expect(arm.units).toBe(1);
    expect(arm.conversions.cta).toMatchObject({ units: 1, events: MAX_CONVERSIONS_PER_UNIT_GOAL_DAY });
  });
});

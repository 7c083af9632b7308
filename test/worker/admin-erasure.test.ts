/**
 * Deleting an account erases what is kept about it: its page views (the activity object and its KV
 * digest) and its measurement rows in D1 (raw events and roll-ups whose unit is the account); other
 * accounts' data stays.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { digestKey } from '../../edge/activity/account-activity';
import { admin, adminJson, createSite, uniqueSite } from './support/admin';
import { BEHAVIOUR_NEEDS, DAY_MS, recordViews, summaryOf } from './support/behaviour';
import { accounts } from './support/fixture';

async function seedMeasurement(site: string, domain: string) {
  const unit = `a:${domain}`;
  const day = new Date().toISOString().slice(0, 10);
  await env.EVENTS_DB.batch([
    env.EVENTS_DB.prepare(
      `INSERT INTO events (site, batch, idx, delivery, day, received_at, type, segment, arm, version, goal, unit, account, visitor)
       VALUES (?1, ?2, 0, 'd', ?3, 0, 'exposure', 'fintech', 'personalized', 1, '', ?4, ?5, 'visitor-1')`,
    ).bind(site, `b-${domain}`, day, unit, domain),
    env.EVENTS_DB.prepare(`INSERT INTO exposures (site, segment, arm, day, version, unit, visitor, account, n) VALUES (?1, 'fintech', 'personalized', ?2, 1, ?3, 'visitor-1', ?4, 1)`).bind(site, day, unit, domain),
    env.EVENTS_DB.prepare(`INSERT INTO conversions (site, segment, arm, goal, day, version, unit, n) VALUES (?1, 'fintech', 'personalized', 'cta', ?2, 1, ?3, 1)`).bind(site, day, unit),
  ]);
}

const rows = async (site: string, unit: string) =>
  Promise.all(['events', 'exposures', 'conversions'].map(async (t) => (await env.EVENTS_DB.prepare(`SELECT COUNT(*) AS n FROM ${t} WHERE site = ?1 AND unit = ?2`).bind(site, unit).first<{ n: number }>())!.n));

describe('erasure when an account is deleted', () => {
  it('erases its views, its digest and its measurement rows, and leaves other accounts alone', async () => {
    const site = uniqueSite('erase');
    await createSite(site);
    for (const account of accounts.slice(0, 2)) await adminJson('PUT', `/sites/${site}/accounts/${account.domain}`, account);
    const [gone, kept] = accounts.slice(0, 2).map((a) => a.domain) as [string, string];
    const now = Date.now();
    for (const domain of [gone, kept]) {
      await recordViews({ site, domain }, [{ at: now - DAY_MS, visitor: 'visitor-1', path: '/pricing', groups: ['pricing'] }], 90, BEHAVIOUR_NEEDS);
      await seedMeasurement(site, domain);
    }
    expect(await env.KV.get(digestKey({ site, domain: gone }))).not.toBeNull();

    expect((await admin('DELETE', `/sites/${site}/accounts/${gone}`)).status).toBe(204);

    expect((await summaryOf({ site, domain: gone }, { now, windowDays: 90 })).views).toEqual([]);
    expect(await env.KV.get(digestKey({ site, domain: gone }))).toBeNull();
    expect(await rows(site, `a:${gone}`)).toEqual([0, 0, 0]);
    // the other account is untouched
    expect((await summaryOf({ site, domain: kept }, { now, windowDays: 90 })).views).toHaveLength(1);
    expect(await env.KV.get(digestKey({ site, domain: kept }))).not.toBeNull();
    expect(await rows(site, `a:${kept}`)).toEqual([1, 1, 1]);
  });
});

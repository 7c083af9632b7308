/**
 * Measurement retention: the Worker's scheduled handler (the daily Cron Trigger) deletes raw events and
 * roll-ups of days older than EVENTS_RETENTION_DAYS and keeps the rest; the report of recent days is
 * unchanged.
 */
import { env } from 'cloudflare:workers';
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../edge/index';
import { DEFAULT_EVENTS_RETENTION_DAYS, retentionDays } from '../../edge/events/retention';
import { DAY_MS, dayOf } from '../../shared/measure/days';
import { uniqueSite } from './support/admin';

async function seedDay(site: string, day: string) {
  await env.EVENTS_DB.batch([
    env.EVENTS_DB.prepare(
      `INSERT INTO events (site, batch, idx, delivery, day, received_at, type, segment, arm, version, goal, unit, account, visitor)
       VALUES (?1, ?2, 0, 'd', ?3, 0, 'exposure', 'fintech', 'personalized', 1, '', 'v:visitor-1', NULL, 'visitor-1')`,
    ).bind(site, `batch-${day}`, day),
    env.EVENTS_DB.prepare(`INSERT INTO exposures (site, segment, arm, day, version, unit, visitor, account, n) VALUES (?1, 'fintech', 'personalized', ?2, 1, 'v:visitor-1', 'visitor-1', NULL, 1)`).bind(site, day),
    env.EVENTS_DB.prepare(`INSERT INTO conversions (site, segment, arm, goal, day, version, unit, n) VALUES (?1, 'fintech', 'personalized', 'cta', ?2, 1, 'v:visitor-1', 1)`).bind(site, day),
  ]);
}

const days = async (site: string, table: string) =>
  (await env.EVENTS_DB.prepare(`SELECT day FROM ${table} WHERE site = ?1 ORDER BY day`).bind(site).all<{ day: string }>()).results.map((r) => r.day);

describe('measurement retention', () => {
  it('the scheduled handler deletes rows of days past the retention and keeps the last EVENTS_RETENTION_DAYS days', async () => {
    const site = uniqueSite('retain');
    const now = Date.now();
    const old = dayOf(now - 40 * DAY_MS);
    const edge = dayOf(now - 29 * DAY_MS); // the 30th day back, the oldest kept
    const recent = dayOf(now - 2 * DAY_MS);
    for (const day of [old, edge, recent]) await seedDay(site, day);

    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: now, cron: '17 3 * * *' }), { ...env, EVENTS_RETENTION_DAYS: '30' }, ctx);
    await waitOnExecutionContext(ctx);

    for (const table of ['events', 'exposures', 'conversions']) expect(await days(site, table), table).toEqual([edge, recent]);
  });

  it('keeps about 13 months unless configured, and ignores a setting that is not a whole number of days', () => {
    expect(DEFAULT_EVENTS_RETENTION_DAYS).toBe(396);
    expect(retentionDays({})).toBe(396);
    expect(retentionDays({ EVENTS_RETENTION_DAYS: '90' })).toBe(90);
    for (const bad of ['0', '-5', '1.5', 'forever']) expect(retentionDays({ EVENTS_RETENTION_DAYS: bad }), bad).toBe(396);
  });
});

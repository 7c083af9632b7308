/**
 * Decision latency with and without behavioural rules, side by side in one run (local workerd: real
 * KV and Durable Objects, no network; Workers timers advance on I/O only, so pure CPU is not seen).
 * Logs the figures quoted in the README; asserts only what the design promises.
 *
 *   npx vitest run test/worker/behaviour-latency.test.ts
 */
import { env } from 'cloudflare:workers';
import { createExecutionContext, runInDurableObject, waitOnExecutionContext } from 'cloudflare:test';
import { expect, it } from 'vitest';
import worker from '../../edge/index';
import { decodeSummary, migrateActivity } from '../../edge/activity/activity-table';
import type { ViewRecord } from '../../edge/activity/account-activity';
import { uniqueSite } from './support/admin';
import { DAY_MS, activity, behaviourConfig, seedSite, summaryOf } from './support/behaviour';
import { siteConfig } from './support/fixture';

const RUNS = 300;
const WARM_UP = 30;

const stats = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { median: at(0.5), p90: at(0.9), p99: at(0.99), mean: s.reduce((a, b) => a + b, 0) / s.length };
};
const fmt = (x: { median: number; p90: number; p99: number; mean: number }) =>
  `median ${x.median.toFixed(2)} ms, p90 ${x.p90.toFixed(2)} ms, p99 ${x.p99.toFixed(2)} ms, mean ${x.mean.toFixed(2)} ms`;

/** Time to the response; the background recording is waited for afterwards, untimed. */
async function timedDecide(site: string, visitor: string): Promise<number> {
  const ctx = createExecutionContext();
  const body = JSON.stringify({ site, url: 'https://www.vendor.example/pricing?pz_account=bank.example', visitor });
  const started = performance.now();
  const res = await worker.fetch(new Request('https://edge.test/v1/decide', { method: 'POST', body }), env, ctx);
  await res.json();
  const elapsed = performance.now() - started;
  await waitOnExecutionContext(ctx);
  return elapsed;
}

it('logs decision latency without and with behavioural rules (same account, interleaved)', { timeout: 120_000 }, async () => {
  const plain = { ...siteConfig, site: uniqueSite('lat-plain') };
  const behaviour = behaviourConfig(uniqueSite('lat-beh'));
  await seedSite(plain);
  await seedSite(behaviour);
  const without: number[] = [];
  const withRules: number[] = [];
  for (let i = 0; i < WARM_UP + RUNS; i++) {
    const visitor = `visitor-${i % 7}xxxx`;
    const a = await timedDecide(plain.site, visitor);
    const b = await timedDecide(behaviour.site, visitor);
    if (i >= WARM_UP) without.push(a), withRules.push(b);
  }
  const w = stats(without);
  const b = stats(withRules);
  console.log(
    [
      `POST /v1/decide, ${RUNS} runs each, interleaved, account resolved by link (1 KV read):`,
      `  without behavioural rules: ${fmt(w)}`,
      `  with behavioural rules:    ${fmt(b)}  (the account's window grows to ${WARM_UP + RUNS} views)`,
      `  ratio with/without: median ×${(b.median / w.median).toFixed(2)}, mean ×${(b.mean / w.mean).toFixed(2)}`,
    ].join('\n'),
  );
  expect(b.median).toBeLessThan(w.median + 50); // the activity read is bounded by its 50 ms budget
});

it('logs read-then-background-write against one call that reads and records', { timeout: 120_000 }, async () => {
  const site = uniqueSite('lat-rpc');
  const query = () => ({ now: Date.now(), windowDays: 14 });
  const view = (domain: string, i: number): ViewRecord => ({
    key: { site, domain },
    at: Date.now(),
    visitor: `visitor-${i % 5}xxxx`,
    path: `/pricing/${i % 3}`,
    groups: ['pricing'],
    retentionDays: 90,
  });
  const split = activity({ site, domain: 'split.example' });
  const combined = activity({ site, domain: 'combined.example' });
  const readThenWrite: number[] = [];
  const oneCall: number[] = [];
  for (let i = 0; i < WARM_UP + RUNS; i++) {
    let started = performance.now();
    decodeSummary(await split.summary(query()));
    const a = performance.now() - started;
    await split.record(view('split.example', i)); // in production: ctx.waitUntil, after the response
    started = performance.now();
    decodeSummary(await combined.visit(query(), view('combined.example', i)));
    const b = performance.now() - started;
    if (i >= WARM_UP) readThenWrite.push(a), oneCall.push(b);
  }
  console.log(
    [
      `Activity for a decision, ${RUNS} runs each, accounts growing to ${WARM_UP + RUNS} views:`,
      `  summary() then record() in the background: ${fmt(stats(readThenWrite))} until the summary`,
      `  visit() (read + record in one call):        ${fmt(stats(oneCall))} until the summary`,
    ].join('\n'),
  );
});

it('logs the read of a full account (5,000 views in the window)', { timeout: 60_000 }, async () => {
  const key = { site: uniqueSite('lat-full'), domain: 'full.example' };
  const now = Date.now();
  await runInDurableObject(activity(key), (_, state) => {
    migrateActivity(state.storage.sql);
    for (let i = 0; i < 5000; i++)
      state.storage.sql.exec("INSERT INTO views (at, visitor, session, path, groups) VALUES (?, ?, ?, '/pricing', 'pricing')", now - (i * 13 * DAY_MS) / 5000, `visitor-${i % 40}`, `s${i % 400}`);
  });
  const times: number[] = [];
  for (let i = 0; i < 60; i++) {
    const started = performance.now();
    const summary = await summaryOf(key, { now, windowDays: 14 });
    times.push(performance.now() - started);
    expect(summary.views).toHaveLength(5000);
  }
  console.log(`summary() of 5,000 views in the window: ${fmt(stats(times.slice(10)))}`);
});

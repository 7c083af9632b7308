import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS, backoffMs } from '../../edge/site-store/key-state';
import { FLUSH_BUDGET, KEY_WRITE_INTERVAL_MS } from '../../edge/site-store/outbox';
import { kvKeys } from '../../shared/kv/keys';
import { type Account, ImportResult, ReadCopyRetry, ReadCopyStatus } from '../../shared/schemas';
import { admin, adminJson, createSite, publishRenamed, uniqueSite } from './support/admin';
import { KvRecorder, backlogOf, expectEdgeReadsStore, recordFlushes, settleReadCopy, storeOf } from './support/read-copy';

/**
 * The outbox within Cloudflare's KV limits, which local workerd does not enforce: in flushes of at
 * most 900 operations, one write per key per second, a failing key backing off alone. The 10,000-row
 * import under these limits is in admin-accounts.test.ts.
 */

/** Accounts with a /28 in one of 64 IPv4 /16 buckets and one of 40 shared network names. */
const accountRow = (i: number): Account => ({
  domain: `a${i}.example`,
  name: `Account ${i}`,
  orgNames: [`Holding ${i % 40}`],
  ipRanges: [`10.${i % 64}.${Math.floor(i / 64)}.0/28`],
});

const importJson = (site: string, rows: unknown[], firstRow = 0) => adminJson<ImportResult>('POST', `/sites/${site}/accounts/import`, { rows, firstRow });
const readCopy = (site: string) => adminJson('GET', `/sites/${site}/read-copy`).then((b) => ReadCopyStatus.parse(b));

describe('the KV read copy within Cloudflare’s limits', () => {
  it('leaves what a commit queues during another’s flush to the alarm, never to a second flush in the same invocation', async () => {
    const site = uniqueSite('overlap');
    await createSite(site);
    const recorder = new KvRecorder();
    recordFlushes(site, recorder);
    const chunk = (first: number) => Array.from({ length: 200 }, (_, k) => accountRow(first + k));
    await Promise.all([importJson(site, chunk(0)), importJson(site, chunk(200)), importJson(site, chunk(400))]);
    await settleReadCopy(site);
    expect(Math.max(...recorder.flushes)).toBeLessThanOrEqual(FLUSH_BUDGET);
    expect((await expectEdgeReadsStore(site)).accounts).toHaveLength(600);
  });

  it('writes a key rewritten within a second only after that second, from the alarm', async () => {
    const site = uniqueSite('rate');
    await createSite(site);
    const recorder = new KvRecorder();
    recordFlushes(site, recorder);
    const key = kvKeys.account(site, 'twice.example');
    await importJson(site, [{ domain: 'twice.example', name: 'First' }]);
    await importJson(site, [{ domain: 'twice.example', name: 'Second' }]);

    expect(await env.KV.get(key, 'json')).toMatchObject({ name: 'First' });
    expect(await readCopy(site)).toMatchObject({ pending: 2 }); // the account, and its old org name's delete
    const alarm = await runInDurableObject(storeOf(site), (_, state) => state.storage.getAlarm());
    expect(alarm! - Date.now()).toBeGreaterThan(KEY_WRITE_INTERVAL_MS / 2);

    await settleReadCopy(site);
    expect(await env.KV.get(key, 'json')).toMatchObject({ name: 'Second' });
    expect(recorder.writes.get(key)).toHaveLength(2);
    expect(recorder.shortestRewriteMs()).toBeGreaterThanOrEqual(KEY_WRITE_INTERVAL_MS);
  });
});

/**
 * A site whose flushes fail for the recorder's `failing` keys, on a clock the test moves forward
 * (`clock.skipTo`), so a backoff of minutes takes no time. The clock starts a day ahead, so the
 * alarms the flushes set never go off by themselves during the test.
 */
async function failingSite(prefix: string) {
  const site = uniqueSite(prefix);
  const draft = await createSite(site);
  await adminJson('POST', `/sites/${site}/publish`, { baseRevision: draft.revision });
  let offset = 86_400_000;
  const clock = { now: () => Date.now() + offset, skipTo: (at: number) => void (offset = Math.max(offset, at - Date.now())) };
  const recorder = new KvRecorder(clock.now);
  recordFlushes(site, recorder, clock.now);
  return { site, clock, recorder };
}

/** Runs the alarm, each time at the first queued write's due time, until nothing is queued (a failing key: until it is stuck). */
async function runAlarmsUntilEmpty(site: string, clock: { skipTo: (at: number) => void }) {
  for (let run = 0; run < MAX_ATTEMPTS * 2; run++) {
    const { remaining, nextDueAt } = await backlogOf(site);
    if (!remaining) return;
    clock.skipTo(nextDueAt!);
    expect(await runDurableObjectAlarm(storeOf(site))).toBe(true);
  }
  throw new Error('the outbox never emptied');
}

describe('a key whose writes fail', () => {
  it('backs off alone, ends stuck, holds up no other key nor a later publish, shows in the read-copy route, and a retry re-queues it', async () => {
    const { site, clock, recorder } = await failingSite('stuck');
    const bad = kvKeys.account(site, 'bad.example');
    recorder.failing.add(bad);

    await importJson(site, [{ domain: 'bad.example', name: 'Bad Co' }, { domain: 'good.example', name: 'Good Co', ipRanges: ['100.80.1.0/24'] }]);
    expect(await env.KV.get(kvKeys.account(site, 'good.example'), 'json')).toMatchObject({ name: 'Good Co' });
    expect(await env.KV.get(kvKeys.ipBucket(site, '4:100.80'))).not.toBeNull();
    expect(await env.KV.get(kvKeys.org(site, 'bad'))).toBe('bad.example'); // the failing key's neighbour in the same commit
    expect(await readCopy(site)).toMatchObject({ pending: 1, retrying: 1, stuck: [] });

    // a publish while the key backs off goes straight through
    const v2 = await publishRenamed(site, 'Published while a key fails');
    expect(await env.KV.get(kvKeys.config(site), 'json')).toMatchObject({ version: v2.version });
    expect(recorder.failedAttempts.get(bad)).toHaveLength(1); // its backoff (2 s) has not run out

    await runAlarmsUntilEmpty(site, clock);
    const attempts = recorder.failedAttempts.get(bad)!;
    expect(attempts).toHaveLength(MAX_ATTEMPTS);
    attempts.slice(1).forEach((at, i) => expect(at - attempts[i]!).toBeGreaterThanOrEqual(backoffMs(i + 1)));
    const status = await readCopy(site);
    expect(status).toMatchObject({ pending: 0, retrying: 0, stuck: [{ key: bad, attempts: MAX_ATTEMPTS, lastError: `injected: KV write of ${bad} failed` }], stuckTotal: 1 });
    const since = Date.parse(status.stuck[0]!.since); // failing since the first attempt
    expect(since).toBeGreaterThanOrEqual(attempts[0]!);
    expect(since).toBeLessThan(attempts[1]!);

    // later writes and publishes go straight through
    await importJson(site, [{ domain: 'later.example', name: 'Later Co' }]);
    expect(await env.KV.get(kvKeys.account(site, 'later.example'))).not.toBeNull();
    const v3 = await publishRenamed(site, 'Published with a key stuck');
    expect(await env.KV.get(kvKeys.config(site), 'json')).toMatchObject({ version: v3.version });
    expect(await readCopy(site)).toMatchObject({ pending: 0, stuckTotal: 1 });

    // the store recovers: a retry queues the stuck write again, with fresh attempts, and flushes it
    recorder.failing.clear();
    const retried = ReadCopyRetry.parse(await adminJson('POST', `/sites/${site}/read-copy/retry`));
    expect(retried).toEqual({ requeued: 1, pending: 0, retrying: 0, stuck: [], stuckTotal: 0 });
    expect(await env.KV.get(bad, 'json')).toEqual({ domain: 'bad.example', name: 'Bad Co' });
  });

  it('is queued afresh by a later write to it, which replaces the stuck value', async () => {
    const { site, clock, recorder } = await failingSite('rewrite');
    const bad = kvKeys.account(site, 'bad.example');
    recorder.failing.add(bad);
    await importJson(site, [{ domain: 'bad.example', name: 'Bad Co' }]);
    await runAlarmsUntilEmpty(site, clock);
    expect(await readCopy(site)).toMatchObject({ stuckTotal: 1 });

    // still failing: the new value is one fresh attempt in, not stuck
    await importJson(site, [{ domain: 'bad.example', name: 'Bad Co, renamed' }]);
    expect(await readCopy(site)).toMatchObject({ pending: 1, retrying: 1, stuckTotal: 0 });
    recorder.failing.clear();
    await runAlarmsUntilEmpty(site, clock); // the alarm at its retry time: now it goes through
    expect(await env.KV.get(bad, 'json')).toMatchObject({ name: 'Bad Co, renamed' });
    expect(await readCopy(site)).toEqual({ pending: 0, retrying: 0, stuck: [], stuckTotal: 0 });
  });

  it('retry answers 400 naming the field to a body it does not take, and 404 to an unknown site', async () => {
    const site = uniqueSite('retry-bad');
    await createSite(site);
    const res = await admin('POST', `/sites/${site}/read-copy/retry`, { keys: ['x'] });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('keys');
    expect((await admin('GET', '/sites/nobody-here-xyz/read-copy')).status).toBe(404);
    expect((await admin('POST', '/sites/nobody-here-xyz/read-copy/retry')).status).toBe(404);
  });
});

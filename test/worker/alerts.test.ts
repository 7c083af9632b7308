/**
 * Sales alerts (edge/alerts/): detection in the background of real decisions, the claim in the real local
 * D1, delivery through the real local queue (and the Worker's queue handler, to script the queue's
 * attempts), to stand-ins for Slack's incoming webhooks and a JSON receiver (test/support/hooks-server.ts).
 */
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../edge/index';
import { claimAlert } from '../../edge/alerts/alerts-db';
import { runAlertHousekeeping } from '../../edge/alerts/housekeeping';
import { alertWindowMs, checkEntry, type SegmentEntry } from '../../edge/alerts/detect';
import { verifyWebhook } from '../../shared/alerts/signature';
import { AlertPayload, AlertSecret, EditorLink, type QueuedAlert, SAVED_SECRET, SiteConfig, SiteState, type VersionInfo } from '../../shared/schemas';
import { kvKeys } from '../../shared/kv/keys';
import { admin, adminJson, configFor, uniqueSite } from './support/admin';
import {
  alertAccounts,
  alertRows,
  alertsOf,
  deliveries,
  payloadFor,
  seedAlertSite,
  slackCalls,
  slackUrl,
  token,
  until,
  viewAs,
  webhookCalls,
  webhookUrl,
} from './support/alerts';
import { ALLOWED_ORIGIN, post, signed } from './support/fixture';
import { eraseAccountData } from '../../edge/admin/erasure';

const DAY = 86_400_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs the Worker's queue handler on one delivery of `bodies`, as the queue would hand it over, and
 * answers what it did with each message: acknowledged, or retried after how many seconds. (A batch of
 * our own: cloudflare:test's createMessageBatch records a retry but not its delay.)
 */
async function deliver(queue: string, bodies: unknown[], attempts = 1) {
  const acks: string[] = [];
  const retryMessages: { msgId: string; delaySeconds?: number }[] = [];
  let ackAll = false;
  const messages = bodies.map((body, i) => {
    const id = `m-${crypto.randomUUID().slice(0, 8)}-${i}`;
    return { id, timestamp: new Date(), attempts, body, ack: () => acks.push(id), retry: (o?: QueueRetryOptions) => retryMessages.push({ msgId: id, delaySeconds: o?.delaySeconds }) };
  });
  const batch = { queue, messages, ackAll: () => (ackAll = true), retryAll: (o?: QueueRetryOptions) => messages.forEach((m) => m.retry(o)) } as unknown as MessageBatch<unknown>;
  await worker.queue(batch, env);
  return { explicitAcks: acks, retryMessages, ackAll };
}

const message = (site: string, id: string): QueuedAlert => ({ kind: 'alert', site, id });

/** An alert claimed and recorded as detection does, but not queued: the test delivers it itself. */
async function claimed(site: string, account: string, channels: ('slack' | 'webhook')[] = ['slack']) {
  const payload = payloadFor(site, account);
  const result = await claimAlert(env.EVENTS_DB, { site, account, segment: 'fintech', now: Date.now(), windowMs: 7 * DAY, payload, channels });
  expect(result.claimed).toBe(true);
  return payload.id;
}

function entryFor(config: SiteConfig, domain: string, now = Date.now()): SegmentEntry {
  const account = alertAccounts.find((a) => a.domain === domain)!;
  const segment = config.segments.find((s) => s.id === 'fintech')!;
  return { config, segment, account, resolution: { method: 'link', confidence: 'verified', account }, input: { account, visit: { path: '/pricing' } }, path: '/pricing', now };
}

const slackText = (body: string) => JSON.stringify(JSON.parse(body));

describe('an account entering a segment', () => {
  it('alerts once: one Slack message and one signed webhook saying who, why, what it did recently, with a link to the account', async () => {
    const site = uniqueSite('alert');
    const slack = token('ok');
    const hook = token('ok');
    await seedAlertSite(site, { slack, webhook: hook, segments: ['fintech'] });
    const first = await viewAs(site, 'bank.example', '/pricing');
    expect(first.segment?.id).toBe('fintech');
    await viewAs(site, 'bank.example', '/pricing/enterprise');

    const [s] = await until('the Slack message', () => slackCalls(slack), (c) => c.length >= 1);
    const [w] = await until('the webhook', () => webhookCalls(hook), (c) => c.length >= 1);
    const message = JSON.parse(s!.body) as { text: string; blocks: { type: string }[] };
    expect(s!.status).toBe(200);
    expect(s!.headers['content-type']).toBe('application/json');
    expect(message.text).toBe(`Northwind Bank (bank.example) entered the segment Fintech enterprise on Alerting site`);
    expect(message.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'section', 'actions', 'context']);
    const text = slackText(s!.body);
    const adminLink = `https://edge.test/admin?site=${site}#/accounts?q=bank.example`;
    expect(text).toContain(`<${adminLink}|Northwind Bank>`);
    expect(text).toContain('account.industry is one of \\"Fintech\\", \\"Banking\\" (is \\"Banking\\")');
    expect(text).toContain('account.employees at least 1000 (is 5000)');
    expect(text).toContain('*Recent activity (7 days)*');
    expect(text).toMatch(/UTC \/pricing/);

    const payload = AlertPayload.parse(JSON.parse(w!.body));
    expect(payload).toMatchObject({
      type: 'segment.entered',
      site,
      account: { domain: 'bank.example', name: 'Northwind Bank', industry: 'Banking', employees: 5000, country: 'US' },
      segment: { id: 'fintech', name: 'Fintech enterprise', kind: 'firmographic' },
      resolvedBy: { method: 'link', confidence: 'verified' },
      page: '/pricing',
      adminUrl: adminLink,
      windowDays: 7,
    });
    expect(w!.headers['x-pz-alert-id']).toBe(payload.id);
    expect(w!.headers['x-pz-signature']).toMatch(/^v1=[0-9a-f]{64}$/);

    console.log(
      `alert latency (decision → received): Slack ${s!.at - Date.parse(payload.enteredAt)} ms, webhook ${w!.at - Date.parse(payload.enteredAt)} ms`,
    );
    // the second page view, and any later one, sends nothing more
    await sleep(1500);
    expect(await slackCalls(slack)).toHaveLength(1);
    expect(await webhookCalls(hook)).toHaveLength(1);
    const [listed] = await until('delivered in the admin list', () => alertsOf(site), (a) => a[0]?.status === 'delivered');
    expect(listed).toMatchObject({ account: 'bank.example', segment: 'fintech', status: 'delivered' });
    expect(listed!.deliveries.map((d) => [d.channel, d.status, d.attempts, d.lastStatus])).toEqual([
      ['slack', 'delivered', 1, 200],
      ['webhook', 'delivered', 1, 200],
    ]);
    expect(await alertRows(site)).toHaveLength(1);
  });

  it('alerts once for many concurrent decisions, in this isolate and from many (claims straight to D1, no isolate memo)', async () => {
    const site = uniqueSite('concurrent');
    const slack = token('ok');
    const config = await seedAlertSite(site, { slack, segments: ['fintech'] });
    await Promise.all(Array.from({ length: 25 }, (_, i) => viewAs(site, 'bank-1.example', '/pricing', `visitor-${i}-concurrent`)));
    // what decisions in 12 isolates at once would do: each claims for itself
    const now = Date.now();
    const answers = await Promise.all(Array.from({ length: 12 }, () => checkEntry(env.EVENTS_DB, env.ALERTS_QUEUE, env, undefined, entryFor(config, 'bank-2.example', now), alertWindowMs(config))));
    expect(new Set(answers)).toEqual(new Set([now]));

    const calls = await until('two Slack messages', () => slackCalls(slack), (c) => c.length >= 2);
    await sleep(2000);
    const all = await slackCalls(slack);
    expect(all).toHaveLength(2);
    expect(all.map((c) => c.status)).toEqual([200, 200]);
    expect(all[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1000); // one message a second to one webhook
    const rows = await alertRows(site);
    expect(rows.map((r) => r.account).sort()).toEqual(['bank-1.example', 'bank-2.example']);
  });

  it('does not alert again within the window, and does once it has passed', async () => {
    const site = uniqueSite('window');
    const slack = token('ok');
    const config = await seedAlertSite(site, { slack, segments: ['fintech'], windowDays: 7 });
    const now = Date.now();
    const seed = (account: string, at: number) =>
      env.EVENTS_DB.prepare('INSERT INTO alert_windows (site, account, segment, alerted_at, alert_id) VALUES (?1, ?2, ?3, ?4, ?5)').bind(site, account, 'fintech', at, `earlier-${account}`).run();
    await seed('bank-3.example', now - 6 * DAY); // alerted 6 days ago: inside the window
    await seed('bank-4.example', now - 8 * DAY); // 8 days ago: past it
    await viewAs(site, 'bank-3.example');
    await viewAs(site, 'bank-4.example');
    const [call] = await until('the alert for the account past its window', () => slackCalls(slack), (c) => c.length >= 1);
    expect(JSON.parse(call!.body).text).toContain('Bank 4 (bank-4.example)');
    await sleep(1500);
    expect(await slackCalls(slack)).toHaveLength(1);
    expect((await alertRows(site)).map((r) => r.account)).toEqual(['bank-4.example']);

    // the claim itself: refused while the window lasts (it answers when the last alert was), taken once it ends
    const windowMs = alertWindowMs(config);
    expect(await checkEntry(env.EVENTS_DB, env.ALERTS_QUEUE, env, undefined, entryFor(config, 'bank-3.example', now), windowMs)).toBe(now - 6 * DAY);
    const later = now - 6 * DAY + windowMs;
    expect(await checkEntry(env.EVENTS_DB, env.ALERTS_QUEUE, env, undefined, entryFor(config, 'bank-3.example', later), windowMs)).toBe(later);
    const calls = await until('the alert once the window passed', () => slackCalls(slack), (c) => c.length >= 2);
    expect(JSON.parse(calls[1]!.body).text).toContain('Bank 3 (bank-3.example)');
  });

  it('never alerts for a claimed identity, a visitor with Global Privacy Control, a server call, no segment, or a segment that does not alert', async () => {
    const site = uniqueSite('quiet');
    const slack = token('ok');
    await seedAlertSite(site, { slack, segments: ['fintech'] });
    const url = (q: string) => `${ALLOWED_ORIGIN}/pricing${q}`;
    // a plain ?pz_account= anyone can type
    expect((await post('/v1/decide', { site, url: url('?pz_account=bank-5.example'), visitor: 'v-claim-123' }, { headers: { origin: ALLOWED_ORIGIN } })).status).toBe(200);
    await viewAs(site, 'bank-6.example', '/pricing', 'v-gpc-1234', { 'sec-gpc': '1' });
    // no Origin: a server calling the API, not a page view
    const signedView = await viewAs(site, 'plain.example'); // Retail: no segment
    expect(signedView.segment).toBeNull();
    const server = await post('/v1/decide', { site, url: `${ALLOWED_ORIGIN}/pricing?pz_account=${encodeURIComponent(await signed('bank-7.example', site))}` });
    expect(server.status).toBe(200);
    // a segment the site does not alert on
    const other = uniqueSite('quiet2');
    const otherSlack = token('ok');
    await seedAlertSite(other, { slack: otherSlack, segments: ['hot-pricing'] });
    expect((await viewAs(other, 'bank.example')).segment?.id).toBe('fintech');
    // then one that does alert: by the time it is delivered, the others' checks have long run
    await viewAs(site, 'bank.example');
    await until('the one alert', () => slackCalls(slack), (c) => c.length >= 1);
    await sleep(1000);
    expect((await alertRows(site)).map((r) => r.account)).toEqual(['bank.example']);
    expect(await slackCalls(slack)).toHaveLength(1);
    expect(await alertRows(other)).toEqual([]);
    expect(await slackCalls(otherSlack)).toHaveLength(0);
  });

  it('says why a behavioural segment held (the views it counted) and what the account looked at', async () => {
    const site = uniqueSite('behaviour');
    const slack = token('ok');
    await seedAlertSite(site, { slack });
    await viewAs(site, 'fin.example', '/pricing');
    await viewAs(site, 'fin.example', '/pricing/teams');
    const third = await viewAs(site, 'fin.example', '/pricing/enterprise');
    expect(third.segment?.id).toBe('hot-pricing');
    const alerts = await until('both alerts delivered', () => alertsOf(site), (a) => a.length === 2 && a.every((x) => x.status === 'delivered'));
    const hot = alerts.find((a) => a.segment === 'hot-pricing')!;
    expect(hot.payload.why).toEqual(['at least 2 views of pricing in 7 days (2)']);
    expect(hot.payload.page).toBe('/pricing/enterprise');
    expect(hot.payload.activity!.views).toBeGreaterThanOrEqual(2);
    expect(hot.payload.activity!.recent.map((v) => v.path)).toContain('/pricing');
    const fintech = alerts.find((a) => a.segment === 'fintech')!;
    expect(fintech.payload.why).toEqual(['account.industry is one of "Fintech", "Banking" (is "Fintech")', 'account.employees at least 1000 (is 1200)']);
    const calls = await slackCalls(slack);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1000);

    // erasing the account erases its alerts
    await eraseAccountData(env, site, 'fin.example');
    expect(await alertRows(site)).toEqual([]);
  });
});

describe('delivery through the alerts queue', () => {
  it('never sends twice for a replayed or redelivered message, also when deliveries run at once', async () => {
    const site = uniqueSite('replay');
    const slack = token('ok');
    const hook = token('ok');
    await seedAlertSite(site, { slack, webhook: hook, segments: ['fintech'] });
    await viewAs(site, 'bank-5.example');
    const [delivered] = await until('delivered', () => alertsOf(site), (a) => a[0]?.status === 'delivered');
    for (let i = 0; i < 3; i++) {
      const result = await deliver('pz-alerts', [message(site, delivered!.id)], i + 1);
      expect(result.retryMessages).toEqual([]);
      expect(result.explicitAcks).toHaveLength(1);
    }
    // an alert not sent yet, delivered three times at once
    const id = await claimed(site, 'bank-6.example', ['slack', 'webhook']);
    const results = await Promise.all([1, 2, 3].map(() => deliver('pz-alerts', [message(site, id)])));
    // each channel was sent by one of them; one that found a channel held comes back once its lease would have run out (30 s)
    const later = results.filter((r) => r.retryMessages.length > 0);
    expect(later.length).toBeGreaterThanOrEqual(1);
    for (const r of later) expect(r.retryMessages[0]!.delaySeconds).toBeGreaterThanOrEqual(30);
    // and then finds it settled: acknowledged, nothing sent
    for (let i = 0; i < later.length; i++) expect((await deliver('pz-alerts', [message(site, id)], 2)).explicitAcks).toHaveLength(1);
    expect(await slackCalls(slack)).toHaveLength(2);
    expect(await webhookCalls(hook)).toHaveLength(2);
    expect((await deliveries(id)).map((d) => [d.channel, d.status, d.attempts])).toEqual([
      ['slack', 'delivered', 1],
      ['webhook', 'delivered', 1],
    ]);
  });

  it('does not send Slack again when a sender stopped mid-send (its lease ran out), and queues an alert whose message was never sent', async () => {
    const site = uniqueSite('crash');
    const slack = token('ok');
    await seedAlertSite(site, { slack, segments: ['fintech'] });
    const id = await claimed(site, 'bank-7.example', ['slack']);
    // what a sender evicted between taking the lease and writing the outcome leaves behind
    await env.EVENTS_DB.prepare("UPDATE alert_deliveries SET status = 'sending', attempts = 1, lease_until = ?2 WHERE alert_id = ?1").bind(id, Date.now() - 1).run();
    const result = await deliver('pz-alerts', [message(site, id)], 2);
    expect(result.retryMessages).toEqual([]);
    expect(await slackCalls(slack)).toHaveLength(0);
    const [d] = await deliveries(id);
    expect(d).toMatchObject({ status: 'unknown' });
    expect(d!.last_error).toMatch(/not sent twice/);

    // an alert claimed whose queue message was never sent (the isolate stopped in between): the daily housekeeping queues it
    const stranded = await claimed(site, 'bank-8.example', ['slack']);
    const { requeued } = await runAlertHousekeeping(env, Date.now() + 11 * 60_000);
    expect(requeued).toBeGreaterThanOrEqual(1);
    await until('the stranded alert delivered', () => deliveries(stranded), (d) => d[0]?.status === 'delivered');
    expect(await slackCalls(slack)).toHaveLength(1);
  });

  it('retries a Slack 429 after its Retry-After, and delivers: through the real queue and as the handler sees it', async () => {
    const site = uniqueSite('429');
    const slack = token('ratelimit');
    await seedAlertSite(site, { slack, segments: ['fintech'] });
    await viewAs(site, 'bank-8.example');
    const calls = await until('delivered after the 429', () => slackCalls(slack), (c) => c.some((x) => x.status === 200), 30_000);
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1000);
    const [row] = await alertRows(site);
    expect(await deliveries(row!.id)).toMatchObject([{ channel: 'slack', status: 'delivered', attempts: 2, last_status: 200 }]);

    // the same, one queue attempt at a time
    const other = uniqueSite('429h');
    const limited = token('ratelimit');
    await seedAlertSite(other, { slack: limited, segments: ['fintech'] });
    const id = await claimed(other, 'bank.example');
    const first = await deliver('pz-alerts', [message(other, id)]);
    expect(first.retryMessages).toEqual([{ msgId: expect.any(String), delaySeconds: 1 }]);
    expect(await deliveries(id)).toMatchObject([{ status: 'retrying', last_status: 429, last_error: expect.stringContaining('retry after 1 s') }]);
    await sleep(1100);
    const second = await deliver('pz-alerts', [message(other, id)], 2);
    expect(second.retryMessages).toEqual([]);
    expect(await deliveries(id)).toMatchObject([{ status: 'delivered', attempts: 2 }]);
  });

  it('retries a 5xx with backoff, then the dead-letter queue records it, and the admin shows it failed', async () => {
    const site = uniqueSite('5xx');
    const slack = token('broken');
    const hook = token('down');
    await seedAlertSite(site, { slack, webhook: hook, segments: ['fintech'] });
    const id = await claimed(site, 'bank.example', ['slack', 'webhook']);
    const attempts: number[] = [];
    for (const attempt of [1, 2, 3, 8]) {
      const r = await deliver('pz-alerts', [message(site, id)], attempt);
      attempts.push(r.retryMessages[0]!.delaySeconds!);
      await sleep(1000); // Slack's pace: the next attempt to this webhook waits a second anyway
    }
    expect(attempts).toEqual([10, 20, 40, 1280]);
    expect(await deliveries(id)).toMatchObject([
      { channel: 'slack', status: 'retrying', attempts: 4, last_status: 500, last_error: '500 rollup_error' },
      { channel: 'webhook', status: 'retrying', attempts: 4, last_status: 503, last_error: '503 unavailable' },
    ]);
    const dead = await deliver('pz-alerts-dlq', [message(site, id)], 9);
    expect(dead.ackAll).toBe(true);
    const [listed] = await alertsOf(site);
    expect(listed).toMatchObject({ id, status: 'failed' });
    expect(listed!.deliveries).toMatchObject([
      { channel: 'slack', status: 'dead-lettered', lastStatus: 500, lastError: "gave up after the queue's retries: 500 rollup_error" },
      { channel: 'webhook', status: 'dead-lettered', lastStatus: 503 },
    ]);
  });

  it.each([
    ['archived', 410, 'channel_is_archived'],
    ['noservice', 404, 'no_service'],
  ])('records Slack %s (%i %s) as failed, for the admin to show, without retrying', async (kind, status, error) => {
    const site = uniqueSite(kind);
    const slack = token(kind);
    await seedAlertSite(site, { slack, segments: ['fintech'] });
    const id = await claimed(site, 'bank.example');
    const r = await deliver('pz-alerts', [message(site, id)]);
    expect(r.retryMessages).toEqual([]);
    const [listed] = await alertsOf(site);
    expect(listed).toMatchObject({ status: 'failed', deliveries: [{ channel: 'slack', status: 'failed', attempts: 1, lastStatus: status, lastError: `Slack refused it: ${status} ${error}` }] });
  });
});

describe('the signed webhook', () => {
  it('verifies with the documented recipe, and a replay with an old timestamp is what receivers refuse', async () => {
    const site = uniqueSite('signed');
    const hook = token('ok');
    await seedAlertSite(site, { webhook: hook, segments: ['fintech'] });
    await viewAs(site, 'bank.example');
    const [call] = await until('the webhook', () => webhookCalls(hook), (c) => c.length >= 1);
    const { secret, headers } = AlertSecret.parse(await adminJson('GET', `/sites/${site}/alerts/secret`));
    expect(headers).toEqual(['X-PZ-Timestamp', 'X-PZ-Signature', 'X-PZ-Alert-Id']);
    const timestamp = String(call!.headers['x-pz-timestamp']);
    const signature = String(call!.headers['x-pz-signature']);

    // the README's recipe, written out: hex HMAC-SHA256(secret, timestamp + "." + raw body)
    const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${timestamp}.${call!.body}`)));
    expect(signature).toBe(`v1=${Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('')}`);
    const nowSeconds = Math.floor(Date.now() / 1000);
    expect(Math.abs(nowSeconds - Number(timestamp))).toBeLessThan(60);

    const check = (body: string, at: number, sig = signature) => verifyWebhook(secret, body, { timestamp, signature: sig }, at);
    expect(await check(call!.body, nowSeconds)).toEqual({ ok: true });
    // the same request captured and sent again ten minutes later
    expect(await check(call!.body, nowSeconds + 600)).toEqual({ ok: false, reason: 'too-old' });
    expect(await check(call!.body.replace('Northwind', 'Southwind'), nowSeconds)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(await check(call!.body, nowSeconds, 'v1=' + '0'.repeat(64))).toEqual({ ok: false, reason: 'bad-signature' });
    // another site's secret does not verify it
    const other = AlertSecret.parse(await adminJson('GET', `/sites/${uniqueSite('other')}/alerts/secret`));
    expect(await verifyWebhook(other.secret, call!.body, { timestamp, signature }, nowSeconds)).toEqual({ ok: false, reason: 'bad-signature' });
  });
});

describe('the alerts config', () => {
  const save = (site: string, alerts: unknown, baseRevision = 0) => admin('PUT', `/sites/${site}/draft`, { baseRevision, config: { ...configFor(site), alerts } });

  it.each([
    ['a Slack URL that is not Slack', { slack: { webhookUrl: 'https://hooks.example.com/services/T/B/x' } }, 'config.alerts.slack.webhookUrl', 'must be a Slack incoming-webhook URL'],
    ['an http webhook elsewhere than this machine', { webhook: { url: 'http://crm.example/hook' } }, 'config.alerts.webhook.url', 'must be an https URL'],
    ['a webhook with a password', { webhook: { url: 'https://user:pw@crm.example/hook' } }, 'config.alerts.webhook.url', 'must not carry a user name or password'],
    ['no destination', { segments: ['fintech'] }, 'config.alerts', 'needs slack or webhook'],
    ['an unknown segment', { slack: { webhookUrl: slackUrl('ok-x') }, segments: ['fintech', 'nope'] }, 'config.alerts.segments.1', 'unknown segment "nope"'],
    ['a window of 0 days', { slack: { webhookUrl: slackUrl('ok-x') }, windowDays: 0 }, 'config.alerts.windowDays', ''],
    ['a field it does not know', { slack: { webhookUrl: slackUrl('ok-x') }, channel: '#sales' }, 'config.alerts', ''],
    ['"(saved)" with nothing saved', { slack: { webhookUrl: SAVED_SECRET } }, 'config.alerts.slack.webhookUrl', 'no Slack webhook URL is saved'],
  ])('refuses %s, naming the field', async (_, alerts, path, message) => {
    const res = await save(uniqueSite('cfg'), alerts);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { issues: { path: string; message: string }[] };
    expect(body.issues).toContainEqual({ path, message: expect.stringContaining(message) });
  });

  it('never returns the webhook URLs (admin, stale writes, visual editor), keeps them when "(saved)" comes back, and publishes the real ones to the edge', async () => {
    const site = uniqueSite('secret');
    const alerts = { slack: { webhookUrl: slackUrl('ok-secret-T0K3N') }, webhook: { url: webhookUrl('ok-secret-hook') }, segments: ['fintech'] };
    const created = await save(site, alerts);
    const texts: string[] = [await created.clone().text()];
    expect(created.status).toBe(200);
    const state = SiteState.parse(await created.json());
    expect(state.draft.config.alerts).toEqual({ slack: { webhookUrl: SAVED_SECRET }, webhook: { url: SAVED_SECRET }, segments: ['fintech'] });

    const got = await admin('GET', `/sites/${site}`);
    texts.push(await got.clone().text());
    const draft = SiteState.parse(await got.json()).draft;
    // the admin saves what it read (a rename): the URLs stay
    const renamed = await admin('PUT', `/sites/${site}/draft`, { baseRevision: draft.revision, config: { ...draft.config, name: 'Renamed' } });
    texts.push(await renamed.clone().text());
    expect(renamed.status).toBe(200);
    const stale = await admin('PUT', `/sites/${site}/draft`, { baseRevision: draft.revision, config: draft.config });
    texts.push(await stale.clone().text());
    expect(stale.status).toBe(409);

    const link = EditorLink.parse(await adminJson('POST', `/sites/${site}/editor-link`, { pageUrl: `${ALLOWED_ORIGIN}/` }));
    const editToken = new URL(link.url).hash.slice('#pz_edit='.length);
    const editor = await exports.default.fetch(new Request(`https://edge.test/v1/editor/draft?site=${site}`, { headers: { authorization: `Bearer ${editToken}`, origin: ALLOWED_ORIGIN } }));
    texts.push(await editor.clone().text());
    expect(editor.status).toBe(200);
    const fromEditor = ((await editor.json()) as { draft: { revision: number; config: SiteConfig } }).draft;
    expect(fromEditor.config.alerts?.slack?.webhookUrl).toBe(SAVED_SECRET);
    const editorSave = await exports.default.fetch(
      new Request(`https://edge.test/v1/editor/draft?site=${site}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${editToken}`, origin: ALLOWED_ORIGIN, 'content-type': 'application/json' },
        body: JSON.stringify({ site, baseRevision: fromEditor.revision, config: fromEditor.config }),
      }),
    );
    texts.push(await editorSave.clone().text());
    expect(editorSave.status, await editorSave.clone().text()).toBe(200);

    for (const text of texts) {
      expect(text).not.toContain('hooks.slack.com');
      expect(text).not.toContain('T0K3N');
      expect(text).not.toContain('ok-secret-hook');
    }
    const latest = SiteState.parse(await adminJson('GET', `/sites/${site}`)).draft;
    const published = (await adminJson('POST', `/sites/${site}/publish`, { baseRevision: latest.revision })) as VersionInfo;
    expect(published.version).toBeGreaterThan(0);
    const live = await until('the read copy', () => env.KV.get(kvKeys.config(site)), (v) => v !== null);
    const config = SiteConfig.parse(JSON.parse(live!));
    expect(config.alerts).toEqual(alerts);
    expect(config.name).toBe('Renamed');
  });
});

describe('alert latency', () => {
  it('measures decision → Slack and webhook receiving it, over a few entries', { timeout: 90_000 }, async () => {
    const site = uniqueSite('latency');
    const slack = token('ok');
    const hook = token('ok');
    await seedAlertSite(site, { slack, webhook: hook, segments: ['fintech'] });
    const domains = ['bank-0.example', 'bank-9.example', 'bank-2.example', 'bank-3.example', 'bank-4.example'];
    const decidedAt: number[] = [];
    for (const domain of domains) {
      decidedAt.push(Date.now());
      await viewAs(site, domain);
      await sleep(1300); // apart by more than Slack's pace, so each measures the path, not the queueing behind another
    }
    const s = await until('every Slack message', () => slackCalls(slack), (c) => c.length >= domains.length);
    const w = await until('every webhook', () => webhookCalls(hook), (c) => c.length >= domains.length);
    const latency = (calls: typeof s) =>
      calls.map((c) => {
        const payload = /\((bank-\d\.example)\)/.exec(JSON.parse(c.body).text ?? '')?.[1] ?? JSON.parse(c.body).account.domain;
        return c.at - decidedAt[domains.indexOf(payload)]!;
      });
    const summary = (ms: number[]) => {
      const sorted = [...ms].sort((a, b) => a - b);
      return `min ${sorted[0]} ms, median ${sorted[Math.floor(sorted.length / 2)]} ms, max ${sorted.at(-1)} ms`;
    };
    const ls = latency(s);
    const lw = latency(w);
    console.log(`alert latency over ${domains.length} entries (decide request sent → destination received): Slack ${summary(ls)}; webhook ${summary(lw)}`);
    for (const ms of [...ls, ...lw]) expect(ms).toBeLessThan(15_000);
  });
});

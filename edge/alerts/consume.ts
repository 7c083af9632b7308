import { type AlertChannel, type AlertPayload, isLoopback, QueuedAlert, type SiteConfig } from '../../shared/schemas';
import { slackMessage } from '../../shared/alerts/slack-message';
import { alertSigningSecret } from '../../shared/alerts/signature';
import { devRoutesEnabled } from '../dev-routes';
import type { Env } from '../env';
import { getSiteConfig } from '../kv/site-config';
import { signingSecret } from '../signing-secret';
import { type DeliveryRow, LEASE_MS, deadLetterStatement, hookSentStatement, hooksLastSent, loadAlerts, markAbandoned, type Outcome, outcomeStatement, takeLease } from './alerts-db';
import { type SendResult, sendSlack, sendWebhook, slackTarget } from './deliver';

/**
 * The alerts queue's consumer (wrangler.toml: `pz-alerts`, its dead-letter queue `pz-alerts-dlq`).
 *
 * A message names an alert recorded in D1 when it was claimed (edge/alerts/detect.ts). Each of its
 * channels is sent at most once, whatever the queue does (a redelivery, a replayed message, two
 * deliveries at once): before sending, the consumer takes the channel's lease in D1 (a conditional
 * update: only one sender wins it, and a delivered or failed channel is never taken again), and after
 * the answer it writes the outcome.
 *
 * The crash window is between the destination's answer and that write (the isolate is evicted mid-send).
 * The lease then runs out with nobody having written the outcome. For Slack, which has no idempotency
 * key, a later delivery marks the channel `unknown` and does not send it again (at most once: a message
 * may be missing, never doubled). The JSON webhook is sent again with the same X-PZ-Alert-Id (at least
 * once: receivers drop an id they have handled). Everywhere else the outcome is written before the
 * message is acknowledged.
 *
 * Slack takes about one message a second per channel (short bursts allowed). The queue runs one
 * consumer at a time (`max_concurrency = 1`), each batch is sent one message after the other, and
 * consecutive sends to one Slack webhook are at least SLACK_GAP_MS apart, also across batches and
 * isolates (the last send per webhook is kept in D1, `alert_hooks`). A 429 retries the message after
 * its Retry-After, and the batch's later messages for that webhook wait as long without being sent.
 * Other failures back off: 10 s, 20 s, 40 s … up to an hour, then the dead-letter queue.
 */
export const SLACK_GAP_MS = 1000;

const DEAD_LETTER_SUFFIX = '-dlq';
const SETTLED = new Set(['delivered', 'failed', 'dead-lettered', 'unknown', 'cancelled']);

/** 10 s after the first failure, doubling, at most an hour (message.attempts counts from 1). */
export const backoffSeconds = (attempts: number) => Math.min(3600, 10 * 2 ** Math.max(0, attempts - 1));

/** When each Slack webhook was last sent to, as this isolate knows (D1's alert_hooks tells it what other isolates sent). */
const lastSent = new Map<string, number>();

type Destination = { url: string; hook: string } | { cancel: string } | { fail: string };

export async function consumeAlerts(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  if (batch.queue.endsWith(DEAD_LETTER_SUFFIX)) return deadLettered(batch, env);
  const db = env.EVENTS_DB;
  const valid: { message: Message<unknown>; alert: QueuedAlert }[] = [];
  for (const message of batch.messages) {
    const parsed = QueuedAlert.safeParse(message.body);
    if (parsed.success) valid.push({ message, alert: parsed.data });
    else {
      console.error(`alerts: dropping malformed queue message ${message.id}`);
      message.ack();
    }
  }
  if (valid.length === 0) return;

  let alerts: Awaited<ReturnType<typeof loadAlerts>>;
  try {
    alerts = await loadAlerts(db, [...new Set(valid.map((v) => v.alert.id))]);
  } catch (err) {
    console.error('alerts: D1 unavailable, retrying the delivery', err);
    for (const { message } of valid) message.retry({ delaySeconds: backoffSeconds(message.attempts) });
    return;
  }
  const configs = new Map<string, Promise<SiteConfig | null>>();
  const configOf = (site: string) => {
    let found = configs.get(site);
    if (!found) {
      found = getSiteConfig(env.KV, site).then((l) => (l.status === 'ok' ? l.config : null));
      configs.set(site, found);
    }
    return found;
  };
  const pace: Pace = { blockedUntil: new Map(), learned: new Set() };

  for (const { message, alert } of valid) {
    const found = alerts.get(alert.id);
    if (!found) {
      // erased with its account, past retention, or never recorded: nothing to send
      message.ack();
      continue;
    }
    try {
      const config = await configOf(alert.site);
      let retryAfter: number | null = null;
      for (const delivery of found.deliveries) {
        if (SETTLED.has(delivery.status)) continue;
        const wait = await deliverChannel(env, config, found.payload, delivery, pace, message.attempts);
        if (wait !== null) retryAfter = Math.max(retryAfter ?? 0, wait);
      }
      if (retryAfter === null) message.ack();
      else message.retry({ delaySeconds: retryAfter });
    } catch (err) {
      console.error(`alerts: alert ${alert.id} not delivered, retrying`, err);
      message.retry({ delaySeconds: backoffSeconds(message.attempts) });
    }
  }
}

/**
 * Sends one channel of an alert unless it is settled or another sender holds it; answers the seconds
 * after which the message should come again (null: nothing left to retry for this channel).
 */
async function deliverChannel(
  env: Env,
  config: SiteConfig | null,
  payload: AlertPayload,
  delivery: DeliveryRow,
  pace: Pace,
  attempts: number,
): Promise<number | null> {
  const db = env.EVENTS_DB;
  const { alertId, channel } = delivery;
  const dest = await destination(env, config, payload.site, channel);
  if ('cancel' in dest || 'fail' in dest) {
    const outcome: Outcome = 'cancel' in dest ? { status: 'cancelled', httpStatus: null, error: dest.cancel } : { status: 'failed', httpStatus: null, error: dest.fail };
    await outcomeStatement(db, alertId, channel, outcome, Date.now()).run();
    return null;
  }
  // Slack posted it, or not: a sender stopped mid-send (see above), so it is not sent twice
  if (channel === 'slack' && delivery.status === 'sending' && (delivery.leaseUntil ?? 0) < Date.now()) {
    await markAbandoned(db, alertId, channel, Date.now());
    return null;
  }
  const blocked = pace.blockedUntil.get(dest.hook);
  if (blocked !== undefined && blocked > Date.now()) return Math.ceil((blocked - Date.now()) / 1000);

  if (channel === 'slack') {
    await learnPace(db, dest.hook, pace);
    const gap = (lastSent.get(dest.hook) ?? 0) + SLACK_GAP_MS - Date.now();
    if (gap > 0) await new Promise((resolve) => setTimeout(resolve, gap));
  }
  const attempt = await takeLease(db, alertId, channel, Date.now(), channel === 'webhook');
  // Another sender holds it (a concurrent delivery of the same message), or settled it meanwhile: this
  // message comes back once that lease has run out, and then finds it settled (acknowledged, nothing
  // sent) or abandoned (see above), so a sender that died holding it never leaves it unfinished.
  if (attempt === null) return Math.ceil(Math.max(0, (delivery.leaseUntil ?? Date.now() + LEASE_MS) - Date.now()) / 1000) + 1;

  const result = await send(env, payload, channel, dest.url);
  const now = Date.now();
  const answered = result.kind !== 'retry' || result.status !== null;
  if (answered && channel === 'slack') lastSent.set(dest.hook, now);
  const statements = [outcomeStatement(db, alertId, channel, outcomeOf(result), now)];
  if (answered && channel === 'slack') statements.push(hookSentStatement(db, dest.hook, now));
  await db.batch(statements);
  if (result.kind !== 'retry') return null;
  if (result.retryAfterSeconds !== undefined) {
    pace.blockedUntil.set(dest.hook, now + result.retryAfterSeconds * 1000);
    return result.retryAfterSeconds;
  }
  return backoffSeconds(attempts);
}

function outcomeOf(result: SendResult): Outcome {
  switch (result.kind) {
    case 'delivered':
      return { status: 'delivered', httpStatus: result.status, error: null };
    case 'retry':
      return { status: 'retrying', httpStatus: result.status, error: result.error };
    case 'failed':
      return { status: 'failed', httpStatus: result.status, error: result.error };
  }
}

async function send(env: Env, payload: AlertPayload, channel: AlertChannel, url: string): Promise<SendResult> {
  if (channel === 'slack') return sendSlack(url, slackMessage(payload));
  const key = signingSecret(env);
  if (!key) return { kind: 'failed', status: 0, error: 'no signing key: set LINK_SECRET' };
  return sendWebhook(url, JSON.stringify(payload), await alertSigningSecret(key, payload.site), payload.id, Date.now() / 1000);
}

/** Where a channel goes now: the live config's URL (a URL changed since the alert was claimed is the new one). */
async function destination(env: Env, config: SiteConfig | null, site: string, channel: AlertChannel): Promise<Destination> {
  const alerts = config?.alerts;
  if (!alerts) return { cancel: `site "${site}" no longer has alerts` };
  if (channel === 'slack') {
    const url = alerts.slack?.webhookUrl;
    if (!url) return { cancel: 'the site no longer alerts to Slack' };
    const target = slackTarget(url, env.SLACK_HOOKS_URL);
    return { url: target, hook: await hookId(target) };
  }
  const url = alerts.webhook?.url;
  if (!url) return { cancel: 'the site no longer has a webhook' };
  const parsed = new URL(url);
  if (parsed.protocol === 'http:' && (!isLoopback(parsed) || !devRoutesEnabled(env))) return { fail: 'http webhooks are sent only to 127.0.0.1 or localhost in development (DEV_ROUTES on)' };
  return { url, hook: await hookId(url) };
}

/** A webhook's key in D1: a hash of its URL, never the URL (a credential). */
async function hookId(url: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(url)));
  return Array.from(digest.slice(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** What a batch knows of its destinations: webhooks that answered 429 (until when), and those whose last send it read from D1. */
interface Pace {
  blockedUntil: Map<string, number>;
  learned: Set<string>;
}

/** Once per batch and webhook: when any isolate last sent to it (consecutive batches may run in different isolates). */
async function learnPace(db: D1Database, hook: string, pace: Pace): Promise<void> {
  if (pace.learned.has(hook)) return;
  pace.learned.add(hook);
  const at = (await hooksLastSent(db, [hook])).get(hook);
  if (at !== undefined && at > (lastSent.get(hook) ?? 0)) lastSent.set(hook, at);
}

/**
 * The dead-letter queue's consumer: each message is an alert whose deliveries kept failing through the
 * queue's retries. Its unsettled channels are recorded as `dead-lettered` with their last error, for the
 * admin's list, and the message is acknowledged; if D1 is down too, the delivery is retried.
 */
async function deadLettered(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const ids = batch.messages.flatMap((m) => {
    const parsed = QueuedAlert.safeParse(m.body);
    return parsed.success ? [parsed.data.id] : [];
  });
  try {
    if (ids.length) await env.EVENTS_DB.batch(ids.map((id) => deadLetterStatement(env.EVENTS_DB, id, Date.now())));
    console.error(`alerts: ${ids.length} alert(s) dead-lettered and recorded`);
    batch.ackAll();
  } catch (err) {
    console.error('alerts: could not record dead-lettered alerts, retrying', err);
    batch.retryAll({ delaySeconds: 30 });
  }
}

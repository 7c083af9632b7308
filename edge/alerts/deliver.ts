import type { SlackMessage } from '../../shared/alerts/slack-message';
import { signWebhook } from '../../shared/alerts/signature';
import { readCapped } from '../http/read-capped';
import { retryAfterSeconds } from '../http/retry-after';

/**
 * One HTTP send of an alert, classified for the queue consumer (edge/alerts/consume.ts):
 * - `delivered`: Slack's `200 ok`, or any 2xx from a webhook;
 * - `retry`: 429 (after its Retry-After), 408, 5xx, a network error or no answer in time;
 * - `failed`: the destination refuses for good (Slack: 400 invalid_payload, 403 action_prohibited,
 *   404 no_service / channel_not_found, 410 channel_is_archived; a webhook's other 4xx). Recorded with
 *   Slack's error string, for the admin to show: nothing is disabled silently.
 */
export type SendResult =
  | { kind: 'delivered'; status: number }
  | { kind: 'retry'; status: number | null; error: string; retryAfterSeconds?: number }
  | { kind: 'failed'; status: number; error: string };

/** A destination that does not answer within this is retried later (the lease, LEASE_MS, outlasts it). */
export const SEND_TIMEOUT_MS = 10_000;

/**
 * Where Slack is: `https://hooks.slack.com` unless the deploy says otherwise (SLACK_HOOKS_URL: the tests'
 * stand-in on 127.0.0.1). The path (the webhook's credential) is kept as it is.
 */
export function slackTarget(webhookUrl: string, base: string | undefined): string {
  if (!base) return webhookUrl;
  const url = new URL(webhookUrl);
  return `${base.replace(/\/$/, '')}${url.pathname}${url.search}`;
}

export async function sendSlack(url: string, message: SlackMessage): Promise<SendResult> {
  return send(url, { 'content-type': 'application/json' }, JSON.stringify(message), 'slack');
}

export async function sendWebhook(url: string, body: string, secret: string, alertId: string, nowSeconds: number): Promise<SendResult> {
  const { timestamp, signature } = await signWebhook(secret, body, nowSeconds);
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'pz-alerts/1',
    'x-pz-event': 'segment.entered',
    'x-pz-alert-id': alertId,
    'x-pz-timestamp': timestamp,
    'x-pz-signature': signature,
  };
  return send(url, headers, body, 'webhook');
}

async function send(url: string, headers: Record<string, string>, body: string, kind: 'slack' | 'webhook'): Promise<SendResult> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(SEND_TIMEOUT_MS) });
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    return { kind: 'retry', status: null, error: timedOut ? `no answer within ${SEND_TIMEOUT_MS / 1000} s` : `network error: ${String(err).slice(0, 200)}` };
  }
  const text = await answerText(res);
  const said = text ? `${res.status} ${text}` : String(res.status);
  if (res.status >= 200 && res.status < 300) return { kind: 'delivered', status: res.status };
  if (res.status === 429) {
    const after = retryAfterSeconds(res.headers.get('retry-after'), 30);
    return { kind: 'retry', status: 429, error: `rate limited (${said}), retry after ${after} s`, retryAfterSeconds: after };
  }
  if (res.status === 408 || res.status >= 500) return { kind: 'retry', status: res.status, error: said };
  if (res.status >= 300 && res.status < 400) return { kind: 'failed', status: res.status, error: `${said}: redirects are not followed` };
  return { kind: 'failed', status: res.status, error: kind === 'slack' ? `Slack refused it: ${said}` : said };
}

/** The first 200 characters of the answer (Slack's error string), never more than 4 KB read. */
async function answerText(res: Response): Promise<string> {
  if (!res.body) return '';
  const bytes = await readCapped(res.body, 4096).catch(() => null);
  return bytes ? new TextDecoder().decode(bytes).trim().slice(0, 200) : '';
}


import { z } from 'zod';
import { Domain, Id } from './primitives';

/**
 * Sales alerts (edge/alerts/): when an account enters a segment, for the first time within the window,
 * a Slack incoming-webhook message and/or a signed JSON webhook. At most one alert per account × segment
 * per window; delivered through the alerts queue, never on the decision path.
 */

/** An account that stays in a segment is alerted again at most this often unless the site says otherwise. */
export const DEFAULT_ALERT_WINDOW_DAYS = 7;
export const MAX_ALERT_WINDOW_DAYS = 90;

/**
 * Both webhook URLs are credentials (anyone holding a Slack incoming-webhook URL can post to the channel),
 * so they are write-only: every answer that carries a config (the admin's, the visual editor's) shows
 * this in their place, and a save that sends it back keeps the URL saved before (edge/alerts/secrets.ts).
 */
export const SAVED_SECRET = '(saved)';

const SLACK_HOOK = /^https:\/\/hooks\.slack\.com\/(services|workflows|triggers)\/[A-Za-z0-9_/-]{1,300}$/;

/** Where the webhook may point: https anywhere; http only to this machine, and only sent in development (DEV_ROUTES on). */
export function webhookUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an https URL';
  }
  if (url.username || url.password) return 'must not carry a user name or password';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && isLoopback(url)) return null;
  return 'must be an https URL (http only to 127.0.0.1 or localhost, for development)';
}

export const isLoopback = (url: URL) => url.hostname === '127.0.0.1' || url.hostname === 'localhost';

const secretUrl = (problem: (value: string) => string | null) =>
  z
    .string()
    .trim()
    .max(500)
    .superRefine((value, ctx) => {
      if (value === SAVED_SECRET) return;
      const found = problem(value);
      if (found) ctx.addIssue({ code: 'custom', message: found });
    });

export const AlertsConfig = z
  .strictObject({
    /** A Slack incoming webhook (Slack: Apps → Incoming Webhooks → Add to a channel). */
    slack: z
      .strictObject({
        webhookUrl: secretUrl((u) => (SLACK_HOOK.test(u) ? null : 'must be a Slack incoming-webhook URL, https://hooks.slack.com/services/…')),
      })
      .optional(),
    /** A JSON webhook of your own (a CRM workflow, Zapier, a server), signed with the site's alert signing secret. */
    webhook: z.strictObject({ url: secretUrl(webhookUrlProblem) }).optional(),
    /** The segments that alert (absent: every segment). */
    segments: z.array(Id).min(1).max(50).optional(),
    /** An account is alerted for a segment at most once in this many days (absent: 7). */
    windowDays: z.number().int().min(1).max(MAX_ALERT_WINDOW_DAYS).optional(),
  })
  .refine((a) => a.slack !== undefined || a.webhook !== undefined, 'needs slack or webhook (or remove alerts)');
export type AlertsConfig = z.infer<typeof AlertsConfig>;

/** The alert's segments name segments of the site (called from SiteConfig's superRefine). */
export function checkAlerts(cfg: { alerts?: AlertsConfig; segments: readonly { id: string }[] }, ctx: z.RefinementCtx): void {
  const known = new Set(cfg.segments.map((s) => s.id));
  cfg.alerts?.segments?.forEach((id, i) => {
    if (!known.has(id)) ctx.addIssue({ code: 'custom', path: ['alerts', 'segments', i], message: `unknown segment "${id}"` });
  });
}

export const AlertChannel = z.enum(['slack', 'webhook']);
export type AlertChannel = z.infer<typeof AlertChannel>;

/**
 * What an alert says, fixed when the account entered the segment: the body of the JSON webhook, and
 * what the Slack message is written from (shared/alerts/slack-message.ts). No visitor ids, no IP.
 */
export const AlertPayload = z.object({
  type: z.literal('segment.entered'),
  /** The alert's id: the same on every retry (webhook receivers dedupe by it, X-PZ-Alert-Id). */
  id: z.string().max(64),
  site: Id,
  siteName: z.string().max(100),
  account: z.object({
    domain: Domain,
    name: z.string().max(200).nullable(),
    industry: z.string().max(100).optional(),
    employees: z.number().optional(),
    country: z.string().max(2).optional(),
    stage: z.string().max(20).optional(),
  }),
  segment: z.object({ id: Id, name: z.string().max(100), kind: z.string().max(20) }),
  /** The decision that entered the segment (ISO time). */
  enteredAt: z.string(),
  /** How the edge knew the company (identify, link, ip-range, enrichment…) and how sure it is. */
  resolvedBy: z.object({ method: z.string().max(20), confidence: z.string().max(10) }),
  /** The page of that decision (path only: no query). */
  page: z.string().max(512),
  /** The rule's conditions that held, in words, with the value each read. */
  why: z.array(z.string().max(300)).max(100),
  /** The account's recorded activity of the last `days` days; null for a site that records none. */
  activity: z
    .object({
      days: z.number().int(),
      views: z.number().int(),
      visitors: z.number().int(),
      sessions: z.number().int(),
      byGroup: z.record(z.string(), z.number().int()),
      recent: z.array(z.object({ at: z.string(), path: z.string().max(512) })).max(10),
    })
    .nullable(),
  /** The account in the admin; null when the edge does not know its admin's address (ADMIN_URL). */
  adminUrl: z.string().max(1000).nullable(),
  windowDays: z.number().int(),
});
export type AlertPayload = z.infer<typeof AlertPayload>;

/** The alerts queue's message: the alert is read from D1, where it was recorded when claimed. */
export const QueuedAlert = z.strictObject({ kind: z.literal('alert'), site: Id, id: z.string().min(1).max(64) });
export type QueuedAlert = z.infer<typeof QueuedAlert>;

export const DeliveryStatus = z.enum(['pending', 'sending', 'retrying', 'delivered', 'failed', 'dead-lettered', 'unknown', 'cancelled']);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

/** GET /api/admin/sites/:site/alerts → { alerts: AlertRecord[] }, newest first. */
export const AlertRecord = z.object({
  id: z.string(),
  account: Domain,
  segment: Id,
  enteredAt: z.string(),
  /** delivered: every channel; failed: one gave up (its error says why); pending: still being sent or retried. */
  status: z.enum(['pending', 'delivered', 'failed']),
  deliveries: z.array(
    z.object({
      channel: AlertChannel,
      status: DeliveryStatus,
      attempts: z.number().int(),
      /** The last HTTP status the destination answered (null: none, e.g. a network error). */
      lastStatus: z.number().int().nullable(),
      /** Slack's error string (`channel_is_archived`, `no_service`…) or what went wrong. */
      lastError: z.string().nullable(),
      deliveredAt: z.string().nullable(),
      updatedAt: z.string().nullable(),
    }),
  ),
  payload: AlertPayload,
});
export type AlertRecord = z.infer<typeof AlertRecord>;

/** GET /api/admin/sites/:site/alerts?limit=&account=&before= (before: an alert's enteredAt, for the next page). */
export const AlertsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  account: Domain.optional(),
  before: z.iso.datetime({ offset: true }).optional(),
});

/** GET /api/admin/sites/:site/alerts/secret (owners): the key the JSON webhook is signed with. */
export const AlertSecret = z.object({ secret: z.string(), headers: z.array(z.string()), usage: z.string() });
export type AlertSecret = z.infer<typeof AlertSecret>;

import { type Account, type AlertChannel, type AlertPayload, DEFAULT_ALERT_WINDOW_DAYS, type Segment, type SiteConfig } from '../../shared/schemas';
import { conditionsThatHeld } from '../../shared/alerts/explain';
import { activityPlan } from '../../shared/activity/plan';
import type { DecisionInput } from '../../shared/decision/context';
import type { ActivityRead, Decision, Resolution } from '../../shared/decision/decide';
import type { VisitContext } from '../../shared/decision/context';
import { atLeast, requiredConfidence } from '../../shared/resolve/confidence';
import { activityTotals, DAY_MS } from '../../shared/rules/behaviour';
import { decodeSummary } from '../activity/activity-table';
import { type ActivityNamespace, activityStub, withinBudget } from '../activity/client';
import { edgeSiteFor } from '../edge-mode/hosts';
import type { Env } from '../env';
import { claimAlert } from './alerts-db';

/**
 * Detection of a segment entry, called by the decide path (edge/decide/decide.ts) for a page view whose
 * decision resolved a segment for an account. Nothing here is awaited by the decision: the check runs
 * under `waitUntil`, after the answer.
 *
 * - This isolate checks each account × segment at most once per window (the memo below, bounded): a
 *   busy account's page views cost nothing after the first.
 * - The check is a claim in D1 (edge/alerts/alerts-db.ts claimAlert): one atomic upsert keyed by site ×
 *   account × segment, so however many isolates decide for the account at once, one claims the alert.
 * - The winner records the alert with its deliveries in the same transaction, then queues it for the
 *   alerts queue's consumer (edge/alerts/consume.ts), which sends it.
 *
 * Only accounts the edge knows at `inferred` confidence or better alert (a claimed identity, a plain
 * `?pz_account=` anyone can type, never does), only for real page views of the site (not previews or
 * server calls), and never for a visitor with Global Privacy Control or Do Not Track. Both arms of a
 * holdout alert alike, so an alert's effect on sales does not bias the report's comparison.
 */

export type AlertEnv = Partial<Pick<Env, 'ALERTS_QUEUE' | 'EVENTS_DB' | 'ADMIN_URL' | 'EDGE_HOSTS'>>;

export interface SegmentEntry {
  config: SiteConfig;
  segment: Segment;
  account: Account;
  resolution: Resolution;
  /** What the segment's rule saw (the decision's input for its confidence). */
  input: DecisionInput;
  /** The page's path. */
  path: string;
  /** The decision time, epoch ms. */
  now: number;
  /** The URL the decide request was sent to: the admin is on its origin unless ADMIN_URL says otherwise. */
  edgeUrl?: string;
}

export interface EntryDeps {
  ns: ActivityNamespace | undefined;
  waitUntil(promise: Promise<unknown>): void;
}

/** account × segment → when this isolate checks it again (epoch ms). */
const memo = new Map<string, number>();
const MAX_MEMO = 20_000;
/** The activity the alert reports: the account's last 7 days, its 5 newest page views. */
const ACTIVITY_DAYS = 7;
const RECENT_VIEWS = 5;
const ACTIVITY_BUDGET_MS = 1_000;

export const alertWindowMs = (config: Pick<SiteConfig, 'alerts'>) => (config.alerts?.windowDays ?? DEFAULT_ALERT_WINDOW_DAYS) * DAY_MS;

/** Whether the site alerts on this segment at all. */
export const alertsOn = (config: Pick<SiteConfig, 'alerts'>, segment: string) => config.alerts !== undefined && (config.alerts.segments?.includes(segment) ?? true);

/** What the decide path hands over after a decision (edge/decide/decide.ts). */
export interface DecidedVisit {
  config: SiteConfig;
  resolution: Resolution;
  decision: Decision;
  visit: VisitContext;
  read: ActivityRead;
  now: number;
  role?: string;
  edgeUrl?: string;
  /** The visitor may be tracked (no GPC / DNT). */
  tracking: boolean;
  /** A real page view of the site (an Origin the site allows), not a server call. */
  pageView: boolean;
}

/**
 * After a decision: an alert check for its segment when the site has alerts, the visit is a real page
 * view of a tracked visitor, and the account is known at `inferred` or better. Synchronous and cheap:
 * the check itself runs under `waitUntil`.
 */
export function afterDecision(env: AlertEnv, deps: EntryDeps, d: DecidedVisit): void {
  const segment = d.decision.segment;
  const account = d.resolution.account;
  if (!d.config.alerts || !segment || !account || !d.tracking || !d.pageView || !atLeast(d.resolution.confidence, 'inferred')) return;
  if (!alertsOn(d.config, segment.id)) return;
  const visitor = d.role ? { role: d.role } : undefined;
  // the input the segment's rule was evaluated with (shared/decision/decide.ts inputFor)
  const input: DecisionInput = atLeast(d.resolution.confidence, requiredConfidence(segment))
    ? { account, visit: d.visit, visitor, ...(d.read?.status === 'ok' && { activity: d.read.digest, now: d.now }) }
    : { account: null, visit: d.visit, visitor };
  noteSegmentEntry(env, deps, { config: d.config, segment, account, resolution: d.resolution, input, path: d.visit.path, now: d.now, edgeUrl: d.edgeUrl });
}

export function noteSegmentEntry(env: AlertEnv, deps: EntryDeps, entry: SegmentEntry): void {
  const { config, segment, account, now } = entry;
  if (!env.EVENTS_DB || !env.ALERTS_QUEUE || !alertsOn(config, segment.id)) return;
  const key = `${config.site}\n${account.domain}\n${segment.id}`;
  const next = memo.get(key);
  if (next !== undefined && now < next) return;
  if (memo.size >= MAX_MEMO) memo.clear();
  const windowMs = alertWindowMs(config);
  // until D1 answers: the next decision in this isolate does not check again meanwhile
  memo.set(key, now + windowMs);
  const { EVENTS_DB: db, ALERTS_QUEUE: queue } = env;
  deps.waitUntil(
    checkEntry(db, queue, env, deps.ns, entry, windowMs)
      .then((alertedAt) => memo.set(key, alertedAt + windowMs))
      .catch((err: unknown) => {
        memo.delete(key);
        console.error('alerts: segment entry not checked', err);
      }),
  );
}

/** Claims (or not) the alert in D1 and queues it when claimed; answers when the latest alert was claimed. */
export async function checkEntry(db: D1Database, queue: NonNullable<Env['ALERTS_QUEUE']>, env: AlertEnv, ns: ActivityNamespace | undefined, entry: SegmentEntry, windowMs: number): Promise<number> {
  const payload = await alertPayload(env, ns, entry);
  const channels: AlertChannel[] = [...(entry.config.alerts?.slack ? (['slack'] as const) : []), ...(entry.config.alerts?.webhook ? (['webhook'] as const) : [])];
  const { claimed, alertedAt } = await claimAlert(db, { site: entry.config.site, account: entry.account.domain, segment: entry.segment.id, now: entry.now, windowMs, payload, channels });
  // Should the isolate stop here, the alert stays recorded and unsent: the daily housekeeping queues it again.
  if (claimed) await queue.send({ kind: 'alert', site: entry.config.site, id: payload.id });
  return alertedAt;
}

/** What the alert says, fixed now: who, which segment, why, the account's recent activity, the admin link. */
export async function alertPayload(env: AlertEnv, ns: ActivityNamespace | undefined, entry: SegmentEntry): Promise<AlertPayload> {
  const { config, segment, account, resolution, now } = entry;
  return {
    type: 'segment.entered',
    id: crypto.randomUUID(),
    site: config.site,
    siteName: config.name,
    account: {
      domain: account.domain,
      name: account.name ?? null,
      ...(account.industry && { industry: account.industry }),
      ...(account.employees !== undefined && { employees: account.employees }),
      ...(account.country && { country: account.country }),
      ...(account.stage && { stage: account.stage }),
    },
    segment: { id: segment.id, name: segment.name, kind: segment.kind },
    enteredAt: new Date(now).toISOString(),
    resolvedBy: { method: resolution.method, confidence: resolution.confidence ?? 'none' },
    page: entry.path.slice(0, 512),
    why: conditionsThatHeld(segment, entry.input).slice(0, 100),
    activity: await recentActivity(config, ns, account.domain, now),
    adminUrl: adminLink(env, entry),
    windowDays: config.alerts?.windowDays ?? DEFAULT_ALERT_WINDOW_DAYS,
  };
}

/** From the account's AccountActivity object (its views with paths), within a second; null for a site that records none. */
async function recentActivity(config: SiteConfig, ns: ActivityNamespace | undefined, domain: string, now: number): Promise<AlertPayload['activity']> {
  if (!ns || !activityPlan(config).record) return null;
  const read = await withinBudget(() => activityStub(ns, { site: config.site, domain }).report({ now, windowDays: ACTIVITY_DAYS, recent: RECENT_VIEWS }), ACTIVITY_BUDGET_MS);
  if (!read.ok) return null;
  const totals = activityTotals(decodeSummary(read.value.summary), now, ACTIVITY_DAYS);
  return { days: ACTIVITY_DAYS, ...totals, recent: read.value.recent.map((v) => ({ at: new Date(v.at).toISOString(), path: v.path.slice(0, 512) })) };
}

/**
 * The account in the admin: its Accounts view searched for the domain. On ADMIN_URL when set (edge
 * mode, a custom domain), else on the origin the decide request was sent to, unless that is a customer's
 * own host (edge mode), where the admin is not.
 */
export function adminLink(env: AlertEnv, entry: Pick<SegmentEntry, 'config' | 'account' | 'edgeUrl'>): string | null {
  let base = env.ADMIN_URL?.trim().replace(/\/+$/, '') || null;
  if (!base && entry.edgeUrl) {
    const url = new URL(entry.edgeUrl);
    if (!edgeSiteFor(env, url)) base = url.origin;
  }
  if (!base) return null;
  return `${base}/admin?site=${encodeURIComponent(entry.config.site)}#/accounts?q=${encodeURIComponent(entry.account.domain)}`;
}

/** Tests: forget which account × segment pairs this isolate checked. */
export function resetAlertMemo(): void {
  memo.clear();
}

import { Hono } from 'hono';
import type { AccountActivityReport, Account, ActivitySummary, SiteConfig } from '../../shared/schemas';
import { digestOf } from '../../shared/activity/digest';
import { activityPlan } from '../../shared/activity/plan';
import { decide } from '../../shared/decision/decide';
import { activityTotals } from '../../shared/rules/behaviour';
import { type RecentView, decodeSummary } from '../activity/activity-table';
import type { AdminEnv } from '../env';
import { jsonError } from '../http/errors';
import { domainParam } from '../http/validate';
import { activityStub, withinBudget } from '../activity/client';
import { siteStore, unknownSite } from './common';
import { can } from './permissions';

export const activityRoutes = new Hono<AdminEnv>();

const RECENT = 50;
const BUDGET_MS = 2_000;
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

/** An account's recorded activity and the segments it is in now (shared/schemas/admin.ts AccountActivityReport). */
activityRoutes.get('/sites/:site/accounts/:domain/activity', can('viewer'), domainParam, async (c) => {
  const site = c.req.param('site');
  const { domain } = c.req.valid('param');
  const context = await siteStore(c.env, site).accountSegmentsContext(site, domain);
  if (!context) return unknownSite(c, site);
  if (!context.account) return jsonError(c, 404, 'unknown account', [{ path: 'domain', message: `no account ${domain}` }]);

  const now = Date.now();
  const retention = activityPlan(context.config).retentionDays;
  const stub = activityStub(c.env.ACCOUNT_ACTIVITY, { site, domain: domain });
  const report = await withinBudget(() => stub.report({ now, windowDays: retention, recent: RECENT }), BUDGET_MS);
  if (!report.ok) return jsonError(c, 503, 'activity unavailable', [{ path: 'domain', message: `the activity of ${domain} could not be read (${report.reason})` }]);
  const { summary, recent } = report.value;
  return c.json(activityReport({ site, now, retention, ...context, account: context.account, summary: decodeSummary(summary), recent }));
});

interface ReportParts {
  site: string;
  now: number;
  retention: number;
  account: Account;
  config: SiteConfig;
  source: 'live' | 'draft';
  summary: ActivitySummary;
  recent: RecentView[];
}

function activityReport(p: ReportParts): AccountActivityReport {
  const digest = digestOf(p.summary, activityPlan(p.config).needs);
  const explained = decide({
    config: p.config,
    // the admin asks about the account itself: every segment it qualifies for, whatever confidence they need
    resolution: { method: 'link', confidence: 'verified', account: p.account },
    visit: { path: '/' },
    activity: { status: 'ok', digest },
    now: p.now,
    mode: 'explain',
  });
  const matched = (explained.matched ?? []).map((s) => ({ id: s.id, name: s.name, kind: s.kind, priority: s.priority }));
  return {
    site: p.site,
    domain: p.account.domain,
    asOf: new Date(p.now).toISOString(),
    retentionDays: p.retention,
    firstSeen: iso(p.summary.firstSeen),
    lastSeen: iso(p.summary.lastSeen),
    windows: [...new Set([1, 7, 30, p.retention])].map((days) => ({ days, ...activityTotals(p.summary, p.now, days) })),
    recent: p.recent.map((v) => ({ ...v, at: new Date(v.at).toISOString() })),
    segments: { source: p.source, version: p.config.version, matched, winner: matched[0]?.id ?? null },
  };
}

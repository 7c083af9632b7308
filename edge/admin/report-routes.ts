import { type Context, Hono } from 'hono';
import { type IntervalMethod, ReportQuery } from '../../shared/schemas';
import { buildMatchRate, matchRateCsv } from '../../shared/measure/match-rate';
import { readMatchRows } from '../match-rate/store';
import { lastDays } from '../../shared/measure/days';
import { buildReport } from '../../shared/measure/report';
import { reportCsv } from '../../shared/measure/report-csv';
import type { AdminEnv } from '../env';
import { jsonError, zodIssues } from '../http/errors';
import { getSiteConfig } from '../kv/site-config';
import { readReportRows } from '../events/events-db';
import { can } from './permissions';
import { siteStore } from './common';

export const reportRoutes = new Hono<AdminEnv>();

/** The `?site=&from=&to=&interval=&format=` of a report route, the range defaulting to the last 30 days (UTC); a 400 naming the field otherwise. */
function reportRange(c: Context<AdminEnv>): { site: string; format: 'json' | 'csv'; interval: IntervalMethod; attribution: number; from: string; to: string } | Response {
  const query = ReportQuery.safeParse(c.req.query());
  if (!query.success) return jsonError(c, 400, 'invalid request', zodIssues(query.error));
  const to = query.data.to ?? lastDays().to;
  const from = query.data.from ?? lastDays(undefined, to).from;
  if (from > to) return jsonError(c, 400, 'invalid request', [{ path: 'from', message: `must not be after to (${to})` }]);
  return { site: query.data.site, format: query.data.format, interval: query.data.interval, attribution: query.data.attribution, from, to };
}

/**
 * `GET /api/admin/report?site=demo[&from=2026-11-01][&to=2026-11-30][&interval=fixed][&attribution=90][&format=csv]`: per
 * segment × arm the units exposed and converted per goal, the lift of personalized over holdout with its
 * 95 % interval and what it lets you conclude, per day and per variant version (shared/schemas/report.ts).
 * Default range: the last 30 days (UTC). Default interval: sequential, on every exposure since the
 * segment's first up to `to`; `fixed`: over the range, read once `to` is over. Each segment's Pipeline:
 * the CRM's opportunities of its exposed accounts created within `attribution` days (default 90) of the first exposure.
 */
reportRoutes.get('/report', can('viewer'), async (c) => {
  const range = reportRange(c);
  if (range instanceof Response) return range;
  const { site, format, interval, attribution, from, to } = range;

  const lookup = await getSiteConfig(c.env.KV, site).catch(() => null);
  // not served (never published, or archived): the system of record still has its config and report
  const config = lookup?.status === 'unknown' ? await siteStore(c.env, site).servedConfig(site) : lookup?.status === 'ok' ? lookup.config : null;
  if (lookup?.status === 'unknown' && !config) return jsonError(c, 404, 'unknown site', [{ path: 'site', message: `no site "${site}"` }]);
  let rows;
  try {
    rows = await readReportRows(c.env.EVENTS_DB, site, from, to, { cumulative: interval === 'sequential', attributionDays: attribution });
  } catch (err) {
    console.error('report: measurement store unavailable', err);
    return jsonError(c, 503, 'measurement store unavailable, retry later');
  }
  const report = buildReport(config, site, from, to, rows, { interval, attributionDays: attribution });
  c.header('Cache-Control', 'no-store');
  if (format === 'csv') {
    c.header('Content-Disposition', `attachment; filename="report-${site}-${from}-${to}.csv"`);
    return c.body(reportCsv(report), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
  }
  return c.json(report);
});

/**
 * `GET /api/admin/match-rate?site=demo[&from=…][&to=…][&format=csv]`: how the site's page views were
 * resolved, per day and page origin, by method and confidence, and by segment (shared/schemas/match-rate.ts).
 * Default range: the last 30 days (UTC). Counted from real page views (a page of an allowed origin).
 */
reportRoutes.get('/match-rate', can('viewer'), async (c) => {
  const range = reportRange(c);
  if (range instanceof Response) return range;
  const { site, format, from, to } = range;
  let rows;
  try {
    rows = await readMatchRows(c.env.EVENTS_DB, site, from, to);
  } catch (err) {
    console.error('match rate: measurement store unavailable', err);
    return jsonError(c, 503, 'measurement store unavailable, retry later');
  }
  const report = buildMatchRate(site, from, to, rows);
  c.header('Cache-Control', 'no-store');
  if (format === 'csv') {
    c.header('Content-Disposition', `attachment; filename="match-rate-${site}-${from}-${to}.csv"`);
    return c.body(matchRateCsv(report), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
  }
  return c.json(report);
});

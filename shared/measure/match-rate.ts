import type { MatchRateReport, MatchRow } from '../schemas';
import { formatCsvRecord } from '../csv';
import { neutralise } from '../admin/account-csv';

const add = (counts: Record<string, number>, key: string, n: number) => {
  counts[key] = (counts[key] ?? 0) + n;
};

/** The match rate of `rows` (one site, one range): totals, then per day, per page origin and per segment, each by confidence. */
export function buildMatchRate(site: string, from: string, to: string, rows: readonly MatchRow[]): MatchRateReport {
  const report: MatchRateReport = { site, from, to, views: 0, byMethod: {}, byConfidence: {}, days: [], origins: [], segments: [], rows: [] };
  const days = new Map<string, MatchRateReport['days'][number]>();
  const origins = new Map<string, MatchRateReport['origins'][number]>();
  const segments = new Map<string, MatchRateReport['segments'][number]>();
  for (const r of rows) {
    report.views += r.views;
    add(report.byMethod, r.method, r.views);
    add(report.byConfidence, r.confidence, r.views);
    const day = days.get(r.day) ?? { day: r.day, views: 0, byConfidence: {}, byMethod: {} };
    day.views += r.views;
    add(day.byConfidence, r.confidence, r.views);
    add(day.byMethod, r.method, r.views);
    days.set(r.day, day);
    const origin = origins.get(r.origin) ?? { origin: r.origin, views: 0, byConfidence: {} };
    origin.views += r.views;
    add(origin.byConfidence, r.confidence, r.views);
    origins.set(r.origin, origin);
    const segment = segments.get(r.segment) ?? { segment: r.segment || null, views: 0, byConfidence: {} };
    segment.views += r.views;
    add(segment.byConfidence, r.confidence, r.views);
    segments.set(r.segment, segment);
    report.rows.push({ day: r.day, origin: r.origin, method: r.method, confidence: r.confidence, segment: r.segment, views: r.views });
  }
  report.days = [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
  report.origins = [...origins.values()].sort((a, b) => b.views - a.views);
  report.segments = [...segments.values()].sort((a, b) => b.views - a.views);
  return report;
}

export const MATCH_RATE_CSV_COLUMNS = ['day', 'origin', 'method', 'confidence', 'segment', 'views', 'share_of_day'] as const;

/** One CSV row per day × origin × method × confidence × segment, with its share of the day's page views. */
export function matchRateCsv(report: MatchRateReport): string {
  const dayViews = new Map(report.days.map((d) => [d.day, d.views]));
  const rows = report.rows.map((r) => [r.day, neutralise(r.origin), r.method, r.confidence, r.segment, String(r.views), (r.views / (dayViews.get(r.day) || 1)).toFixed(4)]);
  return [MATCH_RATE_CSV_COLUMNS, ...rows].map((row) => formatCsvRecord([...row])).join('');
}

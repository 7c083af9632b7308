import type { Report } from '../schemas';
import { formatCsvRecord } from '../csv';

export const REPORT_CSV_COLUMNS = [
  'segment', 'segment_name', 'arm', 'goal', 'day', 'version', 'exposed_units', 'visitors', 'accounts',
  'converted_units', 'conversion_rate', 'lift', 'lift_low', 'lift_high', 'lift_verdict',
  'lift_interval', 'lift_from', 'lift_to', 'lift_exposed_units', 'lift_converted_units', 'conclusion',
  'opportunities', 'pipeline', 'won', 'win_rate', 'median_days_to_opportunity', 'pipeline_per_account',
  'pipeline_lift', 'pipeline_lift_low', 'pipeline_lift_high', 'pipeline_conclusion',
] as const;

/** Every row but a Pipeline row leaves the pipeline cells empty. */
const NO_PIPELINE: string[] = Array(REPORT_CSV_COLUMNS.length - REPORT_CSV_COLUMNS.indexOf('opportunities')).fill('');

/** A day's or a version's row has no lift cells. */
const EMPTY_LIFT: string[] = Array(REPORT_CSV_COLUMNS.indexOf('conclusion') - REPORT_CSV_COLUMNS.indexOf('lift') + 1).fill('');

/**
 * The report as CSV for spreadsheets and BI tools: one row per segment × arm × goal for the whole
 * range (day and version empty), then one per day and one per variant version. The lift's cells are on
 * the range's rows: its value, interval and verdict on the personalized row, which interval (`sequential`
 * or `fixed`), the days and each arm's units it was computed on (a sequential lift counts from the
 * segment's first exposure, so they can exceed the range's) and the conclusion in words. Then per
 * segment × arm a `pipeline` row: accounts exposed, accounts with a new opportunity (converted_units) and
 * the opportunity rate's lift, with the opportunities' count, amount, won amount, win rate, median days
 * to the first, pipeline per account and its lift.
 */
export function reportCsv(report: Report): string {
  const rows: string[][] = [];
  const fixed = (n: number) => String(Number(n.toFixed(6)));
  // A spreadsheet runs a cell starting with = + - @ as a formula: names are text, so quote them as text.
  const text = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
  for (const s of report.segments) {
    for (const g of report.goals) {
      for (const a of [s.arms.personalized, s.arms.holdout]) {
        const c = a.conversions[g.id]!;
        const lift = s.lift[g.id]!;
        const liftCells = a.arm === 'personalized' && lift.status === 'ok' ? [fixed(lift.lift), fixed(lift.low), fixed(lift.high), lift.verdict] : ['', '', '', a.arm === 'personalized' ? 'not enough data' : ''];
        const sample = lift.sample[a.arm];
        const readingCells = [lift.method, lift.sample.from, lift.sample.to, String(sample.units), String(sample.converted), a.arm === 'personalized' ? lift.conclusion : ''];
        rows.push([s.segment, text(s.name), a.arm, g.id, '', '', String(a.units), String(a.visitors), String(a.accounts), String(c.units), fixed(c.rate), ...liftCells, ...readingCells, ...NO_PIPELINE]);
      }
      const slice = (day: string, version: string, x: { arm: string; units: number; conversions: Record<string, number> }) => {
        const converted = x.conversions[g.id] ?? 0;
        rows.push([s.segment, text(s.name), x.arm, g.id, day, version, String(x.units), '', '', String(converted), x.units ? fixed(converted / x.units) : '0', ...EMPTY_LIFT, ...NO_PIPELINE]);
      };
      for (const d of s.days) slice(d.day, '', d);
      for (const v of s.versions) slice('', String(v.version), v);
    }
    const p = s.pipeline;
    for (const a of [p.arms.personalized, p.arms.holdout]) {
      const first = a.arm === 'personalized';
      const l = p.opportunityLift;
      const pl = p.pipelineLift;
      const liftCells = first && l.status === 'ok' ? [fixed(l.lift), fixed(l.low), fixed(l.high), l.verdict] : ['', '', '', first ? 'not enough data' : ''];
      const pipelineLift = first && pl.status === 'ok' ? [fixed(pl.lift), fixed(pl.low), fixed(pl.high)] : ['', '', ''];
      rows.push([
        s.segment, text(s.name), a.arm, 'pipeline', '', '', String(a.accounts), '', String(a.accounts), String(a.withOpportunity), fixed(a.rate), ...liftCells,
        l.method, p.from, p.to, String(a.accounts), String(a.withOpportunity), first ? l.conclusion : '',
        String(a.opportunities), fixed(a.pipeline), fixed(a.won), a.winRate === null ? '' : fixed(a.winRate), a.medianDaysToOpportunity === null ? '' : fixed(a.medianDaysToOpportunity),
        fixed(a.pipelinePerAccount), ...pipelineLift, first ? pl.conclusion : '',
      ]);
    }
  }
  return [REPORT_CSV_COLUMNS, ...rows].map(formatCsvRecord).join('');
}

import { BUILTIN_GOALS, type Arm, type ArmStats, type IntervalMethod, type LiftSample, type PipelineArm, type Report, type SegmentReport, type SiteConfig } from '../schemas';
import { conclude } from './conclusion';
import { dayOf } from './days';
import { type Lift, liftOf, rate } from './stats';
import { DEFAULT_ATTRIBUTION_DAYS, meanRatioLift, median } from './pipeline';

/** What the measurement store answers for one site and day range (edge/events/events-db.ts). */
export interface ReportRows {
  arms: { segment: string; arm: Arm; units: number; visitors: number; accounts: number; events: number }[];
  goals: { segment: string; arm: Arm; goal: string; units: number; events: number }[];
  /** Exposed units (goal '') and converted units (per goal) per day or per version. */
  days: SliceRow<string>[];
  versions: SliceRow<number>[];
  totals: { type: 'exposure' | 'conversion'; events: number }[];
  dropped: { batches: number; events: number };
  /**
   * For the sequential interval: exposed and converted units from each segment's first exposure (`start`,
   * its first day in the store) to the range's `to`. Absent: the range's own counts are used.
   */
  /** The Pipeline goal's accounts per segment × arm (edge/events/events-db.ts PIPELINE_ACCOUNTS); `since` null: from each segment's first exposure. */
  pipeline: {
    since: string | null;
    arms: { segment: string; arm: Arm; accounts: number; withOpportunity: number; opportunities: number; pipeline: number; pipelineSquares: number; withPipeline: number; won: number; wonCount: number; lostCount: number }[];
    days: { segment: string; arm: Arm; days: number }[];
    opportunities: number;
  };
  cumulative?: {
    arms: { segment: string; arm: Arm; units: number; start: string }[];
    goals: { segment: string; arm: Arm; goal: string; units: number }[];
  };
}
type SliceRow<S> = { type: 'exposure' | 'conversion'; segment: string; arm: Arm; goal: string; slice: S; units: number };

const ARMS: readonly Arm[] = ['personalized', 'holdout'];

/** The site's goals (built-ins first), then any goal seen in the events that the config no longer has. */
function goalsOf(config: SiteConfig | null, rows: ReportRows): { id: string; name: string }[] {
  const goals = new Map<string, string>(Object.entries(BUILTIN_GOALS));
  for (const g of config?.goals ?? []) goals.set(g.id, g.name);
  for (const r of rows.goals) if (!goals.has(r.goal)) goals.set(r.goal, r.goal);
  return [...goals].map(([id, name]) => ({ id, name }));
}

function slices<S extends string | number>(rows: SliceRow<S>[], segment: string) {
  const bySlice = new Map<string, { arm: Arm; slice: S; units: number; conversions: Record<string, number> }>();
  for (const r of rows) {
    if (r.segment !== segment) continue;
    const key = `${r.slice}\u0000${r.arm}`;
    let s = bySlice.get(key);
    if (!s) bySlice.set(key, (s = { arm: r.arm, slice: r.slice, units: 0, conversions: {} }));
    if (r.type === 'exposure') s.units = r.units;
    else s.conversions[r.goal] = r.units;
  }
  return [...bySlice.values()].sort((a, b) => (a.slice < b.slice ? -1 : a.slice > b.slice ? 1 : a.arm < b.arm ? 1 : -1));
}

/** The first day the store holds an exposure of the segment (from the cumulative rows), if any. */
const firstExposureDay = (rows: ReportRows, segment: string): string | undefined =>
  rows.cumulative?.arms.filter((r) => r.segment === segment).reduce<string | undefined>((min, r) => (min === undefined || r.start < min ? r.start : min), undefined);

/** The units a sequential lift is computed on: every exposure of the segment up to `to`. */
function cumulativeSample(rows: ReportRows, segment: string, goal: string, from: string, to: string): LiftSample | undefined {
  const c = rows.cumulative;
  if (!c) return undefined;
  const arms = c.arms.filter((r) => r.segment === segment);
  const arm = (a: Arm) => ({
    units: arms.find((r) => r.arm === a)?.units ?? 0,
    converted: c.goals.find((r) => r.segment === segment && r.arm === a && r.goal === goal)?.units ?? 0,
  });
  return { from: firstExposureDay(rows, segment) ?? from, to, personalized: arm('personalized'), holdout: arm('holdout') };
}

/**
 * Assembles the report: per segment × arm, per goal the conversion rate and the lift with its 95 %
 * interval (`interval`, default sequential) and what it lets you conclude. `now` decides whether a
 * fixed-sample test's end date, `to`, is over.
 */
export function buildReport(
  config: SiteConfig | null,
  site: string,
  from: string,
  to: string,
  rows: ReportRows,
  { interval = 'sequential', now = new Date(), attributionDays = DEFAULT_ATTRIBUTION_DAYS }: { interval?: IntervalMethod; now?: Date; attributionDays?: number } = {},
): Report {
  const final = to < dayOf(now.getTime());
  const goals = goalsOf(config, rows);
  const segmentIds = new Set([...(config?.segments ?? []).map((s) => s.id), ...rows.arms.map((r) => r.segment)]);
  const segments: SegmentReport[] = [];
  for (const id of segmentIds) {
    const segment = config?.segments.find((s) => s.id === id);
    const arms = Object.fromEntries(
      ARMS.map((arm): [Arm, ArmStats] => {
        const exposed = rows.arms.find((r) => r.segment === id && r.arm === arm);
        const units = exposed?.units ?? 0;
        const conversions: ArmStats['conversions'] = {};
        for (const g of goals) {
          const c = rows.goals.find((r) => r.segment === id && r.arm === arm && r.goal === g.id);
          conversions[g.id] = { units: c?.units ?? 0, events: c?.events ?? 0, rate: rate({ units, converted: c?.units ?? 0 }) };
        }
        return [arm, { arm, units, visitors: exposed?.visitors ?? 0, accounts: exposed?.accounts ?? 0, exposures: exposed?.events ?? 0, conversions }];
      }),
    ) as SegmentReport['arms'];
    const lift = Object.fromEntries(
      goals.map((g) => {
        const sample: LiftSample = (interval === 'sequential' && cumulativeSample(rows, id, g.id, from, to)) || {
          from,
          to,
          personalized: { units: arms.personalized.units, converted: arms.personalized.conversions[g.id]!.units },
          holdout: { units: arms.holdout.units, converted: arms.holdout.conversions[g.id]!.units },
        };
        const l = liftOf(sample.personalized, sample.holdout, interval);
        return [g.id, { ...l, method: interval, sample, ...conclude(l, interval, { from: sample.from, to, final }) }];
      }),
    );
    segments.push({
      segment: id,
      name: segment?.name ?? id,
      holdout: segment ? segment.holdout : null,
      arms,
      lift,
      days: slices(rows.days, id).map(({ slice, ...s }) => ({ day: slice, ...s })),
      versions: slices(rows.versions, id).map(({ slice, ...s }) => ({ version: slice, ...s })),
      pipeline: pipelineOf(rows, id, interval, { from, to, final }),
    });
  }
  const total = (type: string) => rows.totals.find((t) => t.type === type)?.events ?? 0;
  return {
    site,
    from,
    to,
    interval,
    generatedAt: now.toISOString(),
    goals,
    segments,
    totals: { exposures: total('exposure'), conversions: total('conversion') },
    dropped: rows.dropped,
    pipeline: { attributionDays, opportunities: rows.pipeline.opportunities },
  };
}

/** One segment's Pipeline goal: each arm's accounts and opportunities, the two lifts and what they let you conclude. */
function pipelineOf(rows: ReportRows, segment: string, interval: IntervalMethod, range: { from: string; to: string; final: boolean }): SegmentReport['pipeline'] {
  const of = rows.pipeline.arms.filter((r) => r.segment === segment);
  const since = rows.pipeline.since ?? firstExposureDay(rows, segment) ?? range.from;
  const arm = (a: Arm): PipelineArm => {
    const r = of.find((x) => x.arm === a);
    const accounts = r?.accounts ?? 0;
    const closed = (r?.wonCount ?? 0) + (r?.lostCount ?? 0);
    return {
      arm: a,
      accounts,
      withOpportunity: r?.withOpportunity ?? 0,
      rate: accounts ? (r?.withOpportunity ?? 0) / accounts : 0,
      opportunities: r?.opportunities ?? 0,
      pipeline: r?.pipeline ?? 0,
      won: r?.won ?? 0,
      wonCount: r?.wonCount ?? 0,
      lostCount: r?.lostCount ?? 0,
      winRate: closed ? (r?.wonCount ?? 0) / closed : null,
      pipelinePerAccount: accounts ? (r?.pipeline ?? 0) / accounts : 0,
      medianDaysToOpportunity: median(rows.pipeline.days.filter((d) => d.segment === segment && d.arm === a).map((d) => d.days)),
    };
  };
  const p = arm('personalized');
  const h = arm('holdout');
  const sums = (a: Arm) => {
    const r = of.find((x) => x.arm === a);
    return { n: r?.accounts ?? 0, positive: r?.withPipeline ?? 0, sum: r?.pipeline ?? 0, sumSquares: r?.pipelineSquares ?? 0 };
  };
  const read = (l: Lift) => ({ ...l, method: interval, ...conclude(l, interval, { from: since, to: range.to, final: range.final }) });
  return {
    from: since,
    to: range.to,
    arms: { personalized: p, holdout: h },
    opportunityLift: read(liftOf({ units: p.accounts, converted: p.withOpportunity }, { units: h.accounts, converted: h.withOpportunity }, interval)),
    pipelineLift: read(meanRatioLift(sums('personalized'), sums('holdout'), interval)),
  };
}

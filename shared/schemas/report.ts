import { z } from 'zod';
import { Arm } from './measure';
import { Id } from './primitives';

/** A calendar day in UTC, `2026-12-02`. */
export const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-12-02')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'must be a real date');

/**
 * Which 95 % interval the lift gets (shared/measure/stats.ts):
 * - `sequential` (default): always valid, computed on every exposure since the segment's first, so it may
 *   be looked at daily and acted on the day it excludes no change;
 * - `fixed`: the fixed-sample interval over the range, for one look once `to`, a pre-registered end date, is over.
 */
export const IntervalMethod = z.enum(['sequential', 'fixed']);
export type IntervalMethod = z.infer<typeof IntervalMethod>;

/** What a marketer may conclude today (shared/measure/conclusion.ts); `no difference shown` only ends a fixed-sample test. */
export const Conclusion = z.enum(['not enough data yet', 'keep running', 'personalized is better', 'holdout is better', 'no difference shown']);
export type Conclusion = z.infer<typeof Conclusion>;

/** Query of `GET /api/admin/report`: a site, a day range (default: the last 30 days), the interval, JSON or CSV. */
export const ReportQuery = z
  .strictObject({
    site: Id,
    from: Day.optional(),
    to: Day.optional(),
    interval: IntervalMethod.default('sequential'),
    /** Days after an account's first exposure in which its new opportunities count for the segment (Pipeline). */
    attribution: z.coerce.number().int().min(1).max(365).default(90),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['from'], message: 'must not be after to' });
export type ReportQuery = z.infer<typeof ReportQuery>;

export const GoalCount = z.object({
  /** Exposed units that converted on this goal. */
  units: z.number().int(),
  /** Conversion events counted (a unit may convert more than once). */
  events: z.number().int(),
  /** units / exposed units. */
  rate: z.number(),
});

export const ArmStats = z.object({
  arm: Arm,
  /** Units exposed: accounts where resolved, else visitors. The holdout is drawn per unit. */
  units: z.number().int(),
  visitors: z.number().int(),
  accounts: z.number().int(),
  /** Exposure events counted (page views with the segment's slots on screen). */
  exposures: z.number().int(),
  conversions: z.record(z.string(), GoalCount),
});
export type ArmStats = z.infer<typeof ArmStats>;

const SampleArm = z.object({ units: z.number().int(), converted: z.number().int() });

/**
 * The data a lift is computed on: for `sequential` every exposure of the segment from its first (kept in
 * the store) to the range's `to`, whatever the range's `from`; for `fixed` the range itself.
 */
export const LiftSample = z.object({ from: z.string(), to: z.string(), personalized: SampleArm, holdout: SampleArm });
export type LiftSample = z.infer<typeof LiftSample>;

/** How the lift was computed and what it lets you conclude, in words (`advice`: why, or what is missing, to follow the conclusion). */
const Reading = { method: IntervalMethod, conclusion: Conclusion, advice: z.string() };

/** A measured lift: (personalized / holdout) − 1, its 95 % interval, and where the interval lies. */
const Measured = {
  status: z.literal('ok'),
  lift: z.number(),
  low: z.number(),
  high: z.number(),
  /** Personalized minus holdout: points of a rate, or (pipeline) an amount per account in the CRM's currency. */
  difference: z.number(),
  /** Where the interval lies: above no change, below it, or across it (conclusion says what to do about it). */
  verdict: z.enum(['better', 'worse', 'inconclusive']),
};

/** A lift as liftOf answers it, read with its method. */
const liftReading = <T extends z.ZodRawShape>(extra: T) =>
  z.discriminatedUnion('status', [z.object({ status: z.literal('insufficient'), reason: z.string(), ...Reading, ...extra }), z.object({ ...Measured, ...Reading, ...extra })]);

export const LiftStats = liftReading({ sample: LiftSample });
export type LiftStats = z.infer<typeof LiftStats>;

/** Units exposed and converted in one slice (a day, a variant version) of one arm. */
export const SliceStats = z.object({
  arm: Arm,
  units: z.number().int(),
  conversions: z.record(z.string(), z.number().int()),
});

/** One arm's pipeline: units are accounts (visitors without one do not count), each from its first exposure. */
export const PipelineArm = z.object({
  arm: Arm,
  /** Accounts exposed. */
  accounts: z.number().int(),
  /** Of those, accounts with an opportunity created within the attribution window after their first exposure. */
  withOpportunity: z.number().int(),
  /** withOpportunity / accounts. */
  rate: z.number(),
  /** Those opportunities: how many, their amount (pipeline), the amount won, how many were won and lost. */
  opportunities: z.number().int(),
  pipeline: z.number(),
  won: z.number(),
  wonCount: z.number().int(),
  lostCount: z.number().int(),
  /** wonCount / (wonCount + lostCount); null while none is closed. */
  winRate: z.number().nullable(),
  /** Pipeline per exposed account. */
  pipelinePerAccount: z.number(),
  /** Median days from an account's first exposure to its first attributed opportunity; null without one. */
  medianDaysToOpportunity: z.number().nullable(),
});
export type PipelineArm = z.infer<typeof PipelineArm>;

/** A lift of the Pipeline goal: the same reading as a click goal's, without the per-unit sample. */
const PipelineLift = liftReading({});
export type PipelineLift = z.infer<typeof PipelineLift>;

export const PipelineStats = z.object({
  /** The days the arms were counted on: like a click goal's lift, every exposure since the segment's first for `sequential`. */
  from: z.string(),
  to: z.string(),
  arms: z.object({ personalized: PipelineArm, holdout: PipelineArm }),
  /** Personalized over holdout on the share of accounts with a new opportunity, and on pipeline per exposed account. */
  opportunityLift: PipelineLift,
  pipelineLift: PipelineLift,
});
export type PipelineStats = z.infer<typeof PipelineStats>;

export const SegmentReport = z.object({
  segment: z.string(),
  /** The segment's name in the published config; the id when the segment no longer exists. */
  name: z.string(),
  /** Its holdout share now (it may have been different earlier in the range). */
  holdout: z.number().nullable(),
  arms: z.object({ personalized: ArmStats, holdout: ArmStats }),
  /** Per goal: personalized over holdout, with the interval the report's `interval` asked for. */
  lift: z.record(z.string(), LiftStats),
  days: z.array(SliceStats.extend({ day: z.string() })),
  versions: z.array(SliceStats.extend({ version: z.number().int() })),
  /** The Pipeline goal: opportunities from the CRM sync of the accounts exposed. */
  pipeline: PipelineStats,
});
export type SegmentReport = z.infer<typeof SegmentReport>;

export const Report = z.object({
  site: Id,
  from: z.string(),
  to: z.string(),
  /** The interval every lift of this report has. */
  interval: IntervalMethod,
  generatedAt: z.string(),
  goals: z.array(z.object({ id: z.string(), name: z.string() })),
  segments: z.array(SegmentReport),
  /** Every event counted in the range, exposures and conversions (reconciles with what was sent). */
  totals: z.object({ exposures: z.number().int(), conversions: z.number().int() }),
  /** Batches accepted but never counted: the queue dead-lettered them after its retries (none: zeros). */
  dropped: z.object({ batches: z.number().int(), events: z.number().int() }).default({ batches: 0, events: 0 }),
  /** The Pipeline goal's window, and how many opportunities the CRM sync holds for the site (0: no pipeline data yet). */
  pipeline: z.object({ attributionDays: z.number().int(), opportunities: z.number().int() }),
});
export type Report = z.infer<typeof Report>;

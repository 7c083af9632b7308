import { z } from 'zod';
import { Domain, Id } from './primitives';

/** Which page a segment's visitor sees: the segment's variants, or the page as written (the holdout). */
export const Arm = z.enum(['personalized', 'holdout']);
export type Arm = z.infer<typeof Arm>;

/** The random first-party visitor id the snippet keeps (never derived from the IP). */
export const VisitorId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 URL-safe characters');

/**
 * Goals every site has: a click on a personalized call to action, a form submitted. Sites add their
 * own in `SiteConfig.goals`: URL goals (a visit to `/thank-you*`) and element goals (`data-pz-goal="id"`).
 */
export const BUILTIN_GOALS = { cta: 'CTA click', submit: 'Form submit' } as const;

export const Goal = z.object({
  id: Id.refine((id) => !(id in BUILTIN_GOALS), 'cta and submit are built-in goals'),
  name: z.string().trim().min(1).max(100),
  /** A URL goal: a page view whose path matches one of these globs (`/thank-you*`). Absent: an element goal. */
  urlPatterns: z.array(z.string().trim().min(1).max(300)).min(1).max(20).optional(),
});
export type Goal = z.infer<typeof Goal>;

/**
 * What the snippet reports in its events about the decision it acted on: the decide answer carries it
 * (only for a measured segment visit), and the snippet echoes it unchanged.
 */
export const Measure = z.strictObject({
  segment: Id,
  arm: Arm,
  version: z.number().int().nonnegative().max(1e9),
  account: Domain.optional(),
  /** Signed by the edge over the site, visitor and the fields above (shared/measure/measure-token.ts); events without a valid one are refused. */
  token: z.string().max(64).optional(),
});
export type Measure = z.infer<typeof Measure>;

/**
 * One event: `exposure` once the segment's slots were on screen (personalized: after the content was
 * rendered; holdout: the same slots shown as written), or `conversion` of a goal.
 */
export const MeasuredEvent = z.discriminatedUnion('type', [
  Measure.extend({ type: z.literal('exposure') }),
  Measure.extend({ type: z.literal('conversion'), goal: Id }),
]);
export type MeasuredEvent = z.infer<typeof MeasuredEvent>;

export const MAX_EVENTS_PER_BATCH = 100;
export const MAX_EVENTS_BODY_BYTES = 32 * 1024;

/**
 * Body of `POST /v1/events`. The envelope must be valid; events are checked one by one, so valid
 * events are kept when others in the same batch are refused. `batch` is random per batch: a batch sent
 * again (a retry, a replay) is counted once.
 */
export const EventBatch = z.strictObject({
  site: Id,
  batch: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 URL-safe characters'),
  visitor: VisitorId,
  events: z.array(z.unknown()).min(1).max(MAX_EVENTS_PER_BATCH),
});
export type EventBatch = z.infer<typeof EventBatch>;

export const EventsAnswer = z.object({
  batch: z.string(),
  accepted: z.number().int(),
  /** Events refused, by their index in the batch, with the field and the reason. */
  rejected: z.array(z.object({ index: z.number().int(), path: z.string(), message: z.string() })),
  /** This batch was received before: nothing is counted again. */
  duplicate: z.boolean().optional(),
});
export type EventsAnswer = z.infer<typeof EventsAnswer>;

/** An accepted event as queued for aggregation: the batch's facts plus the event's. */
export const QueuedEvents = z.object({
  site: Id,
  batch: z.string(),
  visitor: VisitorId,
  receivedAt: z.number().int(),
  events: z.array(z.object({ index: z.number().int() }).and(MeasuredEvent)),
});
export type QueuedEvents = z.infer<typeof QueuedEvents>;

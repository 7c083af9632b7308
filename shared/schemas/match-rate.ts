import { z } from 'zod';
import { Confidence } from './confidence';
import { ResolutionMethod } from './decide';
import { Id } from './primitives';

/** A page view's confidence in the visitor's company, `none` when nobody was resolved. */
export const MatchConfidence = z.union([Confidence, z.literal('none')]);
export type MatchConfidence = z.infer<typeof MatchConfidence>;

/** Page views of one UTC day and page origin that were resolved one way, to one segment ('' for none). */
export const MatchRow = z.object({
  site: Id,
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  origin: z.string().max(200),
  method: ResolutionMethod,
  confidence: MatchConfidence,
  segment: z.union([Id, z.literal('')]),
  views: z.number().int().positive(),
});
export type MatchRow = z.infer<typeof MatchRow>;

/** What an isolate sends through the events queue: its counts since its last batch. */
export const QueuedMatchTally = z.object({
  kind: z.literal('match'),
  batch: z.string().min(8).max(64),
  rows: z.array(MatchRow).min(1).max(1000),
});
export type QueuedMatchTally = z.infer<typeof QueuedMatchTally>;

const Counts = z.record(z.string(), z.number().int());

/** `GET /api/admin/match-rate`: how the site's page views were resolved, by day, origin, method, confidence and segment. */
export const MatchRateReport = z.object({
  site: Id,
  from: z.string(),
  to: z.string(),
  views: z.number().int(),
  byMethod: Counts,
  byConfidence: Counts,
  days: z.array(z.object({ day: z.string(), views: z.number().int(), byConfidence: Counts, byMethod: Counts })),
  origins: z.array(z.object({ origin: z.string(), views: z.number().int(), byConfidence: Counts })),
  segments: z.array(z.object({ segment: z.string().nullable(), views: z.number().int(), byConfidence: Counts })),
  rows: z.array(MatchRow.omit({ site: true })),
});
export type MatchRateReport = z.infer<typeof MatchRateReport>;

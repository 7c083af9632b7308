import { z } from 'zod';
import { Domain } from './primitives';

/** At most this many scores per account: the newest weeks are kept (shared/rules/intent.ts mergeIntent). */
export const MAX_INTENT_SCORES = 200;

const isMonday = (day: string) => {
  const t = Date.parse(`${day}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().startsWith(day) && new Date(t).getUTCDay() === 1;
};

/** A week of third-party intent data, named by its Monday (UTC), `2026-03-02`. */
export const IntentWeek = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-03-02')
  .refine(isMonday, 'must be the Monday of its week (UTC)');

export const IntentTopic = z.string().trim().min(1, 'is required').max(200);
/** Topics compare without case or extra spaces: `Customer  Data Platform` is `customer data platform`. */
export const topicKey = (topic: string) => topic.trim().toLowerCase().replace(/\s+/g, ' ');

/** One vendor score: how strongly the company researched `topic` that week (Bombora's composite score: 0–100, 60+ is a surge). */
export const IntentScore = z.object({
  topic: IntentTopic,
  score: z.number().min(0).max(100),
  week: IntentWeek,
});
export type IntentScore = z.infer<typeof IntentScore>;

/**
 * One row to import through the admin API (JSON): the account's domain, a topic, its score and the
 * week, as its Monday (`week`) or any day of it (`date`, filed under its Monday).
 */
const ROW_SCORE = 'must be a number from 0 to 100';
export const IntentRow = z.object({
  domain: Domain,
  topic: IntentTopic,
  score: z.number({ error: ROW_SCORE }).min(0, ROW_SCORE).max(100, ROW_SCORE),
  week: z.string().max(40).optional(),
  date: z.string().max(40).optional(),
});

/** POST /api/admin/sites/:site/intent/import (JSON): at most 5,000 rows; `firstRow` numbers them in the report. Or a `text/csv` body. */
export const IntentImportChunk = z.strictObject({ rows: z.array(z.unknown()).min(1).max(5000), firstRow: z.number().int().nonnegative().default(0) });

/** Scores kept, accounts they updated, and each row (or column, on row 1) that was not kept with the reason. */
export const IntentImportResult = z.object({
  accepted: z.number().int(),
  accounts: z.number().int(),
  rejected: z.array(z.object({ row: z.number().int(), field: z.string(), reason: z.string() })),
});
export type IntentImportResult = z.infer<typeof IntentImportResult>;

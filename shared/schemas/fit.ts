import { z } from 'zod';
import { FieldCondition } from './rule';

const Score = z.number().min(0).max(100);

/** One criterion of the fit formula: a condition on the account, and the weight it adds when it holds. */
export const FitCriterion = z.intersection(FieldCondition, z.object({ weight: z.number().positive().max(1000) }));
export type FitCriterion = z.infer<typeof FitCriterion>;

/** Fields a criterion may not read: the fit itself, and the intent scores (a list of weeks, not an attribute). */
const NOT_CRITERIA = new Set(['account.fitScore', 'account.tier', 'account.intent']);

/**
 * The site's fit formula (shared/rules/fit.ts): an account's fit score is the share of the criteria's
 * total weight whose conditions hold, 0–100; tier 1 from `tiers.1` up, tier 2 from `tiers.2`, else 3.
 */
export const Fit = z
  .strictObject({
    criteria: z.array(FitCriterion).min(1).max(20),
    tiers: z.strictObject({ 1: Score, 2: Score }),
  })
  .superRefine((fit, ctx) => {
    fit.criteria.forEach((c, i) => {
      if (!c.field.startsWith('account.') || NOT_CRITERIA.has(c.field))
        ctx.addIssue({ code: 'custom', path: ['criteria', i, 'field'], message: 'must be a field of the account (not its fit, tier or intent)' });
    });
    if (fit.tiers[1] < fit.tiers[2]) ctx.addIssue({ code: 'custom', path: ['tiers', '1'], message: 'tier 1 needs at least the score tier 2 needs' });
  });
export type Fit = z.infer<typeof Fit>;

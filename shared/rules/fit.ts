import type { Account, Fit } from '../schemas';
import { evaluateCondition } from './evaluate';

/**
 * Fit scores and tiers from the site's formula (shared/schemas/fit.ts). Pure, and run in the decision
 * (shared/decision/decide.ts) rather than stored on the accounts at import or publish: a changed formula
 * then reaches previews and counts with the draft and the edge with the publish itself, with no rewrite
 * of every account's KV record (thousands of writes at one per key per second, the edge half old, half
 * new meanwhile), for the cost of a few condition checks per decision.
 */

/** The share of the criteria's total weight whose conditions hold, 0–100, rounded. */
export function fitScoreOf(account: Account, fit: Fit): number {
  let total = 0;
  let held = 0;
  for (const criterion of fit.criteria) {
    total += criterion.weight;
    if (evaluateCondition(criterion, { account, visit: { path: '/' } })) held += criterion.weight;
  }
  return Math.round((100 * held) / total);
}

export const tierOf = (score: number, tiers: Fit['tiers']): 1 | 2 | 3 => (score >= tiers[1] ? 1 : score >= tiers[2] ? 2 : 3);

/**
 * The account with its fit: an imported `fitScore` or `tier` is the account's own (a CRM's ICP tier)
 * and is kept; the formula fills in what was not imported (the tier from the imported score, if any).
 */
export function withFit(account: Account | null, fit: Fit | undefined): Account | null {
  if (!account || !fit || (account.fitScore !== undefined && account.tier !== undefined)) return account;
  const fitScore = account.fitScore ?? fitScoreOf(account, fit);
  return { ...account, fitScore, tier: account.tier ?? tierOf(fitScore, fit.tiers) };
}

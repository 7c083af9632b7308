import { z } from 'zod';
import { Domain, IntentStage } from './primitives';
import { IntentScore, MAX_INTENT_SCORES } from './intent';

const TIER = 'must be 1, 2 or 3 (1 fits best)';
const FIT_SCORE = 'must be a number from 0 to 100';

/** An imported company. Attributes are free-form beyond the well-known ones so customers can bring their own. */
export const Account = z.object({
  domain: Domain,
  name: z.string().trim().min(1).max(200),
  industry: z.string().max(100).optional(),
  subIndustry: z.string().max(100).optional(),
  employees: z.number().int().nonnegative().optional(),
  revenueBand: z.string().max(50).optional(),
  country: z.string().max(2).toUpperCase().optional(),
  region: z.string().max(50).optional(),
  fundingStage: z.string().max(50).optional(),
  tech: z.array(z.string().max(60)).max(200).optional(),
  stage: IntentStage.optional(),
  /** Names the company's networks go by (matched against the visitor network's organisation name). */
  orgNames: z.array(z.string().max(200)).max(20).optional(),
  /** IPv4/IPv6 CIDR ranges the customer has mapped to this account. */
  ipRanges: z.array(z.string().max(64)).max(1000).optional(),
  /** Fit tier, 1 (best) to 3: imported (a CRM's ICP tier), else from the site's fit formula (shared/rules/fit.ts). */
  tier: z.number({ error: TIER }).int(TIER).min(1, TIER).max(3, TIER).optional(),
  /** How well the account fits the ideal customer profile, 0–100: imported, else from the site's fit formula. */
  fitScore: z.number({ error: FIT_SCORE }).min(0, FIT_SCORE).max(100, FIT_SCORE).optional(),
  /** Third-party intent scores by topic and week, newest first (imported: edge/admin/intent-routes.ts). */
  intent: z.array(IntentScore).max(MAX_INTENT_SCORES).optional(),
  attributes: z.record(z.string().max(60), z.union([z.string().max(500), z.number(), z.boolean()])).optional(),
});
export type Account = z.infer<typeof Account>;

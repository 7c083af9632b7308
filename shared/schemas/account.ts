import { z } from 'zod';
import { Domain, IntentStage } from './primitives';

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
  attributes: z.record(z.string().max(60), z.union([z.string().max(500), z.number(), z.boolean()])).optional(),
});
export type Account = z.infer<typeof Account>;

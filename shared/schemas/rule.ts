import { z } from 'zod';

/**
 * A field a condition reads:
 * - `account.<attr>`: an imported attribute (industry, employees, tech, stage, country, attributes.<x> ...)
 * - `visit.<key>`: context of this page view (utm_source, utm_campaign, utm_medium, referrer_host, path, country)
 */
export const Field = z
  .string()
  .max(100)
  .regex(/^(account|visit)\.[A-Za-z0-9_.]+$/, 'must start with account. or visit.');

const Scalar = z.union([z.string().max(500), z.number(), z.boolean()]);

export const Condition = z.discriminatedUnion('op', [
  z.object({ field: Field, op: z.literal('equals'), value: Scalar }),
  z.object({ field: Field, op: z.literal('not_equals'), value: Scalar }),
  z.object({ field: Field, op: z.literal('in'), values: z.array(Scalar).min(1).max(500) }),
  z.object({ field: Field, op: z.literal('contains'), value: z.string().max(500) }),
  z.object({ field: Field, op: z.literal('range'), min: z.number().optional(), max: z.number().optional() })
    .refine((c) => c.min !== undefined || c.max !== undefined, 'range needs min or max'),
  z.object({ field: Field, op: z.literal('matches'), pattern: z.string().max(500) }),
  z.object({ field: Field, op: z.literal('exists') }),
]);
export type Condition = z.infer<typeof Condition>;

/** All of `all` must hold, and at least one of `any` when it is not empty. An empty rule matches nobody. */
export const Rule = z
  .object({
    all: z.array(Condition).max(50).default([]),
    any: z.array(Condition).max(50).default([]),
  })
  .refine((r) => r.all.length + r.any.length > 0, 'a rule needs at least one condition');
export type Rule = z.infer<typeof Rule>;

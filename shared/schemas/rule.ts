import { z } from 'zod';
import { Id } from './primitives';
import { IntentTopic, topicKey } from './intent';

/**
 * A field a condition reads:
 * - `account.<attr>`: an imported attribute (industry, employees, tech, stage, country, attributes.<x> ...)
 * - `visit.<key>`: context of this page view (utm_source, utm_campaign, utm_medium, referrer_host, path, country)
 * - `visitor.role`: the visitor's buying-committee role or seniority, as the page's identify said (cfo, engineer…)
 */
export const Field = z
  .string()
  .max(100)
  .regex(/^(account|visit|visitor)\.[A-Za-z0-9_.]+$/, 'must start with account., visit. or visitor.');

const Scalar = z.union([z.string().max(500), z.number(), z.boolean()]);

/** A look-back window in days. Behavioural windows must fit in the site's activity retention. */
const Days = z.number().int().min(1).max(365);
const AtLeast = z.number().int().min(1).max(1_000_000);

/**
 * Conditions on the activity recorded for the account (or, with no account, the anonymous visitor),
 * evaluated at the decision time by shared/rules/behaviour.ts. `group` is a page group id of the site.
 */
export const BehaviourConditions = [
  /** At least `min` page views (of `group`, or of any page) in the last `days` days. */
  z.object({ op: z.literal('views'), group: Id.optional(), min: AtLeast, days: Days }),
  /** At least `min` distinct visitors (people) in the last `days` days. */
  z.object({ op: z.literal('visitors'), min: AtLeast, days: Days }),
  /** At least `min` sessions (a visitor's views with no 30-minute gap) in the last `days` days. */
  z.object({ op: z.literal('sessions'), min: AtLeast, days: Days }),
  /** Recency-weighted views: the sum over views of 0.5^(age / halfLifeDays) is at least `min`. */
  z.object({
    op: z.literal('engagement'),
    min: z.number().positive().max(1_000_000),
    halfLifeDays: z.number().positive().max(365),
    group: Id.optional(),
    /** Only views of the last `days` days; default: every view retained. */
    days: Days.optional(),
  }),
  /** The first view retained is at most `days` days old (a newcomer). */
  z.object({ op: z.literal('first_seen'), days: Days }),
  /** The latest view is at most `days` days old (recently active). */
  z.object({ op: z.literal('last_seen'), days: Days }),
] as const;

/** Conditions on a field of the account, the visit or the visitor (shared/rules/evaluate.ts). */
export const FieldConditions = [
  z.object({ field: Field, op: z.literal('equals'), value: Scalar }),
  z.object({ field: Field, op: z.literal('not_equals'), value: Scalar }),
  z.object({ field: Field, op: z.literal('in'), values: z.array(Scalar).min(1).max(500) }),
  z.object({ field: Field, op: z.literal('contains'), value: z.string().max(500) }),
  z.object({ field: Field, op: z.literal('range'), min: z.number().optional(), max: z.number().optional() })
    .refine((c) => c.min !== undefined || c.max !== undefined, 'range needs min or max'),
  z.object({ field: Field, op: z.literal('matches'), pattern: z.string().max(500) }),
  z.object({ field: Field, op: z.literal('exists') }),
] as const;
export const FieldCondition = z.discriminatedUnion('op', [...FieldConditions]);
export type FieldCondition = z.infer<typeof FieldCondition>;

const IntentMin = z.number().min(0).max(100);
/** A look-back window in weeks: the decision time's week (Monday to Sunday, UTC) and the weeks before it. */
const Weeks = z.number().int().min(1).max(52);
const distinct = (topics: readonly string[]) => new Set(topics.map(topicKey)).size;

/** Conditions on the account's imported third-party intent scores (`account.intent`), evaluated by shared/rules/intent.ts. */
export const IntentConditions = [
  /** `topic` scored at least `min` in one of the last `weeks` weeks. */
  z.object({ op: z.literal('intent'), topic: IntentTopic, min: IntentMin, weeks: Weeks }),
  /** At least `count` of `topics` each scored at least `min` in the last `weeks` weeks. */
  z.object({ op: z.literal('surging'), topics: z.array(IntentTopic).min(1).max(50), min: IntentMin, count: z.number().int().min(1).max(50), weeks: Weeks })
    .refine((c) => c.count <= distinct(c.topics), { path: ['count'], message: 'is more than the number of different topics listed' }),
] as const;

export const Condition = z.discriminatedUnion('op', [...FieldConditions, ...BehaviourConditions, ...IntentConditions]);
export type Condition = z.infer<typeof Condition>;
export type BehaviourCondition = Extract<Condition, { op: 'views' | 'visitors' | 'sessions' | 'engagement' | 'first_seen' | 'last_seen' }>;
export type IntentCondition = Extract<Condition, { op: 'intent' | 'surging' }>;
export type AttributeCondition = Exclude<Condition, BehaviourCondition | IntentCondition>;

const BEHAVIOUR_OPS: ReadonlySet<string> = new Set(BehaviourConditions.map((c) => c.shape.op.value));
/** Whether a condition reads the recorded activity rather than a field. */
export const isBehavioural = (c: Condition): c is BehaviourCondition => BEHAVIOUR_OPS.has(c.op);
/** Whether a condition reads the account's third-party intent scores. */
export const isIntent = (c: Condition): c is IntentCondition => c.op === 'intent' || c.op === 'surging';

/** All of `all` must hold, and at least one of `any` when it is not empty. An empty rule matches nobody. */
export const Rule = z
  .object({
    all: z.array(Condition).max(50).default([]),
    any: z.array(Condition).max(50).default([]),
  })
  .refine((r) => r.all.length + r.any.length > 0, 'a rule needs at least one condition');
export type Rule = z.infer<typeof Rule>;

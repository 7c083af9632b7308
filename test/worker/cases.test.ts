/**
 * Runs the shared test vectors in test/cases/cases.json. Every implementation of our rules, tokens and
 * sanitizer (edge, admin preview, any port) must pass the same file; each vector is its own test.
 */
import { describe, expect, it } from 'vitest';
import raw from '../cases/cases.json';
import { Account, ActivitySummary, Condition, Fit, Segment, SiteConfig } from '../../shared/schemas';
import { type Decision, type DecisionContext, decide } from '../../shared/decision/decide';
import type { DecisionInput } from '../../shared/decision/context';
import { evaluateCondition, evaluateRule, pickSegment } from '../../shared/rules/evaluate';
import { digestOf } from '../../shared/activity/digest';
import { activityPlan, behaviourConditions, needsOf } from '../../shared/activity/plan';
import { escapeHtml, renderTokens } from '../../shared/content/tokens';
import { sanitizeHtml } from '../../shared/content/sanitize';
import { assignArm, bucketOf } from '../../shared/measure/assign';
import { type ArmCounts, liftOf } from '../../shared/measure/stats';
import { withFit } from '../../shared/rules/fit';

interface Vector {
  name: string;
}
interface Cases {
  evaluateCondition: Array<Vector & { condition: unknown; input: VectorInput; expected: boolean }>;
  evaluateRule: Array<Vector & { rule: { all: unknown[]; any: unknown[] }; input: VectorInput; expected: boolean }>;
  pickSegment: Array<Vector & { segments: unknown[]; input: VectorInput; expected: string | null }>;
  renderTokens: Array<Vector & { template: string; input: VectorInput; escapeHtml?: boolean; expected: string }>;
  sanitizeHtml: Array<Vector & { input: string; expected: string }>;
  assignArm: Array<Vector & { site: string; segment: string; unit: string | null; holdout: number; bucket: number | null; expected: string }>;
  liftOf: Array<Vector & { personalized: ArmCounts; holdout: ArmCounts; expected: { status: string } & Record<string, unknown> }>;
  fit: Array<Vector & { fit: unknown; account: unknown; expected: { fitScore?: number; tier?: number } }>;
  decideConfig: unknown;
  decide: Array<Vector & { context: DecideVectorContext; expected: DecideVectorExpected }>;
}
type DecideVectorContext = Omit<DecisionContext, 'config' | 'activity'> & { activity: null | { status: 'unavailable' | 'off' } | { status: 'ok'; summary: unknown } };
type DecideVectorExpected = Omit<Decision, 'segment' | 'matched' | 'account'> & { segment: string | null; account: string | null; matched?: string[] };
const cases = raw as unknown as Cases;

/** A vector's input: `activity` is the recorded views (an ActivitySummary), as the store holds them. */
type VectorInput = Omit<DecisionInput, 'activity'> & { activity?: unknown };

/**
 * Vectors must be valid against our schemas, so other implementations can trust them as real inputs.
 * Decisions read an activity digest, not the views: the vector's views are digested for the
 * conditions at hand (shared/activity/digest.ts), which is exact at these sizes.
 */
function validInput(input: VectorInput, conditions: Condition[] = []): DecisionInput {
  if (input.account !== null) Account.parse(input.account);
  expect(typeof input.visit.path).toBe('string');
  if (input.now !== undefined) expect(Number.isFinite(input.now)).toBe(true);
  if (input.activity === undefined) return input as DecisionInput;
  const activity = digestOf(ActivitySummary.parse(input.activity), needsOf(conditions));
  return { ...input, activity };
}

describe('shared test vectors', () => {
  it('has at least 80 vectors with unique names in every section', () => {
    const sections: Vector[][] = [cases.evaluateCondition, cases.evaluateRule, cases.pickSegment, cases.renderTokens, cases.sanitizeHtml];
    expect(sections.flat().length).toBeGreaterThanOrEqual(80);
    for (const vectors of sections) expect(new Set(vectors.map((v) => v.name)).size).toBe(vectors.length);
  });

  describe('evaluateCondition', () => {
    it.each(cases.evaluateCondition)('$name', ({ condition, input, expected }) => {
      const parsed = Condition.parse(condition);
      expect(evaluateCondition(parsed, validInput(input, [parsed]))).toBe(expected);
    });
  });

  describe('evaluateRule', () => {
    it.each(cases.evaluateRule)('$name', ({ rule, input, expected }) => {
      // Parsed condition by condition: the empty rule is a vector on purpose although the Rule schema rejects it.
      const parsed = { all: rule.all.map((c) => Condition.parse(c)), any: rule.any.map((c) => Condition.parse(c)) };
      expect(evaluateRule(parsed, validInput(input, [...parsed.all, ...parsed.any]))).toBe(expected);
    });
  });

  describe('pickSegment', () => {
    it.each(cases.pickSegment)('$name', ({ segments, input, expected }) => {
      const parsed = segments.map((s) => Segment.parse(s));
      const picked = pickSegment(parsed, validInput(input, behaviourConditions({ segments: parsed })));
      expect(picked?.id ?? null).toBe(expected);
    });
  });

  describe('fit', () => {
    it.each(cases.fit)('$name', ({ fit, account, expected }) => {
      const scored = withFit(Account.parse(account), fit === null ? undefined : Fit.parse(fit));
      expect({ fitScore: scored?.fitScore, tier: scored?.tier }).toEqual(expected);
    });
  });

  describe('renderTokens', () => {
    it.each(cases.renderTokens)('$name', ({ template, input, escapeHtml: escape, expected }) => {
      expect(renderTokens(template, validInput(input), escape ? escapeHtml : undefined)).toBe(expected);
    });
  });

  describe('assignArm', () => {
    it.each(cases.assignArm)('$name', ({ site, segment, unit, holdout, bucket, expected }) => {
      if (unit !== null) expect(bucketOf(site, segment, unit)).toBe(bucket);
      expect(assignArm(site, segment, unit ?? undefined, holdout)).toBe(expected);
    });
  });

  describe('liftOf', () => {
    it.each(cases.liftOf)('$name', ({ personalized, holdout, expected }) => {
      const lift = liftOf(personalized, holdout);
      expect(lift.status).toBe(expected.status);
      if (lift.status === 'ok')
        for (const key of ['lift', 'low', 'high', 'difference'] as const) expect(lift[key]).toBeCloseTo(expected[key] as number, 12);
      if (lift.status === 'ok') expect(lift.verdict).toBe(expected.verdict);
    });
  });

  describe('decide', () => {
    const config = SiteConfig.parse(cases.decideConfig);
    it('covers every mode, both arms, behaviour, goals and reasons', () => {
      expect(new Set(cases.decide.map((v) => v.context.mode))).toEqual(new Set(['visit', 'preview', 'explain']));
      expect(new Set(cases.decide.map((v) => v.expected.arm))).toEqual(new Set(['personalized', 'holdout', null]));
      expect(cases.decide.some((v) => v.expected.goals.length > 0)).toBe(true);
      expect(new Set(cases.decide.flatMap((v) => v.expected.reasons)).size).toBeGreaterThanOrEqual(4);
      expect(new Set(cases.decide.map((v) => v.context.resolution.confidence))).toEqual(new Set(['claimed', 'inferred', 'verified', null]));
      // a claimed identity the segment shown does not accept is never named
      expect(cases.decide.some((v) => v.context.resolution.confidence === 'claimed' && v.context.resolution.account && v.expected.account === null)).toBe(true);
    });
    it.each(cases.decide)('$name', ({ context, expected }) => {
      const { activity, ...rest } = context;
      if (rest.resolution.account) Account.parse(rest.resolution.account);
      const read = activity?.status === 'ok' ? { status: 'ok' as const, digest: digestOf(ActivitySummary.parse(activity.summary), activityPlan(config).needs) } : activity;
      const decision = decide({ ...rest, config, activity: read });
      const { segment, matched, account, ...others } = decision;
      expect({ ...others, segment: segment?.id ?? null, account: account?.domain ?? null, ...(matched && { matched: matched.map((s) => s.id) }) }).toEqual(expected);
    });
  });

  describe('sanitizeHtml', () => {
    it.each(cases.sanitizeHtml)('$name', ({ input, expected }) => {
      expect(sanitizeHtml(input)).toBe(expected);
    });
  });
});

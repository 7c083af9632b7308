/**
 * Runs the shared test vectors in test/cases/cases.json. Every implementation of our rules, tokens and
 * sanitizer (edge, admin preview, any port) must pass the same file; each vector is its own test.
 */
import { describe, expect, it } from 'vitest';
import raw from '../cases/cases.json';
import { Account, ActivitySummary, Condition, Segment } from '../../shared/schemas';
import type { DecisionInput } from '../../shared/decision/context';
import { evaluateCondition, evaluateRule, pickSegment } from '../../shared/rules/evaluate';
import { escapeHtml, renderTokens } from '../../shared/content/tokens';
import { sanitizeHtml } from '../../shared/content/sanitize';
import { assignArm, bucketOf } from '../../shared/measure/assign';
import { type ArmCounts, liftOf } from '../../shared/measure/stats';

interface Vector {
  name: string;
}
interface Cases {
  evaluateCondition: Array<Vector & { condition: unknown; input: DecisionInput; expected: boolean }>;
  evaluateRule: Array<Vector & { rule: { all: unknown[]; any: unknown[] }; input: DecisionInput; expected: boolean }>;
  pickSegment: Array<Vector & { segments: unknown[]; input: DecisionInput; expected: string | null }>;
  renderTokens: Array<Vector & { template: string; input: DecisionInput; escapeHtml?: boolean; expected: string }>;
  sanitizeHtml: Array<Vector & { input: string; expected: string }>;
  assignArm: Array<Vector & { site: string; segment: string; unit: string | null; holdout: number; bucket: number | null; expected: string }>;
  liftOf: Array<Vector & { personalized: ArmCounts; holdout: ArmCounts; expected: { status: string } & Record<string, unknown> }>;
}
const cases = raw as unknown as Cases;

/** Vectors must be valid against our schemas, so other implementations can trust them as real inputs. */
function validInput(input: DecisionInput): DecisionInput {
  if (input.account !== null) Account.parse(input.account);
  expect(typeof input.visit.path).toBe('string');
  if (input.activity !== undefined) ActivitySummary.parse(input.activity);
  if (input.now !== undefined) expect(Number.isFinite(input.now)).toBe(true);
  return input;
}

describe('shared test vectors', () => {
  it('has at least 80 vectors with unique names in every section', () => {
    const sections: Vector[][] = [cases.evaluateCondition, cases.evaluateRule, cases.pickSegment, cases.renderTokens, cases.sanitizeHtml];
    expect(sections.flat().length).toBeGreaterThanOrEqual(80);
    for (const vectors of sections) expect(new Set(vectors.map((v) => v.name)).size).toBe(vectors.length);
  });

  describe('evaluateCondition', () => {
    it.each(cases.evaluateCondition)('$name', ({ condition, input, expected }) => {
      expect(evaluateCondition(Condition.parse(condition), validInput(input))).toBe(expected);
    });
  });

  describe('evaluateRule', () => {
    it.each(cases.evaluateRule)('$name', ({ rule, input, expected }) => {
      // Parsed condition by condition: the empty rule is a vector on purpose although the Rule schema rejects it.
      const parsed = { all: rule.all.map((c) => Condition.parse(c)), any: rule.any.map((c) => Condition.parse(c)) };
      expect(evaluateRule(parsed, validInput(input))).toBe(expected);
    });
  });

  describe('pickSegment', () => {
    it.each(cases.pickSegment)('$name', ({ segments, input, expected }) => {
      const picked = pickSegment(segments.map((s) => Segment.parse(s)), validInput(input));
      expect(picked?.id ?? null).toBe(expected);
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

  describe('sanitizeHtml', () => {
    it.each(cases.sanitizeHtml)('$name', ({ input, expected }) => {
      expect(sanitizeHtml(input)).toBe(expected);
    });
  });
});

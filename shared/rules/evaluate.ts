import { type Condition, isBehavioural, isIntent, type Rule, type Segment } from '../schemas';
import type { DecisionInput } from '../decision/context';
import { behaviourHolds } from './behaviour';
import { globMatch } from './glob';
import { intentHolds } from './intent';

type Value = string | number | boolean | string[] | undefined;

/** Reads `account.x`, `account.attributes.y`, `visit.z` or `visitor.role` from the input; unknown paths read as undefined. */
export function readField(input: DecisionInput, field: string): Value {
  const [root, ...path] = field.split('.');
  let node: unknown = root === 'account' ? input.account : root === 'visit' ? input.visit : root === 'visitor' ? input.visitor : undefined;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  if (typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean') return node;
  if (Array.isArray(node)) return node.filter((v): v is string => typeof v === 'string');
  return undefined;
}

const norm = (v: string | number | boolean) => (typeof v === 'string' ? v.trim().toLowerCase() : v);

function same(a: string | number | boolean, b: string | number | boolean): boolean {
  if (typeof a === 'number' && typeof b === 'string') return b.trim() !== '' && a === Number(b);
  if (typeof a === 'string' && typeof b === 'number') return a.trim() !== '' && Number(a) === b;
  return norm(a) === norm(b);
}

export function evaluateCondition(c: Condition, input: DecisionInput): boolean {
  if (isBehavioural(c)) return behaviourHolds(c, input.activity, input.now);
  if (isIntent(c)) return intentHolds(c, input.account?.intent, input.now);
  const value = readField(input, c.field);
  if (c.op === 'exists') return value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0);
  if (value === undefined) return c.op === 'not_equals';
  const values = Array.isArray(value) ? value : [value];
  switch (c.op) {
    case 'equals':
      return values.some((v) => same(v, c.value));
    case 'not_equals':
      return !values.some((v) => same(v, c.value));
    case 'in':
      return values.some((v) => c.values.some((w) => same(v, w)));
    case 'contains': {
      const needle = c.value.trim().toLowerCase();
      return Array.isArray(value)
        ? value.some((v) => v.trim().toLowerCase() === needle)
        : String(value).toLowerCase().includes(needle);
    }
    case 'range': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (!Number.isFinite(n)) return false;
      return (c.min === undefined || n >= c.min) && (c.max === undefined || n <= c.max);
    }
    case 'matches':
      return values.some((v) => globMatch(c.pattern, String(v)));
  }
}

export function evaluateRule(rule: Rule, input: DecisionInput): boolean {
  if (rule.all.length + rule.any.length === 0) return false;
  return rule.all.every((c) => evaluateCondition(c, input)) && (rule.any.length === 0 || rule.any.some((c) => evaluateCondition(c, input)));
}

/**
 * The matching segment with the lowest priority number (ties keep config order), or null. `input` may
 * differ per segment (shared/decision/decide.ts: what a segment sees depends on the confidence it needs).
 */
export function pickSegment(segments: readonly Segment[], input: DecisionInput | ((segment: Segment) => DecisionInput)): Segment | null {
  let best: Segment | null = null;
  for (const segment of segments) {
    if ((best === null || segment.priority < best.priority) && evaluateRule(segment.rule, typeof input === 'function' ? input(segment) : input)) best = segment;
  }
  return best;
}

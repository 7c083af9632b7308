import { type Condition, isBehavioural, isIntent, type Segment } from '../schemas';
import type { DecisionInput } from '../decision/context';
import { evaluateCondition, readField } from '../rules/evaluate';
import { behaviourValue } from '../rules/behaviour';

/**
 * Why an account is in a segment, in words a sales rep reads: each condition of the segment's rule that
 * held for the input the decision saw, with the value it read, e.g.
 * `account.industry equals "Fintech" (is "Fintech")` or `at least 3 views of pricing in 7 days (4)`.
 * Pure: the same evaluation as the decision (shared/rules/evaluate.ts), nothing rendered from outside it.
 */
export function conditionsThatHeld(segment: Pick<Segment, 'rule'>, input: DecisionInput): string[] {
  const held = (c: Condition) => evaluateCondition(c, input);
  const all = segment.rule.all.filter(held);
  const any = segment.rule.any.filter(held);
  return [...all, ...any].map((c) => clip(describe(c, input)));
}

const MAX_TEXT = 300;
const clip = (text: string) => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text);

const quote = (v: string | number | boolean) => (typeof v === 'string' ? JSON.stringify(v.length > 80 ? `${v.slice(0, 79)}…` : v) : String(v));

function shown(input: DecisionInput, field: string): string {
  const value = readField(input, field);
  if (value === undefined) return 'not set';
  if (Array.isArray(value)) return value.length > 8 ? `${value.slice(0, 8).map(quote).join(', ')}, +${value.length - 8} more` : value.map(quote).join(', ');
  return `is ${quote(value)}`;
}

const round = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
const group = (g: string | undefined) => (g ? ` of ${g}` : '');
const inDays = (days: number | undefined) => (days === undefined ? '' : ` in ${days} day${days === 1 ? '' : 's'}`);

function describe(c: Condition, input: DecisionInput): string {
  if (isBehavioural(c)) {
    const value = behaviourValue(c, input.activity, input.now);
    const measured = value === null ? '' : ` (${round(value)})`;
    switch (c.op) {
      case 'views':
        return `at least ${c.min} views${group(c.group)}${inDays(c.days)}${measured}`;
      case 'visitors':
        return `at least ${c.min} people${inDays(c.days)}${measured}`;
      case 'sessions':
        return `at least ${c.min} sessions${inDays(c.days)}${measured}`;
      case 'engagement':
        return `engagement${group(c.group)} at least ${c.min} (half-life ${c.halfLifeDays} days${c.days ? `, last ${c.days} days` : ''})${measured}`;
      case 'first_seen':
        return `first seen within ${c.days} days${value === null ? '' : ` (${round(value)} days ago)`}`;
      case 'last_seen':
        return `last seen within ${c.days} days${value === null ? '' : ` (${round(value)} days ago)`}`;
    }
  }
  if (isIntent(c)) {
    return c.op === 'intent'
      ? `intent on ${quote(c.topic)} at least ${c.min} in the last ${c.weeks} weeks`
      : `surging (at least ${c.min}) on ${c.count} of ${c.topics.slice(0, 8).map(quote).join(', ')} in the last ${c.weeks} weeks`;
  }
  const now = ` (${shown(input, c.field)})`;
  switch (c.op) {
    case 'equals':
      return `${c.field} equals ${quote(c.value)}${now}`;
    case 'not_equals':
      return `${c.field} is not ${quote(c.value)}${now}`;
    case 'in':
      return `${c.field} is one of ${c.values.slice(0, 8).map(quote).join(', ')}${c.values.length > 8 ? ', …' : ''}${now}`;
    case 'contains':
      return `${c.field} contains ${quote(c.value)}${now}`;
    case 'range':
      return `${c.field} ${c.min !== undefined && c.max !== undefined ? `between ${c.min} and ${c.max}` : c.min !== undefined ? `at least ${c.min}` : `at most ${c.max}`}${now}`;
    case 'matches':
      return `${c.field} matches ${quote(c.pattern)}${now}`;
    case 'exists':
      return `${c.field} is set${now}`;
  }
}

/**
 * The rule builder's vocabulary: the fields a condition can read, the operators, and conversion
 * between a Condition and the strings its form inputs hold. Behavioural conditions (page views,
 * visitors… of the account's recorded activity) read no field: the picker offers them as "Activity";
 * intent conditions (the account's imported third-party scores) neither: "Intent".
 */
import type { Condition } from '../../shared/schemas';

export const ACCOUNT_FIELDS = [
  'account.domain', 'account.name', 'account.industry', 'account.subIndustry', 'account.employees', 'account.revenueBand',
  'account.country', 'account.region', 'account.fundingStage', 'account.tech', 'account.stage', 'account.orgNames',
  'account.tier', 'account.fitScore',
];
export const VISIT_FIELDS = [
  'visit.path', 'visit.utm_source', 'visit.utm_medium', 'visit.utm_campaign', 'visit.utm_term', 'visit.utm_content',
  'visit.referrer_host', 'visit.country', 'visitor.role',
];
/** The picker's value for behavioural conditions. */
export const ACTIVITY = '(activity)';
/** The picker's value for intent conditions. */
export const INTENT = '(intent)';
export const KNOWN_FIELDS = new Set([...ACCOUNT_FIELDS, ...VISIT_FIELDS, ACTIVITY, INTENT]);
const NUMERIC_FIELDS = new Set(['account.employees', 'account.tier', 'account.fitScore']);

export type Op = Condition['op'];
export const FIELD_OPS: { op: Op; label: string }[] = [
  { op: 'equals', label: 'equals' },
  { op: 'not_equals', label: 'does not equal' },
  { op: 'in', label: 'is one of' },
  { op: 'contains', label: 'contains' },
  { op: 'range', label: 'is between' },
  { op: 'matches', label: 'matches pattern' },
  { op: 'exists', label: 'is known' },
];
export const ACTIVITY_OPS: { op: Op; label: string }[] = [
  { op: 'views', label: 'page views, at least' },
  { op: 'visitors', label: 'distinct visitors, at least' },
  { op: 'sessions', label: 'sessions, at least' },
  { op: 'engagement', label: 'engagement score, at least' },
  { op: 'first_seen', label: 'first seen within' },
  { op: 'last_seen', label: 'last seen within' },
];
const ACTIVITY_OP_SET = new Set(ACTIVITY_OPS.map((o) => o.op));
export const isActivityOp = (op: Op) => ACTIVITY_OP_SET.has(op);
export const INTENT_OPS: { op: Op; label: string }[] = [
  { op: 'intent', label: 'topic score' },
  { op: 'surging', label: 'surging on topics' },
];
export const isIntentOp = (op: Op) => op === 'intent' || op === 'surging';

/** A condition as its inputs hold it: every value a string, whatever the operator. */
export interface ConditionDraft {
  /** A stable key for the list while conditions are added and removed. */
  uid: number;
  /** A field path, ACTIVITY or INTENT. */
  field: string;
  op: Op;
  value: string;
  /** one per line (intent: the topics) */
  values: string;
  min: string;
  max: string;
  pattern: string;
  /** page group id ('' = any page) */
  group: string;
  days: string;
  halfLifeDays: string;
  weeks: string;
  /** surging: how many of the topics */
  count: string;
}

/** A segment's rule as the rule builder edits it: `all` and `any` groups of condition drafts. */
export interface RuleDraft {
  all: ConditionDraft[];
  any: ConditionDraft[];
}

let uid = 0;
export const emptyCondition = (field = 'account.industry'): ConditionDraft => ({
  uid: ++uid,
  field,
  op: field === ACTIVITY ? 'views' : field === INTENT ? 'intent' : 'equals',
  value: '',
  values: '',
  min: '',
  max: '',
  pattern: '',
  group: '',
  days: field === ACTIVITY ? '30' : '',
  halfLifeDays: '7',
  weeks: '4',
  count: '',
});

const str = (n: number | undefined) => (n === undefined ? '' : String(n));

export function toDraft(c: Condition): ConditionDraft {
  const d: ConditionDraft = { ...emptyCondition(), op: c.op, field: 'field' in c ? c.field : isIntentOp(c.op) ? INTENT : ACTIVITY, days: '' };
  if ('group' in c) d.group = c.group ?? '';
  if ('days' in c) d.days = str(c.days);
  switch (c.op) {
    case 'equals':
    case 'not_equals':
    case 'contains':
      d.value = String(c.value);
      break;
    case 'in':
      d.values = c.values.map(String).join('\n');
      break;
    case 'range':
      d.min = str(c.min);
      d.max = str(c.max);
      break;
    case 'matches':
      d.pattern = c.pattern;
      break;
    case 'views':
    case 'visitors':
    case 'sessions':
      d.min = str(c.min);
      break;
    case 'engagement':
      d.min = str(c.min);
      d.halfLifeDays = str(c.halfLifeDays);
      break;
    case 'intent':
    case 'surging':
      d.min = str(c.min);
      d.weeks = str(c.weeks);
      if (c.op === 'intent') d.value = c.topic;
      else [d.values, d.count] = [c.topics.join('\n'), str(c.count)];
      break;
  }
  return d;
}

/** Numbers for numeric fields (so `employees equals 500` compares as a number); text otherwise. */
function scalar(field: string, text: string): string | number {
  const t = text.trim();
  return NUMERIC_FIELDS.has(field) && /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : t;
}

/** An empty number input is "not given"; anything else that is not a number is passed on for the schema to reject. */
const num = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text));

/**
 * The condition the inputs describe; the shared schema then judges it (field format, bounds...).
 * Required numbers left empty go through as NaN so the schema names the field.
 */
export function fromDraft(d: ConditionDraft): Condition {
  const field = d.field.trim();
  const need = (text: string) => num(text) ?? NaN;
  const group = d.group ? { group: d.group } : {};
  const intent = { min: need(d.min), weeks: need(d.weeks) };
  switch (d.op) {
    case 'equals':
    case 'not_equals':
      return { field, op: d.op, value: scalar(field, d.value) };
    case 'contains':
      return { field, op: 'contains', value: d.value.trim() };
    case 'in':
      return { field, op: 'in', values: d.values.split('\n').map((v) => v.trim()).filter(Boolean).map((v) => scalar(field, v)) };
    case 'range': {
      const min = num(d.min);
      const max = num(d.max);
      return { field, op: 'range', ...(min !== undefined && { min }), ...(max !== undefined && { max }) };
    }
    case 'matches':
      return { field, op: 'matches', pattern: d.pattern.trim() };
    case 'exists':
      return { field, op: 'exists' };
    case 'views':
      return { op: 'views', min: need(d.min), days: need(d.days), ...group };
    case 'visitors':
    case 'sessions':
      return { op: d.op, min: need(d.min), days: need(d.days) };
    case 'engagement': {
      const days = num(d.days);
      return { op: 'engagement', min: need(d.min), halfLifeDays: need(d.halfLifeDays), ...group, ...(days !== undefined && { days }) };
    }
    case 'first_seen':
    case 'last_seen':
      return { op: d.op, days: need(d.days) };
    case 'intent':
      return { op: 'intent', topic: d.value.trim(), ...intent };
    case 'surging':
      return { op: 'surging', topics: d.values.split('\n').map((v) => v.trim()).filter(Boolean), count: need(d.count), ...intent };
  }
}

/** One line for lists: `account.industry equals "Logistics"`, `≥ 3 views of pricing in 14 days`. */
export function describeCondition(c: Condition): string {
  const q = (v: unknown) => (typeof v === 'string' ? `"${v}"` : String(v));
  const of = (group: string | undefined) => (group ? ` of ${group} pages` : '');
  switch (c.op) {
    case 'views':
      return `≥ ${c.min} page views${of(c.group)} in ${c.days} days`;
    case 'visitors':
    case 'sessions':
      return `≥ ${c.min} ${c.op} in ${c.days} days`;
    case 'engagement':
      return `engagement${of(c.group)} ≥ ${c.min} (half-life ${c.halfLifeDays} days${c.days ? `, last ${c.days} days` : ''})`;
    case 'first_seen':
      return `first seen within ${c.days} days`;
    case 'last_seen':
      return `last seen within ${c.days} days`;
    case 'intent':
      return `intent ${q(c.topic)} ≥ ${c.min} in ${c.weeks} weeks`;
    case 'surging':
      return `surging (≥ ${c.min}) on ${c.count} of ${c.topics.map(q).join(', ')} in ${c.weeks} weeks`;
    case 'in':
      return `${c.field} is one of ${c.values.map(q).join(', ')}`;
    case 'range':
      return c.min !== undefined && c.max !== undefined
        ? `${c.field} is between ${c.min} and ${c.max}`
        : c.min !== undefined
          ? `${c.field} ≥ ${c.min}`
          : `${c.field} ≤ ${c.max}`;
    case 'matches':
      return `${c.field} matches ${q(c.pattern)}`;
    case 'exists':
      return `${c.field} is known`;
    case 'equals':
      return `${c.field} equals ${q(c.value)}`;
    case 'not_equals':
      return `${c.field} does not equal ${q(c.value)}`;
    case 'contains':
      return `${c.field} contains ${q(c.value)}`;
  }
}

/** `Fintech Enterprise!` → `fintech-enterprise`, for a new segment's or slot's id. */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}

/**
 * Validation issues as `{ path: 'segments.2.rule.all.0.value', message }`, the shape the edge
 * answers with (its paths start with `config.` for a saved draft), so client-side zod issues and
 * server issues are shown next to the same fields.
 */
import type { z } from 'zod';
import type { Issue } from './api';

/** zod's messages, in words for a form where it helps ("Too small: expected string to have >=1 characters" → "Required."). */
function friendly(issue: z.core.$ZodIssue): string {
  const m = issue.message;
  if (issue.code === 'too_small' && issue.origin === 'string' && Number(issue.minimum) === 1) return 'Required.';
  if (issue.code === 'too_small' && issue.origin === 'array' && Number(issue.minimum) === 1) return 'Add at least one.';
  if (issue.code === 'too_big' && issue.origin === 'string') return `At most ${issue.maximum} characters.`;
  if (issue.code === 'too_small' && issue.origin === 'number') return `Must be at least ${issue.minimum}.`;
  if (issue.code === 'too_big' && issue.origin === 'number') return `Must be at most ${issue.maximum}.`;
  if (/expected number, received (NaN|string)/.test(m)) return 'Enter a number.';
  if (/expected int, received number/.test(m)) return 'Enter a whole number.';
  if (/received undefined$/.test(m)) return 'Required.';
  return m;
}

export function zodIssues(error: z.ZodError): Issue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: friendly(i) }));
}

/** Server issues of a draft save name `config.<path>`; the UI works in config paths. */
export function configIssues(issues: readonly Issue[]): Issue[] {
  return issues.map((i) => ({ path: i.path.replace(/^config\.?/, ''), message: i.message }));
}

export interface Scoped {
  /** The message for a field path relative to the scope, or for anything under it (`values.2` for `values`). */
  at(path: string): string | undefined;
  /** The message for exactly this path (a group or a row, not its fields). */
  exact(path: string): string | undefined;
  /** Issues not under any claimed path (nor under the scope): for the form's summary. */
  rest(claimed: readonly string[]): Issue[];
}

const under = (path: string, prefix: string) => prefix === '' || path === prefix || path.startsWith(`${prefix}.`);

/** Issues relative to `prefix` (e.g. `segments.3`); an empty prefix takes them all. */
export function scope(issues: readonly Issue[], prefix: string): Scoped {
  const rel = (p: string) => (prefix === '' ? p : p.slice(prefix.length + 1));
  const mine = issues.filter((i) => under(i.path, prefix) && i.path !== prefix).map((i) => ({ path: rel(i.path), message: i.message }));
  return {
    at: (path) => mine.find((i) => under(i.path, path))?.message,
    exact: (path) => mine.find((i) => i.path === path)?.message,
    rest: (claimed) => issues.filter((i) => !(under(i.path, prefix) && i.path !== prefix && claimed.some((c) => under(rel(i.path), c)))),
  };
}

/** A readable label for an issue path in a summary (`rule.all.0.value` → `rule › all › 1 › value`). */
export function pathLabel(path: string): string {
  return path === '' ? '' : path.split('.').map((p) => (/^\d+$/.test(p) ? String(Number(p) + 1) : p)).join(' › ');
}

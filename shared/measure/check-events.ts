import { BUILTIN_GOALS, MeasuredEvent, type SiteConfig } from '../schemas';

export type CheckedEvent = MeasuredEvent & { index: number };
export type RejectedEvent = { index: number; path: string; message: string };

/**
 * Checks a batch's events one by one against the schema and the site's published config: the segment
 * must exist and a conversion's goal must be built-in or configured. Valid events are kept whatever
 * happens to the others.
 */
export function checkEvents(config: SiteConfig, events: readonly unknown[]): { valid: CheckedEvent[]; rejected: RejectedEvent[] } {
  const segments = new Set(config.segments.map((s) => s.id));
  const goals = new Set([...Object.keys(BUILTIN_GOALS), ...(config.goals ?? []).map((g) => g.id)]);
  const valid: CheckedEvent[] = [];
  const rejected: RejectedEvent[] = [];
  events.forEach((raw, index) => {
    const parsed = MeasuredEvent.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      rejected.push({ index, path: ['events', index, ...issue.path].join('.'), message: issue.message });
    } else if (!segments.has(parsed.data.segment)) {
      rejected.push({ index, path: `events.${index}.segment`, message: `no segment "${parsed.data.segment}" in site "${config.site}"` });
    } else if (parsed.data.type === 'conversion' && !goals.has(parsed.data.goal)) {
      rejected.push({ index, path: `events.${index}.goal`, message: `no goal "${parsed.data.goal}" in site "${config.site}"` });
    } else valid.push({ ...parsed.data, index });
  });
  return { valid, rejected };
}

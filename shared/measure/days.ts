/** Report days are UTC calendar days, `2026-12-02`: the edge, the report and the admin count them alike. */
export const DAY_MS = 86_400_000;

/** The UTC day of an epoch-ms time. */
export const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);

/** The report's default range: the `n` days up to `to` (default: today, UTC), both included. */
export const REPORT_DEFAULT_DAYS = 30;
export function lastDays(n = REPORT_DEFAULT_DAYS, to = dayOf(Date.now())): { from: string; to: string } {
  return { from: dayOf(Date.parse(`${to}T00:00:00Z`) - (n - 1) * DAY_MS), to };
}

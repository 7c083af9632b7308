import { type IntentCondition, type IntentScore, MAX_INTENT_SCORES, topicKey } from '../schemas';
import { DAY_MS } from '../measure/days';

/**
 * Intent conditions over an account's imported third-party scores, at an explicit decision time `now`
 * (epoch ms). Pure: no clock, no storage.
 *
 * Vendors score whole weeks, so windows count whole weeks: "the last W weeks" are the week `now` falls
 * in (Monday 00:00 to Sunday 24:00, UTC) and the W − 1 weeks before it. A score counts from its week's
 * Monday and stops counting when the Monday W weeks later begins, whatever the hour. A week after
 * `now`'s (a vendor a time zone ahead) counts as the current week. Without scores nothing holds.
 */

export const WEEK_MS = 7 * DAY_MS;

/** Monday 00:00 UTC of the week `t` is in (1970-01-01 was a Thursday). */
export function mondayOf(t: number): number {
  const day = Math.floor(t / DAY_MS);
  return (day - ((((day + 3) % 7) + 7) % 7)) * DAY_MS;
}

/** `2026-03-02`: the Monday of `t`'s week, as IntentScore.week names it. */
export const weekOf = (t: number): string => new Date(mondayOf(t)).toISOString().slice(0, 10);

/** 0 for `now`'s week (or a later one), 1 for the week before… */
export const weeksBefore = (week: string, now: number): number =>
  Math.max(0, Math.round((mondayOf(now) - Date.parse(`${week}T00:00:00Z`)) / WEEK_MS));

/** The best score of each topic within the last `weeks` weeks, by topicKey. */
export function bestScores(intent: readonly IntentScore[], now: number, weeks: number): Map<string, number> {
  const best = new Map<string, number>();
  for (const s of intent) {
    if (weeksBefore(s.week, now) >= weeks) continue;
    const key = topicKey(s.topic);
    best.set(key, Math.max(best.get(key) ?? -1, s.score));
  }
  return best;
}

export function intentHolds(c: IntentCondition, intent: readonly IntentScore[] | undefined, now: number | undefined): boolean {
  if (!intent?.length || now === undefined) return false;
  const best = bestScores(intent, now, c.weeks);
  const surging = (topic: string) => (best.get(topicKey(topic)) ?? -1) >= c.min;
  if (c.op === 'intent') return surging(c.topic);
  return [...new Set(c.topics.map(topicKey))].filter(surging).length >= c.count;
}

const newestFirst = (a: IntentScore, b: IntentScore) => b.week.localeCompare(a.week) || b.score - a.score || a.topic.localeCompare(b.topic);

/**
 * An account's scores with `incoming` added: a topic's score for a week replaces the one held for that
 * week; the newest MAX_INTENT_SCORES are kept (within a week, the highest scores).
 */
export function mergeIntent(held: readonly IntentScore[], incoming: readonly IntentScore[]): IntentScore[] {
  const byKey = new Map<string, IntentScore>();
  for (const s of [...held, ...incoming]) byKey.set(`${s.week} ${topicKey(s.topic)}`, s);
  return [...byKey.values()].sort(newestFirst).slice(0, MAX_INTENT_SCORES);
}

/** The scores of the account's newest week, highest first: what the admin shows as its current topics. */
export function latestIntent(intent: readonly IntentScore[] | undefined): IntentScore[] {
  if (!intent?.length) return [];
  const newest = intent.reduce((w, s) => (s.week > w ? s.week : w), '');
  return intent.filter((s) => s.week === newest).sort(newestFirst);
}

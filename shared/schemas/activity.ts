import { z } from 'zod';
import { Id } from './primitives';

/**
 * What the activity store (edge/activity/account-activity.ts) answers about one account, or one
 * anonymous visitor: its recent page views, for shared/rules/behaviour.ts to evaluate at a given time.
 */

/** One recorded page view. Times are epoch milliseconds. */
export const ActivityView = z.object({
  at: z.number(),
  /** The snippet's random visitor id; '' when the request carried none. */
  visitor: z.string().max(64),
  /** A visitor's views with no gap over 30 minutes share a session id (random, not derived from the visitor id). */
  session: z.string().max(64),
  /** The site's page groups the path matched when the view was recorded. */
  groups: z.array(Id),
});
export type ActivityView = z.infer<typeof ActivityView>;

export const ActivitySummary = z.object({
  /** The oldest and newest view retained (null: none). */
  firstSeen: z.number().nullable(),
  lastSeen: z.number().nullable(),
  /** The views inside the window asked for, oldest first. */
  views: z.array(ActivityView),
});
export type ActivitySummary = z.infer<typeof ActivitySummary>;

/**
 * What a decision needs of the activity, worked out from the site's behavioural rules
 * (shared/activity/needs.ts): per page-view key ('' = every page, else a page group id) how many of
 * the most recent view times to keep exactly; how many distinct visitors and sessions; first/last seen.
 */
export const ActivityNeeds = z.strictObject({
  views: z.record(z.string().max(64), z.number().int().min(1).max(1000)),
  visitors: z.number().int().min(0).max(1000),
  sessions: z.number().int().min(0).max(1000),
  first: z.boolean(),
  last: z.boolean(),
});
export type ActivityNeeds = z.infer<typeof ActivityNeeds>;

const Times = z.array(z.number()).max(1000);

/**
 * The compact summary of one account's (or visitor's) activity a decision reads (from KV, written by
 * its AccountActivity object): exactly what the rules in use need, a few hundred bytes to a few KB
 * whatever the number of views. Times are epoch ms, newest first.
 */
export const ActivityDigest = z.strictObject({
  /** The needs it was made for: a decision whose rules need more treats it as unavailable. */
  needs: ActivityNeeds,
  /** The newest view included (null: none): views this isolate recorded after it are overlaid. */
  through: z.number().nullable(),
  first: z.number().nullable(),
  last: z.number().nullable(),
  /** Per key: the newest view times (at most needs.views[key]); `tail` counts the older ones per UTC day, newest day first. */
  views: z.record(
    z.string().max(64),
    z.strictObject({ t: Times, tail: z.array(z.tuple([z.number().int(), z.number().int().positive()])).max(400).optional() }),
  ),
  /**
   * The latest view time of each distinct visitor, newest first, with a short hash of the visitor id (so
   * the edge can overlay its own views without counting a visitor twice); `more` counts those beyond.
   */
  visitors: z.strictObject({ seen: z.array(z.tuple([z.string().max(16), z.number()])).max(1000), more: z.number().int().nonnegative() }),
  /** The same for sessions. */
  sessions: z.strictObject({ seen: z.array(z.tuple([z.string().max(16), z.number()])).max(1000), more: z.number().int().nonnegative() }),
});
export type ActivityDigest = z.infer<typeof ActivityDigest>;

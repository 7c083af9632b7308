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

import { ActivityDigest, type ActivityNeeds } from '../../shared/schemas';
import { type LocalView, covers, emptyDigest, overlayViews } from '../../shared/activity/digest';
import type { ActivityRead } from '../../shared/decision/decide';
import { CACHE_TTL_MS, cached } from '../kv/cache';
import { parseStored, readText, StoreUnavailable } from '../kv/read';
import { type ActivityKey, digestKey } from './account-activity';

/**
 * The read side of activity: a decision reads the account's digest (written to KV by its
 * AccountActivity object, shared/activity/digest.ts) through this isolate's cache, never the object
 * itself. The views this isolate recorded since are overlaid, so a visitor's next page view sees the
 * last one even before the object's write reaches KV.
 */

/** A decision waits at most this long for the digest, then decides on attribute and visit rules alone. */
export const DIGEST_BUDGET_MS = 100;

/** Views recorded here, per digest key: a minute or two is as long as KV takes to catch up. */
const LOCAL_TTL_MS = 120_000;
const LOCAL_MAX_KEYS = 5_000;
const LOCAL_MAX_VIEWS = 50;
/** The object counts the same visitor on the same path this soon again once (activity-table.ts REPEAT_MS). */
const REPEAT_MS = 5_000;

type Local = LocalView & { path: string };
const local = new Map<string, Local[]>();

function localViews(kvKey: string, now: number): Local[] {
  const views = local.get(kvKey);
  if (!views) return [];
  const fresh = views.filter((v) => now - v.at < LOCAL_TTL_MS);
  if (fresh.length) local.set(kvKey, fresh);
  else local.delete(kvKey);
  return fresh;
}

/** Remembers a view this isolate is recording, as the object will count it. */
export function noteLocalView(key: ActivityKey, view: Local): void {
  const kvKey = digestKey(key);
  const views = localViews(kvKey, view.at);
  // as insertView does: the same page again straight after, by the same visitor, is one view decided twice
  const previous = view.visitor ? views.filter((v) => v.visitor === view.visitor && v.at <= view.at).at(-1) : undefined;
  if (previous && previous.path === view.path && view.at - previous.at < REPEAT_MS) return;
  views.push(view);
  local.delete(kvKey); // most recently used last
  local.set(kvKey, views.slice(-LOCAL_MAX_VIEWS));
  if (local.size > LOCAL_MAX_KEYS) local.delete(local.keys().next().value!);
}

/**
 * The digest of `key` for rules that need `needs`, at `now`: `ok` (no views yet is an empty digest),
 * or `unavailable` when KV failed, was slower than the budget, or holds a digest made for other rules
 * (its object rewrites it on the account's next view).
 */
export async function readDigest(kv: KVNamespace, key: ActivityKey, needs: ActivityNeeds, now: number, budgetMs = DIGEST_BUDGET_MS): Promise<ActivityRead> {
  const kvKey = digestKey(key);
  const mine = localViews(kvKey, now); // taken before any view of this decision is noted
  let stored: ActivityDigest | null;
  try {
    stored = await cached<ActivityDigest>(kvKey, CACHE_TTL_MS.digest, async () => {
      const text = await readText(kv, kvKey, budgetMs);
      const value = parseStored(kvKey, text, (v) => ActivityDigest.safeParse(v));
      // a digest that does not parse is no evidence of "no views": the decision goes without
      if (text !== null && value === null) throw new StoreUnavailable(`corrupt activity digest ${kvKey}`);
      return { value, length: text?.length ?? 0 };
    }, now);
  } catch (err) {
    if (err instanceof StoreUnavailable) return { status: 'unavailable' };
    throw err;
  }
  const digest = stored ?? emptyDigest(needs);
  if (stored && !covers(stored.needs, needs)) return { status: 'unavailable' };
  return { status: 'ok', digest: overlayViews({ ...digest, needs }, mine) };
}

/** For tests: forget the views this isolate recorded. */
export const forgetLocalViews = () => local.clear();

import { fnv1a32 } from '../measure/assign';
import { DAY_MS } from '../measure/days';
import type { ActivityDigest, ActivityNeeds, ActivitySummary } from '../schemas';

/**
 * The activity digest: from an account's recorded views (its AccountActivity object, the system of
 * record) to the few numbers its site's behavioural rules read. Pure, so the object that writes it,
 * the edge that overlays this isolate's own views on it, the admin and the shared vectors agree.
 *
 * Exact whenever a key has at most needs.views[key] views retained (and a site has at most
 * needs.visitors / needs.sessions distinct ones); beyond that only what a threshold needs is kept
 * exactly and the rest is counted per UTC day (see shared/rules/behaviour.ts).
 */

/** '' is the key of every page view; a page group's views are under its id. */
export const ALL_PAGES = '';

const byNewest = (a: number, b: number) => b - a;
const dayOf = (at: number) => Math.floor(at / DAY_MS);

function keyTimes(times: number[], keep: number): ActivityDigest['views'][string] {
  times.sort(byNewest);
  const entry: ActivityDigest['views'][string] = { t: times.slice(0, keep) };
  if (times.length > keep) {
    const tail = new Map<number, number>();
    for (const at of times.slice(keep)) tail.set(dayOf(at), (tail.get(dayOf(at)) ?? 0) + 1);
    entry.tail = [...tail].sort((a, b) => b[0] - a[0]);
  }
  return entry;
}

/** Distinct ids (no empty one) with their latest view time, newest first. */
function latestBy(views: readonly { at: number; id: string }[]): [string, number][] {
  const latest = new Map<string, number>();
  for (const v of views) if (v.id && (latest.get(v.id) ?? -Infinity) < v.at) latest.set(v.id, v.at);
  return [...latest].sort((a, b) => b[1] - a[1]);
}

/** A visitor id as the digest names it: 32 bits of hash, enough to tell a hundred visitors apart. */
export const visitorTag = (visitor: string) => fnv1a32(visitor).toString(36);

/** The digest of every retained view (any order) for `needs`. */
export function digestOf(summary: ActivitySummary, needs: ActivityNeeds): ActivityDigest {
  const views: ActivityDigest['views'] = {};
  for (const [key, keep] of Object.entries(needs.views))
    views[key] = keyTimes(summary.views.filter((v) => key === ALL_PAGES || v.groups.includes(key)).map((v) => v.at), keep);
  let through: number | null = null;
  for (const v of summary.views) if (through === null || v.at > through) through = v.at;
  return {
    needs,
    through,
    first: needs.first ? summary.firstSeen : null,
    last: needs.last ? summary.lastSeen : null,
    views,
    visitors: kept(latestBy(summary.views.map((v) => ({ at: v.at, id: v.visitor && visitorTag(v.visitor) }))), needs.visitors, (seen) => ({ seen })),
    sessions: kept(latestBy(summary.views.map((v) => ({ at: v.at, id: v.session }))), needs.sessions, (list) => ({ t: list.map(([, at]) => at) })),
  };
}

/** The newest `keep` of a list (none when the rules need none), and how many more there are. */
function kept<T>(list: [string, number][], keep: number, shape: (kept: [string, number][]) => T): T & { more: number } {
  return { ...shape(list.slice(0, keep)), more: keep > 0 ? Math.max(0, list.length - keep) : 0 };
}

export const emptyDigest = (needs: ActivityNeeds): ActivityDigest => digestOf({ firstSeen: null, lastSeen: null, views: [] }, needs);

/** Whether a digest made for `made` answers every rule that needs `wanted`. */
export function covers(made: ActivityNeeds, wanted: ActivityNeeds): boolean {
  if ((wanted.first && !made.first) || (wanted.last && !made.last)) return false;
  if (wanted.visitors > made.visitors || wanted.sessions > made.sessions) return false;
  return Object.entries(wanted.views).every(([key, keep]) => (made.views[key] ?? 0) >= keep);
}

/** A page view this isolate recorded, to be seen by its next decisions before the digest in KV has it. */
export interface LocalView {
  at: number;
  groups: readonly string[];
  /** '' without a visitor id. */
  visitor: string;
}

/**
 * The digest with views added that it does not include yet (newer than `through`): their times,
 * their visitors, and first/last seen. Sessions are left as they are (the object assigns them) and
 * catch up when the object writes the digest.
 */
export function overlayViews(digest: ActivityDigest, local: readonly LocalView[]): ActivityDigest {
  const fresh = local.filter((v) => digest.through === null || v.at > digest.through);
  if (!fresh.length) return digest;
  const views: ActivityDigest['views'] = {};
  for (const [key, entry] of Object.entries(digest.views)) {
    const added = fresh.filter((v) => key === ALL_PAGES || v.groups.includes(key)).map((v) => v.at);
    if (!added.length) {
      views[key] = entry;
      continue;
    }
    const keep = digest.needs.views[key] ?? entry.t.length;
    const merged = keyTimes([...entry.t, ...added], keep);
    // views pushed out of the exact list join the day counts already there
    const tail = new Map(entry.tail ?? []);
    for (const [day, n] of merged.tail ?? []) tail.set(day, (tail.get(day) ?? 0) + n);
    views[key] = tail.size ? { t: merged.t, tail: [...tail].sort((a, b) => b[0] - a[0]) } : { t: merged.t };
  }
  let visitors = digest.visitors;
  if (digest.needs.visitors > 0) {
    const seen = new Map(digest.visitors.seen);
    for (const v of fresh) if (v.visitor) seen.set(visitorTag(v.visitor), Math.max(seen.get(visitorTag(v.visitor)) ?? v.at, v.at));
    visitors = kept([...seen].sort((a, b) => b[1] - a[1]), digest.needs.visitors, (list) => ({ seen: list }));
    visitors.more += digest.visitors.more;
  }
  const newest = Math.max(...fresh.map((v) => v.at));
  const oldest = Math.min(...fresh.map((v) => v.at));
  return {
    ...digest,
    views,
    visitors,
    through: Math.max(digest.through ?? newest, newest),
    first: digest.needs.first ? Math.min(digest.first ?? oldest, oldest) : null,
    last: digest.needs.last ? Math.max(digest.last ?? newest, newest) : null,
  };
}

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

/** A visitor (or session) id as the digest names it: 32 bits of hash, enough to tell a hundred apart. */
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
    sessions: kept(latestBy(summary.views.map((v) => ({ at: v.at, id: v.session && visitorTag(v.session) }))), needs.sessions, (seen) => ({ seen })),
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

/** A page view to add to a digest: the object knows its session, the edge (overlaying its own views) does not. */
export interface NewView {
  at: number;
  groups: readonly string[];
  /** '' without a visitor id. */
  visitor: string;
  session?: string;
}

/** A page view this isolate recorded, to be seen by its next decisions before the digest in KV has it. */
export type LocalView = Omit<NewView, 'session'>;

/** Merges ids seen again or anew into a newest-first list of the latest view per id, keeping `keep`. */
function mergeSeen(list: ActivityDigest['visitors'], added: [string, number][], keep: number): ActivityDigest['visitors'] {
  if (keep === 0 || !added.length) return list;
  const seen = new Map(list.seen);
  // An id not in the kept list may be one of the `more` beyond it: counted again there (exact up to `keep`).
  for (const [id, at] of added) seen.set(id, Math.max(seen.get(id) ?? at, at));
  const merged = kept([...seen].sort((a, b) => b[1] - a[1]), keep, (l) => ({ seen: l }));
  return { seen: merged.seen, more: merged.more + list.more };
}

/**
 * The digest with these views added, as digestOf would count them: their times per key (views pushed
 * out of the exact list join the day counts), their visitors and (with a session) sessions, first and
 * last seen. The object applies each view it records this way; the edge overlays its own.
 */
export function addViews(digest: ActivityDigest, added: readonly NewView[]): ActivityDigest {
  if (!added.length) return digest;
  const { needs } = digest;
  const views: ActivityDigest['views'] = {};
  for (const [key, entry] of Object.entries(digest.views)) {
    const times = added.filter((v) => key === ALL_PAGES || v.groups.includes(key)).map((v) => v.at);
    if (!times.length) {
      views[key] = entry;
      continue;
    }
    const merged = keyTimes([...entry.t, ...times], needs.views[key] ?? entry.t.length);
    const tail = new Map(entry.tail ?? []);
    for (const [day, n] of merged.tail ?? []) tail.set(day, (tail.get(day) ?? 0) + n);
    views[key] = tail.size ? { t: merged.t, tail: [...tail].sort((a, b) => b[0] - a[0]) } : { t: merged.t };
  }
  const newest = Math.max(...added.map((v) => v.at));
  const oldest = Math.min(...added.map((v) => v.at));
  return {
    ...digest,
    views,
    visitors: mergeSeen(digest.visitors, added.filter((v) => v.visitor).map((v) => [visitorTag(v.visitor), v.at]), needs.visitors),
    sessions: mergeSeen(digest.sessions, added.filter((v) => v.session).map((v) => [visitorTag(v.session!), v.at]), needs.sessions),
    through: Math.max(digest.through ?? newest, newest),
    first: needs.first ? Math.min(digest.first ?? oldest, oldest) : null,
    last: needs.last ? Math.max(digest.last ?? newest, newest) : null,
  };
}

/** The digest with this isolate's own views that it does not include yet (newer than `through`). */
export function overlayViews(digest: ActivityDigest, local: readonly LocalView[]): ActivityDigest {
  return addViews(digest, local.filter((v) => digest.through === null || v.at > digest.through));
}

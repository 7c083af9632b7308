import { kvKeys } from '../../shared/kv/keys';
import type { Env } from '../env';
import { CACHE_TTL_MS, cached } from '../kv/cache';
import { readText } from '../kv/read';
import type { TagSighting } from './tag-table';

/**
 * Records, off the decision's path (in waitUntil), that a page on `origin` ran the tag: at most once
 * a minute per site × origin in this isolate, so a busy page costs one Durable Object write a minute
 * per isolate, not one per page view. Never throws.
 */
const EVERY_MS = 60_000;
const MAX_REMEMBERED = 1_000;
const lastNoted = new Map<string, number>();

export function shouldNote(site: string, origin: string, status: TagSighting['status'] | 'unpublished', now: number): boolean {
  const key = `${site}\n${origin}\n${status}`;
  const last = lastNoted.get(key);
  if (last !== undefined && now - last < EVERY_MS) return false;
  if (lastNoted.size >= MAX_REMEMBERED) lastNoted.clear();
  lastNoted.set(key, now);
  return true;
}

/** What a page view tells the tag check: its Origin (a browser's, never made up here) and path. */
export function sightingOf(origin: string | undefined, pageUrl: string, status: TagSighting['status'], now: number, versions: { snippet?: string; tag?: string } = {}): TagSighting | null {
  if (!origin || origin.length > 200 || !/^https?:\/\/[^\s/]+$/.test(origin)) return null;
  let path = '/';
  try {
    const url = new URL(pageUrl);
    path = url.pathname.slice(0, 300);
  } catch {
    // the decide route validated the URL; keep '/'
  }
  return { origin, status, at: now, path, snippet: versions.snippet ?? null, tag: versions.tag ?? null };
}

export async function noteTag(env: Pick<Env, 'SITE_STORE'>, site: string, sighting: TagSighting | null, unpublished = false): Promise<void> {
  if (!sighting || !shouldNote(site, sighting.origin, unpublished ? 'unpublished' : sighting.status, sighting.at)) return;
  try {
    await env.SITE_STORE.getByName(site).noteTag(site, sighting, unpublished);
  } catch (err) {
    console.error('tag check: sighting not recorded', err);
  }
}

/** For tests: forget what this isolate noted. */
export const forgetNotedTags = () => lastNoted.clear();

/** Whether a site unknown to the edge's read copy was created in the admin (not published yet); false when KV cannot say. */
export async function siteCreated(kv: KVNamespace, site: string): Promise<boolean> {
  const key = kvKeys.created(site);
  try {
    const marker = await cached(key, CACHE_TTL_MS.config, async () => {
      const text = await readText(kv, key);
      return { value: text, length: text?.length ?? 0 };
    });
    return marker !== null;
  } catch {
    return false;
  }
}

import { SiteConfig } from '../../shared/schemas';
import { kvKeys } from '../../shared/kv/keys';
import { parseStored, readText } from './read';

/** How long an isolate trusts its copy of a site config: publishing reaches every isolate within this. */
export const CONFIG_TTL_MS = 10_000;
const MAX_CACHED_SITES = 1000;

export type ConfigLookup = { status: 'ok'; config: SiteConfig } | { status: 'unknown' } | { status: 'corrupt' };

const cache = new Map<string, { lookup: ConfigLookup; at: number }>();

export async function getSiteConfig(kv: KVNamespace, site: string, now = Date.now()): Promise<ConfigLookup> {
  const hit = cache.get(site);
  if (hit && now - hit.at < CONFIG_TTL_MS) return hit.lookup;
  const key = kvKeys.config(site);
  const text = await readText(kv, key);
  const config = parseStored(key, text, (v) => SiteConfig.safeParse(v));
  const lookup: ConfigLookup = config ? { status: 'ok', config } : text === null ? { status: 'unknown' } : { status: 'corrupt' };
  if (cache.size >= MAX_CACHED_SITES) cache.delete(cache.keys().next().value!);
  cache.set(site, { lookup, at: now });
  return lookup;
}

/** For tests and the admin: forget cached configs so the next read goes to KV. */
export function clearConfigCache(): void {
  cache.clear();
}

/** After a publish: this isolate reads the new config at once (others within CONFIG_TTL_MS). */
export function forgetSiteConfig(site: string): void {
  cache.delete(site);
}

import { SiteConfig } from '../../shared/schemas';
import { kvKeys } from '../../shared/kv/keys';
import { CACHE_TTL_MS, cached, forget, forgetSite as forgetSiteKeys } from './cache';
import { parseStored, readText } from './read';

/** How long an isolate trusts its copy of a site config: publishing reaches every isolate within this. */
export const CONFIG_TTL_MS = CACHE_TTL_MS.config;

export type ConfigLookup = { status: 'ok'; config: SiteConfig } | { status: 'unknown' } | { status: 'corrupt' };

/** The published config of a site, from this isolate's cache or KV (StoreUnavailable when KV fails or is slow). */
export async function getSiteConfig(kv: KVNamespace, site: string, now = Date.now()): Promise<ConfigLookup> {
  const key = kvKeys.config(site);
  const lookup = await cached<ConfigLookup>(
    key,
    CONFIG_TTL_MS,
    async () => {
      const text = await readText(kv, key);
      if (text === null) return { value: null, length: 0 };
      const config = parseStored(key, text, (v) => SiteConfig.safeParse(v));
      return { value: config ? { status: 'ok', config } : { status: 'corrupt' }, length: text.length };
    },
    now,
  );
  return lookup ?? { status: 'unknown' };
}

/** For tests: forget everything this isolate cached, so the next reads go to KV. */
export function clearConfigCache(): void {
  forget();
}

/** After a publish: this isolate reads the new config at once (others within CONFIG_TTL_MS). */
export function forgetSiteConfig(site: string): void {
  forget(kvKeys.config(site));
}

/** After an import or account edit: this isolate reads the site's accounts, buckets and names afresh. */
export const forgetSite = forgetSiteKeys;

import { kvKeys } from '../../shared/kv/keys';
import { getSiteConfig } from '../kv/site-config';
import type { Env } from '../env';

/** The Cron Trigger of the CRM sync (wrangler.toml `[triggers]`): every 10 minutes. */
export const CRM_CRON = '*/10 * * * *';

/**
 * Starts a run of every site whose published config syncs a CRM, in its SiteStore (which keeps going
 * on its alarm while there is more). Sites are found in KV's read copy of configs.
 */
export async function runCrmSyncs(env: Env): Promise<void> {
  const prefix = kvKeys.config('');
  let cursor: string | undefined;
  const sites: string[] = [];
  do {
    const page = await env.KV.list({ prefix, cursor });
    for (const key of page.keys) sites.push(key.name.slice(prefix.length));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  for (const site of sites) {
    const lookup = await getSiteConfig(env.KV, site).catch(() => null);
    if (lookup?.status !== 'ok' || !lookup.config.crm) continue;
    await env.SITE_STORE.getByName(site)
      .crmSync(site)
      .catch((err: unknown) => console.error(`crm: sync of ${site} failed to start`, err));
  }
}

import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { clearConfigCache } from '../../../edge/kv/site-config';
import { buildKvEntries } from '../../../shared/kv/entries';
import { CrmSyncStatus, SiteConfig, SiteState } from '../../../shared/schemas';
import { admin, adminJson, uniqueSite } from './admin';
import { siteConfig } from './fixture';

/** A published site that syncs a CRM (in KV, as the edge serves it; its SiteStore adopts it). */
export async function crmSite(prefix: string, crm: SiteConfig['crm'], over: Partial<SiteConfig> = {}) {
  const site = uniqueSite(prefix);
  const config = SiteConfig.parse({ ...siteConfig, ...over, site, crm });
  const { entries } = buildKvEntries(site, config, []);
  await Promise.all(entries.map((e) => env.KV.put(e.key, e.value)));
  clearConfigCache();
  return site;
}

export async function status(site: string): Promise<CrmSyncStatus> {
  const res = await admin('GET', `/sites/${site}/crm`);
  expect(res.status, await res.clone().text()).toBe(200);
  return CrmSyncStatus.parse(await res.json());
}

/** Starts a run and waits (bounded) until a pass has finished: of companies/accounts, or (`part` 'pipeline') of deals/opportunities. */
export async function syncUntilDone(site: string, since: string | null, timeoutMs = 150_000, part: 'accounts' | 'pipeline' = 'accounts'): Promise<CrmSyncStatus> {
  const res = await admin('POST', `/sites/${site}/crm/sync`);
  expect(res.status, await res.clone().text()).toBe(200);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await status(site);
    const pass = part === 'accounts' ? s : s.pipeline;
    if (pass && !pass.running && pass.lastSyncedAt !== since && pass.lastSyncedAt !== null) return s;
    if (Date.now() > deadline) throw new Error(`sync never finished: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The site's rows of the pipeline (D1 `opportunities`), by id. */
export async function opportunities(site: string) {
  const { results } = await env.EVENTS_DB.prepare('SELECT * FROM opportunities WHERE site = ?1 ORDER BY id')
    .bind(site)
    .all<{ id: string; account: string | null; crm_account: string | null; name: string | null; created_at: number; amount: number | null; stage: string | null; closed_at: number | null; status: string; modified_at: number }>();
  return new Map(results.map((r) => [r.id, r]));
}

export async function accountKeys(site: string): Promise<number> {
  let n = 0;
  let cursor: string | undefined;
  do {
    const page = await env.KV.list({ prefix: `acct:${site}:`, cursor });
    n += page.keys.length;
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return n;
}

export async function readCopyConverged(site: string, count: number, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await accountKeys(site)) < count) {
    if (Date.now() > deadline) throw new Error(`read copy holds ${await accountKeys(site)} of ${count}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Publishes the site's draft as it is (through the admin API, as an admin would). */
export async function publishDraft(site: string): Promise<void> {
  const { draft } = SiteState.parse(await adminJson('GET', `/sites/${site}`));
  await adminJson('POST', `/sites/${site}/publish`, { baseRevision: draft.revision });
}

/**
 * The admin side of the robustness suite: one site set up through the admin API (a draft, one
 * published version, the fixture accounts), a snapshot of everything an admin or the edge can see of
 * it, and a counted admin call.
 */
import { env, exports } from 'cloudflare:workers';
import { expect } from 'vitest';
import { SiteConfig, VersionInfo } from '../../../shared/schemas';
import { ADMIN_TOKEN, adminJson, configFor, uniqueSite } from './admin';
import { accounts, siteConfig } from './fixture';
import { send } from './robustness';

/** The fixture config with a slot of every content type, so hostile content of each type can be tried. */
export const robustConfig = (site: string): SiteConfig =>
  configFor(site, {
    slots: [...siteConfig.slots, { id: 'hero-image', type: 'image' }, { id: 'proof', type: 'proof' }],
    variants: {
      ...siteConfig.variants,
      snowflake: {
        ...siteConfig.variants.snowflake,
        'hero-image': { type: 'image', src: '/img/snow.png', alt: 'Snow' },
        proof: { type: 'proof', items: [{ quote: 'Fast', author: 'A customer', logo: '/logo.svg' }] },
      },
    },
  });

export interface RobustSite {
  site: string;
  config: SiteConfig;
  /** The draft's revision (bad writes must leave it there). */
  revision: number;
  /** The one published version, live. */
  live: number;
}

/** A site with a draft, one published version and the fixture accounts, made through the admin API. */
export async function robustSite(prefix: string): Promise<RobustSite> {
  const site = uniqueSite(prefix);
  const config = robustConfig(site);
  const created = await adminJson<{ draft: { revision: number } }>('PUT', `/sites/${site}/draft`, { baseRevision: 0, config });
  const version = VersionInfo.parse(await adminJson('POST', `/sites/${site}/publish`, { baseRevision: created.draft.revision }));
  await adminJson('POST', `/sites/${site}/accounts/import`, { rows: accounts, firstRow: 0 });
  return { site, config, revision: created.draft.revision, live: version.version };
}

/** Every KV record the edge reads for a site. */
export async function kvRecords(site: string): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {};
  for (const prefix of [`config:${site}`, `acct:${site}:`, `org:${site}:`, `ip:${site}:`]) {
    let cursor: string | undefined;
    do {
      const page = await env.KV.list({ prefix, cursor });
      for (const { name } of page.keys) out[name] = await env.KV.get(name, 'text');
      cursor = page.list_complete ? undefined : page.cursor;
    } while (cursor);
  }
  return out;
}

/** What an admin and the edge see of a site: draft with revision, versions, accounts (and their CSV), the KV read copy. */
export async function siteSnapshot(site: string) {
  const get = async (path: string) => {
    const res = await adminCall('snapshot', 'GET', path);
    return { status: res.status, body: await res.text() };
  };
  return {
    state: await get(`/sites/${site}`),
    versions: await get(`/sites/${site}/versions`),
    accounts: await get(`/sites/${site}/accounts?limit=500`),
    export: await get(`/sites/${site}/accounts/export`),
    kv: await kvRecords(site),
  };
}

/** Asserts the site is exactly as `before` and that the snapshot is of a live site (so the comparison means something). */
export async function expectSiteUnchanged(site: string, before: Awaited<ReturnType<typeof siteSnapshot>>) {
  expect(before.state.status).toBe(200);
  expect(Object.keys(before.kv).length).toBeGreaterThan(accounts.length);
  expect(await siteSnapshot(site)).toEqual(before);
}

export interface AdminCallOptions {
  /** null: no Authorization header */
  token?: string | null;
  authorization?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

/** A call to /api/admin through the Worker, counted as `endpoint` unless it is the suite's own bookkeeping ('snapshot'). */
export function adminCall(endpoint: string, method: string, path: string, body?: string | Uint8Array, opts: AdminCallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.authorization !== undefined) headers.authorization = opts.authorization;
  else if (opts.token !== null) headers.authorization = `Bearer ${opts.token ?? ADMIN_TOKEN}`;
  if (body !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
  // as a browser sends text: UTF-8, a lone surrogate as U+FFFD (workerd would send its WTF-8 bytes)
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const request = new Request(`https://edge.test/api/admin${path}`, { method, headers, body: bytes });
  return endpoint === 'snapshot' ? exports.default.fetch(request) : send(endpoint, request);
}

import { exports } from 'cloudflare:workers';
import { expect } from 'vitest';
import { type Draft, SiteConfig, SiteState, VersionInfo } from '../../../shared/schemas';
import { siteConfig } from './fixture';

/** The token vitest.config.ts binds as ADMIN_TOKEN. */
export const ADMIN_TOKEN = 'test-admin-token';

export interface AdminCall {
  token?: string | null;
  contentType?: string;
  headers?: Record<string, string>;
}

/** Calls the admin API through the Worker, authorised unless told otherwise. */
export function admin(method: string, path: string, body?: unknown, { token = ADMIN_TOKEN, contentType = 'application/json', headers = {} }: AdminCall = {}) {
  const init: RequestInit = { method, headers: { ...(token !== null && { authorization: `Bearer ${token}` }), ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] = contentType;
  }
  return exports.default.fetch(new Request(`https://edge.test/api/admin${path}`, init));
}

export async function adminJson<T = unknown>(method: string, path: string, body?: unknown, expectStatus = 200): Promise<T> {
  const res = await admin(method, path, body);
  const text = await res.text();
  expect(res.status, `${method} ${path}: ${text.slice(0, 500)}`).toBe(expectStatus);
  return JSON.parse(text) as T;
}

/** Each test gets its own site, so its own SiteStore and KV keys. */
export const uniqueSite = (prefix = 'site') => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;

/** The fixture config under another site id. */
export const configFor = (site: string, changes: Partial<SiteConfig> = {}): SiteConfig => SiteConfig.parse({ ...siteConfig, site, version: 1, ...changes });

/** Creates a site by saving its first draft (baseRevision 0). */
export async function createSite(site: string, config = configFor(site)): Promise<Draft> {
  const state = SiteState.parse(await adminJson('PUT', `/sites/${site}/draft`, { baseRevision: 0, config }));
  return state.draft;
}

/** Renames the site in its draft and publishes it. */
export async function publishRenamed(site: string, name: string): Promise<VersionInfo> {
  const { draft } = SiteState.parse(await adminJson('GET', `/sites/${site}`));
  await adminJson('PUT', `/sites/${site}/draft`, { baseRevision: draft.revision, config: { ...draft.config, name } });
  return VersionInfo.parse(await adminJson('POST', `/sites/${site}/publish`, { baseRevision: draft.revision + 1 }));
}
